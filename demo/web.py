"""The offline demo web: serves seeds/demo/web/ over HTTP on 127.0.0.1.

URL scheme: ``http://127.0.0.1:PORT/<YYYY-MM-DD>/<host>/<path>`` serves the file
``seeds/demo/web/<YYYY-MM-DD>/<host>/<path>``. So the demo catalog URL
``{demo_web}/northwind.example/pricing`` planned with ``demo_web_url =
DemoWeb.snapshot_url(date(2026, 11, 16))`` reads that week's Northwind pricing page.
Hosts are the real ones (``boards-api.greenhouse.io``, ``api.lever.co``,
``api.github.com``, ``pypistats.org``, ``<company>.example``).

Mapping a request to a file:

- A file path serves that file; a directory path serves its ``index.html``, else
  ``index.json``, else ``index.xml`` (``.../overall?mirrors=false`` ->
  ``.../overall/index.json``).
- The query string never selects a file. Paging parameters are applied by the
  server instead, to a JSON array file whose sidecar asks for it (below), the way
  the real API pages: ``paginate: "github"`` reads ``per_page`` (default 30, at most
  100) and ``page`` (default 1) and sends a ``Link`` header (``prev``, ``next``,
  ``last``, ``first``) whose URLs are built from the request's ``Host`` header, its
  snapshot path and its other query parameters, so they point back at this server
  whatever its port; ``paginate: "lever"`` reads ``skip`` (default 0) and ``limit``
  (default: all). Other query parameters (``mirrors``, ``mode``, ``content``) are
  accepted and ignored.
- Sidecar: ``<file>.http.json`` beside a served file, e.g.
  ``{"headers": {"Content-Type": "application/rss+xml; charset=utf-8"},
  "paginate": "github"}``. ``headers`` replace the defaults; ``{snapshot_url}`` in a
  header value becomes ``http://<Host>/<YYYY-MM-DD>``. Sidecars themselves are not served.
- API handlers, for APIs whose answer depends on the request (ranges, batches, time
  windows): a directory whose ``index.json`` sidecar says ``"handler": "<name>"``
  answers every path at or below it through ``HANDLERS[name]``, which computes the
  response from that ``index.json`` (a data table that demo/generate.py writes per snapshot,
  holding only data from before the snapshot date):

  - ``npm_downloads`` at ``api.npmjs.org/downloads``: ``range|point/<period>/<pkg>``,
    bulk ``<a>,<b>``, scoped ``@scope/name``;
  - ``stackexchange_tags`` at ``api.stackexchange.com/2.3/tags``: ``<a;b;c>/info``;
  - ``hn_search`` at ``hn.algolia.com/api/v1/search_by_date``: ``nbHits`` of the
    ``query`` within the ``numericFilters`` window on ``created_at_i``;
  - ``wikimedia_pageviews`` at ``wikimedia.org/api/rest_v1/metrics/pageviews/per-article``:
    ``<project>/<access>/<agent>/<article>/daily/<start>/<end>``.

  Each handler documents the real API's shape, limits and error bodies it copies.
- Default content types by extension: ``.html`` text/html, ``.json``
  application/json, ``.xml`` application/xml, ``.txt`` text/plain.
- ``/robots.txt`` is ``seeds/demo/web/robots.txt``; ``/`` is a generated index page.
- Anything else is a 404 with an HTML body, like a real site.

Failure injection: ``DemoWeb.faults`` maps a request path (with its query string,
or without it) to a :class:`Fault`; a matching request gets that response instead
of the file: an error status, a 429 with ``Retry-After``, a hang (``delay``), for
every request or only the first ``times``. The dict is read on every request, so
tests may change it while the server runs::

    with DemoWeb() as web:
        web.faults["/2026-11-16/cobalt.example/pricing"] = Fault(503, body="busy")
        web.faults["/2026-11-16/pypistats.org/api/packages/polars/overall"] = Fault(
            429, {"Retry-After": "1"}, times=1
        )

By hand: ``radar demo-web --fault /2026-11-23/cobalt.example/pricing=503``.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import math
import mimetypes
import re
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "seeds" / "demo" / "web"
INDEX_FILES = ("index.html", "index.json", "index.xml")
SIDECAR_SUFFIX = ".http.json"
PAGINATION_STYLES = ("github", "lever")
GITHUB_PER_PAGE = (30, 100)  # default, maximum
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
}


def _int_param(params: dict[str, str], name: str, default: int, low: int) -> int:
    """An integer query parameter; missing or malformed values fall back like the APIs do."""
    try:
        value = int(params[name])
    except (KeyError, ValueError):
        return default
    return max(value, low)


def paginate(
    items: list, style: str, params: dict[str, str], page_url: Callable[[dict[str, str]], str]
) -> tuple[list, dict[str, str]]:
    """One page of `items` as the real API would serve it, plus its extra headers.

    `page_url(updates)` returns the absolute URL of the same request with the query
    parameters in `updates` replaced (used for GitHub's Link header).
    """
    if style == "lever":
        skip = _int_param(params, "skip", 0, 0)
        limit = _int_param(params, "limit", len(items), 0)
        return items[skip : skip + limit], {}
    if style == "github":
        default, maximum = GITHUB_PER_PAGE
        per_page = min(_int_param(params, "per_page", default, 1), maximum)
        page = _int_param(params, "page", 1, 1)
        last = max(1, math.ceil(len(items) / per_page))
        links = []
        if page > 1:
            links.append((min(page - 1, last), "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        headers = {}
        if links:
            headers["Link"] = ", ".join(
                f'<{page_url({"per_page": str(per_page), "page": str(n)})}>; rel="{rel}"'
                for n, rel in links
            )
        start = (page - 1) * per_page
        return items[start : start + per_page], headers
    raise ValueError(f"unknown pagination style {style!r} (expected one of {PAGINATION_STYLES})")


# --------------------------------------------------------------------------- API handlers
class Answer(NamedTuple):
    """A handler's response."""

    status: int
    body: object  # serialised as JSON
    content_type: str = "application/json; charset=utf-8"


class ApiRequest(NamedTuple):
    """What a handler sees: the data table, the path below the handler's directory
    (percent-decoded segments), the query parameters, and per-server state."""

    data: dict
    rest: list[str]
    params: dict[str, str]
    state: dict


NPM_BULK_MAX = 128  # packages per bulk request
NPM_BULK_DAYS = 365  # bulk queries: at most 365 days
NPM_MAX_DAYS = 548  # other queries: at most 18 months
NPM_LAST = {"last-day": 1, "last-week": 7, "last-month": 30, "last-year": 365}


def _npm_period(period: str, last_day: date) -> tuple[date, date] | None:
    if period in NPM_LAST:
        return last_day - timedelta(days=NPM_LAST[period] - 1), last_day
    try:
        first, _, last = period.partition(":")
        start = date.fromisoformat(first)
        return start, date.fromisoformat(last) if last else start
    except ValueError:
        return None


def npm_downloads(request: ApiRequest) -> Answer:
    """api.npmjs.org/downloads/{range|point}/{period}/{package[,package...]}.

    As the real API (github.com/npm/registry docs/download-counts.md): period
    last-day|last-week|last-month|last-year (ending on the last day with data, the day
    before the snapshot), YYYY-MM-DD or YYYY-MM-DD:YYYY-MM-DD (inclusive). range ->
    {"start", "end", "package", "downloads": [{"downloads", "day"}]}; point ->
    {"downloads": total, "start", "end", "package"}. Bulk (a comma-separated list of
    unscoped packages, at most 128, at most 365 days) -> {package: answer or null when
    unknown}. An unknown single package -> 404 {"error": "package <x> not found"}.
    Days without data (before the table's start, after the last day) are left out.
    The wording of the limit errors is the demo's.
    """
    table, rest = request.data, request.rest
    if len(rest) < 3 or rest[0] not in ("range", "point"):
        return Answer(404, {"error": "not found"})
    kind, period, names = rest[0], rest[1], "/".join(rest[2:])
    window = _npm_period(period, date.fromisoformat(table["last_day"]))
    if window is None or window[0] > window[1]:
        return Answer(400, {"error": f"invalid period {period!r}"})
    start, end = window
    packages = names.split(",")
    bulk = len(packages) > 1
    span = (end - start).days + 1
    if bulk and any(p.startswith("@") for p in packages):
        return Answer(400, {"error": "scoped packages are not supported in bulk queries"})
    if bulk and len(packages) > NPM_BULK_MAX:
        return Answer(400, {"error": f"bulk queries are limited to {NPM_BULK_MAX} packages"})
    if span > (NPM_BULK_DAYS if bulk else NPM_MAX_DAYS):
        limit = "365 days" if bulk else "18 months"
        return Answer(400, {"error": f"range of dates too long: at most {limit}"})

    def one(package: str) -> dict | None:
        series = table["packages"].get(package)
        if series is None:
            return None
        first = date.fromisoformat(series["start"])
        days = []
        for offset, value in enumerate(series["downloads"]):
            day = first + timedelta(days=offset)
            if start <= day <= end:
                days.append({"downloads": value, "day": day.isoformat()})
        if kind == "point":
            total = sum(d["downloads"] for d in days)
            return {
                "downloads": total,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "package": package,
            }
        return {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "package": package,
            "downloads": days,
        }

    if bulk:
        return Answer(200, {package: one(package) for package in packages})
    answer = one(packages[0])
    if answer is None:
        return Answer(404, {"error": f"package {packages[0]} not found"})
    return Answer(200, answer)


STACKEXCHANGE_QUOTA = 300  # quota_max of an anonymous client per day
STACKEXCHANGE_MAX_IDS = 100


def _stackexchange_error(status: int, name: str, message: str) -> Answer:
    return Answer(status, {"error_id": status, "error_message": message, "error_name": name})


def stackexchange_tags(request: ApiRequest) -> Answer:
    """api.stackexchange.com/2.3/tags/{tags}/info?site=stackoverflow.

    As the real API: up to 100 tags joined with ';'; the common wrapper
    {"items": [...], "has_more": false, "quota_max": 300, "quota_remaining": N}, items
    {"has_synonyms", "is_moderator_only", "is_required", "count", "name"} sorted by
    count (sort=popular), a tag that does not exist simply missing. quota_remaining
    starts at 299 and drops by one per request this server answers. Errors are the
    API's {"error_id", "error_message", "error_name"} (400 bad_parameter, 404 no_method).
    """
    rest, params = request.rest, request.params
    if len(rest) != 2 or rest[1] != "info":
        return _stackexchange_error(404, "no_method", "no method found with this name")
    if params.get("site") != request.data["site"]:
        return _stackexchange_error(400, "bad_parameter", "site is required")
    names = [n for n in rest[0].split(";") if n]
    if not names or len(names) > STACKEXCHANGE_MAX_IDS:
        return _stackexchange_error(400, "bad_parameter", "tags")
    with request.state.setdefault("lock", threading.Lock()):
        used = request.state["stackexchange_requests"] = (
            request.state.get("stackexchange_requests", 0) + 1
        )
    known = request.data["tags"]
    items = [
        {
            "has_synonyms": known[name]["has_synonyms"],
            "is_moderator_only": False,
            "is_required": False,
            "count": known[name]["count"],
            "name": name,
        }
        for name in dict.fromkeys(n.lower() for n in names)
        if name in known
    ]
    items.sort(key=lambda item: (-item["count"], item["name"]))
    return Answer(
        200,
        {
            "items": items,
            "has_more": False,
            "quota_max": STACKEXCHANGE_QUOTA,
            "quota_remaining": max(0, STACKEXCHANGE_QUOTA - used),
        },
    )


_NUMERIC_FILTER = re.compile(r"^\s*created_at_i\s*(>=|<=|>|<|=)\s*(\d+)\s*$")
HN_MAX_HITS = 1000  # Algolia pages through at most 1,000 hits


def hn_search(request: ApiRequest) -> Answer:
    """hn.algolia.com/api/v1/search_by_date?query=..&tags=story&numericFilters=..

    nbHits = the query's stories whose created_at_i passes every numericFilters
    condition (comma-separated, on created_at_i only: >=, >, <, <=, =); without filters,
    all of its stories before the snapshot. The query matches case-insensitively; one
    the table does not know has 0 hits. As the real API: newest first, ``hitsPerPage``
    (default 20, at most 1,000) hits of ``page`` (from 0), never past the 1,000th hit;
    each hit a story object (created_at, created_at_i, title, author, points, ...; the
    demo's titles and authors are made up). Shape {"hits", "nbHits", "page", "nbPages",
    "hitsPerPage", "query", "params", ...}.
    """
    if request.rest:
        return Answer(404, {"message": "Not Found", "status": 404})
    params = request.params
    query = params.get("query", "").strip()
    stories = request.data["stories"].get(query.lower(), [])
    low, high = 0, len(stories)
    for condition in filter(None, params.get("numericFilters", "").split(",")):
        match = _NUMERIC_FILTER.match(condition)
        if match is None:
            message = f"invalid numericFilters: {condition!r} (demo: created_at_i only)"
            return Answer(400, {"message": message, "status": 400})
        op, value = match[1], int(match[2])
        if op in (">=", "=", ">"):
            low = max(
                low,
                (bisect.bisect_left if op == ">=" or op == "=" else bisect.bisect_right)(
                    stories, value
                ),
            )
        if op in ("<", "=", "<="):
            high = min(
                high, (bisect.bisect_left if op == "<" else bisect.bisect_right)(stories, value)
            )
    matching = max(0, high - low)
    per_page = min(_int_param(params, "hitsPerPage", 20, 0), HN_MAX_HITS)
    page = _int_param(params, "page", 0, 0)
    first = page * per_page
    last = min(first + per_page, HN_MAX_HITS, matching)
    # newest first: the window's stories from its end
    hits = [_hn_hit(query, stories[high - 1 - i]) for i in range(first, max(first, last))]
    pages = math.ceil(min(matching, HN_MAX_HITS) / per_page) if per_page else 0
    return Answer(
        200,
        {
            "exhaustive": {"nbHits": True, "typo": True},
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "hits": hits,
            "hitsPerPage": per_page,
            "nbHits": matching,
            "nbPages": pages,
            "page": page,
            "params": urlencode(params),
            "processingTimeMS": 1,
            "query": query,
            "serverTimeMS": 1,
        },
    )


def _hn_hit(query: str, stamp: int) -> dict:
    """A story hit as the API gives it (fictional title, author and counts)."""
    story_id = 40_000_000 + stamp % 10_000_000
    author = f"demo{stamp % 97}"
    return {
        "_tags": ["story", f"author_{author}", f"story_{story_id}"],
        "author": author,
        "created_at": datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_at_i": stamp,
        "num_comments": stamp % 41,
        "objectID": str(story_id),
        "points": 1 + stamp % 89,
        "story_id": story_id,
        "title": f"Show HN: what we learned running {query} in production",
        "updated_at": datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "url": f"https://blog.example/{story_id}",
    }


WIKIMEDIA_NO_DATA = (
    "The date(s) you used are valid, but we either do not have data for those date(s), or "
    "the project you asked for is not loaded yet. Please check documentation for more "
    "information"
)


def _wikimedia_problem(status: int, title: str, detail: str, uri: str) -> Answer:
    body = {
        "detail": detail,
        "method": "get",
        "status": status,
        "title": title,
        "type": "about:blank",
        "uri": uri,
    }
    return Answer(status, body, "application/problem+json")


def _wikimedia_day(stamp: str) -> date | None:
    if not re.fullmatch(r"\d{8}(\d{2})?", stamp):
        return None
    try:
        return datetime.strptime(stamp[:8], "%Y%m%d").replace(tzinfo=UTC).date()
    except ValueError:
        return None


def wikimedia_pageviews(request: ApiRequest) -> Answer:
    """wikimedia.org/api/rest_v1/metrics/pageviews/per-article/
    {project}/{access}/{agent}/{article}/daily/{start}/{end}  (start, end: YYYYMMDD[HH]).

    As the real API (AQS 2): {"items": [{"project", "article", "granularity",
    "timestamp": "YYYYMMDD00", "access", "agent", "views"}]} for the days with data in
    [start, end]; no data at all (an article the table lacks: the failing source) ->
    404 application/problem+json {"detail": "The date(s) you used are valid, but ...",
    "method", "status", "title": "Not Found", "type", "uri"}; a malformed route -> 404
    "invalid route"; start after end -> 400. Only daily granularity is served.
    """
    rest = request.rest
    uri = "/metrics/pageviews/per-article/" + "/".join(quote(p, safe="()_.,:") for p in rest)
    if len(rest) != 7 or rest[4] != "daily":
        return _wikimedia_problem(404, "Not Found", "invalid route", uri)
    project, access, agent, article, _, first, last = rest
    start, end = _wikimedia_day(first), _wikimedia_day(last)
    if start is None or end is None:
        return _wikimedia_problem(400, "Bad Request", "invalid timestamp", uri)
    if start > end:
        detail = "start timestamp should be before the end timestamp"
        return _wikimedia_problem(400, "Bad Request", detail, uri)
    title = article.replace(" ", "_")
    series = request.data.get(project, {}).get(access, {}).get(agent, {}).get(title)
    items = []
    if series is not None:
        day0 = date.fromisoformat(series["start"])
        for offset, views in enumerate(series["views"]):
            day = day0 + timedelta(days=offset)
            if start <= day <= end:
                items.append(
                    {
                        "project": project,
                        "article": title,
                        "granularity": "daily",
                        "timestamp": f"{day:%Y%m%d}00",
                        "access": access,
                        "agent": agent,
                        "views": views,
                    }
                )
    if not items:
        return _wikimedia_problem(404, "Not Found", WIKIMEDIA_NO_DATA, uri)
    return Answer(200, {"items": items})


HANDLERS: dict[str, Callable[[ApiRequest], Answer]] = {
    "npm_downloads": npm_downloads,
    "stackexchange_tags": stackexchange_tags,
    "hn_search": hn_search,
    "wikimedia_pageviews": wikimedia_pageviews,
}


_GRAPHQL_REPOSITORY = re.compile(r'(\w+): repository\(owner: "([^"]+)", name: "([^"]+)"\)')


def github_graphql(site: Site, snapshot: str, body: bytes) -> Answer:
    """api.github.com/graphql as the real API answers the query github_repo sends: each
    ``alias: repository(owner: "o", name: "n")`` from the repository and release files of
    the snapshot (so the same numbers as the REST answers); a repository the snapshot lacks
    is null in "data" with a NOT_FOUND error at its path, as GitHub reports one."""
    try:
        query = json.loads(body)["query"]
    except (ValueError, KeyError, TypeError):
        return Answer(400, {"message": "Problems parsing JSON"})
    data: dict[str, object] = {}
    errors = []
    for alias, owner, name in _GRAPHQL_REPOSITORY.findall(query):
        base = f"/{snapshot}/api.github.com/repos/{owner}/{name}"
        repo, releases = site.resource(base), site.resource(base + "/releases")
        if repo is None:
            data[alias] = None
            errors.append(
                {
                    "type": "NOT_FOUND",
                    "path": [alias],
                    "locations": [{"line": 1, "column": 1}],
                    "message": f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                }
            )
            continue
        rest = json.loads(repo.body)
        listed = json.loads(releases.body) if releases else []
        license_info = rest.get("license") or {}
        data[alias] = {
            "nameWithOwner": rest["full_name"],
            "stargazerCount": rest["stargazers_count"],
            "forkCount": rest["forks_count"],
            "watchers": {"totalCount": rest["subscribers_count"]},
            # the demo's open_issues_count holds no pull requests
            "issues": {"totalCount": rest["open_issues_count"]},
            "pullRequests": {"totalCount": 0},
            "pushedAt": rest["pushed_at"],
            "isArchived": rest["archived"],
            "licenseInfo": {"spdxId": license_info.get("spdx_id")} if license_info else None,
            "defaultBranchRef": {"name": rest["default_branch"]},
            "homepageUrl": rest.get("homepage"),
            "releases": {
                "nodes": [
                    {"publishedAt": r["published_at"], "isDraft": r["draft"]} for r in listed[:100]
                ],
                "pageInfo": {"hasNextPage": len(listed) > 100},
            },
        }
    answer: dict[str, object] = {"data": data}
    if errors:
        answer["errors"] = errors
    return Answer(200, answer)


class Fault(NamedTuple):
    """A canned response for failure injection.

    ``status``, extra ``headers`` and ``body`` make the answer; ``delay`` seconds pass
    before it (longer than the crawler's download timeout, it is a hang); ``times`` limits
    it to the first N matching requests, after which the real answer comes back (a 429
    that clears up, say).
    """

    status: int
    headers: dict[str, str] = {}  # noqa: RUF012 - NamedTuple default, never mutated
    body: bytes | str = b""
    delay: float = 0.0
    times: int | None = None

    @classmethod
    def parse(cls, text: str) -> tuple[str, Fault]:
        """``PATH=STATUS[,retry-after=S][,delay=S][,times=N]`` (the demo-web command's --fault)."""
        path, sep, spec = text.partition("=")
        parts = spec.split(",")
        if not sep or not path.startswith("/") or not parts[0].isdigit():
            raise ValueError(
                f"fault {text!r}: expected PATH=STATUS[,retry-after=S][,delay=S][,times=N], "
                "e.g. /2026-11-23/cobalt.example/pricing=503,times=2"
            )
        headers: dict[str, str] = {}
        options: dict[str, float | int] = {}
        for part in parts[1:]:
            key, _, value = part.partition("=")
            try:
                if key == "retry-after":
                    headers["Retry-After"] = str(int(value))
                elif key in ("delay", "times"):
                    options[key] = float(value) if key == "delay" else int(value)
                else:
                    raise ValueError(key)
            except ValueError:
                raise ValueError(f"fault {text!r}: cannot read {part!r}") from None
        status = int(parts[0])
        return path, cls(status, headers, f"<h1>{status}</h1>", **options)


def snapshots(web_dir: Path = DEFAULT_WEB_DIR) -> list[date]:
    """The snapshot dates found in web_dir (directories named YYYY-MM-DD), oldest first."""
    found = []
    for child in Path(web_dir).iterdir():
        if not child.is_dir():
            continue
        try:
            found.append(date.fromisoformat(child.name))
        except ValueError:
            continue
    return sorted(found)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    ).encode()


