"""Views over a real demo build: what a new user sees first must be true of the demo market."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP_MAIN


@pytest.fixture
def demo_app(demo_published, monkeypatch):
    monkeypatch.setenv("RADAR_PUBLISHED_PATH", str(demo_published))
    return AppTest.from_file(str(APP_MAIN), default_timeout=60)


def test_trends_default_dates_end_on_the_measures_last_day(demo_app):
    at = demo_app.run()
    at.switch_page("views/trends.py").run()
    # The adoption score's last week starts 2026-11-16 (the demo's last complete week), though
    # stars were read on 2026-11-23 and downloads end on 2026-11-22.
    assert at.selectbox(key="trends_measure").value == "score"
    assert at.date_input(key="trends_dates").value[1] == date(2026, 11, 16)

    at.selectbox(key="trends_measure").set_value("pypi_downloads").run()

    assert not at.exception
    assert at.date_input(key="trends_dates").value == (date(2026, 7, 5), date(2026, 11, 22))
    (totals,) = at.dataframe
    pandas = totals.value.set_index("Technology").loc["pandas"]
    # A full week of downloads, not a blank for a day that has no data yet
    assert pandas["Last 7 days"] == "61,039,319"
    assert pandas["Previous 7 days"] == "59,758,107"


def test_ranking_against_4_12_and_52_weeks(demo_app):
    at = demo_app.run()
    at.switch_page("views/ranking.py").run()

    assert not at.exception
    assert at.title[0].value == "Ranking"
    table = at.dataframe[0].value.set_index("Technology")
    assert list(table.index[:3]) == ["pandas", "Go", "Apache Arrow (PyArrow)"]
    hadoop = table.loc["Apache Hadoop"]
    # 8th now, 5th four weeks ago: down three places
    assert hadoop["Rank"] == 8
    assert hadoop["Rank vs 4 weeks ago"] == -3
    assert round(hadoop["Score vs 12 weeks ago"], 1) == -11.8
    # The demo's history is 20 weeks: no 52-week change, and the caption says why.
    assert table["Rank vs 52 weeks ago"].isna().all()
    assert "history starts in the week of 2026-07-06 (20 weeks)" in at.caption[0].value
    # R is scored for fewer than 4 weeks: blank, with the date it was first scored
    assert pd.isna(table.loc["R", "Rank vs 4 weeks ago"])
    assert pd.Timestamp(table.loc["R", "Scored since"]).date() > date(2026, 10, 19)
    # one point per scored week: pandas from 2026-07-13 to 2026-11-16
    assert len(table.loc["pandas", "Score, last 52 weeks"]) == 19


def test_published_ops_columns_carry_their_comments(demo_published):
    with duckdb.connect(str(demo_published), read_only=True) as con:
        undocumented = con.execute(
            "select table_name || '.' || column_name from duckdb_columns() "
            "where schema_name in ('ops', 'marts') and coalesce(comment, '') = ''"
        ).fetchall()
        (comment,) = con.execute(
            "select comment from duckdb_columns() where schema_name = 'ops' "
            "and table_name = 'runs' and column_name = 'observed_at'"
        ).fetchone()
    assert undocumented == []
    assert comment.startswith("The observation time stamped on every row the run crawled")


def test_data_health_names_subjects_not_ids(demo_app):
    at = demo_app.run()
    at.switch_page("views/health.py").run()

    assert not at.exception
    failed = [e.value for e in at.error if "source failed" in e.value]
    assert len(failed) == 1
    # the demo's deliberately broken source, its subject by name
    assert "technology Dagster" in failed[0]
    assert "technology dagster" not in failed[0]


def test_weekly_trends_tick_on_mondays(demo_app):
    at = demo_app.run()
    at.switch_page("views/trends.py").run()  # the adoption score, weekly

    (chart,) = at.get("vega_lite_chart")
    ticks = json.loads(chart.proto.spec)["encoding"]["x"]["axis"]["values"]
    days = [datetime.fromtimestamp(t / 1000, UTC).date() for t in ticks]
    assert {day.weekday() for day in days} == {0}  # Mondays only
    assert days[-1] == date(2026, 11, 16)
    assert len(days) == 20  # one a week, from the week of 2026-07-06


def test_radar_movement_since_the_previous_radar_week(demo_app, demo_published):
    with duckdb.connect(str(demo_published), read_only=True) as con:
        moves = dict(
            con.execute(
                "select name, previous_ring || ' -> ' || ring || ': ' || movement "
                "from marts.fct_tech_radar"
            ).fetchall()
        )
    # The demo's radar is as of 2026-11-16 (its last complete week) and compares with the
    # week of 2026-11-09: the rules give every technology the same ring both weeks.
    assert moves["DuckDB"] == "assess -> assess: no change"
    assert moves["Apache Hadoop"] == "hold -> hold: no change"
    assert moves["Polars"] == "trial -> trial: no change"
    # R, first scored in the last four weeks, was already on the previous radar: not "new".
    assert moves["R"] == "assess -> assess: no change"
    assert len(moves) == 14
    assert all(m.endswith("no change") for m in moves.values())

    at = demo_app.run()
    at.switch_page("views/radar.py").run()
    assert not at.exception
    lists = "\n".join(md.value for md in at.markdown)
    assert "DuckDB: assess, no change" in lists
    assert "R: assess, no change" in lists


def test_pricing_comparison_in_one_reporting_currency(demo_app):
    at = demo_app.run()
    at.switch_page("views/comparison.py").run()
    at.selectbox(key="comparison_reporting").set_value("in EUR").run()
    assert not at.exception

    table = at.dataframe[0].value
    table = table.set_index(
        table["Competitor"] + ": " + table["Plan"] + " " + table["Billing period"]
    )
    # 15.00 USD a seat a month at EUR 1 = 1.0389 USD (ECB, 2024-12-31)
    assert table.loc["Northwind Analytics: Team month", "Per seat / month in EUR"] == 14.44
    assert table.loc["Bluebird Data: Pro month", "Per seat / month in EUR"] == 49.0
    # ranked by the converted amount: Team (month) at 14.44 EUR before Starter (year) at 15.83
    ranked = list(table.index)
    assert ranked.index("Northwind Analytics: Team month") < ranked.index(
        "Bluebird Data: Starter year"
    )
    assert len(at.get("vega_lite_chart")) == 1  # every competitor on one axis, in euros
