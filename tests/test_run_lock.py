"""One writer per data dir: a second run is refused while another holds the run lock, and
a run whose process was killed (kill -9: no clean-up of its own) is found by the next run
and marked crashed in the ledger; a publication torn by a crash is set aside, not in the way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import duckdb
import pytest

from flows.ledger import get_run, start_run
from flows.run import DataDirBusy, RunLock

pytestmark = pytest.mark.e2e

HOLD = """
import sys, time
from pathlib import Path
from flows.run import RunLock
lock = RunLock(Path(sys.argv[1]))
lock.acquire("holder-run")
print("held", flush=True)
time.sleep(600)
"""


def running_flow_run(name: str):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.states import Running

    @flow(name="pipeline")
    def stand_in() -> None: ...

    with get_client(sync_client=True) as client:
        return client.create_flow_run(stand_in, name=name, state=Running()).id


def flow_run_state(flow_run_id) -> tuple[str, bool]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run_id).state
    return state.type.value, "found by run next" in (state.message or "")


@pytest.fixture
def holder(tmp_path):
    """A process of its own that holds the data dir's run lock until it is killed."""
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield data_dir, process
    process.kill()
    process.wait()


def test_the_lock_names_its_holder_and_refuses_a_second_taker(holder):
    data_dir, process = holder
    with pytest.raises(DataDirBusy) as refused:
        RunLock(data_dir).acquire("second")
    assert f"run holder-run (pid {process.pid}, since " in str(refused.value)
    assert str(data_dir) in str(refused.value)


def test_a_waiting_taker_gets_the_lock_when_its_holder_is_killed(holder):
    data_dir, process = holder
    os.kill(process.pid, signal.SIGKILL)  # no clean-up: the kernel drops the lock
    started = time.monotonic()
    lock = RunLock(data_dir)
    lock.acquire("after-the-crash", wait_seconds=30)
    assert time.monotonic() - started < 30
    assert '"run_id": "after-the-crash"' in lock.path.read_text()
    lock.release()


def test_a_run_on_a_busy_data_dir_is_refused_and_the_ledger_says_why(
    holder, prefect_harness, monkeypatch
):
    from flows.pipeline import pipeline

    data_dir, process = holder
    monkeypatch.setenv("RADAR_DATA_DIR", str(data_dir))
    with pytest.raises(DataDirBusy, match="in use by run holder-run"):
        pipeline(catalog="demo", run_id="second", demo_web_url="http://127.0.0.1:9/")
    run = get_run(data_dir / "warehouse.duckdb", "second")
    assert run["status"] == "refused"
    assert f"in use by run holder-run (pid {process.pid}" in run["error"]
    assert not run["published"]


def test_the_next_run_marks_a_killed_run_crashed_and_sets_aside_a_torn_publication(
    tmp_path, prefect_harness, monkeypatch
):
    from demo.web import DemoWeb
    from flows.pipeline import pipeline

    data_dir = tmp_path / "data"
    warehouse = data_dir / "warehouse.duckdb"
    # what a run killed in its crawl leaves: its ledger row 'running', its lock dropped,
    # its Prefect flow run 'Running'
    start_run(warehouse, "killed", "demo", datetime(2026, 11, 16, 6, tzinfo=UTC))
    killed_flow_run = running_flow_run("killed")
    published = data_dir / "published" / "radar.duckdb"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"DUCK" * 100)  # torn by a disk that filled up, say
    monkeypatch.setenv("RADAR_DATA_DIR", str(data_dir))
    with DemoWeb() as web:
        summary = pipeline(
            catalog="demo",
            sources=["bluebird-data-pricing"],
            run_id="next",
            observed_at="2026-11-23T06:00:00+00:00",
            demo_web_url=web.snapshot_url(date(2026, 11, 23)),
        )
    assert summary["status"] == "succeeded"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select run_id, status, published, error from ops.runs order by run_id"
        ).fetchall()
    assert rows == [
        (
            "killed",
            "crashed",
            False,
            "its process ended before the run finished (found by run next)",
        ),
        ("next", "succeeded", True, rows[1][3]),
    ]
    assert flow_run_state(killed_flow_run) == ("CRASHED", True)
    (aside,) = published.parent.glob("radar.duckdb.unreadable-*")
    assert rows[1][3] == f"the previous publication was not a readable DuckDB file: kept as {aside}"
    assert aside.read_bytes() == b"DUCK" * 100
    with duckdb.connect(str(published), read_only=True) as con:
        plans = con.execute("select count(*) from marts.fct_plan_prices").fetchone()
    assert plans == (7,)  # Bluebird's seven offers