class Resource(NamedTuple):
    """A file as the server sends it: its bytes, and its sidecar (headers, paginate)."""

    body: bytes
    content_type: str
    meta: dict


class Api(NamedTuple):
    """An API handler, the data table it answers from, and the path below its directory."""

    handler: Callable[[ApiRequest], Answer]
    data: Any
    rest: list[str]


class Site(Protocol):
    """What the server serves: the committed demo web (StaticSite) or a scaled market
    rendered on request (demo.market.MarketSite)."""

    def snapshots(self) -> list[date] | None:
        """The days served, oldest first; None when any day is."""

    def robots(self) -> bytes: ...

    def index(self) -> bytes: ...

    def resource(self, path: str) -> Resource | None:
        """The file at a percent-decoded request path ("/2026-11-16/cobalt.example/pricing")."""

    def api(self, raw_path: str) -> Api | None:
        """The handler answering a raw (still percent-encoded) request path, if any."""


def content_type_of(name: str) -> str:
    suffix = Path(name).suffix
    return CONTENT_TYPES.get(suffix) or (
        mimetypes.guess_type(name)[0] or "application/octet-stream"
    )


class StaticSite:
    """seeds/demo/web: one folder of files per dated snapshot (see the module docstring)."""

    def __init__(self, web_dir: Path = DEFAULT_WEB_DIR) -> None:
        self.root = Path(web_dir).resolve()
        # Parsed data tables by path, with the mtime they were read at: the handlers answer
        # thousands of requests from a few tables, which must not be parsed per request.
        self._tables: dict[Path, tuple[int, Any]] = {}
        self._lock = threading.Lock()

    def snapshots(self) -> list[date]:
        return snapshots(self.root)

    def robots(self) -> bytes:
        return (self.root / "robots.txt").read_bytes()

    def resource(self, path: str) -> Resource | None:
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root):
            return None  # ../ escapes
        if candidate.is_dir():
            candidate = next(
                (candidate / n for n in INDEX_FILES if (candidate / n).is_file()), candidate
            )
        if candidate.name.endswith(SIDECAR_SUFFIX) or not candidate.is_file():
            return None  # sidecars are response metadata, not pages
        sidecar = candidate.with_name(candidate.name + SIDECAR_SUFFIX)
        meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
        return Resource(candidate.read_bytes(), content_type_of(candidate.name), meta)

    def api(self, raw_path: str) -> Api | None:
        """The handler of the deepest directory at or above the path whose index.json
        sidecar names one; the rest is split on '/' before percent-decoding, so an encoded
        %2F stays inside its segment."""
        segments = [s for s in raw_path.split("/") if s]
        for cut in range(len(segments), 1, -1):  # at least <snapshot>/<host>
            directory = (self.root / unquote("/".join(segments[:cut]))).resolve()
            if not directory.is_relative_to(self.root):
                return None
            sidecar = directory / ("index.json" + SIDECAR_SUFFIX)
            if sidecar.is_file():
                handler = json.loads(sidecar.read_text(encoding="utf-8")).get("handler")
                if handler:
                    data = self._table(directory / "index.json")
                    return Api(HANDLERS[handler], data, [unquote(s) for s in segments[cut:]])
        return None

    def _table(self, path: Path) -> Any:
        mtime = path.stat().st_mtime_ns
        with self._lock:
            cached = self._tables.get(path)
            if cached is None or cached[0] != mtime:
                cached = self._tables[path] = (mtime, json.loads(path.read_bytes()))
        return cached[1]

    def index(self) -> bytes:
        sections = []
        for day in self.snapshots():
            snap = self.root / day.isoformat()
            pages = sorted(
                "/" + f.parent.relative_to(self.root).as_posix()
                for f in snap.rglob("index.*")
                if f.name in INDEX_FILES
            ) + sorted(
                "/" + f.relative_to(self.root).as_posix()
                for f in snap.rglob("*.xml")
                if f.name not in INDEX_FILES
            )
            links = "\n".join(
                f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>' for p in pages
            )
            sections.append(f"<h2>{day.isoformat()}</h2>\n<ul>\n{links}\n</ul>")
        body = "<h1>Market Radar demo web</h1>\n" + "\n".join(sections)
        return _page("Market Radar demo web", body)


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'


