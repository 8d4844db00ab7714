"""The run ledger: one row per pipeline run in ops.runs, quality results in ops.quality_results.

Every function takes an open DuckDB connection *or* a path to the warehouse; with a path it
opens, writes and closes, so callers that hold no connection (Prefect tasks) stay simple.
Writes are upserts keyed by run_id: re-running a run overwrites its ledger row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

RUN_STATUSES = ("running", "succeeded", "partial", "failed")

OPS_DDL = """
create schema if not exists ops;
create table if not exists ops.runs (
    run_id varchar primary key,
    catalog varchar,
    started_at timestamptz,
    finished_at timestamptz,
    observed_at timestamptz,
    status varchar,
    items json,
    rows_loaded json,
    checks_passed integer,
    checks_failed integer,
    published boolean,
    error varchar
);
create table if not exists ops.quality_results (
    run_id varchar not null,
    suite varchar not null,
    expectation varchar not null,
    column_name varchar,
    success boolean not null,
    observed_value varchar,
    details json,
    checked_at timestamptz not null
);
"""

Connectable = duckdb.DuckDBPyConnection | str | Path


@contextmanager
def connection(con_or_path: Connectable) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield the given connection, or open (and afterwards close) one on a warehouse path."""
    if isinstance(con_or_path, duckdb.DuckDBPyConnection):
        yield con_or_path
        return
    path = Path(con_or_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ops and its tables if they do not exist yet."""
    con.execute(OPS_DDL)


def _json(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(dict(value), sort_keys=True, default=str)


def start_run(con_or_path: Connectable, run_id: str, catalog: str, observed_at: datetime) -> None:
    """Record that a run started (status 'running'); resets the row if the run_id exists."""
    if observed_at.tzinfo is None:
        raise ValueError(f"observed_at must be timezone-aware (UTC), got {observed_at!r}")
    with connection(con_or_path) as con:
        ensure_ledger(con)
        con.execute(
            """
            insert into ops.runs (run_id, catalog, started_at, finished_at, observed_at, status,
                                  items, rows_loaded, checks_passed, checks_failed, published,
                                  error)
            values (?, ?, ?, null, ?, 'running', null, null, null, null, false, null)
            on conflict (run_id) do update set
                catalog = excluded.catalog,
                started_at = excluded.started_at,
                finished_at = null,
                observed_at = excluded.observed_at,
                status = 'running',
                items = null,
                rows_loaded = null,
                checks_passed = null,
                checks_failed = null,
                published = false,
                error = null
            """,
            [run_id, catalog, datetime.now(UTC), observed_at],
        )


def finish_run(
    con_or_path: Connectable,
    run_id: str,
    status: str,
    items: Mapping[str, int] | None = None,
    rows_loaded: Mapping[str, int] | None = None,
    checks_passed: int | None = None,
    checks_failed: int | None = None,
    published: bool = False,
    error: str | None = None,
) -> None:
    """Record how a run ended. Inserts the row if start_run was never called for it."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r} (expected one of: {RUN_STATUSES})")
    with connection(con_or_path) as con:
        ensure_ledger(con)
        con.execute(
            """
            insert into ops.runs (run_id, finished_at, status, items, rows_loaded,
                                  checks_passed, checks_failed, published, error)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (run_id) do update set
                finished_at = excluded.finished_at,
                status = excluded.status,
                items = excluded.items,
                rows_loaded = excluded.rows_loaded,
                checks_passed = excluded.checks_passed,
                checks_failed = excluded.checks_failed,
                published = excluded.published,
                error = excluded.error
            """,
            [
                run_id,
                datetime.now(UTC),
                status,
                _json(items),
                _json(rows_loaded),
                checks_passed,
                checks_failed,
                published,
                error,
            ],
        )


def get_run(con_or_path: Connectable, run_id: str) -> dict[str, Any] | None:
    """The ledger row of a run as a dict (json columns decoded), or None."""
    with connection(con_or_path) as con:
        ensure_ledger(con)
        cur = con.execute("select * from ops.runs where run_id = ?", [run_id])
        row = cur.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cur.description]
    record = dict(zip(names, row, strict=True))
    for key in ("items", "rows_loaded"):
        if isinstance(record[key], str):
            record[key] = json.loads(record[key])
    return record
