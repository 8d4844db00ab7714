"""One crawl per source, for real: Scrapy processes forked by crawl hosts, against the demo web
told to fail (errors, 429 with Retry-After, a hang)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest

from flows import catalog as catalog_mod
from flows.crawl import CrawlResult, run_crawl
from demo.web import DemoWeb, Fault
from flows.settings import Settings

DAY = date(2026, 11, 23)
OBSERVED = "2026-11-23T06:00:00+00:00"
PRICING = "/2026-11-23/cobalt.example/pricing"
PYPI = "/2026-11-23/pypistats.org/api/packages/polars/overall"


@pytest.fixture(scope="module")
def web():
    with DemoWeb() as web:
        yield web


@pytest.fixture
def settings(web, tmp_path):
    return Settings(
        catalog="demo",
        data_dir=tmp_path,
        demo_web_url=web.snapshot_url(DAY),
        download_timeout=2,
        crawl_timeout_seconds=20,
    )


@contextmanager
def faulted(web: DemoWeb, path: str, fault: Fault):
    """The demo web answers `path` with `fault` inside the block, normally after it."""
    web.faults[path] = fault
    try:
        yield
    finally:
        del web.faults[path]


def target(settings: Settings, source_id: str) -> dict:
    catalog = catalog_mod.load_catalog(settings.catalog_dir)
    planned = catalog_mod.plan(catalog, demo_web_url=settings.demo_web_url, sources={source_id})
    return next(t.to_dict() for targets in planned.values() for t in targets)


def crawl(settings: Settings, source_id: str, **kwargs) -> CrawlResult:
    return run_crawl(settings, target(settings, source_id), "r1", OBSERVED, **kwargs)


def test_a_source_is_one_crawl_with_its_own_landing_file_and_ledger_row(settings):
    result = crawl(settings, "cobalt-cloud-pricing")
    assert result.ok, result.error
    assert result.landing_file == str(
        settings.landing_dir / "pricing" / "r1" / "cobalt-cloud-pricing.jsonl"
    )
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "ok"
    assert row["error"] is None
    assert row["items"] == result.items == 3
    # robots.txt, then the page
    assert (row["requests"], row["responses"]) == (2, {"200": 2})
    assert (row["retries"], row["robots_refused"], row["parse_problems"]) == (0, 0, 0)
    assert row["source_kind"] == "pricing"
    assert row["subject_id"] == "cobalt-cloud"


def test_http_5xx_after_retries_fails_the_source_and_names_the_status(web, settings):
    with faulted(web, PRICING, Fault(503, body="down for maintenance")):
        result = crawl(settings.model_copy(update={"retry_times": 2}), "cobalt-cloud-pricing")
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "failed"
    assert row["items"] == 0
    assert row["responses"] == {"200": 1, "503": 3}  # robots.txt, then 1 try + 2 retries
    assert row["retries"] == 2
    assert row["error"] == "HTTP 503 ×1 after 2 retries"


def test_429_with_retry_after_is_waited_out_and_the_source_is_ok(web, settings):
    with faulted(web, PYPI, Fault(429, {"Retry-After": "1"}, times=1)):
        result = crawl(settings, "polars-pypistats")
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "ok"
    assert row["responses"] == {"200": 2, "429": 1}
    assert row["retries"] == 1
    assert result.stats["radar/retry_after/count"] == 1
    assert result.items == 60


def test_a_hanging_server_times_out_and_fails_the_source(web, settings):
    with faulted(web, PRICING, Fault(200, delay=30)):
        result = crawl(settings.model_copy(update={"retry_times": 0}), "cobalt-cloud-pricing")
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "failed"
    assert row["error"] == "DownloadTimeoutError ×1"
    assert row["duration_seconds"] < 15


def test_a_hung_crawl_process_is_killed(web, settings):
    with faulted(web, PRICING, Fault(200, delay=30)):
        result = crawl(
            settings.model_copy(update={"download_timeout": 60, "crawl_timeout_seconds": 2}),
            "cobalt-cloud-pricing",
        )
    assert result.exitcode == -9
    assert result.error.startswith("crawl killed after 2s")
    assert result.source_run("r1", OBSERVED, None)["status"] == "failed"


def test_a_crashing_crawl_process_is_reported_with_its_traceback(settings):
    broken = {**target(settings, "cobalt-cloud-pricing"), "spider": "no_such_spider"}
    result = run_crawl(settings, broken, "r1", OBSERVED)
    assert result.exitcode == 1
    assert result.error.startswith("crawl process exited with 1: ")
    assert "Spider not found: no_such_spider" in result.error


def test_no_items_where_the_last_ok_run_had_many_is_a_failure(web, settings):
    # A board that answers with no jobs at all: valid, but not what it said yesterday.
    board = "/2026-11-23/boards-api.greenhouse.io/v1/boards/northwind/jobs"
    with faulted(web, board, Fault(200, {"Content-Type": "application/json"}, '{"jobs": []}')):
        result = crawl(settings, "northwind-analytics-greenhouse")
    assert (result.items, result.problems) == (0, {})
    assert result.outcome(last_ok_items=6) == ("failed", "no items, where the last ok run had 6")
    # a board that had 2 postings may well have none today; one that never had any, too
    assert result.outcome(last_ok_items=2) == ("ok", None)
    assert result.outcome(last_ok_items=None) == ("ok", None)


def test_a_partly_failed_source_is_partial(web, settings):
    # Bluebird's Lever board pages by 5: the second page fails, the first still lands.
    source = target(settings, "bluebird-data-lever")
    page2 = "/2026-11-23/api.lever.co/v0/postings/bluebird"
    with faulted(web, page2 + "?mode=json&limit=5&skip=5", Fault(500)):
        result = run_crawl(settings.model_copy(update={"retry_times": 0}), source, "r1", OBSERVED)
    status, error = result.outcome()
    assert (status, result.items) == ("partial", 5)
    assert error == "some pages failed: HTTP 500 ×1"


def test_fault_parse_reads_the_command_line_form():
    assert Fault.parse("/2026-11-23/cobalt.example/pricing=429,retry-after=2,times=1") == (
        "/2026-11-23/cobalt.example/pricing",
        Fault(429, {"Retry-After": "2"}, "<h1>429</h1>", times=1),
    )
    with pytest.raises(ValueError, match="expected PATH=STATUS"):
        Fault.parse("cobalt=503")
