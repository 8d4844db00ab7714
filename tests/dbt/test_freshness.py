"""dbt source freshness of the raw tables on observed_at, thresholds per source kind
(flows.dbt.source_freshness), over a warehouse whose newest observations are 2 hours,
50 hours and 5 days old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.dbt import _freshness_block, source_freshness
from flows.ledger import record_freshness
from flows.load import load_run
from tests.fixtures.radar_warehouse import R1, job, make_project, page, plan, rows, write_jsonl

DEFAULT = (36, 84)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("freshness")
    project = make_project(root)
    warehouse = root / "warehouse.duckdb"
    now = datetime.now(UTC).replace(microsecond=0)
    newest = {"2h": now - timedelta(hours=2), "50h": now - timedelta(hours=50),
              "5d": now - timedelta(days=5)}  # fmt: skip

    def at(run):
        return {"run_id": run, "observed_at": newest[run].isoformat()}

    landing = {
        "2h": {
            "pricing": [plan(R1, "acme", "Pro", "10.00", **at("2h"))],
            "pages": [page(R1, "acme-about", "About", "About Acme.") | at("2h")],
        },
        "50h": {"greenhouse": [job(R1, "acme-greenhouse", "101", "Engineer", **at("50h"))]},
        "5d": {"lever": [job(R1, "globex-lever", "L-1", "Engineer", **at("5d"))]},
    }
    for run, items in landing.items():
        files = {k: write_jsonl(root / "landing" / k / f"{run}.jsonl", v) for k, v in items.items()}
        load_run(warehouse, run, files)
    thresholds = {
        "pricing": DEFAULT,
        "lever": DEFAULT,
        "greenhouse": DEFAULT,
        "pages": (1.5, 2.5),  # 90 and 150 minutes: the 2 hours old page warns
        "feed": DEFAULT,  # nothing loaded
        "no_such_spider": DEFAULT,
    }
    result = source_freshness(warehouse, "real", thresholds, project_dir=project)
    return warehouse, newest, result


def test_each_kind_is_checked_with_its_thresholds(checked):
    _, newest, result = checked
    summary = [
        (r["source_kind"], r["status"], r["max_observed_at"], r["warn_after_hours"],
         r["error_after_hours"])
        for r in result
    ]  # fmt: skip
    assert summary == [
        ("pricing", "pass", newest["2h"], 36.0, 84.0),
        ("lever", "error", newest["5d"], 36.0, 84.0),
        ("greenhouse", "warn", newest["50h"], 36.0, 84.0),
        ("pages", "warn", newest["2h"], 1.5, 2.5),
        ("feed", "error", None, 36.0, 84.0),
        ("no_such_spider", "runtime error", None, 36.0, 84.0),
    ]
    ages = {r["source_kind"]: r["age_hours"] for r in result}
    # measured when dbt ran, a few seconds after the rows were written
    assert ages["pricing"] == pytest.approx(2, abs=0.1)
    assert ages["lever"] == pytest.approx(120, abs=0.1)
    assert ages["greenhouse"] == pytest.approx(50, abs=0.1)
    assert ages["feed"] is None


def test_ages_are_judged_at_the_runs_clock_and_an_unchanged_crawl_counts(checked, tmp_path):
    warehouse, newest, _ = checked
    project = make_project(tmp_path)
    # a run observed a day after the newest pricing row (the demo's clock, not today's), in
    # which Globex's Lever board answered with the same postings: not loaded again, but seen
    as_of = newest["2h"] + timedelta(days=1)
    result = source_freshness(
        warehouse,
        "real",
        {"pricing": DEFAULT, "lever": DEFAULT},
        project_dir=project,
        as_of=as_of,
        crawled={"lever": as_of - timedelta(hours=1)},
    )
    summary = [(r["source_kind"], r["status"], round(r["age_hours"], 1)) for r in result]
    assert summary == [("pricing", "pass", 24.0), ("lever", "pass", 1.0)]
    assert {r["checked_at"] for r in result} == {as_of}


def test_a_stale_or_empty_kind_says_why(checked):
    _, _, result = checked
    errors = {r["source_kind"]: r["error"] for r in result}
    assert errors["pricing"] is None
    assert errors["lever"] == "last observation 120.0 h ago, over the error threshold of 84 h"
    assert errors["pages"] == "last observation 2.0 h ago, over the warn threshold of 1.5 h"
    assert errors["feed"] == "raw.feed has no rows: nothing of this kind was ever loaded"
    assert errors["no_such_spider"] == "dbt has no source raw.no_such_spider to check"


def test_checked_at_is_the_time_of_the_check_in_utc(checked):
    _, newest, result = checked
    for row in result:
        assert row["checked_at"].tzinfo is not None
        assert timedelta(0) <= row["checked_at"] - (newest["2h"] + timedelta(hours=2))
        assert row["checked_at"] - newest["2h"] < timedelta(hours=2, minutes=5)


def test_the_rows_fit_the_ledger(checked):
    warehouse, newest, result = checked
    record_freshness(warehouse, "run-f", result)
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        stored = rows(
            con,
            "select source_kind, status, max_observed_at from ops.source_freshness "
            "where run_id = 'run-f' order by source_kind",
        )
    assert stored == [
        {"source_kind": "feed", "status": "error", "max_observed_at": None},
        {"source_kind": "greenhouse", "status": "warn", "max_observed_at": newest["50h"]},
        {"source_kind": "lever", "status": "error", "max_observed_at": newest["5d"]},
        {"source_kind": "no_such_spider", "status": "runtime error", "max_observed_at": None},
        {"source_kind": "pages", "status": "warn", "max_observed_at": newest["2h"]},
        {"source_kind": "pricing", "status": "pass", "max_observed_at": newest["2h"]},
    ]


def test_thresholds_become_dbt_freshness_blocks():
    assert _freshness_block(36, 84) == {
        "warn_after": {"count": 36, "period": "hour"},
        "error_after": {"count": 84, "period": "hour"},
    }
    assert _freshness_block(1.5, 24.25) == {
        "warn_after": {"count": 90, "period": "minute"},
        "error_after": {"count": 1455, "period": "minute"},
    }


def test_thresholds_must_be_positive_and_ordered(tmp_path):
    with pytest.raises(ValueError, match="0 < warn_after_hours <= error_after_hours"):
        source_freshness(tmp_path / "w.duckdb", "real", {"pricing": (84, 36)})
    assert source_freshness(tmp_path / "w.duckdb", "real", {}) == []
