"""Run one Scrapy crawl in its own subprocess.

Scrapy's Twisted reactor cannot be restarted inside one process, and a crawl that
crashes or hangs must not take the flow down with it, so every crawl is a
``python -m scrapy crawl`` subprocess. Items reach the landing file through
Scrapy's feed exports; the crawl's stats come back through a JSON file written by
the scrapers' stats extension.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.settings import Settings


@dataclass
class CrawlResult:
    spider: str
    landing_file: Path
    items: int
    returncode: int | None
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def parse_problems(self) -> int:
        return sum(v for k, v in self.stats.items() if k.startswith("radar/parse_errors/"))

    @property
    def problems(self) -> dict[str, int]:
        """Pages that failed within a crawl that ran: HTTP errors, network errors, parse errors."""
        return {
            key.removeprefix("radar/"): value
            for key, value in sorted(self.stats.items())
            if key.startswith(PROBLEM_STATS) and value
        }


# Crawl stats (written by the scrapers' spiders) that mean a page gave us nothing.
PROBLEM_STATS = ("radar/http_errors/", "radar/request_errors/", "radar/parse_errors/")


def scrapy_settings(settings: Settings) -> dict[str, str]:
    """The crawl manners from our settings, as Scrapy setting overrides."""
    return {
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_DELAY": str(settings.download_delay),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(settings.concurrent_requests_per_domain),
        "DOWNLOAD_TIMEOUT": str(settings.download_timeout),
        "RETRY_TIMES": str(settings.retry_times),
        "AUTOTHROTTLE_ENABLED": str(settings.autothrottle),
        "HTTPCACHE_ENABLED": str(settings.http_cache),
    }


def count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def run_crawl(
    settings: Settings,
    spider: str,
    targets: list[dict[str, Any]],
    run_id: str,
    observed_at: str,
) -> CrawlResult:
    """Crawl ``targets`` with ``spider``; never raises for a failed crawl, reports it."""
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    targets_file = run_dir / f"{spider}.targets.json"
    stats_file = run_dir / f"{spider}.stats.json"
    log_file = run_dir / f"{spider}.log"
    landing_file = settings.landing_dir / spider / f"{run_id}.jsonl"
    landing_file.parent.mkdir(parents=True, exist_ok=True)
    targets_file.write_text(json.dumps(targets, indent=2))
    stats_file.unlink(missing_ok=True)

    cmd = [
        sys.executable, "-m", "scrapy", "crawl", spider,
        "-a", f"targets={targets_file}",
        "-a", f"run_id={run_id}",
        "-a", f"observed_at={observed_at}",
        # -O overwrites: a rerun of the same run_id replaces its landing file.
        "-O", f"{landing_file}:jsonlines",
        "-s", f"RADAR_STATS_FILE={stats_file}",
        "-s", f"LOG_FILE={log_file}",
    ]  # fmt: skip
    for name, value in scrapy_settings(settings).items():
        cmd += ["-s", f"{name}={value}"]

    error = None
    returncode = None
    try:
        proc = subprocess.run(
            cmd,
            cwd=settings.root,
            capture_output=True,
            text=True,
            timeout=settings.crawl_timeout_seconds,
            check=False,
        )
        returncode = proc.returncode
        if proc.returncode != 0:
            tail = (proc.stderr or "").strip().splitlines()[-5:]
            error = f"scrapy exited with {proc.returncode}: " + " | ".join(tail)
    except subprocess.TimeoutExpired:
        error = f"crawl killed after {settings.crawl_timeout_seconds}s"

    stats: dict[str, Any] = {}
    if stats_file.exists():
        stats = json.loads(stats_file.read_text())
    elif error is None:
        error = f"crawl left no stats file ({stats_file}); see {log_file}"
    return CrawlResult(
        spider=spider,
        landing_file=landing_file,
        items=count_lines(landing_file),
        returncode=returncode,
        stats=stats,
        error=error,
    )
