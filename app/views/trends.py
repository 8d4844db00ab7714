"""Trends: technologies compared over time on the adoption score or any of its signals."""

from datetime import date, timedelta
from typing import NamedTuple

import altair as alt
import pandas as pd
import streamlit as st

from app.adoption import SIGNALS
from app.charts import DATE_FORMAT, weekly_axis
from app.db import query, query_mart
from app.text import number_text

WEEK = 7

# PyPI downloads keep their own mart (issue 2): the same numbers as the pypi_downloads signal,
# and present in publications made before the adoption signals.
DAILY_DOWNLOADS_SQL = """
select d.technology_id, t.name as technology, d.download_date as date,
    d.downloads::double as value
from marts.fct_package_downloads_daily as d
join marts.dim_technologies as t using (technology_id)
where list_contains(?, d.technology_id) and d.download_date between ? and ?
order by t.name, d.download_date
"""

# Unreadable values (NULL, with a reason) are not points: unknown is not zero.
SIGNAL_SQL = """
select s.technology_id, t.name as technology, s.signal_date as date, s.value
from marts.fct_tech_signals_daily as s
join marts.dim_technologies as t using (technology_id)
where s.signal = ? and s.value is not null and list_contains(?, s.technology_id)
    and s.signal_date between ? and ?
order by t.name, s.signal_date
"""

WEEKLY_SQL = """
select w.technology_id, t.name as technology, w.week_start as date, w.{column} as value
from marts.fct_tech_adoption_weekly as w
join marts.dim_technologies as t using (technology_id)
where w.{column} is not null and list_contains(?, w.technology_id)
    and w.week_start between ? and ?
order by t.name, w.week_start
"""

# The latest week's ranking orders the technologies; the top ones are picked by default.
RANKED_SQL = """
select t.technology_id, t.name, w.rank_overall
from marts.dim_technologies as t
left join marts.fct_tech_adoption_weekly as w
    on w.technology_id = t.technology_id
    and w.week_start = (select max(week_start) from marts.fct_tech_adoption_weekly)
order by w.rank_overall nulls last, t.name
"""

BOUNDS_SQL = """
select min(first) as first, max(last) as last from (
    select min(download_date) as first, max(download_date) as last
    from marts.fct_package_downloads_daily
    {signals}
)
"""
SIGNAL_BOUNDS = """
    union all
    select min(signal_date), max(signal_date) from marts.fct_tech_signals_daily
    union all
    select min(week_start), max(week_start) from marts.fct_tech_adoption_weekly
"""

DEFAULT_PICKS = 5


class Measure(NamedTuple):
    label: str
    # "daily" (a count per day: sums and 7-day means make sense), "point" (a running total read
    # at each run) or "weekly" (one value per week, dated its Monday).
    grain: str
    source: str  # "downloads", "signal" or "weekly"


def measures(with_adoption: bool) -> dict[str, Measure]:
    """What Trends can chart, by key; the score first when the publication has it."""
    if not with_adoption:
        return {"pypi_downloads": Measure("PyPI downloads (daily)", "daily", "downloads")}
    options = {"score": Measure("Adoption score (weekly)", "weekly", "weekly")}
    for signal, spec in SIGNALS.items():
        source = "downloads" if signal == "pypi_downloads" else "signal"
        grain_text = {"daily": "daily", "point": "per run", "weekly": "weekly"}[spec.kind]
        options[signal] = Measure(f"{spec.label} ({grain_text})", spec.kind, source)
    for signal, spec in SIGNALS.items():
        options[f"{signal}_index"] = Measure(f"{spec.label} index (weekly)", "weekly", "weekly")
    return options


def load_series(
    key: str, measure: Measure, technology_ids: list[str], start: date, end: date
) -> pd.DataFrame:
    """technology_id, technology, date, value of one measure, in technology and date order."""
    if measure.source == "downloads":
        return query(DAILY_DOWNLOADS_SQL, [technology_ids, start, end])
    if measure.source == "signal":
        return query(SIGNAL_SQL, [key, technology_ids, start, end])
    return query(WEEKLY_SQL.format(column=key), [technology_ids, start, end])


