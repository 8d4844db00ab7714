"""Architects' SQL over the published file, sandboxed: one read-only query, capped and timed.

Two locks, each enough on its own for the worst cases:
1. Only a single SELECT (or EXPLAIN of one) is accepted; DuckDB's own parser says what a
   statement is, so `COPY`, `ATTACH`, `INSTALL`, `SET`, `CREATE` ... are refused before running.
2. The connection itself cannot do harm: the published file is attached READ_ONLY into a
   private in-memory database, then external access is switched off (no file is read, written,
   globbed or attached; no extension is installed or loaded) and the configuration is locked,
   so that a query cannot switch any of it back on.
A row cap keeps a careless `select *` from filling the screen, and a time limit interrupts a
query that runs too long.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

ROW_CAP = 10_000
TIME_LIMIT_S = 10.0
MEMORY_LIMIT = "1GB"
_CATALOG = "radar"
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

REFUSED = (
    "Refused: this console runs one read-only query (SELECT, WITH ... SELECT, DESCRIBE, SHOW, "
    "SUMMARIZE or EXPLAIN) at a time; it cannot write, copy to files, read or attach local "
    "files, install or load extensions, or change settings."
)

# The questions architects ask first; each runs as is over the published file.
EXAMPLES: dict[str, str] = {
    "Technologies gaining most momentum over 12 weeks": """\
select name, quadrant, ring, round(score, 1) as score,
    round(momentum_12w * 100, 1) as momentum_12w_pct
from marts.fct_tech_radar
where momentum_12w is not null
order by momentum_12w desc
limit 10""",
    "Competitors that raised prices in the last month": """\
select c.name as competitor, p.plan_name, p.billing_period, p.old_price, p.new_price,
    p.currency, p.change_pct, p.changed_at
from marts.fct_price_changes as p
join marts.dim_competitors as c using (competitor_id)
where p.change_kind = 'increase'
    and p.changed_at >= (select max(changed_at) from marts.fct_price_changes) - interval 1 month
order by p.changed_at desc, p.change_pct desc""",
    "Technologies competitors hire for": """\
select t.name as technology, count(distinct m.competitor_id) as competitors,
    sum(m.new_postings) as new_postings
from marts.fct_job_tech_mentions as m
join marts.dim_technologies as t using (technology_id)
group by t.name
order by competitors desc, new_postings desc""",
    "Tables and columns of the published file": """\
select schema_name, table_name, column_name, data_type, comment
from duckdb_columns()
where database_name = 'radar'
order by schema_name, table_name, column_index""",
}


class QueryFailed(Exception):
    """The query could not run (a mistake in it, or a refusal): the message says why."""


class QueryRefused(QueryFailed):
    """The statement is not a single read-only query, or DuckDB's sandbox stopped it."""


@dataclass
class Answer:
    frame: pd.DataFrame
    truncated: bool  # more rows than the cap: only the first ROW_CAP are in frame
    seconds: float


def sandbox(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection that sees the published file read-only and nothing else of the machine."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {_CATALOG} (READ_ONLY)", [str(path)])
    con.execute(f"USE {_CATALOG}")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET allow_community_extensions = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_statement(sql: str) -> str:
    """The one statement of `sql`, if it is a read-only query; else QueryRefused."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryRefused(f"The query does not parse: {error}") from error
    if len(statements) != 1:
        raise QueryRefused(f"{REFUSED} (found {len(statements)} statements)")
    (statement,) = statements
    if statement.type not in _ALLOWED:
        kind = statement.type.name.replace("_", " ")
        raise QueryRefused(f"{REFUSED} (this is a {kind} statement)")
    return statement.query


def run_query(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    row_cap: int = ROW_CAP,
    time_limit_s: float = TIME_LIMIT_S,
) -> Answer:
    """Run one read-only query in the sandbox: at most `row_cap` rows, at most `time_limit_s`."""
    query = check_statement(sql).strip().rstrip(";")
    cursor = con.cursor()
    cursor.execute(f"USE {_CATALOG}")  # a cursor starts in the in-memory catalog
    timer = threading.Timer(time_limit_s, cursor.interrupt)
    start = time.monotonic()
    timer.start()
    try:
        frame = cursor.sql(query).limit(row_cap + 1).df()
    except duckdb.InterruptException as error:
        raise QueryRefused(
            f"Stopped: the query ran longer than the limit of {time_limit_s:g} s."
        ) from error
    except duckdb.PermissionException as error:
        raise QueryRefused(f"{REFUSED} DuckDB said: {error}") from error
    except duckdb.Error as error:
        raise QueryFailed(f"DuckDB could not run the query: {error}") from error
    finally:
        timer.cancel()
        cursor.close()
    return Answer(frame.head(row_cap), len(frame) > row_cap, time.monotonic() - start)
