"""This week: every competitor's changes of one week, newest first, with counts per kind."""

import pandas as pd
import streamlit as st

from app.db import query, query_mart
from app.prices import CHANGE_KINDS, describe_price_changes

ACTIVITY_COLUMNS = {
    "price_changes": "Price changes",
    "plans_added": "Plans added",
    "plans_removed": "Plans removed",
    "postings_opened": "Postings opened",
    "postings_closed": "Postings closed",
    "releases": "Releases",
    "page_changes": "Page changes",
}

WEEKS_SQL = """
select distinct week_start
from marts.fct_competitor_activity_weekly
order by week_start desc
"""

ACTIVITY_SQL = f"""
select a.week_start, c.name as competitor, {", ".join(f"a.{c}" for c in ACTIVITY_COLUMNS)},
    a.total_changes
from marts.fct_competitor_activity_weekly as a
left join marts.dim_competitors as c using (competitor_id)
where a.week_start in (?::date, ?::date)
order by a.total_changes desc, competitor
"""

PRICE_CHANGES_SQL = """
select changed_at as at, competitor_id, change_kind, plan_name, billing_period, old_price,
    new_price, change_pct, currency
from marts.fct_price_changes
where week_start = ?::date
"""

# Postings are grouped per competitor and department: a hiring push reads as one line.
POSTINGS_SQL = """
select competitor_id, coalesce(department, 'Unassigned') as department, count(*) as postings,
    max({moment}) as at, string_agg(title, ', ' order by title) as titles
from marts.fct_job_postings
where date_trunc('week', {moment})::date = ?::date
group by all
"""

RELEASES_SQL = """
select published_at as at, competitor_id, version, title, prerelease, url
from marts.fct_releases
where week_start = ?::date
"""

PAGE_CHANGES_SQL = """
select changed_at as at, competitor_id, title, url
from marts.fct_page_changes
where week_start = ?::date
"""

FEED_COLUMNS = ["When", "Competitor", "Kind", "Event", "Link"]


def postings_line(postings: int, verb: str, department: str, titles: str) -> str:
    noun = "posting" if postings == 1 else "postings"
    return f"{postings} {noun} {verb} in {department}: {titles}"


def release_line(version: str | None, title: str, prerelease: bool | None) -> str:
    # Titles often repeat the version: say it once.
    if version and version not in title:
        line = f"Released {version}: {title}"
    else:
        line = f"Released: {title}"
    return f"{line} (pre-release)" if prerelease is True else line


def change_feed(week, names: dict[str, str]) -> pd.DataFrame:
    """One row per event of the week across competitors, newest first.

    A mart missing from an older publication is explained and adds no events.
    """
    events = []
    prices = query_mart(PRICE_CHANGES_SQL, [week], what="price change tracking")
    lines = [] if prices is None else describe_price_changes(prices)
    for row, line in zip([] if prices is None else prices.itertuples(), lines, strict=True):
        kind = CHANGE_KINDS.get(row.change_kind, row.change_kind)
        events.append((row.at, row.competitor_id, kind, line, None))
    for moment, verb in (("opened_at", "opened"), ("closed_at", "closed")):
        postings = query_mart(POSTINGS_SQL.format(moment=moment), [week], what="hiring tracking")
        for row in [] if postings is None else postings.itertuples():
            line = postings_line(row.postings, verb, row.department, row.titles)
            events.append((row.at, row.competitor_id, f"Postings {verb}", line, None))
    releases = query_mart(RELEASES_SQL, [week], what="release tracking")
    for row in [] if releases is None else releases.itertuples():
        prerelease = None if pd.isna(row.prerelease) else bool(row.prerelease)
        line = release_line(row.version, row.title, prerelease)
        events.append((row.at, row.competitor_id, "Release", line, row.url))
    pages = query_mart(PAGE_CHANGES_SQL, [week], what="page change tracking")
    for row in [] if pages is None else pages.itertuples():
        line = f"Page changed: {row.title or row.url}"
        events.append((row.at, row.competitor_id, "Page change", line, row.url))
    feed = pd.DataFrame(events, columns=["When", "competitor_id", "Kind", "Event", "Link"])
    feed.insert(1, "Competitor", feed["competitor_id"].map(lambda c: names.get(c, c)))
    # An event without a page to open shows a blank cell, not "None".
    feed["Link"] = feed["Link"].fillna("")
    feed = feed.sort_values(
        ["When", "Competitor", "Kind", "Event"], ascending=[False, True, True, True]
    )
    return feed[FEED_COLUMNS].reset_index(drop=True)


st.title("This week")

weeks = query_mart(WEEKS_SQL, what="weekly competitor activity")
if weeks is None:
    st.stop()
if weeks.empty:
    st.info(
        "No competitor activity yet: the feed fills once the pipeline has crawled the "
        "competitors' sources (pricing pages, job boards, release feeds, watched pages)."
    )
    st.stop()
week_options = [week.date() for week in weeks["week_start"]]
week = st.selectbox(
    "Week",
    options=week_options,
    index=0,
    format_func=lambda week: f"Week of {week:%Y-%m-%d} (Monday)",
    key="this_week_week",
)
previous = week_options[week_options.index(week) + 1] if week != week_options[-1] else None

competitors = query("select competitor_id, name from marts.dim_competitors")
names = dict(zip(competitors["competitor_id"], competitors["name"], strict=True))

activity = query(ACTIVITY_SQL, [week, previous or week])
this = activity[activity["week_start"].dt.date == week]
before = activity[activity["week_start"].dt.date == previous] if previous else None
tiles = st.columns(len(ACTIVITY_COLUMNS))
for column, (field, label) in zip(tiles, ACTIVITY_COLUMNS.items(), strict=True):
    count = int(this[field].sum())
    delta = None if before is None else count - int(before[field].sum())
    column.metric(label, count, delta=delta, delta_color="off")
if previous:
    st.caption(f"Differences against the week of {previous:%Y-%m-%d}.")

st.subheader("Changes")
feed = change_feed(week, names)
if feed.empty:
    st.info(
        f"Nothing changed in the week of {week:%Y-%m-%d}: the competitors' sources were "
        "crawled and no price, plan, posting, release or watched page moved."
    )
else:
    st.dataframe(
        feed,
        hide_index=True,
        column_config={
            "When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Event": st.column_config.TextColumn(width="large"),
            "Link": st.column_config.LinkColumn(),
        },
    )

st.subheader("Activity per competitor")
st.caption("Zeros are real: the competitor's sources were crawled that week and nothing moved.")
st.dataframe(
    this.drop(columns="week_start").rename(
        columns={"competitor": "Competitor", **ACTIVITY_COLUMNS, "total_changes": "Total"}
    ),
    hide_index=True,
)
