"""Technology: one technology's ring and score explained, every signal, releases and hiring."""

import altair as alt
import pandas as pd
import streamlit as st

from app.adoption import RING_RULES, SIGNALS, days_from_radar_week, flags_text
from app.charts import DATE_FORMAT
from app.db import query, query_mart

TECHNOLOGIES_SQL = """
select t.technology_id, t.name, t.category, t.homepage, r.rank_overall
from marts.dim_technologies as t
left join marts.fct_tech_radar as r using (technology_id)
order by r.rank_overall nulls last, t.name
"""

RADAR_SQL = """
select r.*, w.rank_in_quadrant, w.signals_present
from marts.fct_tech_radar as r
left join marts.fct_tech_adoption_weekly as w
    on w.technology_id = r.technology_id and w.week_start = r.as_of_week
where r.technology_id = ?
"""

SIGNALS_SQL = """
select signal, signal_date, value, unavailable_reason, observed_at
from marts.fct_tech_signals_daily
where technology_id = ?
order by signal, signal_date
"""

# "Now" is the latest crawled week of the mentions mart, across competitors.
COMPETITORS_SQL = """
select coalesce(c.name, m.competitor_id) as competitor,
    coalesce(sum(m.open_postings) filter (
        where m.week_start = (select max(week_start) from marts.fct_job_tech_mentions)
    ), 0) as open_now,
    min(m.week_start) as first_week
from marts.fct_job_tech_mentions as m
left join marts.dim_competitors as c using (competitor_id)
where m.technology_id = ? and (m.open_postings > 0 or m.new_postings > 0)
group by all
order by open_now desc, competitor
"""


# The latest crawl of each of the technology's sources that did not end ok, if it is the
# latest crawl of that source at all: why a signal has no reading, or an old one.
FAILURES_SQL = """
select source_kind, status, error, observed_at
from ops.source_runs
where subject_type = 'technology' and subject_id = ?
qualify row_number() over (partition by source_id order by observed_at desc, run_id desc) = 1
    and status <> 'ok'
"""


def signal_status(rows: pd.DataFrame, failure: str | None = None) -> tuple[str, str]:
    """("tracked" | "unavailable" | "not tracked", note) for one signal's rows.

    A signal without any row was never read: no source in the catalog, or one that has never
    answered (a failed fetch adds no row; `failure` then says why, from the run ledger). A NULL
    value carries the reason the source could not be read; neither is ever shown as a zero.
    """
    if rows.empty:
        if failure:
            return "unavailable", f"unavailable: {failure}"
        return "not tracked", "not tracked: no reading published"
    latest = rows.iloc[-1]
    if pd.isna(latest["value"]):
        reason = latest["unavailable_reason"] or "no reason recorded"
        return "unavailable", f"unavailable: {reason}"
    return "tracked", f"{latest['value']:,.0f} on {latest['signal_date']:%Y-%m-%d}"


def failure_notes(failures: pd.DataFrame | None) -> dict[str, str]:
    """Source kind -> 'last crawl failed on 2026-11-23: HTTP 404 ×1'."""
    if failures is None:
        return {}
    return {
        row["source_kind"]: f"last crawl {row['status']} on {row['observed_at']:%Y-%m-%d}: "
        f"{row['error'] or 'no reason recorded'}"
        for _, row in failures.iterrows()
    }


def signals_table(signals: pd.DataFrame, failures: dict[str, str] | None = None) -> pd.DataFrame:
    failures = failures or {}
    rows = []
    for signal, spec in SIGNALS.items():
        own = signals[signals["signal"] == signal]
        status, note = signal_status(own, failures.get(spec.source_kind))
        if status == "tracked" and spec.source_kind in failures:
            note += f"; {failures[spec.source_kind]}"
        values = own.dropna(subset=["value"])
        rows.append(
            {
                "Signal": spec.label,
                "Status": status,
                "Latest": values["value"].iloc[-1] if not values.empty else None,
                "As of": values["signal_date"].iloc[-1] if not values.empty else None,
                "Readings": len(values),
                "Note": note,
            }
        )
    return pd.DataFrame(rows)


def signal_chart(values: pd.DataFrame, label: str, *, weekly_points: bool) -> alt.Chart:
    return (
        alt.Chart(values[["signal_date", "value"]])
        .mark_line(point=weekly_points)
        .encode(
            x=alt.X("signal_date:T", title=None, axis=alt.Axis(format=DATE_FORMAT)),
            y=alt.Y("value:Q", title=label),
            tooltip=[
                alt.Tooltip("signal_date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("value:Q", title=label, format=",.0f"),
            ],
        )
        .properties(height=180)
    )


def percent(value) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value * 100:+.1f}%"


