"""github_repo spider on saved REST bodies: repository then releases pages, 404/451, limits."""

from __future__ import annotations

import pytest

from scrapers.github import GithubApiMixin
from scrapers.spiders.github_releases import GithubReleasesSpider
from scrapers.spiders.github_repo import GithubRepoSpider

OBSERVED_AT = "2026-11-23T06:00:00+00:00"
REPO = "https://api.github.com/repos/duckdb/duckdb"
RELEASES = f"{REPO}/releases?per_page=100"
PAGE2 = "https://api.github.com/repositories/138754790/releases?per_page=100&page=2"
PAGE3 = "https://api.github.com/repositories/138754790/releases?per_page=100&page=3"


@pytest.fixture
def tgt(kit):
    return {
        **kit.target(REPO, spider="github_repo", subject_id="duckdb"),
        "subject_type": "technology",
    }


@pytest.fixture
def spider(kit, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return kit.make_spider(GithubRepoSpider, observed_at=OBSERVED_AT)


def test_shares_the_github_module_with_github_releases():
    assert issubclass(GithubRepoSpider, GithubApiMixin)
    assert issubclass(GithubReleasesSpider, GithubApiMixin)
    assert 451 in GithubRepoSpider.handle_httpstatus_list


def test_repository_then_releases_pages_give_one_item(kit, spider, tgt):
    spider.targets = [tgt]
    (first,) = list(spider.target_requests())
    assert first.url == REPO
    assert first.headers.get("Accept") == b"application/vnd.github+json"

    items, requests = kit.parse(spider, kit.saved_response("github_repo_duckdb.json", REPO), tgt)
    assert items == []  # the item waits for the releases
    (releases,) = requests
    assert releases.url == RELEASES
    assert releases.meta["radar_page"] == 1

    link = f'<{PAGE2}>; rel="next", <{PAGE3}>; rel="last"'
    page1 = kit.saved_response(
        "github_repo_releases_page1.json", RELEASES, headers={"Link": link}, meta=releases.meta
    )
    items, requests = kit.parse(spider, page1, tgt)
    assert items == []
    (page2_request,) = requests
    assert page2_request.url == PAGE2
    assert page2_request.meta["radar_repo"]["releases_last_12m"] == 9

    # Page 2 reaches releases older than 365 days: no page 3 although Link names one.
    link2 = f'<{PAGE3}>; rel="next"'
    page2 = kit.saved_response(
        "github_repo_releases_page2.json", PAGE2, headers={"Link": link2}, meta=page2_request.meta
    )
    (item,), requests = kit.parse(spider, page2, tgt)
    assert requests == []
    assert dict(item) == {
        "run_id": "run-2026-11-16",
        "source": "github_repo",
        "source_id": "duckdb-github_repo",
        "observed_at": OBSERVED_AT,
        "url": REPO,
        "technology_id": "duckdb",
        "repo": "duckdb/duckdb",
        "stars": 12345,
        "forks": 1234,
        "watchers": 321,
        "open_issues": 456,
        "pushed_at": "2026-11-22T19:41:02+00:00",
        "archived": False,
        "license": "MIT",
        "default_branch": "main",
        "last_release_at": "2026-11-17T14:22:05+00:00",
        "releases_last_12m": 14,
        "homepage": "http://duckdb.org",
    }
    assert kit.radar_stats(spider) == {}


def test_releases_after_observed_at_are_not_seen(kit, tgt, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    spider = kit.make_spider(GithubRepoSpider, observed_at="2026-11-12T06:00:00+00:00")
    state = {"repo": "duckdb/duckdb", "last_release_at": None, "releases_last_12m": 0}
    page1 = kit.saved_response(
        "github_repo_releases_page1.json", RELEASES, meta={"radar_repo": state, "radar_page": 1}
    )
    (item,), _ = kit.parse(spider, page1, tgt)
    assert item["last_release_at"] == "2026-11-10T09:00:00+00:00"  # the rc, a prerelease
    assert item["releases_last_12m"] == 8  # no Link: the only page
    assert kit.radar_stats(spider)["radar/skipped_rows/after_observed_at"] == 1


def test_not_found_yields_nothing_and_says_why(kit, spider, tgt, caplog):
    response = kit.saved_response("github_not_found.json", REPO, 404)
    assert kit.parse(spider, response, tgt) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/http_errors/404": 1,
        "radar/error_bodies/json": 1,
        "radar/parse_errors/repo_not_found": 1,
    }
    assert f"repo_not_found on {REPO}: Not Found" in caplog.text


def test_unavailable_for_legal_reasons(kit, spider, tgt, caplog):
    response = kit.saved_response("github_repo_blocked_451.json", REPO, 451)
    assert kit.parse(spider, response, tgt) == ([], [])
    assert kit.radar_stats(spider)["radar/parse_errors/repo_unavailable_451"] == 1
    assert "Repository access blocked" in caplog.text


def test_error_body_with_status_200_and_html_page(kit, spider, tgt):
    assert kit.parse(spider, kit.saved_response("github_not_found.json", REPO), tgt) == ([], [])
    html = kit.saved_response("pypistats_404.html", REPO)
    assert kit.parse(spider, html, tgt) == ([], [])
    truncated = kit.saved_response("truncated.json", REPO)
    assert kit.parse(spider, truncated, tgt) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/parse_errors/api_error": 1,
        "radar/parse_errors/not_json": 1,
        "radar/parse_errors/invalid_json": 1,
    }


