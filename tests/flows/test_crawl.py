"""Batched crawls, for real: one Scrapy process per batch of one kind, each source judged on
its own, against the demo web told to fail (errors, 429 with Retry-After, a hang)."""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest

from demo.web import DemoWeb, Fault
from flows import catalog as catalog_mod
from flows.crawl import Batch, CrawlResult, crawl_batch
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
        crawl_retries=0,
        crawl_retry_delay_seconds=0.1,
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


def crawl_all(settings: Settings, *source_ids: str, spider: str | None = None) -> list[CrawlResult]:
    targets = [target(settings, source_id) for source_id in source_ids]
    if spider:
        targets = [{**t, "spider": spider} for t in targets]
    return crawl_batch(settings, Batch(targets[0]["spider"], tuple(targets)), "r1", OBSERVED)


def crawl(settings: Settings, source_id: str) -> CrawlResult:
    (result,) = crawl_all(settings, source_id)
    return result


PRICING_SOURCES = ("cobalt-cloud-pricing", "northwind-analytics-pricing", "bluebird-data-pricing")


def test_a_batch_is_one_crawl_and_each_source_has_its_own_ledger_row(settings):
    results = crawl_all(settings, *PRICING_SOURCES)
    assert [r.source_id for r in results] == list(PRICING_SOURCES)
    # one process, one landing file for the kind
    landing = str(settings.landing_dir / "pricing" / "r1" / "pricing.jsonl")
    assert {r.landing_file for r in results} == {landing}
    rows = {r.source_id: r.source_run("r1", OBSERVED, last_ok_items=None) for r in results}
    assert {sid: (row["status"], row["items"]) for sid, row in rows.items()} == {
        "cobalt-cloud-pricing": ("ok", 3),
        "northwind-analytics-pricing": ("ok", 6),
        "bluebird-data-pricing": ("ok", 7),
    }
    cobalt = rows["cobalt-cloud-pricing"]
    # its own page only: robots.txt is the host's, not a source's
    assert (cobalt["requests"], cobalt["responses"]) == (1, {"200": 1})
    assert (cobalt["retries"], cobalt["robots_refused"], cobalt["parse_problems"]) == (0, 0, 0)
    assert cobalt["error"] is None
    assert (cobalt["source_kind"], cobalt["subject_id"]) == ("pricing", "cobalt-cloud")
    assert cobalt["started_at"] <= cobalt["finished_at"]
    # the landing file holds the three sources' lines
    lines = [json.loads(line) for line in Path(landing).read_text().splitlines()]
    assert sorted({line["source_id"] for line in lines}) == sorted(PRICING_SOURCES)
    assert len(lines) == 16


def test_a_failing_source_in_a_batch_costs_that_source_only(web, settings):
    with faulted(web, PRICING, Fault(503, body="down for maintenance")):
        results = crawl_all(settings.model_copy(update={"retry_times": 1}), *PRICING_SOURCES)
    statuses = {r.source_id: r.outcome() for r in results}
    assert statuses == {
        "cobalt-cloud-pricing": ("failed", "HTTP 503 ×1 after 1 retries"),
        "northwind-analytics-pricing": ("ok", None),
        "bluebird-data-pricing": ("ok", None),
    }
    assert {r.source_id: r.items for r in results}["bluebird-data-pricing"] == 7


def test_a_hung_batch_is_crawled_again_one_source_at_a_time(web, settings):
    slow = settings.model_copy(
        update={"download_timeout": 60, "crawl_timeout_seconds": 3, "crawl_retries": 2}
    )
    # the page hangs for every request: the batch is killed, then each source crawls alone
    with faulted(web, PRICING, Fault(200, delay=30)):
        results = {r.source_id: r for r in crawl_all(slow, *PRICING_SOURCES)}
    cobalt = results["cobalt-cloud-pricing"]
    assert (cobalt.ok, cobalt.exitcode, cobalt.attempts) == (False, -9, 3)
    assert cobalt.error.startswith("crawl killed after 3s")
    for source_id in ("northwind-analytics-pricing", "bluebird-data-pricing"):
        assert (results[source_id].ok, results[source_id].attempts) == (True, 2)
    assert results["bluebird-data-pricing"].items == 7
    # each source landed its own file; the killed batch's file is kept beside its log
    assert results["bluebird-data-pricing"].landing_file.endswith("/r1/bluebird-data-pricing.jsonl")
    assert (settings.runs_dir / "r1" / "pricing.failed.jsonl").exists() or not (
        settings.landing_dir / "pricing" / "r1" / "pricing.jsonl"
    ).exists()


