"""The Competitors view: one competitor's plans, price changes, hiring, releases, pages."""

import json
from datetime import UTC, datetime

import pandas as pd
import pytest


@pytest.fixture
def competitors(published, app_test):
    at = app_test().run()
    at.switch_page("views/competitors.py").run()
    assert not at.exception
    return at


def tables(at):
    """The view's tables by the subheader they follow."""
    return {
        heading: frame.value
        for heading, frame in zip(
            [
                "Current plans",
                "Price changes",
                "Hiring by department",
                "Hiring by technology",
                "Releases",
                "Page changes",
            ],
            at.dataframe,
            strict=True,
        )
    }


def test_opens_on_the_liveliest_competitor_of_the_latest_week(competitors):
    at = competitors

    assert at.title[0].value == "Competitors"
    competitor = at.selectbox(key="competitors_competitor")
    # Northwind: 4 changes in the week of 2026-11-23, Fabrikam 3, Contoso 0.
    assert competitor.value == "northwind"
    assert competitor.options == ["Contoso Data", "Fabrikam Studio", "Northwind Analytics"]
    assert [h.value for h in at.subheader] == [
        "Current plans",
        "Price changes",
        "Hiring by department",
        "Hiring by technology",
        "Releases",
        "Page changes",
    ]


def test_plans_and_price_changes(competitors):
    shown = tables(competitors)

    plans = shown["Current plans"]
    assert list(zip(plans["Plan"], plans["Billing period"], plans["Price"], strict=True)) == [
        ("Free", "month", "0.00 USD"),
        ("Team", "month", "15.00 USD"),
        ("Team", "year", "144.00 USD"),
        ("Enterprise", "year", "Contact sales"),
    ]
    (change,) = shown["Price changes"].to_dict("records")
    assert change["Kind"] == "Price increase"
    assert change["Change"] == "Team (month): 12.00 USD → 15.00 USD (+25.0%)"
    assert (change["Old"], change["New"]) == ("12.00 USD", "15.00 USD")
    assert change["Change (abs)"] == "+3.00"
    assert change["Change %"] == "+25.0%"
    assert change["When"].isoformat() == "2026-11-16T06:00:00+00:00"


def test_hiring_by_department_over_time(competitors, chart_data):
    at = competitors

    department_chart, _technology_chart = at.get("vega_lite_chart")
    points = chart_data(department_chart)
    engineering = points[points["department"] == "Engineering"].sort_values("week_start")
    assert list(engineering["open_postings"]) == [1, 1, 1, 3]  # the surge of 2026-11-23
    # A small chart per department: Sales' and Engineering's equal counts (1 and 1 in the
    # weeks of 2026-11-02 and -09) are not drawn on top of each other.
    spec = json.loads(department_chart.proto.spec)
    assert spec["facet"]["field"] == "department"
    assert spec["columns"] == 3
    # Ticks on the data's Mondays, not every few days.
    ticks = spec["spec"]["encoding"]["x"]["axis"]["values"]
    mondays = [datetime.fromtimestamp(t / 1000, UTC).date().isoformat() for t in ticks]
    assert mondays == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    hiring = tables(at)["Hiring by department"]
    assert list(hiring.columns) == ["Week", "Department", "Open", "Opened", "Closed"]
    sales = hiring[hiring["Department"] == "Sales"]
    sales = sales.set_index(sales["Week"].astype(str))
    assert sales.loc["2026-11-16", "Closed"] == 1
    assert sales.loc["2026-11-16", "Open"] == 1


def test_hiring_by_technology_over_time(competitors, chart_data):
    at = competitors

    points = chart_data(at.get("vega_lite_chart")[1])
    assert set(points["technology"]) == {"DuckDB", "Polars"}  # names, not ids
    mentions = tables(at)["Hiring by technology"]
    latest = mentions[mentions["Week"].astype(str) == "2026-11-23"].set_index("Technology")
    assert latest.loc["DuckDB", "Open postings mentioning it"] == 2
    assert latest.loc["Polars", "New postings mentioning it"] == 1


