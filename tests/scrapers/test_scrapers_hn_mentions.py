"""hn_mentions spider: the exact week windows for a fixed observed_at; one window of story
hits counted per week, or nbHits per week when the window holds more than one answer."""

from __future__ import annotations

import json

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from scrapers.spiders.hn_mentions import HnMentionsSpider
from scrapers.windows import week_of

OBSERVED_AT = "2026-11-23T06:00:00+00:00"
SEARCH = "https://hn.algolia.com/api/v1/search_by_date?query=duckdb&tags=story"
# 2026-11-16T00:00Z .. 2026-11-23T00:00Z, the last complete week before observed_at's.
LAST_WEEK = (
    f"{SEARCH}&numericFilters=created_at_i%3E%3D1794787200%2Ccreated_at_i%3C1795392000"
    "&hitsPerPage=0"
)


LAST_WEEK_WINDOW = week_of(1794787200, 1795392000)


@pytest.fixture
def tgt(kit):
    tgt = kit.target(SEARCH, spider="hn_mentions", subject_id="duckdb")
    return {**tgt, "subject_type": "technology"}


@pytest.fixture
def spider(kit, tgt):
    return kit.make_spider(HnMentionsSpider, observed_at=OBSERVED_AT, targets=[tgt])


# 2026-08-03 (Monday) .. 2026-11-23: the sixteen complete weeks before observed_at's.
SIXTEEN_WEEKS = (
    f"{SEARCH}&numericFilters=created_at_i%3E%3D1785715200%2Ccreated_at_i%3C1795392000"
    "&hitsPerPage=1000"
)


def test_sixteen_complete_weeks_in_one_window_of_hits(spider):
    (request,) = spider.target_requests()
    assert request.url == SIXTEEN_WEEKS
    weeks = request.meta["radar_weeks"]
    assert len(weeks) == 16
    assert weeks[0] == (1785715200, 1786320000)
    assert weeks[-1] == (1794787200, 1795392000)


def test_since_asks_only_the_weeks_after_it(kit, tgt):
    # the flow knows the weeks up to 2026-11-09: it asks that one again (overlap) and the next
    known = {**tgt, "since": "2026-11-09"}
    spider = kit.make_spider(HnMentionsSpider, observed_at=OBSERVED_AT, targets=[known])
    (request,) = spider.target_requests()
    assert request.meta["radar_weeks"] == [(1794182400, 1794787200), (1794787200, 1795392000)]
    # a single week is asked for its count alone
    latest = {**tgt, "since": "2026-11-16"}
    spider = kit.make_spider(HnMentionsSpider, observed_at=OBSERVED_AT, targets=[latest])
    (request,) = spider.target_requests()
    assert request.url == LAST_WEEK


def hits_answer(url: str, meta: dict, stamps: list[int], nb_hits: int | None = None):
    body = {
        "hits": [{"created_at_i": t, "objectID": str(t), "title": "x"} for t in stamps],
        "nbHits": len(stamps) if nb_hits is None else nb_hits,
        "hitsPerPage": 1000,
        "page": 0,
        "query": "duckdb",
    }
    return TextResponse(
        url, body=json.dumps(body).encode(), encoding="utf-8", request=Request(url, meta=meta)
    )


def test_hits_of_the_window_are_counted_per_week(kit, spider, tgt):
    (request,) = spider.target_requests()
    last_week, week_before = 1794787200, 1794182400
    stamps = [last_week + 10, last_week + 86_400, week_before + 5]
    items, follow = kit.parse(spider, hits_answer(SIXTEEN_WEEKS, request.meta, stamps), tgt)
    assert follow == []
    counts = {item["week_start"]: item["stories"] for item in items}
    assert len(counts) == 16  # every week asked, with its 0 when it had no story
    assert counts["2026-11-16"] == 2
    assert counts["2026-11-09"] == 1
    assert sum(counts.values()) == 3
    assert items[-1]["url"] == SIXTEEN_WEEKS


