"""Technology adoption: signal names, the radar's rules in words, and the radar's geometry.

The texts below are the app's one statement of how the index and the rings are computed (the
marts' docs state the same rules); the views show them, they never rephrase them.
"""

from __future__ import annotations

import math
from html import escape
from typing import NamedTuple

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

Movement, as in Thoughtworks' radar, compares the ring with the one the same rules gave in the
previous radar week (the latest scored week before this one): *new* (not scored then), *moved
in* (to a ring nearer the centre: hold → assess → trial → adopt), *moved out* (toward hold) or
*no change*.
"""

# Radar geometry: ring k spans radii RING_EDGES[k] to RING_EDGES[k + 1]; the inner rings are
# wider because the same angle there is a shorter arc. Quadrant names sit in the corners,
# outside radius 4.
RING_EDGES = [0.0, 1.3, 2.3, 3.2, 4.0]
_EXTENT = 4.6
# Within a ring, successive technologies alternate between these depths (fractions of the
# ring's width) so that neighbours in angle do not overlap.
_DEPTHS = [0.5, 0.8, 0.25]
# SVG user units per radar unit. The radar is one SVG with a square viewBox, scaled as a whole
# to the width it gets: rings, blips and labels share one coordinate system at any width (a
# chart whose arcs and points had separate scales drew blips in the wrong ring).
_UNIT = 100
_BLIP = 15  # blip radius, in user units


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


def days_from_radar_week(days: int) -> str:
    """How far a release lies from the radar's week, in words, never "-4 days before"."""
    if days == 0:
        return "in the radar week's first day"
    unit = "day" if abs(days) == 1 else "days"
    if days > 0:
        return f"{days} {unit} before the radar week"
    return f"{-days} {unit} after the start of the radar week"


def percent_text(fraction, places: int = 0) -> str:
    """A fraction as a signed percentage in words ("+13%"), or "not known" when missing."""
    if fraction is None or pd.isna(fraction):
        return "not known"
    return f"{float(fraction) * 100:+.{places}f}%"


def movement_text(movement, previous_ring) -> str:
    """The blip's move since the previous radar week in words (fct_tech_radar.movement)."""
    if not isinstance(movement, str):
        return ""  # a publication made before the radar kept its movement
    if movement in ("moved in", "moved out") and isinstance(previous_ring, str):
        return f"{movement} (was {previous_ring})"
    return movement


def radar_points(radar: pd.DataFrame, slots: list[str] | None = None) -> pd.DataFrame:
    """One numbered point per technology, placed deterministically in its quadrant and ring.

    Technologies sharing a quadrant and ring are spread evenly across the sector's angle in
    rank order (no random jitter: the same data always draws the same radar). Numbers run
    quadrant by quadrant (clockwise from 12 o'clock), ring by ring from the centre, as in
    Thoughtworks' radar. `slots` fixes the quadrants' places (so that a filtered radar keeps
    them); by default, those of `radar`.
    """
    slots = slots or quadrant_slots(list(radar["quadrant"]))
    sector = 2 * math.pi / len(slots)
    rows = []
    ordered = radar.assign(
        _slot=radar["quadrant"].map(slots.index), _ring=radar["ring"].map(RINGS.index)
    ).sort_values(["_slot", "_ring", "rank_overall", "name"], na_position="last")
    for (slot, ring_index), group in ordered.groupby(["_slot", "_ring"], sort=False):
        for i, row in enumerate(group.to_dict("records")):
            angle = (slot + (i + 1) / (len(group) + 1)) * sector  # clockwise from 12 o'clock
            inner, outer = RING_EDGES[ring_index], RING_EDGES[ring_index + 1]
            radius = inner + (outer - inner) * _DEPTHS[i % len(_DEPTHS)]
            rows.append(
                {
                    "number": len(rows) + 1,
                    "technology_id": row["technology_id"],
                    "technology": row["name"],
                    "quadrant": slots[slot],
                    "ring": row["ring"],
                    "score": row["score"],
                    "rank": row["rank_overall"],
                    "momentum_4w": row["momentum_4w"],
                    "momentum_12w": row["momentum_12w"],
                    "flags": flags_text(row),
                    "marker": marker(row),
                    "is_new": _is_set(row.get("is_new")),
                    "movement": movement_text(row.get("movement"), row.get("previous_ring")),
                    "reasons": row["reasons"],
                    "radius": radius,
                    "x": radius * math.sin(angle),
                    "y": radius * math.cos(angle),
                }
            )
    return pd.DataFrame(rows)


def blip_tooltip(point) -> str:
    """What hovering a blip says, in words."""
    score = "not scored" if pd.isna(point["score"]) else f"score {point['score']:.1f}"
    lines = [
        f"{point['number']}. {point['technology']}: {point['ring']} ({point['quadrant']})",
        f"{score}; momentum {percent_text(point['momentum_12w'])} over 12 weeks, "
        f"{percent_text(point['momentum_4w'])} over 4 weeks",
    ]
    if point["flags"]:
        lines.append(f"Flags: {point['flags']}")
    if point.get("movement"):
        lines.append(f"Since the previous radar week: {point['movement']}")
    if isinstance(point["reasons"], str) and point["reasons"]:
        lines.append(f"Why: {point['reasons']}")
    return "\n".join(lines)