def with_rolling_mean(series: pd.DataFrame) -> pd.DataFrame:
    """Add a trailing 7-day mean per technology.

    A window missing a day has no mean: an unknown day is not a zero.
    """
    rolled = []
    for _, one in series.groupby("technology_id", sort=False):
        by_day = one.set_index("date")["value"].astype("float64")
        mean = by_day.rolling(f"{WEEK}D", min_periods=WEEK).mean()
        rolled.append(one.assign(rolling_mean=mean.to_numpy()))
    if not rolled:
        return series.assign(rolling_mean=pd.Series(dtype="float64"))
    return pd.concat(rolled, ignore_index=True)


def weekly_totals(daily: pd.DataFrame, technologies: dict[str, str], end: date) -> pd.DataFrame:
    """The sum of the 7 days ending at `end` and of the 7 days before, per technology.

    A week with a missing day has no total, and so no change: a partial sum would read as a drop.
    Cells are text: a total is "12,600", a week without one says why ("no data", "6 of 7 days").
    """

    def total_text(total, known: int) -> str:
        if total is not None:
            return number_text(total, ",d")
        return "no data" if known == 0 else f"{known} of {WEEK} days"

    days = (pd.Timestamp(end) - daily["date"]).dt.days
    rows = []
    for technology_id, name in technologies.items():
        own = daily["technology_id"] == technology_id
        last = daily.loc[own & days.between(0, WEEK - 1), "value"]
        previous = daily.loc[own & days.between(WEEK, 2 * WEEK - 1), "value"]
        last_total = int(last.sum()) if len(last) == WEEK else None
        previous_total = int(previous.sum()) if len(previous) == WEEK else None
        rows.append(
            {
                "Technology": name,
                "Last 7 days": total_text(last_total, len(last)),
                "Previous 7 days": total_text(previous_total, len(previous)),
                "Change %": number_text(percent_change(last_total, previous_total), "+.1f%"),
            }
        )
    return pd.DataFrame(rows, columns=["Technology", "Last 7 days", "Previous 7 days", "Change %"])


def latest_against_week_before(series: pd.DataFrame, technologies: dict[str, str]) -> pd.DataFrame:
    """The latest value per technology against the latest one at least 7 days older."""
    rows = []
    for technology_id, name in technologies.items():
        own = series[series["technology_id"] == technology_id].sort_values("date")
        latest = previous = latest_date = None
        if not own.empty:
            latest, latest_date = float(own["value"].iloc[-1]), own["date"].iloc[-1]
            before = own[own["date"] <= latest_date - pd.Timedelta(days=WEEK)]
            previous = float(before["value"].iloc[-1]) if not before.empty else None
        rows.append(
            {
                "Technology": name,
                "As of": latest_date,
                "Latest": number_text(latest, ",.1f", missing="no data"),
                "A week before": number_text(previous, ",.1f", missing="no data"),
                "Change %": number_text(percent_change(latest, previous), "+.1f%"),
            }
        )
    return pd.DataFrame(
        rows, columns=["Technology", "As of", "Latest", "A week before", "Change %"]
    )


def percent_change(new: float | None, old: float | None) -> float | None:
    return (new - old) / old * 100 if new is not None and old else None


def trend_chart(series: pd.DataFrame, title: str, *, rolling: bool, log_scale: bool) -> alt.Chart:
    measure = "rolling_mean" if rolling else "value"
    if rolling:
        title = f"{title}, 7-day mean"
    if log_scale:
        series = series[series[measure] > 0]  # a log scale cannot place zero
    weekly = series["date"].dt.day_of_week.eq(0).all() and series["date"].nunique() > 1
    return (
        alt.Chart(series.dropna(subset=[measure]))
        .mark_line(point=bool(weekly))
        .encode(
            # Weekly values tick on their Mondays; daily ones on the format every chart uses.
            x=alt.X(
                "date:T",
                title=None,
                axis=weekly_axis(series["date"]) if weekly else alt.Axis(format=DATE_FORMAT),
            ),
            y=alt.Y(
                f"{measure}:Q", title=title, scale=alt.Scale(type="log" if log_scale else "linear")
            ),
            color=alt.Color("technology:N", title="Technology"),
            tooltip=[
                alt.Tooltip("technology:N", title="Technology"),
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip(f"{measure}:Q", title=title, format=",.1f"),
            ],
        )
    )


