"""Exports: any mart to CSV or Parquet, and the radar as build-your-own-radar CSV.

A small published file is written here by hand (the marts built by dbt are exported in
tests/dbt/test_tech_signals.py), so each format rule has a known row to check.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from flows.export import RADAR_COLUMNS, ExportError, export_mart, radar_csv

RADAR = [
    # technology_id, name, quadrant, ring, score, rank, reasons, is_new
    ("pg", "PostgreSQL", "Databases", "adopt", 181.25, 1,
     "rank 1 of 4 (top third), score up 3% over 12 weeks (adopt)", False),
    ("flink", "Apache Flink", "Data processing", "trial", 64.0, 3,
     "score up 22% over 12 weeks (trial)", True),
    ("luigi", "Luigi", "orchestration & quality", "hold", 12.5, 4,
     'repository archived; "legacy", no release since 2024-01-31 (stale)', False),
    ("dask", "Dask", "Data processing", "assess", 70.0, 2,
     "rank 2 of 4, score unchanged over 12 weeks (assess)", False),
]  # fmt: skip


@pytest.fixture
def published(tmp_path) -> Path:
    path = tmp_path / "published" / "radar.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_tech_radar (technology_id varchar, name varchar, "
            "quadrant varchar, ring varchar, score double, rank_overall integer, "
            "momentum_4w double, momentum_12w double, coverage double, is_archived boolean, "
            "last_release_at timestamptz, flag_declining boolean, flag_stale boolean, "
            "flag_archived boolean, flag_single_signal boolean, reasons varchar, "
            "is_new boolean, as_of_week date)"
        )
        con.executemany(
            "insert into marts.fct_tech_radar values (?, ?, ?, ?, ?, ?, 0.01, 0.03, 1.0, "
            "false, timestamptz '2026-10-01 12:00:00+00', false, false, false, false, ?, ?, "
            "date '2026-11-16')",
            [list(row) for row in RADAR],
        )
        con.execute(
            "create table marts.fct_tech_adoption_weekly as "
            "select 'pg:' || w::date as adoption_week_id, 'pg' as technology_id, "
            "w::date as week_start, 100.0 as score "
            "from range(date '2026-08-03', date '2026-11-23', interval 7 day) t(w)"
        )
        con.execute("create schema ops")
        con.execute("create table ops.runs as select 'run-1' as run_id")
    return path


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_radar_csv_has_the_five_byor_columns_and_known_rows(published, tmp_path):
    out = tmp_path / "out" / "radar.csv"

    assert radar_csv(published, out) == 4

    header, blips = read_csv(out)
    assert header == list(RADAR_COLUMNS) == ["name", "ring", "quadrant", "isNew", "description"]
    assert all(len(blip) == 5 and None not in blip for blip in blips)
    # by quadrant, then ring from the centre out
    assert [b["name"] for b in blips] == ["Apache Flink", "Dask", "PostgreSQL", "Luigi"]
    by_name = {b["name"]: b for b in blips}
    assert by_name["PostgreSQL"] == {
        "name": "PostgreSQL",
        "ring": "Adopt",
        "quadrant": "Databases",
        "isNew": "FALSE",
        "description": "Score 181.2 in the week of 2026-11-16: "
        "rank 1 of 4 (top third), score up 3% over 12 weeks (adopt)",
    }
    assert (by_name["Apache Flink"]["ring"], by_name["Apache Flink"]["isNew"]) == ("Trial", "TRUE")
    # a lower-case category is capitalised like a BYOR quadrant; quotes and commas survive
    assert by_name["Luigi"]["quadrant"] == "Orchestration & quality"
    assert by_name["Luigi"]["ring"] == "Hold"
    assert by_name["Luigi"]["description"].endswith(
        'repository archived; "legacy", no release since 2024-01-31 (stale)'
    )
    assert {b["ring"] for b in blips} <= {"Adopt", "Trial", "Assess", "Hold"}
    assert not list(out.parent.glob("*.tmp"))


def test_radar_csv_reads_the_published_file_read_only(published, tmp_path):
    before = published.read_bytes()
    # a read-only holder may share the file: another reader is not blocked
    with duckdb.connect(str(published), read_only=True):
        radar_csv(published, tmp_path / "radar.csv")
    assert published.read_bytes() == before


def test_export_mart_to_parquet_round_trips(published, tmp_path):
    out = tmp_path / "weekly.parquet"

    rows = export_mart(published, "fct_tech_adoption_weekly", out, "parquet")

    assert rows == 16
    with duckdb.connect() as con:
        assert con.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone() == (16,)
        assert con.execute(
            "select min(week_start)::varchar, max(week_start)::varchar from read_parquet(?)",
            [str(out)],
        ).fetchone() == ("2026-08-03", "2026-11-16")


def test_export_mart_to_csv_with_a_header(published, tmp_path):
    out = tmp_path / "radar-table.csv"

    assert export_mart(published, "marts.fct_tech_radar", out, "csv") == 4

    header, lines = read_csv(out)
    assert header[:4] == ["technology_id", "name", "quadrant", "ring"]
    assert len(header) == 18
    assert {line["technology_id"] for line in lines} == {"pg", "flink", "luigi", "dask"}
    # timestamps in UTC whatever the machine's zone
    assert {line["last_release_at"] for line in lines} == {"2026-10-01 12:00:00+00"}
    assert export_mart(published, "ops.runs", tmp_path / "runs.csv", "csv") == 1


@pytest.mark.parametrize(
    "table",
    [
        "fct_nothing",
        "marts.fct_tech_radar; drop table marts.fct_tech_radar",
        'fct_tech_radar" --',
        "information_schema.tables",
        "",
    ],
)
def test_a_table_not_in_the_file_is_refused_and_nothing_runs(published, tmp_path, table):
    out = tmp_path / "x.csv"
    with pytest.raises(ExportError, match="no table"):
        export_mart(published, table, out, "csv")
    assert not out.exists()
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_tech_radar").fetchone() == (4,)


def test_unknown_format_and_missing_file(published, tmp_path):
    with pytest.raises(ExportError, match="unknown format 'xlsx'"):
        export_mart(published, "fct_tech_radar", tmp_path / "x.xlsx", "xlsx")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="no database"):
        radar_csv(tmp_path / "nope.duckdb", tmp_path / "radar.csv")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ExportError, match=r"no table 'marts\.fct_tech_radar'"):
        radar_csv(empty, tmp_path / "radar.csv")
