"""Run a spider's own parsing code on a saved file, offline: ``radar extract``.

``extract("pricing", Path("page.html"))`` gives the items the spider would land for
that page, as dicts with every item field plus ``input`` (str of the path; added
here, so callers printing several files can tell them apart). The target is
synthetic: source_id "extract", subject_id "unknown" unless given, url the file's
file:// URI unless given; run_id "extract"; observed_at now (UTC). Every spider is
supported; follow-up requests (next pages, linked posting pages) are not fetched: each
saved file gives the items of that one response, in the spider's order (github_repo:
a saved repository answer gives its RepoItem with the release fields None; batched
answers of npm_downloads and stackexchange_tags give every package or tag they hold;
hn_mentions needs the window's numericFilters in ``url``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from scrapers.pipelines import CompleteFieldsPipeline
from scrapers.spiders.base import RadarSpider
from scrapers.spiders.feed import FeedSpider
from scrapers.spiders.github_releases import GithubReleasesSpider
from scrapers.spiders.github_repo import GithubRepoSpider
from scrapers.spiders.greenhouse import GreenhouseSpider
from scrapers.spiders.hn_mentions import HnMentionsSpider
from scrapers.spiders.jobposting import JobpostingSpider
from scrapers.spiders.lever import LeverSpider
from scrapers.spiders.npm_downloads import NpmDownloadsSpider
from scrapers.spiders.pages import PagesSpider
from scrapers.spiders.pricing import PricingSpider
from scrapers.spiders.pypistats import PypistatsSpider
from scrapers.spiders.stackexchange_tags import StackexchangeTagsSpider
from scrapers.spiders.wikipedia_pageviews import WikipediaPageviewsSpider

#: Spider name → class. Every spider module in scrapers/spiders/ must be listed here.
SPIDERS: dict[str, type[RadarSpider]] = {
    spider.name: spider
    for spider in (
        PricingSpider,
        PypistatsSpider,
        GreenhouseSpider,
        LeverSpider,
        JobpostingSpider,
        FeedSpider,
        GithubReleasesSpider,
        PagesSpider,
        GithubRepoSpider,
        NpmDownloadsSpider,
        StackexchangeTagsSpider,
        HnMentionsSpider,
        WikipediaPageviewsSpider,
    )
}
#: Spider name → the kind of subject its targets name ("competitor" or "technology"),
#: from the item field each spider stamps the subject id into.
SPIDER_SUBJECTS: dict[str, str] = {
    name: spider.subject_field.removesuffix("_id") for name, spider in SPIDERS.items()
}
#: Spider name → the item field that keys its points, for spiders whose items are points
#: of time series (a day's downloads, a week's stories): a run asks only the points after
#: its last good one, and a point already loaded is not new.
SERIES_KEYS: dict[str, str] = {
    name: spider.series_key for name, spider in SPIDERS.items() if spider.series_key
}
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})


def response_for(path: Path, url: str | None = None) -> Response:
    """A Scrapy response for a saved file: JSON → TextResponse, .xml/.rss/.atom (or a body
    starting with "<?xml") → XmlResponse, anything else → HtmlResponse."""
    body = path.read_bytes()
    url = url or path.resolve().as_uri()
    request = Request(url)
    if path.suffix.lower() == ".json" or body.lstrip()[:1] in (b"{", b"["):
        return TextResponse(
            url=url,
            body=body,
            encoding="utf-8",
            headers={"Content-Type": "application/json"},
            request=request,
        )
    if path.suffix.lower() in FEED_SUFFIXES or body.lstrip()[:5] == b"<?xml":
        return XmlResponse(
            url=url, body=body, headers={"Content-Type": "application/xml"}, request=request
        )
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"}, request=request)


def _offline(
    spider_cls: type[RadarSpider],
    path: Path,
    url: str | None,
    subject_id: str,
    selectors: str | dict[str, str] | None,
) -> tuple[RadarSpider, Response, dict[str, Any]]:
    """A spider on its own (no crawler), the saved file's response and its synthetic target."""
    response = response_for(path, url)
    target = {
        "source_id": "extract",
        "spider": spider_cls.name,
        "subject_type": SPIDER_SUBJECTS[spider_cls.name],
        "subject_id": subject_id,
        "url": response.url,
        "selectors": selectors or {},
    }
    spider = spider_cls(targets=[target], run_id="extract")
    spider.offline = True
    return spider, response, target


def explain(
    spider_name: str,
    path: Path,
    url: str | None = None,
    *,
    selectors: str | dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """What the pricing spider tried on a saved page: per method, in order of trust, its
    verdict ("kept: ...", "dropped: ...", "nothing found") and the plans it found.

    Raises ValueError for other spiders: only pricing pages have competing methods.
    """
    if spider_name != "pricing":
        raise ValueError(f"--explain covers the pricing spider only, not {spider_name!r}")
    spider, response, target = _offline(PricingSpider, Path(path), url, "unknown", selectors)
    if not spider.html_response(response):
        return []
    _, trace = spider.extract_plans(response, target, explain=True)
    return trace


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
    spider, response, target = _offline(spider_cls, path, url, subject_id, selectors)
    complete = CompleteFieldsPipeline()
    items = []
    for item in spider.parse_target(response, target):
        if isinstance(item, Request):
            # Next pages and linked posting pages: a saved file stands alone.
            continue
        row = ItemAdapter(complete.process_item(item)).asdict()
        row["input"] = str(path)
        items.append(row)
    return items
