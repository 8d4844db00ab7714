"""One pipeline run through the flow, with the demo web told to misbehave.

Cobalt's pricing page hangs once: the crawl process of the pricing batch is killed, and
each of its sources is crawled again alone; Cobalt's second attempt lands its plans.
Northwind's pricing page answers 503 every time: that source fails, the run ends partial
and still publishes, the alert reaches a webhook on 127.0.0.1, and the run leaves its
`radar-run` artifact on the Prefect API.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date

import duckdb
import pytest

from demo.web import DemoWeb, Fault

pytestmark = pytest.mark.e2e

COBALT = "/2026-11-23/cobalt.example/pricing"
NORTHWIND = "/2026-11-23/northwind.example/pricing"
SOURCES = ["cobalt-cloud-pricing", "northwind-analytics-pricing", "bluebird-data-pricing"]


@pytest.fixture(scope="module")
def faulty_run(prefect_harness, tmp_path_factory):
    from flows.pipeline import pipeline
    from tests.fixtures.receiver import NO_PROXY, Receiver

    data_dir = tmp_path_factory.mktemp("faults") / "data"
    with Receiver() as receiver, pytest.MonkeyPatch.context() as mp:
        env = {
            **NO_PROXY,
            "RADAR_DATA_DIR": str(data_dir),
            # a hung crawl is killed after 4 s; the task's retry comes 1 s later
            "RADAR_CRAWL_TIMEOUT_SECONDS": "4",
            "RADAR_DOWNLOAD_TIMEOUT": "60",
            "RADAR_CRAWL_RETRY_DELAY_SECONDS": "1",
            "RADAR_NOTIFY_URLS": json.dumps([f"json://127.0.0.1:{receiver.port}/radar"]),
            # secrets in the environment, as in production: no file of the run may hold them
            "GITHUB_TOKEN": "ghp_fault_suite_token_42",
            "STACKEXCHANGE_KEY": "se_fault_suite_key_42",
        }
        for key, value in env.items():
            mp.setenv(key, value)
        with DemoWeb() as web:
            web.faults[COBALT] = Fault(200, body="<html></html>", delay=30, times=1)
            web.faults[NORTHWIND] = Fault(503, body="down")
            summary = pipeline(
                catalog="demo",
                sources=SOURCES,
                run_id="faulty",
                observed_at="2026-11-23T06:00:00+00:00",
                demo_web_url=web.snapshot_url(date(2026, 11, 23)),
            )
        yield data_dir, summary, receiver


def test_the_run_is_partial_and_still_published(faulty_run):
    data_dir, summary, _ = faulty_run
    assert summary["status"] == "partial"
    assert summary["sources"] == {"ok": 2, "failed": 1}
    assert summary["source_errors"] == {
        "northwind-analytics-pricing": "failed: HTTP 503 ×1 after 3 retries"
    }
    # Cobalt 3 offers (after its retry) + Bluebird 7; nothing from Northwind
    assert summary["items"]["pricing"] == 10
    # a competitors-only warehouse has an empty radar, and that passes the gate
    assert summary["checks_failed"] == 0
    with duckdb.connect(str(data_dir / "published" / "radar.duckdb"), read_only=True) as con:
        plans = con.execute(
            """
            select competitor_id, count(*) from marts.fct_plan_prices
            where is_current group by all order by all
            """
        ).fetchall()
    assert plans == [("bluebird-data", 7), ("cobalt-cloud", 3)]


def test_the_hung_batch_was_crawled_again_source_by_source(faulty_run):
    data_dir, _, _ = faulty_run
    with duckdb.connect(str(data_dir / "published" / "radar.duckdb"), read_only=True) as con:
        rows = con.execute(
            """
            select source_id, status, attempts, items, error from ops.source_runs
            where run_id = 'faulty' order by source_id
            """
        ).fetchall()
    # the killed batch was the first attempt of all three
    assert rows == [
        ("bluebird-data-pricing", "ok", 2, 7, None),
        ("cobalt-cloud-pricing", "ok", 2, 3, None),
        ("northwind-analytics-pricing", "failed", 2, 0, "HTTP 503 ×1 after 3 retries"),
    ]


def test_the_degraded_source_is_alerted(faulty_run):
    _, _, receiver = faulty_run
    posts = receiver.on("/radar")
    assert len(posts) == 1
    body = posts[0]["body"]
    assert body["title"] == "Market Radar: 1 degraded source"
    assert body["type"] == "warning"
    assert (
        "- northwind-analytics-pricing (pricing) failed: HTTP 503 ×1 after 3 retries "
        "(0 item(s) landed)" in body["message"]
    )
    assert "cobalt" not in body["message"]


def test_the_run_leaves_its_report_as_an_artifact(faulty_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def latest():
        async with get_client() as client:
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["radar-run"]))
            )
        return [a for a in artifacts if "`faulty`" in a.data]

    [artifact] = asyncio.run(latest())
    assert artifact.description == "Market Radar run faulty: partial"
    assert "# Market Radar run `faulty`: partial" in artifact.data
    assert (
        "| northwind-analytics-pricing | pricing | failed | 0 | 503×4 | 3 "
        "| HTTP 503 ×1 after 3 retries |" in artifact.data
    )
    assert "2 of 3 sources ok." in artifact.data


def test_no_file_the_run_wrote_holds_a_secret(faulty_run):
    data_dir, _, _ = faulty_run
    written = [path for path in data_dir.rglob("*") if path.is_file()]
    assert {p.suffix for p in written} >= {".jsonl", ".log", ".duckdb"}
    leaks = [
        path
        for path in written
        for secret in (b"ghp_fault_suite_token_42", b"se_fault_suite_key_42")
        if secret in path.read_bytes()
    ]
    assert leaks == []
