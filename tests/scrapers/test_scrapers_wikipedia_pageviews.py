"""wikipedia_pageviews spider: the date range appended to the catalog URL, daily views,
the API's 404 for an article without data."""

from __future__ import annotations

import pytest

from scrapers.spiders.wikipedia_pageviews import WikipediaPageviewsSpider

OBSERVED_AT = "2026-11-23T06:00:00+00:00"
ARTICLE = (
    "https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
    "all-access/user/DuckDB/daily"
)
RANGE = f"{ARTICLE}/2026072600/2026112200"


@pytest.fixture
def tgt(kit):
    tgt = kit.target(ARTICLE, spider="wikipedia_pageviews", subject_id="duckdb")
    return {**tgt, "subject_type": "technology"}


@pytest.fixture
def spider(kit, tgt):
    return kit.make_spider(WikipediaPageviewsSpider, observed_at=OBSERVED_AT, targets=[tgt])


def test_requests_the_last_signal_days_before_observed_at(kit, spider, tgt):
    (request,) = list(spider.target_requests())
    assert request.url == RANGE
    short = kit.make_spider(
        WikipediaPageviewsSpider,
        {"RADAR_SIGNAL_DAYS": 7},
        observed_at=OBSERVED_AT,
        targets=[{**tgt, "url": RANGE}],  # dates already there are replaced
    )
    (request,) = list(short.target_requests())
    assert request.url == f"{ARTICLE}/2026111600/2026112200"
    encoded = {**tgt, "url": ARTICLE.replace("DuckDB", "C%2B%2B") + "/"}
    spider.targets = [encoded]
    (request,) = list(spider.target_requests())
    assert request.url.endswith("/user/C%2B%2B/daily/2026072600/2026112200")


def test_daily_views(kit, spider, tgt):
    items, _ = kit.parse(spider, kit.saved_response("wikipedia_pageviews.json", RANGE), tgt)
    assert len(items) == 1  # one item an answer, its days as points
    rows = kit.days(items)
    assert [(i["date"], i["views"]) for i in rows] == [
        ("2026-11-19", 1187),
        ("2026-11-20", 1342),
        ("2026-11-21", 1020),
        ("2026-11-22", 998),
    ]
    assert rows[1] == {
        "run_id": "run-2026-11-16",
        "source": "wikipedia_pageviews",
        "source_id": "duckdb-wikipedia_pageviews",
        "observed_at": OBSERVED_AT,
        "url": RANGE,
        "technology_id": "duckdb",
        "article": "DuckDB",
        "date": "2026-11-20",
        "views": 1342,
    }


def test_not_found_answer_yields_nothing_and_is_recorded(kit, spider, tgt, caplog):
    url = RANGE.replace("DuckDB", "Nosuch_Article")
    response = kit.saved_response("wikipedia_not_found.json", url, 404)
    assert kit.parse(spider, response, tgt) == ([], [])
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/json": 1}
    assert "we either do not have data for those date(s)" in caplog.text


def test_html_error_page_truncated_json_and_bad_rows(kit, spider, tgt):
    html = kit.saved_response("pypistats_404.html", RANGE)
    truncated = kit.saved_response("truncated.json", RANGE)
    same_as_404 = kit.saved_response("wikipedia_not_found.json", RANGE)
    for response in (html, truncated, same_as_404):
        assert kit.parse(spider, response, tgt) == ([], [])
    good = kit.saved_response("wikipedia_pageviews.json", RANGE)
    body = good.body.replace(b'"2026111900"', b'"2026023000"').replace(b"1342", b"-1")
    items, _ = kit.parse(spider, good.replace(body=body), tgt)
    assert [i["date"] for i in kit.days(items)] == ["2026-11-21", "2026-11-22"]
    assert kit.radar_stats(spider) == {
        "radar/parse_errors/not_json": 1,
        "radar/parse_errors/invalid_json": 1,
        "radar/parse_errors/api_error": 1,
        "radar/skipped_rows": 2,
        "radar/skipped_rows/bad_date": 1,
        "radar/skipped_rows/bad_views": 1,
    }
