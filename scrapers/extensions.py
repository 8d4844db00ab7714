"""Crawl extensions."""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from scrapers.spiders.base import SOURCE_STATS, sources_of

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class StatsFileExtension:
    """Writes the crawl's final stats as JSON to ``RADAR_STATS_FILE`` when the spider closes.

    The flow reads this file to learn how a crawl went (items, errors, finish_reason)
    without parsing logs. Datetimes become ISO 8601 strings. The file is written to a
    temporary name and renamed, so a reader never sees half a file.
    """

    def __init__(self, crawler: Crawler, path: Path):
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFileExtension:
        path = crawler.settings.get("RADAR_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, Path(path))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        stats["spider"] = spider.name
        payload = _jsonable(stats)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)
        logger.info("Crawl stats written to %s", self.path)


class SourceStatsExtension:
    """Counts requests, responses by status, items and dropped items per source.

    One crawl serves many sources of a kind, and each must still end ok, partial or failed
    on its own: these counters (``radar/sources/<source_id>/...``, beside the problems the
    spiders count per source) are what the flow judges each source by. A batch request
    (one npm or Stack Exchange call for many packages or tags) counts for each source in
    it. ``first_request_at`` and ``last_response_at`` (epoch seconds) time each source.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceStatsExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        return ext

    def _inc(self, source_id: str | None, key: str) -> None:
        if source_id:
            self.stats.inc_value(f"{SOURCE_STATS}{source_id}/{key}")

    def request_reached(self, request: Request, spider: Spider) -> None:
        now = time.time()
        for source_id in sources_of(request.meta):
            self._inc(source_id, "downloader/request_count")
            self.stats.min_value(f"{SOURCE_STATS}{source_id}/first_request_at", now)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        now = time.time()
        for source_id in sources_of(request.meta):
            self._inc(source_id, f"downloader/response_status_count/{response.status}")
            self.stats.max_value(f"{SOURCE_STATS}{source_id}/last_response_at", now)

    def item_scraped(self, item: Any, response: Response, spider: Spider) -> None:
        self._inc(_source_id(item), "item_scraped_count")

    def item_dropped(self, item: Any, response: Response, exception: Exception, spider: Spider):
        self._inc(_source_id(item), "item_dropped_count")


def _source_id(item: Any) -> str | None:
    try:
        return item["source_id"]
    except (KeyError, TypeError):
        return None
