"""Technology radar: rings and quadrants drawn as a radar, then the table behind it."""

import pandas as pd
import streamlit as st

from app.adoption import INDEX_DEFINITION, RING_RULES, RINGS, flags_text, radar_chart
from app.db import query_mart

RADAR_SQL = """
select r.technology_id, r.name, r.quadrant, r.ring, r.score, r.rank_overall,
    w.rank_in_quadrant, r.momentum_4w, r.momentum_12w, r.coverage, r.flag_declining,
    r.flag_stale, r.flag_archived, r.flag_single_signal, r.reasons, r.is_new, r.as_of_week
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
    f"As of the week of {as_of:%Y-%m-%d}. Colour: ring; shape: the most serious risk flag. "
    "Hover a point for its score, momentum and the reasons for its ring."
)
st.altair_chart(radar_chart(radar), width="content")

with st.expander("How rings are decided"):
    st.markdown(RING_RULES)
    st.markdown(INDEX_DEFINITION)

st.subheader("Scores, ranks and reasons")
quadrant_col, ring_col = st.columns(2)
quadrants = quadrant_col.multiselect(
    "Quadrants",
    options=sorted(radar["quadrant"].dropna().unique()),
    placeholder="All quadrants",
    key="radar_quadrants",
)
rings = ring_col.multiselect("Rings", options=RINGS, placeholder="All rings", key="radar_rings")
shown = radar
if quadrants:
    shown = shown[shown["quadrant"].isin(quadrants)]
if rings:
    shown = shown[shown["ring"].isin(rings)]

if shown.empty:
    st.info("No technology in these quadrants and rings.")
else:
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
