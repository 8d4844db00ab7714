"""The whole pipeline at market size S, M or L: time per step, pages/s and rows/s against
Scrapy's and DuckDB's own speed on the same work, an unchanged re-run, a new day's
increment, and peak memory of the process tree.

    uv run python benchmarks/bench_pipeline.py --size S      # the demo market
    uv run python benchmarks/bench_pipeline.py --size M      # 40 competitors, 200 technologies
    uv run python benchmarks/bench_pipeline.py --size L      # 200 competitors, 1,000 technologies

Each measured run is a process of its own running the pipeline flow against a local
Prefect server started once for the benchmark (as scheduled runs do; a one-off `radar run`
also pays for Prefect's temporary API, about 9 s), and the demo web serving the market in
another process on 127.0.0.1 (`radar demo-web --market`), with the demo's crawl manners
(no delay, no AutoThrottle). Figures, not assertions: compare them across changes on the
same machine. Ratios are the point: they hold when the machine's speed drifts.

- pipeline pages/s ÷ bare Scrapy: requests of the full run over its crawl step, against a
  plain Scrapy spider fetching the very same URLs (the demo web's request log) from the
  same server with the same concurrency and no parsing;
- load lines/s ÷ read_ndjson: landing lines over the load step (the loader also unnests
  series' points, hashes rows and compares them with what is loaded), against DuckDB's
  read_ndjson of the same files into a table;
- unchanged re-run ÷ full run: the same day crawled again an hour later, whole process;
- new day's increment ÷ full run: the next day on a warehouse that holds the history;
- peak memory: the largest sum of resident memory over the run's process tree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import duckdb
import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DAY = date(2026, 11, 23)  # the demo market's last snapshot: every size's "today"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoWebProcess:
    """`radar demo-web --market SIZE` in a process of its own; its request log on stop."""

    def __init__(self, size: str, log: Path, port: int) -> None:
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "flows.cli", "demo-web", "--market", size,
                "--port", str(self.port), "--request-log", str(log),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the demo web did not start")

    def url(self, day: date) -> str:
        return f"http://127.0.0.1:{self.port}/{day.isoformat()}"

    def stop(self) -> list[str]:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        return self.log.read_text().splitlines() if self.log.exists() else []


class PrefectServer:
    """`prefect server start` on a free port, with its own home; stopped by SIGTERM."""

    def __init__(self, home: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "prefect"), "server", "start",
             "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                with httpx.Client() as client:
                    client.get(self.url + "/health", timeout=2).raise_for_status()
                return
            except (OSError, httpx.HTTPError):
                time.sleep(0.5)
        raise RuntimeError("the Prefect server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


class TreeMemory:
    """Samples the resident memory of a process and its children; keeps the peak sum."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in processes:
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass
class Measured:
    seconds: float
    peak_bytes: int
    summary: dict[str, Any]
    requests: list[str] = field(default_factory=list)


def run_pipeline(
    workdir: Path,
    env: dict[str, str],
    size: str,
    day: date,
    run_id: str,
    observed: datetime,
    spiders: list[str] | None = None,
) -> Measured:
    """One pipeline run in its own process, against a fresh demo web process (on the same
    port every time: demo pages carry the server's address, as real ones their host's)."""
    web = DemoWebProcess(size, workdir / f"{run_id}.requests", int(env["BENCH_WEB_PORT"]))
    out = workdir / f"{run_id}.summary.json"
    args = [
        PYTHON, __file__, "--child", "--catalog", env["RADAR_CATALOG"],
        "--run-id", run_id, "--observed-at", observed.isoformat(),
        "--demo-web-url", web.url(day), "--out", str(out),
        *(["--spiders", ",".join(spiders)] if spiders else []),
    ]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, env=env)
    memory = TreeMemory(child.pid)
    code = child.wait()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    requests = web.stop()
    if code != 0 or not out.exists():
        raise RuntimeError(f"run {run_id} failed with exit code {code}")
    return Measured(seconds, peak, json.loads(out.read_text()), requests)


def bare_scrapy(size: str, workdir: Path, paths: list[str], concurrency: int) -> float:
    """Pages/s of a plain Scrapy spider fetching `paths` from a fresh demo web."""
    web = DemoWebProcess(size, workdir / "bare.requests", free_port())
    urls = workdir / "bare.urls"
    urls.write_text("".join(f"http://127.0.0.1:{web.port}{p}\n" for p in paths))
    stats = workdir / "bare.stats.json"
    try:
        subprocess.run(
            [PYTHON, __file__, "--bare", str(urls), "--out", str(stats),
             "--concurrency", str(concurrency)],
            cwd=workdir, check=True,
        )  # fmt: skip
    finally:
        web.stop()
    result = json.loads(stats.read_text())
    return result["pages"] / result["seconds"]


