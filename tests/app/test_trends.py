"""The Trends view charts daily downloads and compares the last two weeks."""

from datetime import date

import pandas as pd
import pytest


@pytest.fixture
def trends(published, app_test):
    at = app_test().run()
    at.switch_page("views/trends.py").run()
    assert not at.exception
    return at


def weekly(at):
    table = at.dataframe[0].value
    return table.set_index("Technology")


def test_weekly_totals_and_change(trends):
    at = trends

    assert at.title[0].value == "Trends"
    assert at.multiselect(key="trends_technologies").value == ["duckdb", "polars"]
    totals = weekly(at)
    assert totals.loc["Polars", "Last 7 days"] == 7 * 1_200
    assert totals.loc["Polars", "Previous 7 days"] == 7 * 1_000
    assert totals.loc["Polars", "Change %"] == 20.0
    assert totals.loc["DuckDB", "Last 7 days"] == 7 * 1_800
    assert totals.loc["DuckDB", "Change %"] == -10.0


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
    polars = chart_data(chart).query("technology == 'Polars'").sort_values("download_date")
    # Days without a full week behind them have no mean (and no point), rather than a low one.
    assert polars["download_date"].dt.day.tolist() == list(range(16, 24))
    assert polars["rolling_mean"].iloc[0] == 1_000  # the first week: 1,000 a day
    assert polars["rolling_mean"].iloc[-1] == 1_200  # the last week: 1,200 a day


def test_week_missing_a_day_has_no_total(published, app_test):
    published.republish(missing_day=date(2026, 11, 20))
    at = app_test().run()
    at.switch_page("views/trends.py").run()

    totals = weekly(at)
    # A partial week would read as a 14% drop; unknown is not zero.
    assert pd.isna(totals.loc["Polars", "Last 7 days"])
    assert pd.isna(totals.loc["Polars", "Change %"])
    assert totals.loc["Polars", "Previous 7 days"] == 7 * 1_000
    assert totals.loc["DuckDB", "Last 7 days"] == 7 * 1_800
