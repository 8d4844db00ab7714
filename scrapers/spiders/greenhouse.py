"""greenhouse: Greenhouse's public Job Board API → one JobItem per open job.

URL (catalog): https://boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true.
The body is {"jobs": [{"id", "title", "updated_at", "first_published", "location":
{"name"}, "absolute_url", "content" (HTML, itself HTML-escaped), "departments":
[{"name"}], "offices": [{"name"}], "metadata": [{"name", "value", "value_type"}]}],
"meta": {"total"}}: every job in one response (the API does not page).
Errors come as {"status": 404, "error": "..."}.

Values the API has no field for are read from the job's custom fields (metadata) when
the board publishes them, matched by name: "Employment Type" (or "Job Type",
"Commitment"), "Workplace Type" (or "Location Type", "Remote"), "Team", and a salary as
a currency_range field ({"min_value", "max_value", "unit"}) whose name may state the
period ("Salary Range (Annual)"). ``pay_input_ranges`` (min_cents/max_cents,
currency_type) are read too when present. Otherwise the workplace comes from the
location's wording ("Remote - US") and stays "unknown" when it says nothing.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scrapy.http import Response

from scrapers.items import JobItem
from scrapers.jobs import (
    NO_SALARY,
    employment_type,
    first_text,
    salary_range,
    workplace_from_location,
    workplace_type,
)
from scrapers.spiders.base import RadarSpider, json_body
from scrapers.text import html_to_text, to_utc_iso

_EMPLOYMENT_FIELD_RE = re.compile(r"employment|job\s*type|commitment|contract\s*type", re.I)
_WORKPLACE_FIELD_RE = re.compile(r"workplace|location\s*type|remote|work\s*model", re.I)
_TEAM_FIELD_RE = re.compile(r"^\s*team\s*$", re.I)
_SALARY_FIELD_RE = re.compile(r"salary|pay|compensation", re.I)


class GreenhouseSpider(RadarSpider):
    name = "greenhouse"
    item_class = JobItem
    subject_field = "competitor_id"
    conditional = True
    handle_httpstatus_list: ClassVar[list[int]] = [400, 401, 403, 404, 410, 422, 429, 500]

    def request_headers(self, url: str) -> dict[str, str]:
        return {"Accept": "application/json"}

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[dict[str, Any]]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if isinstance(body, dict) and "jobs" not in body and ("error" in body or "status" in body):
            self.record_parse_error("api_error", url, str(body.get("error") or body)[:200])
            return []
        if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        jobs = body["jobs"]
        total = (
            (body.get("meta") or {}).get("total") if isinstance(body.get("meta"), dict) else None
        )
        if isinstance(total, int) and total > len(jobs):
            self.record_parse_warning("incomplete_list", url, f"{len(jobs)} of {total} jobs")
        rows = []
        for job in jobs:
            row = self.job_row(job, url)
            if row is not None:
                rows.append(row)
        if not rows and jobs:
            self.record_parse_error("no_rows", url, f"none of {len(jobs)} jobs usable")
        return rows

    def job_row(self, job: Any, url: str) -> dict[str, Any] | None:
        if not isinstance(job, dict):
            self.record_skipped_row("not_an_object", url, repr(job)[:80])
            return None
        job_id, title = job.get("id"), first_text(job.get("title"))
        if job_id in (None, "") or isinstance(job_id, bool | dict | list):
            self.record_skipped_row("missing_id", url, repr(job)[:80])
            return None
        if not title:
            self.record_skipped_row("missing_title", url, f"job {job_id}")
            return None
        metadata = _metadata(job.get("metadata"))
        location = first_text(job.get("location"))
        offices = [first_text(o) for o in job.get("offices") or [] if first_text(o)]
        location = location or ("; ".join(offices) if offices else None)
        workplace = workplace_type(_field(metadata, _WORKPLACE_FIELD_RE))
        if workplace == "unknown":
            workplace = workplace_type(workplace_from_location(location))
        posted_raw, updated_raw = job.get("first_published"), job.get("updated_at")
        posted_at, updated_at = to_utc_iso(posted_raw), to_utc_iso(updated_raw)
        if posted_raw and posted_at is None:
            self.record_parse_warning("bad_date", url, f"job {job_id}: {posted_raw!r}"[:80])
        if updated_raw and updated_at is None:
            self.record_parse_warning("bad_date", url, f"job {job_id}: {updated_raw!r}"[:80])
        return {
            "job_id": str(job_id),
            "title": title,
            "department": first_text(job.get("departments")),
            "team": first_text(_field(metadata, _TEAM_FIELD_RE)),
            "location": location,
            "workplace_type": workplace,
            "employment_type": employment_type(_field(metadata, _EMPLOYMENT_FIELD_RE)),
            **(_salary(job, metadata) or NO_SALARY),
            "posted_at": posted_at,
            "updated_at": updated_at,
            "description": html_to_text(job.get("content"), unescape=True),
            "apply_url": _absolute(job.get("absolute_url")),
        }


def _metadata(value: Any) -> list[dict[str, Any]]:
    return [m for m in value or [] if isinstance(m, dict)] if isinstance(value, list) else []


def _field(metadata: list[dict[str, Any]], name_re: re.Pattern[str]) -> Any:
    for field in metadata:
        if name_re.search(str(field.get("name") or "")) and field.get("value") not in (None, ""):
            return field["value"]
    return None


def _salary(job: dict[str, Any], metadata: list[dict[str, Any]]) -> dict[str, Any] | None:
    for pay in job.get("pay_input_ranges") or []:
        if isinstance(pay, dict):
            low, high = pay.get("min_cents"), pay.get("max_cents")
            found = salary_range(
                low / 100 if isinstance(low, int | float) else None,
                high / 100 if isinstance(high, int | float) else None,
                pay.get("currency_type"),
                f"{pay.get('title') or ''} {pay.get('blurb') or ''}",
            )
            if found:
                return found
    for field in metadata:
        value = field.get("value")
        if (
            field.get("value_type") == "currency_range"
            or _SALARY_FIELD_RE.search(str(field.get("name") or ""))
        ) and isinstance(value, dict):
            found = salary_range(
                value.get("min_value"), value.get("max_value"), value.get("unit"), field.get("name")
            )
            if found:
                return found
    return None


def _absolute(value: Any) -> str | None:
    text = first_text(value)
    return text if text and text.startswith(("http://", "https://")) else None
