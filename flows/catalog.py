"""The catalog: who and what Market Radar tracks (seeds/**/{competitors,technologies,sources}.csv).

`load_catalog` reads and validates the three CSVs (and seeds/signal_weights.csv, shared
by both catalogs); `plan` turns the enabled sources into crawl targets, one list per
spider. The CSVs are dbt seeds as well, so the columns here are the columns of
catalog.competitors, catalog.technologies, catalog.sources and catalog.signal_weights
(see seeds/README.md).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

# The spiders themselves say which kind of subject they observe; the catalog only names them.
from scrapers.extract import SPIDER_SUBJECTS

DEMO_WEB = "{demo_web}"

COMPETITOR_COLUMNS = ("competitor_id", "name", "website", "segment", "hq_country", "description")
TECHNOLOGY_COLUMNS = (
    "technology_id",
    "name",
    "category",
    "aliases",
    "homepage",
    "mention_pattern",
    "benchmark",
)
SIGNAL_WEIGHT_COLUMNS = ("signal", "weight", "description")
# The adoption index's signals (seeds/signal_weights.csv gives each a weight).
SIGNALS = (
    "github_stars",
    "pypi_downloads",
    "npm_downloads",
    "stackoverflow_questions",
    "hn_stories",
    "wikipedia_pageviews",
)
# build-your-own-radar draws four quadrants, and a technology's category is its quadrant.
MAX_QUADRANTS = 4
SIGNAL_WEIGHTS_FILE = "signal_weights.csv"
SOURCE_COLUMNS = (
    "source_id",
    "spider",
    "subject_type",
    "subject_id",
    "url",
    "selectors",
    "render",
    "enabled",
    "notes",
)
#: Columns a catalog file may leave out (older catalogs, generated ones): read as empty.
OPTIONAL_SOURCE_COLUMNS = ("render",)

SPIDERS = frozenset(SPIDER_SUBJECTS)
SELECTOR_KEYS = ("plan", "name", "price", "period", "unit", "features", "cta")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PYPISTATS_PATH = re.compile(r"/api/packages/(?P<package>[A-Za-z0-9._-]+)/overall/?$")


class _ApiShape(NamedTuple):
    """What a spider's API URL must look like: host, path (percent-decoded) with a
    `handle` group, or the query parameter `handle_param` holding the handle, and the
    query parameters that must be present with given values."""

    hosts: tuple[str, ...]
    path: re.Pattern[str]
    query: dict[str, str]  # parameters that must be present with these values
    example: str
    handle_param: str | None = None  # the handle is this query parameter (non-empty)


API_SHAPES = {
    "greenhouse": _ApiShape(
        ("boards-api.greenhouse.io",),
        re.compile(r"^/v1/boards/(?P<handle>[A-Za-z0-9_-]+)/jobs/?$"),
        {"content": "true"},
        "https://boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true",
    ),
    "lever": _ApiShape(
        ("api.lever.co", "api.eu.lever.co"),
        re.compile(r"^/v0/postings/(?P<handle>[A-Za-z0-9_.-]+)/?$"),
        {"mode": "json"},
        "https://api.lever.co/v0/postings/<site>?mode=json",
    ),
    "github_releases": _ApiShape(
        ("api.github.com",),
        re.compile(r"^/repos/(?P<handle>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/releases/?$"),
        {},
        "https://api.github.com/repos/<owner>/<repo>/releases?per_page=100",
    ),
    "github_repo": _ApiShape(
        ("api.github.com",),
        re.compile(r"^/repos/(?P<handle>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/?$"),
        {},
        "https://api.github.com/repos/<owner>/<repo>",
    ),
    # One package per source; the spider turns last-year into <start>:<end> windows and
    # batches unscoped packages. Scoped names (@scope/name) are allowed.
    "npm_downloads": _ApiShape(
        ("api.npmjs.org",),
        re.compile(
            r"^/downloads/range/last-year/"
            r"(?P<handle>(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*)$"
        ),
        {},
        "https://api.npmjs.org/downloads/range/last-year/<package>",
    ),
    # One tag per source; the spider joins up to 100 with ';'. C# is written c%23.
    "stackexchange_tags": _ApiShape(
        ("api.stackexchange.com",),
        re.compile(r"^/2\.3/tags/(?P<handle>[a-z0-9+#.-]+)/info/?$"),
        {"site": "stackoverflow"},
        "https://api.stackexchange.com/2.3/tags/<tag>/info?site=stackoverflow",
    ),
    # The spider adds numericFilters (one week window per request) and hitsPerPage=0.
    "hn_mentions": _ApiShape(
        ("hn.algolia.com",),
        re.compile(r"^/api/v1/search_by_date/?$"),
        {"tags": "story"},
        "https://hn.algolia.com/api/v1/search_by_date?query=<q>&tags=story",
        handle_param="query",
    ),
    # The spider appends /<YYYYMMDD00>/<YYYYMMDD00>.
    "wikipedia_pageviews": _ApiShape(
        ("wikimedia.org",),
        re.compile(
            r"^/api/rest_v1/metrics/pageviews/per-article/[a-z-]+\.wikipedia/all-access/user/"
            r"(?P<handle>[^/]+)/daily/?$"
        ),
        {},
        "https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
        "all-access/user/<Article>/daily",
    ),
}

# Python regex syntax that RE2 (DuckDB's regexp_matches, used by the marts) rejects.
_NOT_RE2 = (
    (re.compile(r"\(\?<?[=!]"), "lookahead/lookbehind"),
    (re.compile(r"\(\?>"), "atomic groups"),
    (re.compile(r"\(\?P="), "backreferences"),
    (re.compile(r"(?<!\\)\\[1-9]"), "backreferences"),
    (re.compile(r"(?<!\\)[*+?}]\+"), "possessive quantifiers"),
)


class CatalogError(ValueError):
    """A catalog file is malformed, or a catalog cannot be planned as asked."""


@dataclass(frozen=True)
class Competitor:
    competitor_id: str
    name: str
    website: str
    segment: str
    hq_country: str
    description: str


@dataclass(frozen=True)
class Technology:
    technology_id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    homepage: str
    mention_pattern: str = ""
    benchmark: bool = False  # member of the set every signal is divided by (the index's 100)

    def mention_regex(self) -> re.Pattern[str]:
        """How job descriptions are matched against this technology.

        mention_pattern when given (case-sensitive, for ambiguous names such as Go or R);
        otherwise the name and every alias, case-insensitive, bounded by non-word
        characters, so "C++", "Node.js" and ".NET" work where \\b would not.
        """
        if self.mention_pattern:
            return re.compile(self.mention_pattern)
        names = sorted({self.name, *self.aliases}, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names)
        return re.compile(rf"(^|[^A-Za-z0-9_])(?:{alternatives})($|[^A-Za-z0-9_])", re.IGNORECASE)

    def mentioned_in(self, text: str) -> bool:
        return self.mention_regex().search(text) is not None


@dataclass(frozen=True)
class Source:
    source_id: str
    spider: str
    subject_type: str
    subject_id: str
    url: str
    selectors: dict[str, str]
    enabled: bool
    notes: str
    render: bool = False  # crawled through a browser (pages that draw prices with JavaScript)

    @property
    def handle(self) -> str | None:
        """The API's name for the subject: Greenhouse board token, Lever site, GitHub
        owner/repo (github_releases, github_repo), npm package, Stack Overflow tag,
        Hacker News query or Wikipedia article (None for other spiders)."""
        shape = API_SHAPES.get(self.spider)
        return _api_handle(shape, _real_url(self.url)) if shape else None

    @property
    def package(self) -> str | None:
        """The PyPI package a pypistats source reads (None for other spiders)."""
        if self.spider != "pypistats":
            return None
        match = _PYPISTATS_PATH.search(urlsplit(self.url.replace(DEMO_WEB, "http://x")).path)
        return match["package"] if match else None


@dataclass(frozen=True)
class Catalog:
    directory: Path
    competitors: tuple[Competitor, ...]
    technologies: tuple[Technology, ...]
    sources: tuple[Source, ...]
    signal_weights: tuple[SignalWeight, ...] = ()

    @property
    def quadrants(self) -> tuple[str, ...]:
        """The distinct categories (the radar's quadrants), in catalog order."""
        return tuple(dict.fromkeys(t.category for t in self.technologies))

    @property
    def benchmark(self) -> tuple[str, ...]:
        """technology_ids of the benchmark set."""
        return tuple(t.technology_id for t in self.technologies if t.benchmark)

    def competitor(self, competitor_id: str) -> Competitor:
        return next(c for c in self.competitors if c.competitor_id == competitor_id)

    def technology(self, technology_id: str) -> Technology:
        return next(t for t in self.technologies if t.technology_id == technology_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.source_id == source_id)


@dataclass(frozen=True)
class Target:
    """One URL for one spider: what the flow hands to a crawl (as JSON)."""

    source_id: str
    spider: str
    subject_type: str
    subject_id: str
    url: str
    selectors: dict[str, str] = field(default_factory=dict)
    render: bool = False

    def to_dict(self) -> dict[str, Any]:
        found = {
            "source_id": self.source_id,
            "spider": self.spider,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "url": self.url,
            "selectors": dict(self.selectors),
        }
        if self.render:
            found["render"] = True  # the spider asks a browser (scrapy-playwright)
        return found

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        return cls(**{**data, "selectors": dict(data.get("selectors") or {})})


# --------------------------------------------------------------------------- parsing helpers
class _RowError(Exception):
    """A problem with one cell; _rows() adds the file, line and column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def parse_selectors(text: str) -> dict[str, str]:
    """`plan=.plan-card; name=h3` -> {"plan": ".plan-card", "name": "h3"} (ValueError if bad)."""
    selectors: dict[str, str] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, css = part.partition("=")
        key, css = key.strip(), css.strip()
        if not sep or not css:
            raise ValueError(f"expected key=css, got {part!r}")
        if key not in SELECTOR_KEYS:
            raise ValueError(f"unknown key {key!r} (expected one of: {', '.join(SELECTOR_KEYS)})")
        if key in selectors:
            raise ValueError(f"key {key!r} given twice")
        selectors[key] = css
    if selectors and "plan" not in selectors:
        raise ValueError("'plan' is required when any selector is given")
    return selectors


def _real_url(url: str) -> SplitResult:
    """The URL's parts with a demo URL read as the real one it stands for:
    `{demo_web}/boards-api.greenhouse.io/v1/...` -> https://boards-api.greenhouse.io/v1/..."""
    if url.startswith(DEMO_WEB):
        url = "https:/" + url[len(DEMO_WEB) :]
    return urlsplit(url)


def _query(parts: SplitResult) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(parts.query).items()}