def _sector_path(inner: float, outer: float, start: float, end: float) -> str:
    """An SVG path of the ring band between two radii and two angles (clockwise from 12)."""

    def at(radius: float, angle: float) -> str:
        return f"{radius * math.sin(angle):.2f} {-radius * math.cos(angle):.2f}"

    large = 1 if end - start > math.pi else 0
    path = f"M {at(outer, start)} A {outer:.2f} {outer:.2f} 0 {large} 1 {at(outer, end)} "
    if inner > 0:
        path += f"L {at(inner, end)} A {inner:.2f} {inner:.2f} 0 {large} 0 {at(inner, start)} Z"
    else:
        path += "L 0 0 Z"
    return path


def radar_svg(points: pd.DataFrame, slots: list[str]) -> str:
    """The radar as one self-contained SVG: ring bands, quadrant names, numbered blips.

    `points` are `radar_points` rows (perhaps filtered: numbers and places stay those of the
    whole radar). Every element carries data attributes (ring, radius in radar units) so that
    a browser test can check the drawn geometry; hovering a blip shows its tooltip in words.
    """
    sector = 2 * math.pi / len(slots)
    half = _EXTENT * _UNIT
    parts = [
        f'<svg class="tech-radar" data-testid="tech-radar" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{-half:.0f} {-half:.0f} {2 * half:.0f} {2 * half:.0f}" '
        'style="width:100%;max-width:760px;height:auto;display:block;margin:auto" '
        'role="img" aria-label="Technology radar">'
    ]
    for index in reversed(range(len(RINGS))):  # outer first, so inner bands lie on top
        ring, colour = RINGS[index], RING_COLOURS[index]
        inner, outer = RING_EDGES[index] * _UNIT, RING_EDGES[index + 1] * _UNIT
        for slot in range(len(slots)):
            parts.append(
                f'<path d="{_sector_path(inner, outer, slot * sector, (slot + 1) * sector)}" '
                f'fill="{colour}" fill-opacity="0.10" stroke="white" stroke-width="3"/>'
            )
        parts.append(
            f'<circle class="ring" data-ring="{ring}" data-inner="{RING_EDGES[index]}" '
            f'data-outer="{RING_EDGES[index + 1]}" cx="0" cy="0" r="{outer:.1f}" fill="none" '
            f'stroke="{colour}" stroke-opacity="0.45" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="0" y="{-(outer - 18):.1f}" text-anchor="middle" font-size="19" '
            f'font-weight="bold" fill="{colour}" font-family="sans-serif">'
            f"{escape(ring.capitalize())}</text>"
        )
    corners = [(1, -1), (1, 1), (-1, 1), (-1, -1)]  # clockwise from the top right (SVG y down)
    for name, (sx, sy) in zip(slots, corners, strict=False):
        if name:
            anchor = "end" if sx > 0 else "start"
            y = sy * (half - 8) + (14 if sy < 0 else 0)
            parts.append(
                f'<text class="quadrant" x="{sx * (half - 4):.0f}" y="{y:.0f}" '
                f'text-anchor="{anchor}" font-size="24" font-weight="bold" fill="#333" '
                f'font-family="sans-serif">{escape(name)}</text>'
            )
    for point in points.to_dict("records"):
        colour = RING_COLOURS[RINGS.index(point["ring"])]
        x, y = point["x"] * _UNIT, -point["y"] * _UNIT
        # A flagged technology's blip has a dark dashed outline; a new one a white halo.
        stroke = (
            'stroke="#222" stroke-width="2.5" stroke-dasharray="4 2"'
            if point["marker"] != "none"
            else 'stroke="white" stroke-width="1.5"'
        )
        parts.append(
            f'<g class="blip" data-technology="{escape(point["technology"])}" '
            f'data-ring="{point["ring"]}" data-number="{point["number"]}" '
            f'data-radius="{point["radius"]:.4f}">'
            f"<title>{escape(blip_tooltip(point))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_BLIP}" fill="{colour}" {stroke}/>'
            f'<text x="{x:.1f}" y="{y + 5.5:.1f}" text-anchor="middle" font-size="16" '
            f'font-weight="bold" fill="white" font-family="sans-serif">{point["number"]}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def ring_legend_html() -> str:
    """The rings' colours in words, from the centre out, and what an outline means."""
    chips = "".join(
        f'<span data-ring="{ring}" style="display:inline-flex;align-items:center;'
        f'margin-right:1.2em"><span style="display:inline-block;width:0.9em;height:0.9em;'
        f'border-radius:50%;background:{colour};margin-right:0.35em"></span>'
        f"{escape(ring.capitalize())}</span>"
        for ring, colour in zip(RINGS, RING_COLOURS, strict=True)
    )
    return (
        f'<div class="ring-legend" data-testid="ring-legend">Rings, from the centre out: '
        f"{chips}<br><small>A dashed dark outline marks a risk flag (archived, declining, stale "
        f"or single signal); hover a blip for its score, momentum and reasons.</small></div>"
    )
