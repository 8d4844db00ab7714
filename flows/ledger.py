"""The run ledger: what each run did, in schema ops of the warehouse.

- ops.runs: one row per pipeline run;
- ops.source_runs: one row per source crawled in a run (status, requests, responses by
  status code, items, problems, retries, duration, error), read off Scrapy's crawl stats;
- ops.source_freshness: dbt source freshness per source kind, checked in each run;
- ops.quality_results: every expectation of every GX suite, per run.

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
import pyarrow as pa

from flows.ledger_docs import comment_ledger
from scrapers.redact import redact

# running: its process holds the data dir's run lock; publishing: its file being swapped
# in; crashed: found running or publishing by a later run (its process had ended);
# refused: another run held the data dir.
RUN_STATUSES = ("running", "publishing", "succeeded", "partial", "failed", "crashed", "refused")

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
alter table ops.runs add column if not exists changed_sources integer;
alter table ops.runs add column if not exists build_fingerprint varchar;
alter table ops.runs add column if not exists skipped varchar;
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
create table if not exists ops.source_runs (
    run_id varchar not null,
    source_id varchar not null,
    source_kind varchar not null,
    subject_type varchar,
    subject_id varchar,
    status varchar not null,
    started_at timestamptz,
    finished_at timestamptz,
    duration_seconds double,
    attempts integer,
    requests integer,
    responses json,
    items integer,
    parse_problems integer,
    robots_refused integer,
    retries integer,
    observed_at timestamptz,
    error varchar,
    primary key (run_id, source_id)
);
alter table ops.source_runs add column if not exists changed boolean;
alter table ops.source_runs add column if not exists rows_loaded integer;
alter table ops.source_runs add column if not exists content_run_id varchar;
alter table ops.source_runs add column if not exists etag varchar;
alter table ops.source_runs add column if not exists last_modified varchar;
create table if not exists ops.source_freshness (
    run_id varchar not null,
    source_kind varchar not null,
    max_observed_at timestamptz,
    checked_at timestamptz,
    age_hours double,
    warn_after_hours double,
    error_after_hours double,
    status varchar not null,
    error varchar,
    primary key (run_id, source_kind)
);
"""

SOURCE_RUN_STATUSES = ("ok", "partial", "failed")
# Arrow types for ledger columns whose Python values would not say it alone (all-null
# columns, JSON text); DuckDB casts the rest on insert.
_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int64(),
    "DOUBLE": pa.float64(),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
}

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
    """Create schema ops and its tables if they do not exist yet, with their comments."""
    con.execute(OPS_DDL)
    comment_ledger(con)


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
    changed_sources: int | None = None,
    build_fingerprint: str | None = None,
    skipped: str | None = None,
) -> None:
    """Record how a run ended. Inserts the row if start_run was never called for it."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r} (expected one of: {RUN_STATUSES})")
    with connection(con_or_path) as con:
        ensure_ledger(con)
        con.execute(
            """
            insert into ops.runs (run_id, finished_at, status, items, rows_loaded,
                                  checks_passed, checks_failed, published, error,
                                  changed_sources, build_fingerprint, skipped)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (run_id) do update set
                finished_at = excluded.finished_at,
                status = excluded.status,
                items = excluded.items,
                rows_loaded = excluded.rows_loaded,
                checks_passed = excluded.checks_passed,
                checks_failed = excluded.checks_failed,
                published = excluded.published,
                error = excluded.error,
                changed_sources = excluded.changed_sources,
                build_fingerprint = excluded.build_fingerprint,
                skipped = excluded.skipped
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
                error and redact(error),
                changed_sources,
                build_fingerprint,
                skipped,
            ],
        )


def recover_crashed(
    con_or_path: Connectable, found_by: str, published: Path | None = None
) -> list[str]:
    """Mark runs whose process ended mid-run 'crashed'; call only while holding the run
    lock, when no other run can be alive. A run found 'publishing' was stopped while its
    file was being swapped in: when ``published`` holds it, it did publish (its row there
    says how it ended), else it is crashed too. Returns the crashed run ids."""
    note = f"(found by run {found_by})"
    with connection(con_or_path) as con:
        ensure_ledger(con)
        in_file = _published_runs(published) if published is not None else {}
        for run_id, status in in_file.items():
            con.execute(
                "update ops.runs set status = ?, published = true "
                "where run_id = ? and status = 'publishing'",
                [status, run_id],
            )
        crashed = con.execute(
            """
            update ops.runs
            set status = 'crashed', finished_at = now(), published = false,
                error = coalesce(error || '; ', '') || case status
                    when 'publishing' then 'stopped while publishing: the published file '
                        || 'holds an earlier run '
                    else 'its process ended before the run finished ' end || ?
            where status in ('running', 'publishing')
            returning run_id
            """,
            [note],
        ).fetchall()
    return sorted(run_id for (run_id,) in crashed)


