"""Item pipelines, one concern each. Their order is set in settings.ITEM_PIPELINES:

100 RequiredFieldsPipeline  the common fields (run_id, source, source_id, observed_at, url)
150 BoundedFieldsPipeline   no value past its bounds: longer text is cut, longer lists
                            shortened, each cut counted for the source (parse warning)
200 EntityFieldsPipeline    the entity's own values (price format, billing period, date,
                            workplace/employment type, salary decimals, ISO currency, UTC
                            timestamps, absolute links, fingerprint = sha256 of text,
                            counts non-negative ints, week_start a Monday...)
300 CompleteFieldsPipeline  every declared field present, None when unknown

A failing item is dropped with DropItem, counted in ``radar/invalid_items`` and
``radar/invalid_items/<reason>``, and logged with its URL: never silently.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scrapers.items import (
    BILLING_PERIODS,
    COMMON_FIELDS,
    EMPLOYMENT_TYPES,
    PLAN_METHODS,
    SALARY_PERIODS,
    SUMMARY_MAX_CHARS,
    WORKPLACE_TYPES,
    DownloadsItem,
    JobItem,
    MentionsItem,
    PageItem,
    PageviewsItem,
    PlanItem,
    ReleaseItem,
    RepoItem,
    TagItem,
)
from scrapers.spiders.base import SOURCE_STATS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PRICE_RE = re.compile(r"^\d+\.\d{2}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def is_utc_timestamp(value: Any) -> bool:
    """An ISO 8601 string with a zero UTC offset ("2026-11-16T09:00:00+00:00")."""
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)


def is_absolute_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlparse(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


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


def points_problems(points: Any, value: str) -> list[str]:
    """A series item's points: a non-empty list of {"date": YYYY-MM-DD, value: count}."""
    if not isinstance(points, list) or not points:
        return ["no_points"]
    problems = []
    if not all(isinstance(p, dict) and _is_date(p.get("date")) for p in points):
        problems.append("bad_date")
    if not all(isinstance(p, dict) and _is_count(p.get(value)) for p in points):
        problems.append(f"bad_{value}")
    return problems


def downloads_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    if not adapter.get("technology_id"):
        problems.append("missing_technology_id")
    if not adapter.get("package"):
        problems.append("missing_package")
    if not adapter.get("category"):
        problems.append("missing_category")
    return problems + points_problems(adapter.get("points"), "downloads")


def job_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    for name in ("competitor_id", "job_id", "title"):
        if not _is_text(adapter.get(name)):
            problems.append(f"missing_{name}")
    if adapter.get("workplace_type") not in WORKPLACE_TYPES:
        problems.append("bad_workplace_type")
    if adapter.get("employment_type") not in EMPLOYMENT_TYPES:
        problems.append("bad_employment_type")
    bounds = []
    for name in ("salary_min", "salary_max"):
        value = adapter.get(name)
        if value is None:
            continue
        if isinstance(value, str) and PRICE_RE.match(value):
            bounds.append(Decimal(value))
        else:
            problems.append(f"bad_{name}")
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        problems.append("salary_min_above_max")
    currency = adapter.get("salary_currency")
    if currency is not None and not (isinstance(currency, str) and CURRENCY_RE.match(currency)):
        problems.append("bad_salary_currency")
    period = adapter.get("salary_period")
    if period is not None and period not in SALARY_PERIODS:
        problems.append("bad_salary_period")
    for name in ("posted_at", "updated_at"):
        value = adapter.get(name)
        if value is not None and not is_utc_timestamp(value):
            problems.append(f"bad_{name}")
    description = adapter.get("description")
    if description is not None and not isinstance(description, str):
        problems.append("bad_description")
    apply_url = adapter.get("apply_url")
    if apply_url is not None and not is_absolute_url(apply_url):
        problems.append("bad_apply_url")
    return problems


def release_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    for name in ("competitor_id", "release_id", "title"):
        if not _is_text(adapter.get(name)):
            problems.append(f"missing_{name}")
    if not is_utc_timestamp(adapter.get("published_at")):
        problems.append("bad_published_at")
    for name in ("version", "tag"):
        value = adapter.get(name)
        if value is not None and not _is_text(value):
            problems.append(f"bad_{name}")
    summary = adapter.get("summary")
    if summary is not None and not (isinstance(summary, str) and len(summary) <= SUMMARY_MAX_CHARS):
        problems.append("bad_summary")
    link = adapter.get("link")
    if link is not None and not is_absolute_url(link):
        problems.append("bad_link")
    prerelease = adapter.get("prerelease")
    if prerelease is not None and not isinstance(prerelease, bool):
        problems.append("bad_prerelease")
    return problems


def page_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    if not _is_text(adapter.get("competitor_id")):
        problems.append("missing_competitor_id")
    text = adapter.get("text")
    if not _is_text(text):
        problems.append("missing_text")
        return problems
    fingerprint = adapter.get("fingerprint")
    if not (isinstance(fingerprint, str) and SHA256_RE.match(fingerprint)):
        problems.append("bad_fingerprint")
    elif fingerprint != hashlib.sha256(text.encode("utf-8")).hexdigest():
        problems.append("fingerprint_mismatch")
    chars = adapter.get("chars")
    if not isinstance(chars, int) or isinstance(chars, bool) or chars != len(text):
        problems.append("bad_chars")
    title = adapter.get("title")
    if title is not None and not isinstance(title, str):
        problems.append("bad_title")
    return problems


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and len(value) == 10


