"""lever spider on saved postings API pages: skip/limit paging, error bodies."""

from __future__ import annotations

import pytest
from scrapy import Request

from scrapers.spiders.lever import LeverSpider

BASE = "https://api.lever.co/v0/postings/cobalt?mode=json"
PAGE1 = BASE + "&skip=0&limit=2"
PAGE2 = BASE + "&skip=2&limit=2"


@pytest.fixture
def spider(kit):
    return kit.make_spider(LeverSpider, {"RADAR_LEVER_PAGE_SIZE": 2})


@pytest.fixture
def tgt(kit):
    return kit.target(BASE, spider="lever", subject_id="cobalt")


def test_first_request_adds_skip_and_limit(spider, tgt):
    spider.targets = [tgt]
    (request,) = list(spider.target_requests())
    assert isinstance(request, Request)
    assert request.url == PAGE1
    assert request.headers.get("Accept") == b"application/json"


def test_default_page_size_is_100(kit, tgt):
    spider = kit.make_spider(LeverSpider)
    assert spider.start_url(tgt) == BASE + "&skip=0&limit=100"


def test_two_pages_until_a_short_page(kit, spider, tgt):
    items1, requests = kit.parse(spider, kit.saved_response("lever_page1.json", PAGE1), tgt)
    assert len(items1) == 2
    (next_page,) = requests
    assert next_page.url == PAGE2
    assert next_page.meta["radar_page"] == 2
    assert next_page.cb_kwargs == {"target": tgt}

    response2 = kit.saved_response("lever_page2.json", PAGE2, meta=next_page.meta)
    items2, requests2 = kit.parse(spider, response2, tgt)
    assert requests2 == []  # 1 posting < limit 2: the last page
    jobs = {i["job_id"]: i for i in items1 + items2}
    assert len(jobs) == 3

    platform = jobs["5ac21346-8e0c-4494-8e7a-3eb92ff77902"]
    assert platform["title"] == "Platform Engineer"
    assert (platform["department"], platform["team"]) == ("Engineering", "Platform")
    assert (platform["workplace_type"], platform["employment_type"]) == ("remote", "full-time")
    assert (platform["salary_min"], platform["salary_max"]) == ("70000.00", "90000.00")
    assert (platform["salary_currency"], platform["salary_period"]) == ("EUR", "year")
    assert platform["posted_at"] == "2026-11-16T09:00:00+00:00"
    assert platform["apply_url"].endswith("/5ac21346-8e0c-4494-8e7a-3eb92ff77902/apply")
    assert platform["description"] == (
        "Join the Platform team.\nWhat you'll do\n- Ship features\n"
        "- Write Python and Go services\nWe offer a learning budget."
    )
    support = jobs["0f6b1c1e-1d2b-4f0e-9c3a-7f2d9b8e6a11"]
    assert (support["workplace_type"], support["employment_type"]) == ("onsite", "part-time")
    assert support["salary_min"] is None
    data = jobs["9d3e2f10-aaaa-4bbb-8ccc-123456789abc"]
    assert (data["workplace_type"], data["employment_type"], data["location"]) == (
        "hybrid",
        "contract",
        "Lisbon",
    )
    assert (data["salary_min"], data["salary_currency"], data["salary_period"]) == (
        "60.00",
        "USD",
        "hour",
    )
    assert {i["url"] for i in items2} == {PAGE2}
    assert kit.radar_stats(spider) == {}


def test_page_limit_is_recorded(kit, tgt):
    spider = kit.make_spider(LeverSpider, {"RADAR_LEVER_PAGE_SIZE": 2, "RADAR_MAX_PAGES": 1})
    items, requests = kit.parse(spider, kit.saved_response("lever_page1.json", PAGE1), tgt)
    assert len(items) == 2
    assert requests == []
    assert kit.radar_stats(spider) == {"radar/parse_warnings/page_limit_reached": 1}


def test_ok_false_error_body(kit, spider, tgt):
    items, requests = kit.parse(spider, kit.saved_response("lever_error.json", PAGE1), tgt)
    assert (items, requests) == ([], [])
    assert kit.radar_stats(spider) == {"radar/parse_errors/api_error": 1}


def test_404_with_error_body_and_html_page(kit, spider, tgt, caplog):
    items, _ = kit.parse(spider, kit.saved_response("lever_error.json", PAGE1, 404), tgt)
    assert items == []
    assert "Document not found" in caplog.text
    items, _ = kit.parse(spider, kit.saved_response("pypistats_404.html", PAGE1), tgt)
    assert items == []
    assert kit.radar_stats(spider) == {
        "radar/http_errors/404": 1,
        "radar/error_bodies/json": 1,
        "radar/parse_errors/not_json": 1,
    }
