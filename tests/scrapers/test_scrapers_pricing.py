"""pricing spider on saved pages: structured data, catalog selectors, heuristics, bad input."""

from __future__ import annotations

import pytest

from scrapers.items import PlanItem
from scrapers.spiders.pricing import PricingSpider


@pytest.fixture
def crawl_page(kit):
    """crawl_page(saved file) → (spider, items) from the pricing spider's callback."""

    def crawl(name: str, selectors=None, url: str | None = None):
        url = url or f"https://site.example/{name}"
        spider = kit.make_spider(PricingSpider)
        response = kit.saved_response(name, url)
        items = list(spider.parse_target(response, kit.target(url, selectors=selectors)))
        return spider, items

    return crawl


@pytest.fixture
def stats(kit):
    return kit.stats


def by_name(items):
    return {(i["name"], i["billing_period"]): i for i in items}


def test_json_ld_shop_product_main_offer_first(stats, crawl_page):
    spider, items = crawl_page("shop_product_jsonld.html")
    assert all(isinstance(i, PlanItem) for i in items)
    main = items[0]
    assert main["name"] == "Oakline Standing Desk 180"
    assert main["price"] == "1299.00"
    assert main["currency"] == "EUR"
    assert main["availability"] == "InStock"
    assert main["sku"] == "FJ-OAK-180"
    assert main["billing_period"] == "one-time"
    assert main["method"] == "json-ld"
    assert main["is_custom"] is False
    # Related products come after the main one, with their own stock states.
    assert [(i["name"], i["price"], i["availability"]) for i in items[1:]] == [
        ("Cable Tray Duo", "39.90", "OutOfStock"),
        ("Anti-fatigue Mat", "59.00", "PreOrder"),
    ]
    assert "radar/parse_errors/no_plans_found" not in stats(spider)


def test_items_carry_common_fields_and_subject(kit, crawl_page):
    _, items = crawl_page("shop_product_jsonld.html", url="https://fjord-office.example/desk")
    item = items[0]
    assert item["run_id"] == "run-2026-11-16"
    assert item["source"] == "pricing"
    assert item["source_id"] == "northwind-pricing"
    assert item["observed_at"] == kit.OBSERVED_AT
    assert item["url"] == "https://fjord-office.example/desk"
    assert item["competitor_id"] == "northwind"


def test_json_ld_saas_offers_with_unit_price_specifications(crawl_page):
    _, items = crawl_page("saas_jsonld_offers.html")
    plans = by_name(items)
    assert len(items) == 4
    assert plans[("Starter", "unknown")]["price"] == "0.00"
    team_month = plans[("Team", "month")]
    assert (team_month["price"], team_month["currency"], team_month["unit"]) == (
        "12.00",
        "USD",
        "per user",
    )
    assert plans[("Team", "year")]["price"] == "120.00"
    enterprise = plans[("Enterprise", "unknown")]
    assert enterprise["is_custom"] is True
    assert enterprise["price"] is None
    assert team_month["features"] == ["Dashboards", "Scheduled reports", "SSO"]


def test_json_ld_item_list_of_products(crawl_page):
    _, items = crawl_page("itemlist_products.html")
    assert [(i["name"], i["price"], i["currency"], i["sku"]) for i in items] == [
        ("Sonora Q7 Wireless", "249.00", "GBP", "SQ7-BLK"),
        ("Sonora Q5", "129.50", "GBP", "SQ5-WHT"),
        ("Sonora Buds", "79.00", "GBP", "SBUDS"),
    ]
    assert items[2]["availability"] == "SoldOut"


def test_microdata_product(crawl_page):
    _, items = crawl_page("microdata_product.html")
    assert len(items) == 1
    item = items[0]
    assert item["method"] == "microdata"
    assert (item["name"], item["price"], item["currency"]) == ("Trail Runner GTX", "89.90", "GBP")
    assert item["availability"] == "OutOfStock"
    assert item["sku"] == "PO-TR-GTX-42"


def test_opengraph_product_price(crawl_page):
    _, items = crawl_page("opengraph_product.html")
    assert len(items) == 1
    item = items[0]
    assert item["method"] == "opengraph"
    assert item["name"] == "Kaffeemühle Handmahl Pro"
    assert (item["price"], item["currency"], item["availability"]) == ("24.50", "EUR", "InStock")
    assert item["sku"] == "RW-HM-PRO"
    assert item["billing_period"] == "one-time"