st.title("Technology")

technologies = query_mart(TECHNOLOGIES_SQL, what="technology adoption signals")
if technologies is None:
    st.stop()
if technologies.empty:
    st.info("The published file has no technologies yet: add them to the catalog and run.")
    st.stop()
names = dict(zip(technologies["technology_id"], technologies["name"], strict=True))
technology_id = st.selectbox(
    "Technology",
    options=list(names),
    index=0,  # the top-ranked one: the query orders by rank
    format_func=names.__getitem__,
    key="technology_technology",
)
name = names[technology_id]
info = technologies.set_index("technology_id").loc[technology_id]
st.caption(f"Quadrant: {info['category']} · [{info['homepage']}]({info['homepage']})")

radar = query(RADAR_SQL, [technology_id])
if radar.empty:
    st.info(f"{name} has no score yet: none of its signals was read in a published run.")
else:
    row = radar.iloc[0].to_dict()
    st.subheader(f"{name} is in {row['ring'].capitalize()}")
    ring, score, rank, m4, m12, coverage = st.columns(6)
    ring.metric("Ring", row["ring"].capitalize())
    score.metric("Score", f"{row['score']:.1f}")
    rank_in_quadrant = row["rank_in_quadrant"]
    rank.metric(
        "Rank",
        f"#{row['rank_overall']}",
        help=None if pd.isna(rank_in_quadrant) else f"#{rank_in_quadrant:.0f} in its quadrant",
    )
    m4.metric("Momentum 4w", percent(row["momentum_4w"]))
    m12.metric("Momentum 12w", percent(row["momentum_12w"]))
    coverage.metric("Coverage", f"{row['coverage'] * 100:.0f}%")
    flags = flags_text(row)
    st.markdown(f"**Flags:** {flags or 'none'}")
    st.markdown(f"**Why {row['ring']}:** {row['reasons'] or 'no reason recorded'}")
    if not pd.isna(rank_in_quadrant):
        st.caption(
            f"Rank {row['rank_overall']} overall, {rank_in_quadrant:.0f} in "
            f"{row['quadrant']}; as of the week of {row['as_of_week']:%Y-%m-%d}."
        )
    with st.expander("How rings are decided"):
        st.markdown(RING_RULES)

st.subheader("Signals")
signals = query(SIGNALS_SQL, [technology_id])
failures = failure_notes(
    query_mart(FAILURES_SQL, [technology_id], what="the run ledger", explain=False)
)
st.dataframe(
    signals_table(signals, failures),
    hide_index=True,
    column_config={
        "Latest": st.column_config.NumberColumn(format="localized"),
        "As of": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Note": st.column_config.TextColumn(width="large"),
    },
)
columns = st.columns(3)
for index, (signal, spec) in enumerate(SIGNALS.items()):
    own = signals[signals["signal"] == signal]
    with columns[index % len(columns)]:
        st.markdown(f"**{spec.label}**")
        status, note = signal_status(own, failures.get(spec.source_kind))
        values = own.dropna(subset=["value"])
        if values.empty:
            st.caption(f"{spec.label}: {note}")
            continue
        st.altair_chart(signal_chart(values, spec.unit, weekly_points=spec.kind != "daily"))
        if status == "unavailable":
            st.caption(f"{spec.label}: latest reading {note}")

st.subheader("Releases")
if radar.empty:
    st.caption("No repository reading yet.")
else:
    last_release = row["last_release_at"]
    if pd.isna(last_release):
        release_text = "No release recorded."
    else:
        days = (pd.Timestamp(row["as_of_week"]).tz_localize("UTC") - last_release).days
        release_text = f"Last release: {last_release:%Y-%m-%d} ({days_from_radar_week(days)})."
    if not pd.isna(row["is_archived"]) and bool(row["is_archived"]):
        release_text += " The repository is **archived**."
    st.markdown(release_text)

st.subheader("Competitors hiring for it")
competitors = query_mart(COMPETITORS_SQL, [technology_id], what="technology mentions in jobs")
if competitors is not None and competitors.empty:
    st.info(f"No competitor's job posting mentions {name}.")
elif competitors is not None:
    st.dataframe(
        competitors.rename(
            columns={
                "competitor": "Competitor",
                "open_now": "Open postings now",
                "first_week": "First week mentioned",
            }
        ),
        hide_index=True,
        column_config={
            "First week mentioned": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
