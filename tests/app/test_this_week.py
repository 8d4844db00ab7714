"""The This week view: one week's changes across competitors, counts per kind, activity."""

import pytest


@pytest.fixture
def this_week(published, app_test):
    at = app_test().run()  # This week is the default page
    assert not at.exception
    return at


def feed(at):
    return at.dataframe[0].value


def tiles(at):
    return {metric.label: metric.value for metric in at.metric}


def test_opens_on_the_latest_week(this_week):
    at = this_week

    assert at.title[0].value == "This week"
    week = at.selectbox(key="this_week_week")
    assert str(week.value) == "2026-11-23"
    assert [str(option) for option in week.options] == [
        "Week of 2026-11-23 (Monday)",
        "Week of 2026-11-16 (Monday)",
        "Week of 2026-11-09 (Monday)",
        "Week of 2026-11-02 (Monday)",
    ]


def test_feed_of_the_latest_week(this_week):
    events = feed(this_week)

    assert list(events.columns) == ["When", "Competitor", "Kind", "Event", "Link"]
    lines = list(zip(events["Competitor"], events["Kind"], events["Event"], strict=True))
    assert lines == [
        # Crawl of 2026-11-23 06:00, then the release published at 02:00 that morning.
        ("Fabrikam Studio", "Plan added", "Studio (month) added: 30.00 GBP"),
        ("Fabrikam Studio", "Plan removed", "Legacy (month) removed (was 10.00 GBP)"),
        ("Fabrikam Studio", "Postings closed", "1 posting closed in Design: Product Designer"),
        ("Northwind Analytics", "Page change", "Page changed: About Northwind"),
        (
            "Northwind Analytics",
            "Postings opened",
            "2 postings opened in Engineering: Backend Engineer, Platform Engineer",
        ),
        ("Northwind Analytics", "Release", "Released: Northwind 3.4.0: alerts"),
    ]
    assert events["When"].is_monotonic_decreasing
    release = events[events["Kind"] == "Release"].iloc[0]
    assert release["Link"] == "https://northwind.example/releases/3.4.0"
    # no link is a blank cell, never the word "None"
    assert set(events.loc[events["Kind"] == "Plan added", "Link"]) == {""}


def test_tiles_count_each_kind_against_the_week_before(this_week):
    at = this_week

    assert tiles(at) == {
        "Price changes": "0",
        "Plans added": "1",
        "Plans removed": "1",
        "Postings opened": "2",
        "Postings closed": "1",
        "Releases": "1",
        "Page changes": "1",
    }
    deltas = {metric.label: metric.delta for metric in at.metric}
    assert deltas["Price changes"] == "-1"  # the Team rise was the week before
    assert deltas["Releases"] == "-2"  # 3.3.0, 1.9.0 and the 1.0.0 pre-release before


def test_activity_table_per_competitor(this_week):
    activity = this_week.dataframe[1].value.set_index("Competitor")

    assert list(activity.index) == ["Northwind Analytics", "Fabrikam Studio", "Contoso Data"]
    assert activity.loc["Northwind Analytics", "Total"] == 4
    assert activity.loc["Fabrikam Studio", "Plans added"] == 1
    assert activity.loc["Fabrikam Studio", "Postings closed"] == 1
    # Crawled, nothing changed: a real zero row, not a missing one.
    assert activity.loc["Contoso Data", "Total"] == 0


def test_price_rise_in_an_earlier_week(this_week):
    at = this_week.selectbox(key="this_week_week").select_index(1).run()
    assert not at.exception

    events = feed(at)
    assert "Team (month): 12.00 USD → 15.00 USD (+25.0%)" in set(events["Event"])
    rise = events[events["Kind"] == "Price increase"].iloc[0]
    assert rise["Competitor"] == "Northwind Analytics"
    assert rise["When"].isoformat() == "2026-11-16T06:00:00+00:00"
    assert "1 posting closed in Sales: Account Executive" in set(events["Event"])
    assert "Released 1.0.0-rc.1: Fabrikam 1.0.0-rc.1 (pre-release)" not in set(events["Event"])
    assert "Released: Fabrikam 1.0.0-rc.1 (pre-release)" in set(events["Event"])
    assert "Page changed: Careers at Contoso" in set(events["Event"])
    assert tiles(at)["Price changes"] == "1"


def test_first_crawled_week_has_only_openings(published, app_test):
    at = app_test().run()
    at.selectbox(key="this_week_week").select_index(3).run()  # 2026-11-02: first crawls
    at.run()

    events = feed(at)
    assert set(events["Kind"]) == {"Postings opened"}


def test_empty_marts_say_what_fills_them(published, app_test):
    published.republish(competitor_marts="empty")
    at = app_test().run()

    assert not at.exception
    (info,) = at.info
    assert "No competitor activity yet" in info.value
    assert "pricing pages, job boards, release feeds, watched pages" in info.value
    assert not at.dataframe


def test_publication_before_competitor_marts(published, app_test):
    published.republish(competitor_marts="absent")
    at = app_test().run()

    assert not at.exception
    (warning,) = at.warning
    assert warning.value.startswith("This publication predates weekly competitor activity")
    assert "`fct_competitor_activity_weekly` is not in" in warning.value
    assert "run the pipeline again" in warning.value
    assert not at.dataframe
