"""feed: a release-notes feed (RSS or Atom, through feedparser) → one ReleaseItem per entry.

The body's bytes go to feedparser with the response URL as base (relative links and
ids are resolved against it) and the response's Content-Type (its charset is a hint
feedparser may override). release_id: the entry's id/guid, else its link. link: made
absolute. published_at: published, else updated, in UTC (feedparser's parsed time,
dateparser on the raw text as a fallback); an entry without a readable date is
skipped and counted (radar/skipped_rows/bad_date). version: from the title ("v2.4.0",
"Release 2.4", "2.4.0-rc.1"). summary: the summary's (or content's) HTML as plain
text, at most 2000 characters. A feed feedparser calls "bozo" (bad XML, a declared
encoding that is wrong) is recorded as a parse warning and its entries still read;
one with no entries at all is a parse error.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urljoin

import feedparser
from scrapy.http import Response

from scrapers.items import SUMMARY_MAX_CHARS, ReleaseItem
from scrapers.releases import parse_version
from scrapers.spiders.base import RadarSpider
from scrapers.text import html_to_text, parse_date_text, to_utc_iso, truncate


class FeedSpider(RadarSpider):
    name = "feed"
    item_class = ReleaseItem
    subject_field = "competitor_id"
    conditional = True
    handle_httpstatus_list: ClassVar[list[int]] = [404, 410]

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[dict[str, Any]]:
        url = response.url
        headers = {"content-location": url}
        content_type = response.headers.get(b"Content-Type")
        if content_type:
            headers["content-type"] = content_type.decode("latin-1")
        # Bytes, never str: feedparser would take a str for a URL or a file name.
        parsed = feedparser.parse(bytes(response.body), response_headers=headers)
        entries = parsed.get("entries") or []
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            reason = "wrong_encoding" if "Encoding" in type(problem).__name__ else "malformed_feed"
            self.record_parse_warning(reason, url, f"{type(problem).__name__}: {problem}"[:200])
        if not entries:
            version = parsed.get("version") or ""
            reason = "no_entries" if version else "not_a_feed"
            self.record_parse_error(reason, url, version or response.body[:80].decode("latin-1"))
            return []
        rows = []
        for entry in entries:
            row = self.entry_row(entry, url)
            if row is not None:
                rows.append(row)
        if not rows:
            self.record_parse_error("no_rows", url, f"none of {len(entries)} entries usable")
        return rows

    def entry_row(self, entry: Any, url: str) -> dict[str, Any] | None:
        title = html_to_text(entry.get("title")) or None
        link = entry.get("link")
        link = urljoin(url, link.strip()) if isinstance(link, str) and link.strip() else None
        release_id = (entry.get("id") or "").strip() or link
        if not release_id:
            self.record_skipped_row("missing_id", url, f"entry {title!r}"[:80])
            return None
        published_at = None
        # dict.get: FeedParserDict.get maps updated → published with a DeprecationWarning.
        for key in ("published", "updated", "created"):
            published_at = to_utc_iso(dict.get(entry, f"{key}_parsed")) or parse_date_text(
                dict.get(entry, key)
            )
            if published_at:
                break
        if published_at is None:
            raw = dict.get(entry, "published") or dict.get(entry, "updated")
            self.record_skipped_row("bad_date", url, f"{release_id}: {raw!r}"[:120])
            return None
        summary = entry.get("summary")
        if not summary and entry.get("content"):
            summary = (entry["content"][0] or {}).get("value")
        summary_text = html_to_text(summary)
        return {
            "release_id": release_id,
            "title": title or link or release_id,
            "version": parse_version(title),
            "tag": None,
            "published_at": published_at,
            "summary": truncate(summary_text, SUMMARY_MAX_CHARS) if summary_text else None,
            "link": link if link and link.startswith(("http://", "https://")) else None,
            "prerelease": None,
        }
