"""The Trends view: technologies over time on the score or a signal; last two weeks compared."""

from datetime import date

import pytest


@pytest.fixture
def opened(published, app_test):
    at = app_test().run()
    at.switch_page("views/trends.py").run()
    assert not at.exception
    return at


@pytest.fixture
def trends(opened):
    """Trends on PyPI downloads of DuckDB and Polars (the view of issue 2)."""
    at = opened
    at.selectbox(key="trends_measure").set_value("pypi_downloads")
    at.multiselect(key="trends_technologies").set_value(["duckdb", "polars"])
    at.run()
    assert not at.exception
    return at


def weekly(at):
    table = at.dataframe[0].value
    return table.set_index("Technology")


def test_opens_on_the_score_of_the_top_ranked(opened, chart_data):
    at = opened

    assert at.title[0].value == "Trends"
    assert at.selectbox(key="trends_measure").value == "score"
    assert at.multiselect(key="trends_technologies").value == [
        "duckdb", "postgres", "polars", "rust", "luigi",
    ]  # fmt: skip
    assert len(chart_data(at.get("vega_lite_chart")[0])) == 5 * 4  # four weeks each


def test_score_shows_weekly_values(opened, chart_data):
    at = opened
    at.multiselect(key="trends_technologies").set_value(["duckdb", "luigi"]).run()

    points = chart_data(at.get("vega_lite_chart")[0])
    series = {
        name: list(zip(group["date"].dt.strftime("%Y-%m-%d"), group["value"], strict=True))
        for name, group in points.sort_values("date").groupby("technology")
    }
    weeks = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert series == {
        "DuckDB": list(zip(weeks, [120.0, 128.0, 135.0, 140.0], strict=True)),
        "Luigi": list(zip(weeks, [40.0, 38.0, 36.0, 33.0], strict=True)),
    }
    assert [h.value for h in at.subheader] == ["Latest against a week before"]
    table = weekly(at)
    assert table.loc["DuckDB", "Latest"] == "140.0"
    assert table.loc["DuckDB", "A week before"] == "135.0"
    assert table.loc["Luigi", "Change %"] == "-8.3%"  # (33 - 36) / 36


def test_signal_series_and_log_scale(opened, chart_data):
    at = opened
    at.selectbox(key="trends_measure").set_value("github_stars")
    at.multiselect(key="trends_technologies").set_value(["polars", "soda"])
    at.toggle(key="trends_log").set_value(True)
    at.run()
    assert not at.exception

    chart = at.get("vega_lite_chart")[0]
    assert '"type": "log"' in chart.proto.spec
    points = chart_data(chart)
    assert set(points["technology"]) == {"Polars"}
    assert sorted(points["value"]) == [8_000, 8_600, 9_000, 9_500]
    # Soda Core has no GitHub source: said, not drawn as zero.
    assert any("No GitHub stars (per run) for Soda Core" in c.value for c in at.caption)


def test_unavailable_daily_signal_is_not_a_zero(opened, chart_data):
    at = opened
    at.selectbox(key="trends_measure").set_value("wikipedia_pageviews")
    at.multiselect(key="trends_technologies").set_value(["duckdb", "polars"])
    at.run()

    points = chart_data(at.get("vega_lite_chart")[0])
    assert set(points["technology"]) == {"DuckDB"}  # Polars' article answered 404
    totals = weekly(at)
    assert totals.loc["DuckDB", "Last 7 days"] == "10,780"  # 7 * 1_540
    assert totals.loc["Polars", "Last 7 days"] == "no data"  # never "None"


def test_weekly_totals_and_change(trends):
    at = trends

    totals = weekly(at)
    assert totals.loc["Polars", "Last 7 days"] == "8,400"  # 7 * 1_200
    assert totals.loc["Polars", "Previous 7 days"] == "7,000"
    assert totals.loc["Polars", "Change %"] == "+20.0%"
    assert totals.loc["DuckDB", "Last 7 days"] == "12,600"  # 7 * 1_800
    assert totals.loc["DuckDB", "Change %"] == "-10.0%"


def test_daily_chart_follows_filters(trends, chart_data):
    at = trends

    points = chart_data(at.get("vega_lite_chart")[0])
    assert set(points["technology"]) == {"DuckDB", "Polars"}
    assert len(points) == 2 * 14

    at.multiselect(key="trends_technologies").set_value(["polars"])
    at.date_input(key="trends_dates").set_value((date(2026, 11, 20), date(2026, 11, 23)))
    at.run()
    points = chart_data(at.get("vega_lite_chart")[0])
    assert set(points["technology"]) == {"Polars"}
    assert len(points) == 4
    assert list(weekly(at).index) == ["Polars"]


def test_rolling_mean_and_log_scale(trends, chart_data):
    at = trends
    at.toggle(key="trends_rolling").set_value(True)
    at.toggle(key="trends_log").set_value(True)
    at.run()
    assert not at.exception

    chart = at.get("vega_lite_chart")[0]
    assert '"type": "log"' in chart.proto.spec
    polars = chart_data(chart).query("technology == 'Polars'").sort_values("date")
    # Days without a full week behind them have no mean (and no point), rather than a low one.
    assert polars["date"].dt.day.tolist() == list(range(16, 24))
    assert polars["rolling_mean"].iloc[0] == 1_000  # the first week: 1,000 a day
    assert polars["rolling_mean"].iloc[-1] == 1_200  # the last week: 1,200 a day


def test_week_missing_a_day_has_no_total(published, app_test):
    published.republish(missing_day=date(2026, 11, 20))
    at = app_test().run()
    at.switch_page("views/trends.py").run()
    at.selectbox(key="trends_measure").set_value("pypi_downloads").run()

    totals = weekly(at)
    # A partial week would read as a 14% drop; unknown is not zero.
    assert totals.loc["Polars", "Last 7 days"] == "6 of 7 days"  # a reason, not "None"
    assert totals.loc["Polars", "Change %"] == ""
    assert totals.loc["Polars", "Previous 7 days"] == "7,000"
    assert totals.loc["DuckDB", "Last 7 days"] == "12,600"


def test_publication_before_adoption_signals(published, app_test, chart_data):
    published.republish(tech_marts="absent")
    at = app_test().run()
    at.switch_page("views/trends.py").run()

    assert not at.exception
    assert "predates technology adoption signals" in at.warning[0].value
    assert at.selectbox(key="trends_measure").options == ["PyPI downloads (daily)"]
    assert set(chart_data(at.get("vega_lite_chart")[0])["technology"]) == {"DuckDB", "Polars"}
    assert weekly(at).loc["Polars", "Change %"] == "+20.0%"
