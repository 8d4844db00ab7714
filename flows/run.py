"""A pipeline run's bookkeeping, so that the flow can read as the pipeline.

:class:`Run` holds the run's ledger row (ops.runs) from start to end, records what each
source did (ops.source_runs: the crawl's outcome and the load's), decides whether anything
changed since the last published run, and on the way out leaves the run's report (a
Prefect artifact) and sends its alerts, whatever happened. Step timings are read back from
the flow run's Prefect task runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import prefect.runtime as prefect_runtime
from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.alerts import Alert, market_alerts, previous_rings, run_alerts, send_alerts
from flows.crawl import CrawlResult
from flows.ledger import (
    connection,
    ensure_ledger,
    finish_run,
    last_ok_items,
    record_source_runs,
    recover_crashed,
    start_run,
)
from flows.load import SourceLoad, kinds_loaded_after
from flows.publish import set_aside_unreadable
from flows.report import run_report
from flows.settings import Settings
from scrapers import redact


class PipelineFailed(RuntimeError):
    """A gate failed (dbt build or quality checks): nothing was published."""


class DataDirBusy(PipelineFailed):
    """Another run holds the data dir (or another process the warehouse): not started."""


class RunLock:
    """One writer per data dir: an exclusive ``flock`` on ``<data dir>/run.lock``, which
    names its holder (pid, run id, start). The kernel drops the lock when the holding
    process ends, however it ends, so a crashed run leaves no stale lock behind: the next
    run takes it and finds the crashed run's ledger row still 'running'."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "run.lock"
        self._file: Any = None

    def acquire(self, run_id: str, wait_seconds: float = 0) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self.holder()
                    handle.close()
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds else ""
                    raise DataDirBusy(
                        f"{self.path.parent} is in use by {holder}{waited}: one run at a time "
                        "writes a data dir (RADAR_RUN_LOCK_WAIT_SECONDS to wait longer)"
                    ) from None
                time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "run_id": run_id, "started_at": started}))
        handle.flush()
        self._file = handle

    def holder(self) -> str:
        try:
            held = json.loads(self.path.read_text() or "{}")
        except (OSError, ValueError):
            held = {}
        if not held:
            return "another run"
        return f"run {held.get('run_id')} (pid {held.get('pid')}, since {held.get('started_at')})"

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the lock
            self._file = None


