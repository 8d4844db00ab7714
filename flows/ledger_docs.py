"""What every ops.* table and column means, stored as DuckDB comments by ensure_ledger.

Publishing copies comments with the tables (flows/publish.py), so architects querying the
published file (`radar sql`, the app's SQL page, `duckdb_columns()`) read the same words as
the marts' dbt docs give theirs. Times are UTC; a run is one pipeline run (run_id).
"""

from __future__ import annotations

from duckdb import DuckDBPyConnection

TABLES = {
    "runs": "One row per pipeline run: when it ran, what it observed, how it ended.",
    "source_runs": "One row per source crawled in a run, read off Scrapy's crawl stats and the "
    "load.",
    "source_freshness": "dbt source freshness of each source kind's raw table, checked in each "
    "run.",
    "quality_results": "Every expectation of every Great Expectations suite, per run.",
}

COLUMNS = {
    "runs": {
        "run_id": "Primary key: the run's id (demo runs: demo-YYYYMMDD).",
        "catalog": "The catalog crawled: real or demo.",
        "started_at": "When the run started (wall clock, UTC).",
        "finished_at": "When the run ended (wall clock, UTC); null while running.",
        "observed_at": "The observation time stamped on every row the run crawled (UTC); for the "
        "demo, its snapshot's date at 06:00.",
        "status": "running, publishing (its file being swapped in), succeeded, partial (some "
        "source not ok), failed, crashed (its process ended mid-run; marked by the next run) "
        "or refused (another run held the data dir).",
        "items": "JSON: items crawled per source kind.",
        "rows_loaded": "JSON: raw rows loaded per source kind.",
        "checks_passed": "Great Expectations expectations that passed.",
        "checks_failed": "Great Expectations expectations that failed (any blocks publishing).",
        "published": "True when the run published data/published/radar.duckdb.",
        "error": "Why the run failed or was partial, in words; null when it succeeded.",
        "changed_sources": "Sources whose content differed from their previous ok crawl.",
        "build_fingerprint": "Hash of the catalog, dbt project and quality suites the build used: "
        "a change forces a whole build.",
        "skipped": "Why build, checks and publish did not run (nothing changed); null when they "
        "ran.",
    },
    "source_runs": {
        "run_id": "The run (ops.runs.run_id); with source_id the primary key.",
        "source_id": "The catalog source crawled (seeds' sources.csv).",
        "source_kind": "The spider that crawled it (pricing, greenhouse, pypistats, ...).",
        "subject_type": "What the source is about: competitor or technology.",
        "subject_id": "The competitor_id or technology_id the source belongs to.",
        "status": "ok, partial (some requests or items failed) or failed (nothing usable).",
        "started_at": "When its crawl started (UTC).",
        "finished_at": "When its crawl ended (UTC).",
        "duration_seconds": "Crawl time in seconds.",
        "attempts": "Crawl attempts (1 plus retries of the whole crawl).",
        "requests": "HTTP requests sent.",
        "responses": "JSON: responses by HTTP status code.",
        "items": "Items the spider yielded.",
        "parse_problems": "Items or pages the spider could not parse (counted, logged with URL).",
        "robots_refused": "Requests robots.txt forbade (not sent).",
        "retries": "Requests retried.",
        "observed_at": "The run's observation time stamped on its rows (UTC).",
        "error": "Why the source was not ok, in words; null when ok.",
        "changed": "True when its content differed from its previous ok crawl; null when not "
        "loaded.",
        "rows_loaded": "Raw rows loaded from this crawl (0 when unchanged or failed).",
        "content_run_id": "The run whose landed rows hold this content (an earlier run's when "
        "unchanged).",
        "etag": "The response's ETag, for a conditional request next time.",
        "last_modified": "The response's Last-Modified, for a conditional request next time.",
    },
    "source_freshness": {
        "run_id": "The run that checked (ops.runs.run_id); with source_kind the primary key.",
        "source_kind": "The source kind whose raw table was checked.",
        "max_observed_at": "The newest observed_at in that raw table (UTC).",
        "checked_at": "When dbt checked (wall clock, UTC).",
        "age_hours": "Hours from max_observed_at to checked_at.",
        "warn_after_hours": "Age from which the status is warn.",
        "error_after_hours": "Age from which the status is error.",
        "status": "pass, warn, error, or runtime error (dbt could not check).",
        "error": "Why the status is not pass, in words; null on pass.",
    },
    "quality_results": {
        "run_id": "The run whose build was checked (ops.runs.run_id).",
        "suite": "The Great Expectations suite, named after its table.",
        "expectation": "The expectation type, e.g. expect_column_values_to_not_be_null.",
        "column_name": "The column it checks; null for table-level expectations.",
        "success": "True when the expectation held.",
        "observed_value": "What GX observed (a count, a value), as text.",
        "details": "JSON: GX's result details (unexpected counts and examples).",
        "checked_at": "When the suite ran (UTC).",
    },
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_ledger(con: DuckDBPyConnection) -> None:
    """Store the words above as comments on ops.* tables and columns (idempotent; a catalog
    write only when some column still lacks its comment, as after a new column)."""
    (missing,) = con.execute(
        "select count(*) from duckdb_columns() where database_name = current_database() "
        "and schema_name = 'ops' and coalesce(comment, '') = ''"
    ).fetchone()
    if not missing:
        return
    for table, text in TABLES.items():
        con.execute(f"comment on table ops.{table} is {_literal(text)}")
        for column, words in COLUMNS[table].items():
            con.execute(f"comment on column ops.{table}.{column} is {_literal(words)}")
