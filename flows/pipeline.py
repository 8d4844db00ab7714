"""The `pipeline` flow: plan → crawl → load → dbt build → validate → publish.

One run crawls every enabled source of a catalog, lands the items, loads them
into the warehouse, rebuilds the marts, checks them, and publishes them only
when every check passes. Each source is one crawl in its own process, run
concurrently up to ``crawl_concurrency`` and ``crawl_kind_concurrency``; a source
that fails (HTTP errors after Scrapy's retries, a crashed or hung crawl after the
task's retries, no items where it used to have many) costs that source and
nothing else. The run then ends as ``partial``, the failure is in ops.source_runs,
and the source's last good data stays published.

Crawls go to the flow's task runner: threads by default, or a Dask cluster
(``RADAR_DASK_ADDRESS``) through prefect-dask. Everything after the crawl runs in
the flow's own process, the one writer of the warehouse.
"""

from __future__ import annotations

import secrets
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import prefect.runtime as prefect_runtime
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows import catalog as catalog_mod
from flows.alerts import market_alerts, previous_rings, run_alerts, send_alerts
from flows.crawl import CrawlResult, run_crawl
from flows.dbt import dbt_build, source_freshness
from flows.ledger import (
    finish_run,
    last_ok_items,
    record_freshness,
    record_source_runs,
    start_run,
)
from flows.load import load_run
from flows.publish import publish
from flows.quality import validate
from flows.report import run_report
from flows.settings import Settings


class PipelineFailed(RuntimeError):
    """A gate failed (dbt build or quality checks): nothing was published."""


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
    checks_passed: int = 0
    checks_failed: int = 0
    published_path: str | None = None
    published_rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None


# The CLI sets this to show progress; flows run the same without it.
progress_listener: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if progress_listener is not None:
        progress_listener(name)


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


class CrawlFailed(RuntimeError):
    """A crawl process crashed, hung or left no stats; raised so that Prefect retries it."""

    def __init__(self, result: CrawlResult) -> None:
        super().__init__(f"{result.source_id}: {result.error}")
        self.result = result

    def __reduce__(self):
        # Crossing to and from Dask workers: rebuilt from the result, not from the message.
        return (CrawlFailed, (self.result,))


@task(name="plan", cache_policy=NO_CACHE)
def plan_crawls(
    settings: Settings,
    spiders: list[str] | None = None,
    subjects: str | None = None,
    sources: list[str] | None = None,
) -> list[dict[str, Any]]:
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    planned = catalog_mod.plan(
        catalog,
        demo_web_url=settings.demo_web_url,
        spiders=set(spiders) if spiders else None,
        subjects=subjects,
        sources=set(sources) if sources else None,
    )
    return [target.to_dict() for targets in planned.values() for target in targets]


@task(name="crawl", task_run_name="crawl {target[source_id]}", cache_policy=NO_CACHE)
def crawl(settings: Settings, target: dict[str, Any], run_id: str, observed_at: str) -> CrawlResult:
    attempt = prefect_runtime.task_run.run_count or 1
    result = run_crawl(settings, target, run_id, observed_at, attempt=attempt)
    if not result.ok:
        raise CrawlFailed(result)
    return result


def _interleaved(targets: list[dict[str, Any]]) -> deque[dict[str, Any]]:
    """Targets taking kinds in turn, so that one long kind does not hold up the others."""
    by_kind: dict[str, deque[dict[str, Any]]] = {}
    for target in targets:
        by_kind.setdefault(target["spider"], deque()).append(target)
    order: deque[dict[str, Any]] = deque()
    while by_kind:
        for kind in list(by_kind):
            order.append(by_kind[kind].popleft())
            if not by_kind[kind]:
                del by_kind[kind]
    return order


