"""Scaled copies of the demo market, for benchmarks: sizes S, M and L.

S is the demo market itself (5 competitors, 14 technologies, seeds/demo). M (40
competitors, 200 technologies) and L (200, 1,000) are grown from it: competitor i is a copy
of demo competitor i mod 5 and technology j a copy of demo technology j mod 14, numbered
-001, -002, ... Each copy has its own hosts, job boards, repositories, packages, tags,
queries and articles, and its own numbers (its template's times a factor fixed by its name),
in the demo's own formats: every page and API answer is the story's (``demo.generate``) for
the day asked, with the copy's names in it. Nothing is written to disk: :class:`MarketSite`
renders any day from the story's functions (competitors show their first snapshot on days
before it), and :func:`write_catalog` writes the copies' catalog (the demo catalog's rows,
renamed).

    python -m demo.market L            # write the L catalog to seeds/bench/catalog
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from demo import generate as story
from demo.web import HANDLERS, SIDECAR_SUFFIX, Api, Resource, content_type_of

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG = ROOT / "seeds" / "demo" / "catalog"
BENCH_CATALOG = ROOT / "seeds" / "bench" / "catalog"

SIZES: dict[str, tuple[int, int]] = {"S": (5, 14), "M": (40, 200), "L": (200, 1000)}

#: Where a competitor's name appears in its URLs and pages, as (template, copy) strings:
#: copy n writes "{n}" as three digits.
COMPETITOR_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "northwind-analytics": (
        ("northwind.example", "northwind-{n}.example"),
        ("boards/northwind/", "boards/northwind-{n}/"),
    ),
    "bluebird-data": (
        ("bluebird.example", "bluebird-{n}.example"),
        ("postings/bluebird", "postings/bluebird-{n}"),
    ),
    "cobalt-cloud": (("cobalt.example", "cobalt-{n}.example"),),
    "delta-metrics": (
        ("delta.example", "delta-{n}.example"),
        ("repos/delta-metrics/delta", "repos/delta-metrics-{n}/delta"),
    ),
    "ember-labs": (("ember.example", "ember-{n}.example"),),
}
COMPETITORS = tuple(COMPETITOR_NAMES)
TECHNOLOGIES = tuple(story.TECHS)
# GitHub counters of a technology copy, scaled with its factor.
REPO_COUNTERS = (
    "stargazers_count",
    "watchers_count",
    "forks_count",
    "forks",
    "watchers",
    "subscribers_count",
    "network_count",
)
_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<n>\d{3})$")


def copy_name(name: str, n: int) -> str:
    return f"{name}-{n:03d}"


def split_copy(name: str) -> tuple[str, int] | None:
    """("polars", 7) for "polars-007"; None for a name that is not a copy's."""
    match = _SUFFIX.match(name)
    return (match["base"], int(match["n"])) if match else None


def factor(template: str, n: int) -> float:
    """A copy's size against its template: 0.25 to 2.5, fixed by its name."""
    return 0.25 + 2.25 * story._unit_hash("market", template, str(n))


def _scaled(value: int, f: float) -> int:
    return round(value * f)


@dataclass(frozen=True)
class Market:
    """A market of ``competitors`` competitor copies and ``technologies`` technology copies."""

    size: str
    competitors: int
    technologies: int

    @classmethod
    def of(cls, size: str) -> Market:
        try:
            competitors, technologies = SIZES[size]
        except KeyError:
            raise ValueError(
                f"unknown market size {size!r} (expected one of {list(SIZES)})"
            ) from None
        return cls(size, competitors, technologies)

    def competitor_copies(self) -> Iterator[tuple[str, int]]:
        """(template competitor_id, n) of every competitor copy."""
        for i in range(self.competitors):
            yield COMPETITORS[i % len(COMPETITORS)], i // len(COMPETITORS) + 1

    def technology_copies(self) -> Iterator[tuple[str, int]]:
        """(template technology_id, n) of every technology copy."""
        for j in range(self.technologies):
            yield TECHNOLOGIES[j % len(TECHNOLOGIES)], j // len(TECHNOLOGIES) + 1


# --------------------------------------------------------------------------- names
def competitor_pairs(template: str, n: int) -> list[tuple[str, str]]:
    """(template string, copy string) of every name of a competitor copy."""
    return [(old, new.format(n=f"{n:03d}")) for old, new in COMPETITOR_NAMES[template]]


def technology_pairs(template: str, n: int) -> list[tuple[str, str]]:
    """(template string, copy string) of the names of a technology copy in its URLs."""
    tech = story.TECHS[template]
    pairs = []
    if tech.repo:
        pairs.append((f"/repos/{tech.repo}", f"/repos/{copy_name(tech.repo, n)}"))
    if tech.package:
        pairs.append((f"/packages/{tech.package}/", f"/packages/{copy_name(tech.package, n)}/"))
    if tech.npm:
        pairs.append((f"/last-year/{tech.npm}", f"/last-year/{copy_name(tech.npm, n)}"))
    if tech.tag:
        pairs.append((f"/tags/{tech.tag}/", f"/tags/{copy_name(tech.tag, n)}/"))
    if tech.hn:
        pairs.append((f"query={quote(tech.hn)}&", f"query={quote(copy_name(tech.hn, n))}&"))
    if tech.article:
        pairs.append((f"/user/{tech.article}/", f"/user/{copy_name(tech.article, n)}/"))
    return pairs


