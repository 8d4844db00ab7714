"""jobposting spider: careers index → posting pages, JSON-LD and microdata, broken pages."""

from __future__ import annotations

import pytest

from scrapers.spiders.jobposting import JobpostingSpider

INDEX = "https://bluebird.example/careers"


@pytest.fixture
def spider(kit):
    return kit.make_spider(JobpostingSpider)


@pytest.fixture
def tgt(kit):
    return kit.target(INDEX, spider="jobposting", subject_id="bluebird")


def test_index_yields_its_own_posting_and_follows_posting_links(kit, spider, tgt):
    items, requests = kit.parse(spider, kit.saved_response("careers_index.html", INDEX), tgt)
    assert [r.url for r in requests] == [
        "https://bluebird.example/careers/senior-backend-engineer",
        "https://bluebird.example/careers/data-analyst",
    ]
    assert all(r.meta["radar_kind"] == "posting" for r in requests)
    assert all(r.cb_kwargs == {"target": tgt} for r in requests)
    (designer,) = items
    assert designer["job_id"] == "BB-DES-7"
    assert designer["title"] == "Product Designer"
    assert (designer["workplace_type"], designer["location"]) == ("remote", "Remote (Germany)")
    assert designer["employment_type"] == "part-time"
    assert designer["department"] == "Design"
    assert designer["posted_at"] == "2026-11-09T00:00:00+00:00"
    assert designer["description"] == "Design our pricing pages."
    assert designer["apply_url"] == "https://bluebird.example/careers/product-designer"
    assert designer["competitor_id"] == "bluebird"
    assert kit.radar_stats(spider) == {}


def test_links_selector_from_the_catalog(kit, spider):
    tgt = kit.target(INDEX, spider="jobposting", subject_id="bluebird", selectors="links=ul.jobs")
    _, requests = kit.parse(spider, kit.saved_response("careers_index.html", INDEX), tgt)
    # The selector trusts the catalog: other hosts are followed too, mailto never.
    assert [r.url for r in requests] == [
        "https://bluebird.example/careers/senior-backend-engineer",
        "https://bluebird.example/careers/data-analyst",
        "https://elsewhere.example/careers/other",
    ]


def posting(kit, spider, tgt, name, url):
    response = kit.saved_response(name, url, meta={"radar_kind": "posting"})
    items, requests = kit.parse(spider, response, tgt)
    assert requests == []  # posting pages are not followed further
    return items


def test_json_ld_posting_page(kit, spider, tgt):
    url = "https://bluebird.example/careers/senior-backend-engineer"
    (job,) = posting(kit, spider, tgt, "careers_posting_jsonld.html", url)
    assert job["job_id"] == "BB-ENG-42"
    assert job["title"] == "Senior Backend Engineer"
    assert job["department"] == "Engineering"
    assert job["location"] == "Amsterdam, NH, NL"
    assert (job["workplace_type"], job["employment_type"]) == ("onsite", "full-time")
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (
        "120000.00",
        "150000.00",
        "USD",
    )
    assert job["salary_period"] == "year"
    assert job["posted_at"] == "2026-11-16T08:00:00+00:00"
    assert job["description"] == "Build Go services on DuckDB.\n- Kubernetes\n- PostgreSQL"
    assert job["hiring_organization"] == "Bluebird"
    assert job["url"] == url
    assert kit.radar_stats(spider) == {}


def test_microdata_posting_page_uses_the_url_as_id(kit, spider, tgt):
    url = "https://bluebird.example/careers/data-analyst"
    (job,) = posting(kit, spider, tgt, "careers_posting_microdata.html", url)
    assert job["job_id"] == url
    assert job["title"] == "Data Analyst"
    assert (job["department"], job["location"]) == ("Analytics", "Lisbon, PT")
    assert (job["workplace_type"], job["employment_type"]) == ("onsite", "contract")
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (
        "45.00",
        "55.00",
        "EUR",
    )
    assert job["salary_period"] == "hour"
    assert job["posted_at"] == "2026-11-12T00:00:00+00:00"
    assert job["description"] == "Analyse pricing with R and SQL."
    assert job["hiring_organization"] is None  # the page does not say


def test_json_ld_that_does_not_parse_on_a_truncated_posting_page(kit, spider, tgt):
    items = posting(
        kit, spider, tgt, "careers_posting_broken.html", "https://bluebird.example/careers/ghost"
    )
    assert items == []
    assert kit.radar_stats(spider) == {
        "radar/parse_warnings/broken_json_ld": 1,
        "radar/parse_errors/no_job_posting": 1,
    }


def test_index_without_postings_or_links(kit, spider, tgt):
    items, requests = kit.parse(spider, kit.saved_response("truncated.html", INDEX), tgt)
    assert (items, requests) == ([], [])
    assert kit.radar_stats(spider) == {"radar/parse_errors/no_postings_found": 1}


def test_http_error_on_a_posting_page(kit, spider, tgt):
    url = "https://bluebird.example/careers/gone"
    response = kit.saved_response("pypistats_404.html", url, 404, meta={"radar_kind": "posting"})
    items, _ = kit.parse(spider, response, tgt)
    assert items == []
    assert kit.radar_stats(spider) == {"radar/http_errors/404": 1, "radar/error_bodies/html": 1}