def test_saas_plan_cards_with_catalog_selectors(kit, stats, crawl_page):
    spider, items = crawl_page("saas_cards_selectors.html", selectors=kit.NORTHWIND_SELECTORS)
    assert {i["method"] for i in items} == {"selectors"}
    plans = by_name(items)
    assert sorted(plans) == [
        ("Business", "month"),
        ("Business", "year"),
        ("Enterprise", "unknown"),
        ("Free", "unknown"),
        ("Team", "month"),
    ]
    free = plans[("Free", "unknown")]
    assert free["price"] == "0.00"
    assert free["currency"] == "EUR"  # the currency every priced plan on the page shares
    assert free["features"] == ["Up to 3 projects", "Unlimited tasks", "Mobile apps"]
    team = plans[("Team", "month")]
    assert (team["price"], team["currency"], team["unit"]) == ("39.00", "EUR", "per seat")
    assert team["price_text"] == "€39 per seat / month"
    assert plans[("Business", "month")]["price"] == "79.00"
    assert plans[("Business", "year")]["price"] == "790.00"
    assert plans[("Business", "year")]["unit"] == "per seat"
    enterprise = plans[("Enterprise", "unknown")]
    assert (enterprise["is_custom"], enterprise["price"], enterprise["currency"]) == (
        True,
        None,
        None,
    )
    assert not any(k.startswith("radar/parse_errors") for k in stats(spider))


def test_catalog_selectors_accept_the_csv_string_form(crawl_page):
    selectors = "plan=.plan-card; name=h3; price=.price; period=.period; features=li; cta=.cta"
    _, items = crawl_page("saas_cards_selectors.html", selectors=selectors)
    assert len(items) == 5


def test_selectors_that_match_nothing_fall_back_to_heuristics(stats, crawl_page):
    spider, items = crawl_page(
        "saas_cards_selectors.html", selectors={"plan": ".pricing-tile", "price": ".amount"}
    )
    assert stats(spider)["radar/parse_warnings/selectors_matched_nothing"] == 1
    assert {i["method"] for i in items} == {"heuristics"}
    assert by_name(items)[("Team", "month")]["price"] == "39.00"


def test_heuristics_on_plain_plan_cards(crawl_page):
    _, items = crawl_page("saas_cards_plain.html")
    assert [(i["name"], i["price"], i["billing_period"], i["unit"]) for i in items] == [
        ("Starter", "19.00", "month", None),
        ("Growth", "49.00", "month", "per user"),
        ("Scale", None, "unknown", None),
    ]
    assert items[1]["price_text"] == "$49 /user/month"
    assert items[1]["currency"] == "USD"
    assert items[2]["is_custom"] is True
    assert items[1]["features"] == [
        "5 concurrent builds",
        "Unlimited build minutes",
        "Build insights",
    ]
    assert {i["method"] for i in items} == {"heuristics"}


def test_page_without_price_gives_no_items_and_a_stat(stats, crawl_page, caplog):
    spider, items = crawl_page("no_price.html", url="https://northwind.example/about")
    assert items == []
    assert stats(spider)["radar/parse_errors/no_plans_found"] == 1
    assert "https://northwind.example/about" in caplog.text


def test_broken_json_ld_is_recorded_and_other_methods_take_over(stats, crawl_page):
    spider, items = crawl_page("broken_jsonld.html")
    assert stats(spider)["radar/parse_warnings/broken_json_ld"] == 1
    assert [(i["name"], i["price"], i["unit"], i["method"]) for i in items] == [
        ("Solo", "15.00", None, "heuristics"),
        ("Team", "12.00", "per user", "heuristics"),
    ]


def test_truncated_html_keeps_the_complete_cards(kit, stats, crawl_page):
    spider, items = crawl_page("truncated.html", selectors=kit.NORTHWIND_SELECTORS)
    assert [(i["name"], i["price"], i["currency"], i["billing_period"]) for i in items] == [
        ("Basic", "8.00", "GBP", "month"),
        ("Plus", "14.00", "GBP", "month"),
    ]
    assert items[0]["price_text"] == "£8 /user/mo"
    assert stats(spider)["radar/parse_warnings/cards_without_price"] == 1