def _api_handle(shape: _ApiShape, parts: SplitResult) -> str | None:
    """The handle in a URL of this shape, or None when the URL does not fit it."""
    match = shape.path.match(unquote(parts.path))
    if match is None:
        return None
    if shape.handle_param is not None:
        return _query(parts).get(shape.handle_param, "").strip() or None
    return match["handle"]


def _check_api_url(spider: str, url: str) -> None:
    shape = API_SHAPES.get(spider)
    if shape is None:
        return
    parts = _real_url(url)
    query = _query(parts)
    wrong = (
        parts.hostname not in shape.hosts
        or _api_handle(shape, parts) is None
        or any(query.get(k) != v for k, v in shape.query.items())
    )
    if wrong:
        raise _RowError("url", f"{url!r} is not a {spider} API URL (expected {shape.example})")


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def _required(row: dict[str, str], column: str) -> str:
    value = row[column]
    if not value:
        raise _RowError(column, "must not be empty")
    return value


def _slug(row: dict[str, str], column: str) -> str:
    value = _required(row, column)
    if not _SLUG.match(value):
        raise _RowError(
            column, f"{value!r} is not a slug (lower-case letters, digits and single hyphens)"
        )
    return value


def _url(row: dict[str, str], column: str, *, required: bool = True) -> str:
    value = _required(row, column) if required else row[column]
    if value and not _is_http_url(value):
        raise _RowError(column, f"{value!r} is not an http(s) URL")
    return value


