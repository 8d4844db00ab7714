"""`radar serve`: every deployment of prefect.yaml, on its schedule, from one process.

prefect.yaml is the one place for deployments, schedules and parameters. The team
route reads it with `prefect deploy --all` (a server, a work pool, workers); this
module reads the same entries for a single machine: it imports each entrypoint's
flow, turns the entry into a runner deployment and serves them all with
`prefect.serve`, which registers them with the Prefect API, polls it for due runs
and runs each in a subprocess of this one.

Schedules need a Prefect API whose scheduler service runs: a local
`prefect server start` (then `PREFECT_API_URL=http://127.0.0.1:4200/api`) or
Prefect Cloud. Prefect's ephemeral API, which `radar run` uses when no
PREFECT_API_URL is set, runs without the scheduler and is gone with the process,
so nothing served against it would ever run: `serve` refuses it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from flows.settings import ROOT

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Schedule

PREFECT_YAML = ROOT / "prefect.yaml"
# The keys of a prefect.yaml schedule that `prefect.schedules.Schedule` takes as they are.
SCHEDULE_KEYS = {"cron", "interval", "rrule", "timezone", "anchor_date", "day_or", "active"}
SCHEDULE_KEYS |= {"parameters", "slug"}


class ServeError(Exception):
    """prefect.yaml or the environment does not allow serving."""


@dataclass(frozen=True)
class DeploymentSpec:
    """One entry of prefect.yaml's `deployments`."""

    name: str
    entrypoint: str
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def module_entrypoint(self) -> tuple[str, str]:
        """`flows.pipeline.pipeline` (or `flows/pipeline.py:pipeline`) -> module, flow name."""
        if ":" in self.entrypoint:
            path, _, name = self.entrypoint.rpartition(":")
            if not path.endswith(".py"):
                raise ServeError(f"{self.name}: entrypoint {self.entrypoint!r} is not file.py:flow")
            return ".".join(Path(path).with_suffix("").parts), name
        module, _, name = self.entrypoint.rpartition(".")
        if not module:
            raise ServeError(f"{self.name}: entrypoint {self.entrypoint!r} is not module.flow")
        return module, name


def load_specs(path: Path = PREFECT_YAML) -> list[DeploymentSpec]:
    """The deployments of prefect.yaml, in file order."""
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        DeploymentSpec(
            name=entry["name"],
            entrypoint=entry["entrypoint"],
            description=entry.get("description"),
            parameters=entry.get("parameters") or {},
            schedules=entry.get("schedules") or [],
            tags=entry.get("tags") or [],
        )
        for entry in config.get("deployments") or []
    ]


def to_schedule(entry: dict[str, Any]) -> Schedule:
    """A prefect.yaml schedule (`cron`/`interval`/`rrule`, `timezone`, `active`, ...)."""
    from prefect.schedules import Schedule

    unknown = set(entry) - SCHEDULE_KEYS
    if unknown:
        raise ServeError(f"schedule {entry}: unknown keys {sorted(unknown)}")
    kwargs = dict(entry)
    if isinstance(kwargs.get("interval"), int | float):
        kwargs["interval"] = timedelta(seconds=kwargs["interval"])
    if isinstance(kwargs.get("anchor_date"), str):
        kwargs["anchor_date"] = datetime.fromisoformat(kwargs["anchor_date"])
    return Schedule(**kwargs)


def load_flow(spec: DeploymentSpec) -> Flow:
    """Import the entrypoint's flow as a module of this package (importable from any cwd)."""
    module, name = spec.module_entrypoint
    return getattr(importlib.import_module(module), name)


def build_deployments(
    names: list[str] | None = None, path: Path = PREFECT_YAML
) -> list[RunnerDeployment]:
    """Runner deployments for prefect.yaml's deployments (or only those named)."""
    from prefect.deployments.runner import EntrypointType

    specs = load_specs(path)
    if names:
        unknown = sorted(set(names) - {spec.name for spec in specs})
        if unknown:
            known = ", ".join(spec.name for spec in specs)
            raise ServeError(f"no deployment named {', '.join(unknown)} in {path} ({known})")
        specs = [spec for spec in specs if spec.name in names]
    deployments = []
    for spec in specs:
        deployment = load_flow(spec).to_deployment(
            name=spec.name,
            description=spec.description,
            parameters=spec.parameters,
            schedules=[to_schedule(entry) for entry in spec.schedules],
            tags=spec.tags,
            # A module path, not a file path relative to the cwd: runs start from any directory.
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
        # Set, not left unset: serving a deployment that `prefect deploy` put on the radar
        # pool takes it off the pool, so its runs come here and not to a worker too.
        deployment.work_pool_name = None
        deployment.work_queue_name = None
        deployments.append(deployment)
    return deployments


def require_api() -> str:
    """The configured Prefect API URL; schedules never fire on the ephemeral API."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise ServeError(
            "serving needs a Prefect API with its scheduler: start one with "
            "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
            "(or log in to Prefect Cloud). Prefect's ephemeral API runs no scheduler."
        )
    return url


def serve(names: list[str] | None = None, limit: int = 1, path: Path = PREFECT_YAML) -> None:
    """Serve prefect.yaml's deployments (or only those named) until interrupted.

    `limit` runs at once: 1 by default, because the warehouse has one writer.
    """
    from prefect import serve as prefect_serve

    require_api()
    deployments = build_deployments(names, path)
    prefect_serve(*deployments, limit=limit)
