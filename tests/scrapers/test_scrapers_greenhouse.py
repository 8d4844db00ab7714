"""greenhouse spider on saved Job Board API bodies: jobs, error bodies, HTML instead of JSON."""

from __future__ import annotations

import pytest

from scrapers.items import JobItem
from scrapers.spiders.greenhouse import GreenhouseSpider

URL = "https://boards-api.greenhouse.io/v1/boards/northwind/jobs?content=true"


@pytest.fixture
def crawl(kit):
    def run(name: str, status: int = 200, content_type: str | None = None):
        spider = kit.make_spider(GreenhouseSpider)
        response = kit.saved_response(name, URL, status, content_type=content_type)
        items, requests = kit.parse(spider, response, kit.target(URL, spider="greenhouse"))
        assert requests == []  # the board API does not page
        return spider, items

    return run


def test_jobs_with_metadata_salary_and_escaped_html(kit, crawl):
    spider, items = crawl("greenhouse_jobs.json")
    assert len(items) == 2
    assert all(isinstance(i, JobItem) for i in items)
    first = items[0]
    assert dict(first) == {
        "run_id": "run-2026-11-16",
        "source": "greenhouse",
        "source_id": "northwind-greenhouse",
        "observed_at": kit.OBSERVED_AT,
        "url": URL,
        "competitor_id": "northwind",
        "job_id": "4012345",
        "title": "Senior Data Engineer",
        "department": "Engineering",
        "team": "Data Platform",
        "location": "Berlin, Germany",
        "workplace_type": "hybrid",
        "employment_type": "full-time",
        "salary_min": "120000.00",
        "salary_max": "150000.00",
        "salary_currency": "USD",
        "salary_period": "year",
        "posted_at": "2026-11-10T14:00:00+00:00",
        "updated_at": "2026-11-12T15:15:00+00:00",
        "description": (
            "Build our DuckDB and Go services.\nYou will\n- Own pipelines\n- Mentor engineers"
        ),
        "apply_url": "https://boards.greenhouse.io/northwind/jobs/4012345",
    }
    second = items[1]
    assert (second["job_id"], second["workplace_type"], second["employment_type"]) == (
        "4012346",
        "remote",  # from the location's wording "Remote - US"
        "unknown",
    )
    assert second["salary_min"] is None
    assert second["posted_at"] is None
    # The job without a title is left out and counted.
    assert kit.radar_stats(spider) == {
        "radar/skipped_rows": 1,
        "radar/skipped_rows/missing_title": 1,
    }


def test_json_error_body_with_status_200_is_an_api_error(kit, crawl):
    spider, items = crawl("greenhouse_error.json")
    assert items == []
    assert kit.radar_stats(spider) == {"radar/parse_errors/api_error": 1}


def test_json_error_body_with_status_404_is_an_http_error(kit, crawl, caplog):
    spider, items = crawl("greenhouse_error.json", status=404)
    assert items == []
    assert kit.radar_stats(spider) == {
        "radar/http_errors/404": 1,
        "radar/error_bodies/json": 1,
    }
    assert "Job board not found" in caplog.text
    assert URL in caplog.text


def test_html_error_page_instead_of_json(kit, crawl):
    spider, items = crawl("pypistats_404.html", status=200)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/parse_errors/not_json": 1}
    spider, items = crawl("pypistats_404.html", status=404)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/html": 1}


def test_invalid_json(kit, crawl):
    spider, items = crawl("pypistats_invalid.json")
    assert items == []
    assert kit.radar_stats(spider) == {"radar/parse_errors/invalid_json": 1}