def _display(path: Path) -> str:
    """The path as people typed it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _rows(
    path: Path,
    columns: tuple[str, ...],
    build: Callable[[dict[str, str]], Any],
    optional: tuple[str, ...] = (),
) -> Iterator:
    """Yield (line, build(row)) per row; a problem raises CatalogError naming line and column."""
    name = _display(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogError(f"{name}: cannot read catalog file ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header and c not in optional]
        unknown = [c for c in header if c not in columns]
        if missing:
            raise CatalogError(f"{name} line 1, column {missing[0]!r}: missing from the header")
        if unknown:
            raise CatalogError(f"{name} line 1, column {unknown[0]!r}: unknown column")
        for row in reader:
            line = reader.line_num  # physical line the row ends on; the header is line 1
            if None in row:
                raise CatalogError(
                    f"{name} line {line}, column {columns[-1]!r}: "
                    f"too many fields ({len(header) + len(row[None])}, expected {len(header)})"
                )
            short = [c for c in columns if c in header and row[c] is None]
            if short:
                raise CatalogError(f"{name} line {line}, column {short[0]!r}: missing field")
            clean = {c: (row.get(c) or "").strip() for c in columns}
            try:
                yield line, build(clean)
            except _RowError as exc:
                raise CatalogError(
                    f"{name} line {line}, column {exc.column!r}: {exc.message}"
                ) from None


def _unique(path: Path, column: str, items: Iterable[tuple[int, Any]]) -> tuple:
    name = _display(path)
    seen: set[str] = set()
    result = []
    for line, item in items:
        key = getattr(item, column)
        if key in seen:
            raise CatalogError(f"{name} line {line}, column {column!r}: duplicate id {key!r}")
        seen.add(key)
        result.append(item)
    return tuple(result)


# --------------------------------------------------------------------------- row builders
def _competitor(row: dict[str, str]) -> Competitor:
    country = _required(row, "hq_country")
    if not _COUNTRY.match(country):
        raise _RowError("hq_country", f"{country!r} is not an ISO 3166 alpha-2 code (two capitals)")
    return Competitor(
        competitor_id=_slug(row, "competitor_id"),
        name=_required(row, "name"),
        website=_url(row, "website"),
        segment=row["segment"],
        hq_country=country,
        description=row["description"],
    )


def _technology(row: dict[str, str]) -> Technology:
    aliases = tuple(a.strip() for a in row["aliases"].split("|")) if row["aliases"] else ()
    if any(not alias for alias in aliases):
        raise _RowError("aliases", "empty alias (check for doubled or trailing '|')")
    pattern = row["mention_pattern"]
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _RowError(
                "mention_pattern", f"{pattern!r} is not a valid regex ({exc})"
            ) from None
        for construct, what in _NOT_RE2:
            if construct.search(pattern):
                raise _RowError(
                    "mention_pattern",
                    f"{pattern!r} uses {what}, which RE2 (DuckDB regexp_matches) does not support",
                )
    benchmark = row["benchmark"]
    if benchmark not in ("true", "false"):
        raise _RowError("benchmark", f"{benchmark!r} must be true or false")
    return Technology(
        technology_id=_slug(row, "technology_id"),
        name=_required(row, "name"),
        category=_required(row, "category"),
        aliases=aliases,
        homepage=_url(row, "homepage", required=False),
        mention_pattern=pattern,
        benchmark=benchmark == "true",
    )


def _check_technologies(path: Path, rows: list[tuple[int, Technology]]) -> None:
    """The radar's rules over all rows: at most four quadrants, a benchmark set."""
    name = _display(path)
    quadrants: list[str] = []
    for line, technology in rows:
        if technology.category in quadrants:
            continue
        if len(quadrants) == MAX_QUADRANTS:
            raise CatalogError(
                f"{name} line {line}, column 'category': {technology.category!r} would be a "
                f"fifth category; the category is the radar's quadrant and a radar has "
                f"{MAX_QUADRANTS} (already used: {', '.join(quadrants)})"
            )
        quadrants.append(technology.category)
    if rows and not any(technology.benchmark for _, technology in rows):
        raise CatalogError(
            f"{name} line 2, column 'benchmark': no technology is a benchmark; mark at least "
            "one (broad and stable) technology true: every signal is divided by the "
            "benchmark set's mean"
        )


