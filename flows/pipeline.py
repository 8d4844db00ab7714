"""The `pipeline` flow: plan → crawl → load → build → validate → publish.

One run crawls the enabled sources of a catalog in batches (one Scrapy process per kind),
loads what is new, rebuilds the marts, checks them and publishes them only when every
check passes. A run in which no source changed skips build, checks and publish. A source
that fails costs that source only: the run ends ``partial``, ops.source_runs says why, and
the source's last good data stays published. The run's bookkeeping (ledger, report,
alerts) lives in flows.run; this module is the pipeline's table of contents.

Crawls go to the flow's task runner: threads by default, or a Dask cluster
(``RADAR_DASK_ADDRESS``) through prefect-dask. Everything after the crawl runs in the
flow's own process, the one writer of the warehouse.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import prefect.runtime as prefect_runtime
from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows import catalog as catalog_mod
from flows.crawl import (
    Batch,
    CrawlResult,
    batches,
    crawl_batch,
    failed_results,
    up_to_date,
)
from flows.dbt import dbt_build, source_freshness
from flows.ledger import newest_crawls, record_freshness
from flows.load import (
    LoadError,
    SourceLoad,
    connection,
    ensure_raw,
    known,
    load_apart,
    load_kind,
)
from flows.publish import PublishResult
from flows.publish import publish as publish_file
from flows.run import PipelineFailed, Run
from flows.settings import Settings
from scrapers.extract import SERIES_KEYS
from scrapers.windows import newest_complete

if TYPE_CHECKING:
    from flows.quality import QualityReport

__all__ = ["PipelineFailed", "pipeline", "task_runner"]


@task(name="plan", task_run_name="plan", cache_policy=NO_CACHE)
def plan(
    settings: Settings,
    observed_at: str,
    spiders: list[str] | None = None,
    subjects: str | None = None,
    sources: list[str] | None = None,
) -> tuple[list[Batch], list[CrawlResult]]:
    """The catalog's enabled sources as batches, each target told what is already known;
    and the series sources that already hold the newest point there can be (yesterday's,
    last week's), which are not asked again today: their results, as unchanged."""
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    planned = catalog_mod.plan(
        catalog,
        demo_web_url=settings.demo_web_url,
        spiders=set(spiders) if spiders else None,
        subjects=subjects,
        sources=set(sources) if sources else None,
    )
    held = known(settings.warehouse_path, datetime.fromisoformat(observed_at))
    targets, current = [], []
    for target in (t.to_dict() for group in planned.values() for t in group):
        already = held.get(target["source_id"])
        series = SERIES_KEYS.get(target["spider"])
        if already is not None and already.last_point is not None and series:
            if already.last_point >= newest_complete(series, observed_at):
                current.append(up_to_date(target))
                continue
            target["since"] = _since(settings, target["spider"], already.last_point)
        if already is not None:
            target.update(etag=already.etag, last_modified=already.last_modified)
        targets.append(target)
    return batches(targets), current


def _since(settings: Settings, spider: str, last_point: date) -> str:
    """The first point to ask again: the last good one, less the refetch overlap."""
    if SERIES_KEYS.get(spider) == "week_start":
        return (last_point - timedelta(weeks=settings.refetch_weeks)).isoformat()
    return (last_point - timedelta(days=settings.refetch_days)).isoformat()


@task(name="crawl", task_run_name="crawl: {batch.name}", cache_policy=NO_CACHE)
def crawl(settings: Settings, batch: Batch, run_id: str, observed_at: str) -> list[CrawlResult]:
    return crawl_batch(settings, batch, run_id, observed_at)


@task(name="load", task_run_name="load", cache_policy=NO_CACHE)
def load(settings: Settings, run_id: str, results: list[CrawlResult]) -> dict[str, SourceLoad]:
    """Each kind's landing files in a transaction of its own, new content only; when a
    kind's files cannot be loaded, each of its sources is loaded alone, so a bad line fails
    its own source and not the others. Raw data is never lost: whatever a failed crawl did
    land is loaded too, and the landing files stay."""
    by_kind: dict[str, list[CrawlResult]] = {}
    for result in results:
        by_kind.setdefault(result.spider, []).append(result)
    loads: dict[str, SourceLoad] = {}
    with connection(settings.warehouse_path) as con:
        ensure_raw(con)
        for kind, crawled in by_kind.items():
            files = list(dict.fromkeys(r.landing_file for r in crawled))
            sources = [r.source_id for r in crawled]
            options = {
                "skip_unchanged": True,
                "not_modified": [r.source_id for r in crawled if r.stats.get("radar/not_modified")],
            }
            try:
                loads |= load_kind(con, run_id, kind, files, sources, **options)
            except LoadError as exc:
                get_run_logger().warning("%s; loading its sources one by one", exc)
                apart, unattributed = load_apart(con, run_id, kind, files, sources, **options)
                loads |= apart
                if unattributed:
                    get_run_logger().error(
                        "%d line(s) of %s name no source and were not loaded (they stay in "
                        "the landing files): %s",
                        len(unattributed),
                        kind,
                        ", ".join(unattributed[:10]),
                    )
    return loads


@task(name="build", task_run_name="build", cache_policy=NO_CACHE)
def build(settings: Settings, kinds: list[str] | None) -> list[str] | None:
    """dbt build of the models downstream of ``kinds`` (None: everything, from scratch);
    the marts it rebuilt, or None for all of them."""
    if kinds is None:
        result = dbt_build(settings.warehouse_path, settings.catalog, full_refresh=True)
    else:
        select = [f"source:raw.{kind}+" for kind in kinds]
        result = dbt_build(settings.warehouse_path, settings.catalog, select=select)
    if not result.ok:
        raise PipelineFailed(f"dbt build failed: {result.error}")
    return None if kinds is None else result.marts


@task(name="freshness", task_run_name="freshness", cache_policy=NO_CACHE)
def freshness(settings: Settings, run_id: str, observed_at: str) -> None:
    """dbt source freshness of every kind the catalog crawls, into ops.source_freshness:
    the age of its newest observation (a crawl whose unchanged content was not loaded
    again counts) at the run's observed_at."""
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    kinds = sorted({source.spider for source in catalog.sources if source.enabled})
    thresholds = settings.freshness_thresholds(kinds)
    rows = source_freshness(
        settings.warehouse_path,
        settings.catalog,
        thresholds,
        as_of=datetime.fromisoformat(observed_at),  # the demo's "now" is its snapshot's day
        crawled=newest_crawls(settings.warehouse_path),
    )
    record_freshness(settings.warehouse_path, run_id, rows)


@task(name="validate", task_run_name="validate", cache_policy=NO_CACHE)
def validate(
    settings: Settings, run_id: str, observed_at: str, marts: list[str] | None
) -> QualityReport:
    """The suites of the marts this run rebuilt, over what it observed; everything when it
    rebuilt everything."""
    from flows.quality import validate as validate_marts  # pandas and GX: only when checking

    return validate_marts(
        settings.warehouse_path,
        run_id,
        marts=marts or None,
        since=datetime.fromisoformat(observed_at) if marts else None,
    )


@task(name="publish", task_run_name="publish", cache_policy=NO_CACHE)
def publish(settings: Settings, run: tuple[str, str]) -> PublishResult:
    return publish_file(settings.warehouse_path, settings.published_path, run)


def _flow_run_name() -> str:
    params = prefect_runtime.flow_run.parameters
    return params.get("run_id") or f"{params.get('catalog') or 'default'} catalog"


def task_runner(settings: Settings) -> TaskRunner:
    """Threads in this process, or a Dask cluster when settings name one."""
    if not settings.dask_address:
        return ThreadPoolTaskRunner(max_workers=settings.crawl_concurrency)
    import dask
    from prefect_dask import DaskTaskRunner

    # A crawl runs in a child of a process-pool worker: Dask's default daemonic worker
    # processes may not have children. A remote cluster needs the same setting
    # (DASK_DISTRIBUTED__WORKER__DAEMON=False).
    dask.config.set({"distributed.worker.daemon": False})
    if settings.dask_address == "local":
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1}
        )
    return DaskTaskRunner(address=settings.dask_address)


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
        catalog: "real", "demo" or "bench" (default: the RADAR_CATALOG setting).
        spiders: only sources of these kinds (default: every kind the catalog uses).
        subjects: "competitors" or "technologies": only sources about those.
        sources: only these source_ids.
        observed_at: stamp observations with this UTC time instead of now
            (the demo replays dated snapshots this way).
        run_id: reuse an id to replace that run's data (default: a new id).
        demo_web_url: base URL that replaces {demo_web} in the demo catalog.
    """
    overrides = {"catalog": catalog, "demo_web_url": demo_web_url}
    settings = Settings(**{key: value for key, value in overrides.items() if value})
    with Run.start(settings, run_id, observed_at) as run:
        planned, current = plan(settings, run.observed_at, spiders, subjects, sources)
        crawled = crawl.map(
            unmapped(settings), planned, unmapped(run.run_id), unmapped(run.observed_at)
        )
        results = failed_results(planned, crawled.result(raise_on_failure=False)) + current
        run.record(results, load(settings, run.run_id, results))
        if run.unchanged():
            run.skip("no source changed since the last published run")
        else:
            rebuilt = build(settings, run.build_scope())
            freshness(settings, run.run_id, run.observed_at)
            run.checked(validate(settings, run.run_id, run.observed_at, rebuilt))
            run.ready_to_publish()
            run.published(publish(settings, run.ledger_row))
    return run.result()
