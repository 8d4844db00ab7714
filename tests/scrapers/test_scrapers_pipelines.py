"""Item pipelines: invalid items are dropped, counted and logged with their URL."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from scrapers.items import DownloadsItem, PlanItem
from scrapers.pipelines import (
    CompleteFieldsPipeline,
    EntityFieldsPipeline,
    RequiredFieldsPipeline,
)

COMMON = {
    "run_id": "r1",
    "source": "pricing",
    "source_id": "northwind-pricing",
    "observed_at": "2026-11-16T06:00:00+00:00",
    "url": "https://northwind.example/pricing",
}


def plan(**overrides):
    fields = {
        **COMMON,
        "competitor_id": "northwind",
        "name": "Team",
        "price": "39.00",
        "currency": "EUR",
        "billing_period": "month",
        "unit": "per seat",
        "is_custom": False,
        "method": "selectors",
        "features": ["SSO"],
    }
    fields.update(overrides)
    return PlanItem(**{k: v for k, v in fields.items() if v is not ...})


@pytest.fixture
def crawler():
    return get_crawler(scrapy.Spider, {})


def test_valid_item_passes(crawler):
    item = plan()
    assert RequiredFieldsPipeline(crawler).process_item(item) is item
    assert EntityFieldsPipeline(crawler).process_item(item) is item


def test_missing_run_id_is_dropped_counted_and_logged(crawler, caplog):
    with pytest.raises(DropItem, match="missing_run_id"):
        RequiredFieldsPipeline(crawler).process_item(plan(run_id=...))
    assert crawler.stats.get_value("radar/invalid_items") == 1
    assert crawler.stats.get_value("radar/invalid_items/missing_run_id") == 1
    assert "https://northwind.example/pricing" in caplog.text


def test_naive_observed_at_is_rejected(crawler):
    with pytest.raises(DropItem):
        RequiredFieldsPipeline(crawler).process_item(plan(observed_at="2026-11-16T06:00:00"))
    assert crawler.stats.get_value("radar/invalid_items/bad_observed_at") == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"price": "49"}, "bad_price"),
        ({"price": 49.0}, "bad_price"),
        ({"price": None, "is_custom": False}, "missing_price"),
        ({"currency": "€"}, "bad_currency"),
        ({"billing_period": "monthly"}, "bad_billing_period"),
        ({"method": "guess"}, "bad_method"),
    ],
)
def test_bad_plan_values_are_dropped(crawler, overrides, reason):
    with pytest.raises(DropItem):
        EntityFieldsPipeline(crawler).process_item(plan(**overrides))
    assert crawler.stats.get_value(f"radar/invalid_items/{reason}") == 1


def test_custom_plan_without_price_is_valid(crawler):
    item = plan(price=None, currency=None, is_custom=True, billing_period="unknown")
    assert EntityFieldsPipeline(crawler).process_item(item) is item


def test_bad_downloads_are_dropped(crawler):
    item = DownloadsItem(
        **COMMON,
        technology_id="duckdb",
        package="duckdb",
        date="2026-11-01",
        downloads=-1,
        category="without_mirrors",
    )
    with pytest.raises(DropItem):
        EntityFieldsPipeline(crawler).process_item(item)
    assert crawler.stats.get_value("radar/invalid_items/bad_downloads") == 1


def test_complete_fields_fills_unknowns_with_none():
    item = CompleteFieldsPipeline().process_item(plan(unit=..., features=..., is_custom=...))
    assert item["unit"] is None
    assert item["features"] == []
    assert item["is_custom"] is False
    assert item["availability"] is None
    assert item["sku"] is None
