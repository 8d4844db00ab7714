"""Only complete crawls close things: a crawl the run ledger (ops.source_runs) records as
partial or failed keeps its items but closes no plan and no posting and is not a crawl.

Four weekly runs a1..a4 (Mondays 2026-11-02, -09, -16, -23 at 06:00 UTC) over the fixture
catalog (tests/fixtures/radar_warehouse.py); "-" = no ledger row (history from before it):

| source          | a1      | a2      | a3      | a4     | listed                          |
| acme-greenhouse | -       | -       | partial | ok     | 101 102 103 / 101 102 / 101 / 101 |
| globex-lever    | -       | ok      | partial | failed | L-1 L-2 L-3 / L-1 L-2 / L-1 / L-1 |
| globex-careers  | partial | ok      | ok      | ok     | A / A B / A B C / A B C         |
| acme-pricing    | -       | partial | ok      | ok     | Pro Team / Pro / Pro Team / Pro |
| globex-pricing  | partial | ok      | ok      | ok     | Basic / +Plus / +Max / same     |
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.dbt import dbt_build
from flows.ledger import record_source_runs
from flows.load import load_run
from tests.fixtures.radar_warehouse import R1, job, make_project, plan, rows, write_jsonl

WHEN = {
    "a1": datetime(2026, 11, 2, 6, tzinfo=UTC),
    "a2": datetime(2026, 11, 9, 6, tzinfo=UTC),
    "a3": datetime(2026, 11, 16, 6, tzinfo=UTC),
    "a4": datetime(2026, 11, 23, 6, tzinfo=UTC),
}
A1, A2, A3, A4 = WHEN.values()

# run -> source_id -> status (absent: no ledger row)
LEDGER = {
    "a1": {"globex-careers": "partial", "globex-pricing": "partial"},
    "a2": {"globex-lever": "ok", "globex-careers": "ok", "acme-pricing": "partial",
           "globex-pricing": "ok"},
    "a3": {"acme-greenhouse": "partial", "globex-lever": "partial", "globex-careers": "ok",
           "acme-pricing": "ok", "globex-pricing": "ok"},
    "a4": {"acme-greenhouse": "ok", "globex-lever": "failed", "globex-careers": "ok",
           "acme-pricing": "ok", "globex-pricing": "ok"},
}  # fmt: skip
KIND = {
    "acme-greenhouse": "greenhouse",
    "globex-lever": "lever",
    "globex-careers": "jobposting",
    "acme-pricing": "pricing",
    "globex-pricing": "pricing",
}
LISTED = {
    "acme-greenhouse": {"a1": ["101", "102", "103"], "a2": ["101", "102"], "a3": ["101"],
                        "a4": ["101"]},
    "globex-lever": {"a1": ["L-1", "L-2", "L-3"], "a2": ["L-1", "L-2"], "a3": ["L-1"],
                     "a4": ["L-1"]},
    "globex-careers": {"a1": ["A"], "a2": ["A", "B"], "a3": ["A", "B", "C"],
                       "a4": ["A", "B", "C"]},
}  # fmt: skip
PLANS = {
    ("acme", "a1"): [("Pro", "10.00"), ("Team", "30.00")],
    ("acme", "a2"): [("Pro", "10.00")],
    ("acme", "a3"): [("Pro", "10.00"), ("Team", "30.00")],
    ("acme", "a4"): [("Pro", "10.00")],
    ("globex", "a1"): [("Basic", "9.00")],
    ("globex", "a2"): [("Basic", "9.00"), ("Plus", "19.00")],
    ("globex", "a3"): [("Basic", "9.00"), ("Plus", "19.00"), ("Max", "29.00")],
    ("globex", "a4"): [("Basic", "9.00"), ("Plus", "19.00"), ("Max", "29.00")],
}


def _run(run: str) -> dict:
    return {"run_id": run, "observed_at": WHEN[run].isoformat()}


def _landing(root, run: str) -> dict:
    postings = {"greenhouse": [], "lever": [], "jobposting": []}
    for source_id, by_run in LISTED.items():
        postings[KIND[source_id]] += [
            job(R1, source_id, job_id, f"Job {job_id}", **_run(run)) for job_id in by_run[run]
        ]
    pricing = [
        plan(R1, competitor, name, price, **_run(run))
        for (competitor, plan_run), plans in PLANS.items()
        if plan_run == run
        for name, price in plans
    ]
    return {
        spider: write_jsonl(root / "landing" / spider / f"{run}.jsonl", items)
        for spider, items in {**postings, "pricing": pricing}.items()
    }


@pytest.fixture(scope="module")
def ledger_con(tmp_path_factory):
    import duckdb

    root = tmp_path_factory.mktemp("source_runs")
    project = make_project(root)
    warehouse = root / "warehouse.duckdb"
    for run in WHEN:
        load_run(warehouse, run, _landing(root, run))
        record_source_runs(
            warehouse,
            run,
            [
                {
                    "source_id": source_id,
                    "source_kind": KIND[source_id],
                    "subject_type": "competitor",
                    "subject_id": source_id.split("-", 1)[0],
                    "status": status,
                    "items": len(LISTED.get(source_id, {}).get(run, [])),
                    "observed_at": WHEN[run],
                    "error": None if status == "ok" else "HTTP 500 after 2 retries",
                }
                for source_id, status in LEDGER[run].items()
            ],
        )
    result = dbt_build(
        warehouse,
        "real",
        project_dir=project,
        select=["+fct_job_postings", "+fct_price_changes", "+int_competitor_weeks_crawled"],
        # the models only: their dbt tests run in the shared build (tests/dbt/conftest.py)
        extra_args=["--exclude-resource-type", "test"],
    )
    assert result.ok, result.summary()
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def test_only_ok_and_unrecorded_crawls_are_crawls(ledger_con):
    crawls = rows(
        ledger_con,
        "select source_id, crawled_at, is_first_crawl_of_source "
        "from staging.int_competitor_crawls order by source_id, crawled_at",
    )
    assert [(r["source_id"], r["crawled_at"], r["is_first_crawl_of_source"]) for r in crawls] == [
        ("acme-greenhouse", A1, True),  # history (no ledger row)
        ("acme-greenhouse", A2, False),
        ("acme-greenhouse", A4, False),  # a3 was partial
        ("acme-pricing", A1, True),
        ("acme-pricing", A3, False),  # a2 was partial
        ("acme-pricing", A4, False),
        ("globex-careers", A2, True),  # a1 was partial: the first crawl is a2
        ("globex-careers", A3, False),
        ("globex-careers", A4, False),
        ("globex-lever", A1, True),
        ("globex-lever", A2, False),  # a3 partial, a4 failed
        ("globex-pricing", A2, True),
        ("globex-pricing", A3, False),
        ("globex-pricing", A4, False),
    ]
    ledger = rows(
        ledger_con,
        "select status, count(*) as n from staging.stg_ops__source_runs group by 1 order by 1",
    )
    assert ledger == [{"status": "failed", "n": 1}, {"status": "ok", "n": 10},
                      {"status": "partial", "n": 5}]  # fmt: skip


def test_a_partial_crawl_does_not_close_a_posting_an_ok_one_does(ledger_con):
    postings = {
        r["job_id"]: (r["last_seen_at"], r["closed_at"], r["is_open"])
        for r in rows(
            ledger_con,
            "select job_id, last_seen_at, closed_at, is_open from marts.fct_job_postings "
            "where source in ('greenhouse', 'lever')",
        )
    }
    assert postings == {
        "101": (A4, None, True),
        "102": (A2, A4, False),  # missing from partial a3: still open then; ok a4 closes it
        "103": (A1, A2, False),  # closed by a crawl from before the ledger, as before
        "L-1": (A4, None, True),  # the failed a4's items are kept: last seen a4
        "L-2": (A2, None, True),  # missing from partial a3 and failed a4: not closed
        "L-3": (A1, A2, False),  # closed by the ok a2
    }


def test_postings_seen_by_a_partial_crawl_before_the_first_complete_one_were_there_already(
    ledger_con,
):
    seen_at_start = dict(
        ledger_con.execute(
            "select job_id, is_seen_at_first_crawl from staging.int_job_postings_observed "
            "where source_id = 'globex-careers'"
        ).fetchall()
    )
    assert seen_at_start == {"A": True, "B": True, "C": False}


def test_a_partial_crawl_does_not_close_a_plan_an_ok_one_does(ledger_con):
    intervals = [
        (r["competitor_id"], r["plan_key"], r["valid_from"], r["valid_to"], r["observations"])
        for r in rows(
            ledger_con,
            "select competitor_id, plan_key, valid_from, valid_to, observations "
            "from marts.fct_plan_prices order by competitor_id, plan_key, valid_from",
        )
    ]
    assert intervals == [
        ("acme", "pro", A1, None, 4),
        # missing from the partial a2 is no gap: one interval, closed by the ok a4
        ("acme", "team", A1, A4, 2),
        ("globex", "basic", A1, None, 4),
        ("globex", "max", A3, None, 2),
        ("globex", "plus", A2, None, 3),
    ]
    changes = [
        (r["competitor_id"], r["plan_key"], r["change_kind"], r["changed_at"])
        for r in rows(
            ledger_con,
            "select competitor_id, plan_key, change_kind, changed_at "
            "from marts.fct_price_changes order by changed_at, competitor_id, plan_key",
        )
    ]
    # globex's first complete pricing crawl is a2: Basic (partial a1) and Plus (a2) were
    # there already; Max (a3) is new
    assert changes == [
        ("globex", "max", "plan_added", A3),
        ("acme", "team", "plan_removed", A4),
    ]


def test_without_ledger_rows_every_crawl_counts(con):
    """The shared fixture market has no ledger rows: crawls are what they were before."""
    assert con.execute("select count(*) from staging.stg_ops__source_runs").fetchone() == (0,)
    crawls = con.execute(
        "select source_id, count(*) from staging.int_competitor_crawls "
        "where source_id in ('acme-greenhouse', 'globex-lever') group by 1 order by 1"
    ).fetchall()
    # globex-lever's r2 yielded nothing: no crawl
    assert crawls == [("acme-greenhouse", 3), ("globex-lever", 2)]