def _renamed(text: str, pairs: list[tuple[str, str]], where: str) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    if text and "{demo_web}" in text and not any(new in text for _, new in pairs):
        raise ValueError(f"{where}: none of {pairs} found in {text!r}")
    return text


# --------------------------------------------------------------------------- catalog
def _read(name: str) -> list[dict[str, str]]:
    with (DEMO_CATALOG / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_catalog(market: Market, directory: Path = BENCH_CATALOG) -> Path:
    """The market's competitors.csv, technologies.csv and sources.csv: the demo catalog's
    rows of each template, renamed for each copy. Returns the directory."""
    competitors = {row["competitor_id"]: row for row in _read("competitors.csv")}
    technologies = {row["technology_id"]: row for row in _read("technologies.csv")}
    sources = _read("sources.csv")
    out_competitors, out_technologies, out_sources = [], [], []
    for template, n in market.competitor_copies():
        pairs = competitor_pairs(template, n)
        row = dict(competitors[template])
        copy_id = copy_name(template, n)
        out_competitors.append(
            {
                **row,
                "competitor_id": copy_id,
                "name": f"{row['name']} {n}",
                "website": _renamed(row["website"], pairs, copy_id),
            }
        )
        for source in sources:
            if source["subject_type"] == "competitor" and source["subject_id"] == template:
                out_sources.append(_source_copy(source, template, copy_id, pairs))
    for template, n in market.technology_copies():
        row = dict(technologies[template])
        copy_id = copy_name(template, n)
        if n > 1:  # the first copy keeps its template's names, so job posts mention it
            row.update(name=f"{row['name']} {n}", aliases="", mention_pattern="")
        out_technologies.append({**row, "technology_id": copy_id})
        pairs = technology_pairs(template, n)
        for source in sources:
            if source["subject_type"] == "technology" and source["subject_id"] == template:
                out_sources.append(_source_copy(source, template, copy_id, pairs))
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / "competitors.csv", out_competitors)
    _write(directory / "technologies.csv", out_technologies)
    _write(directory / "sources.csv", out_sources)
    return directory


def _source_copy(
    source: dict[str, str], template: str, copy_id: str, pairs: list[tuple[str, str]]
) -> dict[str, str]:
    return {
        **source,
        "source_id": copy_id + source["source_id"].removeprefix(template),
        "subject_id": copy_id,
        "url": _renamed(source["url"], pairs, source["source_id"]),
        "notes": f"Copy of the demo source {source['source_id']}.",
    }


