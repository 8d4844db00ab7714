"""Soak: the demo market crawled again and again with random faults and kill -9, and what
survived each, as a fault matrix.

    uv run python benchmarks/soak.py              # 20 runs (about 10 minutes on 2 cores)
    uv run python benchmarks/soak.py --runs 5 --seed 7

Each run is a pipeline process of its own (against a local Prefect server started once)
over the demo web in this process, which is told to misbehave for a few random sources:
answer 503 every time, 429 once with Retry-After, hang past the download timeout, send
garbage or an empty page, redirect in a loop, send more than the size cap, or a
compression bomb. Some runs are killed with SIGKILL (the whole process group) at a random
moment. After every run the benchmark checks what a year unattended needs:

- the published file, when there is one, is a readable DuckDB file with the marts;
- no run is still 'running' in the ledger once a later run has started (a killed run is
  marked 'crashed'), no publication's temporary file is left behind;
- every source that was not faulted is ok, every faulted one failed or partial with a
  message that names its fault, and the run published anyway (unless killed).

Figures, not assertions: it prints the fault matrix (fault, times injected, sources that
kept their data, sources lost, a message the ledger gave) and the runs' outcomes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pipeline import PYTHON, PrefectServer  # noqa: E402
from demo.web import DemoWeb, Fault  # noqa: E402

DAY = date(2026, 11, 23)
FAULTS = {
    "503 every time": lambda: Fault(503, body="down for maintenance"),
    "429 once, Retry-After 1": lambda: Fault(429, {"Retry-After": "1"}, "slow down", times=1),
    "hang": lambda: Fault(200, body="", delay=30),
    "garbage": lambda: Fault(200, {"Content-Type": "text/html"}, "<html><p>\x00\x01 garbage"),
    "empty page": lambda: Fault(200, {"Content-Type": "text/html"}, ""),
    "redirect loop": lambda: None,  # needs the path: see fault_for
    "over the size cap": lambda: Fault(200, {"Content-Type": "text/html"}, b"x" * (3 * 2**20)),
    "compression bomb": lambda: Fault(
        200,
        {"Content-Type": "text/html", "Content-Encoding": "gzip"},
        gzip.compress(b" " * (16 * 2**20)),
    ),
}
# The demo's deliberately failing source (its article has no page views): failed every run.
DEMO_BROKEN = {"dagster-wikipedia-pageviews"}
# A fault whose source may still end ok: the server recovers or the page says nothing.
RECOVERABLE = {"429 once, Retry-After 1", "empty page", "garbage"}


def fault_for(kind: str, path: str) -> Fault:
    if kind == "redirect loop":
        return Fault(302, {"Location": path})
    return FAULTS[kind]()


def source_paths(web: DemoWeb) -> dict[str, str]:
    """source_id → the path its first request asks the demo web (faults match it)."""
    from flows import catalog as catalog_mod
    from flows.settings import Settings

    settings = Settings(catalog="demo")
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    planned = catalog_mod.plan(catalog, demo_web_url=web.snapshot_url(DAY))
    return {
        t.source_id: urlsplit(t.url).path
        for targets in planned.values()
        for t in targets
        if t.spider in ("pricing", "pages", "feed", "jobposting", "pypistats")
    }


def run_once(
    index: int, env: dict[str, str], web: DemoWeb, workdir: Path, kill_after: float | None
) -> tuple[bool, str | None]:
    """One pipeline process; (killed, the step it was in when killed)."""
    observed = datetime(2026, 11, 23, 6, tzinfo=UTC) + timedelta(minutes=10 * index)
    out = workdir / f"run-{index}.summary.json"
    log = workdir / f"run-{index}.log"
    args = [
        PYTHON, str(ROOT / "benchmarks" / "bench_pipeline.py"), "--child", "--catalog", "demo",
        "--run-id", f"soak-{index:02d}", "--observed-at", observed.isoformat(),
        "--demo-web-url", web.snapshot_url(DAY), "--out", str(out),
    ]  # fmt: skip
    with log.open("w") as output:
        child = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
        try:
            child.wait(timeout=kill_after)
            return False, None
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    steps = [s for s in ("plan", "crawl", "load", "build", "freshness", "validate", "publish")
             if f"Task run '{s}" in log.read_text() or f"'{s}:" in log.read_text()]  # fmt: skip
    return True, steps[-1] if steps else "start"


def check(data_dir: Path, index: int, ledger_too: bool = True) -> list[str]:
    """What is wrong with the data dir after run ``index`` (empty: nothing)."""
    problems = []
    published = data_dir / "published" / "radar.duckdb"
    if published.exists():
        try:
            with duckdb.connect(str(published), read_only=True) as con:
                con.execute("select count(*) from marts.dim_competitors").fetchone()
        except duckdb.Error as exc:
            problems.append(f"published file unreadable: {exc}")
    if (data_dir / "published" / "radar.duckdb.tmp").exists():
        problems.append("a publication's temporary file was left behind")
    if not ledger_too:
        return problems
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        running = con.execute(
            "select run_id from ops.runs where status = 'running' and run_id < ?",
            [f"soak-{index:02d}"],
        ).fetchall()
    if running:
        problems.append(f"runs still 'running' after a later one: {running}")
    return problems


def soak(runs: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - a reproducible choice of faults
    workdir = Path(tempfile.mkdtemp(prefix="radar-soak-"))
    prefect = PrefectServer(workdir / "prefect")
    data_dir = workdir / "data"
    env = {
        **os.environ,
        "RADAR_DATA_DIR": str(data_dir),
        "PREFECT_HOME": str(workdir / "prefect"),
        "PREFECT_API_URL": prefect.url,
        "PREFECT_LOGGING_LEVEL": "INFO",
        "RADAR_DOWNLOAD_TIMEOUT": "3",
        "RADAR_RETRY_TIMES": "1",
        "RADAR_CRAWL_TIMEOUT_SECONDS": "40",
        "RADAR_CRAWL_RETRY_DELAY_SECONDS": "1",
        "RADAR_DOWNLOAD_MAXSIZE_MB": "2",
    }
    matrix: dict[str, Counter] = defaultdict(Counter)
    messages: dict[str, str] = {}
    outcomes: list[str] = []
    problems: list[str] = []
    kills: list[tuple[int, str, str]] = []
    try:
        with DemoWeb() as web:
            paths = source_paths(web)
            for index in range(1, runs + 1):
                chosen = rng.sample(sorted(paths), k=rng.randint(1, 4))
                injected = {source: rng.choice(sorted(FAULTS)) for source in chosen}
                web.faults.clear()
                for source, kind in injected.items():
                    web.faults[paths[source]] = fault_for(kind, paths[source])
                kill_after = rng.uniform(8, 60) if rng.random() < 0.3 else None
                started = time.perf_counter()
                killed, step = run_once(index, env, web, workdir, kill_after)
                seconds = time.perf_counter() - started
                # a run killed before it took the lock leaves earlier crashed runs unmarked
                found = check(data_dir, index, ledger_too=not killed)
                problems += [f"run {index}: {p}" for p in found]
                if killed:
                    kills.append((index, step, "; ".join(found) or "readable, nothing left over"))
                    outcomes.append(f"run {index:2d}: killed -9 in {step} after {seconds:.0f} s")
                    continue
                with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
                    run = con.execute(
                        "select status, published, skipped from ops.runs where run_id = ?",
                        [f"soak-{index:02d}"],
                    ).fetchone()
                    rows = con.execute(
                        "select source_id, status, error from ops.source_runs where run_id = ?",
                        [f"soak-{index:02d}"],
                    ).fetchall()
                outcomes.append(
                    f"run {index:2d}: {run[0]}, "
                    + ("nothing changed, " if run[2] else f"published={run[1]}, ")
                    + f"{seconds:.0f} s, faults: "
                    + ", ".join(f"{s} ({k})" for s, k in injected.items())
                )
                for source_id, status, error in rows:
                    kind = injected.get(source_id)
                    if kind is None:
                        if status != "ok" and source_id not in DEMO_BROKEN:
                            problems.append(f"run {index}: {source_id} not faulted but {status}")
                        continue
                    matrix[kind]["injected"] += 1
                    if status == "ok" and kind not in RECOVERABLE:
                        matrix[kind]["unnoticed"] += 1
                    elif status == "ok":
                        matrix[kind]["recovered"] += 1
                    else:
                        matrix[kind][status] += 1
                        messages.setdefault(kind, error or "")
                others_ok = sum(1 for s, st, _ in rows if s not in injected and st == "ok")
                matrix["(sources not faulted)"]["ok"] += others_ok
                if not run[1] and not run[2]:
                    problems.append(f"run {index}: not published ({run[0]})")
        with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
            ledger = dict(con.execute("select run_id, status from ops.runs").fetchall())
    finally:
        prefect.stop()
    print(f"\n== soak: {runs} runs of the demo market, seed {seed} ==")
    print(f"  {'fault':<26} {'injected':>8} {'failed':>7} {'partial':>8} {'recovered':>9} "
          f"{'unnoticed':>9}  message in the ledger")  # fmt: skip
    for kind in [*FAULTS, "(sources not faulted)"]:
        c = matrix.get(kind, Counter())
        print(
            f"  {kind:<26} {c['injected'] or c['ok']:>8} {c['failed']:>7} {c['partial']:>8} "
            f"{c['recovered']:>9} {c['unnoticed']:>9}  {messages.get(kind, '')[:70]}"
        )
    print("  kill -9:")
    for index, step, files in kills:
        status = ledger.get(f"soak-{index:02d}", "no ledger row")
        print(f"    run {index:2d} killed in {step:<10} ledger: {status:<8} publication: {files}")
    print("  runs:")
    for line in outcomes:
        print(f"    {line}")
    print(f"  problems: {len(problems)}")
    for problem in problems:
        print(f"    {problem}")
    shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    soak(args.runs, args.seed)


if __name__ == "__main__":
    main()
