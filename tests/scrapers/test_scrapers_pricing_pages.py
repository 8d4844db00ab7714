"""pricing spider on the benchmark's labelled pages (benchmarks/pages): each way real
pricing and product pages are built, with the plans it must give."""

from __future__ import annotations

import pytest

from scrapers.spiders.pricing import PricingSpider


@pytest.fixture
def plans(kit):
    """plans(page) → [(name, price, currency, billing_period, unit, is_custom, method)]."""

    def crawl(name: str, selectors=None, full: bool = False):
        url = f"https://site.example/{name}"
        spider = kit.make_spider(PricingSpider)
        response = kit.saved_response(name, url)
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


def test_tab_panes_give_both_periods_and_contact_sales_once(plans):
    assert plans("pricing_tab_panes.html") == [
        ("Starter", "12.00", "USD", "month", "per user", False, "heuristics"),
        ("Growth", "29.00", "USD", "month", "per user", False, "heuristics"),
        ("Enterprise", None, None, "unknown", None, True, "heuristics"),
        ("Starter", "120.00", "USD", "year", "per user", False, "heuristics"),
        ("Growth", "290.00", "USD", "year", "per user", False, "heuristics"),
    ]


def test_two_price_spans_per_card_give_both_periods(plans):
    assert plans("pricing_two_spans.html") == [
        ("Basic", "9.00", "EUR", "month", "per editor", False, "heuristics"),
        ("Basic", "90.00", "EUR", "year", "per editor", False, "heuristics"),
        ("Plus", "19.00", "EUR", "month", "per editor", False, "heuristics"),
        ("Plus", "190.00", "EUR", "year", "per editor", False, "heuristics"),
    ]


def test_switch_loading_on_yearly_makes_monthly_equivalents_annual(plans):
    # "€8 per user / month" under a switch that is on "Yearly": 96.00 a year.
    assert plans("pricing_switch_default_yearly.html") == [
        ("Team", "96.00", "EUR", "year", "per user", False, "heuristics"),
        ("Business", "192.00", "EUR", "year", "per user", False, "heuristics"),
    ]


def test_comparison_table_plans_as_columns(plans):
    # Badge "Popular" is not in the name; the period and unit come from the text above.
    assert plans("pricing_comparison_table.html") == [
        ("Free", "0.00", "USD", "month", "per user", False, "table"),
        ("Team", "10.00", "USD", "month", "per user", False, "table"),
        ("Business", "24.00", "USD", "month", "per user", False, "table"),
        ("Enterprise", None, None, "unknown", None, True, "table"),
    ]


def test_comparison_table_plans_as_rows(kit):
    from parsel import Selector

    from scrapers.tables import plans_from_tables

    page = Selector(
        text="<p>Billed yearly</p><table><tr><th>Plan</th><th>Price</th></tr>"
        "<tr><td>Lite <sup>1</sup></td><td>€10 / seat / month</td></tr>"
        "<tr><td>Max</td><td>€20 / month</td></tr></table>"
    )
    assert [
        (p["name"], p["price"], p["currency"], p["billing_period"], p["unit"])
        for p in plans_from_tables(page)
    ] == [("Lite", "120.00", "EUR", "year", "per seat"), ("Max", "240.00", "EUR", "year", None)]


def test_badges_and_footnote_marks_are_not_names_or_prices(plans):
    assert plans("pricing_cards_badges.html") == [
        ("Solo", "19.00", "USD", "month", None, False, "heuristics"),
        ("Studio", "49.00", "USD", "month", None, False, "heuristics"),
        ("Agency", "99.00", "USD", "month", None, False, "heuristics"),
    ]


def test_us_dollars_per_seat_from_price_billed_annually_free_and_lets_talk(plans):
    assert plans("pricing_usd_seats.html") == [
        ("Hobby", "0.00", "USD", "unknown", None, False, "heuristics"),
        ("Team", "15.00", "USD", "month", "per seat", False, "heuristics"),
        # "from US$99 per month, billed annually": 12 x 99 a year.
        ("Scale", "1188.00", "USD", "year", None, False, "heuristics"),
        ("Enterprise", None, None, "unknown", None, True, "heuristics"),
    ]


def test_next_data_plans_with_both_periods_per_seat_and_contact_sales(plans):
    assert plans("pricing_next_data.html") == [
        ("Free", "0.00", "USD", "month", None, False, "hydration"),
        ("Free", "0.00", "USD", "year", None, False, "hydration"),
        ("Pro", "25.00", "USD", "month", "per seat", False, "hydration"),
        ("Pro", "240.00", "USD", "year", "per seat", False, "hydration"),
        ("Enterprise", None, None, "unknown", None, True, "hydration"),
    ]


