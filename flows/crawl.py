"""Run one crawl of one source in its own process, and judge how it went.

Every source is crawled by its own Scrapy process, so a source that crashes or hangs
costs that source and nothing else. Starting a fresh Python for each of hundreds of
sources would cost about 2 s apiece in imports alone, so crawls are forked from warm
*crawl hosts*: helper processes (``python -m flows.crawl``) that have imported Scrapy,
its components and the spiders once, and fork one child per crawl. The child runs what
``scrapy crawl`` runs: the project settings, our overrides, one ``CrawlerProcess``.
A host is a plain subprocess, so this works wherever the flow runs, Dask workers included.

Items reach the landing file through Scrapy's feed exports; the crawl's stats come back
through a JSON file written by the scrapers' stats extension, and become one row of
ops.source_runs (see :meth:`CrawlResult.source_run`).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fsspec

from flows.settings import Settings, is_url

# Crawl stats (written by the scrapers' spiders and Scrapy) that mean a page gave us nothing.
PROBLEM_STATS = ("radar/http_errors/", "radar/request_errors/", "radar/parse_errors/")

# A source that yields nothing is failed, not ok, when its last ok run had at least this
# many items: a board or an API does not empty itself overnight, a broken page does.
EMPTY_AFTER_ITEMS = 3


@dataclass
class CrawlResult:
    """What one crawl of one source did, read off its process, landing file and stats."""

    source_id: str
    spider: str
    subject_type: str
    subject_id: str
    landing_file: str  # a local path or an fsspec URL
    items: int
    exitcode: int | None
    started_at: datetime
    finished_at: datetime
    stats: dict[str, Any] = field(default_factory=dict)
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
    return {
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_DELAY": settings.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_requests_per_domain,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "RETRY_TIMES": settings.retry_times,
        "AUTOTHROTTLE_ENABLED": settings.autothrottle,
        "HTTPCACHE_ENABLED": settings.http_cache,
    }


def count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


# --------------------------------------------------------------------------- crawl hosts
def _component_modules() -> None:
    """Import every Scrapy component the project enables, so forked crawls find them loaded."""
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
    # The spider loader imports every spider module.
    load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings)
    # A reactor installed here would be inherited by every crawl; Scrapy installs its own.
    if "twisted.internet.reactor" in sys.modules:
        raise RuntimeError("warming up the crawl host installed a Twisted reactor")


def crawl_child(spec: dict[str, Any]) -> int:
    """The body of a crawl process: what `scrapy crawl <spider> -a ... -s ...` would run."""
    # Scrapy's log goes to LOG_FILE; anything else (a crash's traceback) to the output file.
    fd = os.open(spec["output_file"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    # The host's environment is from when it started; a crawl sees the flow's current one
    # (a token set since then, say).
    os.environ.clear()
    os.environ.update(spec["env"])
    os.environ["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"

    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(spec["settings"], priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(spec["spider"], **spec["arguments"])
    process.start()
    return 1 if process.bootstrap_failed else 0


def _host_main() -> None:
    """A crawl host: a warm Python that forks one child per crawl it is sent.

    Protocol, one JSON line each way: the flow sends ``{"spec": ..., "timeout": s}``; the
    host forks, waits for the child (killing it after ``timeout``) and answers
    ``{"exitcode": n, "timed_out": bool}``. EOF on stdin ends the host.
    """
    os.environ["SCRAPY_SETTINGS_MODULE"] = "scrapers.settings"
    _component_modules()
    protocol = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        protocol.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = crawl_child(request["spec"])
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        deadline = time.monotonic() + request["timeout"]
        timed_out = False
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        answer = {"exitcode": os.waitstatus_to_exitcode(status), "timed_out": timed_out}
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


class _CrawlHost:
    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.crawl"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, spec: dict[str, Any], timeout: float) -> tuple[int | None, bool]:
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("crawl host has no pipes")
        stdin.write(json.dumps({"spec": spec, "timeout": timeout}) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"crawl host exited with {self.process.wait()}")
        answer = json.loads(line)
        return answer["exitcode"], answer["timed_out"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Idle hosts of this process. A crawl borrows one (or starts one) and gives it back, so
# there are as many hosts as crawls ever ran at once here.
_idle_hosts: queue.SimpleQueue[_CrawlHost] = queue.SimpleQueue()
_all_hosts: list[_CrawlHost] = []


@atexit.register
def close_hosts() -> None:
    """End this process's crawl hosts (they end by themselves when it exits, too)."""
    while _all_hosts:
        _all_hosts.pop().close()
    while not _idle_hosts.empty():
        _idle_hosts.get_nowait()


def _run_process(spec: dict[str, Any], timeout: float, root: Path) -> tuple[int | None, bool]:
    """Run crawl_child(spec) in a process forked by a crawl host; (exitcode, timed_out)."""
    try:
        host = _idle_hosts.get_nowait()
    except queue.Empty:
        host = _CrawlHost(root)
        _all_hosts.append(host)
    try:
        result = host.run(spec, timeout)
    except BaseException:
        # A host that broke mid-crawl is not reused.
        _all_hosts.remove(host)
        host.process.kill()
        raise
    _idle_hosts.put(host)
    return result


def _exit_error(exitcode: int | None, output_file: Path) -> str | None:
    if exitcode == 0:
        return None
    if exitcode is not None and exitcode < 0:
        cause = f"crawl process died of {signal.Signals(-exitcode).name}"
    else:
        cause = f"crawl process exited with {exitcode}"
    tail = []
    if output_file.exists():
        tail = output_file.read_text(errors="replace").strip().splitlines()[-3:]
    return cause + (": " + " | ".join(tail) if tail else "")


def run_crawl(
    settings: Settings, target: dict[str, Any], run_id: str, observed_at: str, attempt: int = 1
) -> CrawlResult:
    """Crawl one source (a catalog Target as a dict); never raises for a failed crawl."""
    source_id, spider = target["source_id"], target["spider"]
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    stats_file = run_dir / f"{source_id}.stats.json"
    log_file = run_dir / f"{source_id}.log"
    output_file = run_dir / f"{source_id}.out"
    landing = settings.landing_location(spider, run_id, source_id)
    # Scrapy writes a local file; a landing URL gets a copy of it once the crawl is done.
    local_file = run_dir / f"{source_id}.jsonl" if is_url(landing) else Path(landing)
    local_file.parent.mkdir(parents=True, exist_ok=True)
    local_file.unlink(missing_ok=True)
    stats_file.unlink(missing_ok=True)

    spec = {
        "source_id": source_id,
        "spider": spider,
        "env": dict(os.environ),
        "output_file": str(output_file),
        "arguments": {"targets": [target], "run_id": run_id, "observed_at": observed_at},
        "settings": {
            **scrapy_settings(settings),
            # overwrite: a rerun of the same run_id replaces its landing file
            "FEEDS": {str(local_file): {"format": "jsonlines", "overwrite": True}},
            "RADAR_STATS_FILE": str(stats_file),
            "LOG_FILE": str(log_file),
        },
    }
    started = datetime.now(UTC)
    exitcode, timed_out = _run_process(spec, settings.crawl_timeout_seconds, settings.root)
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
    return CrawlResult(
        source_id=source_id,
        spider=spider,
        subject_type=target["subject_type"],
        subject_id=target["subject_id"],
        landing_file=landing,
        items=count_lines(local_file),
        exitcode=exitcode,
        started_at=started,
        finished_at=finished,
        stats=stats,
        error=error,
        attempts=attempt,
    )


if __name__ == "__main__":
    _host_main()
