"""Ranking, in the manner of DB-Engines: every technology's rank and score now, their changes
over 4, 12 and 52 weeks where the history reaches that far, and its score's trend."""

import pandas as pd
import streamlit as st

from app.db import query_mart

PERIODS = [4, 12, 52]

RANKING_SQL = """
with latest as (
    select max(week_start) as week_start, min(week_start) as first_week
    from marts.fct_tech_adoption_weekly
),
scored as (
    select a.technology_id, a.week_start, a.score, a.rank_overall
    from marts.fct_tech_adoption_weekly as a
    where a.score is not null
),
since as (
    select technology_id, min(week_start) as scored_since from scored group by technology_id
),
trend as (
    select technology_id, list(score order by scored.week_start) as trend
    from scored, latest
    where scored.week_start > latest.week_start - interval 52 week
    group by technology_id
)
select
    t.name, t.category, now.rank_overall as rank, now.score,
    {periods},
    trend.trend, since.scored_since, latest.week_start as as_of_week, latest.first_week
from scored as now
cross join latest
join marts.dim_technologies as t using (technology_id)
left join trend using (technology_id)
left join since using (technology_id)
{joins}
where now.week_start = latest.week_start
order by now.rank_overall nulls last, t.name
"""


def ranking_sql() -> str:
    periods = ",\n    ".join(
        f"w{n}.rank_overall - now.rank_overall as rank_change_{n}w, "
        f"now.score - w{n}.score as score_change_{n}w"
        for n in PERIODS
    )
    joins = "\n".join(
        f"left join scored as w{n} on w{n}.technology_id = now.technology_id "
        f"and w{n}.week_start = latest.week_start - interval {n} week"
        for n in PERIODS
    )
    return RANKING_SQL.format(periods=periods, joins=joins)


def ranking_table(ranking: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Rank": ranking["rank"],
            "Technology": ranking["name"],
            "Category": ranking["category"],
            "Score": ranking["score"],
        }
    )
    for n in PERIODS:
        # A rank that moved up reads as a positive change (11th → 9th is +2).
        table[f"Rank vs {n} weeks ago"] = ranking[f"rank_change_{n}w"]
        table[f"Score vs {n} weeks ago"] = ranking[f"score_change_{n}w"]
    table["Score, last 52 weeks"] = ranking["trend"]
    # Why a change is blank: no score that many weeks before (scored only since then).
    table["Scored since"] = ranking["scored_since"]
    return table


st.title("Ranking")

ranking = query_mart(ranking_sql(), what="technology adoption signals")
if ranking is None:
    st.stop()
if ranking.empty:
    st.info(
        "The published file has no adoption scores yet: technologies need at least one signal "
        "in a run."
    )
    st.stop()

as_of, first = ranking["as_of_week"].iloc[0], ranking["first_week"].iloc[0]
weeks = (as_of - first).days // 7 + 1
short = [n for n in PERIODS if n >= weeks]
st.caption(
    f"Week of {as_of:%Y-%m-%d}. Rank and score against the same week 4, 12 and 52 weeks "
    "earlier (a positive rank change means it moved up); click a header to sort, use the "
    "table's menu to download it as CSV."
    + (
        f" Changes over {' and '.join(str(n) for n in short)} weeks are blank: the published "
        f"history starts in the week of {first:%Y-%m-%d} ({weeks} weeks). Other blanks: the "
        "technology was scored only since the date in its last column."
        if short
        else " A blank change: the technology was scored only since the date in its last column."
    )
)
score_change = st.column_config.NumberColumn(format="%+.1f")
st.dataframe(
    ranking_table(ranking),
    hide_index=True,
    column_config={
        "Score": st.column_config.NumberColumn(format="%.1f"),
        **{f"Rank vs {n} weeks ago": st.column_config.NumberColumn(format="%+d") for n in PERIODS},
        **{f"Score vs {n} weeks ago": score_change for n in PERIODS},
        "Score, last 52 weeks": st.column_config.LineChartColumn(width="medium"),
        "Scored since": st.column_config.DateColumn(
            format="YYYY-MM-DD", help="A change is blank where there is no score that long ago"
        ),
    },
)
