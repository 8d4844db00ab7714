"""StatsFileExtension writes the final crawl stats as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from scrapers.extensions import StatsFileExtension


def test_writes_stats_with_iso_datetimes_and_finish_reason(tmp_path):
    path = tmp_path / "runs" / "r1" / "pricing.stats.json"
    crawler = get_crawler(scrapy.Spider, {"RADAR_STATS_FILE": str(path)})
    spider = scrapy.Spider.from_crawler(crawler, name="pricing")
    ext = StatsFileExtension.from_crawler(crawler)
    crawler.stats.set_value("start_time", datetime(2026, 11, 16, 6, 0, tzinfo=UTC))
    crawler.stats.set_value("item_scraped_count", 12)
    crawler.stats.inc_value("radar/parse_errors/no_plans_found")

    ext.spider_closed(spider, reason="finished")

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["finish_reason"] == "finished"
    assert data["start_time"] == "2026-11-16T06:00:00+00:00"
    assert data["item_scraped_count"] == 12
    assert data["radar/parse_errors/no_plans_found"] == 1
    assert data["spider"] == "pricing"
    assert not path.with_name(path.name + ".tmp").exists()


def test_off_without_the_setting():
    crawler = get_crawler(scrapy.Spider, {})
    with pytest.raises(NotConfigured):
        StatsFileExtension.from_crawler(crawler)
