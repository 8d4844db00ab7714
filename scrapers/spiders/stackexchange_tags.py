"""stackexchange_tags: question counts of Stack Overflow tags (Stack Exchange API 2.3)
→ one TagItem per tag.

URL (catalog): https://api.stackexchange.com/2.3/tags/<tag>/info?site=stackoverflow.
Tags of the same API base and site are asked together, up to
``RADAR_STACKEXCHANGE_BATCH_SIZE`` (default 100, the API's maximum) per request:
``<base>/tags/<t1>;<t2>;...;<tn>/info?site=stackoverflow&pagesize=100`` (each tag
percent-encoded: c# → c%23, c++ → c%2B%2B). The answer is {"items": [{"name", "count",
"has_synonyms", ...}], "has_more", "quota_max", "quota_remaining", "backoff"?}. A tag
asked for but not among the items yields nothing: radar/parse_errors/tag_not_found.

Politeness, as the API asks: batches go one after another; an answer's ``backoff``
(seconds) delays the next request (radar/backoff/count, radar/backoff/seconds); when
``quota_remaining`` reaches 0, or the API answers an error body {"error_id",
"error_message", "error_name"} of a throttle, the spider asks nothing more
(radar/quota_exhausted, radar/quota_exhausted/skipped_requests). Error bodies are
recorded as radar/parse_errors/api_error with their error_name.

Key: optional, from the environment variable STACKEXCHANGE_KEY (or ``-a
stackexchange_key=``), sent as ``&key=`` to https://api.stackexchange.com only, and
kept out of the logs and the landed url.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from twisted.python.failure import Failure

from scrapers.items import TagItem
from scrapers.spiders.base import RadarSpider, json_body, response_meta

TAGS_PATH_RE = re.compile(r"^(?P<prefix>.*/tags)/(?P<tags>[^/]+)/info/?$")
KEY_HOSTS = frozenset({"api.stackexchange.com"})
MAX_BATCH = 100
#: Error names after which asking again only digs the hole deeper.
STOP_ERRORS = frozenset({"throttle_violation", "access_token_compromised", "access_denied"})


def tags_of(url: str) -> tuple[str, str, list[str]] | None:
    """(API base up to .../tags, site, tags) from a tags/{tags}/info URL."""
    parts = urlsplit(url)
    match = TAGS_PATH_RE.match(parts.path)
    if not match:
        return None
    site = parse_qs(parts.query).get("site", ["stackoverflow"])[-1]
    tags = [unquote(tag) for tag in match["tags"].split(";") if tag]
    return f"{parts.scheme}://{parts.netloc}{match['prefix']}", site, tags


class StackexchangeTagsSpider(RadarSpider):
    name = "stackexchange_tags"
    item_class = TagItem
    subject_field = "technology_id"
    # Stack Exchange explains errors (400 bad_parameter, throttle_violation) in the body.
    handle_httpstatus_list: ClassVar[list[int]] = [400, 401, 403, 404, 429, 500, 502, 503]

    def __init__(self, *args: Any, stackexchange_key: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Kept off the public attributes so no repr or log shows it.
        self._key = (stackexchange_key or os.environ.get("STACKEXCHANGE_KEY") or "").strip()
        self.pending: list[scrapy.Request] = []
        self.not_before = 0.0  # time.monotonic() before which the API asked for no request
        self.stopped: str | None = None

    # -- requests ----------------------------------------------------------------------

    def target_requests(self):
        """The first batch; each answer then asks for the next (``next_request``)."""
        self.pending = list(self.batch_requests())
        if self.pending:
            yield self.pending.pop(0)

    def batch_requests(self):
        groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        for target in self.targets:
            if not isinstance(target, dict) or not target.get("url") or not target.get("source_id"):
                self.inc_stat("radar/invalid_targets")
                self.logger.error("Invalid target (needs url and source_id): %r", target)
                continue
            found = tags_of(target["url"])
            if found is None or len(found[2]) != 1:
                self.inc_stat("radar/invalid_targets")
                self.logger.error("Not a tags/<tag>/info URL: %s", target["url"])
                continue
            base, site, (tag,) = found
            groups.setdefault((base, site), {}).setdefault(tag.lower(), []).append(target)
        size = max(1, min(self.setting_int("RADAR_STACKEXCHANGE_BATCH_SIZE", MAX_BATCH), MAX_BATCH))
        for (base, site), tags in groups.items():
            names = list(tags)
            for i in range(0, len(names), size):
                chunk = names[i : i + size]
                path = ";".join(quote(tag, safe="") for tag in chunk)
                query = {"site": site, "pagesize": MAX_BATCH}
                url = f"{base}/{path}/info?{urlencode(query)}"
                if self._key and urlsplit(url).hostname in KEY_HOSTS and url.startswith("https"):
                    url += "&" + urlencode({"key": self._key})
                batch = {tag: tags[tag] for tag in chunk}
                request = self.follow(url, batch[chunk[0]][0], meta={"radar_batch": batch})
                yield request.replace(callback=self.parse_batch, dont_filter=True)

    def public_url(self, url: str) -> str:
        parts = urlsplit(url)
        if "key=" not in parts.query:
            return url
        query = "&".join(p for p in parts.query.split("&") if not p.startswith("key="))
        return urlunsplit(parts._replace(query=query))

    def next_request(self) -> scrapy.Request | None:
        if not self.pending:
            return None
        if self.stopped:
            self.inc_stat("radar/quota_exhausted/skipped_requests", len(self.pending))
            self.logger.warning(
                "Stack Exchange: %d batch(es) not requested (%s)", len(self.pending), self.stopped
            )
            self.pending = []
            return None
        return self.pending.pop(0)

    async def parse_batch(self, response: Response, target: dict[str, Any]) -> AsyncIterator[Any]:
        for out in self.on_response(response, target):
            yield out
        request = self.next_request()
        if request is not None:
            delay = self.not_before - time.monotonic()
            if delay > 0:
                await sleep(delay)
            yield request

    def on_error(self, failure: Failure) -> list[scrapy.Request]:
        super().on_error(failure)
        # One failed batch must not strand the ones after it.
        request = self.next_request()
        return [request] if request is not None else []

    # -- responses ---------------------------------------------------------------------

    def parse_target(self, response: Response, target: dict[str, Any]) -> list[Any]:
        self.read_throttle(response)
        if 200 <= response.status < 300:
            return list(super().parse_target(response, target))
        self.record_http_error(response)
        self.record_api_error(response)
        return []

    def read_throttle(self, response: Response) -> None:
        """Honour ``backoff`` and ``quota_remaining``, in success and error answers alike."""
        try:
            body = json.loads(response.text)
        except (AttributeError, ValueError):
            return
        if not isinstance(body, dict):
            return
        url = self.public_url(response.url)
        backoff = body.get("backoff")
        if isinstance(backoff, int | float) and not isinstance(backoff, bool) and backoff > 0:
            self.not_before = max(self.not_before, time.monotonic() + backoff)
            self.inc_stat("radar/backoff/count")
            self.inc_stat("radar/backoff/seconds", backoff)
            self.logger.info("Stack Exchange asks to back off %ss after %s", backoff, url)
        if body.get("quota_remaining") == 0:
            self.stop("quota_remaining is 0", url)
        if body.get("error_name") in STOP_ERRORS:
            self.stop(f"{body.get('error_name')}: {body.get('error_message')}", url)

    def stop(self, reason: str, url: str) -> None:
        if self.stopped:
            return
        self.stopped = reason
        self.inc_stat("radar/quota_exhausted")
        self.logger.warning("Stack Exchange quota: %s at %s; no further requests", reason, url)

    def record_api_error(self, response: Response) -> bool:
        try:
            body = json.loads(response.text)
        except (AttributeError, ValueError):
            return False
        if not isinstance(body, dict) or "error_id" not in body:
            return False
        detail = f"{body.get('error_id')} {body.get('error_name')}: {body.get('error_message')}"
        self.record_parse_error("api_error", self.public_url(response.url), detail[:200])
        return True

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = self.public_url(response.url)
        ok, body = json_body(self, response)
        if not ok:
            return []
        if isinstance(body, dict) and self.record_api_error(response):
            return []
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        if body.get("has_more") is True:
            self.record_parse_warning("has_more", url, "more tags than one page")
        answers: dict[str, dict[str, Any]] = {}
        for entry in body["items"]:
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name:
                self.record_skipped_row("missing_name", url, repr(entry)[:80])
                continue
            answers[name.lower()] = entry
        batch = response_meta(response).get("radar_batch")
        if not batch:
            # extract(): the tags of the saved URL (or of the answer) belong to the one target.
            found = tags_of(response.url)
            asked = [t.lower() for t in found[2]] if found else list(answers)
            batch = {tag: [target] for tag in asked or answers}
        rows: list[Any] = []
        for tag, targets in batch.items():
            entry = answers.get(tag)
            sources = [t["source_id"] for t in targets]
            if entry is None:
                self.record_parse_error("tag_not_found", url, tag, sources=sources)
                continue
            count = entry.get("count")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                self.record_parse_error("bad_count", url, f"{tag}: {count!r}"[:80], sources=sources)
                continue
            synonyms = entry.get("has_synonyms")
            row = {
                "tag": entry["name"],
                "question_count": count,
                "has_synonyms": synonyms if isinstance(synonyms, bool) else None,
            }
            rows.extend((dict(row), t) for t in targets)
        return rows
