"""hn_mentions spider: the exact week windows for a fixed observed_at, nbHits per week."""

from __future__ import annotations

import pytest

from scrapers.spiders.hn_mentions import HnMentionsSpider

OBSERVED_AT = "2026-11-23T06:00:00+00:00"
SEARCH = "https://hn.algolia.com/api/v1/search_by_date?query=duckdb&tags=story"
# 2026-11-16T00:00Z .. 2026-11-23T00:00Z, the last complete week before observed_at's.
LAST_WEEK = (
    f"{SEARCH}&numericFilters=created_at_i%3E%3D1794787200%2Ccreated_at_i%3C1795392000"
    "&hitsPerPage=0"
)


@pytest.fixture
def tgt(kit):
    tgt = kit.target(SEARCH, spider="hn_mentions", subject_id="duckdb")
    return {**tgt, "subject_type": "technology"}


@pytest.fixture
def spider(kit, tgt):
    return kit.make_spider(HnMentionsSpider, observed_at=OBSERVED_AT, targets=[tgt])


def test_sixteen_complete_weeks_oldest_first(spider):
    requests = list(spider.target_requests())
    assert len(requests) == 16
    assert requests[-1].url == LAST_WEEK
    assert requests[-1].meta["radar_week"] == (1794787200, 1795392000)
    # 2026-08-03 (Monday) .. 2026-08-10: sixteen weeks back.
    assert requests[0].url == (
        f"{SEARCH}&numericFilters=created_at_i%3E%3D1785715200%2Ccreated_at_i%3C1786320000"
        "&hitsPerPage=0"
    )


def test_weeks_setting_and_a_catalog_url_with_its_own_paging(kit, tgt):
    tgt = {**tgt, "url": SEARCH + "&hitsPerPage=50&page=2"}
    spider = kit.make_spider(
        HnMentionsSpider, {"RADAR_HN_WEEKS": 2}, observed_at="2026-11-25T23:00:00Z", targets=[tgt]
    )
    urls = [r.url for r in spider.target_requests()]
    assert len(urls) == 2
    assert urls[-1] == LAST_WEEK  # a Wednesday in the same week asks the same windows


def test_nbhits_of_a_week(kit, spider, tgt):
    request = list(spider.target_requests())[-1]
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
    request = list(spider.target_requests())[-1]
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
    meta = list(spider.target_requests())[-1].meta
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
