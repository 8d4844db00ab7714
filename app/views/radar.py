"""Technology radar: numbered blips in rings and quadrants, a list per quadrant, the table."""

import pandas as pd
import streamlit as st

from app.adoption import (
    INDEX_DEFINITION,
    RING_RULES,
    RINGS,
    flags_text,
    movement_text,
    quadrant_slots,
    radar_points,
    radar_svg,
    ring_legend_html,
)
from app.db import query_mart

RADAR_SQL = """
select r.technology_id, r.name, r.quadrant, r.ring, r.score, r.rank_overall,
    w.rank_in_quadrant, r.momentum_4w, r.momentum_12w, r.coverage, r.flag_declining,
    r.flag_stale, r.flag_archived, r.flag_single_signal, r.reasons, r.is_new, r.as_of_week,
    r.previous_ring, r.movement
from marts.fct_tech_radar as r
left join marts.fct_tech_adoption_weekly as w
    on w.technology_id = r.technology_id and w.week_start = r.as_of_week
order by r.rank_overall nulls last, r.name
"""


def radar_table(radar: pd.DataFrame) -> pd.DataFrame:
    records = radar.to_dict("records")
    return pd.DataFrame(
        {
            "Technology": radar["name"],
            "Quadrant": radar["quadrant"],
            "Ring": radar["ring"],
            "Score": radar["score"],
            "Rank": radar["rank_overall"],
            "Rank in quadrant": radar["rank_in_quadrant"],
            "Momentum 4w": radar["momentum_4w"] * 100,
            "Momentum 12w": radar["momentum_12w"] * 100,
            "Coverage": radar["coverage"] * 100,
            "New": radar["is_new"],
            "Since previous week": [
                movement_text(row["movement"], row["previous_ring"]) for row in records
            ],
            "Flags": [flags_text(row) for row in records],
            "Reasons": radar["reasons"],
        }
    )


st.title("Technology radar")

radar = query_mart(RADAR_SQL, what="technology adoption signals")
if radar is None:
    st.stop()
if radar.empty:
    st.info(
        "The published file has no radar yet: technologies need at least one signal "
        "(GitHub, PyPI, npm, Stack Overflow, Hacker News or Wikipedia source) in a run."
    )
    st.stop()

as_of = radar["as_of_week"].max()
st.caption(
    f"As of the week of {as_of:%Y-%m-%d}. Blips are numbered quadrant by quadrant, from the "
    "centre out; the lists under the radar name them with their move since the previous "
    "radar week (moved in: to a ring nearer the centre, adopt; moved out: toward hold)."
)

quadrant_col, ring_col = st.columns(2)
quadrants = quadrant_col.multiselect(
    "Quadrants",
    options=sorted(radar["quadrant"].dropna().unique()),
    placeholder="All quadrants",
    key="radar_quadrants",
)
rings = ring_col.multiselect("Rings", options=RINGS, placeholder="All rings", key="radar_rings")

# Numbers and places come from the whole radar: filtering hides blips, it never moves them.
slots = quadrant_slots(list(radar["quadrant"]))
points = radar_points(radar, slots)
keep = points["quadrant"].isin(quadrants or points["quadrant"]) & points["ring"].isin(
    rings or RINGS
)
points = points[keep]
shown = radar[radar["technology_id"].isin(points["technology_id"])]

st.markdown(ring_legend_html() + radar_svg(points, slots), unsafe_allow_html=True)
if points.empty:
    st.info("No technology in these quadrants and rings.")
# A list per quadrant under the radar, two quadrants a row, in the radar's clockwise order.
lists = st.columns(2)
for index, quadrant in enumerate(q for q in slots if q):
    in_quadrant = points[points["quadrant"] == quadrant]
    if in_quadrant.empty:
        continue
    with lists[index % 2]:
        st.markdown(f"**{quadrant}**")
        # Escaped dots: the numbers are the blips', not a list's renumbering from 1.
        st.markdown(
            "  \n".join(
                f"{p.number}\\. {p.technology}: {p.ring}"
                + (f", {p.movement}" if p.movement else "")
                for p in in_quadrant.itertuples()
            )
        )

with st.expander("How rings are decided"):
    st.markdown(RING_RULES)
    st.markdown(INDEX_DEFINITION)

st.subheader("Scores, ranks and reasons")
if not shown.empty:
    st.dataframe(
        radar_table(shown),
        hide_index=True,
        column_config={
            "Score": st.column_config.NumberColumn(format="%.1f"),
            "Momentum 4w": st.column_config.NumberColumn(
                format="%+.1f%%", help="Score against 4 weeks earlier"
            ),
            "Momentum 12w": st.column_config.NumberColumn(
                format="%+.1f%%", help="Score against 12 weeks earlier"
            ),
            "Coverage": st.column_config.NumberColumn(
                format="%.0f%%", help="Share of the signal weights present"
            ),
            "New": st.column_config.CheckboxColumn(help="First scored within the last 4 weeks"),
            "Reasons": st.column_config.TextColumn(width="large"),
        },
    )
