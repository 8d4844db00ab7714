"""Loading landing files into raw tables: typed, idempotent by run_id, loud on bad lines."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from flows.ledger import finish_run, get_run, start_run
from flows.load import LoadError, load_run
from tests.fixtures.radar_warehouse import OBSERVED, R1, downloads, plan, write_jsonl


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "warehouse.duckdb"


def test_loading_a_run_twice_keeps_one_copy(tmp_path, warehouse):
    pricing = write_jsonl(
        tmp_path / "pricing" / "r1.jsonl",
        [plan(R1, "acme", "Pro", "12.00", features=["SSO"]), plan(R1, "acme", "Team", "30.00")],
    )
    pypi = write_jsonl(
        tmp_path / "pypistats" / "r1.jsonl", [downloads(R1, "duckdb", "2026-11-08", 1000)]
    )

    first = load_run(warehouse, R1, {"pricing": pricing, "pypistats": pypi})
    second = load_run(warehouse, R1, {"pricing": pricing, "pypistats": pypi})

    assert first == second == {"pricing": 2, "pypistats": 1}
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from raw.pricing").fetchone()[0] == 2
        price, features, observed, landing = con.execute(
            "select price, features, observed_at, _landing_file from raw.pricing where name = 'Pro'"
        ).fetchone()
        assert price == Decimal("12.0000")
        assert features == ["SSO"]
        assert observed.isoformat() == OBSERVED[R1]
        assert landing == str(pricing)
        day, count = con.execute("select date, downloads from raw.pypistats").fetchone()
        assert (str(day), count) == ("2026-11-08", 1000)


def test_raw_tables_have_the_contract_types(tmp_path, warehouse):
    load_run(warehouse, R1, {})
    with duckdb.connect(str(warehouse)) as con:
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type "
                "from information_schema.columns where table_schema = 'raw'"
            ).fetchall()
        )
    assert types["pricing.observed_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["pricing.price"] == "DECIMAL(18,4)"
    assert types["pricing.is_custom"] == "BOOLEAN"
    assert types["pricing.features"] == "VARCHAR[]"
    assert types["pricing._loaded_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["pypistats.date"] == "DATE"
    assert types["pypistats.downloads"] == "BIGINT"


def test_reloading_replaces_the_run_and_leaves_other_runs(tmp_path, warehouse):
    write = write_jsonl
    load_run(
        warehouse, R1, {"pricing": write(tmp_path / "a.jsonl", [plan(R1, "acme", "Pro", "12")])}
    )
    r2 = plan("r2", "acme", "Pro", "15")
    load_run(warehouse, "r2", {"pricing": write(tmp_path / "b.jsonl", [r2])})
    # a fixed landing file for r1 replaces r1's rows only
    load_run(
        warehouse, R1, {"pricing": write(tmp_path / "a.jsonl", [plan(R1, "acme", "Pro", "13")])}
    )
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute("select run_id, price from raw.pricing order by run_id").fetchall()
    assert rows == [("r1", Decimal("13.0000")), ("r2", Decimal("15.0000"))]


def test_missing_or_empty_landing_file_loads_zero_rows(tmp_path, warehouse):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    counts = load_run(warehouse, R1, {"pricing": tmp_path / "missing.jsonl", "pypistats": empty})
    assert counts == {"pricing": 0, "pypistats": 0}


def test_a_line_that_does_not_fit_the_types_names_the_file_and_line(tmp_path, warehouse):
    good = write_jsonl(tmp_path / "pricing" / "r1.jsonl", [plan(R1, "acme", "Pro", "12.00")])
    load_run(warehouse, R1, {"pricing": good})
    bad = write_jsonl(
        tmp_path / "pricing" / "r1-bad.jsonl",
        [plan(R1, "acme", "Pro", "15.00"), plan(R1, "acme", "Team", "thirty")],
    )

    with pytest.raises(LoadError) as caught:
        load_run(warehouse, R1, {"pricing": bad})

    message = str(caught.value)
    assert str(bad) in message
    assert "line 2" in message
    assert "thirty" in message
    # the transaction rolled back: the previous copy of the run is still there, unchanged
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select price from raw.pricing").fetchall() == [(Decimal("12.0000"),)]


def test_malformed_json_and_foreign_run_ids_are_errors(tmp_path, warehouse):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"run_id": "r1", "source": "pricing"\n')
    with pytest.raises(LoadError, match=r"broken\.jsonl"):
        load_run(warehouse, R1, {"pricing": broken})

    other = write_jsonl(tmp_path / "other.jsonl", [plan("r2", "acme", "Pro", "12.00")])
    with pytest.raises(LoadError, match=r"other\.jsonl.*run_id"):
        load_run(warehouse, R1, {"pricing": other})

    no_time = write_jsonl(
        tmp_path / "no-time.jsonl", [plan(R1, "acme", "Pro", "1", observed_at=None)]
    )
    with pytest.raises(LoadError, match="required fields"):
        load_run(warehouse, R1, {"pricing": no_time})


def test_unknown_spider_is_refused(tmp_path, warehouse):
    with pytest.raises(ValueError, match="careers"):
        load_run(warehouse, R1, {"careers": tmp_path / "x.jsonl"})


def test_ledger_upserts_by_run_id(warehouse):
    from datetime import UTC, datetime

    observed = datetime(2026, 11, 16, 6, tzinfo=UTC)
    with duckdb.connect(str(warehouse)) as con:
        start_run(con, "r1", "demo", observed)
        assert get_run(con, "r1")["status"] == "running"
        finish_run(con, "r1", "partial", {"pricing": 5}, {"pricing": 5}, 40, 0, True, "x failed")
        start_run(con, "r1", "demo", observed)  # a rerun resets the row
        finish_run(con, "r1", "succeeded", {"pricing": 6}, {"pricing": 6}, 41, 0, True)
        assert con.execute("select count(*) from ops.runs").fetchone()[0] == 1
        run = get_run(con, "r1")
    assert run["status"] == "succeeded"
    assert run["items"] == {"pricing": 6}
    assert (run["checks_passed"], run["checks_failed"], run["published"]) == (41, 0, True)
    assert run["error"] is None
    assert run["observed_at"] == observed
    assert run["finished_at"] >= run["started_at"]
    with pytest.raises(ValueError, match="unknown run status"):
        finish_run(warehouse, "r1", "done")