class DemoWebServer(ThreadingHTTPServer):
    # The default listen backlog (5) drops connections under Scrapy's concurrency.
    request_queue_size = 1024
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        site: Site,
        faults: dict[str, Fault] | None = None,
    ) -> None:
        self.site = site
        self.faults: dict[str, Fault] = faults if faults is not None else {}
        self.requests: list[str] = []  # paths served, in order (list.append is thread-safe)
        self.state: dict = {"lock": threading.Lock()}  # handlers' counters (API quotas)
        super().__init__(address, DemoWebHandler)

    def handle_error(self, request: Any, client_address: tuple[str, int]) -> None:
        # A client that hangs up mid-answer (a crawl refusing an oversized body, a killed
        # run) is an ordinary event for a web server, not a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class DemoWebHandler(BaseHTTPRequestHandler):
    server: DemoWebServer
    server_version = "MarketRadarDemoWeb/1.0"
    # Keep-alive, as the real hosts do: a crawl reuses its connections.
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: crawls make thousands of requests."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_POST(self) -> None:
        """GitHub's GraphQL endpoint (<snapshot>/api.github.com/graphql); nothing else."""
        self.server.requests.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = unquote(urlsplit(self.path).path)
        snapshot, _, rest = path.lstrip("/").partition("/")
        if rest != "api.github.com/graphql":
            self._send(
                404, {"Content-Type": CONTENT_TYPES[".json"]}, b'{"message": "Not Found"}', True
            )
            return
        if not (self.headers.get("Authorization") or "").lower().startswith("bearer "):
            answer = Answer(401, {"message": "This endpoint requires you to be authenticated."})
        else:
            answer = github_graphql(self.server.site, snapshot, body)
        data = (json.dumps(answer.body, ensure_ascii=False) + "\n").encode()
        self._send(answer.status, {"Content-Type": answer.content_type}, data, True)

    def _respond(self, *, send_body: bool) -> None:
        self.server.requests.append(self.path)
        path = unquote(urlsplit(self.path).path)
        key = self.path if self.path in self.server.faults else path
        fault = self.server.faults.get(key)
        if fault is not None and fault.times is not None:
            with self.server.state["lock"]:
                hits = self.server.state.setdefault("fault_hits", {})
                hits[key] = hits.get(key, 0) + 1
                if hits[key] > fault.times:
                    fault = None
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            body = fault.body.encode() if isinstance(fault.body, str) else fault.body
            headers = {"Content-Type": "text/html; charset=utf-8", **fault.headers}
            self._send(fault.status, headers, body, send_body)
            return
        site = self.server.site
        if path == "/":
            self._send(200, {"Content-Type": CONTENT_TYPES[".html"]}, site.index(), send_body)
            return
        if path == "/robots.txt":
            self._send(200, {"Content-Type": CONTENT_TYPES[".txt"]}, site.robots(), send_body)
            return
        api = site.api(urlsplit(self.path).path)
        if api is not None:
            answer = api.handler(ApiRequest(api.data, api.rest, self._params(), self.server.state))
            body = (json.dumps(answer.body, ensure_ascii=False) + "\n").encode()
            self._send(answer.status, {"Content-Type": answer.content_type}, body, send_body)
            return
        resource = site.resource(path)
        if resource is None:
            body = _page("404 Not Found", f"<h1>Not Found</h1>\n<p>{html.escape(path)}</p>")
            self._send(404, {"Content-Type": CONTENT_TYPES[".html"]}, body, send_body)
            return
        body, meta = resource.body, resource.meta
        headers = {"Content-Type": resource.content_type}
        snapshot_url = self._base_url() + "/" + path.lstrip("/").split("/", 1)[0]
        headers.update(
            {
                k: v.replace("{snapshot_url}", snapshot_url)
                for k, v in meta.get("headers", {}).items()
            }
        )
        if meta.get("paginate"):
            items, extra = paginate(
                json.loads(body), meta["paginate"], self._params(), self._page_url
            )
            body = (json.dumps(items, indent=2, ensure_ascii=False) + "\n").encode()
            headers.update(extra)
        self._send(200, headers, body, send_body)

    def _base_url(self) -> str:
        """Scheme and authority the client used (the Host header), e.g. http://127.0.0.1:41234."""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}"

    def _params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))

    def _page_url(self, updates: dict[str, str]) -> str:
        """This request's absolute URL with some query parameters replaced."""
        parts = urlsplit(self.path)
        params = {**self._params(), **updates}
        return f"{self._base_url()}{parts.path}?{urlencode(params)}"

    def _send(self, status: int, headers: dict[str, str], body: bytes, send_body: bool) -> None:
        if status == 200:
            # Conditional requests, as the real hosts answer them: a client that sends the
            # ETag it was given gets 304 Not Modified and no body when nothing changed.
            tag = etag(body)
            headers = {**headers, "ETag": tag}
            if tag in (self.headers.get("If-None-Match") or ""):
                status, body = 304, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class DemoWeb:
    """The demo web in a background thread; a context manager.

    >>> with DemoWeb() as web:
    ...     base = web.snapshot_url(web.snapshots()[-1])  # for plan(catalog, base)

    ``site`` serves something else than the committed demo web: a scaled market
    (``demo.market.MarketSite``) answers any day.
    """

    def __init__(
        self,
        web_dir: Path = DEFAULT_WEB_DIR,
        *,
        site: Site | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: dict[str, Fault] | None = None,
    ) -> None:
        self.web_dir = Path(web_dir)
        self.site: Site = site if site is not None else StaticSite(self.web_dir)
        self.host = host
        self.port = port
        self.faults: dict[str, Fault] = faults if faults is not None else {}
        self._server: DemoWebServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:41234 (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("the demo web is not running: call start() or use `with`")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[str]:
        """Request paths served so far, in arrival order."""
        return self._server.requests if self._server else []

    def snapshots(self) -> list[date]:
        return self.site.snapshots() or []

    def snapshot_url(self, day: date | str) -> str:
        """The base URL of one snapshot: the value that replaces {demo_web}."""
        day = date.fromisoformat(day) if isinstance(day, str) else day
        days = self.site.snapshots()
        if days is not None and day not in days:
            known = ", ".join(d.isoformat() for d in days)
            raise ValueError(f"no demo web snapshot {day.isoformat()} (have: {known})")
        return f"{self.url}/{day.isoformat()}"

    def start(self) -> DemoWeb:
        if self._server is not None:
            return self
        if isinstance(self.site, StaticSite) and not self.site.root.is_dir():
            raise FileNotFoundError(f"demo web directory not found: {self.site.root}")
        self._server = DemoWebServer((self.host, self.port), self.site, self.faults)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="demo-web",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
