"""hn_mentions: Hacker News stories matching a query, per week (Algolia HN Search API)
→ one MentionsItem per week.

URL (catalog): https://hn.algolia.com/api/v1/search_by_date?query=<q>&tags=story. For
each of the ``RADAR_HN_WEEKS`` (default 16) complete weeks before observed_at's week
(those from the target's ``since`` on, when the flow knows the weeks before it)
(Monday 00:00 UTC to the next Monday, end excluded) the spider asks
``<url>&numericFilters=created_at_i%3E%3D<A>%2Ccreated_at_i%3C<B>&hitsPerPage=0``
(numericFilters ``created_at_i>=A,created_at_i<B`` percent-encoded; A and B epoch
seconds) and reads ``nbHits``: the number of matching stories in the window. No hits
are transferred. The API returns at most 1,000 hits per query but counts all of them in
nbHits; a week at or above 1,000 is still landed as counted, with
radar/parse_warnings/nbhits_at_hit_cap so a reader knows the query is broad.
Errors: {"message": ..., "status": 400} bodies are recorded as radar/parse_errors/api_error.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from scrapers.items import MentionsItem
from scrapers.spiders.base import RadarSpider, json_body, response_meta
from scrapers.text import iso_utc
from scrapers.windows import Week, complete_weeks, since, week_of

HIT_CAP = 1000
#: Parameters the spider sets itself; a catalog URL's own values are replaced.
OWN_PARAMS = frozenset({"numericFilters", "hitsPerPage", "page"})
WINDOW_RE = re.compile(r"created_at_i>=(\d+),created_at_i<(\d+)")


def window_url(url: str, week: Week) -> str:
    parts = urlsplit(url)
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in OWN_PARAMS
    ]
    filters = f"created_at_i>={week.start_ts},created_at_i<{week.end_ts}"
    query = urlencode(kept, quote_via=quote)
    query += f"&numericFilters={quote(filters, safe='')}&hitsPerPage=0"
    return urlunsplit(parts._replace(query=query.lstrip("&")))


class HnMentionsSpider(RadarSpider):
    name = "hn_mentions"
    item_class = MentionsItem
    subject_field = "technology_id"
    series_key = "week_start"
    handle_httpstatus_list: ClassVar[list[int]] = [400, 403, 404, 429, 500, 502, 503]

    def target_requests(self):
        weeks = list(complete_weeks(self.observed_at, self.setting_int("RADAR_HN_WEEKS", 16)))
        for request in super().target_requests():
            target = request.meta["target"]
            first = since(target, weeks[0].start.date())
            for week in weeks:
                if week.start.date() < first:
                    continue
                yield self.follow(
                    window_url(target["url"], week),
                    target,
                    meta={"radar_week": (week.start_ts, week.end_ts)},
                    dont_filter=True,
                )

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if not isinstance(body, dict):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        if "nbHits" not in body and "message" in body:
            self.record_parse_error("api_error", url, str(body["message"])[:200])
            return []
        stories = body.get("nbHits")
        if not isinstance(stories, int) or isinstance(stories, bool) or stories < 0:
            self.record_parse_error("bad_nbhits", url, f"nbHits={stories!r}"[:80])
            return []
        week = self.week(response)
        if week is None:
            self.record_parse_error("no_window", url, "no created_at_i week window in the URL")
            return []
        query = parse_qs(urlsplit(url).query).get("query", [body.get("query") or ""])[-1]
        if not isinstance(query, str) or not query.strip():
            self.record_parse_error("missing_query", url)
            return []
        if stories >= HIT_CAP:
            self.record_parse_warning(
                "nbhits_at_hit_cap", url, f"{stories} stories in week {week.week_start}"
            )
        return [
            {
                "query": query,
                "week_start": week.week_start,
                "stories": stories,
                "window_start": iso_utc(week.start),
                "window_end": iso_utc(week.end),
            }
        ]

    def week(self, response: Response) -> Week | None:
        bounds = response_meta(response).get("radar_week")
        if bounds is None:
            # extract(): the window is in the saved URL's numericFilters.
            filters = parse_qs(urlsplit(response.url).query).get("numericFilters", [""])[-1]
            match = WINDOW_RE.search(filters.replace(" ", ""))
            if not match:
                return None
            bounds = (int(match[1]), int(match[2]))
        return week_of(*bounds)
