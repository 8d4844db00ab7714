"""Every ops.* table and column carries a comment, in the warehouse and so in the published
file, for architects reading `duckdb_columns()`."""

from __future__ import annotations

import duckdb

from flows.ledger import ensure_ledger
from flows.ledger_docs import COLUMNS


def test_every_ops_column_has_a_comment(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ensure_ledger(con)
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'ops' order by all"
        ).fetchall()
        tables = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'ops'"
            ).fetchall()
        )

    assert len(columns) == 55
    assert [(t, c) for t, c, comment in columns if not comment] == []
    # every documented column exists: no comment describes a column the ledger lacks
    assert {(t, c) for t, c, _ in columns} == {(t, c) for t in COLUMNS for c in COLUMNS[t]}
    assert tables["runs"].startswith("One row per pipeline run")
    comments = {(t, c): comment for t, c, comment in columns}
    assert comments["source_freshness", "age_hours"] == "Hours from max_observed_at to checked_at."


def test_comments_are_written_once(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_ledger(con)
        con.execute("comment on column ops.runs.error is 'changed by hand'")
        ensure_ledger(con)  # nothing missing: nothing rewritten
        (text,) = con.execute(
            "select comment from duckdb_columns() where table_name = 'runs' "
            "and column_name = 'error'"
        ).fetchone()
    assert text == "changed by hand"
