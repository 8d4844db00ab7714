"""Load landing files (Scrapy JSON lines) into the warehouse's raw tables.

Loading is idempotent by run_id: one transaction per kind deletes the run's rows of the
sources crawled and inserts their landing rows again, so loading the same run twice leaves
one copy. DuckDB's bulk JSON reader does the parsing with explicit column types; a line
that does not fit them fails the kind's load with DuckDB's message (which names the file
and line) instead of dropping rows.

Every raw row carries ``_row_hash``, a hash of what it says (all but run, time and URL).
The pipeline loads with ``skip_unchanged``: a source whose rows say nothing new is not
loaded again, and the ledger records which earlier run holds its content (see SourceLoad).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import fsspec

from flows.ledger import Connectable, connection, ensure_ledger
from flows.settings import is_url
from scrapers.extract import SERIES_KEYS

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
    "hiring_organization": "varchar",
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

# Series items carry their days as a list of points (scrapers.items.DownloadsItem): each
# point becomes a raw row with these columns. Landing lines with the columns themselves (one
# line a day, as landed before) load too.
POINT_COLUMNS: dict[str, dict[str, str]] = {
    "pypistats": {"date": "date", "downloads": "bigint"},
    "npm_downloads": {"date": "date", "downloads": "bigint"},
    "wikipedia_pageviews": {"date": "date", "views": "bigint"},
}

# Every item must carry these; a line without them is an error, not a row.
REQUIRED_FIELDS = ("run_id", "source", "source_id", "observed_at", "url")
# What a row says, for telling new rows from rows already loaded: everything but when,
# in which run and at which URL (a series' URL names its window) it was observed.
_NOT_CONTENT = frozenset({"run_id", "observed_at", "url"})


class LoadError(RuntimeError):
    """A landing file could not be loaded; the message names the file (and line if known)."""


@dataclass(frozen=True)
class SourceLoad:
    """How one source's landed rows went into its raw table.

    ``changed``: True when its rows were loaded (new or changed content), False when its
    content was already loaded (the same rows as its last load, or a series' points all
    known, or the server said 304 Not Modified): nothing is loaded again, and
    ``content_run_id`` names the run whose raw rows hold the content. None when nothing
    landed."""

    source_id: str
    kind: str
    rows: int
    rows_loaded: int
    changed: bool | None
    content_run_id: str | None
    error: str | None = None  # the kind's landing files could not be loaded


@dataclass(frozen=True)
class Known:
    """What the warehouse already holds of a source, for its next crawl to ask less:
    its last good point (series kinds) and the validators of its last known content."""

    last_point: date | None = None
    etag: str | None = None
    last_modified: str | None = None


def known(con_or_path: Connectable, observed_at: datetime) -> dict[str, Known]:
    """Per source_id, from what was observed before ``observed_at`` (so that replaying a run
    asks what it asked the first time): its newest point from ok crawls (series kinds), and
    the ETag and Last-Modified of its newest ok crawl whose content is in raw."""
    with connection(con_or_path) as con:
        ensure_raw(con)
        points: dict[str, date] = {}
        for spider, key in SERIES_KEYS.items():
            points.update(
                con.execute(
                    f"""
                    select r.source_id, max(r."{key}") from raw.{spider} r
                    left join ops.source_runs s
                        on s.run_id = r.run_id and s.source_id = r.source_id
                    where coalesce(s.status, 'ok') = 'ok' and r.observed_at < ?
                    group by r.source_id
                    """,
                    [observed_at],
                ).fetchall()
            )
        validators = {
            source_id: (etag, modified)
            for source_id, etag, modified in con.execute(
                """
                select source_id,
                       arg_max(etag, observed_at) filter (where etag is not null),
                       arg_max(last_modified, observed_at) filter (where last_modified is not null)
                from ops.source_runs
                where status = 'ok' and changed is not null and observed_at < ?
                group by source_id
                """,
                [observed_at],
            ).fetchall()
        }
    return {
        source_id: Known(points.get(source_id), *validators.get(source_id, (None, None)))
        for source_id in points.keys() | validators.keys()
    }


def ensure_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Create schemas raw and ops, the raw tables and the ledger tables if missing."""
    con.execute("create schema if not exists raw")
    for spider, columns in RAW_COLUMNS.items():
        cols = ",\n    ".join(f'"{name}" {type_}' for name, type_ in columns.items())
        con.execute(
            f"create table if not exists raw.{spider} (\n    {cols},\n"
            "    _landing_file varchar,\n    _loaded_at timestamptz default current_timestamp,\n"
            "    _row_hash ubigint\n)"
        )
        # a warehouse from before a column existed gets it (its old rows: null); before row
        # hashes, its old rows simply never match a new one
        for name, type_ in [*columns.items(), ("_row_hash", "ubigint")]:
            con.execute(f'alter table raw.{spider} add column if not exists "{name}" {type_}')
    ensure_ledger(con)


