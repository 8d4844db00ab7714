"""pypistats spider on saved API bodies: normal, error bodies, invalid JSON, bad rows."""

from __future__ import annotations

import pytest

from scrapers.items import DownloadsItem
from scrapers.spiders.pypistats import PypistatsSpider

API = "https://pypistats.org/api/packages/{}/overall?mirrors={}"


@pytest.fixture
def crawl(kit):
    """crawl(saved file) → (spider, items) from the pypistats spider's callback."""

    def run(name: str, *, package: str = "duckdb", mirrors: str = "false", status: int = 200):
        url = API.format(package, mirrors)
        spider = kit.make_spider(PypistatsSpider)
        tgt = kit.target(url, spider="pypistats", subject_id=package)
        items = list(spider.parse_target(kit.saved_response(name, url, status), tgt))
        return spider, items

    return run


@pytest.fixture
def stats(kit):
    return kit.stats


def test_one_item_an_answer_its_days_as_points(kit, stats, crawl):
    spider, items = crawl("pypistats_duckdb_overall.json")
    assert len(items) == 1
    assert all(isinstance(i, DownloadsItem) for i in items)
    first = kit.days(items)[0]
    assert first == {
        "run_id": "run-2026-11-16",
        "source": "pypistats",
        "source_id": "duckdb-pypistats",
        "observed_at": kit.OBSERVED_AT,
        "url": API.format("duckdb", "false"),
        "technology_id": "duckdb",
        "package": "duckdb",
        "date": "2026-11-01",
        "downloads": 512345,
        "category": "without_mirrors",
    }
    days = kit.days(items)
    assert len(days) == 7
    assert {d["category"] for d in days} == {"without_mirrors"}
    assert (days[-1]["date"], days[-1]["downloads"]) == ("2026-11-07", 523301)
    assert not any(k.startswith("radar/") for k in stats(spider))


def test_mirrors_true_keeps_with_mirrors_rows(kit, crawl):
    _, items = crawl("pypistats_duckdb_overall.json", mirrors="true")
    days = kit.days(items)
    assert len(days) == 7
    assert {d["category"] for d in days} == {"with_mirrors"}
    assert days[0]["downloads"] == 553575


def test_bad_rows_are_skipped_and_counted_the_rest_kept(kit, stats, crawl):
    spider, items = crawl("pypistats_bad_rows.json", package="polars")
    assert [(i["date"], i["downloads"]) for i in kit.days(items)] == [
        ("2026-11-01", 1200),
        ("2026-11-07", 1700),
    ]
    assert items[0]["package"] == "polars"
    s = stats(spider)
    assert s["radar/skipped_rows"] == 6
    assert s["radar/skipped_rows/bad_downloads"] == 3  # -5, "1300", null
    assert s["radar/skipped_rows/bad_date"] == 2  # 2026-13-04, "yesterday"
    assert s["radar/skipped_rows/not_an_object"] == 1


def test_invalid_json_is_a_parse_error_without_items(stats, crawl, caplog):
    spider, items = crawl("pypistats_invalid.json")
    assert items == []
    assert stats(spider)["radar/parse_errors/invalid_json"] == 1
    assert "pypistats.org/api/packages/duckdb" in caplog.text


def test_404_html_page_is_recorded_as_http_error(stats, crawl, caplog):
    spider, items = crawl("pypistats_404.html", package="duckdbb", status=404)
    assert items == []
    s = stats(spider)
    assert s["radar/http_errors/404"] == 1
    assert s["radar/error_bodies/html"] == 1
    assert "404 Not Found · PyPI Stats" in caplog.text


def test_json_error_message_is_recognised(stats, crawl, caplog):
    spider, items = crawl("pypistats_error_message.json", package="duckdbb", status=404)
    assert items == []
    s = stats(spider)
    assert s["radar/http_errors/404"] == 1
    assert s["radar/error_bodies/json"] == 1
    assert "Package not found: duckdbb" in caplog.text


def test_json_error_message_with_status_200_is_an_api_error(stats, crawl):
    spider, items = crawl("pypistats_error_message.json")
    assert items == []
    assert stats(spider)["radar/parse_errors/api_error"] == 1


def test_429_after_retries_is_recorded(stats, crawl):
    spider, items = crawl("pypistats_error_message.json", status=429)
    assert items == []
    assert stats(spider)["radar/http_errors/429"] == 1


def test_spider_arguments(kit, stats, tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text(
        '[{"source_id": "duckdb-pypistats", "spider": "pypistats", "subject_type": "technology",'
        ' "subject_id": "duckdb", "url": "https://pypistats.org/api/packages/duckdb/overall",'
        ' "selectors": {}}, {"source_id": "no-url"}]'
    )
    spider = kit.make_spider(
        PypistatsSpider, targets=str(targets), observed_at="2026-11-16T07:00:00+01:00"
    )
    assert spider.observed_at == "2026-11-16T06:00:00+00:00"
    requests = list(spider.target_requests())
    assert [r.url for r in requests] == ["https://pypistats.org/api/packages/duckdb/overall"]
    assert requests[0].cb_kwargs["target"]["subject_id"] == "duckdb"
    assert requests[0].errback == spider.on_error
    assert stats(spider)["radar/invalid_targets"] == 1


def test_observed_at_defaults_to_now_utc(kit):
    spider = kit.make_spider(PypistatsSpider, observed_at=None)
    assert spider.observed_at.endswith("+00:00")


def test_run_id_is_required(kit):
    with pytest.raises(ValueError, match="run_id"):
        kit.make_spider(PypistatsSpider, run_id=None)
