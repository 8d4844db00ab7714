"""pricing spider on the benchmark's labelled pages (benchmarks/pages): each way real
pricing and product pages are built, with the plans it must give."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from scrapers.spiders.pricing import PricingSpider

PAGES = Path(__file__).parents[2] / "benchmarks" / "pages"


@pytest.fixture
def plans(kit):
    """plans(page) → [(name, price, currency, billing_period, unit, is_custom, method)]."""

    def crawl(name: str, selectors=None, full: bool = False):
        url = f"https://site.example/{name}"
        spider = kit.make_spider(PricingSpider)
        response = HtmlResponse(
            url=url,
            body=(PAGES / name).read_bytes(),
            headers={"Content-Type": "text/html"},
            request=Request(url),
        )
        items = list(spider.parse_target(response, kit.target(url, selectors=selectors)))
        if full:
            return items
        return [
            (
                i["name"],
                i["price"],
                i["currency"],
                i["billing_period"],
                i["unit"],
                i["is_custom"],
                i["method"],
            )
            for i in items
        ]

    return crawl


def test_german_prices_periods_and_price_on_request(plans):
    assert plans("pricing_locale_de.html") == [
        ("Basis", "19.99", "EUR", "month", None, False, "heuristics"),
        ("Profi", "1249.00", "EUR", "year", None, False, "heuristics"),
        ("Konzern", None, None, "unknown", None, True, "heuristics"),
    ]


def test_swiss_francs_with_apostrophes_and_dash(plans):
    assert plans("pricing_locale_chf.html") == [
        ("Small", "129.00", "CHF", "month", None, False, "heuristics"),
        ("Large", "1249.00", "CHF", "year", None, False, "heuristics"),
    ]


def test_yen_with_japanese_periods_and_contact(plans):
    assert plans("pricing_locale_jpy.html") == [
        ("ライト", "1200.00", "JPY", "month", None, False, "heuristics"),
        ("スタンダード", "12000.00", "JPY", "year", None, False, "heuristics"),
        ("エンタープライズ", None, None, "unknown", None, True, "heuristics"),
    ]


def test_brazilian_reais_and_gratis_tier(plans):
    assert plans("pricing_locale_brl.html") == [
        ("Inicial", "0.00", "BRL", "unknown", None, False, "heuristics"),
        ("Pro", "49.90", "BRL", "month", None, False, "heuristics"),
        ("Max", "499.00", "BRL", "year", None, False, "heuristics"),
    ]
