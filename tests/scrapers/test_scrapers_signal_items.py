"""Pipelines and extract() for the technology signal items (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from scrapers.extract import extract
from scrapers.items import MentionsItem, PageviewsItem, RepoItem, TagItem
from scrapers.pipelines import CompleteFieldsPipeline, EntityFieldsPipeline
from scrapers.windows import complete_weeks, daily_window, split_window

RESPONSES = Path(__file__).parent / "responses"
COMMON = {
    "run_id": "r1",
    "source_id": "duckdb-x",
    "observed_at": "2026-11-23T06:00:00+00:00",
    "url": "https://api.example/x",
    "technology_id": "duckdb",
}


@pytest.fixture
def pipeline():
    return EntityFieldsPipeline(get_crawler(scrapy.Spider, {}))


def repo(**overrides):
    fields = {
        **COMMON,
        "source": "github_repo",
        "repo": "duckdb/duckdb",
        "stars": 12345,
        "forks": 1234,
        "watchers": 321,
        "open_issues": 456,
        "pushed_at": "2026-11-22T19:41:02+00:00",
        "archived": False,
        "license": "MIT",
        "default_branch": "main",
        "last_release_at": None,
        "releases_last_12m": None,
        "homepage": "https://duckdb.org",
    }
    return RepoItem(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (repo(stars=-1), "bad_stars"),
        (repo(stars="12k"), "bad_stars"),
        (repo(archived=None), "bad_archived"),
        (repo(repo="duckdb"), "bad_repo"),
        (repo(last_release_at="2026-11-17 14:22"), "bad_last_release_at"),
        (repo(homepage="duckdb.org"), "bad_homepage"),
        (repo(releases_last_12m=True), "bad_releases_last_12m"),
        (TagItem(**COMMON, tag="python", question_count=None), "bad_question_count"),
        (
            MentionsItem(
                **COMMON,
                query="duckdb",
                week_start="2026-11-17",
                stories=3,
                window_start="2026-11-17T00:00:00+00:00",
                window_end="2026-11-24T00:00:00+00:00",
            ),
            "bad_week_start",
        ),
        (
            MentionsItem(
                **COMMON,
                query="duckdb",
                week_start="2026-11-16",
                stories=3,
                window_start="2026-11-23T00:00:00+00:00",
                window_end="2026-11-16T00:00:00+00:00",
            ),
            "empty_window",
        ),
        (
            PageviewsItem(**COMMON, article="DuckDB", points=[{"date": "2026-11-31", "views": 3}]),
            "bad_date",
        ),
        (
            PageviewsItem(**COMMON, article="DuckDB", points=[{"date": "2026-11-20", "views": -3}]),
            "bad_views",
        ),
        (PageviewsItem(**COMMON, article="DuckDB", points=[]), "no_points"),
    ],
)
def test_invalid_signal_items_are_dropped_with_the_reason(pipeline, item, reason):
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(item)
    assert pipeline.crawler.stats.get_value(f"radar/invalid_items/{reason}") == 1


def test_valid_signal_items_pass(pipeline):
    items = [
        repo(),
        repo(last_release_at="2026-11-17T14:22:05+00:00", releases_last_12m=14, license=None),
        TagItem(**COMMON, tag="c#", question_count=1617451, has_synonyms=None),
        PageviewsItem(**COMMON, article="DuckDB", points=[{"date": "2026-11-20", "views": 0}]),
    ]
    for item in items:
        assert pipeline.process_item(item) is item
    tag = CompleteFieldsPipeline().process_item(TagItem(**COMMON, tag="go", question_count=1))
    assert tag["has_synonyms"] is None


def test_windows():
    assert [str(d) for d in daily_window("2026-11-23T06:00:00+00:00", 120)] == [
        "2026-07-26",
        "2026-11-22",
    ]
    assert len(split_window(*daily_window("2026-11-23T00:00:00Z", 731), 365)) == 3
    weeks = list(complete_weeks("2026-11-22T23:59:59+00:00", 1))  # a Sunday
    assert [w.week_start for w in weeks] == ["2026-11-09"]


def days(items: list[dict]) -> list[dict]:
    return [
        {**{k: v for k, v in item.items() if k != "points"}, **point}
        for item in items
        for point in (item.get("points") or [{}])
    ]


@pytest.mark.parametrize(
    ("spider", "name", "url", "count", "first"),
    [
        (
            "github_repo",
            "github_repo_duckdb.json",
            "https://api.github.com/repos/duckdb/duckdb",
            1,
            {"repo": "duckdb/duckdb", "stars": 12345, "releases_last_12m": None},
        ),
        (
            "npm_downloads",
            "npm_bulk.json",
            "https://api.npmjs.org/downloads/range/2026-07-26:2026-11-22/express,react",
            6,
            {"package": "express", "date": "2026-11-20", "downloads": 9876543},
        ),
        (
            "npm_downloads",
            "npm_scoped.json",
            None,
            3,
            {"package": "@duckdb/node-api", "downloads": 4321, "category": "npm"},
        ),
        (
            "stackexchange_tags",
            "stackexchange_tags.json",
            None,
            2,
            {"tag": "python", "question_count": 2219876, "has_synonyms": True},
        ),
        (
            "hn_mentions",
            "hn_week.json",
            "https://hn.algolia.com/api/v1/search_by_date?query=duckdb&tags=story"
            "&numericFilters=created_at_i%3E%3D1794787200%2Ccreated_at_i%3C1795392000",
            1,
            {"query": "duckdb", "week_start": "2026-11-16", "stories": 37},
        ),
        (
            "wikipedia_pageviews",
            "wikipedia_pageviews.json",
            None,
            4,
            {"article": "DuckDB", "date": "2026-11-19", "views": 1187},
        ),
    ],
)
def test_extract_signal_spiders(spider, name, url, count, first):
    items = extract(spider, RESPONSES / name, url=url, subject_id="duckdb")
    rows = days(items)  # a series item's points, one row each, as the loader lands them
    assert len(rows) == count
    assert {k: rows[0][k] for k in first} == first
    assert rows[0]["technology_id"] == "duckdb"


def test_extract_signal_error_bodies_give_nothing():
    assert extract("github_repo", RESPONSES / "github_not_found.json") == []
    assert extract("npm_downloads", RESPONSES / "npm_not_found.json") == []
    assert extract("stackexchange_tags", RESPONSES / "stackexchange_throttle.json") == []
    assert extract("wikipedia_pageviews", RESPONSES / "wikipedia_not_found.json") == []
    assert extract("hn_mentions", RESPONSES / "hn_error.json") == []