def _columns_struct(spider: str) -> str:
    columns = dict(RAW_COLUMNS[spider])
    if spider in POINT_COLUMNS:
        fields = ", ".join(f'"{n}" {t}' for n, t in POINT_COLUMNS[spider].items())
        columns["points"] = f"struct({fields})[]"
    items = ", ".join(f"'{name}': '{type_}'" for name, type_ in columns.items())
    return "{" + items + "}"


def _flattened(spider: str, reader: str) -> str:
    """The landing lines as raw rows: a series item's points unnested, one row each."""
    if spider not in POINT_COLUMNS:
        return f"select * from {reader}"
    own = ", ".join(f'"{n}"' for n in POINT_COLUMNS[spider])
    return (
        f"with landed as (select * from {reader}) "
        "select * exclude (points) from landed where points is null "
        f"union all by name select * exclude (points, {own}), unnest(points, recursive := true) "
        "from landed where points is not null"
    )


def row_hash_sql(spider: str) -> str:
    """The SQL expression of a raw row's _row_hash (over the kind's content columns)."""
    content = ", ".join(
        f'"{name}" := "{name}"' for name in RAW_COLUMNS[spider] if name not in _NOT_CONTENT
    )
    return f"hash(struct_pack({content}))"


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


def _read_landing(con: duckdb.DuckDBPyConnection, run_id: str, spider: str, files: list[str]):
    """The landing lines as temp table _landing (typed, with _landing_file and _row_hash)."""
    reader = (
        f"read_json(?, format = 'newline_delimited', filename = '_landing_file', "
        f"columns = {_columns_struct(spider)})"
    )
    con.execute(
        f"create or replace temp table _landing as "
        f"select *, {row_hash_sql(spider)} as _row_hash from ({_flattened(spider, reader)})",
        [files],
    )
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


_COMPARE = """
with landed as (
    select source_id, count(*) as rows,
           hash(list_sort(list(_row_hash))) as content
    from _landing group by source_id
),
-- a series' points already loaded for the source (any earlier run)
known as (
    select l.source_id, count(*) as rows
    from _landing l semi join raw.{spider} r
        on r.source_id = l.source_id and r._row_hash = l._row_hash
    group by l.source_id
),
-- a source's last loaded run, and what its rows said
last_run as (
    select source_id, arg_max(run_id, observed_at) as run_id
    from raw.{spider} where source_id in (select unnest(?::varchar[])) group by source_id
),
last_content as (
    select r.source_id, last_run.run_id,
           hash(list_sort(list(r._row_hash))) as content
    from raw.{spider} r join last_run
        on r.source_id = last_run.source_id and r.run_id = last_run.run_id
    group by r.source_id, last_run.run_id
)
select s.source_id, coalesce(landed.rows, 0), coalesce(known.rows, 0),
       landed.content, last_content.run_id, last_content.content
from (select unnest(?::varchar[]) as source_id) s
left join landed using (source_id)
left join known using (source_id)
left join last_content using (source_id)
"""


def load_kind(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    spider: str,
    locations: Sequence[Path | str],
    sources: Iterable[str] | None = None,
    *,
    skip_unchanged: bool = False,
    not_modified: Iterable[str] = (),
) -> dict[str, SourceLoad]:
    """Load one kind's landing files of a run into raw.<spider>, in one transaction.

    ``sources``: the source_ids this run crawled (default: those in the files); their
    earlier copy of this run is replaced, other sources' rows are left alone. With
    ``skip_unchanged`` only what says something new is loaded: of a series kind
    (``SERIES_KEYS``) the points not loaded before, of any other kind a source's rows when
    they are unlike its last load; ``not_modified`` sources (HTTP 304) are unchanged.
    Raises LoadError (the transaction rolled back) for a file that cannot be read.
    """
    if spider not in RAW_COLUMNS:
        raise ValueError(f"no raw table for spider {spider!r} (known: {sorted(RAW_COLUMNS)})")
    files = [f for f in (_readable(con, str(loc)) for loc in locations) if f]
    names = ", ".join(f'"{name}"' for name in RAW_COLUMNS[spider])
    con.begin()
    try:
        if files:
            _read_landing(con, run_id, spider, files)
        else:
            con.execute(f"create or replace temp table _landing as from raw.{spider} limit 0")
        crawled = (
            list(sources)
            if sources is not None
            else [
                sid for (sid,) in con.execute("select distinct source_id from _landing").fetchall()
            ]
        )
        con.execute(
            f"delete from raw.{spider} where run_id = ? and source_id in "
            "(select unnest(?::varchar[]))",
            [run_id, crawled],
        )
        unchanged_304 = set(not_modified)
        series = skip_unchanged and spider in SERIES_KEYS
        loads: dict[str, SourceLoad] = {}
        query = _COMPARE.format(spider=spider)
        for source_id, rows, known, content, last_run, last_content in con.execute(
            query, [crawled, crawled]
        ).fetchall():
            if rows == 0:
                same = source_id in unchanged_304 and last_run is not None
                changed = False if same else None
            elif not skip_unchanged:
                changed = True
            elif series:
                changed = known < rows
            else:
                changed = content != last_content
            loads[source_id] = SourceLoad(
                source_id=source_id,
                kind=spider,
                rows=rows,
                # a series loads its new points only; any other kind its whole content
                rows_loaded=(rows - known if series else rows) if changed else 0,
                changed=changed,
                # a series needs no pointer back: its marts read every point ever loaded
                content_run_id=(
                    run_id
                    if changed
                    else last_run
                    if changed is False and spider not in SERIES_KEYS
                    else None
                ),
            )
        load = [sid for sid, loaded in loads.items() if loaded.changed]
        known_points = (
            f" and not exists (select 1 from raw.{spider} r where r.source_id = "
            "_landing.source_id and r._row_hash = _landing._row_hash)"
            if series
            else ""
        )
        con.execute(
            f"insert into raw.{spider} ({names}, _landing_file, _loaded_at, _row_hash) "
            f"select {names}, _landing_file, current_timestamp, _row_hash from _landing "
            f"where source_id in (select unnest(?::varchar[])){known_points}",
            [load],
        )
        con.execute("drop table if exists _landing")
        con.commit()
    except duckdb.Error as exc:
        con.rollback()
        message = str(exc).splitlines()[0]
        where = files[0] if len(files) == 1 else f"{len(files)} files of {spider}"
        raise LoadError(f"cannot load {where} into raw.{spider}: {message}") from exc
    except BaseException:
        con.rollback()
        raise
    return loads


