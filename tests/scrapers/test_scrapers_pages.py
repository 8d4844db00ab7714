"""pages spider on saved pages: main text, normalisation, fingerprints, broken pages."""

from __future__ import annotations

import hashlib

import pytest

from scrapers.items import PageItem
from scrapers.spiders.pages import PagesSpider

URL = "https://northwind.example/about"


@pytest.fixture
def crawl(kit):
    def run(name: str, status: int = 200):
        spider = kit.make_spider(PagesSpider)
        response = kit.saved_response(name, URL, status)
        items, _ = kit.parse(spider, response, kit.target(URL, spider="pages"))
        return spider, items

    return run


def test_main_text_normalised_and_fingerprinted(kit, crawl):
    spider, items = crawl("page_about_v1.html")
    (item,) = items
    assert isinstance(item, PageItem)
    assert item["title"] == "About Northwind"
    assert item["competitor_id"] == "northwind"
    text = item["text"]
    assert text.startswith("About Northwind\nLast updated: <date>\nNorthwind builds retail")
    assert "Trusted by <n> teams in 41 countries. Status checked at <time> on <date>." in text
    assert "Request id <uuid>, build <hex>. © <year> Northwind." in text
    assert "Home" not in text.split("\n")  # navigation is boilerplate
    assert item["fingerprint"] == hashlib.sha256(text.encode()).hexdigest()
    assert item["chars"] == len(text) == 466
    assert kit.radar_stats(spider) == {}


def test_date_only_change_gives_the_same_fingerprint(crawl):
    _, (week1,) = crawl("page_about_v1.html")
    _, (week2,) = crawl("page_about_v2_date_only.html")
    assert week1["text"] == week2["text"]
    assert week1["fingerprint"] == week2["fingerprint"]


def test_reworded_page_gives_a_different_fingerprint(crawl):
    _, (week2,) = crawl("page_about_v2_date_only.html")
    _, (week3,) = crawl("page_about_v3_reworded.html")
    assert week2["fingerprint"] != week3["fingerprint"]
    assert "store managers love." in week3["text"]
    assert week3["chars"] == 458


def test_truncated_html_still_gives_text(crawl):
    _, items = crawl("truncated.html")
    (item,) = items
    assert item["chars"] > 0
    assert item["fingerprint"] == hashlib.sha256(item["text"].encode()).hexdigest()


def test_empty_page_is_a_parse_error(kit):
    from scrapy.http import HtmlResponse

    spider = kit.make_spider(PagesSpider)
    response = HtmlResponse(
        url=URL, body=b"<html><head><title>x</title></head><body></body></html>"
    )
    items, _ = kit.parse(spider, response, kit.target(URL, spider="pages"))
    assert items == []
    assert kit.radar_stats(spider) == {"radar/parse_errors/no_main_text": 1}


def test_http_error_page_is_not_fingerprinted(kit, crawl):
    spider, items = crawl("pypistats_404.html", status=404)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/html": 1}
