"""Export what Market Radar publishes: any mart to CSV or Parquet, and the technology radar
in Thoughtworks build-your-own-radar (BYOR) CSV.

Both read a DuckDB file read-only (normally the published file, data/published/radar.duckdb,
so a running pipeline is never blocked) and write the output aside, then rename it into place:
a failed export leaves no half-written file. A table name is never put into SQL as given: it
must name a table listed in the file's information_schema, whose own spelling is quoted.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

import duckdb

Format = Literal["csv", "parquet"]

# DuckDB COPY options per output format
COPY_OPTIONS: dict[str, str] = {
    "csv": "format csv, header true",
    "parquet": "format parquet, compression zstd",
}

RADAR_TABLE = "marts.fct_tech_radar"
RADAR_COLUMNS = ("name", "ring", "quadrant", "isNew", "description")
# BYOR draws rings inside out in this order
RING_ORDER = ("adopt", "trial", "assess", "hold")


class ExportError(ValueError):
    """The export cannot be made (unknown table or format, missing file); nothing was written."""


def quote_identifier(name: str) -> str:
    """A name as a SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """Text as a SQL string literal (for statements that take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _connect(database: Path | str) -> duckdb.DuckDBPyConnection:
    path = Path(database)
    if not path.is_file():
        raise ExportError(f"no database at {path}: publish first (radar run)")
    con = duckdb.connect(str(path), read_only=True)
    # timestamps are written in UTC whatever the machine's time zone
    con.execute("set session TimeZone = 'UTC'")
    return con


def resolve_table(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, str]:
    """(schema, name) of the table `table` ("name" means marts.name) as the file spells it."""
    schema, _, name = table.strip().rpartition(".")
    schema = schema or "marts"
    found = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    if found is None:
        available = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        raise ExportError(
            f"no table {table!r} in the database (marts tables: {', '.join(available) or 'none'})"
        )
    return found[0], found[1]


def export_mart(database: Path | str, table: str, out: Path | str, fmt: Format = "csv") -> int:
    """Write table (e.g. "fct_tech_radar" or "marts.fct_tech_radar") to out as CSV (with a
    header) or Parquet with DuckDB COPY; returns the number of rows written."""
    if fmt not in COPY_OPTIONS:
        raise ExportError(f"unknown format {fmt!r} (expected one of: {', '.join(COPY_OPTIONS)})")
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    with _connect(database) as con:
        schema, name = resolve_table(con, table)
        out.parent.mkdir(parents=True, exist_ok=True)
        relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
        try:
            (rows,) = con.execute(
                f"copy (select * from {relation}) to {quote_literal(str(tmp))} "
                f"({COPY_OPTIONS[fmt]})"
            ).fetchone()
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    tmp.replace(out)
    return int(rows)


def _quadrant_label(quadrant: str) -> str:
    # "data processing" -> "Data processing"; "Orchestration & quality" stays as it is
    return quadrant[:1].upper() + quadrant[1:]


def radar_description(reasons: str, score: float, as_of_week: object) -> str:
    """The blip's text: the score and its week, then the reasons (the radar rules applied)."""
    return f"Score {score:.1f} in the week of {as_of_week}: {reasons}"


def radar_csv(database: Path | str, out: Path | str) -> int:
    """Write marts.fct_tech_radar as a build-your-own-radar CSV: name,ring,quadrant,isNew,
    description (ring "Adopt"/"Trial"/"Assess"/"Hold", isNew TRUE/FALSE); returns the blips."""
    out = Path(out)
    with _connect(database) as con:
        schema, name = resolve_table(con, RADAR_TABLE)
        relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
        rows = con.execute(
            "select name, ring, quadrant, is_new, reasons, score, as_of_week "
            f"from {relation} "
            "order by quadrant, list_position(?, ring), rank_overall, name",
            [list(RING_ORDER)],
        ).fetchall()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(RADAR_COLUMNS)
            for blip, ring, quadrant, is_new, reasons, score, week in rows:
                writer.writerow(
                    [
                        blip,
                        ring.capitalize(),
                        _quadrant_label(quadrant),
                        "TRUE" if is_new else "FALSE",
                        radar_description(reasons, score, week),
                    ]
                )
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return len(rows)


__all__ = ["ExportError", "export_mart", "radar_csv", "resolve_table"]
