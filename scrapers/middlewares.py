"""Downloader middlewares, and the spider middleware that caps the items of a page."""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request as ScrapyRequest
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

from scrapers.spiders.base import SOURCE_STATS, sources_of

if TYPE_CHECKING:
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Statuses whose Retry-After header says when the server wants to see us again.
RETRY_AFTER_STATUSES = frozenset({429, 503})


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None.

    A date in the past gives 0; a value we cannot read gives None (the caller then
    retries with its usual pacing rather than guessing).
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware that waits as long as a 429/503 Retry-After asks.

    The wait is capped by ``RETRY_AFTER_MAX`` seconds: a server asking for an hour
    gets our cap, then the usual give-up after ``RETRY_TIMES``. Retries are counted in
    the stock ``retry/*`` stats; waits in ``radar/retry_after/count`` and
    ``radar/retry_after/seconds`` (total seconds waited).
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_request = self._retry(request, response_status_message(response.status))
        if retry_request is None:
            return response
        delay = self.retry_after_delay(response)
        if delay:
            stats = self.crawler.stats
            for prefix in ("", *(f"{SOURCE_STATS}{s}/" for s in sources_of(request.meta))):
                stats.inc_value(f"{prefix}radar/retry_after/count")
                stats.inc_value(f"{prefix}radar/retry_after/seconds", delay)
            logger.info(
                "Waiting %.1fs (Retry-After) before retrying %s (status %d)",
                delay,
                request.url,
                response.status,
            )
            # Sleeping here holds back this request only, which is what the server asked.
            await sleep(delay)
        return retry_request

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        retry = super()._retry(request, reason)
        # Scrapy counts the crawl's retries; the flow also needs each source's.
        key = "retry/count" if retry is not None else "retry/max_reached"
        for source_id in sources_of(request.meta):
            self.crawler.stats.inc_value(f"{SOURCE_STATS}{source_id}/{key}")
        return retry

    def retry_after_delay(self, response: Response) -> float | None:
        if response.status not in RETRY_AFTER_STATUSES:
            return None
        seconds = parse_retry_after(response.headers.get(b"Retry-After"))
        if seconds is None:
            return None
        return min(seconds, self.retry_after_max)


class SourceBudgetMiddleware:
    """A source's crawl ends with what it has once ``RADAR_SOURCE_TIME_BUDGET`` seconds
    have passed since its first request (0: no budget): its later requests are not sent,
    and each is counted as "time budget of N s spent" for that source, so the ledger says
    the source is partial and why, while the batch's other sources go on."""

    def __init__(self, crawler) -> None:
        self.stats = crawler.stats
        self.budget = crawler.settings.getfloat("RADAR_SOURCE_TIME_BUDGET", 0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        if not self.budget:
            return
        started = [
            self.stats.get_value(f"{SOURCE_STATS}{source_id}/first_request_at")
            for source_id in sources_of(request.meta)
        ]
        started = [value for value in started if value is not None]
        if started and time.time() - min(started) > self.budget:
            raise IgnoreRequest(f"time budget of {self.budget:g} s spent")


class NetworkSafetyMiddleware:
    """What a crawl may reach: http(s) URLs without credentials in them, on hosts that
    resolve to public addresses only. Private, loopback, link-local (cloud metadata at
    169.254.169.254 among them), shared and reserved addresses are refused unless
    ``RADAR_ALLOW_PRIVATE_NETWORK`` is set (the offline demo web on 127.0.0.1). Every
    request passes here, redirects' too; the refusal is the request's error, in words.

    A host's addresses are resolved once per crawl (getaddrinfo) and kept, so that a host
    answering differently later (DNS rebinding) is judged by what was checked.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._addresses: dict[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("RADAR_ALLOW_PRIVATE_NETWORK"))

    def process_request(self, request: Request, spider=None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"{parts.scheme}: URLs are refused (only http and https)")
        if parts.username or parts.password:
            raise IgnoreRequest(
                "credentials in the URL refused (secrets come from the environment)"
            )
        if self.allow_private or not parts.hostname:
            return
        for address in self.addresses(parts.hostname):
            if not address.is_global:
                raise IgnoreRequest(
                    f"{parts.hostname} is a non-public address ({address}): refused"
                )

    def addresses(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        if host not in self._addresses:
            try:
                found = {info[4][0] for info in socket.getaddrinfo(host, None)}
            except OSError:
                found = set()  # the download fails with its own DNS error
            self._addresses[host] = [ipaddress.ip_address(a.split("%")[0]) for a in found]
        return self._addresses[host]


class ElementsCapMiddleware:
    """An HTML page with more than ``RADAR_MAX_ELEMENTS`` elements (default 200,000; 0: no
    cap) is refused before any spider walks it: the size cap bounds the bytes, this the
    tree built from them. The count is XPath's over the response's own selector, which the
    spider then reuses. The refusal is the request's error, in words."""

    def __init__(self, crawler) -> None:
        self.cap = crawler.settings.getint("RADAR_MAX_ELEMENTS", 200_000)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if self.cap and isinstance(response, HtmlResponse):
            elements = int(float(response.xpath("count(//*)").get() or 0))
            if elements > self.cap:
                raise IgnoreRequest(f"page has {elements:,} elements, over the cap of {self.cap:,}")
        return response


class ItemsPerPageMiddleware:
    """A page yields at most ``RADAR_MAX_ITEMS_PER_PAGE`` items (default 10,000; 0: no cap):
    a hostile or broken page listing millions of "plans" must not flood the landing file.
    The items past the cap are not kept, and the page counts as the source's parse error
    ``items_per_page_cap`` (once per page), so the source ends partial and says why."""

    def __init__(self, crawler) -> None:
        self.cap = crawler.settings.getint("RADAR_MAX_ITEMS_PER_PAGE", 10_000)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_output(self, response, result, spider=None):
        over = self._over_cap(response)
        return (output for output in result if not over(output))

    async def process_spider_output_async(self, response, result, spider=None):
        over = self._over_cap(response)
        async for output in result:
            if not over(output):
                yield output

    def _over_cap(self, response):
        """A test of each output of one page: True for the items past the cap."""
        items = 0

        def over(output) -> bool:
            nonlocal items
            if isinstance(output, ScrapyRequest) or not self.cap:
                return False
            items += 1
            if items == self.cap + 1:
                key = "radar/parse_errors/items_per_page_cap"
                self.stats.inc_value(key)
                for source_id in sources_of(response.meta):
                    self.stats.inc_value(f"{SOURCE_STATS}{source_id}/{key}")
                logger.warning(
                    "Parse error items_per_page_cap on %s: more than %d items, the rest not "
                    "kept", response.url, self.cap,
                )  # fmt: skip
            return items > self.cap

        return over
