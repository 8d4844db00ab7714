"""Publish the marts (and the run ledger) as a read-only DuckDB file for the app and analysts.

The copy is written to `<published>.tmp` and renamed over the published file with
os.replace, which is atomic on one filesystem: readers see the old file or the new one,
never half of one. If anything fails the previous file is untouched and the .tmp removed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flows.export import quote_identifier, quote_literal


class PublishError(RuntimeError):
    """Publishing failed; the previously published file was left as it was."""


@dataclass
class PublishResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every marts table, then every table of the run ledger (schema ops, see flows.ledger)."""
    tables = {
        schema: [
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_catalog = 'warehouse' and table_schema = ? "
                "and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        ]
        for schema in ("marts", "ops")
    }
    if not tables["marts"]:
        raise PublishError("the warehouse has no marts tables: run dbt build first")
    return tables["marts"] + tables["ops"]


def _copy_table(con: duckdb.DuckDBPyConnection, table: str) -> int:
    schema, name = table.split(".", 1)
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"create table {table} as select * from warehouse.{table}")
    # dbt persists its docs as comments (persist_docs); they travel with the table, so that
    # analysts' SQL clients and the app read the same descriptions as the dbt docs.
    comment = con.execute(
        "select comment from duckdb_tables() "
        "where database_name = 'warehouse' and schema_name = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    if comment and comment[0]:
        con.execute(f"comment on table {table} is {quote_literal(comment[0])}")
    for column, text in con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'warehouse' "
        "and schema_name = ? and table_name = ? and comment is not null and comment <> ''",
        [schema, name],
    ).fetchall():
        column_name = f"{table}.{quote_identifier(column)}"
        con.execute(f"comment on column {column_name} is {quote_literal(text)}")
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def set_aside_unreadable(published: Path | str) -> Path | None:
    """Rename a previous publication that is not a DuckDB file we can read (truncated,
    corrupt, foreign) out of the way, so that it neither blocks the next publication nor is
    lost: it is kept beside it as ``<name>.unreadable-<UTC time>``. Returns that path."""
    published = Path(published)
    if not published.is_file():
        return None
    try:
        # A private in-memory instance: DuckDB caches instances by path within a process.
        with duckdb.connect(":memory:") as con:
            con.execute("attach ? as previous (read_only)", [str(published)])
            con.execute("select count(*) from duckdb_tables()").fetchone()
        return None
    except duckdb.Error:
        aside = published.with_name(
            f"{published.name}.unreadable-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
        )
        published.replace(aside)
        return aside


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def publish(
    warehouse_path: Path | str,
    published_path: Path | str,
    run: tuple[str, str] | None = None,
) -> PublishResult:
    """Copy marts.* and the ledger tables into a new file and swap it in atomically.

    ``run``: (run_id, status) of the run publishing, whose ledger row in the warehouse says
    'publishing' until the file is in place: the copy's row says how it ended and that it
    is published, which is true once the copy is the published file."""
    started = time.perf_counter()
    warehouse = Path(warehouse_path)
    published = Path(published_path)
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}")
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(published.name + ".tmp")
    _remove(tmp)  # a leftover from a crash must not be mistaken for a fresh copy

    rows: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("attach ? as warehouse (read_only)", [str(warehouse)])
            for table in _tables(con):
                rows[table] = _copy_table(con, table)
            con.execute("detach warehouse")
            if run is not None:
                con.execute(
                    "update ops.runs set status = ?, published = true where run_id = ?",
                    [run[1], run[0]],
                )
            con.execute("checkpoint")
        finally:
            con.close()
        tmp.replace(published)  # os.replace: atomic rename
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, PublishError | duckdb.Error | OSError):
            raise PublishError(f"publishing {published} failed: {exc}") from exc
        raise
    return PublishResult(path=published, rows=rows, seconds=time.perf_counter() - started)