st.title("Trends")

# Publications made before the adoption signals chart PyPI downloads only.
ranked = query_mart(RANKED_SQL, what="technology adoption signals")
with_adoption = ranked is not None
if ranked is None:
    ranked = query("select technology_id, name, null as rank_overall from marts.dim_technologies "
                   "order by name")  # fmt: skip
bounds = query(BOUNDS_SQL.format(signals=SIGNAL_BOUNDS if with_adoption else ""))
first, last = bounds["first"].iloc[0], bounds["last"].iloc[0]
if ranked.empty or pd.isna(last):
    st.info("The published file has no technology signals or package downloads yet.")
    st.stop()
first, last = first.date(), last.date()
names = dict(zip(ranked["technology_id"], ranked["name"], strict=True))
options = measures(with_adoption)

measure_col, technologies_col = st.columns([1, 2])


def _reset_dates() -> None:
    # Another measure has other days: the range starts again from that measure's own data.
    st.session_state.pop("trends_dates", None)


key = measure_col.selectbox(
    "Measure",
    options=list(options),
    format_func=lambda k: options[k].label,
    key="trends_measure",
    on_change=_reset_dates,
)
measure = options[key]
selected = technologies_col.multiselect(
    "Technologies",
    options=list(names),
    default=list(names)[:DEFAULT_PICKS],
    format_func=names.__getitem__,
    key="trends_technologies",
)
# The default range ends on the measure's own last day for these technologies: the latest
# day of any source (a star count read today) would leave "Last 7 days" a day short, so blank.
measure_days = load_series(key, measure, selected, first, last)["date"] if selected else None
measure_last = last if measure_days is None or measure_days.empty else measure_days.max().date()
picked = st.date_input(
    "Dates", value=(first, measure_last), min_value=first, max_value=last, key="trends_dates"
)
rolling_col, log_col = st.columns(2)
rolling_asked = rolling_col.toggle(
    "7-day rolling mean", key="trends_rolling", help="For daily counts (downloads, pageviews)"
)
log_scale = log_col.toggle("Log scale", key="trends_log")

if not selected:
    st.info("Select at least one technology.")
    st.stop()
if len(picked) != 2:  # the picker returns one date until the range is complete
    st.info("Pick the end of the date range.")
    st.stop()
start, end = picked
daily = measure.grain == "daily"
rolling = rolling_asked and daily
if rolling_asked and not daily:
    st.caption(f"The 7-day mean applies to daily counts; {measure.label} is shown as recorded.")

# Fetch enough days before `start` for the first rolling means and the previous week's total.
fetch_from = min(start - timedelta(days=WEEK - 1), end - timedelta(days=2 * WEEK - 1))
series = load_series(key, measure, selected, fetch_from, end)
if daily:
    series = with_rolling_mean(series)
in_range = series[series["date"] >= pd.Timestamp(start)]

if in_range.empty:
    st.info(f"No {measure.label} recorded for these technologies and dates.")
else:
    title = measure.label.rsplit(" (", 1)[0]
    st.altair_chart(trend_chart(in_range, title, rolling=rolling, log_scale=log_scale))
missing = [names[t] for t in selected if t not in set(in_range["technology_id"])]
if missing and not in_range.empty:
    st.caption(
        f"No {measure.label} for {', '.join(missing)} in these dates: not tracked, or the "
        "source could not be read (see the Technology page)."
    )

chosen = {t: names[t] for t in selected}
if daily:
    st.subheader("Last 7 days")
    st.caption(
        f"Totals from {end - timedelta(days=WEEK - 1)} to {end} against the 7 days before. "
        "A week missing a day is left blank: unknown is not zero."
    )
    st.dataframe(
        weekly_totals(series, chosen, end),
        hide_index=True,
    )
else:
    st.subheader("Latest against a week before")
    st.caption(
        f"The latest {measure.label} up to {end} against the latest value at least 7 days older."
    )
    st.dataframe(
        latest_against_week_before(series, chosen),
        hide_index=True,
        column_config={
            "As of": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
