"""Load landing files (Scrapy JSON lines) into the warehouse's raw tables.

Loading is idempotent by run_id: one transaction deletes the run's rows and inserts the
landing file again, so loading the same run twice leaves one copy. DuckDB's bulk JSON reader
does the parsing with explicit column types; a line that does not fit them fails the whole
load with DuckDB's message (which names the file and line) instead of dropping rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import fsspec

from flows.ledger import Connectable, connection, ensure_ledger
from flows.settings import is_url

# Every item carries these (ARCHITECTURE.md), then the id of what it observes.
_OBSERVATION: dict[str, str] = {
    "run_id": "varchar",
    "source": "varchar",
    "source_id": "varchar",
    "observed_at": "timestamptz",
    "url": "varchar",
}
_COMPETITOR_OBSERVATION = {**_OBSERVATION, "competitor_id": "varchar"}
_TECHNOLOGY_OBSERVATION = {**_OBSERVATION, "technology_id": "varchar"}

# JobItem: the three job-board spiders land the same columns.
_JOB_COLUMNS: dict[str, str] = {
    **_COMPETITOR_OBSERVATION,
    "job_id": "varchar",
    "title": "varchar",
    "department": "varchar",
    "team": "varchar",
    "location": "varchar",
    "workplace_type": "varchar",
    "employment_type": "varchar",
    "salary_min": "decimal(18,2)",
    "salary_max": "decimal(18,2)",
    "salary_currency": "varchar",
    "salary_period": "varchar",
    "posted_at": "timestamptz",
    "updated_at": "timestamptz",
    "description": "varchar",
    "apply_url": "varchar",
}

# ReleaseItem: release-notes feeds and GitHub releases land the same columns.
_RELEASE_COLUMNS: dict[str, str] = {
    **_COMPETITOR_OBSERVATION,
    "release_id": "varchar",
    "title": "varchar",
    "version": "varchar",
    "tag": "varchar",
    "published_at": "timestamptz",
    "summary": "varchar",
    "link": "varchar",
    "prerelease": "boolean",
}

# DownloadsItem: pypistats and npm_downloads land the same columns.
_DOWNLOADS_COLUMNS: dict[str, str] = {
    **_TECHNOLOGY_OBSERVATION,
    "package": "varchar",
    "date": "date",
    "downloads": "bigint",
    "category": "varchar",
}

# Column order and types of the landing items (the contract); the raw tables add
# _landing_file and _loaded_at after these.
RAW_COLUMNS: dict[str, dict[str, str]] = {
    "pricing": {
        **_COMPETITOR_OBSERVATION,
        "name": "varchar",
        "price": "decimal(18,4)",
        "currency": "varchar",
        "billing_period": "varchar",
        "unit": "varchar",
        "is_custom": "boolean",
        "availability": "varchar",
        "sku": "varchar",
        "features": "varchar[]",
        "method": "varchar",
        "price_text": "varchar",
    },
    "pypistats": _DOWNLOADS_COLUMNS,
    "greenhouse": _JOB_COLUMNS,
    "lever": _JOB_COLUMNS,
    "jobposting": _JOB_COLUMNS,
    "feed": _RELEASE_COLUMNS,
    "github_releases": _RELEASE_COLUMNS,
    # PageItem: a watched page's normalised main text and its fingerprint
    "pages": {
        **_COMPETITOR_OBSERVATION,
        "title": "varchar",
        "text": "varchar",
        "fingerprint": "varchar",
        "chars": "integer",
    },
    # RepoItem: a GitHub repository's counters and release activity when observed
    "github_repo": {
        **_TECHNOLOGY_OBSERVATION,
        "repo": "varchar",
        "stars": "bigint",
        "forks": "bigint",
        "watchers": "bigint",
        "open_issues": "bigint",
        "pushed_at": "timestamptz",
        "archived": "boolean",
        "license": "varchar",
        "default_branch": "varchar",
        "last_release_at": "timestamptz",
        "releases_last_12m": "bigint",
        "homepage": "varchar",
    },
    "npm_downloads": _DOWNLOADS_COLUMNS,
    # TagItem: a Stack Overflow tag's question count when observed
    "stackexchange_tags": {
        **_TECHNOLOGY_OBSERVATION,
        "tag": "varchar",
        "question_count": "bigint",
        "has_synonyms": "boolean",
    },
    # MentionsItem: Hacker News stories matching a query in one week (Monday, UTC)
    "hn_mentions": {
        **_TECHNOLOGY_OBSERVATION,
        "query": "varchar",
        "week_start": "date",
        "stories": "bigint",
        "window_start": "timestamptz",
        "window_end": "timestamptz",
    },
    # PageviewsItem: daily views of a Wikipedia article by users
    "wikipedia_pageviews": {
        **_TECHNOLOGY_OBSERVATION,
        "article": "varchar",
        "date": "date",
        "views": "bigint",
    },
}

# Every item must carry these; a line without them is an error, not a row.
REQUIRED_FIELDS = ("run_id", "source", "source_id", "observed_at", "url")


class LoadError(RuntimeError):
    """A landing file could not be loaded; the message names the file (and line if known)."""


def ensure_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Create schemas raw and ops, the raw tables and the ledger tables if missing."""
    con.execute("create schema if not exists raw")
    for spider, columns in RAW_COLUMNS.items():
        cols = ",\n    ".join(f'"{name}" {type_}' for name, type_ in columns.items())
        con.execute(
            f"create table if not exists raw.{spider} (\n    {cols},\n"
            "    _landing_file varchar,\n    _loaded_at timestamptz default current_timestamp\n)"
        )
    ensure_ledger(con)


