"""Loading landing files into raw tables: typed, idempotent by run_id, loud on bad lines."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from flows.ledger import finish_run, get_run, start_run
from flows.load import LoadError, SourceLoad, ensure_raw, load_apart, load_kind, load_run
from tests.fixtures import signal_market
from tests.fixtures.radar_warehouse import (
    ITEMS,
    OBSERVED,
    R1,
    R2,
    R3,
    downloads,
    plan,
    write_jsonl,
)


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
    ts = "TIMESTAMP WITH TIME ZONE"
    assert types["pricing.observed_at"] == ts
    assert types["pricing.price"] == "DECIMAL(18,4)"
    assert types["pricing.is_custom"] == "BOOLEAN"
    assert types["pricing.features"] == "VARCHAR[]"
    assert types["pricing._loaded_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["pypistats.date"] == "DATE"
    assert types["pypistats.downloads"] == "BIGINT"
    for jobs in ("greenhouse", "lever", "jobposting"):
        assert types[f"{jobs}.salary_min"] == types[f"{jobs}.salary_max"] == "DECIMAL(18,2)"
        assert types[f"{jobs}.posted_at"] == types[f"{jobs}.updated_at"] == ts
        assert types[f"{jobs}.job_id"] == types[f"{jobs}.description"] == "VARCHAR"
    for releases in ("feed", "github_releases"):
        assert types[f"{releases}.published_at"] == ts
        assert types[f"{releases}.prerelease"] == "BOOLEAN"
    assert types["pages.chars"] == "INTEGER"
    assert types["pages.fingerprint"] == types["pages.text"] == "VARCHAR"
    assert types["pages._landing_file"] == "VARCHAR"


def test_new_raw_tables_load_typed_and_twice_keeps_one_copy(tmp_path, warehouse):
    spiders = ("greenhouse", "lever", "jobposting", "feed", "github_releases", "pages")
    files = {s: write_jsonl(tmp_path / s / "r3.jsonl", ITEMS[s](R3)) for s in spiders}

    first = load_run(warehouse, R3, files)
    second = load_run(warehouse, R3, files)

    expected = {
        "greenhouse": 3,
        "lever": 1,
        "jobposting": 1,
        "feed": 2,
        "github_releases": 2,
        "pages": 2,
    }
    assert first == second == expected
    with duckdb.connect(str(warehouse)) as con:
        counts = {s: con.execute(f"select count(*) from raw.{s}").fetchone()[0] for s in spiders}
        assert counts == expected
        title, kind, description = con.execute(
            "select title, employment_type, description from raw.greenhouse where job_id = '103'"
        ).fetchone()
        assert (title, kind) == ("Platform Engineer", "contract")
        assert "C++" in description
        published, prerelease, tag = con.execute(
            "select published_at, prerelease, tag from raw.github_releases "
            "where release_id = '9002'"
        ).fetchone()
        assert published.isoformat() == "2026-11-18T08:00:00+00:00"
        assert (prerelease, tag) == (True, "v1.1.0-rc1")
        assert con.execute(
            "select prerelease from raw.feed where release_id = 'acme-2.4.0'"
        ).fetchone() == (None,)
        chars, fingerprint = con.execute(
            "select chars, fingerprint from raw.pages where source_id = 'acme-terms'"
        ).fetchone()
        assert chars == len("Terms of service. Last updated <date>.")
        assert len(fingerprint) == 64


def test_salaries_are_decimals(tmp_path, warehouse):
    files = {"greenhouse": write_jsonl(tmp_path / "gh.jsonl", ITEMS["greenhouse"](R1))}
    load_run(warehouse, R1, files)
    with duckdb.connect(str(warehouse)) as con:
        low, high, currency, posted = con.execute(
            "select salary_min, salary_max, salary_currency, posted_at from raw.greenhouse "
            "where job_id = '102'"
        ).fetchone()
    assert (low, high, currency) == (Decimal("120000.00"), Decimal("150000.00"), "USD")
    assert posted.isoformat() == "2026-11-02T00:00:00+00:00"


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


def test_signal_raw_tables_load_typed_and_twice_keeps_one_copy(tmp_path, warehouse):
    files = signal_market.landing_files(tmp_path / "landing", "s17")

    first = load_run(warehouse, "s17", files)
    second = load_run(warehouse, "s17", files)

    # 7 repos; 7 npm packages x 7 days; 8 tags; 7 queries x 2 weeks; 6 articles x 7 days
    # (glitch's article failed in s17: no rows, not zeros)
    expected = {
        "github_repo": 7,
        "npm_downloads": 49,
        "stackexchange_tags": 8,
        "hn_mentions": 14,
        "wikipedia_pageviews": 42,
    }
    assert first == second == expected
    with duckdb.connect(str(warehouse)) as con:
        counts = {s: con.execute(f"select count(*) from raw.{s}").fetchone()[0] for s in expected}
        assert counts == expected
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type "
                "from information_schema.columns where table_schema = 'raw'"
            ).fetchall()
        )
        ts = "TIMESTAMP WITH TIME ZONE"
        assert types["github_repo.stars"] == types["github_repo.releases_last_12m"] == "BIGINT"
        assert types["github_repo.archived"] == "BOOLEAN"
        assert types["github_repo.pushed_at"] == types["github_repo.last_release_at"] == ts
        assert types["npm_downloads.date"] == "DATE"
        assert types["npm_downloads.downloads"] == "BIGINT"
        assert types["stackexchange_tags.question_count"] == "BIGINT"
        assert types["stackexchange_tags.has_synonyms"] == "BOOLEAN"
        assert types["hn_mentions.week_start"] == "DATE"
        assert types["hn_mentions.stories"] == "BIGINT"
        assert types["hn_mentions.window_start"] == types["hn_mentions.window_end"] == ts
        assert types["wikipedia_pageviews.date"] == "DATE"
        assert types["wikipedia_pageviews.views"] == "BIGINT"
        archived, released = con.execute(
            "select archived, last_release_at from raw.github_repo where technology_id = 'relic'"
        ).fetchone()
        assert archived is True
        assert released.isoformat() == "2025-06-01T10:00:00+00:00"
        assert con.execute(
            "select count(*) from raw.wikipedia_pageviews where technology_id = 'glitch'"
        ).fetchone() == (0,)
        assert con.execute(
            "select query, stories from raw.hn_mentions "
            "where technology_id = 'aster' and week_start = date '2026-11-16'"
        ).fetchone() == ("Aster", signal_market.week_stories("aster", date(2026, 11, 16)))


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


def test_one_sources_bad_lines_fail_that_source_only_when_loaded_apart(tmp_path, warehouse):
    landing = write_jsonl(
        tmp_path / "pricing" / "r1.jsonl",
        [
            plan(R1, "acme", "Pro", "12.00"),
            plan(R1, "bolt", "Team", "thirty"),  # a price that is not a number
            plan(R1, "cove", "Basic", "5.00"),
        ],
    )
    with landing.open("a") as fh:
        fh.write("{not json at all\n")
    sources = ["acme-pricing", "bolt-pricing", "cove-pricing"]
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw(con)
        with pytest.raises(LoadError):
            load_kind(con, R1, "pricing", [landing], sources)
        loads, unattributed = load_apart(con, R1, "pricing", [landing], sources)
        loaded = con.execute("select source_id, price from raw.pricing order by 1").fetchall()
    assert loaded == [("acme-pricing", Decimal("12.0000")), ("cove-pricing", Decimal("5.0000"))]
    assert {s: (load.rows_loaded, load.error is None) for s, load in loads.items()} == {
        "acme-pricing": (1, True),
        "bolt-pricing": (0, False),
        "cove-pricing": (1, True),
    }
    error = loads["bolt-pricing"].error
    assert error.startswith("load failed: cannot load bolt-pricing's lines into raw.pricing")
    assert "thirty" in error
    assert str(landing) in error
    assert unattributed == [f"{landing}:4"]
    assert landing.read_text().count("\n") == 4  # the landing file is kept as it was


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


def test_landing_files_may_be_fsspec_urls(warehouse):
    """Landing on object storage: the loader reads fsspec URLs (memory:// here, s3:// for real)."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    line = {
        "run_id": "r-url",
        "source": "pypistats",
        "source_id": "polars-pypistats",
        "observed_at": "2026-11-23T06:00:00+00:00",
        "url": "https://pypistats.org/api/packages/polars/overall?mirrors=false",
        "technology_id": "polars",
        "package": "polars",
        "date": "2026-11-20",
        "category": "without_mirrors",
        "downloads": 1234,
    }
    with fs.open("/landing/pypistats/r-url/polars-pypistats.jsonl", "w") as fh:
        fh.write(json.dumps(line) + "\n")
    files = {
        "pypistats": [
            "memory://landing/pypistats/r-url/polars-pypistats.jsonl",
            "memory://landing/pypistats/r-url/missing.jsonl",
        ]
    }
    assert load_run(warehouse, "r-url", files) == {"pypistats": 1}
    with duckdb.connect(str(warehouse)) as con:
        row = con.execute(
            "select downloads, _landing_file from raw.pypistats where run_id = 'r-url'"
        ).fetchone()
    # DuckDB records the file as fsspec names it
    assert row == (1234, "memory:///landing/pypistats/r-url/polars-pypistats.jsonl")


