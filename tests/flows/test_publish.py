"""Publishing: an atomic swap of a read-only copy, and nothing touched when anything fails."""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import pytest

from flows import publish as publish_mod
from flows.ledger import finish_run, start_run
from flows.publish import PublishError, publish
from flows.quality import validate
from tests.fixtures.radar_warehouse import OBSERVED, TODAY, build_fixture_warehouse

MARTS = {
    "marts.dim_competitors": 2,
    "marts.dim_exchange_rates": 3,
    "marts.dim_technologies": 14,
    "marts.fct_plan_prices": 6,
    "marts.fct_package_downloads_daily": 5,
    "marts.fct_price_changes": 3,
    "marts.fct_job_postings": 7,
    "marts.fct_hiring_weekly": 15,
    "marts.fct_job_tech_mentions": 14,
    "marts.fct_releases": 4,
    "marts.fct_page_changes": 1,
    "marts.fct_competitor_activity_weekly": 6,
    "marts.fct_tech_signals_daily": 2052,
    "marts.fct_tech_adoption_weekly": 128,
    "marts.fct_tech_radar": 8,
}


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory):
    warehouse, result = build_fixture_warehouse(tmp_path_factory.mktemp("publish"))
    assert result.ok, result.summary()
    start_run(warehouse, "r3", "real", datetime.fromisoformat(OBSERVED["r3"]))
    finish_run(warehouse, "r3", "succeeded", {"pricing": 4}, {"pricing": 4}, 1, 0, True)
    return warehouse


@pytest.fixture
def warehouse(built_warehouse, tmp_path):
    return shutil.copy(built_warehouse, tmp_path / "warehouse.duckdb")


@pytest.fixture
def published(tmp_path):
    return tmp_path / "published" / "radar.duckdb"


def leftovers(published):
    return sorted(p.name for p in published.parent.iterdir() if p.name != published.name)


def test_publish_copies_marts_and_ledger(warehouse, published):
    result = publish(warehouse, published)

    assert result.path == published
    assert result.rows == {
        **MARTS,
        "ops.runs": 1,
        "ops.source_runs": 0,
        "ops.source_freshness": 0,
        "ops.quality_results": 0,
    }
    assert leftovers(published) == []
    with duckdb.connect(str(published), read_only=True) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        assert tables == set(result.rows)
        assert con.execute(
            "select price::varchar from marts.fct_plan_prices "
            "where plan_price_id = 'acme:pro:month:2026-11-09T06:00:00Z'"
        ).fetchall() == [("12.00",)]
        assert con.execute("select status from ops.runs").fetchall() == [("succeeded",)]


def test_republishing_swaps_in_the_new_copy(warehouse, published):
    publish(warehouse, published)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.fct_plan_prices where plan_key = 'team'")

    result = publish(warehouse, published)

    assert result.rows["marts.fct_plan_prices"] == 5
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_plan_prices").fetchone()[0] == 5
    assert leftovers(published) == []


def test_a_failing_gate_leaves_the_published_file_byte_identical(warehouse, published):
    publish(warehouse, published)
    before = published.read_bytes()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.fct_plan_prices set price = -1 where plan_key = 'pro'")

    # the flow's contract: publish only when the quality report is ok
    report = validate(warehouse, "r4", today=TODAY)
    if report.ok:
        publish(warehouse, published)

    assert not report.ok
    assert published.read_bytes() == before


def test_a_failure_mid_copy_leaves_the_old_file_and_no_tmp(warehouse, published, monkeypatch):
    publish(warehouse, published)
    before = published.read_bytes()
    copy = publish_mod._copy_table
    copied = []

    def flaky(con, table):
        if len(copied) == 2:
            raise duckdb.IOException("disk full (simulated)")
        copied.append(table)
        return copy(con, table)

    monkeypatch.setattr(publish_mod, "_copy_table", flaky)

    with pytest.raises(PublishError, match="disk full"):
        publish(warehouse, published)

    assert len(copied) == 2
    assert published.read_bytes() == before
    assert leftovers(published) == []


def test_a_stale_tmp_is_replaced_and_a_missing_warehouse_is_an_error(
    warehouse, published, tmp_path
):
    published.parent.mkdir(parents=True)
    (published.parent / "radar.duckdb.tmp").write_bytes(b"half a file from a crash")
    publish(warehouse, published)
    assert leftovers(published) == []

    with pytest.raises(PublishError, match="no warehouse"):
        publish(tmp_path / "nope.duckdb", published)


def test_a_warehouse_without_marts_is_not_published(tmp_path, published):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishError, match="no marts"):
        publish(empty, published)
    assert not published.exists()
    assert leftovers(published) == []


def test_an_unreadable_previous_publication_is_set_aside_and_kept(warehouse, published):
    published.parent.mkdir(parents=True)
    published.write_bytes(b"SQLite format 3\x00 not ours")
    aside = publish_mod.set_aside_unreadable(published)
    assert aside.name.startswith("radar.duckdb.unreadable-")
    assert aside.read_bytes() == b"SQLite format 3\x00 not ours"
    assert not published.exists()
    publish(warehouse, published)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_tech_radar").fetchone() == (8,)


def test_a_readable_previous_publication_stays_where_it_is(warehouse, published):
    publish(warehouse, published)
    assert publish_mod.set_aside_unreadable(published) is None
    assert leftovers(published) == []