def test_json_script_payload_with_price_objects(plans):
    assert plans("pricing_json_script.html") == [
        ("Launch", "39.00", "EUR", "month", None, False, "hydration"),
        ("Launch", "390.00", "EUR", "year", None, False, "hydration"),
        ("Orbit", "99.00", "EUR", "month", None, False, "hydration"),
        ("Orbit", "990.00", "EUR", "year", None, False, "hydration"),
    ]


def test_inertia_data_page_attribute(plans):
    assert plans("pricing_inertia_data_page.html") == [
        ("Solo", "12.50", "AUD", "month", None, False, "hydration"),
        ("Solo", "125.00", "AUD", "year", None, False, "hydration"),
        ("Practice", "39.00", "AUD", "month", "per user", False, "hydration"),
        ("Practice", "390.00", "AUD", "year", "per user", False, "hydration"),
    ]


def test_nuxt_devalue_payload(plans):
    # Studio's yearly price is undefined (-1) in the payload: no yearly plan, not 0.
    assert plans("pricing_nuxt_data.html") == [
        ("Indie", "15.00", "GBP", "month", None, False, "hydration"),
        ("Indie", "150.00", "GBP", "year", None, False, "hydration"),
        ("Studio", "45.00", "GBP", "month", None, False, "hydration"),
    ]


def _product(items):
    main = items[0]
    return (
        main["name"],
        main["price"],
        main["currency"],
        main["billing_period"],
        main["sku"],
        main["availability"],
        main["method"],
    )


@pytest.mark.parametrize(
    ("page", "main"),
    [
        (
            "product_jsonld_related.html",
            ("Arc Lamp L2", "149.00", "EUR", "one-time", "ARC-L2-BLK", "InStock", "json-ld"),
        ),
        (
            "product_microdata_variants.html",
            ("Trail Runner 3", "89.99", "GBP", "one-time", "TR3-GRY", "InStock", "microdata"),
        ),
        (
            "product_rdfa.html",
            ("Bean Grinder Pro", "229.00", "USD", "one-time", "BG-PRO-01", "OutOfStock", "rdfa"),
        ),
        (
            "product_opengraph.html",
            ("Wool Throw", "79.50", "EUR", "one-time", "WT-NAT-130", "InStock", "opengraph"),
        ),
        (
            "product_next_data.html",
            ("Pulse Earbuds", "129.00", "USD", "one-time", "PE-200-WHT", "InStock", "hydration"),
        ),
        (
            "product_visible_text.html",
            (
                "Espressomaschine Barista X",
                "1249.00",
                "EUR",
                "one-time",
                "BX-1249",
                "InStock",
                "text",
            ),
        ),
        (
            # mpn stands in for a missing sku; an AggregateOffer's low price is the price.
            "product_aggregate_offer.html",
            ("Field Tent 4P", "399.00", "CAD", "one-time", "FT4P-2026", "InStock", "json-ld"),
        ),
    ],
)
def test_product_pages_main_offer(plans, page, main):
    assert _product(plans(page, full=True)) == main


def test_visible_product_text_ignores_related_products(plans):
    items = plans("product_visible_text.html", full=True)
    assert [i["name"] for i in items] == ["Espressomaschine Barista X"]


def test_hydration_product_lists_related_after_main(plans):
    items = plans("product_next_data.html", full=True)
    assert [(i["name"], i["price"], i["sku"]) for i in items] == [
        ("Pulse Earbuds", "129.00", "PE-200-WHT"),
        ("Charging Case", "29.00", "CC-1"),
    ]


def test_devalue_decoding():
    from scrapers.hydration import decode_devalue

    payload = [["Reactive", 1], {"a": 2, "b": 3, "c": -1}, "x", [4, 4], 7]
    assert decode_devalue(payload) == {"a": "x", "b": [7, 7], "c": None}


# Pages written after the extractors were changed (held out in the benchmark).
def test_struck_out_old_prices_are_not_read(plans):
    # "<del>$8</del> <ins>$6</ins> per month, billed yearly": 6 x 12 a year.
    assert plans("pricing_discount_strikethrough.html") == [
        ("Personal", "0.00", "USD", "unknown", None, False, "heuristics"),
        ("Pro", "72.00", "USD", "year", None, False, "heuristics"),
        ("Teams", "108.00", "USD", "year", "per member", False, "heuristics"),
    ]


def test_react_server_component_payload(plans):
    assert plans("pricing_rsc_payload.html") == [
        ("Basic", "15.00", "USD", "month", None, False, "hydration"),
        ("Basic", "144.00", "USD", "year", None, False, "hydration"),
        ("Premium", "39.00", "USD", "month", None, False, "hydration"),
        ("Premium", "374.00", "USD", "year", None, False, "hydration"),
    ]


