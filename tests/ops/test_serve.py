"""flows/serve.py without a server: prefect.yaml's entries become runner deployments."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from flows.serve import DeploymentSpec, ServeError, build_deployments, load_specs, to_schedule
from flows.settings import ROOT


def test_specs_are_read_from_prefect_yaml_in_file_order():
    specs = load_specs()
    assert [s.name for s in specs] == [
        "trends-daily",
        "competitors-daily",
        "full-weekly",
        "demo-market",
    ]
    trends = specs[0]
    assert trends.entrypoint == "flows.pipeline.pipeline"
    assert trends.parameters == {"catalog": "real", "subjects": "technologies", "sources": None}
    assert trends.schedules == [{"cron": "0 5 * * *", "timezone": "UTC", "active": True}]
    assert trends.tags == ["radar", "trends"]


def test_named_deployments_are_built_with_their_schedule_and_no_work_pool():
    (weekly, demo) = build_deployments(["demo-market", "full-weekly"])  # file order wins
    assert (weekly.name, weekly.entrypoint) == ("full-weekly", "flows.pipeline.pipeline")
    assert weekly.parameters == {"catalog": "real", "subjects": None, "sources": None}
    [schedule] = weekly.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (
        "0 3 * * 0",
        "UTC",
        True,
    )
    assert weekly.work_pool_name is None
    assert weekly.tags == ["radar", "full"]
    assert weekly.description.startswith("Crawl every source of the real catalog")
    assert (demo.name, demo.entrypoint, demo.schedules) == (
        "demo-market",
        "flows.demo.demo_market",
        [],
    )


def test_an_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(ServeError, match=r"no deployment named nightly .*trends-daily"):
        build_deployments(["nightly"])


def test_file_path_and_module_entrypoints_name_the_same_flow():
    spec = DeploymentSpec(name="x", entrypoint="flows/pipeline.py:pipeline")
    assert spec.module_entrypoint == ("flows.pipeline", "pipeline")
    spec = DeploymentSpec(name="x", entrypoint="flows.demo.demo_market")
    assert spec.module_entrypoint == ("flows.demo", "demo_market")


def test_yaml_schedules_become_prefect_schedules():
    interval = to_schedule({"interval": 3600, "timezone": "UTC", "active": False})
    assert (interval.interval, interval.timezone, interval.active) == (
        timedelta(hours=1),
        "UTC",
        False,
    )
    with pytest.raises(ServeError, match="unknown keys"):
        to_schedule({"cron": "0 5 * * *", "every": "day"})


def test_serve_refuses_prefects_ephemeral_api(tmp_path):
    # No PREFECT_API_URL: schedules would never fire on the ephemeral API.
    env = {
        "PATH": "/usr/bin:/bin",
        "PREFECT_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "COLUMNS": "300",  # one line per message, as rich wraps at the terminal's width
    }
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "serving needs a Prefect API with its scheduler" in result.stderr
    assert "prefect server start" in result.stderr