@dataclass(frozen=True)
class SignalWeight:
    signal: str
    weight: float
    description: str


def _signal_weight(row: dict[str, str]) -> SignalWeight:
    signal = _required(row, "signal")
    if signal not in SIGNALS:
        raise _RowError(
            "signal", f"unknown signal {signal!r} (expected one of: {', '.join(SIGNALS)})"
        )
    text = _required(row, "weight")
    try:
        weight = float(text)
    except ValueError:
        raise _RowError("weight", f"{text!r} is not a number") from None
    if not math.isfinite(weight) or weight < 0:
        raise _RowError("weight", f"{text!r} must be a finite number >= 0")
    return SignalWeight(signal, weight, _required(row, "description"))


def load_signal_weights(path: Path) -> tuple[SignalWeight, ...]:
    """Read and validate signal_weights.csv: every known signal once, weights >= 0."""
    path = Path(path)
    weights = _unique(path, "signal", _rows(path, SIGNAL_WEIGHT_COLUMNS, _signal_weight))
    missing = [s for s in SIGNALS if s not in {w.signal for w in weights}]
    if missing:
        raise CatalogError(
            f"{_display(path)} line {len(weights) + 2}, column 'signal': "
            f"missing signal(s) {', '.join(missing)} (every signal needs a weight, 0 to ignore it)"
        )
    if not any(w.weight > 0 for w in weights):
        raise CatalogError(
            f"{_display(path)} line 2, column 'weight': every weight is 0 (the index needs one > 0)"
        )
    return weights