# --------------------------------------------------------------------------- the web
class _Copies(Mapping):
    """A data table's entries looked up by a copy's name ("polars-007"): the template's
    entry, rescaled for that copy. Not enumerable: handlers only look names up."""

    def __init__(self, entries: Mapping[str, Any], rescale: Callable[[Any, str, int], Any]):
        self.entries = entries
        self.rescale = rescale
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Any:
        with self._lock:
            if name in self._cache:
                return self._cache[name]
        found = split_copy(name)
        if found is None or found[0] not in self.entries:
            raise KeyError(name)
        base, n = found
        value = self.rescale(self.entries[base], base, n)
        with self._lock:
            self._cache[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except KeyError:
            return False
        return True


def _series(key: str) -> Callable[[dict, str, int], dict]:
    def rescale(entry: dict, base: str, n: int) -> dict:
        f = factor(base, n)
        return {**entry, key: [_scaled(v, f) for v in entry[key]]}

    return rescale


def _tag(entry: dict, base: str, n: int) -> dict:
    return {**entry, "count": _scaled(entry["count"], factor(base, n))}


def _stories(times: list[int], base: str, n: int) -> list[int]:
    """The template's story times, each kept round(factor) times on average."""
    f = factor(base, n)
    out = []
    for t in times:
        copies = int(f) + (story._unit_hash("hn", base, str(n), str(t)) < f - int(f))
        out.extend(t + k for k in range(copies))
    return sorted(out)


class MarketSite:
    """The web of a scaled market (a demo.web Site): any day from the story's first
    snapshot on; a copy's request is its template's, with the copy's names and numbers."""

    def __init__(self, market: Market) -> None:
        self.market = market
        competitor_patterns = [
            (template, old, new)
            for template, names in COMPETITOR_NAMES.items()
            for old, new in names
        ]
        tech_patterns = []
        for template, tech in story.TECHS.items():
            if tech.repo:
                tech_patterns.append(
                    (template, f"repos/{tech.repo}", "repos/" + tech.repo + "-{n}")
                )
            if tech.package:
                tech_patterns.append(
                    (template, f"packages/{tech.package}/", "packages/" + tech.package + "-{n}/")
                )
        # (regex of a copy's name in a path, its template, the template's string)
        self._paths = [
            (re.compile(re.escape(new).replace(re.escape("{n}"), r"(\d{3})")), template, old)
            for template, old, new in competitor_patterns + tech_patterns
        ]

    @cached_property
    def _index(self) -> bytes:
        return b"<!DOCTYPE html>\n<title>Market Radar benchmark market</title>\n"

    def snapshots(self) -> None:
        return None

    def robots(self) -> bytes:
        return story.ROBOTS_TXT.encode()

    def index(self) -> bytes:
        return self._index

    def resource(self, path: str) -> Resource | None:
        parsed = self._day(path)
        if parsed is None:
            return None
        day, rest = parsed
        for regex, template, old in self._paths:
            match = regex.search(rest)
            if match is None:
                continue
            n = int(match[1])
            if template not in story.TECHS:
                # before the story starts, a competitor shows its first snapshot
                day = max(day, story.SNAPSHOTS[0])
            files = _files(day)
            key = _file_key(files, f"{day.isoformat()}/{regex.sub(old, rest, count=1)}")
            if key is None:
                return None
            text = files[key]
            if template in story.TECHS:
                text = self._technology_body(template, n, key, text)
            else:
                text = _renamed(text, competitor_pairs(template, n), key)
            sidecar = files.get(key + SIDECAR_SUFFIX)
            meta = json.loads(sidecar) if sidecar else {}
            return Resource(text.encode(), content_type_of(key), meta)
        return None

    def _technology_body(self, template: str, n: int, key: str, text: str) -> str:
        tech = story.TECHS[template]
        f = factor(template, n)
        if key.endswith("/overall/index.json"):  # pypistats
            data = json.loads(text)
            data["package"] = copy_name(tech.package, n)
            for row in data["data"]:
                row["downloads"] = _scaled(row["downloads"], f)
            return json.dumps(data, indent=2) + "\n"
        text = text.replace(f"/{tech.repo}", f"/{copy_name(tech.repo, n)}")
        if key.endswith("/releases/index.json"):
            return text
        data = json.loads(text)
        owner, name = copy_name(tech.repo, n).split("/")
        data.update(name=name, full_name=f"{owner}/{name}")
        for counter in REPO_COUNTERS:
            data[counter] = _scaled(data[counter], f)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def api(self, raw_path: str) -> Api | None:
        parsed = self._day(unquote(raw_path))
        if parsed is None:
            return None
        day, _ = parsed
        segments = [s for s in raw_path.split("/") if s]
        for prefix, handler in _API_PREFIXES.items():
            depth = prefix.count("/") + 1
            if "/".join(segments[1 : 1 + depth]) == prefix:
                rest = [unquote(s) for s in segments[1 + depth :]]
                return Api(HANDLERS[handler], _tables(day)[handler], rest)
        return None

    @staticmethod
    def _day(path: str) -> tuple[date, str] | None:
        first, _, rest = path.lstrip("/").partition("/")
        try:
            day = date.fromisoformat(first)
        except ValueError:
            return None
        if day < story.SIGNAL_START:
            return None
        return day, rest


# The API directories of the demo web and the handler answering each.
_API_PREFIXES = {
    "api.npmjs.org/downloads": "npm_downloads",
    "api.stackexchange.com/2.3/tags": "stackexchange_tags",
    "hn.algolia.com/api/v1/search_by_date": "hn_search",
    "wikimedia.org/api/rest_v1/metrics/pageviews/per-article": "wikimedia_pageviews",
}


@lru_cache(maxsize=4)
def _files(day: date) -> dict[str, str]:
    """The story's files of one day (a few hundred milliseconds; a crawl asks one day)."""
    return story.snapshot_files(day)


def _file_key(files: Mapping[str, str], path: str) -> str | None:
    path = path.rstrip("/")
    if path in files:
        return path
    for name in ("index.html", "index.json", "index.xml"):
        if f"{path}/{name}" in files:
            return f"{path}/{name}"
    return None


@lru_cache(maxsize=4)
def _tables(day: date) -> dict[str, Any]:
    """The handlers' data tables of one day, answering for every copy."""
    files = _files(day)
    root = day.isoformat()

    def table(prefix: str) -> dict:
        return json.loads(files[f"{root}/{prefix}/index.json"])

    npm = table("api.npmjs.org/downloads")
    tags = table("api.stackexchange.com/2.3/tags")
    hn = table("hn.algolia.com/api/v1/search_by_date")
    views = table("wikimedia.org/api/rest_v1/metrics/pageviews/per-article")
    articles = views["en.wikipedia"]["all-access"]["user"]
    return {
        "npm_downloads": {**npm, "packages": _Copies(npm["packages"], _series("downloads"))},
        "stackexchange_tags": {**tags, "tags": _Copies(tags["tags"], _tag)},
        "hn_search": {"stories": _Copies(hn["stories"], _stories)},
        "wikimedia_pageviews": {
            "en.wikipedia": {"all-access": {"user": _Copies(articles, _series("views"))}}
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a scaled market's catalog.")
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--out", type=Path, default=BENCH_CATALOG)
    args = parser.parse_args(argv)
    market = Market.of(args.size)
    directory = write_catalog(market, args.out)
    print(f"wrote the {args.size} market's catalog to {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
