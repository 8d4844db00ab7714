"""Run `dbt build` on the warehouse in-process (dbtRunner), and say clearly what failed.

The dbt project lives in dbt/ with its profiles.yml; the warehouse path and the catalog
(demo|real, which seed folder is enabled) reach it through RADAR_WAREHOUSE_PATH and
RADAR_CATALOG. The profile has keep_open: false, so the warehouse file is not locked once
the build returns.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flows.ledger import connection

DBT_DIR = Path(__file__).resolve().parent.parent / "dbt"

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


def dbt_build(
    warehouse_path: Path | str,
    catalog: str = "real",
    *,
    project_dir: Path | str | None = None,
    select: Sequence[str] | None = None,
    extra_args: Sequence[str] = (),
) -> DbtResult:
    """`dbt build` (seeds, models, tests) against the warehouse; never raises for dbt failures.

    Check `.success` or call `.raise_for_failure()`. Close your own read-write connections to
    the warehouse first: dbt-duckdb opens the file itself.
    """
    from dbt.cli.main import dbtRunner  # slow import (~2 s): only when building

    if catalog not in ("demo", "real"):
        raise ValueError(f"catalog must be 'demo' or 'real', got {catalog!r}")
    project = Path(project_dir) if project_dir else DBT_DIR
    warehouse = Path(warehouse_path).resolve()

    # Sources must exist even before the first load, or dbt fails on a fresh warehouse.
    from flows.load import ensure_raw

    with connection(warehouse) as con:
        ensure_raw(con)

    args = [
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--log-path",
        str(project / "logs"),
        "--log-level",
        "warn",
    ]
    if select:
        args += ["--select", *select]
    args += list(extra_args)
    env = {
        "RADAR_WAREHOUSE_PATH": str(warehouse),
        "RADAR_CATALOG": catalog,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    started = time.perf_counter()
    with _LOCK, _environment(env):
        outcome = dbtRunner().invoke(args)
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