def find_signal_weights(catalog_dir: Path) -> Path | None:
    """seeds/signal_weights.csv for seeds/catalog and seeds/demo/catalog alike: the first
    signal_weights.csv in the catalog directory or up to two levels above it."""
    directory = Path(catalog_dir).resolve()
    for candidate in (directory, directory.parent, directory.parent.parent):
        if (candidate / SIGNAL_WEIGHTS_FILE).is_file():
            return candidate / SIGNAL_WEIGHTS_FILE
    return None


def _source_builder(
    competitor_ids: set[str], technology_ids: set[str]
) -> Callable[[dict[str, str]], Source]:
    subjects = {"competitor": competitor_ids, "technology": technology_ids}

    def build(row: dict[str, str]) -> Source:
        source_id = _slug(row, "source_id")
        spider = _required(row, "spider")
        if spider not in SPIDERS:
            raise _RowError(
                "spider",
                f"unknown spider {spider!r} (expected one of: {', '.join(sorted(SPIDERS))})",
            )
        subject_type = _required(row, "subject_type")
        if subject_type != SPIDER_SUBJECTS[spider]:
            raise _RowError(
                "subject_type",
                f"{subject_type!r} does not fit spider {spider!r} "
                f"(expected {SPIDER_SUBJECTS[spider]!r})",
            )
        subject_id = _slug(row, "subject_id")
        if subject_id not in subjects[subject_type]:
            raise _RowError(
                "subject_id", f"unknown {subject_type} {subject_id!r} (not in {subject_type}s.csv)"
            )

        url = _required(row, "url")
        if url.startswith(DEMO_WEB):
            rest = url[len(DEMO_WEB) :]
            valid = rest.startswith("/") and DEMO_WEB not in rest and " " not in rest
        else:
            valid = DEMO_WEB not in url and _is_http_url(url)
        if not valid:
            raise _RowError("url", f"{url!r} is not an http(s) URL nor '{DEMO_WEB}/<path>'")
        _check_api_url(spider, url)

        try:
            selectors = parse_selectors(row["selectors"])
        except ValueError as exc:
            raise _RowError("selectors", str(exc)) from None
        if selectors and spider != "pricing":
            raise _RowError("selectors", f"spider {spider!r} takes no selectors")

        enabled = row["enabled"]
        if enabled not in ("true", "false"):
            raise _RowError("enabled", f"{enabled!r} must be true or false")
        render = row["render"] or "false"
        if render not in ("true", "false"):
            raise _RowError("render", f"{render!r} must be true, false or empty")
        if render == "true" and spider != "pricing":
            raise _RowError("render", f"spider {spider!r} does not render pages (pricing only)")

        source = Source(
            source_id=source_id,
            spider=spider,
            subject_type=subject_type,
            subject_id=subject_id,
            url=url,
            selectors=selectors,
            enabled=enabled == "true",
            notes=row["notes"],
            render=render == "true",
        )
        if spider == "pypistats" and source.package is None:
            raise _RowError(
                "url", f"{url!r} is not a pypistats URL (.../api/packages/<package>/overall)"
            )
        return source

    return build