def crawl_all(
    settings: Settings, targets: list[dict[str, Any]], run_id: str, observed_at: str
) -> list[CrawlResult]:
    """Crawl every target, at most crawl_concurrency at once and per kind its own limit.

    The flow schedules the crawls itself (rather than blocking inside tasks), so a kind
    at its limit never holds a slot that another kind could use, whatever the runner.
    """
    task = crawl.with_options(
        retries=settings.crawl_retries,
        retry_delay_seconds=[
            settings.crawl_retry_delay_seconds * 2**i for i in range(settings.crawl_retries)
        ],
    )
    limits = settings.crawl_kind_concurrency
    pending = _interleaved(targets)
    running: dict[PrefectFuture, dict[str, Any]] = {}
    per_kind: Counter[str] = Counter()
    results: list[CrawlResult] = []
    while pending or running:
        for target in list(pending):
            if len(running) >= settings.crawl_concurrency:
                break
            kind = target["spider"]
            if per_kind[kind] >= max(1, limits.get(kind, settings.crawl_concurrency)):
                continue
            pending.remove(target)
            per_kind[kind] += 1
            running[task.submit(settings, target, run_id, observed_at)] = target
        future = next(as_completed(list(running)))
        target = running.pop(future)
        per_kind[target["spider"]] -= 1
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, CrawlFailed):
            outcome = outcome.result
        elif isinstance(outcome, BaseException):
            # The task itself broke (not the crawl): record the source as failed, go on.
            now = datetime.now(UTC)
            outcome = CrawlResult(
                source_id=target["source_id"],
                spider=target["spider"],
                subject_type=target["subject_type"],
                subject_id=target["subject_id"],
                landing_file=settings.landing_location(
                    target["spider"], run_id, target["source_id"]
                ),
                items=0,
                exitcode=None,
                started_at=now,
                finished_at=now,
                error=f"{type(outcome).__name__}: {outcome}",
            )
        results.append(outcome)
    return results


@task(name="load", cache_policy=NO_CACHE)
def load(settings: Settings, run_id: str, results: list[CrawlResult]) -> dict[str, int]:
    files: dict[str, list] = {}
    for result in results:
        files.setdefault(result.spider, []).append(result.landing_file)
    return load_run(settings.warehouse_path, run_id, files)


@task(name="dbt build", cache_policy=NO_CACHE)
def build(settings: Settings):
    return dbt_build(settings.warehouse_path, settings.catalog)


@task(name="freshness", cache_policy=NO_CACHE)
def freshness(settings: Settings, run_id: str) -> list[dict[str, Any]]:
    """dbt source freshness of every kind the catalog crawls, into ops.source_freshness."""
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    kinds = sorted({source.spider for source in catalog.sources if source.enabled})
    rows = source_freshness(
        settings.warehouse_path, settings.catalog, settings.freshness_thresholds(kinds)
    )
    record_freshness(settings.warehouse_path, run_id, rows)
    return rows


@task(name="validate", cache_policy=NO_CACHE)
def check(settings: Settings, run_id: str):
    return validate(settings.warehouse_path, run_id)


@task(name="publish", cache_policy=NO_CACHE)
def publish_marts(settings: Settings):
    return publish(settings.warehouse_path, settings.published_path)


def _flow_run_name() -> str:
    params = prefect_runtime.flow_run.parameters
    return params.get("run_id") or f"{params.get('catalog') or 'default'} catalog"


def _finish(settings: Settings, summary: RunSummary) -> None:
    finish_run(
        settings.warehouse_path,
        summary.run_id,
        status=summary.status,
        items=summary.items,
        rows_loaded=summary.rows_loaded,
        checks_passed=summary.checks_passed,
        checks_failed=summary.checks_failed,
        published=summary.published_path is not None,
        # A partial run keeps what failed in the ledger, source by source.
        error=summary.error
        or "; ".join(f"{source}: {error}" for source, error in summary.source_errors.items())
        or None,
    )


def task_runner(settings: Settings) -> TaskRunner:
    """Threads in this process, or a Dask cluster when settings name one."""
    if not settings.dask_address:
        return ThreadPoolTaskRunner(max_workers=settings.crawl_concurrency)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address == "local":
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1}
        )
    return DaskTaskRunner(address=settings.dask_address)


def _source_runs(
    settings: Settings, results: list[CrawlResult], run_id: str, observed_at: str
) -> list[dict[str, Any]]:
    previous = last_ok_items(settings.warehouse_path, run_id)
    rows = [r.source_run(run_id, observed_at, previous.get(r.source_id)) for r in results]
    record_source_runs(settings.warehouse_path, run_id, rows)
    return rows


