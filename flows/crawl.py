"""Crawl the planned sources in batches, and judge each source on its own.

A batch is the sources of one kind (spider): one Scrapy process crawls them all, with
Scrapy's own per-host download slots for politeness, the APIs' batch endpoints (npm bulk
ranges, Stack Exchange's ``tags/a;b;c/info``) and one landing file (Scrapy's feed export).
Starting a process per source cost 0.6 to 0.9 s whatever its size; a batch pays it once.

Each source still ends ok, partial or failed on its own: the spiders and the scrapers'
``SourceStatsExtension`` count requests, responses, retries, items and problems per
source (``radar/sources/<source_id>/...``), and :meth:`CrawlResult.outcome` judges them.
When the batch's process itself fails (it crashed, outlived ``crawl_timeout_seconds`` or
left no stats), its sources are crawled again one at a time, each in its own process with
``crawl_retries`` retries, so a source that breaks its crawl costs that source only.

Processes come from a standard-library process pool (``concurrent.futures``): its workers
import Scrapy, its components and the spiders once, and fork one child per crawl (Scrapy's
reactor cannot run twice in one process), which the worker kills past its deadline.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fsspec

from flows.settings import Settings, is_url
from scrapers import redact

# Crawl stats (written by the scrapers' spiders and Scrapy) that mean a page gave us nothing.
PROBLEM_STATS = ("radar/http_errors/", "radar/request_errors/", "radar/parse_errors/")
# Per-source stats (scrapers.spiders.base.SOURCE_STATS; not imported: flows only names
# spiders, and importing scrapers here would load Scrapy into every flow process).
SOURCE_STATS = "radar/sources/"

# A source that yields nothing is failed, not ok, when its last ok run had at least this
# many items: a board or an API does not empty itself overnight, a broken page does.
EMPTY_AFTER_ITEMS = 3


@dataclass(frozen=True)
class Batch:
    """Sources of one kind, crawled by one Scrapy process into one landing file."""

    spider: str
    targets: tuple[dict[str, Any], ...]

    @property
    def name(self) -> str:
        return self.spider if len(self.targets) != 1 else self.targets[0]["source_id"]


def batches(targets: Iterable[dict[str, Any]]) -> list[Batch]:
    """One batch per kind, the largest first (so the longest crawls start early)."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for target in targets:
        by_kind.setdefault(target["spider"], []).append(target)
    found = [Batch(kind, tuple(group)) for kind, group in by_kind.items()]
    return sorted(found, key=lambda b: -len(b.targets))


@dataclass
class CrawlResult:
    """What a crawl did for one source, read off its process and its own crawl stats."""

    source_id: str
    spider: str
    subject_type: str
    subject_id: str
    landing_file: str  # a local path or an fsspec URL, shared by the sources of a batch
    items: int
    exitcode: int | None
    started_at: datetime
    finished_at: datetime
    stats: dict[str, Any] = field(default_factory=dict)  # this source's counters
    # the crawl itself failed: the process crashed, hung or left no stats
    error: str | None = None
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def parse_problems(self) -> int:
        return sum(v for k, v in self.stats.items() if k.startswith("radar/parse_errors/"))

    @property
    def problems(self) -> dict[str, int]:
        """Pages that failed within a crawl that ran: HTTP, network, robots.txt, parse errors."""
        found = {
            key.removeprefix("radar/"): value
            for key, value in sorted(self.stats.items())
            if key.startswith(PROBLEM_STATS) and value
        }
        if self.stats.get("robotstxt/forbidden"):
            # the refusal reaches the spider's errback as an IgnoreRequest too
            found.pop("request_errors/IgnoreRequest", None)
            found["robots.txt refused"] = self.stats["robotstxt/forbidden"]
        return found

    def describe_problems(self) -> str:
        """One line for people: 'HTTP 503 ×1 after 3 retries, parse error no_plans_found ×2'."""
        retries = self.stats.get("retry/count", 0)
        gave_up = self.stats.get("retry/max_reached", 0)
        parts = []
        for key, count in self.problems.items():
            kind, _, detail = key.partition("/")
            label = {"http_errors": f"HTTP {detail}", "parse_errors": f"parse error {detail}"}
            text = f"{label.get(kind, detail or key)} ×{count}"
            if kind in ("http_errors", "request_errors") and gave_up and retries:
                text += f" after {retries} retries"
            parts.append(text)
        return ", ".join(parts)

    def outcome(self, last_ok_items: int | None = None) -> tuple[str, str | None]:
        """(status, error) of the source run: ok, partial or failed (see ops.source_runs)."""
        if self.error:
            return "failed", self.error
        if self.items == 0:
            if self.stats.get("radar/not_modified") and not self.problems:
                return "ok", None  # HTTP 304: the content the last run loaded still holds
            if self.problems:
                return "failed", self.describe_problems()
            if last_ok_items is not None and last_ok_items >= EMPTY_AFTER_ITEMS:
                return "failed", f"no items, where the last ok run had {last_ok_items}"
            return "ok", None
        if self.problems:
            return "partial", "some pages failed: " + self.describe_problems()
        return "ok", None

    def source_run(self, run_id: str, observed_at: str, last_ok_items: int | None) -> dict:
        """This crawl as a row of ops.source_runs."""
        status, error = self.outcome(last_ok_items)
        responses = {
            key.rsplit("/", 1)[1]: value
            for key, value in sorted(self.stats.items())
            if key.startswith("downloader/response_status_count/")
        }
        return {
            "run_id": run_id,
            "source_id": self.source_id,
            "source_kind": self.spider,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "status": status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_seconds": round((self.finished_at - self.started_at).total_seconds(), 3),
            "attempts": self.attempts,
            "requests": self.stats.get("downloader/request_count", 0),
            "responses": responses,
            "items": self.items,
            "parse_problems": self.parse_problems,
            "robots_refused": self.stats.get("robotstxt/forbidden", 0),
            "retries": self.stats.get("retry/count", 0),
            "observed_at": observed_at,
            "error": error,
        }


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    """The crawl manners from our settings, as Scrapy setting overrides."""
    stand_in = {}
    if settings.is_demo and settings.demo_web_url:
        # the demo web answers for GitHub: a token goes there as it would to GitHub
        stand_in = {"RADAR_GITHUB_STAND_IN": f"{settings.demo_web_url}/api.github.com"}
    return {
        **stand_in,
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_DELAY": settings.download_delay,
        "CONCURRENT_REQUESTS": settings.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_requests_per_domain,
        "DOWNLOAD_SLOTS": settings.download_slots(),
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": int(settings.download_maxsize_mb * 2**20),
        "RADAR_SOURCE_TIME_BUDGET": settings.source_time_budget_seconds,
        "RADAR_ALLOW_PRIVATE_NETWORK": settings.allows_private_network,
        "RETRY_TIMES": settings.retry_times,
        "AUTOTHROTTLE_ENABLED": settings.autothrottle,
        "HTTPCACHE_ENABLED": settings.http_cache,
    }