def test_a_window_with_more_stories_than_one_answer_asks_each_week(kit, spider, tgt):
    (request,) = spider.target_requests()
    answer = hits_answer(SIXTEEN_WEEKS, request.meta, [1794787200 + 1] * 1000, nb_hits=2400)
    items, follow = kit.parse(spider, answer, tgt)
    assert items == []
    assert len(follow) == 16
    assert follow[-1].url == LAST_WEEK
    assert follow[-1].meta["radar_week"] == (1794787200, 1795392000)


def test_weeks_setting_and_a_catalog_url_with_its_own_paging(kit, tgt):
    tgt = {**tgt, "url": SEARCH + "&hitsPerPage=50&page=2"}
    spider = kit.make_spider(
        HnMentionsSpider, {"RADAR_HN_WEEKS": 1}, observed_at="2026-11-25T23:00:00Z", targets=[tgt]
    )
    urls = [r.url for r in spider.target_requests()]
    assert urls == [LAST_WEEK]  # a Wednesday in the same week asks the same window


def test_nbhits_of_a_week(kit, spider, tgt):
    request = spider.week_request(tgt, LAST_WEEK_WINDOW)
    response = kit.saved_response("hn_week.json", LAST_WEEK, meta=request.meta)
    (item,), _ = kit.parse(spider, response, tgt)
    assert dict(item) == {
        "run_id": "run-2026-11-16",
        "source": "hn_mentions",
        "source_id": "duckdb-hn_mentions",
        "observed_at": OBSERVED_AT,
        "url": LAST_WEEK,
        "technology_id": "duckdb",
        "query": "duckdb",
        "week_start": "2026-11-16",
        "stories": 37,
        "window_start": "2026-11-16T00:00:00+00:00",
        "window_end": "2026-11-23T00:00:00+00:00",
    }
    assert kit.radar_stats(spider) == {}


def test_a_thousand_hits_or_more_is_landed_with_a_warning(kit, spider, tgt):
    request = spider.week_request(tgt, LAST_WEEK_WINDOW)
    response = kit.saved_response("hn_week.json", LAST_WEEK, meta=request.meta)
    response = response.replace(body=response.body.replace(b'"nbHits": 37', b'"nbHits": 1423'))
    (item,), _ = kit.parse(spider, response, tgt)
    assert item["stories"] == 1423
    assert kit.radar_stats(spider) == {"radar/parse_warnings/nbhits_at_hit_cap": 1}


def test_window_read_from_the_url_without_meta(kit, spider, tgt):
    (item,), _ = kit.parse(spider, kit.saved_response("hn_week.json", LAST_WEEK), tgt)
    assert (item["week_start"], item["stories"]) == ("2026-11-16", 37)
    no_window = kit.saved_response("hn_week.json", SEARCH)
    assert kit.parse(spider, no_window, tgt) == ([], [])
    assert kit.radar_stats(spider) == {"radar/parse_errors/no_window": 1}


def test_error_bodies(kit, spider, tgt, caplog):
    meta = spider.week_request(tgt, LAST_WEEK_WINDOW).meta
    bad = kit.saved_response("hn_error.json", LAST_WEEK, 400, meta=meta)
    ok200 = kit.saved_response("hn_error.json", LAST_WEEK, meta=meta)
    html = kit.saved_response("pypistats_404.html", LAST_WEEK, meta=meta)
    truncated = kit.saved_response("truncated.json", LAST_WEEK, meta=meta)
    for response in (bad, ok200, html, truncated):
        assert kit.parse(spider, response, tgt) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/http_errors/400": 1,
        "radar/error_bodies/json": 1,
        "radar/parse_errors/api_error": 1,
        "radar/parse_errors/not_json": 1,
        "radar/parse_errors/invalid_json": 1,
    }
    assert "invalid numericFilters" in caplog.text