def read_ndjson_rows_per_second(files: list[str]) -> tuple[int, float]:
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute("create table t as select * from read_ndjson(?)", [files])
    seconds = time.perf_counter() - started
    rows = con.execute("select count(*) from t").fetchone()[0]
    return rows, rows / seconds


def landing_files(data_dir: Path, run_id: str) -> list[str]:
    return sorted(
        str(p)
        for p in (data_dir / "landing").rglob("*.jsonl")
        if run_id in p.parts or p.stem == run_id
    )


def prepare(size: str, workdir: Path, prefect: PrefectServer) -> dict[str, str]:
    env = {
        **os.environ,
        "RADAR_DATA_DIR": str(workdir / "data"),
        "PREFECT_HOME": str(workdir / "prefect"),
        "PREFECT_API_URL": prefect.url,
        "BENCH_WEB_PORT": str(free_port()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    if size == "S":
        env["RADAR_CATALOG"] = "demo"
    else:
        from demo.market import Market, write_catalog

        write_catalog(Market.of(size))
        env["RADAR_CATALOG"] = "bench"
    return env


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, dtime(hour), tzinfo=UTC)


def report(size: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"\n== market {size} ==")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def bench(size: str, keep: bool) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"radar-bench-{size}-"))
    prefect = PrefectServer(workdir / "prefect")
    env = prepare(size, workdir, prefect)
    data_dir = Path(env["RADAR_DATA_DIR"])
    try:
        full = run_pipeline(workdir, env, size, DAY, "full", at(DAY, 6))
        timings = full.summary.get("timings", {})
        rows_loaded = sum(full.summary.get("rows_loaded", {}).values())
        crawl_seconds = timings.get("crawl") or float("nan")
        load_seconds = timings.get("load") or float("nan")
        pipeline_pps = len(full.requests) / crawl_seconds
        bare_pps = bare_scrapy(size, workdir, full.requests, concurrency=16)
        files = landing_files(data_dir, "full")
        ndjson_rows, ndjson_rps = read_ndjson_rows_per_second(files)
        rerun = run_pipeline(workdir, env, size, DAY, "rerun", at(DAY, 7))
        results = [
            ("sources", str(sum(full.summary.get("sources", {}).values()))),
            ("requests (full run)", f"{len(full.requests):,}"),
            ("rows loaded (full run)", f"{rows_loaded:,}"),
            ("full run, whole process", f"{full.seconds:.1f} s"),
            *((f"  step {name}", f"{seconds:.1f} s") for name, seconds in timings.items()),
            (
                "pipeline pages/s ÷ bare Scrapy",
                f"{pipeline_pps:.0f} ÷ {bare_pps:.0f} = {pipeline_pps / bare_pps:.2f}",
            ),
            (
                # lines, not rows: a series' line carries its days as points, which the
                # loader unnests into rows and read_ndjson does not
                "load lines/s ÷ read_ndjson",
                f"{ndjson_rows / load_seconds:,.0f} ÷ {ndjson_rps:,.0f} "
                f"= {ndjson_rows / load_seconds / ndjson_rps:.2f} ({len(files)} files, "
                f"{ndjson_rows:,} lines → {rows_loaded:,} rows)",
            ),
            (
                "unchanged re-run ÷ full run",
                f"{rerun.seconds:.1f} s ÷ {full.seconds:.1f} s = {rerun.seconds / full.seconds:.2f}"
                f" ({len(rerun.requests):,} requests)",
            ),
            *((f"  re-run step {n}", f"{s:.1f} s") for n, s in rerun.summary["timings"].items()),
            ("peak memory, full run", f"{full.peak_bytes / 2**20:,.0f} MiB"),
            ("peak memory, re-run", f"{rerun.peak_bytes / 2**20:,.0f} MiB"),
        ]
        history, today = increment(size, workdir, env)
        results += [
            *history,
            (
                "a new day's increment ÷ full run",
                f"{today.seconds:.1f} s ÷ {full.seconds:.1f} s = {today.seconds / full.seconds:.2f}"
                f" ({len(today.requests):,} requests, "
                f"{sum(today.summary['rows_loaded'].values()):,} rows loaded)",
            ),
            *((f"  increment step {n}", f"{s:.1f} s") for n, s in today.summary["timings"].items()),
            ("peak memory, increment", f"{today.peak_bytes / 2**20:,.0f} MiB"),
            *estimates(full.requests, today.requests),
        ]
        report(size, results)
    finally:
        prefect.stop()
        if keep:
            print(f"  (kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


COMPETITOR_KINDS = [
    "pricing", "greenhouse", "lever", "jobposting", "feed", "github_releases", "pages",
]  # fmt: skip


def increment(size: str, workdir: Path, env: dict[str, str]) -> tuple[list, Measured]:
    """A new day on a warehouse with history: for S the demo's last weekly snapshot after
    its three others; for M and L a year of daily runs (benchmarks/history.py) between a
    real first crawl of the competitors and yesterday's real run, then today's."""
    env = {**env, "RADAR_DATA_DIR": str(workdir / "history" / "data")}
    if size == "S":
        for day in (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)):
            run_pipeline(workdir, env, size, day, f"week-{day:%m%d}", at(day, 6))
        today = run_pipeline(workdir, env, size, DAY, "today", at(DAY, 6))
        return [("history", "the demo's three earlier weekly snapshots")], today
    from benchmarks.history import write_history
    from demo.market import BENCH_CATALOG, Market

    first = DAY - timedelta(days=365)
    run_pipeline(workdir, env, size, first, "history-base", at(first, 6), COMPETITOR_KINDS)
    started = time.perf_counter()
    rows = write_history(
        str(workdir / "history" / "data" / "warehouse.duckdb"),
        Market.of(size),
        BENCH_CATALOG,
        first + timedelta(days=1),
        DAY - timedelta(days=2),
        "history-base",
    )
    written = time.perf_counter() - started
    yesterday = run_pipeline(
        workdir, env, size, DAY - timedelta(days=1), "yesterday", at(DAY - timedelta(days=1), 6)
    )
    today = run_pipeline(workdir, env, size, DAY, "today", at(DAY, 6))
    with duckdb.connect(
        str(workdir / "history" / "data" / "warehouse.duckdb"), read_only=True
    ) as con:
        raw = sum(
            con.execute(f"select count(*) from raw.{kind}").fetchone()[0]
            for (kind,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        )
        ledger = con.execute("select count(*) from ops.source_runs").fetchone()[0]
    history = [
        (
            "history",
            f"{sum(rows.values()):,} raw rows of 363 daily runs written in {written:.0f} s",
        ),
        ("  warehouse before today", f"{raw:,} raw rows, {ledger:,} ledger rows of sources"),
        (
            "  yesterday's run (builds the year)",
            f"{yesterday.seconds:.1f} s, build {yesterday.summary['timings'].get('build', 0):.1f}"
            " s",
        ),
        ("  peak memory, yesterday's run", f"{yesterday.peak_bytes / 2**20:,.0f} MiB"),
    ]
    return history, today


def estimates(full: list[str], today: list[str]) -> list[tuple[str, str]]:
    """The crawl with the real politeness settings (flows.settings): each host is one
    download slot, whose requests go one per max(delay, latency ÷ concurrency), hosts in
    parallel; the longest host is the crawl. Latency assumed 0.5 s a request."""
    from collections import Counter

    from flows.settings import Settings

    settings = Settings(catalog="real")
    latency = 0.5

    def seconds(paths: list[str]) -> tuple[float, str, int]:
        hosts = Counter(p.split("/")[2] for p in paths if p.count("/") >= 2)
        timings = {}
        for host, count in hosts.items():
            limit = settings.host_limits.get(host)
            delay = limit.delay if limit else settings.download_delay
            concurrency = limit.concurrency if limit else settings.concurrent_requests_per_domain
            timings[host] = count * max(delay, latency / concurrency)
        host = max(timings, key=timings.get)
        return timings[host], host, hosts[host]

    rows = []
    for name, paths in (("first run (backfill)", full), ("a new day", today)):
        total, host, count = seconds(paths)
        rows.append(
            (f"real-size estimate, {name}", f"{total / 60:,.1f} min ({host}: {count:,} requests)")
        )
    return rows


# --------------------------------------------------------------------------- child modes
def child_run(args: argparse.Namespace) -> None:
    from flows.pipeline import pipeline

    summary = pipeline(
        catalog=args.catalog,
        run_id=args.run_id,
        observed_at=args.observed_at,
        demo_web_url=args.demo_web_url,
        spiders=args.spiders.split(",") if args.spiders else None,
    )
    Path(args.out).write_text(json.dumps(summary, default=str))


def child_bare(args: argparse.Namespace) -> None:
    """A plain Scrapy spider: GET every URL, keep nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(args.bare).read_text().split()

    class Bare(scrapy.Spider):
        name = "bare"
        custom_settings = {  # noqa: RUF012
            "ROBOTSTXT_OBEY": False,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "RETRY_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "HTTPERROR_ALLOW_ALL": True,
            "TELNETCONSOLE_ENABLED": False,
        }

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            return None

    process = CrawlerProcess()
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    started = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - started
    pages = crawler.stats.get_value("response_received_count", 0)
    Path(args.out).write_text(json.dumps({"pages": pages, "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="S")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    parser.add_argument("--catalog", help=argparse.SUPPRESS)
    parser.add_argument("--run-id", help=argparse.SUPPRESS)
    parser.add_argument("--observed-at", help=argparse.SUPPRESS)
    parser.add_argument("--demo-web-url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--spiders", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=16, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_run(args)
    elif args.bare:
        child_bare(args)
    else:
        bench(args.size, args.keep)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
