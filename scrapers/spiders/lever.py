"""lever: Lever's public postings API → one JobItem per published posting.

URL (catalog): https://api.lever.co/v0/postings/<site>?mode=json. The spider pages
with ``skip`` and ``limit`` (setting ``RADAR_LEVER_PAGE_SIZE``, default 100): it asks
for the next page while a page comes back full, up to ``RADAR_MAX_PAGES`` pages
(default 50; reaching it is recorded as a parse warning). Each page is a JSON array of
{"id", "text", "categories": {"team", "department", "location", "commitment",
"allLocations"}, "workplaceType" (remote|hybrid|on-site|unspecified), "createdAt"
(epoch ms), "descriptionPlain", "lists": [{"text", "content" (HTML)}],
"additionalPlain", "hostedUrl", "applyUrl", "salaryRange": {"min", "max",
"currency", "interval" ("per-year-salary", "per-hour-wage"...)}}.
Errors come as {"ok": false, "error": "Document not found"}.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

from scrapy.http import Response

from scrapers.items import JobItem
from scrapers.jobs import NO_SALARY, employment_type, first_text, salary_range, workplace_type
from scrapers.spiders.base import RadarSpider, json_body, response_meta
from scrapers.text import clean_lines, html_to_text, to_utc_iso


def with_query(url: str, **params: Any) -> str:
    """The URL with these query parameters set (others kept, in order)."""
    parts = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    query.update({k: str(v) for k, v in params.items()})
    return urlunparse(parts._replace(query=urlencode(query)))


def query_int(url: str, name: str, default: int) -> int:
    values = parse_qs(urlparse(url).query).get(name)
    try:
        return int(values[-1]) if values else default
    except ValueError:
        return default


class LeverSpider(RadarSpider):
    name = "lever"
    item_class = JobItem
    subject_field = "competitor_id"
    handle_httpstatus_list: ClassVar[list[int]] = [400, 401, 403, 404, 410, 429, 500]

    def request_headers(self, url: str) -> dict[str, str]:
        return {"Accept": "application/json"}

    def start_url(self, target: dict[str, Any]) -> str:
        url = with_query(target["url"], mode="json")
        if "limit" in parse_qs(urlparse(url).query):
            return with_query(url, skip=query_int(url, "skip", 0))
        return with_query(url, skip=0, limit=self.setting_int("RADAR_LEVER_PAGE_SIZE", 100))

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if isinstance(body, dict):
            # {"ok": false, "error": "Document not found"}
            detail = body.get("error") or body.get("message") or body
            self.record_parse_error("api_error", url, str(detail)[:200])
            return []
        if not isinstance(body, list):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        rows: list[Any] = []
        for posting in body:
            row = self.posting_row(posting, url)
            if row is not None:
                rows.append(row)
        if body and not rows:
            self.record_parse_error("no_rows", url, f"none of {len(body)} postings usable")
            return []
        limit = query_int(url, "limit", 0)
        if limit and len(body) >= limit:
            page = response_meta(response).get("radar_page", 1)
            if page >= self.setting_int("RADAR_MAX_PAGES", 50):
                self.record_parse_warning("page_limit_reached", url, f"{page} pages")
            else:
                skip = query_int(url, "skip", 0) + limit
                rows.append(
                    self.follow(with_query(url, skip=skip), target, meta={"radar_page": page + 1})
                )
        return rows

    def posting_row(self, posting: Any, url: str) -> dict[str, Any] | None:
        if not isinstance(posting, dict):
            self.record_skipped_row("not_an_object", url, repr(posting)[:80])
            return None
        job_id, title = first_text(posting.get("id")), first_text(posting.get("text"))
        if not job_id:
            self.record_skipped_row("missing_id", url, repr(posting)[:80])
            return None
        if not title:
            self.record_skipped_row("missing_title", url, f"posting {job_id}")
            return None
        categories = posting.get("categories")
        categories = categories if isinstance(categories, dict) else {}
        created = posting.get("createdAt")
        posted_at = to_utc_iso(created)
        if created is not None and posted_at is None:
            self.record_parse_warning("bad_date", url, f"posting {job_id}: {created!r}"[:80])
        salary = posting.get("salaryRange")
        found = None
        if isinstance(salary, dict):
            found = salary_range(
                salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("interval")
            )
        return {
            "job_id": job_id,
            "title": title,
            "department": first_text(categories.get("department")),
            "team": first_text(categories.get("team")),
            "location": first_text(categories.get("location"))
            or first_text(categories.get("allLocations")),
            "workplace_type": workplace_type(posting.get("workplaceType")),
            "employment_type": employment_type(categories.get("commitment")),
            **(found or NO_SALARY),
            "posted_at": posted_at,
            "updated_at": to_utc_iso(posting.get("updatedAt")),
            "description": _description(posting),
            "apply_url": _absolute(posting.get("applyUrl")) or _absolute(posting.get("hostedUrl")),
        }


def _description(posting: dict[str, Any]) -> str:
    parts = [clean_lines(str(posting.get("descriptionPlain") or ""))]
    if not parts[0]:
        parts = [html_to_text(posting.get("description"))]
    for section in posting.get("lists") or []:
        if isinstance(section, dict):
            heading = first_text(section.get("text"))
            body = html_to_text(str(section.get("content") or ""))
            parts.append("\n".join(p for p in (heading, body) if p))
    parts.append(clean_lines(str(posting.get("additionalPlain") or "")))
    return "\n".join(p for p in parts if p)


def _absolute(value: Any) -> str | None:
    text = first_text(value)
    return text if text and text.startswith(("http://", "https://")) else None