@flow(
    name="pipeline",
    flow_run_name=_flow_run_name,
    log_prints=True,
    task_runner=task_runner(Settings()),
)
def pipeline(
    catalog: str | None = None,
    spiders: list[str] | None = None,
    subjects: str | None = None,
    sources: list[str] | None = None,
    observed_at: str | None = None,
    run_id: str | None = None,
    demo_web_url: str | None = None,
) -> dict[str, Any]:
    """Crawl, load, build, check and publish one run.

    Args:
        catalog: "real" or "demo" (default: the RADAR_CATALOG setting).
        spiders: only sources of these kinds (default: every kind the catalog uses).
        subjects: "competitors" or "technologies": only sources about those.
        sources: only these source_ids.
        observed_at: stamp observations with this UTC time instead of now
            (the demo replays dated snapshots this way).
        run_id: reuse an id to replace that run's data (default: a new id).
        demo_web_url: base URL that replaces {demo_web} in the demo catalog.
    """
    overrides: dict[str, Any] = {}
    if catalog:
        overrides["catalog"] = catalog
    if demo_web_url:
        overrides["demo_web_url"] = demo_web_url
    settings = Settings(**overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logger = get_run_logger()

    started = datetime.now(UTC)
    run_id = run_id or new_run_id(started)
    observed = datetime.fromisoformat(observed_at) if observed_at else started
    if observed.tzinfo is None:
        observed = observed.replace(tzinfo=UTC)
    summary = RunSummary(run_id=run_id, catalog=settings.catalog, observed_at=observed.isoformat())
    start_run(settings.warehouse_path, run_id, settings.catalog, observed)

    def timed(name: str, fn, *args):
        _step(f"{run_id} · {name}")
        t0 = datetime.now(UTC)
        try:
            return fn(*args)
        finally:
            summary.timings[name] = round((datetime.now(UTC) - t0).total_seconds(), 2)

    source_rows: list[dict[str, Any]] = []
    try:
        targets = timed("plan", plan_crawls, settings, spiders, subjects, sources)
        results = timed("crawl", crawl_all, settings, targets, run_id, summary.observed_at)
        source_rows = _source_runs(settings, results, run_id, summary.observed_at)
        for result, row in zip(results, source_rows, strict=True):
            kind = result.spider
            summary.items[kind] = summary.items.get(kind, 0) + result.items
            summary.parse_problems[kind] = (
                summary.parse_problems.get(kind, 0) + result.parse_problems
            )
            if row["status"] != "ok":
                summary.source_errors[result.source_id] = f"{row['status']}: {row['error']}"
                logger.warning("source %s %s: %s", result.source_id, row["status"], row["error"])
        summary.sources = dict(Counter(row["status"] for row in source_rows))
        # Whatever a failed crawl did land is still loaded: raw data is never lost.
        summary.rows_loaded = timed("load", load, settings, run_id, results)

        dbt_result = timed("dbt build", build, settings)
        if not dbt_result.ok:
            raise PipelineFailed(f"dbt build failed: {dbt_result.error}")
        stale = [
            f"{row['source_kind']} {row['status']}"
            for row in timed("freshness", freshness, settings, run_id)
            if row["status"] != "pass"
        ]
        if stale:
            logger.warning("source freshness: %s", ", ".join(stale))

        report = timed("validate", check, settings, run_id)
        summary.checks_passed, summary.checks_failed = report.passed, report.failed
        if not report.ok:
            raise PipelineFailed(
                f"{report.failed} quality check(s) failed: {report.describe_failures()}"
            )

        # The ledger is published with the marts, so this run's row is finished first;
        # if publishing then fails, the except below records the failure instead.
        summary.status = "partial" if summary.source_errors else "succeeded"
        summary.published_path = str(settings.published_path)
        _finish(settings, summary)
        rings_before = previous_rings(settings.published_path)
        published = timed("publish", publish_marts, settings)
        summary.published_rows = dict(published.rows)
    except Exception as exc:
        summary.published_path = None
        summary.status = "failed"
        summary.error = str(exc)
        _finish(settings, summary)
        _report(summary, source_rows)
        _alert(settings, summary, source_rows, {})
        raise
    _report(summary, source_rows)
    _alert(settings, summary, source_rows, rings_before)
    logger.info("run %s %s: %s", run_id, summary.status, summary.sources)
    return asdict(summary)


def _alert(
    settings: Settings,
    summary: RunSummary,
    source_rows: list[dict[str, Any]],
    rings_before: dict[str, str],
) -> None:
    """Tell the notification URLs what went wrong and what moved; never fails the run."""
    if not settings.notify_urls:
        return
    try:
        alerts = run_alerts(asdict(summary), source_rows)
        if summary.published_path:
            observed = datetime.fromisoformat(summary.observed_at)
            alerts += market_alerts(Path(summary.published_path), observed, rings_before)
        report = send_alerts(alerts, settings.notify_urls)
    except Exception:
        get_run_logger().exception("alerts could not be sent")
        return
    if report.failures:
        get_run_logger().warning("alerts not delivered to: %s", ", ".join(report.failures))


def _report(summary: RunSummary, source_rows: list[dict[str, Any]]) -> None:
    """Leave the run's summary as a Prefect markdown artifact, beside the flow run."""
    create_markdown_artifact(
        key="radar-run",
        markdown=run_report(asdict(summary), source_rows),
        description=f"Market Radar run {summary.run_id}: {summary.status}",
    )