def test_content_already_loaded_is_not_loaded_again(tmp_path, warehouse):
    """skip_unchanged: a page whose plans say what they said is not reloaded, and the load
    names the run that holds its content; a new price is a change."""
    from flows.load import load_kind

    def land(run: str, team: str) -> Path:
        rows = [plan(run, "acme", "Pro", "12.00"), plan(run, "acme", "Team", team)]
        return write_jsonl(tmp_path / "pricing" / f"{run}.jsonl", rows)

    with duckdb.connect(str(warehouse)) as con:
        ensure_raw(con)
        first = load_kind(con, R1, "pricing", [land(R1, "30.00")], skip_unchanged=True)
        same = load_kind(con, R2, "pricing", [land(R2, "30.00")], skip_unchanged=True)
        rise = load_kind(con, R3, "pricing", [land(R3, "35.00")], skip_unchanged=True)
        runs = con.execute("select distinct run_id from raw.pricing order by 1").fetchall()
    assert first["acme-pricing"] == SourceLoad("acme-pricing", "pricing", 2, 2, True, R1)
    assert same["acme-pricing"] == SourceLoad("acme-pricing", "pricing", 2, 0, False, R1)
    assert rise["acme-pricing"] == SourceLoad("acme-pricing", "pricing", 2, 2, True, R3)
    assert runs == [(R1,), (R3,)]


