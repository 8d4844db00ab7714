"""Technology adoption: signal names, the radar's rules in words, and the radar's geometry.

The texts below are the app's one statement of how the index and the rings are computed (the
marts' docs state the same rules); the views show them, they never rephrase them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import pandas as pd


class Signal(NamedTuple):
    label: str
    # "daily": a count per day (summed over weeks); "point": a running total read once per run;
    # "weekly": a count per week, dated the week's Monday.
    kind: str
    unit: str
    source_kind: str  # the spider that reads it (ops.source_runs.source_kind)


SIGNALS: dict[str, Signal] = {
    "github_stars": Signal("GitHub stars", "point", "stars", "github_repo"),
    "github_forks": Signal("GitHub forks", "point", "forks", "github_repo"),
    "pypi_downloads": Signal("PyPI downloads", "daily", "downloads", "pypistats"),
    "npm_downloads": Signal("npm downloads", "daily", "downloads", "npm_downloads"),
    "stackoverflow_questions": Signal(
        "Stack Overflow questions", "point", "questions", "stackexchange_tags"
    ),
    "hn_stories": Signal("Hacker News stories", "weekly", "stories", "hn_mentions"),
    "wikipedia_pageviews": Signal("Wikipedia pageviews", "daily", "views", "wikipedia_pageviews"),
}

RINGS = ["adopt", "trial", "assess", "hold"]  # inner to outer
RING_COLOURS = ["#2e7d32", "#1565c0", "#ef6c00", "#c62828"]

FLAGS = {
    "flag_archived": "archived",
    "flag_declining": "declining",
    "flag_stale": "stale",
    "flag_single_signal": "single signal",
}
# The radar marks a technology by its most serious flag, in this order.
MARKERS = ["archived", "declining", "stale", "single signal", "none"]
MARKER_SHAPES = ["cross", "triangle-down", "square", "diamond", "circle"]

INDEX_DEFINITION = (
    "**The adoption score** is an open index in the spirit of DB-Engines. Every week, each "
    "signal of a technology (GitHub stars and forks, PyPI and npm downloads, Stack Overflow "
    "questions, Hacker News stories, Wikipedia pageviews) is divided by the mean of the same "
    "signal over the benchmark technologies that week and multiplied by 100: 100 means as "
    "popular as the average benchmark technology on that signal, and a source's own growth "
    "cancels out. Downloads and pageviews count as weekly sums of complete weeks, stars and "
    "questions as the latest value of the week. The score is the weighted mean of these "
    "indices over the signals the technology has (weights from `signal_weights.csv`: 1.0 for "
    "stars, downloads and questions, 0.5 for Hacker News and Wikipedia, 0 for forks, which are "
    "shown only); "
    "coverage is the share of all weights that was present. A signal that could not be read "
    "is left out of the mean, never counted as zero. Ranks order the scores overall and "
    "within the quadrant; momentum is the score's change over 4 and 12 weeks, like for like: "
    "both scores are taken over the signals present in both weeks, so a signal that starts "
    "being read does not look like growth."
)

RING_RULES = """\
Each technology sits in one ring, decided on its latest scored week by the first rule that holds:

1. **Hold** if its repository is archived, or its last release is more than 365 days old
   (stale; a repository without any release is not called stale), or it is declining for a
   sustained period: momentum over 12 weeks below −15% *and* over 4 weeks below 0.
2. **Adopt** if it ranks in the top third overall (rank at most a third of the scored
   technologies, rounded up), its 12-week momentum is at least −5%, and at least two signals
   are present.
3. **Trial** if its 12-week momentum is at least +15%.
4. **Assess** otherwise (including technologies with less than 12 weeks of scores).

Risk flags: *archived*, *stale* and *declining* as above; *single signal* when only one signal is
present (the score then rests on one source). The quadrant is the technology's catalog category.
"""

# Radar geometry: ring k spans radii RING_EDGES[k] to RING_EDGES[k + 1]; the inner rings are
# wider because the same angle there is a shorter arc. Labels sit outside radius 4.
RING_EDGES = [0.0, 1.3, 2.3, 3.2, 4.0]
_EXTENT = 4.6
_SIZE = 560
# Within a ring, successive technologies alternate between these depths (fractions of the
# ring's width) so that neighbours in angle do not overlap.
_DEPTHS = [0.5, 0.8, 0.25]


def quadrant_slots(quadrants: list[str]) -> list[str]:
    """The sectors clockwise from 12 o'clock: the quadrants in name order, at least four."""
    names = sorted({q for q in quadrants if isinstance(q, str)})
    return names + [""] * (4 - len(names))


def _is_set(value) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def marker(row) -> str:
    """The most serious flag of a radar row (a dict), or "none"."""
    return next((name for flag, name in FLAGS.items() if _is_set(row.get(flag))), "none")


def flags_text(row) -> str:
    """The row's flags in words, e.g. "declining, stale" (empty without flags)."""
    return ", ".join(name for flag, name in FLAGS.items() if _is_set(row.get(flag)))


