"""One definition of each event, whichever page counts it: over a real demo build, This week's
tiles, its feed and its weekly activity table, the Competitors page and the Pricing page give
the same counts for every competitor and week."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP_MAIN

COLUMNS = [
    "Price changes", "Plans added", "Plans removed", "Postings opened", "Postings closed",
    "Releases", "Page changes",
]  # fmt: skip
# The feed's kinds, and the price change kinds of Competitors and Pricing, as activity columns.
KIND_COLUMN = {
    "Price increase": "Price changes", "Price decrease": "Price changes",
    "Became custom": "Price changes", "Plan added": "Plans added",
    "Plan removed": "Plans removed", "Postings opened": "Postings opened",
    "Postings closed": "Postings closed", "Release": "Releases", "Page change": "Page changes",
}  # fmt: skip


def monday(moment) -> str:
    day = pd.Timestamp(moment).tz_convert("UTC") if pd.Timestamp(moment).tzinfo else moment
    day = pd.Timestamp(day).normalize()
    return (day - pd.Timedelta(days=day.weekday())).strftime("%Y-%m-%d")


def frame_with(at, column: str) -> pd.DataFrame | None:
    return next((df.value for df in at.dataframe if column in df.value.columns), None)


def count_by_week(counts: Counter, frame: pd.DataFrame | None, when: str, what) -> None:
    """Add each row of a page's table to counts[(its Monday, activity column)]; `what` maps a
    row to {activity column: count}."""
    for row in [] if frame is None else frame.to_dict("records"):
        for column, count in what(row).items():
            counts[monday(row[when]), column] += count


@pytest.fixture(scope="module")
def app(demo_published):
    def make() -> AppTest:
        return AppTest.from_file(str(APP_MAIN), default_timeout=60)

    mp = pytest.MonkeyPatch()
    mp.setenv("RADAR_PUBLISHED_PATH", str(demo_published))
    yield make
    mp.undo()


@pytest.fixture(scope="module")
def this_week(app):
    """Per week: the tiles, the weekly table (competitor → column → count), the feed's counts."""
    at = app().run()
    assert not at.exception
    # The options read "Week of 2026-11-23 (Monday)"; the value is the date.
    weeks = [
        date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", label).group())
        for label in at.selectbox(key="this_week_week").options
    ]
    pages = {}
    for week in weeks:
        at.selectbox(key="this_week_week").set_value(week).run()
        assert not at.exception
        tiles = {metric.label: int(metric.value) for metric in at.metric}
        table = frame_with(at, "Postings opened").set_index("Competitor")
        feed = frame_with(at, "Kind")
        counts = Counter()
        for row in [] if feed is None else feed.itertuples():
            column = KIND_COLUMN[row.Kind]
            # A posting line says how many: "3 postings opened in Engineering: ..."
            many = re.match(r"(\d+) postings? ", row.Event) if "Postings" in row.Kind else None
            counts[row.Competitor, column] += int(many.group(1)) if many else 1
        pages[str(week)[:10]] = (tiles, table, counts)
    return pages


def test_the_demo_has_the_weeks_and_events_to_compare(this_week):
    assert sorted(this_week) == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    tiles, table, _ = this_week["2026-11-16"]
    # Northwind's Engineering push: 4 postings opened in the week of 2026-11-16
    assert table.loc["Northwind Analytics", "Postings opened"] == 4
    assert tiles["Postings opened"] == 4
    # The first crawl finds postings; it opens none.
    assert this_week["2026-11-02"][0]["Postings opened"] == 0


def test_tiles_feed_and_weekly_table_agree(this_week):
    for week, (tiles, table, feed) in this_week.items():
        for column in COLUMNS:
            assert tiles[column] == table[column].sum(), (week, column)
            for competitor in table.index:
                assert feed[competitor, column] == table.loc[competitor, column], (
                    week, competitor, column,
                )  # fmt: skip


def test_competitors_and_pricing_pages_agree_with_this_week(app, this_week, demo_published):
    with duckdb.connect(str(demo_published), read_only=True) as con:
        names = dict(con.sql("select competitor_id, name from marts.dim_competitors").fetchall())
    assert len(names) == 5
    at = app().run()
    at.switch_page("views/competitors.py").run()
    pricing = app().run()
    pricing.switch_page("views/pricing.py").run()
    for competitor_id, name in names.items():
        at.selectbox(key="competitors_competitor").set_value(competitor_id).run()
        assert not at.exception
        counts = Counter()
        by_kind = lambda row: {KIND_COLUMN[row["Kind"]]: 1}  # noqa: E731
        count_by_week(counts, frame_with(at, "Kind"), "When", by_kind)
        count_by_week(
            counts,
            frame_with(at, "Opened"),
            "Week",
            lambda row: {"Postings opened": row["Opened"], "Postings closed": row["Closed"]},
        )
        count_by_week(counts, frame_with(at, "Published"), "Published", lambda _: {"Releases": 1})
        count_by_week(counts, frame_with(at, "Changed"), "Changed", lambda _: {"Page changes": 1})

        pricing.selectbox(key="pricing_history_competitor").set_value(competitor_id).run()
        assert not pricing.exception
        priced = Counter()
        count_by_week(priced, frame_with(pricing, "Kind"), "When", by_kind)

        for week, (_, table, _) in this_week.items():
            for column in COLUMNS:
                expected = table.loc[name, column] if name in table.index else 0
                assert counts[week, column] == expected, ("Competitors", name, week, column)
                if column in ("Price changes", "Plans added", "Plans removed"):
                    assert priced[week, column] == expected, ("Pricing", name, week, column)
