"""jobposting: careers pages with schema.org JobPosting → one JobItem per posting.

The catalog URL is a careers index. Its own JobPostings (JSON-LD or microdata) are
read, and links to posting pages are followed (once each; those pages are read for
JobPostings and not followed further). Which links: the catalog selectors' ``links``
key when given (``links=a.job-link``), else links on the same host whose path goes
below the index's path (/careers → /careers/backend-engineer) or contains /job(s)/,
/careers/, /positions/, /openings/, /vacancies/. Links to postings the index already
carried in full are not followed.

JobPosting → JobItem: identifier (PropertyValue value or text; else the posting's url,
else the page URL) → job_id; employmentType FULL_TIME/PART_TIME/CONTRACTOR/INTERN/
TEMPORARY → full-time/part-time/contract/internship/temporary; jobLocationType
TELECOMMUTE → remote, otherwise a jobLocation → onsite ("hybrid" in the title or
location → hybrid); baseSalary MonetaryAmount {currency, value: QuantitativeValue
{minValue, maxValue | value, unitText YEAR/MONTH/WEEK/DAY/HOUR}}; description HTML →
plain text; datePosted → posted_at; dateModified → updated_at; department: the
(non-standard, common) ``department`` property or hiringOrganization.department.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

from cssselect import SelectorError
from scrapy.http import Response, TextResponse

from scrapers.cards import parse_selectors
from scrapers.items import JobItem
from scrapers.jobs import (
    NO_SALARY,
    employment_type,
    first_text,
    salary_from_text,
    salary_range,
    workplace_from_location,
)
from scrapers.spiders.base import RadarSpider, response_meta
from scrapers.structured import json_ld_nodes, microdata_nodes, rdfa_nodes
from scrapers.text import html_to_text, to_utc_iso

POSTING_PATH_RE = re.compile(r"/(?:jobs?|careers?|positions?|openings?|vacanc(?:y|ies))/", re.I)
SKIP_LINK_RE = re.compile(
    r"\.(?:pdf|png|jpe?g|gif|svg|css|js|zip)$|^(?:mailto|tel|javascript):", re.I
)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(t).rsplit("/", 1)[-1] for t in values if t}


def job_postings_in(nodes: Any) -> list[dict[str, Any]]:
    """JobPosting nodes anywhere in JSON-LD / microdata: @graph, item lists, mainEntity."""
    found: list[dict[str, Any]] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
            return
        if not isinstance(node, dict):
            return
        if "JobPosting" in _types(node):
            found.append(node)
            return
        for key in ("@graph", "itemListElement", "item", "mainEntity", "hasPart"):
            if key in node:
                visit(node[key])

    visit(nodes)
    return found


class JobpostingSpider(RadarSpider):
    name = "jobposting"
    item_class = JobItem
    subject_field = "competitor_id"

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        if not self.html_response(response):
            return []
        is_posting_page = response_meta(response).get("radar_kind") == "posting"

        def warn(reason: str, detail: str) -> None:
            self.record_parse_warning(reason, url, detail)

        nodes = json_ld_nodes(response.selector, warn)
        postings = job_postings_in(nodes)
        if not postings:
            postings = job_postings_in(microdata_nodes(response.text, url, warn))
        if not postings:
            postings = job_postings_in(rdfa_nodes(response.text, url, warn))
        rows: list[Any] = []
        seen: set[str] = set()
        for node in postings:
            row = self.posting_row(node, url)
            if row is not None and row["job_id"] not in seen:
                seen.add(row["job_id"])
                rows.append(row)
        if is_posting_page:
            if not rows:
                self.record_parse_error("no_job_posting", url)
            return rows
        carried = {r["apply_url"] for r in rows} | {r["job_id"] for r in rows}
        links = [link for link in self.posting_links(response, target) if link not in carried]
        rows.extend(self.follow(link, target, meta={"radar_kind": "posting"}) for link in links)
        if not rows:
            self.record_parse_error("no_postings_found", url, "no JobPosting and no posting links")
        return rows

    def posting_links(self, response: TextResponse, target: dict[str, Any]) -> list[str]:
        selectors = parse_selectors(target.get("selectors"))
        css = selectors.get("links")
        hrefs: list[str] = []
        try:
            # The selector may name the links themselves or elements holding them.
            for node in response.css(css) if css else response.css("a[href]"):
                own = node.attrib.get("href")
                hrefs.extend([own] if own else node.css("a::attr(href)").getall())
        except SelectorError as exc:
            self.record_parse_warning("bad_selectors", response.url, f"{css}: {exc}")
            return []
        index = urlparse(response.url)
        index_path = index.path.rstrip("/")
        links: list[str] = []
        for href in hrefs:
            href = href.strip()
            if not href or href.startswith("#") or SKIP_LINK_RE.search(href):
                continue
            link = urldefrag(urljoin(response.url, href))[0]
            parts = urlparse(link)
            if parts.scheme not in {"http", "https"} or link == response.url or link in links:
                continue
            if css is None:
                if parts.netloc != index.netloc:
                    continue
                below_index = index_path and parts.path.startswith(index_path + "/")
                if not (below_index or POSTING_PATH_RE.search(parts.path + "/")):
                    continue
                if parts.path.rstrip("/") == index_path:
                    continue
            links.append(link)
        return links

    def posting_row(self, node: dict[str, Any], page_url: str) -> dict[str, Any] | None:
        title = first_text(node.get("title")) or first_text(node.get("name"))
        if not title:
            self.record_skipped_row("missing_title", page_url, repr(node)[:80])
            return None
        posting_url = first_text(node.get("url"))
        posting_url = urljoin(page_url, posting_url) if posting_url else None
        job_id = _identifier(node.get("identifier")) or posting_url or page_url
        location = _location(node.get("jobLocation"))
        remote = any(
            str(v).strip().upper() == "TELECOMMUTE" for v in _as_list(node.get("jobLocationType"))
        )
        if remote:
            workplace = "remote"
            if not location:
                # Where a remote applicant may live (countries, states) is the location.
                allowed = _location(node.get("applicantLocationRequirements"))
                location = f"Remote ({allowed})" if allowed else "Remote"
        else:
            workplace = workplace_from_location(f"{title} {location or ''}") or (
                "onsite" if location else "unknown"
            )
        posted_raw = first_text(node.get("datePosted"))
        posted_at = to_utc_iso(posted_raw)
        if posted_raw and posted_at is None:
            self.record_parse_warning("bad_date", page_url, f"{title}: {posted_raw!r}"[:80])
        organization = node.get("hiringOrganization")
        # department (common, not schema.org), employmentUnit (schema.org's: the
        # OrganizationRole or unit the job is in), the organisation's own department.
        unit = node.get("employmentUnit")
        department = (
            first_text(node.get("department"))
            or first_text(unit)
            or (first_text(unit.get("roleName")) if isinstance(unit, dict) else None)
        )
        if not department and isinstance(organization, dict):
            department = first_text(organization.get("department"))
        return {
            "job_id": job_id,
            "title": title,
            "department": department,
            "team": None,
            "location": location,
            "workplace_type": workplace,
            "employment_type": employment_type(node.get("employmentType")),
            **(_salary(node) or NO_SALARY),
            "posted_at": posted_at,
            "updated_at": to_utc_iso(first_text(node.get("dateModified"))),
            "description": html_to_text(first_text_raw(node.get("description")), unescape=True),
            "apply_url": posting_url or page_url,
            "hiring_organization": (
                first_text(organization.get("name"))
                if isinstance(organization, dict)
                else first_text(organization)
            ),
        }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first_text_raw(value: Any) -> str | None:
    """Like first_text, but keeping line structure (HTML descriptions)."""
    for one in _as_list(value):
        if isinstance(one, str) and one.strip():
            return one
    return None


def _identifier(value: Any) -> str | None:
    for one in _as_list(value):
        if isinstance(one, dict):
            text = first_text(one.get("value")) or first_text(one.get("@id"))
        else:
            text = first_text(one)
        if text:
            return text
    return None


def _location(value: Any) -> str | None:
    names = []
    for place in _as_list(value):
        if isinstance(place, str):
            text = first_text(place)
        elif isinstance(place, dict):
            address = place.get("address")
            if isinstance(address, dict):
                parts = [
                    first_text(address.get(k))
                    for k in ("addressLocality", "addressRegion", "addressCountry")
                ]
                text = ", ".join(p for p in parts if p) or first_text(place.get("name"))
            else:
                text = first_text(address) or first_text(place.get("name"))
        else:
            text = None
        if text and text not in names:
            names.append(text)
    return "; ".join(names) or None


def _salary(node: dict[str, Any]) -> dict[str, Any] | None:
    """baseSalary / estimatedSalary as a MonetaryAmount (value a QuantitativeValue range,
    a QuantitativeValue or a number), a MonetaryAmountDistribution (percentiles), or, as
    schema.org also allows, a bare Number or Text ("60,000 - 70,000 per year") with the
    posting's salaryCurrency."""
    for key in ("baseSalary", "estimatedSalary"):
        for amount in _as_list(node.get(key)):
            if isinstance(amount, int | float | str) and not isinstance(amount, bool):
                found = salary_from_text(str(amount), first_text(node.get("salaryCurrency")))
                if found:
                    return found
                continue
            if not isinstance(amount, dict):
                continue
            currency = first_text(amount.get("currency")) or first_text(node.get("salaryCurrency"))
            value = amount.get("value")
            if isinstance(value, dict):
                low = value.get("minValue", value.get("value", value.get("percentile10")))
                high = value.get("maxValue", value.get("value", value.get("percentile90")))
                unit = value.get("unitText") or amount.get("unitText")
            else:
                low = high = value
                unit = amount.get("unitText")
            found = salary_range(low, high, currency, unit)
            if found:
                return found
    return None
