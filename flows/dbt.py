"""Run dbt on the warehouse in-process (dbtRunner): `dbt build`, saying clearly what failed,
and `dbt source freshness` of the raw tables, one row per source kind.

The dbt project lives in dbt/ with its profiles.yml; the warehouse path and the catalog
(demo|real, which seed folder is enabled) reach it through RADAR_WAREHOUSE_PATH and
RADAR_CATALOG. dbt-duckdb keeps one connection open for an invocation, and it is closed
when dbt returns, so the warehouse file is not locked afterwards.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.ledger import connection
from flows.settings import Settings

DBT_DIR = Path(__file__).resolve().parent.parent / "dbt"
CATALOGS = ("real", "demo", "bench")

# dbtRunner reads its configuration from the process environment; one build at a time.
_LOCK = threading.Lock()


class DbtBuildError(RuntimeError):
    """dbt build failed; the message lists the failing nodes and their messages."""


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str
    message: str | None
    seconds: float


@dataclass
class DbtResult:
    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    # one line naming every failing node and its message (None when the build succeeded)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.success

    @property
    def passed(self) -> int:
        return sum(n.status in ("success", "pass") for n in self.nodes)

    @property
    def failed(self) -> int:
        return sum(n.status in ("error", "fail", "runtime error") for n in self.nodes)

    @property
    def warned(self) -> int:
        return sum(n.status == "warn" for n in self.nodes)

    @property
    def skipped(self) -> int:
        return sum(n.status == "skipped" for n in self.nodes)

    @property
    def marts(self) -> list[str]:
        """The marts (fct_/dim_ models) this build built."""
        return sorted(
            n.name
            for n in self.nodes
            if n.resource_type == "model"
            and n.status == "success"
            and n.name[:4] in ("fct_", "dim_")
        )

    @property
    def failures(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in ("error", "fail", "runtime error")]

    def summary(self) -> str:
        head = (
            f"dbt build {'succeeded' if self.success else 'FAILED'} in {self.seconds:.1f}s: "
            f"{self.passed} passed, {self.failed} failed, {self.warned} warned, "
            f"{self.skipped} skipped"
        )
        lines = [head]
        lines += [f"  {n.resource_type} {n.name}: {n.status}: {n.message}" for n in self.failures]
        if self.error and not self.failures:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)

    def raise_for_failure(self) -> DbtResult:
        if not self.success:
            raise DbtBuildError(self.summary())
        return self


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _node_results(run_result: object) -> list[NodeResult]:
    nodes = []
    for res in getattr(run_result, "results", None) or []:
        node = res.node
        nodes.append(
            NodeResult(
                unique_id=node.unique_id,
                name=node.name,
                resource_type=str(node.resource_type),
                status=str(res.status),
                message=res.message,
                seconds=float(res.execution_time or 0.0),
            )
        )
    return nodes


def run_dbt(
    args: Sequence[str],
    warehouse_path: Path | str,
    catalog: str = "real",
    *,
    project_dir: Path | str | None = None,
) -> Any:
    """Invoke dbt (`args` = command and its options) on the warehouse; returns dbtRunnerResult.

    Adds the project, profiles and log paths. Creates the raw and ops tables first: sources
    must exist even before the first load, or dbt fails on a fresh warehouse.
    """
    from dbt.cli.main import dbtRunner  # slow import (~2 s): only when running dbt

    if catalog not in CATALOGS:
        raise ValueError(f"catalog must be one of {CATALOGS}, got {catalog!r}")
    project = Path(project_dir) if project_dir else DBT_DIR
    warehouse = Path(warehouse_path).resolve()

    from flows.load import ensure_raw

    with connection(warehouse) as con:
        ensure_raw(con)

    invocation = [
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--log-path",
        str(project / "logs"),
        "--log-level",
        "warn",
    ]
    env = {
        "RADAR_WAREHOUSE_PATH": str(warehouse),
        "RADAR_CATALOG": catalog,
        "RADAR_BUILD_MEMORY_LIMIT": Settings().build_memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with _LOCK, _environment(env):
        try:
            return dbtRunner().invoke(invocation)
        finally:
            _release_warehouse()


def _release_warehouse() -> None:
    """Close dbt-duckdb's connection, kept open for the invocation (profiles.yml keep_open):
    the warehouse file must not stay locked once dbt returns."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
            DuckDBConnectionManager._ENV = None


def dbt_build(
    warehouse_path: Path | str,
    catalog: str = "real",
    *,
    project_dir: Path | str | None = None,
    select: Sequence[str] | None = None,
    full_refresh: bool = False,
    extra_args: Sequence[str] = (),
) -> DbtResult:
    """`dbt build` (seeds, models, tests) against the warehouse; never raises for dbt failures.

    Check `.success` or call `.raise_for_failure()`. Close your own read-write connections to
    the warehouse first: dbt-duckdb opens the file itself.
    """
    args = ["build"]
    if select:
        args += ["--select", *select]
    if full_refresh:
        args.append("--full-refresh")
    args += list(extra_args)
    project = Path(project_dir) if project_dir else DBT_DIR
    started = time.perf_counter()
    outcome = run_dbt(args, warehouse_path, catalog, project_dir=project)
    seconds = time.perf_counter() - started
    nodes = _node_results(outcome.result)
    result = DbtResult(success=bool(outcome.success), nodes=nodes, seconds=seconds)
    if outcome.exception is not None:
        result.error = f"{type(outcome.exception).__name__}: {outcome.exception}"
    elif result.failures:
        result.error = "; ".join(
            f"{n.name}: {' '.join((n.message or n.status).split())}" for n in result.failures
        )
    elif not result.success:
        result.error = f"dbt build failed without a failing node (see {project / 'logs'})"
    return result


