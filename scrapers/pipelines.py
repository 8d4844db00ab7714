"""Item pipelines, one concern each. Their order is set in settings.ITEM_PIPELINES:

100 RequiredFieldsPipeline  the common fields (run_id, source, source_id, observed_at, url)
200 EntityFieldsPipeline    the entity's own values (price format, billing period, date...)
300 CompleteFieldsPipeline  every declared field present, None when unknown

A failing item is dropped with DropItem, counted in ``radar/invalid_items`` and
``radar/invalid_items/<reason>``, and logged with its URL: never silently.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scrapers.items import BILLING_PERIODS, COMMON_FIELDS, PLAN_METHODS, DownloadsItem, PlanItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PRICE_RE = re.compile(r"^\d+\.\d{2}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def common_field_problems(item: Any) -> list[str]:
    """Reasons (e.g. "missing_run_id") why an item's common fields are not acceptable."""
    adapter = ItemAdapter(item)
    problems = [
        f"missing_{name}"
        for name in COMMON_FIELDS
        if not isinstance(adapter.get(name), str) or not adapter.get(name).strip()
    ]
    observed_at = adapter.get("observed_at")
    if "missing_observed_at" not in problems:
        try:
            parsed = datetime.fromisoformat(observed_at)
        except ValueError:
            problems.append("bad_observed_at")
        else:
            # Naive timestamps would be read in the loader's time zone: require an offset.
            if parsed.tzinfo is None:
                problems.append("bad_observed_at")
    return problems


def plan_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    if not adapter.get("competitor_id"):
        problems.append("missing_competitor_id")
    if not adapter.get("name"):
        problems.append("missing_name")
    price = adapter.get("price")
    if price is not None and not (isinstance(price, str) and PRICE_RE.match(price)):
        problems.append("bad_price")
    if price is None and not adapter.get("is_custom"):
        problems.append("missing_price")
    currency = adapter.get("currency")
    if currency is not None and not (isinstance(currency, str) and CURRENCY_RE.match(currency)):
        problems.append("bad_currency")
    if adapter.get("billing_period") not in BILLING_PERIODS:
        problems.append("bad_billing_period")
    if adapter.get("method") not in PLAN_METHODS:
        problems.append("bad_method")
    features = adapter.get("features")
    if features is not None and not (
        isinstance(features, list) and all(isinstance(f, str) for f in features)
    ):
        problems.append("bad_features")
    return problems


def downloads_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    if not adapter.get("technology_id"):
        problems.append("missing_technology_id")
    if not adapter.get("package"):
        problems.append("missing_package")
    downloads = adapter.get("downloads")
    if not isinstance(downloads, int) or isinstance(downloads, bool) or downloads < 0:
        problems.append("bad_downloads")
    try:
        date.fromisoformat(adapter.get("date") or "")
    except (TypeError, ValueError):
        problems.append("bad_date")
    if not adapter.get("category"):
        problems.append("missing_category")
    return problems


class _ValidationPipeline:
    """Shared drop-and-count behaviour; subclasses say what is wrong with an item."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def problems(self, item: Any) -> list[str]:
        raise NotImplementedError

    def process_item(self, item: Any) -> Any:
        problems = self.problems(item)
        if not problems:
            return item
        stats = self.crawler.stats
        stats.inc_value("radar/invalid_items")
        for reason in problems:
            stats.inc_value(f"radar/invalid_items/{reason}")
        url = ItemAdapter(item).get("url")
        logger.warning("Dropped invalid item from %s: %s", url, ", ".join(problems))
        raise DropItem(f"invalid item from {url}: {', '.join(problems)}")


class RequiredFieldsPipeline(_ValidationPipeline):
    """Every observation must say which run, source and time it belongs to, and its URL."""

    def problems(self, item: Any) -> list[str]:
        return common_field_problems(item)


class EntityFieldsPipeline(_ValidationPipeline):
    """Values the warehouse will cast must be castable: reject them here, not at load time."""

    def problems(self, item: Any) -> list[str]:
        if isinstance(item, PlanItem):
            return plan_problems(item)
        if isinstance(item, DownloadsItem):
            return downloads_problems(item)
        return []


class CompleteFieldsPipeline:
    """Fill fields a spider left unset, so every landing line has the same keys.

    "Unknown" is None (never 0); features default to an empty list.
    """

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in adapter.field_names():
            if name not in adapter:
                adapter[name] = [] if name == "features" else None
        if isinstance(item, PlanItem) and adapter.get("is_custom") is None:
            adapter["is_custom"] = False
        return item