def _published_runs(published: Path) -> dict[str, str]:
    """run_id → status of the runs a published file says it holds (none when there is no
    readable file)."""
    if not Path(published).is_file():
        return {}
    try:
        with duckdb.connect(":memory:") as con:  # a private instance: no cached file handle
            con.execute("attach ? as published (read_only)", [str(published)])
            rows = con.execute(
                "select run_id, status from published.ops.runs where published"
            ).fetchall()
    except duckdb.Error:
        return {}
    return dict(rows)


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


def _value(value: Any, data_type: str) -> Any:
    if isinstance(value, Mapping):
        return _json(value)
    if isinstance(value, str) and data_type == "TIMESTAMP WITH TIME ZONE":
        return datetime.fromisoformat(value)
    return value


def _replace_rows(
    con: duckdb.DuckDBPyConnection, table: str, run_id: str, rows: list[Mapping[str, Any]]
) -> None:
    """Replace the run's rows of a ledger table, in one transaction; dict keys = column names.

    The columns come from the table itself (OPS_DDL is their one definition); a column a row
    leaves out is null, and mappings (responses by code, details) are stored as JSON.
    """
    schema, name = table.split(".")
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and table_name = ? "
        "order by column_index",
        [schema, name],
    ).fetchall()
    # One bulk insert from a columnar batch: row by row, thousands of sources took seconds.
    batch = pa.table(
        {
            column: pa.array(
                [_value({**row, "run_id": run_id}.get(column), data_type) for row in rows],
                type=_ARROW_TYPES.get(data_type),
            )
            for column, data_type in columns
        }
    )
    names = ", ".join(column for column, _ in columns)
    con.begin()
    try:
        con.execute(f"delete from {table} where run_id = ?", [run_id])
        if rows:
            con.register("_ledger_rows", batch)
            con.execute(f"insert into {table} ({names}) select {names} from _ledger_rows")
            con.unregister("_ledger_rows")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def record_source_runs(
    con_or_path: Connectable, run_id: str, rows: list[Mapping[str, Any]]
) -> None:
    """Replace the run's rows of ops.source_runs (dict keys = column names)."""
    for row in rows:
        if row["status"] not in SOURCE_RUN_STATUSES:
            raise ValueError(
                f"source {row['source_id']}: unknown status {row['status']!r} "
                f"(expected one of: {SOURCE_RUN_STATUSES})"
            )
    rows = [{**row, "error": row.get("error") and redact(row["error"])} for row in rows]
    with connection(con_or_path) as con:
        ensure_ledger(con)
        _replace_rows(con, "ops.source_runs", run_id, rows)


def record_freshness(con_or_path: Connectable, run_id: str, rows: list[Mapping[str, Any]]) -> None:
    """Replace the run's rows of ops.source_freshness (dict keys = column names)."""
    with connection(con_or_path) as con:
        ensure_ledger(con)
        _replace_rows(con, "ops.source_freshness", run_id, rows)


def record_quality_results(
    con_or_path: Connectable, run_id: str, rows: list[Mapping[str, Any]]
) -> None:
    """Replace the run's rows of ops.quality_results (dict keys = column names)."""
    with connection(con_or_path) as con:
        ensure_ledger(con)
        _replace_rows(con, "ops.quality_results", run_id, rows)


def newest_crawls(con_or_path: Connectable) -> dict[str, datetime]:
    """Per source kind, the observed_at of its newest crawl that delivered (ok or partial),
    whether or not its content was new."""
    with connection(con_or_path) as con:
        ensure_ledger(con)
        rows = con.execute(
            "select source_kind, max(observed_at) from ops.source_runs "
            "where status in ('ok', 'partial') group by source_kind"
        ).fetchall()
    return {kind: observed.astimezone(UTC) for kind, observed in rows}


def last_ok_items(con_or_path: Connectable, run_id: str) -> dict[str, int]:
    """Items of each source's latest ok run before this one: the yardstick for 'empty'."""
    with connection(con_or_path) as con:
        ensure_ledger(con)
        rows = con.execute(
            """
            select source_id, arg_max(items, observed_at)
            from ops.source_runs
            where status = 'ok' and run_id <> ?
            group by source_id
            """,
            [run_id],
        ).fetchall()
    return dict(rows)
