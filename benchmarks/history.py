"""A year of daily runs of a scaled market, written straight into a warehouse: the history a
benchmark measures a new day against.

A real year of daily crawls of market L would take hours to replay; what matters for the
measurement is what such a year leaves in the warehouse. So each day between a real first
run and the measured days gets what its run would have loaded and recorded, computed from
the same story functions the demo web answers from (``demo.generate`` through
``demo.market``):

- every technology source's new points (a day of downloads and page views, a week of
  Hacker News stories on Mondays) and its counters (stars, questions), as raw rows with
  the loader's row hashes, and an ok ledger row;
- every competitor source crawled unchanged: a ledger row pointing at the run that holds
  its content (the real first run), as the loader records an unchanged crawl.

The raw tables' columns and hashes come from flows.load, so the rows are the loader's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from demo import generate as story
from demo.market import Market, copy_name, factor
from flows.catalog import load_catalog
from flows.ledger import ensure_ledger
from flows.load import RAW_COLUMNS, ensure_raw, row_hash_sql

OBSERVED = time(6, 0)


def run_id(day: date) -> str:
    return f"history-{day:%Y%m%d}"


def _scaled(value: float, f: float) -> int:
    return round(value * f)


def _repo_row(template: str, n: int, day: date) -> dict[str, Any]:
    tech = story.TECHS[template]
    spdx, _, forks_per_star, *_ = story.REPOS[template]
    f = factor(template, n)
    stars = _scaled(story.signal_expected(template, "stars", day), f)
    releases = story.tech_releases(template, day)
    year_ago = datetime.combine(day - timedelta(days=365), time(), UTC)
    pushed = datetime.combine(day - timedelta(days=1), time(21, 37, 5), UTC)
    return {
        "repo": copy_name(tech.repo, n),
        "stars": stars,
        "forks": round(stars * forks_per_star),
        "watchers": max(1, round(stars * 0.025)),
        "open_issues": 200 + story._ident("issues", tech.repo, str(day)) % 1800,
        "pushed_at": pushed,
        "archived": template in story.ARCHIVED,
        "license": spdx,
        "default_branch": "trunk" if template == "sqoop" else "main",
        "last_release_at": releases[0][1] if releases else None,
        "releases_last_12m": sum(when >= year_ago for _, when in releases),
        "homepage": None,
    }


def _rows(kind: str, template: str, n: int, day: date) -> list[dict[str, Any]]:
    """What the source of ``kind`` for copy ``n`` of ``template`` loads on ``day``."""
    tech = story.TECHS[template]
    f = factor(template, n)
    yesterday = day - timedelta(days=1)
    if kind == "pypistats":
        value = story.downloads(tech.package, yesterday)
        return [{"package": copy_name(tech.package, n), "date": yesterday,
                 "downloads": _scaled(value, f), "category": "without_mirrors"}]  # fmt: skip
    if kind == "npm_downloads":
        value = story.daily_value(template, "npm", yesterday)
        return [{"package": copy_name(tech.npm, n), "date": yesterday,
                 "downloads": _scaled(value, f), "category": "npm"}]  # fmt: skip
    if kind == "wikipedia_pageviews":
        value = story.daily_value(template, "views", yesterday)
        return [{"article": copy_name(tech.article, n), "date": yesterday,
                 "views": _scaled(value, f)}]  # fmt: skip
    if kind == "hn_mentions":
        if day.weekday() != 0:
            return []
        monday = day - timedelta(days=7)
        stories = story.signal_expected(template, "hn", monday + timedelta(days=3))
        start = datetime.combine(monday, time(), UTC)
        return [{"query": copy_name(tech.hn, n), "week_start": monday,
                 "stories": _scaled(stories, f), "window_start": start,
                 "window_end": start + timedelta(days=7)}]  # fmt: skip
    if kind == "github_repo":
        return [_repo_row(template, n, day)]
    if kind == "stackexchange_tags":
        count = story.signal_expected(template, "questions", day)
        return [{"tag": copy_name(tech.tag, n), "question_count": _scaled(count, f),
                 "has_synonyms": tech.tag in story.TAG_SYNONYMS}]  # fmt: skip
    raise ValueError(f"no history for kind {kind!r}")


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def write_history(
    warehouse: str, market: Market, catalog_dir: Any, first: date, last: date, base_run: str
) -> dict[str, int]:
    """Daily runs from ``first`` to ``last`` (both included) into the warehouse, after the
    real run ``base_run`` that crawled the competitors. Returns raw rows per kind."""
    catalog = load_catalog(catalog_dir)
    templates = {copy_name(t, n): (t, n) for t, n in market.technology_copies()}
    tech_sources = [
        s for s in catalog.sources if s.enabled and s.subject_type == "technology"
        and not (s.spider == "wikipedia_pageviews" and s.subject_id.startswith("dagster"))
    ]  # fmt: skip
    totals: dict[str, int] = {}
    days = list(_days(first, last))
    with duckdb.connect(warehouse) as con:
        ensure_raw(con)
        ensure_ledger(con)
        for start in range(0, len(days), 28):  # four weeks at a time: memory stays small
            rows, ledger, runs = _chunk(days[start : start + 28], tech_sources, templates)
            con.begin()
            for kind, kind_rows in rows.items():
                _insert_raw(con, kind, kind_rows)
                totals[kind] = totals.get(kind, 0) + len(kind_rows)
            for table, table_rows in (("ops.source_runs", ledger), ("ops.runs", runs)):
                con.register("_history", pa.Table.from_pylist(table_rows))
                names = ", ".join(table_rows[0])
                con.execute(f"insert into {table} ({names}) select {names} from _history")
                con.unregister("_history")
            con.commit()
        # every competitor source crawled unchanged each day: the base run holds its content
        con.execute(
            """
            insert into ops.source_runs by name
            select s.* replace (
                    h.run_id as run_id, h.observed_at as observed_at,
                    h.observed_at as started_at, h.observed_at as finished_at,
                    false as changed, 0 as rows_loaded, s.run_id as content_run_id
                )
            from ops.source_runs s
            cross join (select run_id, observed_at from ops.runs where run_id like 'history-2%') h
            where s.run_id = ? and s.subject_type = 'competitor' and s.status = 'ok'
            """,
            [base_run],
        )
    return totals


def _insert_raw(con: duckdb.DuckDBPyConnection, kind: str, kind_rows: list[dict]) -> None:
    if not kind_rows:
        return
    columns = list(RAW_COLUMNS[kind])
    con.register("_history", pa.Table.from_pylist(kind_rows))
    names = ", ".join(f'"{c}"' for c in columns)
    typed = ", ".join(f'"{c}"::{RAW_COLUMNS[kind][c]} as "{c}"' for c in columns)
    con.execute(
        f"insert into raw.{kind} ({names}, _landing_file, _loaded_at, _row_hash) "
        f"select {names}, null, now(), {row_hash_sql(kind)} from (select {typed} from _history)"
    )
    con.unregister("_history")


def _chunk(days: list[date], tech_sources: list, templates: dict) -> tuple[dict, list, list]:
    rows: dict[str, list[dict[str, Any]]] = {}
    ledger: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    for day in days:
        observed = datetime.combine(day, OBSERVED, UTC)
        rid = run_id(day)
        changed = 0
        for source in tech_sources:
            template, n = templates[source.subject_id]
            landed = _rows(source.spider, template, n, day)
            for row in landed:
                rows.setdefault(source.spider, []).append(
                    {
                        "run_id": rid,
                        "source": source.spider,
                        "source_id": source.source_id,
                        "observed_at": observed,
                        "url": source.url,
                        "technology_id": source.subject_id,
                        **row,
                    }
                )
            changed += bool(landed)
            ledger.append(
                {"run_id": rid, "source_id": source.source_id, "source_kind": source.spider,
                 "subject_type": "technology", "subject_id": source.subject_id,
                 "status": "ok", "started_at": observed, "finished_at": observed,
                 "duration_seconds": 0.0, "attempts": 1, "requests": 1,
                 "responses": json.dumps({"200": 1}), "items": len(landed),
                 "parse_problems": 0, "robots_refused": 0, "retries": 0,
                 "observed_at": observed, "changed": bool(landed), "rows_loaded": len(landed)}
            )  # fmt: skip
        runs.append(
            {"run_id": rid, "catalog": "bench", "started_at": observed, "finished_at": observed,
             "observed_at": observed, "status": "succeeded", "published": False,
             "changed_sources": changed}
        )  # fmt: skip
    return rows, ledger, runs
