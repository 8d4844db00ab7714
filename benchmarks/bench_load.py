"""How fast landing files load into raw tables, and what it costs in memory.

    uv run python benchmarks/bench_load.py [--rows 1000000]

Writes a pypistats landing file of N lines (the real item shape), loads it into a fresh
warehouse with flows.load.load_run, loads it again (the idempotent rerun: delete + insert),
and prints wall time, rows per second and the process's peak memory. Figures, not
assertions: compare them across changes on the same machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from flows.load import load_run


def write_landing(path: Path, rows: int) -> None:
    start = date(2020, 1, 1)
    packages = [f"package-{i}" for i in range(max(1, rows // 2000))]
    with path.open("w") as fh:
        for i in range(rows):
            package = packages[i % len(packages)]
            fh.write(
                json.dumps(
                    {
                        "run_id": "bench",
                        "source": "pypistats",
                        "source_id": f"{package}-pypistats",
                        "observed_at": "2026-11-23T06:00:00+00:00",
                        "url": f"https://pypistats.org/api/packages/{package}/overall?mirrors=false",
                        "technology_id": package,
                        "package": package,
                        "date": (start + timedelta(days=i // len(packages))).isoformat(),
                        "downloads": 1000 + i % 977,
                        "category": "without_mirrors",
                    }
                )
                + "\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp) / "bench.jsonl"
        t0 = time.perf_counter()
        write_landing(landing, args.rows)
        size_mb = landing.stat().st_size / 1e6
        print(
            f"landing file: {args.rows:,} lines, {size_mb:.0f} MB, written in "
            f"{time.perf_counter() - t0:.1f}s"
        )

        warehouse = Path(tmp) / "warehouse.duckdb"
        for attempt in ("first load", "rerun (replace)"):
            t0 = time.perf_counter()
            with duckdb.connect(warehouse) as con:
                loaded = load_run(con, "bench", {"pypistats": landing})
            seconds = time.perf_counter() - t0
            print(
                f"{attempt}: {loaded['pypistats']:,} rows in {seconds:.2f}s "
                f"({loaded['pypistats'] / seconds:,.0f} rows/s)"
            )
        with duckdb.connect(warehouse, read_only=True) as con:
            total = con.execute("select count(*) from raw.pypistats").fetchone()[0]
        print(f"rows in raw.pypistats after the rerun: {total:,}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
