"""wikipedia_pageviews: daily views of a Wikipedia article by users (Wikimedia REST
pageviews API) → one PageviewsItem per answer, its days as points.

URL (catalog): https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/
en.wikipedia/all-access/user/<Article>/daily. The spider appends
``/<start YYYYMMDD00>/<end YYYYMMDD00>``: the ``RADAR_SIGNAL_DAYS`` (default 120) complete
days before observed_at, both ends inclusive (from the target's ``since`` when the flow
knows the days before it). The answer is {"items": [{"project",
"article", "granularity", "timestamp": "2026110100", "access", "agent", "views"}]}.
Days without views are absent from the answer (not landed as 0).

A 404 answers {"type": ".../errors/not_found", "title": "Not found.", "detail": "The
date(s) you used are valid, but we either do not have data for those date(s), or the
project you asked for is not loaded yet...", ...}: no items, recorded as
radar/http_errors/404 and radar/error_bodies/json with the detail. Wikimedia asks for a
User-Agent with contact details: the project's USER_AGENT carries one.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit, urlunsplit

from scrapy.http import Response

from scrapers.items import PageviewsItem
from scrapers.spiders.base import RadarSpider, json_body
from scrapers.windows import DEFAULT_SIGNAL_DAYS, daily_window, is_iso_date, since, sorted_points

DAILY_PATH_RE = re.compile(r"^(?P<path>.*/per-article/[^/]+/[^/]+/[^/]+/(?P<article>[^/]+)/daily)")
TIMESTAMP_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?$")


class WikipediaPageviewsSpider(RadarSpider):
    name = "wikipedia_pageviews"
    item_class = PageviewsItem
    subject_field = "technology_id"
    series_key = "date"
    handle_httpstatus_list: ClassVar[list[int]] = [400, 403, 404, 429, 500, 502, 503]

    def start_url(self, target: dict[str, Any]) -> str:
        parts = urlsplit(target["url"])
        match = DAILY_PATH_RE.match(parts.path)
        # A URL that already carries dates gets them replaced: the window is observed_at's.
        path = match["path"] if match else parts.path.rstrip("/")
        start, end = daily_window(
            self.observed_at, self.setting_int("RADAR_SIGNAL_DAYS", DEFAULT_SIGNAL_DAYS)
        )
        path += f"/{since(target, start):%Y%m%d}00/{end:%Y%m%d}00"
        return urlunsplit(parts._replace(path=path))

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if not isinstance(body, dict):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        if "items" not in body and ("detail" in body or "title" in body):
            self.record_parse_error("api_error", url, str(body.get("detail") or body["title"]))
            return []
        if not isinstance(body.get("items"), list):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        match = DAILY_PATH_RE.match(urlsplit(url).path)
        url_article = unquote(match["article"]) if match else None
        rows: dict[str, list[dict[str, Any]]] = {}
        for entry in body["items"]:
            if not isinstance(entry, dict):
                self.record_skipped_row("not_an_object", url, repr(entry)[:80])
                continue
            day = _day(entry.get("timestamp"))
            if day is None:
                self.record_skipped_row("bad_date", url, repr(entry.get("timestamp"))[:40])
                continue
            views = entry.get("views")
            if not isinstance(views, int) or isinstance(views, bool) or views < 0:
                self.record_skipped_row("bad_views", url, f"{day}: {views!r}"[:60])
                continue
            article = entry.get("article")
            article = article if isinstance(article, str) and article else url_article
            if not article:
                self.record_skipped_row("missing_article", url, day)
                continue
            rows.setdefault(article, []).append({"date": day, "views": views})
        if not rows:
            self.record_parse_error("no_rows", url, "no valid daily views")
        return [
            {"article": article, "points": sorted_points(points)}
            for article, points in rows.items()
        ]


def _day(timestamp: Any) -> str | None:
    """ "2026110100" → "2026-11-01"; None when it is not a real date."""
    if not isinstance(timestamp, str):
        return None
    match = TIMESTAMP_RE.match(timestamp)
    if not match:
        return None
    day = f"{match[1]}-{match[2]}-{match[3]}"
    return day if is_iso_date(day) else None