def test_a_crash_in_parsing_is_recorded_not_raised(stats, crawl_page, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("scrapers.spiders.pricing.plans_from_json_ld", explode)
    spider, items = crawl_page("shop_product_jsonld.html")
    assert items == []
    assert stats(spider)["radar/parse_errors/exception"] == 1


def test_empty_body_gives_no_items(kit, stats):
    from scrapy.http import HtmlResponse

    spider = kit.make_spider(PricingSpider)
    url = "https://site.example/empty"
    items = list(spider.parse_target(HtmlResponse(url=url, body=b""), kit.target(url)))
    assert items == []
    assert stats(spider)["radar/parse_errors/no_plans_found"] == 1


@pytest.mark.parametrize(
    ("name", "expected_method"),
    [
        ("shop_product_jsonld.html", "json-ld"),
        ("microdata_product.html", "microdata"),
        ("opengraph_product.html", "opengraph"),
        ("saas_cards_plain.html", "heuristics"),
    ],
)
def test_prices_are_two_decimal_strings_or_null(crawl_page, name, expected_method):
    _, items = crawl_page(name)
    assert items
    assert items[0]["method"] == expected_method
    for item in items:
        assert item["price"] is None or (
            isinstance(item["price"], str) and item["price"].split(".")[1].__len__() == 2
        )


def test_one_price_element_per_billing_period(crawl_page):
    selectors = (
        "plan=.plan-card; name=.plan-name; price=.price; period=.period; unit=.unit;"
        " features=.features li"
    )
    _, items = crawl_page("saas_two_price_elements.html", selectors=selectors)
    assert [
        (i["name"], i["billing_period"], i["price"], i["currency"], i["unit"]) for i in items
    ] == [
        ("Basic", "month", "0.00", "USD", None),
        ("Plus", "month", "25.00", "USD", "per editor"),
        ("Plus", "year", "240.00", "USD", "per editor"),  # $20/mo billed annually
        ("Plus for Teams", "month", "45.00", "EUR", None),
        ("Plus for Teams", "year", "450.00", "EUR", None),
    ]
    # Each price keeps its own wording, not the whole card's.
    assert items[2]["price_text"] == "$20 per editor / month, billed annually"
    assert items[1]["price_text"] == "$25 per editor / month"
    assert items[1]["features"] == ["Unlimited responses", "File uploads"]


def test_heuristics_keep_plans_named_free_or_custom(crawl_page):
    # "Free" and "Custom" headings name their cards; they are not prices themselves.
    _, items = crawl_page("saas_cards_free_heading.html")
    assert [(i["name"], i["price"], i["billing_period"], i["is_custom"]) for i in items] == [
        ("Free", "0.00", "month", False),
        # $20 per user and month, billed annually: 240.00 a year.
        ("Pro", "240.00", "year", False),
        ("Custom", None, "unknown", True),
    ]
    assert items[1]["unit"] == "per user"


def test_shop_page_main_product_is_the_one_at_the_canonical_url(stats, crawl_page):
    # JSON-LD lists a related product first; the page's canonical URL names the main one.
    spider, items = crawl_page(
        "shop_product_related_first.html",
        url="https://fjord-office.example/products/fjord-lamp?utm_source=feed",
    )
    assert [(i["name"], i["price"], i["currency"], i["sku"]) for i in items] == [
        ("Fjord Lamp", "89.00", "EUR", "FJ-LAMP-2"),
        ("Desk Organiser", "24.50", "EUR", "FJ-ORG-1"),
        ("LED Bulb 4-pack", "12.00", "EUR", "FJ-BULB-4"),  # isRelatedTo: after the main one
    ]
    assert items[0]["availability"] == "LimitedAvailability"
    assert {i["billing_period"] for i in items} == {"one-time"}
    assert not any(k.startswith("radar/parse_errors") for k in stats(spider))


def test_shop_page_canonical_wins_over_the_page_url(crawl_page):
    _, items = crawl_page(
        "shop_product_related_first.html",
        url="https://fjord-office.example/products/desk-organiser",
    )
    assert [i["name"] for i in items] == ["Fjord Lamp", "Desk Organiser", "LED Bulb 4-pack"]


def test_shop_page_main_product_by_page_url_without_canonical(kit):
    from scrapy.http import HtmlResponse

    body = (kit.RESPONSES / "shop_product_related_first.html").read_bytes()
    body = body.replace(b'<link rel="canonical"', b'<link rel="alternate"')
    url = "https://fjord-office.example/products/desk-organiser/"
    spider = kit.make_spider(PricingSpider)
    items = list(spider.parse_target(HtmlResponse(url=url, body=body), kit.target(url)))
    assert [i["name"] for i in items] == ["Desk Organiser", "Fjord Lamp", "LED Bulb 4-pack"]
    url = "https://fjord-office.example/products/unrelated"
    items = list(spider.parse_target(HtmlResponse(url=url, body=body), kit.target(url)))
    # No product at this URL: the first top-level product stands as the main one.
    assert items[0]["name"] == "Desk Organiser"


def test_saas_toggle_prices_without_selectors(crawl_page):
    _, items = crawl_page("saas_toggle_heuristics.html")
    plans = by_name(items)
    assert sorted(plans) == [
        ("Enterprise", "unknown"),
        ("Pro", "month"),
        ("Pro", "year"),
        ("Starter", "month"),
        ("Starter", "year"),
    ]
    assert {i["method"] for i in items} == {"heuristics"}
    pro_month, pro_year = plans[("Pro", "month")], plans[("Pro", "year")]
    assert (pro_month["price"], pro_month["currency"], pro_month["unit"]) == (
        "12.00",
        "GBP",
        "per user",
    )
    assert (pro_year["price"], pro_year["currency"]) == ("120.00", "GBP")
    assert plans[("Starter", "month")]["price"] == "0.00"  # a free tier is 0, not null
    enterprise = plans[("Enterprise", "unknown")]
    assert (enterprise["is_custom"], enterprise["price"]) == (True, None)
