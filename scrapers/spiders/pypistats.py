"""pypistats: pypistats.org's overall downloads API → one DownloadsItem per answer, its
days as points.

URL: https://pypistats.org/api/packages/<package>/overall?mirrors=false. The body is
{"data": [{"category": "without_mirrors", "date": "2026-11-01", "downloads": 12345}, ...],
"package": "duckdb", "type": "overall_downloads"}. We keep the rows of the category the
URL asked for (mirrors=true → "with_mirrors", else "without_mirrors").
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

from scrapy.http import Response, TextResponse

from scrapers.items import DownloadsItem
from scrapers.spiders.base import RadarSpider
from scrapers.windows import sorted_points

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PACKAGE_IN_PATH_RE = re.compile(r"/api/packages/([^/]+)/")


def wanted_category(url: str) -> str:
    mirrors = parse_qs(urlparse(url).query).get("mirrors", ["false"])[-1].lower()
    return "with_mirrors" if mirrors in {"true", "1", "yes"} else "without_mirrors"


class PypistatsSpider(RadarSpider):
    name = "pypistats"
    item_class = DownloadsItem
    subject_field = "technology_id"
    series_key = "date"
    # the API has no date range: one answer holds the whole window, so a 304 is "no new day"
    conditional = True
    # The API explains 404 and 429 in the body: let them reach the callback to be recorded.
    handle_httpstatus_list: ClassVar[list[int]] = [400, 403, 404, 429, 500, 502, 503]

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[dict[str, Any]]:
        url = response.url
        if not isinstance(response, TextResponse):
            self.record_parse_error("not_text", url, type(response).__name__)
            return []
        try:
            body = json.loads(response.text)
        except ValueError as exc:
            self.record_parse_error("invalid_json", url, str(exc)[:120])
            return []
        if isinstance(body, dict) and "data" not in body and "message" in body:
            # pypistats explains errors as {"message": "..."}, sometimes with status 200.
            self.record_parse_error("api_error", url, str(body["message"])[:200])
            return []
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            self.record_parse_error("unexpected_shape", url, response.text[:120])
            return []
        package = body.get("package")
        if not isinstance(package, str) or not package:
            match = PACKAGE_IN_PATH_RE.search(urlparse(url).path)
            if not match:
                self.record_parse_error("missing_package", url)
                return []
            package = match.group(1)
        category = wanted_category(url)
        rows = []
        for row in body["data"]:
            if not isinstance(row, dict):
                self.record_skipped_row("not_an_object", url, repr(row)[:80])
                continue
            if row.get("category") != category:
                continue
            day, downloads = row.get("date"), row.get("downloads")
            if not _is_date(day):
                self.record_skipped_row("bad_date", url, repr(day)[:40])
                continue
            if not isinstance(downloads, int) or isinstance(downloads, bool) or downloads < 0:
                self.record_skipped_row("bad_downloads", url, f"{day}: {downloads!r}"[:60])
                continue
            rows.append({"date": day, "downloads": downloads})
        if not rows:
            self.record_parse_error("no_rows", url, f"no valid {category} rows")
            return []
        return [{"package": package, "category": category, "points": sorted_points(rows)}]


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