#: Chromium's flags for crawling: headless, and none of its own network traffic (update
#: checks, sync, QUIC probes), which a closed network refuses many at a time.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def render_settings(settings: Settings) -> dict[str, Any]:
    """Scrapy settings of a crawl with targets that ask for a browser (render=true):
    scrapy-playwright's download handler on the configured Chromium. Only requests
    marked ``playwright`` go through the browser; the rest (robots.txt, other sources of
    the batch) through Scrapy's own handler. Raises RenderUnavailable when Chromium is
    missing, naming the path and how to install it."""
    chromium = Path(settings.chromium_path)
    if not chromium.exists():
        raise RenderUnavailable(
            f"Chromium not found at {chromium} (RADAR_CHROMIUM_PATH): sources with "
            "render=true need it; install it with `make browser` (Debian's chromium)"
        )
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": str(chromium),
            "headless": True,
            "args": list(CHROMIUM_ARGS),
        },
        # the page's own requests do not pass the downloader middlewares: judged here
        "PLAYWRIGHT_ABORT_REQUEST": "scrapers.render."
        + ("abort_heavy_request" if settings.allows_private_network else "abort_private_request"),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": settings.concurrent_requests_per_domain,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": settings.download_timeout * 1000,
    }


class RenderUnavailable(RuntimeError):
    """A source asks for a browser and none is installed."""


# --------------------------------------------------------------------------- crawl processes
def _start_worker(client: int) -> None:
    """A pool worker's initializer: Scrapy loaded (see _warm_up), and a watch on the
    process that owns the pool. A pool's workers wait for work forever; one whose owner
    was killed (a flow run, a Dask worker) must not outlive it."""
    _warm_up()

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(client, 0)
            except ProcessLookupError:
                os._exit(0)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def _warm_up() -> None:
    """Import Scrapy, every component the project enables and the spiders, so that the
    crawls forked from a worker start in a fraction of a second. Run by the fork server
    (preload) and again by each worker (a no-op there unless the preload did not happen)."""
    os.environ["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES"):
        for path in build_component_list(settings.getwithbase(name)):
            load_object(path)
    for path in settings.getwithbase("DOWNLOAD_HANDLERS").values():
        if path:
            load_object(path)
    for name in ("SCHEDULER", "STATS_CLASS", "DUPEFILTER_CLASS"):
        load_object(settings[name])
    load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings)  # imports the spiders
    import scrapy.crawler  # noqa: F401

    # A reactor installed here would be inherited by every crawl; Scrapy installs its own.
    if "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("warming up the crawl worker installed a Twisted reactor")


