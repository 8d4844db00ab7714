"""The deployments of prefect.yaml on a real Prefect server (started by tests/ops/conftest.py).

Team route: a process work pool, `prefect deploy` from prefect.yaml, a worker; a
run of `demo-market` triggered through the API replays one demo snapshot and
publishes. Single machine: `radar serve` (flows/serve.py) registers every
deployment with its schedule.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")
SNAPSHOT = "2026-11-02"
# prefect.yaml, as a data engineer reads it: name -> (entrypoint, cron, parameters).
DEPLOYMENTS = {
    "trends-daily": (
        "flows.pipeline.pipeline",
        "0 5 * * *",
        {"catalog": "real", "subjects": "technologies", "sources": None},
    ),
    "competitors-daily": (
        "flows.pipeline.pipeline",
        "0 7 * * *",
        {"catalog": "real", "subjects": "competitors", "sources": None},
    ),
    "full-weekly": (
        "flows.pipeline.pipeline",
        "0 3 * * 0",
        {"catalog": "real", "subjects": None, "sources": None},
    ),
    "demo-market": ("flows.demo.demo_market", None, {"only": None}),
}


def test_prefect_yaml_declares_the_deployments():
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    found = {
        d["name"]: (
            d["entrypoint"],
            d["schedules"][0]["cron"] if d.get("schedules") else None,
            d["parameters"],
        )
        for d in config["deployments"]
    }
    assert found == DEPLOYMENTS
    for d in config["deployments"]:
        assert d["work_pool"]["name"] == "radar"
        assert all(s["timezone"] == "UTC" for s in d.get("schedules", []))


def test_a_worker_runs_demo_market_deployed_from_prefect_yaml(spawn, tmp_path, capsys):
    server = spawn
    data_dir = tmp_path / "data"
    server.cli("work-pool", "create", "radar", "--type", "process")
    # Deployed without RADAR_HOME, the pull step keeps its placeholder for the worker to fill.
    server.cli("--no-prompt", "deploy", "--name", "demo-market", unset=("RADAR_HOME",))
    server.start(
        "worker",
        [PREFECT, "worker", "start", "--pool", "radar", "--name", "test-worker"],
        RADAR_DATA_DIR=str(data_dir),
    )

    # Trigger once the worker polls, so the time measured is a run's, not a worker's start.
    server.wait_until(
        lambda: server.api("GET", "/work_pools/radar")["status"] == "READY",
        timeout=90,
        what="worker polling the radar pool",
        log="worker",
    )
    deployment = server.api("GET", "/deployments/name/demo_market/demo-market")
    assert deployment["work_pool_name"] == "radar"
    assert deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $RADAR_HOME }}"}}
    ]
    triggered = datetime.now(UTC)
    t0 = time.monotonic()
    flow_run = server.api(
        "POST",
        f"/deployments/{deployment['id']}/create_flow_run",
        json={"parameters": {"only": [SNAPSHOT]}},
    )
    run = server.wait_for_flow_run(flow_run["id"], timeout=240)
    elapsed = time.monotonic() - t0
    assert run["state_type"] == "COMPLETED", (
        f"{run['state_type']}: {run['state']['message']}\n{server.log('worker')}"
    )
    # The pipeline ran as a subflow, named after the snapshot's run id.
    subflows = server.api(
        "POST",
        "/flow_runs/filter",
        json={"flow_runs": {"parent_flow_run_id": {"any_": [flow_run["id"]]}}},
    )
    assert [(r["name"], r["state_type"]) for r in subflows] == [("demo-20261102", "COMPLETED")]

    published = data_dir / "published" / "radar.duckdb"
    published_after = datetime.fromtimestamp(published.stat().st_mtime, UTC) - triggered
    with capsys.disabled():
        print(
            f"\n[prefect server] demo-market, one snapshot: trigger → published "
            f"{published_after.total_seconds():.1f} s, trigger → Completed {elapsed:.1f} s "
            f"(worker pickup {_pickup_seconds(run):.1f} s, demo_market run "
            f"{run['total_run_time']:.1f} s, pipeline {subflows[0]['total_run_time']:.1f} s)"
        )
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("select count(*) from marts.dim_competitors").fetchall() == [(5,)]
        # Partial on purpose: Dagster's Wikipedia article answers 404 in the demo web.
        assert con.execute(
            "select run_id, catalog, status, published, observed_at from ops.runs"
        ).fetchall() == [
            ("demo-20261102", "demo", "partial", True, datetime(2026, 11, 2, 6, tzinfo=UTC))
        ]
        assert con.execute(
            "select source_id, source_kind from ops.source_runs where status <> 'ok'"
        ).fetchall() == [("dagster-wikipedia-pageviews", "wikipedia_pageviews")]
    finally:
        con.close()


def test_radar_serve_registers_every_deployment_with_its_schedule(spawn):
    server = spawn
    served = server.start("serve", [sys.executable, "-m", "flows.cli", "serve"])

    def deployments() -> dict[str, dict]:
        assert served.poll() is None, f"radar serve exited:\n{server.log('serve')}"
        return {d["name"]: d for d in server.api("POST", "/deployments/filter", json={})}

    # READY once the serving process has polled for the deployment's runs.
    server.wait_until(
        lambda: all(deployments().get(n, {}).get("status") == "READY" for n in DEPLOYMENTS),
        timeout=90,
        what="deployments served",
        log="serve",
    )
    by_name = deployments()
    flows = {f["id"]: f["name"] for f in server.api("POST", "/flows/filter", json={})}

    for name, (entrypoint, cron, parameters) in DEPLOYMENTS.items():
        deployment = by_name[name]
        assert flows[deployment["flow_id"]] == entrypoint.rpartition(".")[2]
        assert deployment["parameters"] == parameters
        assert deployment["entrypoint"] == entrypoint
        # Served, so off the work pool (demo-market was on it if the worker test ran first).
        assert deployment["work_pool_name"] is None
        schedules = [
            (s["schedule"]["cron"], s["schedule"]["timezone"], s["active"])
            for s in deployment["schedules"]
        ]
        assert schedules == ([(cron, "UTC", True)] if cron else [])


def _pickup_seconds(run: dict) -> float:
    start = datetime.fromisoformat(run["start_time"])
    expected = datetime.fromisoformat(run["expected_start_time"])
    return (start - expected).total_seconds()
