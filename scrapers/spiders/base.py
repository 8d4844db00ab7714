"""RadarSpider: what every Market Radar spider shares.

Arguments (``-a``): ``targets`` (path of a JSON file holding a list of Target dicts:
source_id, spider, subject_type, subject_id, url, selectors), ``run_id`` (required) and
``observed_at`` (ISO 8601; default: now, UTC).

A subclass only turns one response of one target into item dicts
(``parse_items``). The base sends one request per target (``start_url`` may add
paging parameters), stamps the common fields, and records every problem in the
crawl stats with a log line naming the URL. ``parse_items`` may also yield
follow-up requests made with ``follow`` (next pages, posting pages): they come back
to ``parse_items`` with the same target, and are dropped when the response gave no
usable result (a parse error raised mid-way yields nothing at all).

- ``radar/parse_errors/<reason>``: a response gave no usable items
- ``radar/parse_warnings/<reason>``: something was off, items were still produced
- ``radar/skipped_rows/<reason>``: single rows left out, the rest kept
- ``radar/http_errors/<status>``: non-2xx responses (after retries)
- ``radar/error_bodies/<json|html|text>``: what an error response said
- ``radar/request_errors/<Exception>``: network failures, robots.txt refusals
- ``radar/invalid_targets``: target entries without a url or source_id

One crawl serves many sources (a batch of one kind), so every problem is counted twice:
in the crawl's total and under ``radar/sources/<source_id>/`` for the sources of the
response (or failed request) being handled; requests, responses, retries and items are
counted per source by ``scrapers.extensions.SourceStatsExtension``. The flow reads each
source's own counters to judge it ok, partial or failed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from parsel import Selector
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from scrapers.items import RadarItem

#: Prefix of the per-source crawl stats: radar/sources/<source_id>/<stat>.
SOURCE_STATS = "radar/sources/"


def sources_of(meta: Mapping[str, Any]) -> tuple[str, ...]:
    """The source_ids a request serves: its target's, or every target's of a batch
    request (``radar_batch``: name -> targets asking for it)."""
    batch = meta.get("radar_batch")
    if batch:
        return tuple(dict.fromkeys(t["source_id"] for ts in batch.values() for t in ts))
    target = meta.get("target")
    return (target["source_id"],) if isinstance(target, dict) and "source_id" in target else ()


def parse_observed_at(value: str | None) -> str:
    """ISO 8601 UTC string ("2026-11-16T06:00:00+00:00"); now when value is empty.

    A value without offset is taken as UTC (the contract says observed_at is UTC).
    """
    if not value:
        return datetime.now(UTC).replace(microsecond=0).isoformat()
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat()


def load_targets(value: str | Path | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Targets from a JSON file path (the -a targets argument) or an already loaded list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    data = json.loads(Path(value).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"targets file {value} must hold a JSON list, got {type(data).__name__}")
    return data


class RadarSpider(scrapy.Spider):
    #: Item class and the item field that names the target's subject.
    item_class: ClassVar[type[RadarItem]]
    subject_field: ClassVar[str]
    #: For items that are points of a time series: the item field keying them ("date").
    #: A target's ``since`` (the flow's cursor) then limits what is asked.
    series_key: ClassVar[str | None] = None
    #: True when a target's first response is its whole content, so that a conditional
    #: request (the target's ``etag``/``last_modified``) answered 304 means "unchanged".
    conditional: ClassVar[bool] = False

    def __init__(
        self,
        targets: str | Path | list[dict[str, Any]] | None = None,
        run_id: str | None = None,
        observed_at: str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not run_id:
            # Landing lines without the run they belong to could not be loaded idempotently.
            raise ValueError(f"spider {self.name!r} needs -a run_id=...")
        self.run_id = run_id
        self.observed_at = parse_observed_at(observed_at)
        self.targets = load_targets(targets)
        # Problems seen when no crawler is attached (offline extract()).
        self.local_stats: Counter[str] = Counter()
        # The sources of the response (or failed request) being handled: see inc_stat.
        self.current_sources: tuple[str, ...] = ()
        # True under extract(): one saved response stands alone, nothing is followed.
        self.offline = False

    # -- stats and logging -------------------------------------------------------------

    def inc_stat(
        self,
        key: str,
        count: int = 1,
        *,
        sources: Iterable[str] | None = None,
        total: bool = True,
    ) -> None:
        """Count in the crawl's total and for ``sources`` (default: the sources of the
        response being handled); ``total=False`` when Scrapy already counted the total."""
        crawler = getattr(self, "crawler", None)
        stats = crawler.stats if crawler is not None else None
        keys = [key] if total else []
        keys += [f"{SOURCE_STATS}{sid}/{key}" for sid in (sources or self.current_sources)]
        for name in keys:
            if stats is not None:
                stats.inc_value(name, count)
            else:
                self.local_stats[name] += count

    @contextmanager
    def handling(self, meta: Mapping[str, Any]) -> Iterator[None]:
        """Problems recorded inside the block count for the sources of this request."""
        saved, self.current_sources = self.current_sources, sources_of(meta)
        try:
            yield
        finally:
            self.current_sources = saved

    def record_parse_error(
        self, reason: str, url: str, detail: str = "", *, sources: Iterable[str] | None = None
    ) -> None:
        self.inc_stat(f"radar/parse_errors/{reason}", sources=sources)
        self.logger.warning("Parse error %s on %s%s", reason, url, f": {detail}" if detail else "")

    def record_parse_warning(self, reason: str, url: str, detail: str = "") -> None:
        self.inc_stat(f"radar/parse_warnings/{reason}")
        self.logger.info("Parse warning %s on %s%s", reason, url, f": {detail}" if detail else "")

    def record_skipped_row(self, reason: str, url: str, detail: str = "") -> None:
        self.inc_stat("radar/skipped_rows")
        self.inc_stat(f"radar/skipped_rows/{reason}")
        self.logger.warning(
            "Skipped a row (%s) on %s%s", reason, url, f": {detail}" if detail else ""
        )

    def setting_int(self, name: str, default: int) -> int:
        """An integer crawl setting; the default when no crawler is attached (extract())."""
        crawler = getattr(self, "crawler", None)
        return crawler.settings.getint(name, default) if crawler is not None else default

    def html_response(self, response: Response) -> bool:
        """True for a response parsel reads as HTML/XML; else records why (not_text/not_html).

        A JSON body (an API answer where a page was expected) gets a JSON selector, on
        which XPath raises: say so instead.
        """
        if not isinstance(response, TextResponse):
            self.record_parse_error("not_text", response.url, type(response).__name__)
            return False
        if response.selector.type == "json":
            self.record_parse_error("not_html", response.url, response.text[:80])
            return False
        return True

    # -- requests ----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.target_requests():
            yield request

    def target_requests(self) -> Iterable[scrapy.Request]:
        for target in self.targets:
            if not isinstance(target, dict) or not target.get("url") or not target.get("source_id"):
                self.inc_stat("radar/invalid_targets")
                self.logger.error("Invalid target (needs url and source_id): %r", target)
                continue
            # Two catalog rows may share a URL; each is its own observation.
            request = self.follow(self.start_url(target), target, dont_filter=True)
            yield self.conditional_request(request, target)

    def conditional_request(self, request: scrapy.Request, target: dict[str, Any]):
        """The target's first request, made conditional when the spider's first response
        is the whole content and the flow passed the validators of the last one: an
        unchanged page then costs a 304 and no body, and the source is "not modified"."""
        etag, modified = target.get("etag"), target.get("last_modified")
        # A browser's page load is not a conditional GET: rendered targets ask in full.
        if not self.conditional or not (etag or modified) or target.get("render"):
            return request.replace(meta={**request.meta, "radar_first": True})
        headers = dict(request.headers.to_unicode_dict())
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        allowed = [*getattr(self, "handle_httpstatus_list", []), 304]
        meta = {**request.meta, "radar_first": True, "handle_httpstatus_list": allowed}
        return request.replace(headers=headers, meta=meta)

    def start_url(self, target: dict[str, Any]) -> str:
        """The first URL requested for a target (subclasses add paging parameters)."""
        return target["url"]

    def follow(
        self,
        url: str,
        target: dict[str, Any],
        *,
        meta: dict[str, Any] | None = None,
        dont_filter: bool = False,
        headers: dict[str, str] | None = None,
    ) -> scrapy.Request:
        """A request whose response comes back to ``parse_items`` with the same target.

        A target with ``render`` is fetched by a browser (scrapy-playwright, enabled by
        the flow for such crawls), which waits until the page's network is idle: prices
        drawn by JavaScript are in the response's HTML.
        """
        if target.get("render"):
            meta = {
                **(meta or {}),
                "playwright": True,
                "playwright_page_goto_kwargs": {"wait_until": "networkidle"},
            }
        return scrapy.Request(
            url,
            callback=self.on_response,
            errback=self.on_error,
            cb_kwargs={"target": target},
            meta={**(meta or {}), "target": target},
            headers=headers or self.request_headers(url),
            dont_filter=dont_filter,
        )

    def request_headers(self, url: str) -> dict[str, str] | None:
        """Extra headers for a request (API spiders ask for JSON, GitHub adds a token)."""
        return None

    # -- responses ---------------------------------------------------------------------

    def on_response(
        self, response: Response, target: dict[str, Any]
    ) -> list[RadarItem | scrapy.Request]:
        """The callback of every request made with ``follow``."""
        meta = response_meta(response)
        with self.handling(meta):
            if meta.get("radar_first"):
                if response.status == 304:
                    self.inc_stat("radar/not_modified")
                    return []
                if 200 <= response.status < 300:
                    self.keep_validators(response)
            return list(self.parse_target(response, target))

    def keep_validators(self, response: Response) -> None:
        """The first response's ETag and Last-Modified, per source, for the next run's
        conditional request (crawl stats ``radar/sources/<id>/etag``, ``/last_modified``)."""
        crawler = getattr(self, "crawler", None)
        if crawler is None or not self.conditional:
            return
        for header, key in ((b"ETag", "etag"), (b"Last-Modified", "last_modified")):
            value = response.headers.get(header)
            if value:
                for source_id in self.current_sources:
                    crawler.stats.set_value(
                        f"{SOURCE_STATS}{source_id}/{key}", value.decode("latin-1")
                    )

    def parse_target(
        self, response: Response, target: dict[str, Any]
    ) -> Iterable[RadarItem | scrapy.Request]:
        """Stamped items (and follow-up requests) of one response; never raises on bad input."""
        if not 200 <= response.status < 300:
            # Only statuses in handle_httpstatus_list get here (after retries).
            self.record_http_error(response)
            return []
        try:
            rows = list(self.parse_items(response, target))
        except Exception as exc:
            # Yield nothing rather than a half-read page.
            self.record_parse_error(
                "exception", response.url, f"{type(exc).__name__}: {str(exc)[:200]}"
            )
            self.logger.debug("Traceback for %s", response.url, exc_info=True)
            return []
        return [
            row
            if isinstance(row, scrapy.Request)
            # A batched request's row names its own target: (row, target).
            else self.stamp(*row, response)
            if isinstance(row, tuple)
            else self.stamp(row, target, response)
            for row in rows
        ]

    def parse_items(
        self, response: Response, target: dict[str, Any]
    ) -> Iterable[dict[str, Any] | scrapy.Request]:
        """Entity fields of one response (without the common fields), and follow-up
        requests made with ``follow``. A spider batching several targets into one
        request yields ``(row, target)`` pairs instead. Subclasses implement."""
        raise NotImplementedError

    def stamp(self, row: dict[str, Any], target: dict[str, Any], response: Response) -> RadarItem:
        item = self.item_class(**row)
        item["run_id"] = self.run_id
        item["source"] = self.name
        item["source_id"] = target.get("source_id")
        item["observed_at"] = self.observed_at
        item["url"] = self.public_url(response.url)
        item[self.subject_field] = target.get("subject_id")
        return item

    # -- errors ------------------------------------------------------------------------

    def public_url(self, url: str) -> str:
        """The URL as logged and landed (a spider sending a key in the query drops it)."""
        return url

    def record_http_error(self, response: Response) -> None:
        self.inc_stat(f"radar/http_errors/{response.status}")
        kind, detail = describe_error_body(response)
        if kind:
            self.inc_stat(f"radar/error_bodies/{kind}")
        self.logger.warning(
            "HTTP %d on %s%s",
            response.status,
            self.public_url(response.url),
            f": {detail}" if detail else "",
        )

    def on_error(self, failure: Failure) -> None:
        with self.handling(failure.request.meta):
            if failure.check(HttpError):
                self.record_http_error(failure.value.response)
                return
            request = failure.request
            name = failure.type.__name__ if failure.type else "Exception"
            message = failure.getErrorMessage()
            if failure.check(IgnoreRequest) and "robots.txt" in message:
                # the robots.txt middleware counted the crawl's total
                self.inc_stat("robotstxt/forbidden", total=False)
            self.inc_stat(f"radar/request_errors/{in_words(failure, self.settings) or name}")
            self.logger.warning("Request failed on %s: %s", self.public_url(request.url), message)


def in_words(failure: Failure, settings: Any) -> str | None:
    """The reason a crawl's limits stopped a request, in words for the ledger (None for
    other failures, which are named by their exception, and robots.txt's refusals, which
    are counted apart)."""
    message = failure.getErrorMessage()
    max_mb = f"{settings.getint('DOWNLOAD_MAXSIZE') / 2**20:g} MB"
    if "max redirections reached" in message:
        return f"redirect loop after {settings.getint('REDIRECT_MAX_TIMES')} hops"
    if "during decompression" in message:
        return f"decompressed body over the cap of {max_mb}"
    if "larger than download max size" in message or failure.check(CancelledError):
        return f"response larger than {max_mb}"
    if failure.check(IgnoreRequest) and message and "robots.txt" not in message:
        return message  # our limits' refusals say why (time budget, network safety)
    return None


def response_meta(response: Response) -> dict[str, Any]:
    """The request's meta; empty for a response built without a request (extract())."""
    try:
        return response.meta
    except AttributeError:
        return {}


