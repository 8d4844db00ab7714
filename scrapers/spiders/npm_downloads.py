"""npm_downloads: daily downloads of npm packages (api.npmjs.org) → one DownloadsItem
(category "npm") per package and answer, its days as points.

URL (catalog): https://api.npmjs.org/downloads/range/last-year/<package>. The spider asks
explicit windows instead: the ``RADAR_SIGNAL_DAYS`` (default 120) complete days before
observed_at (from the target's ``since`` when the flow knows the days before it), cut
into windows of at most ``RADAR_NPM_MAX_WINDOW_DAYS`` (default 365; the
API caps a range at 18 months and bulk ranges at 365 days):

- unscoped packages in bulk, up to ``RADAR_NPM_BATCH_SIZE`` (default 128, the API's
  maximum) per request: ``<base>/downloads/range/<start>:<end>/<a>,<b>,...``; the answer
  is an object keyed by package name, each {"package", "start", "end", "downloads":
  [{"day", "downloads"}]} or null for an unknown package;
- scoped packages (``@scope/name``, which bulk queries do not take) one per request:
  ``<base>/downloads/range/<start>:<end>/@scope/name``, answered {"package", "start",
  "end", "downloads": [...]}. A one-package bulk request gets this shape too.

Targets on the same host and path prefix are batched together (the demo web as well as
the real API); several targets naming the same package each get their rows. A package
the answer lacks, answers null or {"error": "package foo not found"} (HTTP 404) for
yields no rows: radar/parse_errors/package_not_found, logged with the URL and package.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.http import Response

from scrapers.items import DownloadsItem
from scrapers.spiders.base import RadarSpider, describe_error_body, json_body, response_meta
from scrapers.windows import (
    DEFAULT_SIGNAL_DAYS,
    daily_window,
    is_iso_date,
    since,
    sorted_points,
    split_window,
)

RANGE_PATH_RE = re.compile(r"^(?P<prefix>.*/downloads/range)/(?P<period>[^/]+)/(?P<package>.+)$")
MAX_BATCH = 128
MAX_WINDOW_DAYS = 365


def package_of(url: str) -> tuple[str, str] | None:
    """(API base up to .../downloads/range, package) from a downloads range URL."""
    parts = urlsplit(url)
    match = RANGE_PATH_RE.match(unquote(parts.path).rstrip("/"))
    if not match:
        return None
    return f"{parts.scheme}://{parts.netloc}{match['prefix']}", match["package"]


class NpmDownloadsSpider(RadarSpider):
    name = "npm_downloads"
    item_class = DownloadsItem
    subject_field = "technology_id"
    series_key = "date"
    handle_httpstatus_list: ClassVar[list[int]] = [400, 404, 429, 500, 502, 503]

    def target_requests(self):
        days = self.setting_int("RADAR_SIGNAL_DAYS", DEFAULT_SIGNAL_DAYS)
        first, last = daily_window(self.observed_at, days)
        # base → scoped? → first day → package → the targets asking for it (catalog order
        # kept). Targets share a request when they ask from the same day.
        groups: dict[tuple[str, bool, date], dict[str, list[dict[str, Any]]]] = {}
        for target in self.targets:
            if not isinstance(target, dict) or not target.get("url") or not target.get("source_id"):
                self.inc_stat("radar/invalid_targets")
                self.logger.error("Invalid target (needs url and source_id): %r", target)
                continue
            found = package_of(target["url"])
            if found is None:
                self.inc_stat("radar/invalid_targets")
                self.logger.error("Not an npm downloads range URL: %s", target["url"])
                continue
            base, package = found
            key = (base, package.startswith("@"), since(target, first))
            groups.setdefault(key, {}).setdefault(package, []).append(target)
        max_days = min(self.setting_int("RADAR_NPM_MAX_WINDOW_DAYS", MAX_WINDOW_DAYS), 540)
        batch_size = max(1, min(self.setting_int("RADAR_NPM_BATCH_SIZE", MAX_BATCH), MAX_BATCH))
        for (base, scoped, start_day), packages in groups.items():
            names = list(packages)
            size = 1 if scoped else batch_size
            for start, end in split_window(start_day, last, max_days):
                for i in range(0, len(names), size):
                    chunk = names[i : i + size]
                    yield self.batch_request(
                        f"{base}/{start.isoformat()}:{end.isoformat()}/{','.join(chunk)}",
                        {name: packages[name] for name in chunk},
                    )

    def batch_request(self, url: str, batch: dict[str, list[dict[str, Any]]]) -> scrapy.Request:
        first = next(iter(batch.values()))[0]
        return self.follow(url, first, meta={"radar_batch": batch}, dont_filter=True)

    def parse_target(self, response: Response, target: dict[str, Any]) -> list[Any]:
        if 200 <= response.status < 300:
            return list(super().parse_target(response, target))
        self.record_http_error(response)
        _, detail = describe_error_body(response)
        if response.status == 404:
            for package, targets in self.batch(response, target).items():
                self.record_parse_error(
                    "package_not_found",
                    response.url,
                    f"{package}: {detail}",
                    sources=[t["source_id"] for t in targets],
                )
        return []

    def batch(self, response: Response, target: dict[str, Any]) -> dict[str, list[dict]]:
        batch = response_meta(response).get("radar_batch")
        if batch:
            return batch
        found = package_of(response.url)
        return {found[1]: [target]} if found else {}

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if not isinstance(body, dict):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        if "error" in body:
            message = str(body["error"])[:200]
            if "not found" in message.lower():
                for package, targets in self.batch(response, target).items():
                    self.record_parse_error(
                        "package_not_found",
                        url,
                        f"{package}: {message}",
                        sources=[t["source_id"] for t in targets],
                    )
            else:
                self.record_parse_error("api_error", url, message)
            return []
        batch = self.batch(response, target)
        if isinstance(body.get("downloads"), list):
            # One package: {"package", "start", "end", "downloads": [...]}; it is the one asked.
            name = body.get("package")
            if not isinstance(name, str) or not name:
                name = next(iter(batch), "")
            answers = {name: body}
            if len(batch) == 1 and name not in batch:
                answers = {next(iter(batch)): body}
        else:
            answers = body
        if not response_meta(response).get("radar_batch"):
            # extract(): every package of the saved answer belongs to the one target.
            batch = {name: [target] for name in answers}
        rows: list[Any] = []
        for package, targets in batch.items():
            answer = answers.get(package)
            sources = [t["source_id"] for t in targets]
            if not isinstance(answer, dict):
                self.record_parse_error(
                    "package_not_found", url, f"{package}: {answer!r}"[:120], sources=sources
                )
                continue
            with self.handling({"radar_batch": {package: targets}}):
                days = self.daily_rows(answer, package, url)
            rows.extend((row, t) for row in days for t in targets)
        return rows

    def daily_rows(self, answer: dict[str, Any], package: str, url: str) -> list[dict[str, Any]]:
        series = answer.get("downloads")
        if not isinstance(series, list):
            self.record_parse_error("unexpected_shape", url, f"{package}: {str(answer)[:100]}")
            return []
        rows = []
        for point in series:
            if not isinstance(point, dict):
                self.record_skipped_row("not_an_object", url, repr(point)[:80])
                continue
            day, downloads = point.get("day"), point.get("downloads")
            if not is_iso_date(day):
                self.record_skipped_row("bad_date", url, f"{package}: {day!r}"[:80])
                continue
            if not isinstance(downloads, int) or isinstance(downloads, bool) or downloads < 0:
                self.record_skipped_row("bad_downloads", url, f"{package} {day}: {downloads!r}")
                continue
            rows.append({"date": day, "downloads": downloads})
        if not rows:
            self.record_parse_error("no_rows", url, f"{package}: no valid days")
            return []
        return [{"package": package, "category": "npm", "points": sorted_points(rows)}]