# --------------------------------------------------------------------------- public API
def load_catalog(catalog_dir: Path, signal_weights: Path | None = None) -> Catalog:
    """Read and validate competitors.csv, technologies.csv and sources.csv in catalog_dir,
    and signal_weights.csv (default: `find_signal_weights(catalog_dir)`; none found ->
    Catalog.signal_weights is empty)."""
    catalog_dir = Path(catalog_dir)
    comp_path = catalog_dir / "competitors.csv"
    tech_path = catalog_dir / "technologies.csv"
    src_path = catalog_dir / "sources.csv"
    competitors = _unique(
        comp_path, "competitor_id", _rows(comp_path, COMPETITOR_COLUMNS, _competitor)
    )
    tech_rows = list(_rows(tech_path, TECHNOLOGY_COLUMNS, _technology))
    technologies = _unique(tech_path, "technology_id", tech_rows)
    _check_technologies(tech_path, tech_rows)
    build_source = _source_builder(
        {c.competitor_id for c in competitors}, {t.technology_id for t in technologies}
    )
    sources = _unique(
        src_path,
        "source_id",
        _rows(src_path, SOURCE_COLUMNS, build_source, OPTIONAL_SOURCE_COLUMNS),
    )
    weights_path = signal_weights or find_signal_weights(catalog_dir)
    weights = load_signal_weights(weights_path) if weights_path else ()
    return Catalog(catalog_dir, competitors, technologies, sources, weights)


SUBJECTS = {"competitors": "competitor", "technologies": "technology"}


def plan(
    catalog: Catalog,
    demo_web_url: str | None = None,
    spiders: set[str] | None = None,
    subjects: str | None = None,
    sources: set[str] | None = None,
) -> dict[str, list[Target]]:
    """The enabled sources as crawl targets, per spider, in catalog order.

    `{demo_web}` in a URL is replaced with demo_web_url (the running demo web's
    snapshot URL, e.g. http://127.0.0.1:8123/2026-11-16). `spiders` keeps only those
    spiders, `subjects` ("competitors" or "technologies") only sources about those, and
    `sources` only those source_ids (enabled or not: naming one asks for it). Spiders
    without any target are left out of the result.
    """
    if subjects is not None and subjects not in SUBJECTS:
        raise CatalogError(
            f"unknown subjects {subjects!r} (expected one of: {', '.join(SUBJECTS)})"
        )
    if sources is not None:
        unknown_sources = sorted(set(sources) - {s.source_id for s in catalog.sources})
        if unknown_sources:
            raise CatalogError(
                f"unknown source(s) in {catalog.directory}: {', '.join(unknown_sources)}"
            )
    if spiders is not None and not set(spiders) <= SPIDERS:
        unknown = ", ".join(sorted(set(spiders) - SPIDERS))
        raise CatalogError(
            f"unknown spider(s): {unknown} (expected one of: {', '.join(sorted(SPIDERS))})"
        )
    if demo_web_url is not None and not _is_http_url(demo_web_url):
        raise CatalogError(f"demo_web_url {demo_web_url!r} is not an http(s) URL")
    base = demo_web_url.rstrip("/") if demo_web_url else None

    targets: dict[str, list[Target]] = {}
    for source in catalog.sources:
        wanted = source.source_id in sources if sources is not None else source.enabled
        if (
            not wanted
            or (spiders is not None and source.spider not in spiders)
            or (subjects is not None and source.subject_type != SUBJECTS[subjects])
        ):
            continue
        url = source.url
        if url.startswith(DEMO_WEB):
            if base is None:
                raise CatalogError(
                    f"source {source.source_id!r} has the demo URL {url!r} but no demo web URL "
                    "was given: start the demo web (demo.web.DemoWeb) and pass its "
                    "snapshot URL, or set RADAR_DEMO_WEB_URL"
                )
            url = base + url[len(DEMO_WEB) :]
        targets.setdefault(source.spider, []).append(
            Target(
                source_id=source.source_id,
                spider=source.spider,
                subject_type=source.subject_type,
                subject_id=source.subject_id,
                url=url,
                selectors=dict(source.selectors),
                render=source.render,
            )
        )
    return targets