def test_a_series_loads_only_the_points_it_did_not_have(tmp_path, warehouse):
    from flows.load import load_kind

    def land(run: str, days: dict[str, int]) -> Path:
        rows = [downloads(run, "duckdb", day, count) for day, count in days.items()]
        return write_jsonl(tmp_path / "pypistats" / f"{run}.jsonl", rows)

    with duckdb.connect(str(warehouse)) as con:
        ensure_raw(con)
        load_kind(
            con,
            R1,
            "pypistats",
            [land(R1, {"2026-11-06": 10, "2026-11-07": 11})],
            skip_unchanged=True,
        )
        # the overlap day again, and a new one: changed, the source's rows are loaded
        newer = load_kind(
            con,
            R2,
            "pypistats",
            [land(R2, {"2026-11-07": 11, "2026-11-08": 12})],
            skip_unchanged=True,
        )
        # the same two days once more: nothing new
        again = load_kind(
            con,
            R3,
            "pypistats",
            [land(R3, {"2026-11-07": 11, "2026-11-08": 12})],
            skip_unchanged=True,
        )
        days = con.execute("select count(*), count(distinct date) from raw.pypistats").fetchone()
    # changed, and only its new day is loaded: the overlap day is already there
    assert (newer["duckdb-pypistats"].changed, newer["duckdb-pypistats"].rows_loaded) == (True, 1)
    # a series needs no pointer back: its marts read every point ever loaded
    assert again["duckdb-pypistats"] == SourceLoad(
        "duckdb-pypistats", "pypistats", 2, 0, False, None
    )
    assert days == (3, 3)


def test_a_source_that_answered_not_modified_is_unchanged(tmp_path, warehouse):
    from flows.load import load_kind

    rows = [plan(R1, "acme", "Pro", "12.00")]
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw(con)
        load_kind(
            con, R1, "pricing", [write_jsonl(tmp_path / "r1.jsonl", rows)], skip_unchanged=True
        )
        # HTTP 304: nothing landed, and the content of its last load still holds
        loads = load_kind(
            con, R2, "pricing", [], ["acme-pricing", "globex-pricing"],
            skip_unchanged=True, not_modified=["acme-pricing"],
        )  # fmt: skip
    assert loads == {
        "acme-pricing": SourceLoad("acme-pricing", "pricing", 0, 0, False, R1),
        "globex-pricing": SourceLoad("globex-pricing", "pricing", 0, 0, None, None),
    }


def test_the_pipelines_load_step_isolates_a_source_whose_lines_do_not_load(
    tmp_path, data_dir, prefect_harness
):
    from datetime import UTC, datetime

    from prefect import flow

    from flows.crawl import CrawlResult
    from flows.pipeline import load
    from flows.settings import Settings

    landing = write_jsonl(
        tmp_path / "pricing" / "r1.jsonl",
        [plan(R1, "acme", "Pro", "12.00"), plan(R1, "bolt", "Team", "thirty")],
    )
    now = datetime.now(UTC)
    results = [
        CrawlResult(f"{c}-pricing", "pricing", "competitor", c, str(landing), 1, 0, now, now)
        for c in ("acme", "bolt")
    ]

    @flow
    def load_only():
        return load(Settings(), R1, results)

    loads = load_only()
    assert (loads["acme-pricing"].rows_loaded, loads["acme-pricing"].error) == (1, None)
    assert loads["bolt-pricing"].rows_loaded == 0
    assert "thirty" in loads["bolt-pricing"].error


def test_a_raw_table_from_before_a_column_existed_gets_it(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.jobposting (run_id varchar, title varchar)")
        con.execute("insert into raw.jobposting values ('r0', 'Analyst')")
        ensure_raw(con)
        columns = [
            c
            for (c,) in con.execute("select column_name from (describe raw.jobposting)").fetchall()
        ]
        old = con.execute("select title, hiring_organization from raw.jobposting").fetchall()
    assert {"hiring_organization", "salary_min", "_row_hash"} <= set(columns)
    assert old == [("Analyst", None)]
