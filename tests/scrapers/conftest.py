"""Fixtures for the scrapers tests.

Helpers come as the ``kit`` fixture rather than imports: tests run with
--import-mode=importlib, and several conftest modules live under tests/.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from scrapers.spiders.base import SOURCE_STATS

RESPONSES = Path(__file__).parent / "responses"
#: The field benchmark's labelled pages (benchmarks/bench_fields.py), tested here too.
BENCHMARK_PAGES = Path(__file__).parents[2] / "benchmarks" / "pages"
OBSERVED_AT = "2026-11-16T06:00:00+00:00"

NORTHWIND_SELECTORS = {
    "plan": ".plan-card",
    "name": "h3",
    "price": ".price",
    "period": ".period",
    "features": "li",
    "cta": ".cta",
}


def target(
    url: str, *, spider: str = "pricing", subject_id: str = "northwind", selectors=None
) -> dict[str, Any]:
    return {
        "source_id": f"{subject_id}-{spider}",
        "spider": spider,
        "subject_type": "technology" if spider == "pypistats" else "competitor",
        "subject_id": subject_id,
        "url": url,
        "selectors": selectors or {},
    }


def saved_response(
    name: str,
    url: str,
    status: int = 200,
    *,
    headers: dict[str, str] | None = None,
    meta: dict[str, Any] | None = None,
    content_type: str | None = None,
):
    """A response built from a saved file (tests/scrapers/responses, else the benchmark's
    pages), as the downloader would hand it to a callback.

    .json → TextResponse (application/json), .xml → XmlResponse (application/xml),
    else HtmlResponse (text/html); ``content_type`` overrides the header (e.g. an HTML
    error page served where JSON was expected keeps text/html).
    """
    body = (
        RESPONSES / name if (RESPONSES / name).exists() else BENCHMARK_PAGES / name
    ).read_bytes()
    request = Request(url, meta=meta or {})
    if name.endswith(".json"):
        cls, default_type = TextResponse, "application/json"
    elif name.endswith(".xml"):
        cls, default_type = XmlResponse, "application/xml"
    else:
        cls, default_type = HtmlResponse, "text/html"
    all_headers = {"Content-Type": content_type or default_type, **(headers or {})}
    kwargs: dict[str, Any] = {"encoding": "utf-8"} if cls is TextResponse else {}
    return cls(url=url, body=body, status=status, headers=all_headers, request=request, **kwargs)


def make_spider(spider_cls, settings: dict[str, Any] | None = None, **kwargs: Any):
    """A spider attached to a test crawler, so its stats are live."""
    crawler = get_crawler(spider_cls, settings or {})
    kwargs.setdefault("run_id", "run-2026-11-16")
    kwargs.setdefault("observed_at", OBSERVED_AT)
    return spider_cls.from_crawler(crawler, **kwargs)


def stats(spider) -> dict[str, Any]:
    return spider.crawler.stats.get_stats()


def radar_stats(spider) -> dict[str, Any]:
    """Only the radar/* stats: what the spider recorded about the input (the crawl's
    totals; source_stats gives one source's own)."""
    return {
        k: v
        for k, v in stats(spider).items()
        if k.startswith("radar/") and not k.startswith(SOURCE_STATS)
    }


def source_stats(spider, source_id: str) -> dict[str, Any]:
    """The stats counted for one source (radar/sources/<source_id>/...), prefix removed."""
    prefix = f"{SOURCE_STATS}{source_id}/"
    return {k.removeprefix(prefix): v for k, v in stats(spider).items() if k.startswith(prefix)}


def days(items) -> list[dict[str, Any]]:
    """Series items as the loader turns them into raw rows: one dict a point, with the
    item's other fields (items without points as they are)."""
    rows = []
    for item in items:
        fields = dict(item)
        points = fields.pop("points", None)
        rows += [{**fields, **point} for point in points] if points else [fields]
    return rows


def parse(spider, response, tgt) -> tuple[list[Any], list[Request]]:
    """(items, follow-up requests) from one callback call."""
    out = list(spider.parse_target(response, tgt))
    return (
        [o for o in out if not isinstance(o, Request)],
        [o for o in out if isinstance(o, Request)],
    )


@pytest.fixture
def kit() -> SimpleNamespace:
    return SimpleNamespace(
        RESPONSES=RESPONSES,
        OBSERVED_AT=OBSERVED_AT,
        NORTHWIND_SELECTORS=NORTHWIND_SELECTORS,
        target=target,
        saved_response=saved_response,
        make_spider=make_spider,
        stats=stats,
        radar_stats=radar_stats,
        source_stats=source_stats,
        days=days,
        parse=parse,
    )