def _columns_struct(spider: str) -> str:
    items = ", ".join(f"'{name}': '{type_}'" for name, type_ in RAW_COLUMNS[spider].items())
    return "{" + items + "}"


def _readable(con: duckdb.DuckDBPyConnection, location: str) -> str | None:
    """The name DuckDB reads a landing file by, or None when it is missing or empty.

    A landing location is a local path or an fsspec URL (see Settings.landing_url). file://
    URLs become paths; other protocols are read through fsspec, registered with DuckDB.
    """
    if is_url(location):
        fs, path = fsspec.core.url_to_fs(location)
        if not fs.exists(path) or not fs.size(path):
            return None
        protocols = (fs.protocol,) if isinstance(fs.protocol, str) else fs.protocol
        if "file" in protocols:
            location = path
        else:
            if not con.filesystem_is_registered(protocols[0]):
                con.register_filesystem(fs)
            return location
    path = Path(location)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return location if any(line.strip() for line in fh) else None


def _load_one(
    con: duckdb.DuckDBPyConnection, run_id: str, spider: str, locations: list[str]
) -> int:
    con.execute(f"delete from raw.{spider} where run_id = ?", [run_id])
    files = [f for f in (_readable(con, loc) for loc in locations) if f]
    if not files:
        return 0
    names = ", ".join(f'"{name}"' for name in RAW_COLUMNS[spider])
    reader = (
        f"read_json(?, format = 'newline_delimited', filename = '_landing_file', "
        f"columns = {_columns_struct(spider)})"
    )
    con.execute(f"create or replace temp table _landing as select * from {reader}", [files])
    try:
        missing = " or ".join(f'"{name}" is null' for name in REQUIRED_FIELDS)
        bad = con.execute(
            f"select _landing_file, count(*) from _landing where {missing} "
            "group by all order by 1 limit 1"
        ).fetchone()
        if bad:
            raise LoadError(
                f"{bad[0]}: {bad[1]} line(s) lack one of the required fields {REQUIRED_FIELDS}"
            )
        other = con.execute(
            "select _landing_file, run_id from _landing where run_id <> ? limit 1", [run_id]
        ).fetchone()
        if other:
            raise LoadError(f"{other[0]}: lines carry run_id {other[1]!r}, expected {run_id!r}")
        con.execute(
            f"insert into raw.{spider} ({names}, _landing_file, _loaded_at) "
            f"select {names}, _landing_file, current_timestamp from _landing"
        )
        return con.execute("select count(*) from _landing").fetchone()[0]
    finally:
        con.execute("drop table if exists _landing")


def load_run(
    con_or_path: Connectable,
    run_id: str,
    landing_files: Mapping[str, Path | str | Sequence[Path | str]],
) -> dict[str, int]:
    """Load one run's landing files into raw.<spider>; returns rows per spider.

    ``landing_files`` maps a spider to its file, or to its files (one per source crawled):
    local paths or fsspec URLs.
    All spiders load in one transaction: either every file is in, or none is (the previous
    copy of the run stays). Missing or empty files load 0 rows (and remove an older copy).
    """
    unknown = sorted(set(landing_files) - set(RAW_COLUMNS))
    if unknown:
        raise ValueError(f"no raw table for spider(s) {unknown} (known: {sorted(RAW_COLUMNS)})")
    with connection(con_or_path) as con:
        ensure_raw(con)
        counts: dict[str, int] = {}
        con.begin()
        try:
            for spider, files in landing_files.items():
                paths = [str(files)] if isinstance(files, str | Path) else [str(f) for f in files]
                try:
                    counts[spider] = _load_one(con, run_id, spider, paths)
                except duckdb.Error as exc:
                    message = str(exc).splitlines()[0]
                    where = paths[0] if len(paths) == 1 else f"{len(paths)} files of {spider}"
                    raise LoadError(f"cannot load {where} into raw.{spider}: {message}") from exc
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return counts
