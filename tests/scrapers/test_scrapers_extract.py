"""extract(): the spiders' own parsing on saved files, as `radar extract` uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.extract import extract

RESPONSES = Path(__file__).parent / "responses"

CLI_FIELDS = {"name", "price", "currency", "billing_period", "availability", "sku", "method"}


def test_extract_pricing_from_a_saved_product_page():
    path = RESPONSES / "shop_product_jsonld.html"
    items = extract("pricing", path)
    assert len(items) == 3
    first = items[0]
    assert set(first) >= CLI_FIELDS
    assert (first["name"], first["price"], first["currency"], first["sku"]) == (
        "Oakline Standing Desk 180",
        "1299.00",
        "EUR",
        "FJ-OAK-180",
    )
    assert first["input"] == str(path)
    assert first["url"] == path.resolve().as_uri()
    assert first["competitor_id"] == "unknown"
    assert first["run_id"] == "extract"
    assert isinstance(first, dict)


def test_extract_with_url_and_selectors(kit):
    items = extract(
        "pricing",
        RESPONSES / "saas_cards_selectors.html",
        url="https://northwind.example/pricing",
        selectors=kit.NORTHWIND_SELECTORS,
        subject_id="northwind",
    )
    assert len(items) == 5
    assert {i["url"] for i in items} == {"https://northwind.example/pricing"}
    assert {i["competitor_id"] for i in items} == {"northwind"}


def test_extract_pypistats_json():
    items = extract(
        "pypistats",
        RESPONSES / "pypistats_duckdb_overall.json",
        url="https://pypistats.org/api/packages/duckdb/overall?mirrors=false",
    )
    (item,) = items  # one item for the answer, its days as points
    assert item["package"] == "duckdb"
    assert len(item["points"]) == 7
    assert item["points"][2] == {"date": "2026-11-03", "downloads": 301877}


def test_extract_bad_input_gives_no_items():
    assert extract("pypistats", RESPONSES / "pypistats_invalid.json") == []
    assert extract("pricing", RESPONSES / "no_price.html") == []


def test_extract_unknown_spider():
    with pytest.raises(KeyError, match="pricng"):
        extract("pricng", RESPONSES / "no_price.html")


@pytest.mark.parametrize(
    ("spider", "name", "url", "count", "key", "first"),
    [
        (
            "greenhouse",
            "greenhouse_jobs.json",
            "https://boards-api.greenhouse.io/v1/boards/northwind/jobs?content=true",
            2,
            ("job_id", "title", "salary_min", "salary_currency"),
            ("4012345", "Senior Data Engineer", "120000.00", "USD"),
        ),
        (
            "lever",
            "lever_page1.json",
            "https://api.lever.co/v0/postings/cobalt?mode=json&skip=0&limit=2",
            2,  # the next page is not fetched
            ("title", "workplace_type", "posted_at"),
            ("Platform Engineer", "remote", "2026-11-16T09:00:00+00:00"),
        ),
        (
            "jobposting",
            "careers_index.html",
            "https://bluebird.example/careers",
            1,  # the postings it links to are not fetched
            ("job_id", "workplace_type"),
            ("BB-DES-7", "remote"),
        ),
        (
            "jobposting",
            "careers_posting_jsonld.html",
            "https://bluebird.example/careers/senior-backend-engineer",
            1,
            ("job_id", "salary_min", "salary_period"),
            ("BB-ENG-42", "120000.00", "year"),
        ),
        (
            "feed",
            "feed_atom.xml",
            "https://northwind.example/releases.atom",
            3,
            ("version", "published_at", "link"),
            ("2.4.0", "2026-11-16T09:00:00+00:00", "https://northwind.example/releases/2-4-0"),
        ),
        (
            "github_releases",
            "github_releases_page1.json",
            "https://api.github.com/repos/northwind/engine/releases?per_page=100",
            2,
            ("tag", "version", "prerelease"),
            ("v2.5.0-rc.1", "2.5.0-rc.1", True),
        ),
        (
            "pages",
            "page_about_v1.html",
            "https://northwind.example/about",
            1,
            ("title", "chars"),
            ("About Northwind", 466),
        ),
    ],
)
def test_extract_supports_every_spider(spider, name, url, count, key, first):
    items = extract(spider, RESPONSES / name, url=url)
    assert len(items) == count
    assert tuple(items[0][k] for k in key) == first
    assert {i["source"] for i in items} == {spider}
    assert {i["competitor_id"] for i in items} == {"unknown"}
    assert all(i["input"] == str(RESPONSES / name) for i in items)
    # Same keys on every line: the item's fields plus input.
    assert len({tuple(sorted(i)) for i in items}) == 1


def test_extract_is_stable_across_runs():
    path = RESPONSES / "greenhouse_jobs.json"
    first = [
        {k: v for k, v in i.items() if k != "observed_at"} for i in extract("greenhouse", path)
    ]
    again = [
        {k: v for k, v in i.items() if k != "observed_at"} for i in extract("greenhouse", path)
    ]
    assert first == again


def test_extract_feed_without_url_uses_the_file_uri():
    items = extract("feed", RESPONSES / "feed_atom.xml")
    # A relative link cannot be made absolute against a file: it is left out, not guessed.
    assert items[0]["link"] is None
    assert items[1]["link"] == "https://northwind.example/releases/2-4-0-rc-1"
    assert items[0]["url"] == (RESPONSES / "feed_atom.xml").resolve().as_uri()
