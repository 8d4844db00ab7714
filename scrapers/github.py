"""What the GitHub REST spiders (github_releases, github_repo) share: the token, the
request headers and the rate-limit stop.

Token: optional, from the environment variable GITHUB_TOKEN of the crawl process (the
flow passes its environment on) or the spider argument ``-a github_token=...``. Not a
``-s`` setting: Scrapy logs overridden settings at start-up. The token is sent only to
https://api.github.com (and, for the offline demo, to the demo web's stand-in for it, the
URL prefix in the setting ``RADAR_GITHUB_STAND_IN``) and never logged.

Rate limits: when a response says X-RateLimit-Remaining: 0 the spider stops asking
GitHub (no further pages, no further targets), records ``radar/rate_limited`` and logs
when X-RateLimit-Reset says the quota comes back; targets not requested because of it
count in ``radar/rate_limited/skipped_requests``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from scrapy.http import Response

TOKEN_HOSTS = frozenset({"api.github.com"})
API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def header(response: Response, name: str) -> str | None:
    """A response header as text, stripped; None when absent or empty."""
    value = response.headers.get(name)
    return value.decode("latin-1").strip() or None if value else None


class GithubApiMixin:
    """Mixed into a RadarSpider (before it in the bases) talking to the GitHub REST API."""

    # GitHub explains 403/404/422/429 in the body and headers: let them reach the callback.
    handle_httpstatus_list = [401, 403, 404, 410, 422, 429]  # noqa: RUF012 (Scrapy reads it)

    def __init__(self, *args: Any, github_token: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Kept off the instance's public attributes so no repr or log shows it.
        self._token = (github_token or os.environ.get("GITHUB_TOKEN") or "").strip() or None
        self.rate_limited_until: str | None = None

    def request_headers(self, url: str) -> dict[str, str]:
        headers = dict(API_HEADERS)
        if self.sends_token(url):
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def sends_token(self, url: str) -> bool:
        """True when there is a token and ``url`` is GitHub's (over https) or its stand-in's."""
        if not self._token:
            return False
        parts = urlparse(url)
        if parts.scheme == "https" and parts.hostname in TOKEN_HOSTS:
            return True
        crawler = getattr(self, "crawler", None)
        stand_in = crawler.settings.get("RADAR_GITHUB_STAND_IN") if crawler else None
        return bool(stand_in) and url.startswith(stand_in.rstrip("/") + "/")

    def target_requests(self):
        for request in super().target_requests():
            if self.rate_limited_until:
                self.inc_stat("radar/rate_limited/skipped_requests")
                continue
            yield request

    def parse_target(self, response: Response, target: dict[str, Any]) -> list[Any]:
        self.check_rate_limit(response)
        return list(super().parse_target(response, target))

    def check_rate_limit(self, response: Response) -> None:
        remaining = header(response, "X-RateLimit-Remaining")
        if remaining != "0" or self.rate_limited_until:
            return
        reset = header(response, "X-RateLimit-Reset")
        when = None
        if reset and reset.isdigit():
            when = datetime.fromtimestamp(int(reset), tz=UTC).isoformat()
        self.rate_limited_until = when or "unknown"
        self.inc_stat("radar/rate_limited")
        self.logger.warning(
            "GitHub rate limit exhausted at %s; no more requests until %s",
            response.url,
            self.rate_limited_until,
        )

    def may_follow(self, response: Response) -> bool:
        """False (and a parse warning) once the quota ran out: ask GitHub for nothing more."""
        if self.rate_limited_until:
            self.record_parse_warning(
                "rate_limited_stopped", response.url, f"until {self.rate_limited_until}"
            )
            return False
        return True
