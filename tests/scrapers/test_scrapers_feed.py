"""feed spider on saved RSS/Atom feeds: dates to UTC, versions, bad dates, wrong encoding."""

from __future__ import annotations

import pytest

from scrapers.items import ReleaseItem
from scrapers.spiders.feed import FeedSpider


@pytest.fixture
def crawl(kit):
    def run(name: str, url: str, status: int = 200, content_type: str | None = None):
        spider = kit.make_spider(FeedSpider)
        response = kit.saved_response(name, url, status, content_type=content_type)
        items, requests = kit.parse(spider, response, kit.target(url, spider="feed"))
        assert requests == []
        return spider, items

    return run


def test_atom_feed(kit, crawl):
    url = "https://northwind.example/releases.atom"
    spider, items = crawl("feed_atom.xml", url)
    assert len(items) == 3
    assert all(isinstance(i, ReleaseItem) for i in items)
    first = items[0]
    assert dict(first) == {
        "run_id": "run-2026-11-16",
        "source": "feed",
        "source_id": "northwind-feed",
        "observed_at": kit.OBSERVED_AT,
        "url": url,
        "competitor_id": "northwind",
        "release_id": "tag:northwind.example,2026:release-2.4.0",
        "title": "Northwind v2.4.0",
        "version": "2.4.0",
        "tag": None,
        "published_at": "2026-11-16T09:00:00+00:00",  # published wins over updated
        "summary": "Parquet export and faster dashboards.",
        "link": "https://northwind.example/releases/2-4-0",  # resolved against the feed URL
        "prerelease": None,
    }
    rc = items[1]
    assert rc["version"] == "2.4.0-rc.1"
    assert rc["published_at"] == "2026-11-09T08:30:00+00:00"  # only <updated>
    assert rc["summary"] == "Try the release candidate."  # from <content>
    assert items[2]["version"] is None
    assert kit.radar_stats(spider) == {}


def test_rss_with_bad_and_missing_dates(kit, crawl):
    url = "https://cobalt.example/changelog.rss"
    spider, items = crawl("feed_rss_bad_dates.xml", url)
    by_id = {i["release_id"]: i for i in items}
    assert sorted(by_id) == ["cobalt-3.0", "cobalt-3.1"]
    assert by_id["cobalt-3.1"]["published_at"] == "2026-11-16T09:00:00+00:00"
    assert by_id["cobalt-3.1"]["version"] == "3.1"
    # "November 9, 2026 14:30 UTC" is no RFC 822 date: dateparser reads it.
    assert by_id["cobalt-3.0"]["published_at"] == "2026-11-09T14:30:00+00:00"
    assert kit.radar_stats(spider) == {
        "radar/skipped_rows": 2,
        "radar/skipped_rows/bad_date": 2,
    }


def test_wrong_declared_encoding_still_parses_and_is_recorded(kit, crawl):
    url = "https://cafe.example/feed"
    spider, items = crawl(
        "feed_latin1_declared_utf8.xml", url, content_type="application/rss+xml; charset=utf-8"
    )
    (item,) = items
    assert item["title"] == "Café 2.0 released - crème"
    assert item["summary"] == "Naïve café support."
    assert item["version"] == "2.0"
    assert item["published_at"] == "2026-11-16T09:00:00+00:00"
    assert kit.radar_stats(spider) == {"radar/parse_warnings/wrong_encoding": 1}


def test_html_page_instead_of_a_feed(kit, crawl):
    spider, items = crawl("truncated.html", "https://cobalt.example/changelog.rss")
    assert items == []
    stats = kit.radar_stats(spider)
    assert stats["radar/parse_errors/not_a_feed"] == 1


def test_http_error_page(kit, crawl):
    spider, items = crawl("pypistats_404.html", "https://cobalt.example/changelog.rss", 404)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/html": 1}


def test_long_summary_is_cut_to_2000_chars(kit, tmp_path):
    from scrapy.http import XmlResponse

    long = " ".join(["word"] * 1000)
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
        f"<title>v1.0.0</title><link>https://x.example/1</link><description>{long}"
        "</description><pubDate>Mon, 16 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>"
    ).encode()
    spider = kit.make_spider(FeedSpider)
    url = "https://x.example/feed"
    items, _ = kit.parse(spider, XmlResponse(url=url, body=body), kit.target(url, spider="feed"))
    (item,) = items
    assert len(item["summary"]) <= 2000
    assert item["summary"].endswith("…")
    assert item["release_id"] == "https://x.example/1"  # no guid: the link