def radar_points(radar: pd.DataFrame) -> pd.DataFrame:
    """One point per technology, placed deterministically in its quadrant and ring.

    Technologies sharing a quadrant and ring are spread evenly across the sector's angle in
    rank order (no random jitter: the same data always draws the same radar).
    """
    slots = quadrant_slots(list(radar["quadrant"]))
    sector = 2 * math.pi / len(slots)
    rows = []
    ordered = radar.assign(_ring=radar["ring"].map(RINGS.index)).sort_values(
        ["quadrant", "_ring", "rank_overall", "name"], na_position="last"
    )
    for (quadrant, ring_index), group in ordered.groupby(["quadrant", "_ring"], sort=False):
        slot = slots.index(quadrant)
        for i, row in enumerate(group.to_dict("records")):
            angle = (slot + (i + 1) / (len(group) + 1)) * sector  # clockwise from 12 o'clock
            inner, outer = RING_EDGES[ring_index], RING_EDGES[ring_index + 1]
            radius = inner + (outer - inner) * _DEPTHS[i % len(_DEPTHS)]
            rows.append(
                {
                    "technology_id": row["technology_id"],
                    "technology": row["name"],
                    "quadrant": quadrant,
                    "ring": row["ring"],
                    "score": row["score"],
                    "rank": row["rank_overall"],
                    "momentum_4w_pct": _percent(row["momentum_4w"]),
                    "momentum_12w_pct": _percent(row["momentum_12w"]),
                    "flags": flags_text(row) or "none",
                    "marker": marker(row),
                    "reasons": row["reasons"],
                    "radius": radius,
                    "x": radius * math.sin(angle),
                    "y": radius * math.cos(angle),
                }
            )
    return pd.DataFrame(rows)


def _percent(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value) * 100


def radar_chart(radar: pd.DataFrame) -> alt.LayerChart:
    """Rings and quadrants as arcs, one point per technology, labels for rings and quadrants."""
    slots = quadrant_slots(list(radar["quadrant"]))
    sector = 2 * math.pi / len(slots)
    bands = pd.DataFrame(
        [
            {
                "ring": ring,
                "theta": slot * sector,
                "theta2": (slot + 1) * sector,
                "inner": RING_EDGES[index],
                "outer": RING_EDGES[index + 1],
            }
            for slot in range(len(slots))
            for index, ring in enumerate(RINGS)
        ]
    )
    ring_colour = alt.Scale(domain=RINGS, range=RING_COLOURS)
    radius_scale = alt.Scale(type="linear", domain=[0, _EXTENT], range=[0, _SIZE / 2], nice=False)
    sectors = (
        alt.Chart(bands)
        .mark_arc(stroke="white", strokeWidth=2, opacity=0.12)
        .encode(
            theta=alt.Theta("theta:Q", scale=None),
            theta2="theta2:Q",
            radius=alt.Radius("inner:Q", scale=radius_scale),
            radius2="outer:Q",
            color=alt.Color("ring:N", scale=ring_colour, legend=None),
        )
    )
    axis_scale = alt.Scale(domain=[-_EXTENT, _EXTENT], nice=False, zero=False)
    x = alt.X("x:Q", scale=axis_scale, axis=None)
    y = alt.Y("y:Q", scale=axis_scale, axis=None)
    ring_labels = (
        alt.Chart(
            pd.DataFrame(
                {
                    "label": [ring.capitalize() for ring in RINGS],
                    "x": 0.0,
                    # Near each ring's outer edge, clear of the points (placed at mid-depth).
                    "y": [edge - 0.2 for edge in RING_EDGES[1:]],
                }
            )
        )
        .mark_text(fontWeight="bold", opacity=0.6, fontSize=12)
        .encode(x=x, y=y, text="label:N")
    )
    corners = [(1, 1), (1, -1), (-1, -1), (-1, 1)]  # clockwise from the top right
    labels = pd.DataFrame(
        [
            {"label": name, "x": sx * (_EXTENT - 0.1), "y": sy * (_EXTENT - 0.15)}
            for name, (sx, sy) in zip(slots, corners, strict=False)
            if name
        ],
        columns=["label", "x", "y"],
    )
    # Text alignment is a mark property, not a channel: one layer per side.
    quadrant_labels = [
        alt.Chart(side)
        .mark_text(fontSize=14, fontWeight="bold", align=align)
        .encode(x=x, y=y, text="label:N")
        for side, align in ((labels[labels["x"] > 0], "right"), (labels[labels["x"] < 0], "left"))
    ]
    points = radar_points(radar)
    base = alt.Chart(points).encode(x=x, y=y)
    dots = base.mark_point(filled=True, size=140, opacity=0.95).encode(
        color=alt.Color("ring:N", scale=ring_colour, title="Ring"),
        shape=alt.Shape(
            "marker:N", scale=alt.Scale(domain=MARKERS, range=MARKER_SHAPES), title="Flag"
        ),
        tooltip=[
            alt.Tooltip("technology:N", title="Technology"),
            alt.Tooltip("quadrant:N", title="Quadrant"),
            alt.Tooltip("ring:N", title="Ring"),
            alt.Tooltip("score:Q", title="Score", format=".1f"),
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("momentum_4w_pct:Q", title="Momentum 4w %", format="+.1f"),
            alt.Tooltip("momentum_12w_pct:Q", title="Momentum 12w %", format="+.1f"),
            alt.Tooltip("flags:N", title="Flags"),
            alt.Tooltip("reasons:N", title="Reasons"),
        ],
    )
    names = base.mark_text(align="left", dx=9, fontSize=11).encode(text="technology:N")
    return alt.layer(sectors, ring_labels, *quadrant_labels, dots, names).properties(
        width=_SIZE, height=_SIZE
    )
