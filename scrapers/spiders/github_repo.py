"""github_repo: a GitHub repository's counters and release activity → one RepoItem.

URL (catalog): https://api.github.com/repos/<owner>/<repo>. Two steps per repository:

1. GET the repository: {"full_name", "stargazers_count", "forks_count",
   "subscribers_count", "open_issues_count", "pushed_at", "archived",
   "license": {"spdx_id"} | null, "default_branch", "homepage", ...}.
2. GET ``<repo URL>/releases?per_page=100`` (newest first), following the Link header's
   rel="next" until a page holds a release published more than 365 days before
   observed_at (or ``RADAR_MAX_PAGES`` pages): ``last_release_at`` is the newest
   non-draft release's published_at, ``releases_last_12m`` counts the non-draft
   releases (prereleases included) published in the 365 days up to observed_at.
   Releases published after observed_at are left out (skipped_rows/after_observed_at).

The item comes after both steps; its url is the repository's API URL. If the releases
cannot be read (HTTP error, rate limit, page limit) the repository's counters still land
with releases_last_12m None (parse_warnings/releases_unavailable, page_limit_reached or
rate_limited_stopped).

A repository answering 404 ({"message": "Not Found"}) or 451 ({"message": "Repository
access blocked", "block": {...}}) yields no item: radar/parse_errors/repo_not_found or
repo_unavailable_451, logged with the URL. Token and rate limits: scrapers.github.

With a token, GitHub's GraphQL API answers for ``RADAR_GITHUB_GRAPHQL_BATCH_SIZE``
repositories (50) in one POST to ``<API>/graphql``: an alias per repository asking the same
counters and its last 100 releases (``releases(first: 100, orderBy: CREATED_AT DESC)``),
instead of two or more REST requests each. A repository GraphQL cannot resolve ("errors":
[{"type": "NOT_FOUND", "path": ["r3"], ...}]) is radar/parse_errors/repo_not_found; one
with more than 100 releases in the year lands releases_last_12m None
(parse_warnings/releases_over_one_page), as a REST crawl at its page limit does.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response

from scrapers.github import GithubApiMixin, header
from scrapers.items import RepoItem
from scrapers.releases import link_header_urls
from scrapers.spiders.base import (
    RadarSpider,
    describe_error_body,
    json_body,
    response_meta,
)
from scrapers.text import to_utc_iso
from scrapers.windows import observed_datetime

RELEASE_WINDOW = timedelta(days=365)
UNAVAILABLE_STATUSES = {404: "repo_not_found", 410: "repo_not_found", 451: "repo_unavailable_451"}


class GithubRepoSpider(GithubApiMixin, RadarSpider):
    name = "github_repo"
    item_class = RepoItem
    subject_field = "technology_id"
    conditional = True
    handle_httpstatus_list: ClassVar[list[int]] = [*GithubApiMixin.handle_httpstatus_list, 451]

    def start_url(self, target: dict[str, Any]) -> str:
        parts = urlsplit(target["url"])
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))

    # -- GraphQL, with a token ---------------------------------------------------------

    def target_requests(self):
        """REST requests, or with a token one GraphQL query per batch of repositories."""
        endpoints: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for target in self.targets:
            url = target.get("url") if isinstance(target, dict) else None
            endpoint = _graphql_endpoint(self.start_url(target)) if url else None
            if endpoint is None or not self.sends_token(endpoint):
                endpoints = {}
                break
            repo = "/".join(urlsplit(self.start_url(target)).path.split("/")[-2:])
            endpoints.setdefault(endpoint, {}).setdefault(repo, []).append(target)
        if not endpoints:
            yield from super().target_requests()
            return
        size = max(1, self.setting_int("RADAR_GITHUB_GRAPHQL_BATCH_SIZE", GRAPHQL_BATCH))
        for endpoint, repos in endpoints.items():
            names = list(repos)
            for i in range(0, len(names), size):
                batch = {f"r{j}": repos[name] for j, name in enumerate(names[i : i + size])}
                query = graphql_query({alias: ts[0]["url"] for alias, ts in batch.items()}, self)
                request = self.follow(
                    endpoint, batch["r0"][0], meta={"radar_batch": batch}, dont_filter=True
                )
                yield request.replace(
                    method="POST",
                    body=json.dumps({"query": query}),
                    headers={
                        **request.headers.to_unicode_dict(),
                        "Content-Type": "application/json",
                    },
                )

    def graphql_rows(self, body: Any, response: Response) -> list[Any]:
        """(row, target) pairs of a GraphQL answer: a repository per alias."""
        url = response.url
        batch = response_meta(response)["radar_batch"]
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            message = body.get("message") if isinstance(body, dict) else body
            self.record_parse_error("api_error", url, str(message)[:200])
            return []
        errors = {
            str(e["path"][0]): e.get("message") or e.get("type")
            for e in body.get("errors") or []
            if isinstance(e, dict) and e.get("path")
        }
        rows: list[Any] = []
        for alias, targets in batch.items():
            sources = [t["source_id"] for t in targets]
            node = data.get(alias)
            if not isinstance(node, dict):
                detail = str(errors.get(alias, "no repository in the answer"))[:200]
                self.record_parse_error("repo_not_found", url, detail, sources=sources)
                continue
            with self.handling({"radar_batch": {alias: targets}}):
                row = self.graphql_row(node, url)
            if row is not None:
                rows.extend((dict(row), target) for target in targets)
        return rows

    def graphql_row(self, node: dict[str, Any], url: str) -> dict[str, Any] | None:
        def total(key: str) -> int | None:
            value = node.get(key)
            return value.get("totalCount") if isinstance(value, dict) else None

        issues, pulls = total("issues"), total("pullRequests")
        rest_shape = {
            "full_name": node.get("nameWithOwner"),
            "stargazers_count": node.get("stargazerCount"),
            "forks_count": node.get("forkCount"),
            "subscribers_count": total("watchers"),
            # REST's open_issues_count counts open pull requests too
            "open_issues_count": None if issues is None or pulls is None else issues + pulls,
            "pushed_at": node.get("pushedAt"),
            "archived": node.get("isArchived"),
            "license": {"spdx_id": (node.get("licenseInfo") or {}).get("spdxId")},
            "default_branch": (node.get("defaultBranchRef") or {}).get("name"),
            "homepage": node.get("homepageUrl"),
        }
        row = self.repo_row(rest_shape, url)
        if row is None:
            return None
        releases = node.get("releases") if isinstance(node.get("releases"), dict) else {}
        nodes = releases.get("nodes") if isinstance(releases.get("nodes"), list) else []
        state = {**row, "last_release_at": None, "releases_last_12m": 0}
        listed = [{"draft": n.get("isDraft"), "published_at": n.get("publishedAt")} for n in nodes]
        state, reached_cutoff = self.count_releases(listed, state, url)
        complete = reached_cutoff or not (releases.get("pageInfo") or {}).get("hasNextPage")
        if not complete:
            self.record_parse_warning("releases_over_one_page", url, str(row["repo"]))
        return self.finish(state, complete=complete)

    def parse_target(self, response: Response, target: dict[str, Any]) -> list[Any]:
        self.check_rate_limit(response)
        state = response_meta(response).get("radar_repo")
        if 200 <= response.status < 300:
            return list(RadarSpider.parse_target(self, response, target))
        self.record_http_error(response)
        if state is None:
            reason = UNAVAILABLE_STATUSES.get(response.status)
            if reason:
                _, detail = describe_error_body(response)
                self.record_parse_error(reason, response.url, detail)
            return []
        # The repository was read; only its releases are unknown.
        self.record_parse_warning("releases_unavailable", response.url, f"HTTP {response.status}")
        return [self.stamp(self.finish(state, complete=False), target, response)]

    def stamp(self, row: dict[str, Any], target: dict[str, Any], response: Response):
        item = super().stamp(row, target, response)
        item["url"] = self.start_url(target) if target.get("url") else response.url
        return item

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[Any]:
        ok, body = json_body(self, response)
        if not ok:
            return []
        if response_meta(response).get("radar_batch"):
            return self.graphql_rows(body, response)
        state = response_meta(response).get("radar_repo")
        if state is None:
            return self.repo_step(body, response, target)
        return self.releases_step(body, state, response, target)

    # -- step 1: the repository --------------------------------------------------------

    def repo_step(self, body: Any, response: Response, target: dict[str, Any]) -> list[Any]:
        url = response.url
        if not isinstance(body, dict):
            self.record_parse_error("unexpected_shape", url, str(body)[:120])
            return []
        if "full_name" not in body and "message" in body:
            self.record_parse_error("api_error", url, str(body["message"])[:200])
            return []
        row = self.repo_row(body, url)
        if row is None:
            return []
        if self.offline:
            # extract(): a saved repository answer stands alone.
            return [{**row, "last_release_at": None, "releases_last_12m": None}]
        repo_url = urlunsplit(urlsplit(url)._replace(query="", fragment=""))
        state = {**row, "last_release_at": None, "releases_last_12m": 0}
        return [
            self.follow(
                f"{repo_url.rstrip('/')}/releases?per_page=100",
                target,
                meta={"radar_repo": state, "radar_page": 1},
            )
        ]

    def repo_row(self, body: dict[str, Any], url: str) -> dict[str, Any] | None:
        counts = {}
        for field, key in (
            ("stars", "stargazers_count"),
            ("forks", "forks_count"),
            ("watchers", "subscribers_count"),
            ("open_issues", "open_issues_count"),
        ):
            value = body.get(key)
            if not _is_count(value):
                if field in ("stars", "forks"):
                    self.record_parse_error(f"bad_{field}", url, f"{key}={value!r}"[:80])
                    return None
                value = None
            counts[field] = value
        repo = body.get("full_name")
        if not isinstance(repo, str) or "/" not in repo:
            repo = "/".join(urlsplit(url).path.rstrip("/").split("/")[-2:])
        license_info = body.get("license")
        spdx = license_info.get("spdx_id") if isinstance(license_info, dict) else None
        branch = body.get("default_branch")
        return {
            "repo": repo,
            **counts,
            "pushed_at": to_utc_iso(body.get("pushed_at")),
            "archived": body.get("archived") is True,
            # NOASSERTION: GitHub saw a licence file it could not identify.
            "license": spdx if isinstance(spdx, str) and spdx and spdx != "NOASSERTION" else None,
            "default_branch": branch if isinstance(branch, str) and branch else None,
            "homepage": _homepage(body.get("homepage")),
        }

    # -- step 2: its releases ----------------------------------------------------------

    def releases_step(
        self, body: Any, state: dict[str, Any], response: Response, target: dict[str, Any]
    ) -> list[Any]:
        url = response.url
        if not isinstance(body, list):
            message = body.get("message") if isinstance(body, dict) else None
            self.record_parse_warning("releases_unavailable", url, str(message or body)[:120])
            return [self.finish(state, complete=False)]
        state, reached_cutoff = self.count_releases(body, state, url)
        next_url = link_header_urls(header(response, "Link")).get("next")
        if reached_cutoff or not next_url:
            return [self.finish(state, complete=True)]
        page = response_meta(response).get("radar_page", 1)
        if page >= self.setting_int("RADAR_MAX_PAGES", 50):
            self.record_parse_warning("page_limit_reached", url, f"{page} pages")
            return [self.finish(state, complete=False)]
        if not self.may_follow(response):
            return [self.finish(state, complete=False)]
        return [self.follow(next_url, target, meta={"radar_repo": state, "radar_page": page + 1})]

    def count_releases(
        self, releases: list[Any], state: dict[str, Any], url: str
    ) -> tuple[dict[str, Any], bool]:
        """The state with one page of releases (newest first) counted in; and whether the
        page reached a release older than the year (no need for more pages)."""
        observed = observed_datetime(self.observed_at)
        cutoff = observed - RELEASE_WINDOW
        state = dict(state)
        reached_cutoff = not releases
        for release in releases:
            if not isinstance(release, dict):
                self.record_skipped_row("not_an_object", url, repr(release)[:80])
                continue
            if release.get("draft") is True:
                continue
            published = to_utc_iso(release.get("published_at"))
            if published is None:
                raw = release.get("published_at")
                self.record_skipped_row("bad_date", url, f"{release.get('id')}: {raw!r}"[:80])
                continue
            when = datetime.fromisoformat(published)
            if when > observed:
                self.record_skipped_row("after_observed_at", url, published)
                continue
            if state["last_release_at"] is None or published > state["last_release_at"]:
                state["last_release_at"] = published
            if when >= cutoff:
                state["releases_last_12m"] += 1
            else:
                reached_cutoff = True
        return state, reached_cutoff

    def finish(self, state: dict[str, Any], *, complete: bool) -> dict[str, Any]:
        row = dict(state)
        if not complete:
            # A partial count would read as a decline: unknown instead (the caller
            # recorded why: releases_unavailable, page_limit_reached, rate_limited_stopped).
            row["releases_last_12m"] = None
        return row


GRAPHQL_BATCH = 50
GRAPHQL_FIELDS = """
  nameWithOwner stargazerCount forkCount watchers { totalCount }
  issues(states: OPEN) { totalCount } pullRequests(states: OPEN) { totalCount }
  pushedAt isArchived licenseInfo { spdxId } defaultBranchRef { name } homepageUrl
  releases(first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
    nodes { publishedAt isDraft } pageInfo { hasNextPage }
  }
"""


def _graphql_endpoint(repo_url: str) -> str | None:
    """<API>/graphql for a repository URL <API>/repos/<owner>/<name>."""
    head, sep, tail = repo_url.partition("/repos/")
    return f"{head}/graphql" if sep and tail.count("/") == 1 else None


def graphql_query(repos: dict[str, str], spider: GithubRepoSpider) -> str:
    """One query asking every repository (alias → its REST URL) for the same fields."""
    parts = []
    for alias, url in repos.items():
        owner, name = urlsplit(spider.start_url({"url": url})).path.split("/")[-2:]
        parts.append(f"{alias}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)})")
    selections = " ".join(f"{part} {{ ...repo }}" for part in parts)
    return f"fragment repo on Repository {{{GRAPHQL_FIELDS}}} query {{ {selections} }}"


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _homepage(value: Any) -> str | None:
    """GitHub's free-text homepage as an absolute URL ("duckdb.org" → https://duckdb.org)."""
    if not isinstance(value, str) or not value.strip() or " " in value.strip():
        return None
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return value
    host = value.split("/", 1)[0]
    return f"https://{value}" if "." in host and "@" not in value else None
