"""Competitors: one competitor's plans, price changes, hiring, releases and reworded pages."""

import altair as alt
import pandas as pd
import streamlit as st

from app.charts import DATE_FORMAT, weekly_axis
from app.db import query, query_mart
from app.diff import page_versions, unified_diff, unmask, word_diff_html
from app.prices import CHANGE_KINDS, describe_price_changes, format_price
from app.text import number_text

# The competitor with the most changes in the latest crawled week opens the page.
LIVELIEST_SQL = """
select competitor_id
from marts.fct_competitor_activity_weekly
where week_start = (select max(week_start) from marts.fct_competitor_activity_weekly)
order by total_changes desc, competitor_id
limit 1
"""

CURRENT_PLANS_SQL = """
select plan_name, billing_period, price, currency, unit, is_custom, features, valid_from
from marts.fct_plan_prices
where competitor_id = ? and is_current
order by is_custom, price nulls last, plan_name, billing_period
"""

PRICE_CHANGES_SQL = """
select plan_name, billing_period, change_kind, old_price, new_price, change_abs, change_pct,
    currency, changed_at
from marts.fct_price_changes
where competitor_id = ?
order by changed_at desc, plan_name, billing_period
"""

HIRING_SQL = """
select week_start, department, open_postings, opened, closed
from marts.fct_hiring_weekly
where competitor_id = ?
order by week_start, department
"""

TECH_MENTIONS_SQL = """
select m.week_start, coalesce(t.name, m.technology_id) as technology, m.open_postings,
    m.new_postings
from marts.fct_job_tech_mentions as m
left join marts.dim_technologies as t using (technology_id)
where m.competitor_id = ?
order by m.week_start, technology
"""

RELEASES_SQL = """
select version, title, published_at, days_since_previous, prerelease, source, url
from marts.fct_releases
where competitor_id = ?
order by published_at desc
"""

# The texts stay in the file until a change is picked: only then are they read and diffed.
PAGE_CHANGES_SQL = """
select page_change_id, changed_at, title, url, chars_before, chars_after
from marts.fct_page_changes
where competitor_id = ?
order by changed_at desc, url
"""

PAGE_VERSIONS_SQL = """
select changed_at, previous_text, text
from marts.fct_page_changes
where competitor_id = ? and url = ?
"""


def plans_table(plans: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Plan": plans["plan_name"],
            "Billing period": plans["billing_period"],
            "Price": [
                format_price(row.price, row.currency, row.is_custom) for row in plans.itertuples()
            ],
            # a flat price states no unit: a blank cell, not "None"
            "Unit": plans["unit"].fillna(""),
            "Features": [", ".join(features) for features in plans["features"]],
            "Since": plans["valid_from"],
        }
    )


def price_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "When": changes["changed_at"],
            "Kind": changes["change_kind"].map(lambda kind: CHANGE_KINDS.get(kind, kind)),
            "Change": describe_price_changes(changes),
            # an added plan had no old price, a removed one has no new price: blank, not "None"
            "Old": [format_price(r.old_price, r.currency) or "" for r in changes.itertuples()],
            "New": [format_price(r.new_price, r.currency) or "" for r in changes.itertuples()],
            # nothing to compare for an added or removed plan: blank, not "None"
            "Change (abs)": [number_text(v, "+.2f") for v in changes["change_abs"]],
            "Change %": [number_text(v, "+.1f%") for v in changes["change_pct"]],
        }
    )


def weekly_chart(data: pd.DataFrame, series: str, title: str) -> alt.FacetChart:
    """Open postings per week, a small chart per `series` (department or technology): lines
    of equal counts would lie on top of each other in one chart and hide whole series."""
    return (
        alt.Chart(data[["week_start", series, "open_postings"]])
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title="Week (Monday)", axis=weekly_axis(data["week_start"])),
            y=alt.Y("open_postings:Q", title="Open postings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{series}:N", title=title, legend=None),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week", format=DATE_FORMAT),
                alt.Tooltip(f"{series}:N", title=title),
                alt.Tooltip("open_postings:Q", title="Open postings"),
            ],
        )
        .properties(width=220, height=140)
        .facet(facet=alt.Facet(f"{series}:N", title=None), columns=3)
    )


WEEK_COLUMN = st.column_config.DateColumn("Week", format="YYYY-MM-DD")

st.title("Competitors")

competitors = query("select competitor_id, name from marts.dim_competitors order by name")
if competitors.empty:
    st.info("The published file has no competitors yet: add them to the catalog and run.")
    st.stop()
names = dict(zip(competitors["competitor_id"], competitors["name"], strict=True))

# Only a preference: an older publication without the mart opens on the first competitor.
liveliest = query_mart(LIVELIEST_SQL, what="weekly competitor activity", explain=False)
default = (
    liveliest["competitor_id"].iloc[0]
    if liveliest is not None and not liveliest.empty and liveliest["competitor_id"].iloc[0] in names
    else next(iter(names))
)
competitor_id = st.selectbox(
    "Competitor",
    options=list(names),
    index=list(names).index(default),
    format_func=names.__getitem__,
    key="competitors_competitor",
)
name = names[competitor_id]

st.subheader("Current plans")
plans = query(CURRENT_PLANS_SQL, [competitor_id])
if plans.empty:
    st.info(f"No current plans for {name}: a `pricing` source in the catalog would fill this.")
