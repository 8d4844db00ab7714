"""Read-only access to the published Market Radar file.

The app reads only `<data_dir>/published/radar.duckdb`, which the pipeline swaps in by
rename. Every cache below is keyed by the file's identity (path, mtime, inode), so a new
publication is picked up on the next rerun without restarting the app.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import streamlit as st

REPO_ROOT = Path(__file__).resolve().parent.parent

# Alias of the attached published file inside each private in-memory DuckDB instance.
_CATALOG = "radar"

EMPTY_STATE = (
    "No published data yet. Run `make demo` or `radar run` to build and publish "
    "`{path}`, then reload this page."
)


OUTDATED_STATE = (
    "This publication predates {what} (`{table}` is not in `{path}`); "
    "run the pipeline again (`radar run`, or `make demo`) to publish it."
)


class Publication(NamedTuple):
    """Identity of one published file: a rename swaps in a new inode and mtime."""

    path: str
    mtime_ns: int
    inode: int

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, tz=UTC)


def published_path() -> Path:
    """Where the published file lives: RADAR_PUBLISHED_PATH, else RADAR_DATA_DIR/published."""
    override = os.environ.get("RADAR_PUBLISHED_PATH")
    if override:
        return Path(override).expanduser().resolve()
    data_dir = os.environ.get("RADAR_DATA_DIR")
    base = Path(data_dir).expanduser() if data_dir else REPO_ROOT / "data"
    return (base / "published" / "radar.duckdb").resolve()


def current_publication() -> Publication | None:
    path = published_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Publication(str(path), stat.st_mtime_ns, stat.st_ino)


def require_publication() -> Publication:
    """The current publication, or an explanation of how to make one and a stopped script."""
    publication = current_publication()
    if publication is None:
        st.info(EMPTY_STATE.format(path=published_path()), icon=":material/info:")
        st.stop()
    return publication


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _connect(publication: Publication) -> duckdb.DuckDBPyConnection:
    # Not `duckdb.connect(path, read_only=True)`: DuckDB caches database instances by path
    # inside the process, so while any connection to the old file is open, a new connect
    # to the same path silently returns the *replaced* file. Attaching the file to a
    # private in-memory instance gives every publication its own database.
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {_CATALOG} (READ_ONLY)", [publication.path])
    return con


@st.cache_data(ttl=60, show_spinner=False)
def _query(publication: Publication, sql: str, params: list[Any]) -> pd.DataFrame:
    # A cursor per query: the cached connection is shared by every session's thread.
    cursor = _connect(publication).cursor()
    try:
        # Settings are per cursor: resolve `marts.x` in the published file, show UTC.
        cursor.execute(f"USE {_CATALOG}; SET TimeZone = 'UTC'")
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


def query(sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a read-only query against the current publication."""
    return _query(require_publication(), sql, list(params or []))


def published_at(publication: Publication) -> datetime:
    """When the data was published: the last finished run, else the file's mtime."""
    runs = query("select max(finished_at) as finished_at from ops.runs")
    finished_at = runs["finished_at"].iloc[0]
    if pd.isna(finished_at):
        return publication.modified_at
    return finished_at.to_pydatetime()


def _missing_table(error: duckdb.CatalogException) -> str | None:
    match = re.search(r'Table with name "?([\w.]+)"? does not exist', str(error))
    return match.group(1) if match else None


def query_mart(
    sql: str, params: list[Any] | None = None, *, what: str, explain: bool = True
) -> pd.DataFrame | None:
    """`query`, but a table missing from an older publication is explained instead of raised.

    `what` names, for the reader, what the missing table holds ("releases"). Returns None,
    after a warning that names the table (unless `explain` is false), when the publication
    does not have it.
    """
    try:
        return query(sql, params)
    except duckdb.CatalogException as error:
        table = _missing_table(error)
        if table is None:  # a missing column or function is a bug to see, not an old file
            raise
        if explain:
            st.warning(
                OUTDATED_STATE.format(what=what, table=table, path=published_path()),
                icon=":material/history:",
            )
        return None
