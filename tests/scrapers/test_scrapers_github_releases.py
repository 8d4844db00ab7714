"""github_releases spider on saved REST bodies: Link-header paging, drafts, rate limits, token."""

from __future__ import annotations

import pytest

from scrapers.spiders.github_releases import GithubReleasesSpider

URL = "https://api.github.com/repos/northwind/engine/releases?per_page=100"
PAGE2 = "https://api.github.com/repositories/99/releases?per_page=100&page=2"
LINK = (
    f'<{PAGE2}>; rel="next", '
    '<https://api.github.com/repositories/99/releases?per_page=100&page=2>; rel="last"'
)


@pytest.fixture
def tgt(kit):
    return kit.target(URL, spider="github_releases")


@pytest.fixture
def spider(kit, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return kit.make_spider(GithubReleasesSpider)


def test_two_pages_via_the_link_header(kit, spider, tgt):
    response = kit.saved_response("github_releases_page1.json", URL, headers={"Link": LINK})
    items, requests = kit.parse(spider, response, tgt)
    assert [i["release_id"] for i in items] == ["180001", "180000"]  # the draft is skipped
    rc, ga = items
    assert dict(ga) == {
        "run_id": "run-2026-11-16",
        "source": "github_releases",
        "source_id": "northwind-github_releases",
        "observed_at": kit.OBSERVED_AT,
        "url": URL,
        "competitor_id": "northwind",
        "release_id": "180000",
        "title": "Northwind Engine 2.4.0",
        "version": "2.4.0",
        "tag": "v2.4.0",
        "published_at": "2026-11-16T09:00:00+00:00",
        "summary": "Highlights\n- Parquet export\n- Docs",
        "link": "https://github.com/northwind/engine/releases/tag/v2.4.0",
        "prerelease": False,
    }
    assert (rc["version"], rc["prerelease"]) == ("2.5.0-rc.1", True)
    (next_page,) = requests
    assert next_page.url == PAGE2
    assert next_page.meta["radar_page"] == 2
    assert next_page.headers.get("Accept") == b"application/vnd.github+json"

    response2 = kit.saved_response("github_releases_page2.json", PAGE2, meta=next_page.meta)
    items2, requests2 = kit.parse(spider, response2, tgt)
    assert requests2 == []  # no Link header: the last page
    (old,) = items2
    assert (old["title"], old["tag"], old["version"]) == ("v2.3.1", "v2.3.1", "2.3.1")
    assert old["published_at"] == "2026-11-02T14:30:00+00:00"
    assert kit.radar_stats(spider) == {
        "radar/skipped_rows": 2,
        "radar/skipped_rows/draft": 1,
        "radar/skipped_rows/bad_date": 1,
    }


def test_not_found_json_body(kit, spider, tgt, caplog):
    items, _ = kit.parse(spider, kit.saved_response("github_not_found.json", URL, 404), tgt)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/json": 1}
    assert "Not Found" in caplog.text
    # The same body with status 200 (a proxy rewriting statuses) is still no release.
    items, _ = kit.parse(spider, kit.saved_response("github_not_found.json", URL), tgt)
    assert items == []
    assert kit.radar_stats(spider)["radar/parse_errors/api_error"] == 1


def test_html_error_page_instead_of_json(kit, spider, tgt):
    items, _ = kit.parse(spider, kit.saved_response("pypistats_404.html", URL), tgt)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/parse_errors/not_json": 1}


def test_rate_limit_stops_politely(kit, spider, tgt, caplog):
    limited = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1794823200"}
    response = kit.saved_response("github_rate_limited.json", URL, 403, headers=limited)
    items, requests = kit.parse(spider, response, tgt)
    assert (items, requests) == ([], [])
    assert spider.rate_limited_until == "2026-11-16T10:00:00+00:00"
    assert kit.radar_stats(spider) == {
        "radar/rate_limited": 1,
        "radar/http_errors/403": 1,
        "radar/error_bodies/json": 1,
    }
    assert "2026-11-16T10:00:00+00:00" in caplog.text
    # The quota ran out: a page with a next link keeps its items but asks for no more.
    headers = {"Link": LINK, "X-RateLimit-Remaining": "0"}
    response = kit.saved_response("github_releases_page1.json", URL, headers=headers)
    items, requests = kit.parse(spider, response, tgt)
    assert len(items) == 2
    assert requests == []
    assert kit.radar_stats(spider)["radar/parse_warnings/rate_limited_stopped"] == 1
    # ... and no further targets are requested.
    spider.targets = [tgt]
    assert list(spider.target_requests()) == []
    assert kit.radar_stats(spider)["radar/rate_limited/skipped_requests"] == 1


def test_last_request_of_the_quota_stops_paging(kit, spider, tgt):
    headers = {"Link": LINK, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1794823200"}
    response = kit.saved_response("github_releases_page1.json", URL, headers=headers)
    items, requests = kit.parse(spider, response, tgt)
    assert len(items) == 2
    assert requests == []
    assert kit.radar_stats(spider)["radar/rate_limited"] == 1


def test_token_from_the_environment_goes_to_api_github_com_only(kit, monkeypatch, tgt, caplog):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret123")
    spider = kit.make_spider(GithubReleasesSpider)
    spider.targets = [tgt]
    (request,) = list(spider.target_requests())
    assert request.headers.get("Authorization") == b"Bearer ghp_secret123"
    assert (
        spider.request_headers("http://127.0.0.1:8000/repos/x/y/releases").get("Authorization")
        is None
    )
    assert "ghp_secret123" not in repr(spider.__dict__.get("github_token"))
    assert "ghp_secret123" not in caplog.text


def test_token_from_a_spider_argument(kit, monkeypatch, tgt):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    spider = kit.make_spider(GithubReleasesSpider, github_token="ghp_arg")
    assert spider.request_headers(URL)["Authorization"] == "Bearer ghp_arg"
    no_token = kit.make_spider(GithubReleasesSpider)
    assert "Authorization" not in no_token.request_headers(URL)