else:
    st.dataframe(
        plans_table(plans),
        hide_index=True,
        column_config={"Since": st.column_config.DatetimeColumn(format="YYYY-MM-DD")},
    )

st.subheader("Price changes")
changes = query_mart(PRICE_CHANGES_SQL, [competitor_id], what="price change tracking")
if changes is not None and changes.empty:
    st.info(
        f"No price changes for {name} yet: they appear when a later crawl of its pricing "
        "page finds a different price, a new plan or a plan gone."
    )
elif changes is not None:
    st.dataframe(
        price_changes_table(changes),
        hide_index=True,
        column_config={
            "When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        },
    )

st.subheader("Hiring by department")
hiring = query_mart(HIRING_SQL, [competitor_id], what="hiring tracking")
if hiring is not None and hiring.empty:
    st.info(
        f"No job postings tracked for {name}: a `greenhouse`, `lever` or `jobposting` "
        "(careers page) source in the catalog would fill this."
    )
elif hiring is not None:
    st.altair_chart(weekly_chart(hiring, "department", "Department"))
    st.dataframe(
        hiring.rename(
            columns={
                "week_start": "Week",
                "department": "Department",
                "open_postings": "Open",
                "opened": "Opened",
                "closed": "Closed",
            }
        ),
        hide_index=True,
        column_config={"Week": WEEK_COLUMN},
    )

st.subheader("Hiring by technology")
mentions = query_mart(TECH_MENTIONS_SQL, [competitor_id], what="technology mentions in jobs")
if mentions is not None and mentions.empty:
    st.info(
        f"No open posting of {name} mentions a catalog technology: the mentions come from "
        "job descriptions matched against the technologies' names, aliases and patterns."
    )
elif mentions is not None:
    st.altair_chart(weekly_chart(mentions, "technology", "Technology"))
    st.dataframe(
        mentions.rename(
            columns={
                "week_start": "Week",
                "technology": "Technology",
                "open_postings": "Open postings mentioning it",
                "new_postings": "New postings mentioning it",
            }
        ),
        hide_index=True,
        column_config={"Week": WEEK_COLUMN},
    )

st.subheader("Releases")
releases = query_mart(RELEASES_SQL, [competitor_id], what="release tracking")
if releases is not None and releases.empty:
    st.info(
        f"No releases tracked for {name}: a release-notes `feed` (RSS/Atom) or a "
        "`github_releases` source in the catalog would fill this."
    )
elif releases is not None:
    st.dataframe(
        releases.rename(
            columns={
                "version": "Version",
                "title": "Title",
                "published_at": "Published",
                "days_since_previous": "Days since previous",
                "prerelease": "Pre-release",
                "source": "Source",
                "url": "Link",
            }
        ),
        hide_index=True,
        column_config={
            "Published": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Days since previous": st.column_config.NumberColumn(format="%d"),
            "Pre-release": st.column_config.CheckboxColumn(help="Empty: the feed does not say"),
            "Link": st.column_config.LinkColumn(),
        },
    )

st.subheader("Page changes")
pages = query_mart(PAGE_CHANGES_SQL, [competitor_id], what="page change tracking")
if pages is not None and pages.empty:
    st.info(
        f"No reworded pages for {name}: a `pages` source watches a page, and a change shows "
        "here when its wording differs from the previous crawl (dates and counters ignored)."
    )
elif pages is not None:
    st.dataframe(
        pages.drop(columns="page_change_id").rename(
            columns={
                "changed_at": "Changed",
                "title": "Page",
                "url": "URL",
                "chars_before": "Characters before",
                "chars_after": "Characters after",
            }
        ),
        hide_index=True,
        column_config={
            "Changed": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "URL": st.column_config.LinkColumn(),
        },
    )
    # Any two versions of a page: the text before its first change and after each change.
    titles = dict(zip(pages["url"], pages["title"].fillna(pages["url"]), strict=True))
    url = st.selectbox(
        "Page",
        options=list(titles),  # the most recently changed first
        format_func=titles.__getitem__,
        key="competitors_page",
    )
    versions = page_versions(query(PAGE_VERSIONS_SQL, [competitor_id, url]))
    labels = [label for label, _ in versions]
    from_col, to_col = st.columns(2)
    # Opens on the newest change: the version before it against the latest.
    older = from_col.selectbox(
        "From", range(len(versions)), index=len(versions) - 2,
        format_func=labels.__getitem__, key="competitors_page_from",
    )  # fmt: skip
    newer = to_col.selectbox(
        "To", range(len(versions)), index=len(versions) - 1,
        format_func=labels.__getitem__, key="competitors_page_to",
    )  # fmt: skip
    before, after = versions[older][1], versions[newer][1]
    if older == newer:
        st.info("Pick two different versions to compare.")
    else:
        highlighted, side_by_side, unified = st.tabs(["Inline", "Side by side", "Unified diff"])
        with highlighted:
            st.caption(
                "Removed words are struck through in red, added words are in green. Numbers, "
                "dates and times are stored masked (a new date is not a change) and show as "
                "[a number], [a date], [a time]."
            )
            st.html(word_diff_html(before, after))
        with side_by_side:
            left, right = st.columns(2)
            left.caption(labels[older])
            left.code(unmask(before), language=None, wrap_lines=True)
            right.caption(labels[newer])
            right.code(unmask(after), language=None, wrap_lines=True)
        with unified:
            st.code(unified_diff(before, after) or "(no line differs)", language="diff")