def test_http_5xx_after_retries_fails_the_source_and_names_the_status(web, settings):
    with faulted(web, PRICING, Fault(503, body="down for maintenance")):
        result = crawl(settings.model_copy(update={"retry_times": 2}), "cobalt-cloud-pricing")
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "failed"
    assert row["items"] == 0
    assert row["responses"] == {"503": 3}  # 1 try + 2 retries
    assert row["retries"] == 2
    assert row["error"] == "HTTP 503 ×1 after 2 retries"


def test_429_with_retry_after_is_waited_out_and_the_source_is_ok(web, settings):
    with faulted(web, PYPI, Fault(429, {"Retry-After": "1"}, times=1)):
        result = crawl(settings, "polars-pypistats")
    row = result.source_run("r1", OBSERVED, last_ok_items=None)
    assert row["status"] == "ok"
    assert row["responses"] == {"200": 1, "429": 1}
    assert row["retries"] == 1
    assert result.stats["radar/retry_after/count"] == 1
    assert result.items == 1  # one answer, its 60 days as points


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
    (result,) = crawl_all(settings, "cobalt-cloud-pricing", spider="no_such_spider")
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
    page2 = "/2026-11-23/api.lever.co/v0/postings/bluebird"
    with faulted(web, page2 + "?mode=json&limit=5&skip=5", Fault(500)):
        result = crawl(settings.model_copy(update={"retry_times": 0}), "bluebird-data-lever")
    status, error = result.outcome()
    assert (status, result.items) == ("partial", 5)
    assert error == "some pages failed: HTTP 500 ×1"


REPOS = ("pandas-github-repo", "polars-github-repo", "sqoop-github-repo", "go-github-repo")


def landed(results: list[CrawlResult]) -> list[dict]:
    rows = []
    for path in sorted({r.landing_file for r in results}):
        rows += [json.loads(line) for line in Path(path).read_text().splitlines()]
    return sorted(rows, key=lambda row: row["source_id"])


def test_github_repo_with_a_token_asks_graphql_for_many_repositories_at_once(
    web, settings, tmp_path, monkeypatch
):
    rest = crawl_all(settings, *REPOS)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test_token_1234")
    graphql = crawl_all(settings.model_copy(update={"data_dir": tmp_path / "token"}), *REPOS)
    # no file the crawl wrote (landing, stats, logs) holds the token
    written = [path for path in (tmp_path / "token").rglob("*") if path.is_file()]
    assert len(written) >= 3
    assert [path for path in written if b"ghp_test_token_1234" in path.read_bytes()] == []
    # one POST for the four repositories, counted for each; REST asks each twice at least
    assert {r.stats["downloader/request_count"] for r in graphql} == {1}
    assert sum(r.stats["downloader/request_count"] for r in rest) >= 8
    # the same facts either way: stars, releases in the year, the archived project...
    assert landed(graphql) == landed(rest)
    assert {row["repo"]: row["releases_last_12m"] for row in landed(graphql)} == {
        "pandas-dev/pandas": 8,
        "pola-rs/polars": 52,
        "apache/sqoop": 0,
        "golang/go": 0,
    }


def test_fault_parse_reads_the_command_line_form():
    assert Fault.parse("/2026-11-23/cobalt.example/pricing=429,retry-after=2,times=1") == (
        "/2026-11-23/cobalt.example/pricing",
        Fault(429, {"Retry-After": "2"}, "<h1>429</h1>", times=1),
    )
    with pytest.raises(ValueError, match="expected PATH=STATUS"):
        Fault.parse("cobalt=503")


def test_a_redirect_loop_is_named_as_such(web, settings):
    with faulted(web, PRICING, Fault(302, {"Location": PRICING})):
        result = crawl(settings, "cobalt-cloud-pricing")
    assert result.outcome() == ("failed", "redirect loop after 20 hops ×1")


