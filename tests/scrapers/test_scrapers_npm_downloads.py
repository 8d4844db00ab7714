"""npm_downloads spider: explicit windows, bulk batches of unscoped packages, scoped ones
one by one, and packages the API does not know."""

from __future__ import annotations

import pytest

from scrapers.spiders.npm_downloads import NpmDownloadsSpider, package_of

OBSERVED_AT = "2026-11-23T06:00:00+00:00"
API = "https://api.npmjs.org/downloads/range"
BULK = f"{API}/2026-07-26:2026-11-22/express,react,no-such-package-xyz"
SCOPED = f"{API}/2026-07-26:2026-11-22/@duckdb/node-api"


def npm_target(kit, subject, package):
    tgt = kit.target(f"{API}/last-year/{package}", spider="npm_downloads", subject_id=subject)
    return {**tgt, "subject_type": "technology"}


@pytest.fixture
def targets(kit):
    return [
        npm_target(kit, "express", "express"),
        npm_target(kit, "duckdb", "@duckdb/node-api"),
        npm_target(kit, "react", "react"),
        npm_target(kit, "ghost", "no-such-package-xyz"),
    ]


@pytest.fixture
def spider(kit, targets):
    return kit.make_spider(NpmDownloadsSpider, observed_at=OBSERVED_AT, targets=targets)


def test_package_of_catalog_urls():
    assert package_of(f"{API}/last-year/express") == (API, "express")
    assert package_of(f"{API}/last-year/@duckdb/node-api") == (API, "@duckdb/node-api")
    assert package_of(f"{API}/last-year/%40duckdb%2Fnode-api") == (API, "@duckdb/node-api")
    assert package_of("https://api.npmjs.org/downloads/point/last-week/express") is None


def test_requests_bulk_for_unscoped_and_one_by_one_for_scoped(spider):
    requests = list(spider.target_requests())
    assert [r.url for r in requests] == [BULK, SCOPED]
    assert list(requests[0].meta["radar_batch"]) == ["express", "react", "no-such-package-xyz"]


def test_batch_size_and_windows_from_settings(kit, targets):
    settings = {
        "RADAR_NPM_BATCH_SIZE": 2,
        "RADAR_SIGNAL_DAYS": 500,
        "RADAR_NPM_MAX_WINDOW_DAYS": 365,
    }
    spider = kit.make_spider(NpmDownloadsSpider, settings, observed_at=OBSERVED_AT, targets=targets)
    urls = [r.url for r in spider.target_requests()]
    assert urls == [
        f"{API}/2025-07-11:2026-07-10/express,react",
        f"{API}/2025-07-11:2026-07-10/no-such-package-xyz",
        f"{API}/2026-07-11:2026-11-22/express,react",
        f"{API}/2026-07-11:2026-11-22/no-such-package-xyz",
        f"{API}/2025-07-11:2026-07-10/@duckdb/node-api",
        f"{API}/2026-07-11:2026-11-22/@duckdb/node-api",
    ]


def test_bulk_answer_keyed_by_package(kit, spider, targets, caplog):
    (bulk, _) = list(spider.target_requests())
    response = kit.saved_response("npm_bulk.json", BULK, meta=bulk.meta)
    items, _ = kit.parse(spider, response, targets[0])
    # one item a package, its three days as points
    assert sorted(i["package"] for i in items) == ["express", "react"]
    by_tech = {(i["technology_id"], i["date"]): i for i in kit.days(items)}
    assert len(by_tech) == 6
    assert by_tech[("express", "2026-11-21")]["downloads"] == 9876553
    assert by_tech[("react", "2026-11-22")] == {
        "run_id": "run-2026-11-16",
        "source": "npm_downloads",
        "source_id": "react-npm_downloads",
        "observed_at": OBSERVED_AT,
        "url": BULK,
        "technology_id": "react",
        "package": "react",
        "date": "2026-11-22",
        "downloads": 5400020,
        "category": "npm",
    }
    # null in the bulk answer: recorded, nothing landed for it.
    assert kit.radar_stats(spider) == {"radar/parse_errors/package_not_found": 1}
    assert "no-such-package-xyz" in caplog.text
    # counted for the source that asked for it only, not for the rest of the batch
    assert kit.source_stats(spider, "ghost-npm_downloads") == {
        "radar/parse_errors/package_not_found": 1
    }
    assert kit.source_stats(spider, "react-npm_downloads") == {}


def test_package_missing_from_the_bulk_answer(kit, spider, targets):
    batch = {"express": [targets[0]], "left-pad": [targets[3]]}
    response = kit.saved_response("npm_bulk.json", BULK, meta={"radar_batch": batch})
    items, _ = kit.parse(spider, response, targets[0])
    assert {i["package"] for i in items} == {"express"}
    assert kit.radar_stats(spider) == {"radar/parse_errors/package_not_found": 1}


def test_scoped_single_answer(kit, spider, targets):
    (_, scoped) = list(spider.target_requests())
    response = kit.saved_response("npm_scoped.json", SCOPED, meta=scoped.meta)
    items, _ = kit.parse(spider, response, targets[1])
    assert len(items) == 1
    rows = kit.days(items)
    assert [(i["technology_id"], i["package"], i["date"], i["downloads"]) for i in rows] == [
        ("duckdb", "@duckdb/node-api", "2026-11-20", 4321),
        ("duckdb", "@duckdb/node-api", "2026-11-21", 4331),
        ("duckdb", "@duckdb/node-api", "2026-11-22", 4341),
    ]


def test_two_targets_for_one_package_each_get_rows(kit, targets):
    twin = {**targets[0], "source_id": "express-twin", "subject_id": "expressjs"}
    spider = kit.make_spider(
        NpmDownloadsSpider, observed_at=OBSERVED_AT, targets=[targets[0], twin]
    )
    (request,) = list(spider.target_requests())
    assert request.url == f"{API}/2026-07-26:2026-11-22/express"
    response = kit.saved_response("npm_bulk.json", request.url, meta=request.meta)
    items, _ = kit.parse(spider, response, targets[0])
    assert sorted({i["source_id"] for i in items}) == ["express-npm_downloads", "express-twin"]


def test_not_found_error_body(kit, spider, targets, caplog):
    url = f"{API}/2026-07-26:2026-11-22/@nope/nothing"
    meta = {"radar_batch": {"@nope/nothing": [targets[1]]}}
    response = kit.saved_response("npm_not_found.json", url, 404, meta=meta)
    assert kit.parse(spider, response, targets[1]) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/http_errors/404": 1,
        "radar/error_bodies/json": 1,
        "radar/parse_errors/package_not_found": 1,
    }
    assert "package @nope/nothing not found" in caplog.text


def test_html_error_page_and_truncated_json(kit, spider, targets):
    meta = {"radar_batch": {"express": [targets[0]]}}
    html = kit.saved_response("pypistats_404.html", BULK, meta=meta)
    truncated = kit.saved_response("truncated.json", BULK, meta=meta)
    assert kit.parse(spider, html, targets[0]) == ([], [])
    assert kit.parse(spider, truncated, targets[0]) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/parse_errors/not_json": 1,
        "radar/parse_errors/invalid_json": 1,
    }