_SOURCE_ID = re.compile(rb'"source_id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def load_apart(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    spider: str,
    locations: Sequence[Path | str],
    sources: Sequence[str],
    **options: Any,
) -> tuple[dict[str, SourceLoad], list[str]]:
    """After a kind's load failed: each source's lines loaded alone (load_kind, same
    options), so that one source's bad lines fail that source only, with the reason.

    The lines are split by their ``source_id`` into temporary files; the landing files stay
    as they were (raw data is never lost). Returns the loads and, for lines that name no
    source (not even readable enough for that), where they are: ``file:line``.
    """
    by_source: dict[str, list[bytes]] = {source: [] for source in sources}
    unattributed: list[str] = []
    for location in locations:
        with fsspec.open(str(location), "rb") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                found = _SOURCE_ID.search(line)
                source = found.group(1).decode() if found else None
                if source is None:
                    unattributed.append(f"{location}:{number}")
                else:
                    by_source.setdefault(source, []).append(line.rstrip(b"\n") + b"\n")
    loads: dict[str, SourceLoad] = {}
    with tempfile.TemporaryDirectory(prefix=f"radar-{spider}-apart-") as folder:
        for index, (source, lines) in enumerate(by_source.items()):
            part = Path(folder) / f"{index}.jsonl"
            part.write_bytes(b"".join(lines))
            try:
                loads |= load_kind(con, run_id, spider, [part], [source], **options)
            except LoadError as exc:
                # name the landing files, not the temporary part
                reason = str(exc).replace(str(part), f"{source}'s lines")
                where = ", ".join(str(location) for location in locations)
                loads[source] = SourceLoad(
                    source, spider, len(lines), 0, None, None, f"load failed: {reason} ({where})"
                )
    return loads, unattributed


def kinds_loaded_after(con: duckdb.DuckDBPyConnection, after: datetime) -> list[str]:
    """The kinds (raw tables) with a row loaded after ``after``."""
    ensure_raw(con)
    latest = " union all ".join(
        f"select '{spider}' as kind, max(_loaded_at) as loaded from raw.{spider}"
        for spider in RAW_COLUMNS
    )
    query = f"select kind from ({latest}) where loaded > ? order by kind"
    return [kind for (kind,) in con.execute(query, [after]).fetchall()]


def load_run(
    con_or_path: Connectable,
    run_id: str,
    landing_files: Mapping[str, Path | str | Sequence[Path | str]],
    *,
    skip_unchanged: bool = False,
) -> dict[str, int]:
    """Load one run's landing files into raw.<spider>; returns rows loaded per spider.

    ``landing_files`` maps a spider to its file, or to its files: local paths or fsspec
    URLs. Each spider loads in a transaction of its own (see load_kind). Missing or empty
    files load 0 rows (and remove an older copy of the run's sources in them).
    """
    unknown = sorted(set(landing_files) - set(RAW_COLUMNS))
    if unknown:
        raise ValueError(f"no raw table for spider(s) {unknown} (known: {sorted(RAW_COLUMNS)})")
    with connection(con_or_path) as con:
        ensure_raw(con)
        counts: dict[str, int] = {}
        for spider, files in landing_files.items():
            paths = [files] if isinstance(files, str | Path) else list(files)
            loads = load_kind(con, run_id, spider, paths, skip_unchanged=skip_unchanged)
            counts[spider] = sum(load.rows_loaded for load in loads.values())
        return counts