def test_a_response_over_the_size_cap_is_refused_in_words(web, settings):
    capped = settings.model_copy(update={"download_maxsize_mb": 1})
    with faulted(web, PRICING, Fault(200, {"Content-Type": "text/html"}, b"x" * (2 * 2**20))):
        result = crawl(capped, "cobalt-cloud-pricing")
    assert result.outcome() == ("failed", "response larger than 1 MB ×1")


def test_a_compression_bomb_is_refused_in_words(web, settings):
    bomb = gzip.compress(b" " * (8 * 2**20))  # 8 MB of spaces, about 8 kB on the wire
    capped = settings.model_copy(update={"download_maxsize_mb": 1})
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    with faulted(web, PRICING, Fault(200, headers, bomb)):
        result = crawl(capped, "cobalt-cloud-pricing")
    assert result.outcome() == ("failed", "decompressed body over the cap of 1 MB ×1")


def test_a_source_past_its_time_budget_ends_with_what_it_has(web, settings):
    # Bluebird's Lever board pages by 5: its first page comes after 1 s, past a budget of
    # 0.5 s, so the second page is not asked for
    page = "/2026-11-23/api.lever.co/v0/postings/bluebird?mode=json&limit=5&skip=0"
    first = httpx.get(web.url + page).content
    budget = settings.model_copy(update={"source_time_budget_seconds": 0.5})
    with faulted(web, page, Fault(200, {"Content-Type": "application/json"}, first, delay=1.0)):
        result = crawl(budget, "bluebird-data-lever")
    assert result.outcome() == ("partial", "some pages failed: time budget of 0.5 s spent ×1")
    assert result.items == 5


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("{web}/x", "127.0.0.1 is a non-public address (127.0.0.1): refused ×1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a non-public address "
         "(169.254.169.254): refused ×1"),
        ("http://user:pass@example.com/pricing", "credentials in the URL refused (secrets come "
         "from the environment) ×1"),
        ("ftp://example.com/pricing", "ftp: URLs are refused (only http and https) ×1"),
    ],
)  # fmt: skip
def test_the_real_catalog_crawls_public_http_urls_only(web, settings, url, error):
    real = settings.model_copy(update={"catalog": "real", "demo_web_url": None})
    page = {**target(settings, "cobalt-cloud-pricing"), "url": url.format(web=web.url)}
    (result,) = crawl_batch(real, Batch("pricing", (page,)), "r1", OBSERVED)
    assert result.outcome() == ("failed", error)


def test_names_are_judged_by_the_addresses_they_resolve_to():
    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest

    from scrapers.middlewares import NetworkSafetyMiddleware

    safety = NetworkSafetyMiddleware(allow_private=False)
    # a redirect's new request passes the downloader middlewares again, so this is what a
    # public page redirecting to localhost gets
    with pytest.raises(IgnoreRequest, match=r"localhost is a non-public address \(127\.0\.0\.1"):
        safety.process_request(Request("http://localhost:8080/admin"))
    with pytest.raises(IgnoreRequest, match=r"non-public address \(fd00::1\)"):
        safety.process_request(Request("http://[fd00::1]/"))
    assert (
        NetworkSafetyMiddleware(allow_private=True).process_request(
            Request("http://localhost:8080/admin")
        )
        is None
    )


def test_a_series_source_that_holds_the_newest_point_is_not_asked_again():
    from flows.crawl import up_to_date
    from scrapers.windows import newest_complete

    # Sunday 2026-11-29: yesterday for a daily series, the week of 2026-11-16 for a weekly one
    assert newest_complete("date", "2026-11-29T06:00:00+00:00") == date(2026, 11, 28)
    assert newest_complete("week_start", "2026-11-29T06:00:00+00:00") == date(2026, 11, 16)
    assert newest_complete("week_start", "2026-11-30T06:00:00+00:00") == date(2026, 11, 23)
    target = {"source_id": "polars-pypistats", "spider": "pypistats", "subject_type": "technology",
              "subject_id": "polars"}  # fmt: skip
    result = up_to_date(target)
    assert result.outcome(last_ok_items=60) == ("ok", None)
    assert result.source_run("r1", OBSERVED, 60)["requests"] == 0