def test_french_cards_with_a_badge_beside_the_name(plans):
    assert plans("pricing_dl_list.html") == [
        ("Essentiel", "9.00", "EUR", "month", None, False, "heuristics"),
        ("Pro", "29.00", "EUR", "month", None, False, "heuristics"),
        ("Entreprise", None, None, "unknown", None, True, "heuristics"),
    ]


def test_json_ld_software_offers_with_unit_price_specifications(plans):
    assert plans("pricing_jsonld_saas.html") == [
        ("Starter", "0.00", "USD", "unknown", None, False, "json-ld"),
        ("Team", "20.00", "USD", "month", "per user", False, "json-ld"),
        ("Team", "192.00", "USD", "year", "per user", False, "json-ld"),
    ]


def test_table_with_plans_as_rows_and_a_caption(plans):
    assert plans("pricing_table_rows_gbp.html") == [
        ("Seedling", "4.99", "GBP", "month", None, False, "table"),
        ("Sapling", "9.99", "GBP", "month", None, False, "table"),
        ("Oak", "24.99", "GBP", "month", None, False, "table"),
    ]


def test_product_group_main_offer_is_its_first_variant(plans):
    items = plans("product_jsonld_variants.html", full=True)
    assert [(i["name"], i["price"], i["sku"], i["availability"]) for i in items] == [
        ("Linen Shirt S", "69.00", "LS-01-S", "InStock"),
        ("Linen Shirt M", "69.00", "LS-01-M", "OutOfStock"),
    ]


def test_spanish_cards_with_prices_in_headings_and_contact(plans):
    assert plans("pricing_grid_spans_es.html") == [
        ("Básico", "19.00", "EUR", "month", None, False, "heuristics"),
        ("Profesional", "49.00", "EUR", "month", None, False, "heuristics"),
        ("Cadena", None, None, "unknown", None, True, "heuristics"),
    ]


def test_table_with_monthly_and_yearly_columns(plans):
    assert plans("pricing_monthly_yearly_columns.html") == [
        ("Starter", "10.00", "USD", "month", None, False, "table"),
        ("Starter", "100.00", "USD", "year", None, False, "table"),
        ("Business", "25.00", "USD", "month", None, False, "table"),
        ("Business", "250.00", "USD", "year", None, False, "table"),
    ]


def test_yearly_column_of_monthly_equivalents_and_a_contact_row():
    from parsel import Selector

    from scrapers.tables import plans_from_tables

    page = Selector(
        text="<table><tr><th>Plan</th><th>Monthly</th><th>Annual</th></tr>"
        "<tr><td>Core</td><td>$10/mo</td><td>$8/mo</td></tr>"
        "<tr><td>Scale</td><td>Contact us</td><td>Contact us</td></tr></table>"
    )
    assert [
        (p["name"], p["price"], p["billing_period"], p["is_custom"])
        for p in plans_from_tables(page)
    ] == [
        ("Core", "10.00", "month", False),
        ("Core", "96.00", "year", False),
        ("Scale", None, "unknown", True),
    ]


def test_currency_in_sup_and_unit_in_sub(plans):
    assert plans("pricing_sup_currency.html") == [
        ("Standard", "15.00", "USD", "month", "per user", False, "heuristics"),
        ("Advanced", "30.00", "USD", "month", "per user", False, "heuristics"),
    ]


def test_seo_aggregate_offer_of_a_software_is_not_a_plan(plans):
    # JSON-LD says "from $0 to $59" for the application; the cards hold the plans.
    assert plans("pricing_seo_aggregate_jsonld.html") == [
        ("Free", "0.00", "USD", "month", "per user", False, "heuristics"),
        ("Team", "29.00", "USD", "month", "per user", False, "heuristics"),
        ("Business", "59.00", "USD", "month", "per user", False, "heuristics"),
    ]


def test_a_quota_per_month_is_not_the_free_tiers_period(plans):
    assert plans("pricing_usage_based.html") == [
        ("Hobby", "0.00", "USD", "unknown", None, False, "heuristics"),
        ("Growth", "99.00", "USD", "month", None, False, "heuristics"),
        ("Enterprise", None, None, "unknown", None, True, "heuristics"),
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Up to 1M events / month", "Up to"),
        ("10,000 requests per month", ""),
        ("EUR 29 per user / month", "EUR 29 per user / month"),
        ("from US$99 per month, billed annually", "from US$99 per month, billed annually"),
    ],
)
def test_without_quotas(text, kept):
    from scrapers.cards import without_quotas

    assert without_quotas(text).strip() == kept
