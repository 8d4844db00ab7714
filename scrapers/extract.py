"""Run a spider's own parsing code on a saved file, offline: ``radar extract``.

``extract("pricing", Path("page.html"))`` gives the items the spider would land for
that page, as dicts with every item field plus ``input`` (str of the path; added
here, so callers printing several files can tell them apart). The target is
synthetic: source_id "extract", subject_id "unknown" unless given, url the file's
file:// URI unless given; run_id "extract"; observed_at now (UTC).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Response, TextResponse

from scrapers.pipelines import CompleteFieldsPipeline
from scrapers.spiders.base import RadarSpider
from scrapers.spiders.pricing import PricingSpider
from scrapers.spiders.pypistats import PypistatsSpider

#: Spider name → class. Every spider module in scrapers/spiders/ must be listed here.
SPIDERS: dict[str, type[RadarSpider]] = {
    PricingSpider.name: PricingSpider,
    PypistatsSpider.name: PypistatsSpider,
}


def response_for(path: Path, url: str | None = None) -> Response:
    """A Scrapy response for a saved file: JSON → TextResponse, anything else → HtmlResponse."""
    body = path.read_bytes()
    url = url or path.resolve().as_uri()
    if path.suffix.lower() == ".json" or body.lstrip()[:1] in (b"{", b"["):
        return TextResponse(
            url=url, body=body, encoding="utf-8", headers={"Content-Type": "application/json"}
        )
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"})


def extract(
    spider_name: str,
    path: Path,
    url: str | None = None,
    *,
    subject_id: str = "unknown",
    selectors: str | dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Items the spider ``spider_name`` extracts from the saved file ``path``.

    Raises KeyError for an unknown spider name. Parse problems do not raise: they
    give fewer items (as in a crawl) and are logged.
    """
    try:
        spider_cls = SPIDERS[spider_name]
    except KeyError:
        raise KeyError(
            f"unknown spider {spider_name!r} (expected one of: {', '.join(sorted(SPIDERS))})"
        ) from None
    path = Path(path)
    response = response_for(path, url)
    target = {
        "source_id": "extract",
        "spider": spider_name,
        "subject_type": "competitor" if spider_name == "pricing" else "technology",
        "subject_id": subject_id,
        "url": response.url,
        "selectors": selectors or {},
    }
    spider = spider_cls(targets=[target], run_id="extract")
    complete = CompleteFieldsPipeline()
    items = []
    for item in spider.parse_target(response, target):
        row = ItemAdapter(complete.process_item(item)).asdict()
        row["input"] = str(path)
        items.append(row)
    return items
