"""The quality gate: GX suites over the marts of the fixture market."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from flows.quality import fct_plan_prices as prices_suite
from flows.quality import fct_releases as releases_suite
from flows.quality import validate
from tests.fixtures.radar_warehouse import TODAY, build_fixture_warehouse

SUITES = {
    "dim_competitors",
    "dim_technologies",
    "fct_plan_prices",
    "fct_package_downloads_daily",
    "fct_price_changes",
    "fct_job_postings",
    "fct_hiring_weekly",
    "fct_job_tech_mentions",
    "fct_releases",
    "fct_page_changes",
    "fct_competitor_activity_weekly",
    "fct_tech_signals_daily",
    "fct_tech_adoption_weekly",
    "fct_tech_radar",
}


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory):
    warehouse, result = build_fixture_warehouse(tmp_path_factory.mktemp("quality"))
    assert result.ok, result.summary()
    return warehouse


@pytest.fixture
def warehouse(built_warehouse, tmp_path):
    """A private copy, so a test may break its marts."""
    return shutil.copy(built_warehouse, tmp_path / "warehouse.duckdb")


def results(warehouse, run_id):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(
            "select * from ops.quality_results where run_id = ? order by suite, expectation",
            [run_id],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_suite_is_named_after_its_table():
    suite = prices_suite.suite()
    assert suite.name == "fct_plan_prices"
    assert prices_suite.TABLE == "marts.fct_plan_prices"
    types = {e.expectation_type for e in suite.expectations}
    assert "expect_column_values_to_match_regex" in types
    assert "expect_column_pair_values_a_to_be_greater_than_b" in types
    assert releases_suite.suite().name == "fct_releases"
    assert releases_suite.TABLE == "marts.fct_releases"


def test_clean_marts_pass_and_every_expectation_is_recorded(warehouse):
    report = validate(warehouse, "r3", today=TODAY)

    assert report.ok, report.describe_failures()
    assert set(report.suites) == SUITES
    assert report.failed == 0
    assert report.passed == sum(len(s.outcomes) for s in report.suites.values()) > 150
    assert report.suites["fct_plan_prices"].rows == 6
    assert {name: report.suites[name].rows for name in SUITES if name.startswith("fct_")} == {
        "fct_plan_prices": 6,
        "fct_package_downloads_daily": 5,
        "fct_price_changes": 3,
        "fct_job_postings": 7,
        "fct_hiring_weekly": 15,
        "fct_job_tech_mentions": 14,
        "fct_releases": 4,
        "fct_page_changes": 1,
        "fct_competitor_activity_weekly": 6,
        "fct_tech_signals_daily": 2052,
        "fct_tech_adoption_weekly": 128,
        "fct_tech_radar": 8,
    }
    recorded = results(warehouse, "r3")
    assert len(recorded) == report.passed
    assert all(r["success"] for r in recorded)
    assert {r["suite"] for r in recorded} == SUITES

    # validating the same run again replaces its rows
    validate(warehouse, "r3", today=TODAY)
    assert len(results(warehouse, "r3")) == report.passed


def test_a_negative_price_fails_the_gate(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_plan_prices set price = -1 "
            "where plan_price_id = 'acme:team:month:2026-11-09T06:00:00Z'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    assert not report.ok
    assert report.failed == 1
    assert report.suites["fct_plan_prices"].failed == 1
    assert report.suites["fct_package_downloads_daily"].ok
    assert "fct_plan_prices.price" in report.describe_failures()
    (failing,) = [r for r in results(warehouse, "r3") if not r["success"]]
    assert failing["suite"] == "fct_plan_prices"
    assert failing["expectation"] == "expect_column_values_to_be_between"
    assert failing["column_name"] == "price"
    details = json.loads(failing["details"])
    assert details["unexpected_count"] == 1
    assert details["partial_unexpected_list"] == [-1.0]


def test_cross_column_rules(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        # a contact-sales plan with a price, and an interval that ends before it starts
        con.execute("update marts.fct_plan_prices set price = 0 where plan_key = 'enterprise'")
        con.execute(
            "update marts.fct_plan_prices set valid_to = valid_from - interval 1 day "
            "where plan_key = 'team'"
        )
        con.execute("update marts.fct_plan_prices set currency = 'usd' where plan_key = 'team'")
        con.execute(
            "update marts.fct_plan_prices set competitor_id = 'initech' where plan_key = 'pro'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    failed = {(o.expectation, o.column_name) for o in report.failures}
    assert failed == {
        ("expect_column_values_to_be_null", "price"),
        ("expect_column_pair_values_a_to_be_greater_than_b", "valid_to,valid_from"),
        ("expect_column_values_to_match_regex", "currency"),
        ("expect_column_values_to_be_in_set", "competitor_id"),
    }


def test_downloads_rules(warehouse, tmp_path):
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_package_downloads_daily set downloads = -5, "
            "download_date = date '2026-12-01' where package_download_id = 'polars:2026-11-22'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    suite = report.suites["fct_package_downloads_daily"]
    assert {(o.expectation, o.column_name) for o in suite.outcomes if not o.success} == {
        ("expect_column_values_to_be_between", "downloads"),
        ("expect_column_values_to_be_between", "download_date"),
    }


def test_releases_rules_future_date_and_week_start(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        # published tomorrow (the runner's today is 2026-11-25), and a week starting on Tuesday
        con.execute(
            "update marts.fct_releases set published_at = timestamptz '2026-11-26 00:00:00+00', "
            "days_since_previous = -3 where release_key = 'globex:github_releases:9002'"
        )
        con.execute(
            "update marts.fct_releases set week_start = date '2026-11-10' "
            "where release_key = 'acme:feed:acme-2.4.0'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    assert not report.ok
    suite = report.suites["fct_releases"]
    failed = {(o.expectation, o.column_name): o for o in suite.outcomes if not o.success}
    assert set(failed) == {
        ("expect_column_values_to_be_between", "published_at"),
        ("expect_column_values_to_be_in_set", "week_start"),
        ("expect_column_values_to_be_between", "days_since_previous"),
    }
    assert report.failed == 3  # every other suite passes
    monday = failed[("expect_column_values_to_be_in_set", "week_start")]
    assert monday.details["unexpected_count"] == 1
    assert "2026-11-10" in str(monday.details["partial_unexpected_list"])
    # the same release a day earlier passes: "today" is inclusive
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_releases set published_at = timestamptz '2026-11-25 23:59:00+00', "
            "days_since_previous = 22, week_start = date '2026-11-09'"
            " where release_key in ('globex:github_releases:9002', 'acme:feed:acme-2.4.0')"
        )
    assert validate(warehouse, "r3", today=TODAY).ok


def test_job_postings_rules(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_job_postings set closed_at = first_seen_at - interval 1 day, "
            "salary_currency = 'usd', salary_min = -1 where job_posting_id = 'acme:greenhouse:102'"
        )
        con.execute(
            "update marts.fct_hiring_weekly set opened = -1 "
            "where hiring_week_id = 'acme:2026-11-09:Sales'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    failed = {(o.suite, o.expectation, o.column_name) for o in report.failures}
    pair = "expect_column_pair_values_a_to_be_greater_than_b"
    assert failed == {
        ("fct_job_postings", pair, "closed_at,first_seen_at"),
        ("fct_job_postings", pair, "closed_at,last_seen_at"),
        ("fct_job_postings", "expect_column_values_to_match_regex", "salary_currency"),
        ("fct_job_postings", "expect_column_values_to_be_between", "salary_min"),
        ("fct_hiring_weekly", "expect_column_values_to_be_between", "opened"),
    }


def test_a_missing_mart_fails_its_suite(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table marts.fct_package_downloads_daily")

    report = validate(warehouse, "r3", today=TODAY)

    assert not report.ok
    (outcome,) = report.suites["fct_package_downloads_daily"].outcomes
    assert outcome.expectation == "table_is_readable"
    assert "fct_package_downloads_daily" in outcome.details["error"]


def test_mondays_span_the_marts_weeks():
    import pandas as pd

    from flows.quality.runner import _mondays

    frames = {
        "a": pd.DataFrame({"week_start": pd.to_datetime(["2026-11-09", "2026-11-23"])}),
        "b": pd.DataFrame({"other": [1]}),
        "c": RuntimeError("unreadable"),
    }
    mondays = _mondays(frames)
    assert [str(m.date()) for m in mondays] == [
        "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
    ]  # fmt: skip
    assert all(m.weekday() == 0 for m in mondays)
    assert _mondays({"b": frames["b"]}) == []


def test_adoption_rules(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        # a coverage above 1, an infinite momentum, a negative score, a week on Tuesday
        con.execute(
            "update marts.fct_tech_adoption_weekly set coverage = 1.5, "
            "momentum_4w = 'inf'::double, score = -1 "
            "where adoption_week_id = 'rocket:2026-11-16'"
        )
        con.execute(
            "update marts.fct_tech_adoption_weekly set week_start = date '2026-11-10' "
            "where adoption_week_id = 'aster:2026-11-16'"
        )
        # a ring outside the four, a rank 0, and a zero nobody explained... as NULL
        con.execute("update marts.fct_tech_radar set ring = 'maybe' where technology_id = 'solo'")
        con.execute(
            "update marts.fct_tech_radar set rank_overall = 0 where technology_id = 'fader'"
        )
        con.execute(
            "update marts.fct_tech_signals_daily set value = null "
            "where tech_signal_id = 'aster:github_stars:2026-11-23'"
        )

    report = validate(warehouse, "r3", today=TODAY)

    assert not report.ok
    failed = {(o.suite, o.expectation, o.column_name) for o in report.failures}
    between = "expect_column_values_to_be_between"
    assert failed == {
        ("fct_tech_adoption_weekly", between, "coverage"),
        ("fct_tech_adoption_weekly", between, "momentum_4w"),
        ("fct_tech_adoption_weekly", between, "score"),
        ("fct_tech_adoption_weekly", "expect_column_values_to_be_in_set", "week_start"),
        ("fct_tech_radar", "expect_column_values_to_be_in_set", "ring"),
        ("fct_tech_radar", between, "rank_overall"),
        ("fct_tech_signals_daily", "expect_column_values_to_not_be_null", "value"),
    }
    # a NULL with a reason is allowed
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_tech_signals_daily set unavailable_reason = 'not reported' "
            "where tech_signal_id = 'aster:github_stars:2026-11-23'"
        )
    assert "fct_tech_signals_daily" not in {
        o.suite for o in validate(warehouse, "r3", today=TODAY).failures
    }
