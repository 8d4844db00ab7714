"""Trends: daily package downloads per technology, and the latest week against the one before."""

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app.db import query

WEEK = 7

DAILY_DOWNLOADS_SQL = """
select d.technology_id, t.name as technology, d.download_date, d.downloads
from marts.fct_package_downloads_daily as d
join marts.dim_technologies as t using (technology_id)
where list_contains(?, d.technology_id) and d.download_date between ? and ?
order by t.name, d.download_date
"""


def with_rolling_mean(daily: pd.DataFrame) -> pd.DataFrame:
    """Add a trailing 7-day mean per technology.

    A window missing a day has no mean: an unknown day is not a zero.
    """
    rolled = []
    for _, downloads in daily.groupby("technology_id", sort=False):
        by_day = downloads.set_index("download_date")["downloads"].astype("float64")
        mean = by_day.rolling(f"{WEEK}D", min_periods=WEEK).mean()
        rolled.append(downloads.assign(rolling_mean=mean.to_numpy()))
    if not rolled:
        return daily.assign(rolling_mean=pd.Series(dtype="float64"))
    return pd.concat(rolled, ignore_index=True)


def weekly_totals(daily: pd.DataFrame, technologies: dict[str, str], end: date) -> pd.DataFrame:
    """Downloads of the 7 days ending at `end` and of the 7 days before, per technology.

    A week with a missing day has no total, and so no change: a partial sum would read as a drop.
    """
    days = (pd.Timestamp(end) - daily["download_date"]).dt.days
    rows = []
    for technology_id, name in technologies.items():
        own = daily["technology_id"] == technology_id
        last = daily.loc[own & days.between(0, WEEK - 1), "downloads"]
        previous = daily.loc[own & days.between(WEEK, 2 * WEEK - 1), "downloads"]
        last_total = int(last.sum()) if len(last) == WEEK else None
        previous_total = int(previous.sum()) if len(previous) == WEEK else None
        change = (
            (last_total - previous_total) / previous_total * 100
            if last_total is not None and previous_total
            else None
        )
        rows.append(
            {
                "Technology": name,
                "Last 7 days": last_total,
                "Previous 7 days": previous_total,
                "Change %": change,
            }
        )
    return pd.DataFrame(rows, columns=["Technology", "Last 7 days", "Previous 7 days", "Change %"])


def downloads_chart(daily: pd.DataFrame, *, rolling: bool, log_scale: bool) -> alt.Chart:
    measure, title = (
        ("rolling_mean", "Downloads, 7-day mean") if rolling else ("downloads", "Downloads")
    )
    if log_scale:
        daily = daily[daily[measure] > 0]  # a log scale cannot place zero
    return (
        alt.Chart(daily.dropna(subset=[measure]))
        .mark_line()
        .encode(
            x=alt.X("download_date:T", title=None),
            y=alt.Y(
                f"{measure}:Q", title=title, scale=alt.Scale(type="log" if log_scale else "linear")
            ),
            color=alt.Color("technology:N", title="Technology"),
            tooltip=[
                alt.Tooltip("technology:N", title="Technology"),
                alt.Tooltip("download_date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip(f"{measure}:Q", title=title, format=",.0f"),
            ],
        )
    )


st.title("Trends")

technologies = query("select technology_id, name from marts.dim_technologies order by name")
bounds = query(
    "select min(download_date) as first, max(download_date) as last "
    "from marts.fct_package_downloads_daily"
)
first, last = bounds["first"].iloc[0], bounds["last"].iloc[0]
if technologies.empty or pd.isna(last):
    st.info("The published file has no package downloads yet.")
    st.stop()
first, last = first.date(), last.date()
names = dict(zip(technologies["technology_id"], technologies["name"], strict=True))

selected = st.multiselect(
    "Technologies",
    options=list(names),
    default=list(names),
    format_func=names.__getitem__,
    key="trends_technologies",
)
picked = st.date_input(
    "Dates", value=(first, last), min_value=first, max_value=last, key="trends_dates"
)
rolling_col, log_col = st.columns(2)
rolling = rolling_col.toggle("7-day rolling mean", key="trends_rolling")
log_scale = log_col.toggle("Log scale", key="trends_log")

if not selected:
    st.info("Select at least one technology.")
    st.stop()
if len(picked) != 2:  # the picker returns one date until the range is complete
    st.info("Pick the end of the date range.")
    st.stop()
start, end = picked

# Fetch enough days before `start` for the first rolling means and the previous week's total.
fetch_from = min(start - timedelta(days=WEEK - 1), end - timedelta(days=2 * WEEK - 1))
daily = with_rolling_mean(query(DAILY_DOWNLOADS_SQL, [selected, fetch_from, end]))
in_range = daily[daily["download_date"] >= pd.Timestamp(start)]

if in_range.empty:
    st.info("No downloads recorded for these technologies and dates.")
else:
    st.altair_chart(downloads_chart(in_range, rolling=rolling, log_scale=log_scale))

st.subheader("Last 7 days")
st.caption(
    f"Downloads from {end - timedelta(days=WEEK - 1)} to {end} against the 7 days before. "
    "A week missing a day is left blank: unknown is not zero."
)
st.dataframe(
    weekly_totals(daily, {t: names[t] for t in selected}, end),
    hide_index=True,
    column_config={
        "Last 7 days": st.column_config.NumberColumn(format="localized"),
        "Previous 7 days": st.column_config.NumberColumn(format="localized"),
        "Change %": st.column_config.NumberColumn(format="%+.1f%%"),
    },
)