def test_releases_unreadable_keeps_the_counters_with_releases_unknown(kit, spider, tgt):
    state = {"repo": "duckdb/duckdb", "stars": 12345, "forks": 1, "archived": False}
    state |= {"last_release_at": None, "releases_last_12m": 0}
    meta = {"radar_repo": state, "radar_page": 1}
    response = kit.saved_response("github_not_found.json", RELEASES, 404, meta=meta)
    (item,), _ = kit.parse(spider, response, tgt)
    assert (item["stars"], item["releases_last_12m"], item["url"]) == (12345, None, REPO)
    assert kit.radar_stats(spider)["radar/parse_warnings/releases_unavailable"] == 1
    assert "radar/parse_errors/repo_not_found" not in kit.radar_stats(spider)


def test_rate_limit_stops_paging_and_further_repositories(kit, spider, tgt):
    state = {"repo": "duckdb/duckdb", "stars": 12345, "forks": 1, "archived": False}
    state |= {"last_release_at": None, "releases_last_12m": 0}
    headers = {"Link": f'<{PAGE2}>; rel="next"', "X-RateLimit-Remaining": "0"}
    page1 = kit.saved_response(
        "github_repo_releases_page1.json",
        RELEASES,
        headers=headers,
        meta={"radar_repo": state, "radar_page": 1},
    )
    (item,), requests = kit.parse(spider, page1, tgt)
    assert requests == []
    # Page 1 holds the newest release; the 12-month count is unknown, not a low number.
    assert (item["last_release_at"], item["releases_last_12m"]) == (
        "2026-11-17T14:22:05+00:00",
        None,
    )
    spider.targets = [tgt]
    assert list(spider.target_requests()) == []
    stats = kit.radar_stats(spider)
    assert stats["radar/rate_limited"] == 1
    assert stats["radar/parse_warnings/rate_limited_stopped"] == 1
    assert stats["radar/rate_limited/skipped_requests"] == 1


def test_token_only_to_api_github_com(kit, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret456")
    spider = kit.make_spider(GithubRepoSpider, observed_at=OBSERVED_AT)
    assert spider.request_headers(REPO)["Authorization"] == "Bearer ghp_secret456"
    assert "Authorization" not in spider.request_headers("http://127.0.0.1:8000/repos/a/b")


def test_archived_repository_without_licence_or_homepage(kit, spider, tgt, tmp_path):
    body = (kit.RESPONSES / "github_repo_duckdb.json").read_text()
    body = body.replace('"archived": false', '"archived": true')
    body = body.replace('"spdx_id": "MIT"', '"spdx_id": "NOASSERTION"')
    body = body.replace('"homepage": "http://duckdb.org"', '"homepage": ""')
    path = tmp_path / "archived.json"
    path.write_text(body)
    from scrapers.extract import extract

    (row,) = extract("github_repo", path, url=REPO, subject_id="duckdb")
    assert (row["archived"], row["license"], row["homepage"]) == (True, None, None)
    assert (row["last_release_at"], row["releases_last_12m"]) == (None, None)
    assert row["technology_id"] == "duckdb"
