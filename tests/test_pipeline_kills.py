"""kill -9 in the steps that hold something: a pipeline process is killed (its whole
process group, crawl workers included) in the crawl (worker processes), the build (the
warehouse open for writing) and the publish (the ledger written, the file being swapped),
and the next run finds what it left. Load and checks write in transactions as the build
does; `make soak` kills at random moments besides.

Nothing is half published: the published file is always a readable DuckDB file of a
finished run. The ledger is true: every killed run is 'crashed', none is left 'running' or
claims a publication it did not make. No publication's temporary file is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb
import pytest

from demo.web import DemoWeb
from flows.settings import ROOT

pytestmark = pytest.mark.e2e

SOURCES = ["cobalt-cloud-pricing", "bluebird-data-pricing", "delta-metrics-pages-security"]
RUN = """
import sys
from flows.pipeline import pipeline
pipeline(catalog="demo", sources=sys.argv[1].split(","), run_id=sys.argv[2],
         observed_at=sys.argv[3], demo_web_url=sys.argv[4])
"""
# (run, snapshot day, killed once this task run has finished: the next step is under way)
KILLS = [
    ("k1-crawl", "2026-11-02", "plan"),
    ("k2-build", "2026-11-09", "load"),
    ("k3-publish", "2026-11-16", "validate"),
]


def run(web: DemoWeb, env: dict, run_id: str, day: str, kill_after: str | None, log):
    """The pipeline in a process of its own; killed -9 once `kill_after` has finished."""
    args = [sys.executable, "-c", RUN, ",".join(SOURCES), run_id, f"{day}T06:00:00+00:00",
            web.snapshot_url(date.fromisoformat(day))]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            if kill_after and f"Task run '{kill_after}' - Finished" in log.read_text():
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        return process.wait(timeout=60)


@pytest.fixture(scope="module")
def killed(prefect_harness, tmp_path_factory):
    from prefect.settings import PREFECT_API_URL

    home = tmp_path_factory.mktemp("kills")
    data_dir = home / "data"
    env = {
        **os.environ,
        "RADAR_DATA_DIR": str(data_dir),
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    codes = {}
    with DemoWeb() as web:
        for run_id, day, step in KILLS:
            codes[run_id] = run(web, env, run_id, day, step, home / f"{run_id}.log")
        codes["k4-whole"] = run(web, env, "k4-whole", "2026-11-23", None, home / "k4.log")
    return data_dir, codes


def test_every_killed_run_is_marked_crashed_and_the_last_one_publishes(killed):
    data_dir, codes = killed
    assert codes == {run_id: -9 for run_id, _, _ in KILLS} | {"k4-whole": 0}
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        runs = con.execute(
            "select run_id, status, published from ops.runs order by run_id"
        ).fetchall()
    # killed while publishing, a run is crashed unless its file was already swapped in
    publish = runs[2]
    assert publish in (("k3-publish", "crashed", False), ("k3-publish", "succeeded", True))
    assert runs == [
        ("k1-crawl", "crashed", False),
        ("k2-build", "crashed", False),
        publish,
        ("k4-whole", "succeeded", True),
    ]


def test_the_published_file_is_whole_and_holds_the_last_run(killed):
    data_dir, _ = killed
    published = data_dir / "published"
    assert sorted(p.name for p in published.iterdir()) == ["radar.duckdb"]  # no .tmp left
    with duckdb.connect(str(published / "radar.duckdb"), read_only=True) as con:
        plans = con.execute(
            "select competitor_id, count(*) from marts.fct_plan_prices where is_current "
            "group by all order by all"
        ).fetchall()
        last = con.execute(
            "select run_id from ops.runs where published order by finished_at"
        ).fetchall()
    assert last[-1] == ("k4-whole",)
    assert plans == [("bluebird-data", 7), ("cobalt-cloud", 3)]