@dataclass
class RunSummary:
    run_id: str
    catalog: str
    observed_at: str
    status: str = "running"
    # per source kind (spider)
    items: dict[str, int] = field(default_factory=dict)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    parse_problems: dict[str, int] = field(default_factory=dict)
    # per source_id, for every source that was not ok (its ops.source_runs error)
    source_errors: dict[str, str] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)  # source runs by status
    changed_sources: int = 0
    # why build, checks and publish did not run (nothing changed), else None
    skipped: str | None = None
    checks_passed: int = 0
    checks_failed: int = 0
    published_path: str | None = None
    published_rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    # what the run did besides its steps that an operator should know (kept in the ledger)
    notes: list[str] = field(default_factory=list)


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def build_fingerprint(settings: Settings) -> str:
    """What the marts are built from besides raw data: the catalog, the dbt project and
    the quality suites. A run that changed none of it and loaded nothing new need not build."""
    digest = hashlib.sha256()
    roots = [settings.catalog_dir, settings.dbt_dir]
    roots += [settings.seeds_dir / name for name in ("signal_weights.csv", "exchange_rates.csv")]
    roots.append(settings.root / "flows" / "quality")
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            relative = path.relative_to(root.parent)
            if (
                path.is_file()
                and not {"target", "logs"} & set(relative.parts)
                and (path.suffix in {".csv", ".sql", ".yml", ".yaml", ".md", ".py"})
            ):
                digest.update(relative.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Run:
    """One pipeline run: ``with Run.start(settings) as run: ...``."""

    def __init__(self, settings: Settings, summary: RunSummary, lock: RunLock) -> None:
        self.settings = settings
        self.summary = summary
        self.lock = lock
        self.source_rows: list[dict[str, Any]] = []
        self.fingerprint = build_fingerprint(settings)
        self.rings_before: dict[str, str] = {}

    @classmethod
    def start(
        cls, settings: Settings, run_id: str | None = None, observed_at: str | None = None
    ) -> Run:
        started = datetime.now(UTC)
        observed = datetime.fromisoformat(observed_at) if observed_at else started
        if observed.tzinfo is None:
            observed = observed.replace(tzinfo=UTC)
        summary = RunSummary(
            run_id=run_id or new_run_id(started),
            catalog=settings.catalog,
            observed_at=observed.isoformat(),
        )
        redact.install()  # no secret of the environment in this process's log lines
        lock = RunLock(settings.data_dir)
        try:
            lock.acquire(summary.run_id, settings.run_lock_wait_seconds)
        except DataDirBusy as exc:
            _record_refusal(settings, summary, observed, str(exc))
            raise
        try:
            crashed = recover_crashed(
                settings.warehouse_path, summary.run_id, settings.published_path
            )
            start_run(settings.warehouse_path, summary.run_id, settings.catalog, observed)
        except duckdb.IOException as exc:
            lock.release()
            raise DataDirBusy(
                f"warehouse {settings.warehouse_path} cannot be opened: {exc}"
            ) from None
        except BaseException:
            lock.release()
            raise
        if crashed:
            get_run_logger().warning("runs %s had crashed; marked so", ", ".join(crashed))
            _mark_flow_runs_crashed(crashed, summary.run_id)
        return cls(settings, summary, lock)

    @property
    def run_id(self) -> str:
        return self.summary.run_id

    @property
    def observed_at(self) -> str:
        return self.summary.observed_at

    # -- the steps' outcomes ---------------------------------------------------------

    def record(self, results: Iterable[CrawlResult], loads: Mapping[str, SourceLoad]) -> None:
        """What each source did, crawled and loaded, into ops.source_runs and the summary."""
        s = self.summary
        previous = last_ok_items(self.settings.warehouse_path, s.run_id)
        rows = []
        for result in results:
            row = result.source_run(s.run_id, s.observed_at, previous.get(result.source_id))
            loaded = loads.get(result.source_id)
            if loaded is not None and loaded.error:
                row["status"] = "failed"
                row["error"] = loaded.error
            row.update(
                changed=loaded.changed if loaded else None,
                rows_loaded=loaded.rows_loaded if loaded else 0,
                content_run_id=loaded.content_run_id if loaded else None,
                etag=result.stats.get("etag"),
                last_modified=result.stats.get("last_modified"),
            )
            rows.append(row)
            kind = result.spider
            s.items[kind] = s.items.get(kind, 0) + result.items
            s.rows_loaded[kind] = s.rows_loaded.get(kind, 0) + row["rows_loaded"]
            s.parse_problems[kind] = s.parse_problems.get(kind, 0) + result.parse_problems
            if row["status"] != "ok":
                s.source_errors[result.source_id] = f"{row['status']}: {row['error']}"
                get_run_logger().warning(
                    "source %s %s: %s", result.source_id, row["status"], row["error"]
                )
        record_source_runs(self.settings.warehouse_path, s.run_id, rows)
        self.source_rows = rows
        s.sources = dict(Counter(row["status"] for row in rows))
        s.changed_sources = sum(bool(row["changed"]) for row in rows)

    def _since_published(self) -> list[str] | None:
        """The kinds with rows loaded since the last published run finished (by this run,
        or by one that then failed); None when a whole build is due: nothing was ever
        published, or the catalog, dbt project or quality suites changed since."""
        with connection(self.settings.warehouse_path) as con:
            ensure_ledger(con)
            last = con.execute(
                "select finished_at, build_fingerprint from ops.runs "
                "where published and run_id <> ? order by started_at desc limit 1",
                [self.run_id],
            ).fetchone()
            if last is None or last[1] != self.fingerprint:
                return None
            return kinds_loaded_after(con, last[0])

    def unchanged(self) -> bool:
        """True when building would give the published marts again: nothing was loaded
        since the last publication and the code and catalog are as they were then."""
        if self.summary.changed_sources or not self.settings.published_path.exists():
            return False
        return self._since_published() == []

    def build_scope(self) -> list[str] | None:
        """The source kinds whose downstream models this run's build refreshes: the kinds
        it crawled (an unchanged crawl is an observation too) and any loaded since the last
        publication. None: build everything, incremental models from scratch."""
        loaded = self._since_published()
        if loaded is None:
            return None
        return sorted({row["source_kind"] for row in self.source_rows} | set(loaded))

    def skip(self, reason: str) -> None:
        self.summary.skipped = reason
        get_run_logger().info("run %s: %s; build, checks and publish skipped", self.run_id, reason)

    def checked(self, report: Any) -> None:
        self.summary.checks_passed, self.summary.checks_failed = report.passed, report.failed
        if not report.ok:
            raise PipelineFailed(
                f"{report.failed} quality check(s) failed: {report.describe_failures()}"
            )

    def ready_to_publish(self) -> None:
        """The ledger's row says 'publishing' while the file is copied and swapped in (the
        copy's row says how the run ended: see flows.publish); `published` finishes it. If
        publishing fails, the run's exit records the failure; if the process dies, the
        next run finds which it was."""
        aside = set_aside_unreadable(self.settings.published_path)
        if aside is not None:
            self.summary.notes.append(
                f"the previous publication was not a readable DuckDB file: kept as {aside}"
            )
            get_run_logger().warning("run %s: %s", self.run_id, self.summary.notes[-1])
        self.rings_before = previous_rings(self.settings.published_path)
        self._finish(publishing=True)

    @property
    def ledger_row(self) -> tuple[str, str]:
        """(run_id, final status) for the published copy of the ledger."""
        return self.run_id, self.summary.status

    def published(self, result: Any) -> None:
        self.summary.published_path = str(result.path)
        self.summary.published_rows = dict(result.rows)
        self._finish()

    # -- the end, whatever happened --------------------------------------------------

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.summary.published_path = None
            self.summary.status = "failed"
            self.summary.error = str(exc)
        self.summary.timings = step_timings()
        try:
            self._finish()
        finally:
            self.lock.release()
        create_markdown_artifact(
            key="radar-run",
            markdown=run_report(asdict(self.summary), self.source_rows),
            description=f"Market Radar run {self.run_id}: {self.summary.status}",
        )
        self._alert()
        get_run_logger().info(
            "run %s %s: %s", self.run_id, self.summary.status, self.summary.sources
        )

    def result(self) -> dict[str, Any]:
        return asdict(self.summary)

    def _finish(self, publishing: bool = False) -> None:
        s = self.summary
        if s.status != "failed":
            s.status = "partial" if s.source_errors else "succeeded"
        finish_run(
            self.settings.warehouse_path,
            s.run_id,
            status="publishing" if publishing else s.status,
            items=s.items,
            rows_loaded=s.rows_loaded,
            checks_passed=s.checks_passed,
            checks_failed=s.checks_failed,
            published=s.published_path is not None,
            error="; ".join(self._problems()) or None,
            changed_sources=s.changed_sources,
            build_fingerprint=self.fingerprint,
            skipped=s.skipped,
        )

    def _problems(self) -> list[str]:
        """The run's error, else what failed source by source (a partial run), then notes."""
        failed = [s.error] if (s := self.summary).error else []
        failed = failed or [f"{source}: {error}" for source, error in s.source_errors.items()]
        return failed + s.notes

    def _alert(self) -> None:
        """Tell the notification URLs what went wrong and what moved; never fails the run."""
        if not self.settings.notify_urls:
            return
        logger = get_run_logger()
        try:
            alerts = run_alerts(asdict(self.summary), self.source_rows)
            if self.summary.published_path:
                observed = datetime.fromisoformat(self.summary.observed_at)
                alerts += market_alerts(
                    Path(self.summary.published_path), observed, self.rings_before
                )
            report = send_alerts(alerts, self.settings.notify_urls)
        except Exception:
            logger.exception("alerts could not be sent")
            return
        if report.failures:
            logger.warning("alerts not delivered to: %s", ", ".join(report.failures))


def _mark_flow_runs_crashed(run_ids: list[str], found_by: str) -> None:
    """Prefect's flow runs of runs whose process was killed stay 'Running' for ever: mark
    those still running Crashed too (a flow run is named by its run id)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterName,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    running = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING]))
    message = f"its process ended before the run finished (found by run {found_by})"
    try:
        with get_client(sync_client=True) as client:
            for flow_run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=run_ids), state=running)
            ):
                client.set_flow_run_state(flow_run.id, Crashed(message=message), force=True)
    except Exception:  # the ledger already says crashed; Prefect's view is a courtesy
        get_run_logger().warning("Prefect's flow runs of %s could not be marked crashed", run_ids)


def _record_refusal(
    settings: Settings, summary: RunSummary, observed: datetime, reason: str
) -> None:
    """Leave a 'refused' row in the ledger when the warehouse can be written (the run that
    holds the data dir opens it only during its steps); the refusal is logged and alerted
    either way."""
    get_run_logger().error("run %s not started: %s", summary.run_id, reason)
    if settings.notify_urls:
        alert = Alert(
            kind="run_failed",
            title=f"Run {summary.run_id} ({summary.catalog}) not started",
            body=reason,
            subject=summary.run_id,
        )
        send_alerts([alert], settings.notify_urls)
    try:
        with connection(settings.warehouse_path) as con:
            start_run(con, summary.run_id, settings.catalog, observed)
            finish_run(con, summary.run_id, status="refused", error=reason)
    except duckdb.IOException:
        get_run_logger().warning("the refusal could not be recorded: the warehouse is busy")


def step_timings(wait: float = 2.0) -> dict[str, float]:
    """Seconds per step of this flow run, from its Prefect task runs: from the first of a
    step's task runs starting to the last one ending (crawls of several batches overlap)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    flow_run_id = prefect_runtime.flow_run.id
    if not flow_run_id:
        return {}
    deadline = time.monotonic() + wait
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
            # task run states reach the API as events: the last ones may lag a moment
            if all(r.end_time for r in runs) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    spans: dict[str, tuple[datetime, datetime]] = {}
    for task_run in sorted(runs, key=lambda r: r.start_time or datetime.max.replace(tzinfo=UTC)):
        if task_run.start_time is None or task_run.end_time is None:
            continue
        step = task_run.task_key.rsplit("-", 1)[0] if task_run.task_key else task_run.name
        first, last = spans.get(step, (task_run.start_time, task_run.end_time))
        spans[step] = (min(first, task_run.start_time), max(last, task_run.end_time))
    return {step: round((end - start).total_seconds(), 2) for step, (start, end) in spans.items()}