FRESHNESS_STATUSES = ("pass", "warn", "error", "runtime error")


def _freshness_block(warn_after_hours: float, error_after_hours: float) -> dict[str, Any]:
    """A dbt freshness block; whole hours as hours, anything else in minutes (dbt counts are
    integers)."""

    def period(hours: float) -> dict[str, Any]:
        if float(hours).is_integer():
            return {"count": int(hours), "period": "hour"}
        return {"count": max(round(hours * 60), 1), "period": "minute"}

    return {"warn_after": period(warn_after_hours), "error_after": period(error_after_hours)}


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def source_freshness(
    warehouse_path: Path | str,
    catalog: str,
    thresholds: Mapping[str, tuple[float, float]],
    *,
    project_dir: Path | str | None = None,
    as_of: datetime | None = None,
    crawled: Mapping[str, datetime] | None = None,
) -> list[dict[str, Any]]:
    """`dbt source freshness` of raw.<kind> on observed_at for each source kind in thresholds.

    ``as_of`` judges ages at that time instead of dbt's wall clock (a run's observed_at: the
    demo's "now" is its snapshot's day). ``crawled``: per kind, the newest ok crawl, which
    counts as an observation even when its content was unchanged and so not loaded again
    (raw.<kind> then holds only the older run's rows).

    thresholds maps a source kind (= spider name = raw table) to (warn_after_hours,
    error_after_hours); they reach dbt as the var `freshness` (see dbt/dbt_project.yml).
    Returns one dict per kind, in the order given, with the columns of ops.source_freshness
    except run_id: source_kind, max_observed_at, checked_at, age_hours, warn_after_hours,
    error_after_hours, status (pass|warn|error|runtime error) and error. An empty raw table
    is status error with max_observed_at null and the reason in error; a kind dbt cannot
    check (no such source, a failing query) is a runtime error. Never raises for dbt failures.
    """
    thresholds = dict(thresholds)
    for kind, (warn, error) in thresholds.items():
        if not 0 < warn <= error:
            raise ValueError(
                f"freshness of {kind!r}: need 0 < warn_after_hours <= error_after_hours, "
                f"got ({warn}, {error})"
            )
    if not thresholds:
        return []
    freshness_vars = {
        "freshness": {kind: _freshness_block(*hours) for kind, hours in thresholds.items()}
    }
    args = [
        "source",
        "freshness",
        "--select",
        *(f"source:raw.{kind}" for kind in thresholds),
        "--vars",
        json.dumps(freshness_vars),
    ]
    outcome = run_dbt(args, warehouse_path, catalog, project_dir=project_dir)
    by_kind = {}
    for res in getattr(outcome.result, "results", None) or []:
        by_kind[res.node.name] = res
    failure = (
        f"{type(outcome.exception).__name__}: {outcome.exception}"
        if outcome.exception is not None
        else None
    )
    now = datetime.now(UTC)
    rows = []
    for kind, (warn, error) in thresholds.items():
        row: dict[str, Any] = {
            "source_kind": kind,
            "max_observed_at": None,
            "checked_at": now,
            "age_hours": None,
            "warn_after_hours": float(warn),
            "error_after_hours": float(error),
            "status": "runtime error",
            "error": None,
        }
        res = by_kind.get(kind)
        if res is None:
            row["error"] = _one_line(failure) or f"dbt has no source raw.{kind} to check"
        elif str(res.status) == "runtime error" or not hasattr(res, "max_loaded_at"):
            row["error"] = _one_line(res.message) or "dbt could not check freshness"
        else:
            row["checked_at"] = res.snapshotted_at.astimezone(UTC)
            row["status"] = str(res.status)
            # dbt reports an empty table as stale since 0001-01-01
            if res.max_loaded_at.year <= 1:
                row["status"] = "error"
                row["error"] = f"raw.{kind} has no rows: nothing of this kind was ever loaded"
            else:
                newest = max(res.max_loaded_at.astimezone(UTC), (crawled or {}).get(kind, _EPOCH))
                row["max_observed_at"] = newest
                row["age_hours"] = float(res.age) / 3600
                if as_of is not None or newest > res.max_loaded_at.astimezone(UTC):
                    row["checked_at"] = as_of or row["checked_at"]
                    row["age_hours"] = max(0.0, (row["checked_at"] - newest).total_seconds() / 3600)
                    row["status"] = (
                        "error"
                        if row["age_hours"] > error
                        else "warn"
                        if row["age_hours"] > warn
                        else "pass"
                    )
                if row["status"] in ("warn", "error"):
                    limit = warn if row["status"] == "warn" else error
                    row["error"] = (
                        f"last observation {row['age_hours']:.1f} h ago, over the "
                        f"{row['status']} threshold of {limit:g} h"
                    )
        rows.append(row)
    return rows