def json_body(spider: RadarSpider, response: Response) -> tuple[bool, Any]:
    """(True, data) for a JSON response body; (False, None) after recording why not.

    An HTML page where JSON was expected (a proxy's or a login page) is "not_json";
    JSON that does not parse is "invalid_json".
    """
    url = response.url
    if not isinstance(response, TextResponse):
        body = response.body.lstrip()[:1]
        if body not in (b"{", b"["):
            spider.record_parse_error("not_text", url, type(response).__name__)
            return False, None
        text = response.body.decode("utf-8", errors="replace")
    else:
        text = response.text
    stripped = text.lstrip()
    if stripped[:1] not in ("{", "["):
        kind, detail = describe_error_body(response)
        spider.record_parse_error("not_json", url, f"{kind}: {detail}" if kind else "")
        return False, None
    try:
        return True, json.loads(stripped)
    except ValueError as exc:
        spider.record_parse_error("invalid_json", url, str(exc)[:120])
        return False, None


def describe_error_body(response: Response) -> tuple[str | None, str]:
    """What an error response says: ("json", message) / ("html", title) / ("text", start)."""
    if not isinstance(response, TextResponse) or not response.body:
        return None, ""
    text = response.text.strip()
    if text[:1] in "{[":
        try:
            data = json.loads(text)
        except ValueError:
            pass
        else:
            if isinstance(data, dict):
                message = (
                    data.get("message")
                    or data.get("error")
                    or data.get("detail")
                    or data.get("error_message")  # Stack Exchange
                )
                return "json", str(message if message is not None else data)[:200]
            return "json", text[:200]
    if "<" in text[:200]:
        title = Selector(text=text).xpath("//title/text()").get() or ""
        return "html", " ".join(title.split())[:200]
    return "text", " ".join(text.split())[:200]