def repo_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    if not _is_text(adapter.get("technology_id")):
        problems.append("missing_technology_id")
    repo = adapter.get("repo")
    if not (_is_text(repo) and repo.count("/") == 1):
        problems.append("bad_repo")
    for name in ("stars", "forks"):
        if not _is_count(adapter.get(name)):
            problems.append(f"bad_{name}")
    for name in ("watchers", "open_issues", "releases_last_12m"):
        value = adapter.get(name)
        if value is not None and not _is_count(value):
            problems.append(f"bad_{name}")
    for name in ("pushed_at", "last_release_at"):
        value = adapter.get(name)
        if value is not None and not is_utc_timestamp(value):
            problems.append(f"bad_{name}")
    if not isinstance(adapter.get("archived"), bool):
        problems.append("bad_archived")
    for name in ("license", "default_branch"):
        value = adapter.get(name)
        if value is not None and not _is_text(value):
            problems.append(f"bad_{name}")
    homepage = adapter.get("homepage")
    if homepage is not None and not is_absolute_url(homepage):
        problems.append("bad_homepage")
    return problems


def tag_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    for name in ("technology_id", "tag"):
        if not _is_text(adapter.get(name)):
            problems.append(f"missing_{name}")
    if not _is_count(adapter.get("question_count")):
        problems.append("bad_question_count")
    synonyms = adapter.get("has_synonyms")
    if synonyms is not None and not isinstance(synonyms, bool):
        problems.append("bad_has_synonyms")
    return problems


def mentions_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    for name in ("technology_id", "query"):
        if not _is_text(adapter.get(name)):
            problems.append(f"missing_{name}")
    if not _is_count(adapter.get("stories")):
        problems.append("bad_stories")
    week_start = adapter.get("week_start")
    if not _is_date(week_start) or date.fromisoformat(week_start).weekday() != 0:
        problems.append("bad_week_start")
    bounds = [adapter.get("window_start"), adapter.get("window_end")]
    for name, value in zip(("window_start", "window_end"), bounds, strict=True):
        if not is_utc_timestamp(value):
            problems.append(f"bad_{name}")
    if all(is_utc_timestamp(v) for v in bounds) and bounds[0] >= bounds[1]:
        problems.append("empty_window")
    return problems


def pageviews_problems(item: Any) -> list[str]:
    adapter = ItemAdapter(item)
    problems = []
    for name in ("technology_id", "article"):
        if not _is_text(adapter.get(name)):
            problems.append(f"missing_{name}")
    return problems + points_problems(adapter.get("points"), "views")


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


class BoundedFieldsPipeline:
    """Hostile or broken pages must not hand the loader giant values: a text field longer
    than ``RADAR_MAX_FIELD_CHARS`` (default 100,000) is cut to it, a list longer than
    ``RADAR_MAX_LIST_ITEMS`` (default 5,000) shortened; each cut is counted as the
    source's parse warning ``field_cut/<field>`` and logged, never silent."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.max_chars = crawler.settings.getint("RADAR_MAX_FIELD_CHARS", 100_000)
        self.max_items = crawler.settings.getint("RADAR_MAX_LIST_ITEMS", 5_000)

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name, value in list(adapter.items()):
            if isinstance(value, str) and len(value) > self.max_chars:
                adapter[name] = value[: self.max_chars]
            elif isinstance(value, list) and len(value) > self.max_items:
                adapter[name] = value[: self.max_items]
            else:
                continue
            key = f"radar/parse_warnings/field_cut/{name}"
            self.stats.inc_value(key)
            self.stats.inc_value(f"{SOURCE_STATS}{adapter.get('source_id')}/{key}")
            logger.warning(
                "Cut %s of an item from %s: %d long, the bound is %d",
                name, adapter.get("url"), len(value),
                self.max_chars if isinstance(value, str) else self.max_items,
            )  # fmt: skip
        return item


class EntityFieldsPipeline(_ValidationPipeline):
    """Values the warehouse will cast must be castable: reject them here, not at load time."""

    def problems(self, item: Any) -> list[str]:
        if isinstance(item, PlanItem):
            return plan_problems(item)
        if isinstance(item, DownloadsItem):
            return downloads_problems(item)
        if isinstance(item, JobItem):
            return job_problems(item)
        if isinstance(item, ReleaseItem):
            return release_problems(item)
        if isinstance(item, PageItem):
            return page_problems(item)
        if isinstance(item, RepoItem):
            return repo_problems(item)
        if isinstance(item, TagItem):
            return tag_problems(item)
        if isinstance(item, MentionsItem):
            return mentions_problems(item)
        if isinstance(item, PageviewsItem):
            return pageviews_problems(item)
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
