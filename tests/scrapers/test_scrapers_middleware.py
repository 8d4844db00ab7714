"""RetryAfterMiddleware: waits as long as a 429/503 Retry-After asks, capped, and counts it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import scrapy
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from scrapers import middlewares
from scrapers.middlewares import RetryAfterMiddleware, parse_retry_after


@pytest.fixture
def slept(monkeypatch):
    """Record the waits instead of sleeping."""
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(middlewares, "sleep", fake_sleep)
    return waits


def make_middleware(**settings):
    crawler = get_crawler(scrapy.Spider, {"RETRY_TIMES": 3, "RETRY_AFTER_MAX": 120, **settings})
    crawler.spider = scrapy.Spider.from_crawler(crawler, name="test")
    return RetryAfterMiddleware.from_crawler(crawler), crawler.stats


def respond(mw, status: int, headers=None, request=None):
    request = request or Request("https://pypistats.org/api/packages/duckdb/overall")
    response = Response(request.url, status=status, headers=headers or {}, request=request)
    return asyncio.run(mw.process_response(request, response))


def test_429_with_seconds_waits_then_retries(slept):
    mw, stats = make_middleware()
    result = respond(mw, 429, {"Retry-After": "7"})
    assert isinstance(result, Request)
    assert result.meta["retry_times"] == 1
    assert result.dont_filter is True
    assert slept == [7.0]
    assert stats.get_value("retry/count") == 1
    reasons = [k for k in stats.get_stats() if k.startswith("retry/reason_count/429")]
    assert len(reasons) == 1
    assert stats.get_value("radar/retry_after/count") == 1
    assert stats.get_value("radar/retry_after/seconds") == 7.0


def test_wait_is_capped_by_retry_after_max(slept):
    mw, _ = make_middleware(RETRY_AFTER_MAX=30)
    assert isinstance(respond(mw, 503, {"Retry-After": "3600"}), Request)
    assert slept == [30.0]


def test_http_date(slept):
    mw, _ = make_middleware()
    when = datetime.now(UTC) + timedelta(seconds=60)
    respond(mw, 503, {"Retry-After": format_datetime(when, usegmt=True)})
    assert len(slept) == 1
    assert 55 <= slept[0] <= 61


def test_5xx_without_header_retries_without_waiting(slept):
    mw, stats = make_middleware()
    assert isinstance(respond(mw, 502), Request)
    assert slept == []
    assert stats.get_value("retry/count") == 1


def test_gives_up_after_retry_times(slept):
    mw, stats = make_middleware(RETRY_TIMES=3)
    request = Request("https://site.example/", meta={"retry_times": 3})
    result = respond(mw, 429, {"Retry-After": "5"}, request=request)
    assert isinstance(result, Response)
    assert result.status == 429
    assert slept == []  # no point waiting for a retry that will not happen
    assert stats.get_value("retry/max_reached") == 1


def test_other_statuses_and_dont_retry_pass_through(slept):
    mw, _ = make_middleware()
    assert respond(mw, 404).status == 404
    request = Request("https://site.example/", meta={"dont_retry": True})
    assert respond(mw, 429, {"Retry-After": "5"}, request=request).status == 429
    assert slept == []


def test_parse_retry_after():
    now = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(b" 5 ") == 5.0
    assert parse_retry_after("Mon, 16 Nov 2026 06:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Mon, 16 Nov 2026 05:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_page_yields_at_most_its_cap_of_items_and_says_so():
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from scrapers.middlewares import ItemsPerPageMiddleware

    crawler = get_crawler(settings_dict={"RADAR_MAX_ITEMS_PER_PAGE": 3})
    crawler.stats.open_spider()
    cap = ItemsPerPageMiddleware.from_crawler(crawler)
    request = Request("https://acme.example/pricing", meta={"target": {"source_id": "acme"}})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    follow = Request("https://acme.example/pricing?page=2")
    output = list(cap.process_spider_output(response, [{"n": i} for i in range(5)] + [follow]))
    assert output == [{"n": 0}, {"n": 1}, {"n": 2}, follow]
    assert crawler.stats.get_value("radar/parse_errors/items_per_page_cap") == 1
    source_key = "radar/sources/acme/radar/parse_errors/items_per_page_cap"
    assert crawler.stats.get_value(source_key) == 1


def test_a_page_with_too_many_elements_is_refused_in_words():
    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import HtmlResponse, TextResponse
    from scrapy.utils.test import get_crawler

    from scrapers.middlewares import ElementsCapMiddleware

    cap = ElementsCapMiddleware.from_crawler(get_crawler(settings_dict={"RADAR_MAX_ELEMENTS": 100}))
    request = Request("https://acme.example/pricing")
    body = b"<html><body>" + b"<p>plan</p>" * 300 + b"</body></html>"
    with pytest.raises(IgnoreRequest, match=r"^page has 302 elements, over the cap of 100$"):
        cap.process_response(request, HtmlResponse(request.url, body=body, request=request))
    small = HtmlResponse(request.url, body=b"<html><body><p>plan</p></body></html>")
    assert cap.process_response(request, small) is small
    api = TextResponse(request.url, body=b'{"plans": []}' * 1000)  # not a page: not counted
    assert cap.process_response(request, api) is api
