"""github_releases: a GitHub repository's releases (REST API) → one ReleaseItem each.

URL (catalog): https://api.github.com/repos/<owner>/<repo>/releases?per_page=100. Each
page is a JSON array of {"id", "tag_name", "name", "published_at", "prerelease",
"draft", "html_url", "body" (Markdown)}; the next page is the Link header's
rel="next" URL, followed up to ``RADAR_MAX_PAGES`` pages (default 50). Drafts are
skipped (radar/skipped_rows/draft; the public API shows none without push access).
Errors come as {"message": "Not Found", "documentation_url": ...}.

Token and rate limits: see scrapers.github (shared with github_repo).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from scrapers.github import GithubApiMixin, header
from scrapers.items import SUMMARY_MAX_CHARS, ReleaseItem
from scrapers.releases import link_header_urls, parse_version
from scrapers.spiders.base import RadarSpider, json_body, response_meta
from scrapers.text import markdown_to_text, to_utc_iso, truncate


class GithubReleasesSpider(GithubApiMixin, RadarSpider):
    name = "github_releases"
    item_class = ReleaseItem
    subject_field = "competitor_id"
    conditional = True

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        ok, body = json_body(self, response)
        if not ok:
            return []
        if isinstance(body, dict):
            self.record_parse_error("api_error", url, str(body.get("message") or body)[:200])
            return []
        if not isinstance(body, list):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        rows: list[Any] = []
        for release in body:
            row = self.release_row(release, url)
            if row is not None:
                rows.append(row)
        if body and not rows and not all(_is_draft(r) for r in body):
            self.record_parse_error("no_rows", url, f"none of {len(body)} releases usable")
            return []
        next_url = link_header_urls(header(response, "Link")).get("next")
        if next_url:
            request = self.next_page(next_url, response, target)
            if request is not None:
                rows.append(request)
        return rows

    def next_page(self, next_url: str, response: Response, target: dict[str, Any]):
        page = response_meta(response).get("radar_page", 1)
        if not self.may_follow(response):
            return None
        if page >= self.setting_int("RADAR_MAX_PAGES", 50):
            self.record_parse_warning("page_limit_reached", response.url, f"{page} pages")
            return None
        return self.follow(next_url, target, meta={"radar_page": page + 1})

    def release_row(self, release: Any, url: str) -> dict[str, Any] | None:
        if not isinstance(release, dict):
            self.record_skipped_row("not_an_object", url, repr(release)[:80])
            return None
        release_id = release.get("id")
        if release_id in (None, "") or isinstance(release_id, bool | dict | list):
            self.record_skipped_row("missing_id", url, repr(release)[:80])
            return None
        if _is_draft(release):
            self.record_skipped_row("draft", url, f"release {release_id}")
            return None
        tag = (release.get("tag_name") or "").strip() or None
        name = (release.get("name") or "").strip() or None
        published_at = to_utc_iso(release.get("published_at"))
        if published_at is None:
            raw = release.get("published_at")
            self.record_skipped_row("bad_date", url, f"release {release_id}: {raw!r}"[:80])
            return None
        link = release.get("html_url")
        link = link if isinstance(link, str) and link.startswith(("http://", "https://")) else None
        summary = markdown_to_text(release.get("body"))
        prerelease = release.get("prerelease")
        return {
            "release_id": str(release_id),
            "title": name or tag or str(release_id),
            "version": parse_version(tag) or parse_version(name),
            "tag": tag,
            "published_at": published_at,
            "summary": truncate(summary, SUMMARY_MAX_CHARS) if summary else None,
            "link": link,
            "prerelease": prerelease if isinstance(prerelease, bool) else None,
        }


def _is_draft(release: Any) -> bool:
    return isinstance(release, dict) and release.get("draft") is True