def _crawl_child(spec: dict[str, Any]) -> int:
    """The body of a crawl process: what `scrapy crawl <spider> -a ... -s ...` would run."""
    # Scrapy's log goes to LOG_FILE; anything else (a crash's traceback) to the output file.
    fd = os.open(spec["output_file"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    # The worker's environment is from when it started; a crawl sees the flow's current one
    # (a token set since then, say).
    os.environ.clear()
    os.environ.update(spec["env"])
    os.environ["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"
    redact.install()

    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(spec["settings"], priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(spec["spider"], **spec["arguments"])
    process.start()
    return 1 if process.bootstrap_failed else 0


def _crawl_process(spec: dict[str, Any], timeout: float) -> tuple[int, bool]:
    """In a pool worker: fork a crawl, wait for it, kill it past ``timeout``.
    Returns (exit code, timed out)."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = _crawl_child(spec)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status), True
        time.sleep(0.02)


_pools: dict[int, ProcessPoolExecutor] = {}
_pool_lock = threading.Lock()


def crawl_pool(workers: int) -> ProcessPoolExecutor:
    """This process's pool of ``workers`` crawl workers (they start on first use and stay).

    Workers come from multiprocessing's fork server, not from a fork of the flow process
    (which runs threads): the server imports Scrapy, its components and the spiders once
    (flows._crawl_preload), and every worker forked from it has them loaded."""
    with _pool_lock:
        pool = _pools.get(workers)
        if pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["flows._crawl_preload"])
            pool = _pools[workers] = ProcessPoolExecutor(
                workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return pool


@atexit.register
def close_crawl_workers() -> None:
    """End this process's crawl workers (they also end when it exits)."""
    with _pool_lock:
        for pool in _pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        _pools.clear()


def _run_process(spec: dict[str, Any], timeout: float, workers: int) -> tuple[int | None, bool]:
    """Run one crawl in a process from the pool; (exit code, timed out)."""
    pool = crawl_pool(workers)
    try:
        return pool.submit(_crawl_process, spec, timeout).result()
    except BrokenProcessPool:
        # A worker died under the crawl (out of memory, killed): the next crawl gets a
        # fresh pool, and this one counts as a crashed process.
        with _pool_lock:
            if _pools.get(workers) is pool:
                del _pools[workers]
        pool.shutdown(wait=False, cancel_futures=True)
        return None, False


# --------------------------------------------------------------------------- one crawl
@dataclass
class _Crawl:
    """One Scrapy process over some targets, and what it left behind."""

    spider: str
    targets: Sequence[dict[str, Any]]
    landing: str
    exitcode: int | None
    timed_out: bool
    started_at: datetime
    finished_at: datetime
    stats: dict[str, Any]
    error: str | None

    def result(self, target: dict[str, Any], attempts: int) -> CrawlResult:
        prefix = f"{SOURCE_STATS}{target['source_id']}/"
        own = {k.removeprefix(prefix): v for k, v in self.stats.items() if k.startswith(prefix)}
        first = own.pop("first_request_at", None)
        last = own.pop("last_response_at", None)
        return CrawlResult(
            source_id=target["source_id"],
            spider=self.spider,
            subject_type=target["subject_type"],
            subject_id=target["subject_id"],
            landing_file=self.landing,
            items=own.get("item_scraped_count", 0),
            exitcode=self.exitcode,
            started_at=datetime.fromtimestamp(first, UTC) if first else self.started_at,
            finished_at=datetime.fromtimestamp(last, UTC) if last else self.finished_at,
            stats=own,
            error=self.error,
            attempts=attempts,
        )


def _exit_error(exitcode: int | None, output_file: Path) -> str | None:
    if exitcode == 0:
        return None
    if exitcode is None:
        cause = "crawl worker died"
    elif exitcode < 0:
        cause = f"crawl process died of {signal.Signals(-exitcode).name}"
    else:
        cause = f"crawl process exited with {exitcode}"
    tail = []
    if output_file.exists():
        tail = output_file.read_text(errors="replace").strip().splitlines()[-3:]
    return cause + (": " + " | ".join(tail) if tail else "")


def _crawl(
    settings: Settings,
    spider: str,
    targets: Sequence[dict[str, Any]],
    name: str,
    run_id: str,
    observed_at: str,
) -> _Crawl:
    """Crawl ``targets`` of one spider in one process; never raises for a failed crawl."""
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    stats_file = run_dir / f"{name}.stats.json"
    log_file = run_dir / f"{name}.log"
    output_file = run_dir / f"{name}.out"
    landing = settings.landing_location(spider, run_id, name)
    # Scrapy writes a local file; a landing URL gets a copy of it once the crawl is done.
    local_file = run_dir / f"{name}.jsonl" if is_url(landing) else Path(landing)
    local_file.parent.mkdir(parents=True, exist_ok=True)
    local_file.unlink(missing_ok=True)
    stats_file.unlink(missing_ok=True)
    try:
        render = render_settings(settings) if any(t.get("render") for t in targets) else {}
    except RenderUnavailable as exc:
        now = datetime.now(UTC)
        return _Crawl(spider, targets, landing, None, False, now, now, {}, str(exc))
    spec = {
        "spider": spider,
        "env": dict(os.environ),
        "output_file": str(output_file),
        "arguments": {"targets": list(targets), "run_id": run_id, "observed_at": observed_at},
        "settings": {
            **scrapy_settings(settings),
            **render,
            # overwrite: a rerun of the same run_id replaces its landing file
            "FEEDS": {str(local_file): {"format": "jsonlines", "overwrite": True}},
            "RADAR_STATS_FILE": str(stats_file),
            "LOG_FILE": str(log_file),
        },
    }
    started = datetime.now(UTC)
    exitcode, timed_out = _run_process(
        spec, settings.crawl_timeout_seconds, settings.crawl_concurrency
    )
    finished = datetime.now(UTC)
    if timed_out:
        error = f"crawl killed after {settings.crawl_timeout_seconds}s (see {log_file})"
    else:
        error = _exit_error(exitcode, output_file)
    stats: dict[str, Any] = {}
    if stats_file.exists():
        stats = json.loads(stats_file.read_text())
    elif error is None:
        error = f"crawl left no stats file; see {log_file}"
    if is_url(landing) and local_file.exists():
        fs, path = fsspec.core.url_to_fs(landing)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(local_file), path)
    return _Crawl(spider, targets, landing, exitcode, timed_out, started, finished, stats, error)


def crawl_batch(
    settings: Settings, batch: Batch, run_id: str, observed_at: str
) -> list[CrawlResult]:
    """Crawl a batch; when its process fails, each of its sources alone (see the module)."""
    crawl = _crawl(settings, batch.spider, batch.targets, batch.name, run_id, observed_at)
    if crawl.error is None:
        return [crawl.result(target, attempts=1) for target in batch.targets]
    if len(batch.targets) > 1:
        # Whatever the failed process landed is kept beside its log, never loaded.
        landing = Path(crawl.landing)
        if not is_url(crawl.landing) and landing.exists():
            landing.replace(settings.runs_dir / run_id / f"{batch.name}.failed.jsonl")
    with ThreadPoolExecutor(settings.crawl_concurrency) as threads:
        return list(
            threads.map(
                lambda target: _crawl_alone(settings, target, run_id, observed_at, crawl),
                batch.targets,
            )
        )


def _crawl_alone(
    settings: Settings, target: dict[str, Any], run_id: str, observed_at: str, failed: _Crawl
) -> CrawlResult:
    """One source in its own process, retried with doubling waits while its process fails."""
    attempt = 1
    if len(failed.targets) == 1:
        crawl = failed
    else:
        attempt += 1
        crawl = _crawl(
            settings, target["spider"], [target], target["source_id"], run_id, observed_at
        )
    delay = settings.crawl_retry_delay_seconds
    while crawl.error is not None and attempt <= settings.crawl_retries:
        time.sleep(delay)
        delay *= 2
        attempt += 1
        crawl = _crawl(
            settings, target["spider"], [target], target["source_id"], run_id, observed_at
        )
    return crawl.result(target, attempts=attempt)


def up_to_date(target: dict[str, Any]) -> CrawlResult:
    """A series source not asked this run because it already holds the newest point there
    can be: unchanged, as if the server had said 304 Not Modified."""
    now = datetime.now(UTC)
    return CrawlResult(
        source_id=target["source_id"],
        spider=target["spider"],
        subject_type=target["subject_type"],
        subject_id=target["subject_id"],
        landing_file="",
        items=0,
        exitcode=0,
        started_at=now,
        finished_at=now,
        stats={"radar/not_modified": 1, "radar/up_to_date": 1},
        attempts=0,
    )


def failed_results(
    planned: Sequence[Batch], outcomes: Sequence[list[CrawlResult] | BaseException]
) -> list[CrawlResult]:
    """Every source's result: a batch whose task itself broke (not its crawl: a worker
    lost, say) gives each of its sources a failed result, and the run goes on."""
    results: list[CrawlResult] = []
    for batch, outcome in zip(planned, outcomes, strict=True):
        if not isinstance(outcome, BaseException):
            results.extend(outcome)
            continue
        now = datetime.now(UTC)
        for target in batch.targets:
            results.append(
                CrawlResult(
                    source_id=target["source_id"],
                    spider=batch.spider,
                    subject_type=target["subject_type"],
                    subject_id=target["subject_id"],
                    landing_file="",
                    items=0,
                    exitcode=None,
                    started_at=now,
                    finished_at=now,
                    error=f"{type(outcome).__name__}: {outcome}",
                )
            )
    return results