def test_releases(competitors):
    releases = tables(competitors)["Releases"]

    assert list(releases["Version"]) == ["3.4.0", "3.3.0", "3.2.0"]  # newest first
    latest = releases.iloc[0]
    assert latest["Title"] == "Northwind 3.4.0: alerts"
    assert latest["Days since previous"] == 7
    assert latest["Published"].isoformat() == "2026-11-23T02:00:00+00:00"
    assert not latest["Pre-release"]
    assert latest["Link"] == "https://northwind.example/releases/3.4.0"
    assert pd.isna(releases.iloc[-1]["Days since previous"])  # the first has no previous


def test_page_change_diff_of_the_newest_change(competitors):
    at = competitors

    pages = tables(at)["Page changes"]
    assert list(pages["Page"]) == ["About Northwind"]
    # Two versions (before and after the one change); it opens on the newest change.
    assert at.selectbox(key="competitors_page_from").options == [
        "before 2026-11-23 06:00 (as first crawled)",
        "2026-11-23 06:00",
    ]
    assert at.selectbox(key="competitors_page_from").index == 0
    assert at.selectbox(key="competitors_page_to").index == 1
    (diff,) = at.html
    assert '<del style="' in diff.value
    assert ">small</del>" in diff.value
    assert ">growing</ins>" in diff.value
    assert "> and alerts</ins>" in diff.value
    # The stored "<n>" mask reads as words, never as a tag.
    assert "Trusted by [a number] customers" in diff.value
    assert "<n>" not in diff.value
    before, after, unified = at.code  # side by side, then the unified diff
    assert before.value.startswith("Northwind helps small teams build dashboards.")
    assert after.value.startswith("Northwind helps growing teams build dashboards and alerts.")
    assert "Trusted by [a number] customers" in after.value
    assert unified.language == "diff"
    assert "-Northwind helps small teams build dashboards." in unified.value
    assert "+Northwind helps growing teams build dashboards and alerts." in unified.value


def test_the_same_version_twice_is_not_a_diff(competitors):
    at = competitors.selectbox(key="competitors_page_from").set_value(1).run()

    assert not at.exception
    assert "Pick two different versions" in at.info[-1].value
    assert not at.html


def test_other_competitor(competitors):
    at = competitors.selectbox(key="competitors_competitor").set_value("fabrikam").run()
    assert not at.exception

    changes = at.dataframe[1].value
    assert list(changes["Change"]) == [
        "Legacy (month) removed (was 10.00 GBP)",
        "Studio (month) added: 30.00 GBP",
    ]
    # no old price for an added plan, no new one for a removed plan: blanks, never "None"
    assert list(zip(changes["Old"], changes["New"], strict=True)) == [
        ("10.00 GBP", ""),
        ("", "30.00 GBP"),
    ]
    # nothing to compare for either: blank change cells
    assert list(changes["Change (abs)"]) == ["", ""]
    assert list(changes["Change %"]) == ["", ""]
    infos = [info.value for info in at.info]
    assert any(i.startswith("No open posting of Fabrikam Studio mentions") for i in infos)
    assert any(i.startswith("No reworded pages for Fabrikam Studio") for i in infos)
    releases = at.dataframe[-1].value
    assert list(releases["Version"]) == ["1.0.0-rc.1"]
    assert bool(releases.iloc[0]["Pre-release"]) is True


def test_empty_marts_say_what_fills_them(published, app_test):
    published.republish(competitor_marts="empty")
    at = app_test().run()
    at.switch_page("views/competitors.py").run()

    assert not at.exception
    assert at.selectbox(key="competitors_competitor").value == "contoso"  # first by name
    infos = " ".join(info.value for info in at.info)
    assert "No price changes for Contoso Data yet" in infos
    assert "`greenhouse`, `lever` or `jobposting`" in infos
    assert "`feed` (RSS/Atom) or a `github_releases` source" in infos
    assert "a `pages` source watches a page" in infos
    assert len(at.dataframe) == 1  # the current plans


def test_publication_before_competitor_marts(published, app_test):
    published.republish(competitor_marts="absent")
    at = app_test().run()
    at.switch_page("views/competitors.py").run()

    assert not at.exception
    warnings = [warning.value for warning in at.warning]
    assert [w.split(" (")[0] for w in warnings] == [
        "This publication predates price change tracking",
        "This publication predates hiring tracking",
        "This publication predates technology mentions in jobs",
        "This publication predates release tracking",
        "This publication predates page change tracking",
    ]
    assert all("run the pipeline again" in w for w in warnings)
    assert len(at.dataframe) == 1  # plans still show: that mart predates issue 3
