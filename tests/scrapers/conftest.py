"""Fixtures for the scrapers tests.

Helpers come as the ``kit`` fixture rather than imports: tests run with
--import-mode=importlib, and several conftest modules live under tests/.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

RESPONSES = Path(__file__).parent / "responses"
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
        "subject_type": "competitor" if spider == "pricing" else "technology",
        "subject_id": subject_id,
        "url": url,
        "selectors": selectors or {},
    }


def saved_response(name: str, url: str, status: int = 200):
    """A response built from a saved file, as the downloader would hand it to a callback."""
    body = (RESPONSES / name).read_bytes()
    request = Request(url)
    if name.endswith(".json"):
        return TextResponse(
            url=url,
            body=body,
            status=status,
            encoding="utf-8",
            headers={"Content-Type": "application/json"},
            request=request,
        )
    return HtmlResponse(
        url=url, body=body, status=status, headers={"Content-Type": "text/html"}, request=request
    )


def make_spider(spider_cls, settings: dict[str, Any] | None = None, **kwargs: Any):
    """A spider attached to a test crawler, so its stats are live."""
    crawler = get_crawler(spider_cls, settings or {})
    kwargs.setdefault("run_id", "run-2026-11-16")
    kwargs.setdefault("observed_at", OBSERVED_AT)
    return spider_cls.from_crawler(crawler, **kwargs)


def stats(spider) -> dict[str, Any]:
    return spider.crawler.stats.get_stats()


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
    )
