"""extract(): the spiders' own parsing on saved files, as `radar extract` uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.extract import extract

RESPONSES = Path(__file__).parent / "responses"

CLI_FIELDS = {"name", "price", "currency", "billing_period", "availability", "sku", "method"}


def test_extract_pricing_from_a_saved_product_page():
    path = RESPONSES / "shop_product_jsonld.html"
    items = extract("pricing", path)
    assert len(items) == 3
    first = items[0]
    assert set(first) >= CLI_FIELDS
    assert (first["name"], first["price"], first["currency"], first["sku"]) == (
        "Oakline Standing Desk 180",
        "1299.00",
        "EUR",
        "FJ-OAK-180",
    )
    assert first["input"] == str(path)
    assert first["url"] == path.resolve().as_uri()
    assert first["competitor_id"] == "unknown"
    assert first["run_id"] == "extract"
    assert isinstance(first, dict)


def test_extract_with_url_and_selectors(kit):
    items = extract(
        "pricing",
        RESPONSES / "saas_cards_selectors.html",
        url="https://northwind.example/pricing",
        selectors=kit.NORTHWIND_SELECTORS,
        subject_id="northwind",
    )
    assert len(items) == 5
    assert {i["url"] for i in items} == {"https://northwind.example/pricing"}
    assert {i["competitor_id"] for i in items} == {"northwind"}


def test_extract_pypistats_json():
    items = extract(
        "pypistats",
        RESPONSES / "pypistats_duckdb_overall.json",
        url="https://pypistats.org/api/packages/duckdb/overall?mirrors=false",
    )
    assert len(items) == 7
    assert (items[2]["date"], items[2]["downloads"], items[2]["package"]) == (
        "2026-11-03",
        301877,
        "duckdb",
    )


def test_extract_bad_input_gives_no_items():
    assert extract("pypistats", RESPONSES / "pypistats_invalid.json") == []
    assert extract("pricing", RESPONSES / "no_price.html") == []


def test_extract_unknown_spider():
    with pytest.raises(KeyError, match="pricng"):
        extract("pricng", RESPONSES / "no_price.html")
