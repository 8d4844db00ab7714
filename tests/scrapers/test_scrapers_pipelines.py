"""Item pipelines: invalid items are dropped, counted and logged with their URL."""

from __future__ import annotations

import hashlib

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from scrapers.items import DownloadsItem, JobItem, PageItem, PlanItem, ReleaseItem
from scrapers.pipelines import (
    BoundedFieldsPipeline,
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
        category="without_mirrors",
        points=[{"date": "2026-11-01", "downloads": 5}, {"date": "2026-11-02", "downloads": -1}],
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


def job(**overrides):
    fields = {
        **COMMON,
        "source": "greenhouse",
        "competitor_id": "northwind",
        "job_id": "4012345",
        "title": "Senior Data Engineer",
        "department": "Engineering",
        "workplace_type": "hybrid",
        "employment_type": "full-time",
        "salary_min": "120000.00",
        "salary_max": "150000.00",
        "salary_currency": "USD",
        "salary_period": "year",
        "posted_at": "2026-11-16T09:00:00+00:00",
        "updated_at": None,
        "description": "Build things.",
        "apply_url": "https://boards.greenhouse.io/northwind/jobs/4012345",
    }
    fields.update(overrides)
    return JobItem(**{k: v for k, v in fields.items() if v is not ...})


def release(**overrides):
    fields = {
        **COMMON,
        "source": "feed",
        "competitor_id": "northwind",
        "release_id": "tag:northwind.example,2026:release-2.4.0",
        "title": "Northwind v2.4.0",
        "version": "2.4.0",
        "tag": None,
        "published_at": "2026-11-16T09:00:00+00:00",
        "summary": "Parquet export.",
        "link": "https://northwind.example/releases/2-4-0",
        "prerelease": None,
    }
    fields.update(overrides)
    return ReleaseItem(**fields)


def page(**overrides):
    text = "About us\nLast updated: <date>"
    fields = {
        **COMMON,
        "source": "pages",
        "competitor_id": "northwind",
        "title": "About",
        "text": text,
        "fingerprint": hashlib.sha256(text.encode()).hexdigest(),
        "chars": len(text),
    }
    fields.update(overrides)
    return PageItem(**fields)


def test_valid_new_items_pass(crawler):
    for item in (
        job(),
        job(salary_min=None, salary_max=None, salary_currency=None),
        release(),
        release(prerelease=True, tag="v2.4.0"),
        page(),
    ):
        assert EntityFieldsPipeline(crawler).process_item(item) is item


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (job(workplace_type="on-site"), "bad_workplace_type"),
        (job(employment_type="FULL_TIME"), "bad_employment_type"),
        (job(salary_min=120000.0), "bad_salary_min"),
        (job(salary_max="150k"), "bad_salary_max"),
        (job(salary_min="200000.00"), "salary_min_above_max"),
        (job(salary_currency="$"), "bad_salary_currency"),
        (job(salary_period="annual"), "bad_salary_period"),
        (job(posted_at="2026-11-16T09:00:00"), "bad_posted_at"),
        (job(updated_at="2026-11-16T10:00:00+01:00"), "bad_updated_at"),
        (job(job_id=""), "missing_job_id"),
        (job(title=None), "missing_title"),
        (job(apply_url="/jobs/1"), "bad_apply_url"),
        (release(published_at=None), "bad_published_at"),
        (release(published_at="16 Nov 2026"), "bad_published_at"),
        (release(link="/releases/2-4-0"), "bad_link"),
        (release(prerelease="false"), "bad_prerelease"),
        (release(summary="x" * 2001), "bad_summary"),
        (release(release_id=None), "missing_release_id"),
        (page(fingerprint="abc"), "bad_fingerprint"),
        (page(fingerprint="0" * 64), "fingerprint_mismatch"),
        (page(chars=3), "bad_chars"),
        (page(text=""), "missing_text"),
    ],
)
def test_bad_new_items_are_dropped(crawler, item, reason):
    with pytest.raises(DropItem):
        EntityFieldsPipeline(crawler).process_item(item)
    assert crawler.stats.get_value(f"radar/invalid_items/{reason}") == 1


def test_complete_fields_fills_job_fields():
    item = CompleteFieldsPipeline().process_item(job(team=..., updated_at=...))
    assert item["team"] is None
    assert item["updated_at"] is None
    assert item["location"] is None


def test_giant_values_are_cut_to_their_bounds_and_counted_for_the_source():
    crawler = get_crawler(scrapy.Spider, {"RADAR_MAX_FIELD_CHARS": 50, "RADAR_MAX_LIST_ITEMS": 3})
    crawler.stats.open_spider()
    item = plan(name="Pro " + "x" * 500, features=[f"feature {i}" for i in range(10)])
    kept = BoundedFieldsPipeline(crawler).process_item(item)
    assert kept["name"] == ("Pro " + "x" * 500)[:50]
    assert kept["features"] == ["feature 0", "feature 1", "feature 2"]
    assert kept["price"] == item["price"]
    source = item["source_id"]
    assert crawler.stats.get_value("radar/parse_warnings/field_cut/name") == 1
    assert (
        crawler.stats.get_value(f"radar/sources/{source}/radar/parse_warnings/field_cut/features")
        == 1
    )
