"""How long each page's script takes over the demo market: cold (first run) and warm p50/p95.

    uv run python benchmarks/bench_app.py [--runs 20] [--published data/published/radar.duckdb]

Runs every page of the app through Streamlit's AppTest (the script itself, in this process,
with the app's caches as a served app has them), over the demo's published file: the given
one, else the data dir's, else a demo built into a temporary folder (about two minutes).
The target is 300 ms at p95 per page, warm. Figures, not assertions: compare them across
changes on the same machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("This week", "views/this_week.py"),
    ("Competitors", "views/competitors.py"),
    ("Pricing comparison", "views/comparison.py"),
    ("Pricing", "views/pricing.py"),
    ("Trends", "views/trends.py"),
    ("Technology radar", "views/radar.py"),
    ("Ranking", "views/ranking.py"),
    ("Technology", "views/technology.py"),
    ("Data health", "views/health.py"),
    ("SQL", "views/sql.py"),
]
TARGET_MS = 300


def published_file(given: str | None) -> Path:
    if given:
        return Path(given).resolve()
    from flows.settings import Settings

    path = Settings().published_path
    if path.exists():
        return path
    from tests.fixtures.demo_build import build_demo

    print("No published file: building the demo market (about two minutes) ...", flush=True)
    return build_demo(Path(tempfile.mkdtemp(prefix="bench-app-")) / "data")


def time_page(page: str, runs: int) -> list[float]:
    """Milliseconds per run of one page; the first is cold (empty query caches)."""
    from streamlit.testing.v1 import AppTest

    # AppTest runs scripts without a server: Streamlit warns about it at every cached call.
    logging.disable(logging.WARNING)
    timings = []
    for _ in range(runs):
        at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
        at.run()  # the router and the default page
        start = time.perf_counter()
        at.switch_page(page).run()
        timings.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{page} raised: {at.exception[0].message}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per page (the first is cold)")
    parser.add_argument("--published", help="a published file (default: the data dir's)")
    args = parser.parse_args()
    published = published_file(args.published)
    os.environ["RADAR_PUBLISHED_PATH"] = str(published)
    print(f"Per-page script time over {published}, {args.runs} runs each (ms)")
    print(f"{'page':<20} {'cold':>8} {'p50':>8} {'p95':>8} {'max':>8}  target p95 {TARGET_MS}")
    for title, page in PAGES:
        timings = time_page(page, args.runs)
        warm = sorted(timings[1:]) or timings
        p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
        verdict = "ok" if p95 <= TARGET_MS else "over"
        print(
            f"{title:<20} {timings[0]:8.0f} {statistics.median(warm):8.0f} {p95:8.0f} "
            f"{max(warm):8.0f}  {verdict}"
        )


if __name__ == "__main__":
    main()
