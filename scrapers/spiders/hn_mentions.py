"""hn_mentions: Hacker News stories matching a query, per week (Algolia HN Search API)
→ one MentionsItem per week.

URL (catalog): https://hn.algolia.com/api/v1/search_by_date?query=<q>&tags=story. The
weeks asked are the ``RADAR_HN_WEEKS`` (default 16) complete weeks before observed_at's
week (Monday 00:00 UTC to the next Monday, end excluded), those from the target's
``since`` on when the flow knows the weeks before it. Windows are ``numericFilters``
``created_at_i>=A,created_at_i<B`` (percent-encoded; A and B epoch seconds).

Several weeks are asked in one request: the window over all of them with
``hitsPerPage=1000`` (the API's page maximum), and the stories' ``created_at_i`` counted
per week. The API returns at most 1,000 hits per query: when the window holds more
(``nbHits`` above the hits returned), each week is asked again on its own with
``hitsPerPage=0`` and its ``nbHits`` read (no hits transferred). A single week is asked
that way directly. A week at or above 1,000 stories is still landed as counted, with
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


def window_url(url: str, start_ts: int, end_ts: int, hits: int = 0) -> str:
    parts = urlsplit(url)
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in OWN_PARAMS
    ]
    filters = f"created_at_i>={start_ts},created_at_i<{end_ts}"
    query = urlencode(kept, quote_via=quote)
    query += f"&numericFilters={quote(filters, safe='')}&hitsPerPage={hits}"
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
            asked = [week for week in weeks if week.start.date() >= first]
            if len(asked) == 1:
                yield self.week_request(target, asked[0])
            elif asked:
                yield self.follow(
                    window_url(target["url"], asked[0].start_ts, asked[-1].end_ts, HIT_CAP),
                    target,
                    meta={"radar_weeks": [(week.start_ts, week.end_ts) for week in asked]},
                    dont_filter=True,
                )

    def week_request(self, target: dict[str, Any], week: Week):
        return self.follow(
            window_url(target["url"], week.start_ts, week.end_ts),
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
        query = parse_qs(urlsplit(url).query).get("query", [body.get("query") or ""])[-1]
        if not isinstance(query, str) or not query.strip():
            self.record_parse_error("missing_query", url)
            return []
        windows = response_meta(response).get("radar_weeks")
        if windows:
            weeks = [week_of(*window) for window in windows]
            return self.count_hits(body, stories, query, weeks, target, url)
        week = self.week(response)
        if week is None:
            self.record_parse_error("no_window", url, "no created_at_i week window in the URL")
            return []
        return [self.week_row(query, week, stories, url)]

    def count_hits(
        self,
        body: dict,
        stories: int,
        query: str,
        weeks: list[Week],
        target: dict[str, Any],
        url: str,
    ) -> list[Any]:
        """Stories per week from the hits of one window; every week asked again alone when
        the window holds more stories than one answer returns."""
        hits = body.get("hits")
        if not isinstance(hits, list) or stories > len(hits):
            return [self.week_request(target, week) for week in weeks]
        counts = dict.fromkeys((week.start_ts for week in weeks), 0)
        for hit in hits:
            stamp = hit.get("created_at_i") if isinstance(hit, dict) else None
            week = next(
                (w for w in weeks if isinstance(stamp, int) and w.start_ts <= stamp < w.end_ts),
                None,
            )
            if week is None:
                self.record_skipped_row("hit_outside_window", url, repr(stamp))
                continue
            counts[week.start_ts] += 1
        return [self.week_row(query, week, counts[week.start_ts], None) for week in weeks]

    def week_row(self, query: str, week: Week, stories: int, url: str | None) -> dict[str, Any]:
        if stories >= HIT_CAP and url:
            self.record_parse_warning(
                "nbhits_at_hit_cap", url, f"{stories} stories in week {week.week_start}"
            )
        return {
            "query": query,
            "week_start": week.week_start,
            "stories": stories,
            "window_start": iso_utc(week.start),
            "window_end": iso_utc(week.end),
        }

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
