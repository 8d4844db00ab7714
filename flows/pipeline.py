"""The `pipeline` flow: plan → crawl → load → dbt build → validate → publish.

One run crawls every enabled source of a catalog, lands the items, loads them
into the warehouse, rebuilds the marts, checks them, and publishes them only
when every check passes. Crawls run concurrently, each in its own subprocess,
so a crashing spider costs its own source and nothing else: the run then ends
as ``partial`` and the others are still loaded and published.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import prefect.runtime as prefect_runtime
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows import catalog as catalog_mod
from flows.crawl import CrawlResult, run_crawl
from flows.dbt import dbt_build
from flows.ledger import finish_run, start_run
from flows.load import load_run
from flows.publish import publish
from flows.quality import validate
from flows.settings import Settings


class PipelineFailed(RuntimeError):
    """A gate failed (dbt build or quality checks): nothing was published."""


@dataclass
class RunSummary:
    run_id: str
    catalog: str
    observed_at: str
    status: str = "running"
    items: dict[str, int] = field(default_factory=dict)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    source_errors: dict[str, str] = field(default_factory=dict)
    parse_problems: dict[str, int] = field(default_factory=dict)
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
    def __init__(self, result: CrawlResult) -> None:
        super().__init__(f"{result.spider}: {result.error}")
        self.result = result


@task(name="plan", cache_policy=NO_CACHE)
def plan_crawls(settings: Settings, spiders: list[str] | None) -> dict[str, list[dict[str, Any]]]:
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    planned = catalog_mod.plan(
        catalog, demo_web_url=settings.demo_web_url, spiders=set(spiders) if spiders else None
    )
    return {
        spider: [t.to_dict() for t in targets] for spider, targets in planned.items() if targets
    }


# A crashed crawl subprocess is retried once; HTTP-level retries happen inside Scrapy.
@task(name="crawl", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def crawl(
    settings: Settings, spider: str, targets: list[dict[str, Any]], run_id: str, observed_at: str
) -> CrawlResult:
    result = run_crawl(settings, spider, targets, run_id, observed_at)
    if not result.ok:
        raise CrawlFailed(result)
    return result


@task(name="load", cache_policy=NO_CACHE)
def load(settings: Settings, run_id: str, results: list[CrawlResult]) -> dict[str, int]:
    with closing(duckdb.connect(settings.warehouse_path)) as con:
        return load_run(con, run_id, {r.spider: r.landing_file for r in results})


@task(name="dbt build", cache_policy=NO_CACHE)
def build(settings: Settings):
    return dbt_build(settings.warehouse_path, settings.catalog)


@task(name="validate", cache_policy=NO_CACHE)
def check(settings: Settings, run_id: str):
    return validate(settings.warehouse_path, run_id)


@task(name="publish", cache_policy=NO_CACHE)
def publish_marts(settings: Settings):
    return publish(settings.warehouse_path, settings.published_path)


def _flow_run_name() -> str:
    params = prefect_runtime.flow_run.parameters
    return params.get("run_id") or f"{params.get('catalog') or 'default'} catalog"


def _ledger(settings: Settings, fn, *args, **kwargs) -> None:
    with closing(duckdb.connect(settings.warehouse_path)) as con:
        fn(con, *args, **kwargs)


def _finish(settings: Settings, summary: RunSummary) -> None:
    _ledger(
        settings,
        finish_run,
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


@flow(
    name="pipeline",
    flow_run_name=_flow_run_name,
    log_prints=True,
    # Each crawl is a subprocess; this bounds how many run at once on the machine.
    task_runner=ThreadPoolTaskRunner(max_workers=Settings().crawl_concurrency),
)
def pipeline(
    catalog: str | None = None,
    spiders: list[str] | None = None,
    observed_at: str | None = None,
    run_id: str | None = None,
    demo_web_url: str | None = None,
) -> dict[str, Any]:
    """Crawl, load, build, check and publish one run.

    Args:
        catalog: "real" or "demo" (default: the RADAR_CATALOG setting).
        spiders: only these spiders (default: every spider the catalog uses).
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
    _ledger(settings, start_run, run_id, settings.catalog, observed)

    def timed(name: str, fn, *args):
        _step(f"{run_id} · {name}")
        t0 = datetime.now(UTC)
        try:
            return fn(*args)
        finally:
            summary.timings[name] = round((datetime.now(UTC) - t0).total_seconds(), 2)

    try:
        planned = timed("plan", plan_crawls, settings, spiders)

        def crawl_all():
            futures = {
                spider: crawl.submit(settings, spider, targets, run_id, summary.observed_at)
                for spider, targets in planned.items()
            }
            results = []
            for spider, future in futures.items():
                outcome = future.result(raise_on_failure=False)
                if isinstance(outcome, CrawlFailed):
                    outcome = outcome.result
                elif isinstance(outcome, BaseException):
                    summary.source_errors[spider] = f"{type(outcome).__name__}: {outcome}"
                    continue
                results.append(outcome)
                summary.items[spider] = outcome.items
                summary.parse_problems[spider] = outcome.parse_problems
                if outcome.error:
                    summary.source_errors[spider] = outcome.error
                elif outcome.items == 0:
                    summary.source_errors[spider] = "crawl finished with no items"
                elif outcome.problems:
                    summary.source_errors[spider] = "some pages failed: " + ", ".join(
                        f"{key} ×{count}" for key, count in outcome.problems.items()
                    )
            return results

        results = timed("crawl", crawl_all)
        for spider, error in summary.source_errors.items():
            logger.warning("source %s failed: %s", spider, error)
        # Whatever a failed crawl did land is still loaded: raw data is never lost.
        summary.rows_loaded = timed("load", load, settings, run_id, results)

        dbt_result = timed("dbt build", build, settings)
        if not dbt_result.ok:
            raise PipelineFailed(f"dbt build failed: {dbt_result.error}")

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
        published = timed("publish", publish_marts, settings)
        summary.published_rows = dict(published.rows)
    except Exception as exc:
        summary.published_path = None
        summary.status = "failed"
        summary.error = str(exc)
        _finish(settings, summary)
        raise
    logger.info("run %s %s: %s", run_id, summary.status, summary.items)
    return asdict(summary)
