import html
import http.client
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from parsel import Selector

from demo.web import DEFAULT_WEB_DIR, DemoWeb, Fault, snapshots
from flows.catalog import load_catalog, plan

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
NOV02, NOV09, NOV16, NOV23 = SNAPSHOTS
# Never go through a proxy from the environment: the demo web is local.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def web():
    with DemoWeb() as running:
        yield running


def fetch(url: str, method: str = "GET") -> tuple[int, Message, bytes]:
    try:
        with OPENER.open(urllib.request.Request(url, method=method), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    status, headers, body = fetch(url, method)
    return status, headers["Content-Type"], body


def downloads(web: DemoWeb, snapshot: date, package: str) -> dict[str, int]:
    url = f"{web.snapshot_url(snapshot)}/pypistats.org/api/packages/{package}/overall?mirrors=false"
    status, content_type, body = get(url)
    assert (status, content_type) == (200, "application/json")
    payload = json.loads(body)
    assert payload["package"] == package
    assert payload["type"] == "overall_downloads"
    assert {row["category"] for row in payload["data"]} == {"without_mirrors"}
    return {row["date"]: row["downloads"] for row in payload["data"]}


def test_snapshots_in_date_order(web):
    assert snapshots() == SNAPSHOTS
    assert web.snapshots() == SNAPSHOTS
    assert web.snapshot_url("2026-11-16") == f"{web.url}/2026-11-16"
    assert web.url.startswith("http://127.0.0.1:")
    with pytest.raises(ValueError, match="no demo web snapshot 2026-11-10"):
        web.snapshot_url(date(2026, 11, 10))


def test_northwind_cards_fit_the_catalog_selectors(web):
    selectors = load_catalog(ROOT / "seeds/demo/catalog").source("northwind-analytics-pricing")
    css = selectors.selectors
    team_prices = {}
    for snapshot in SNAPSHOTS:
        status, content_type, body = get(f"{web.snapshot_url(snapshot)}/northwind.example/pricing")
        assert (status, content_type) == (200, "text/html; charset=utf-8")
        cards = Selector(text=body.decode()).css(css["plan"])
        names = [card.css(css["name"] + "::text").get() for card in cards]
        assert names == ["Free", "Team", "Business", "Enterprise"]
        team = cards[1]
        team_prices[snapshot] = [
            "".join(price.css("::text").getall()) for price in team.css(css["price"])
        ]
        assert team.css(css["features"] + "::text").getall()[0] == "Unlimited dashboards"
        assert cards[3].css(css["cta"] + "::text").get() == "Contact sales"
    assert (
        team_prices[NOV02]
        == team_prices[NOV09]
        == [
            "$12 per seat / month",
            "$10 per seat / month, billed annually",
        ]
    )
    assert (
        team_prices[NOV16]
        == team_prices[NOV23]
        == [
            "$15 per seat / month",
            "$12 per seat / month, billed annually",
        ]
    )


def test_bluebird_json_ld_gains_scale_plan(web):
    plans = {}
    for snapshot in SNAPSHOTS:
        _, _, body = get(f"{web.snapshot_url(snapshot)}/bluebird.example/pricing")
        ld = Selector(text=body.decode()).css('script[type="application/ld+json"]::text').get()
        product = json.loads(ld)
        assert product["@type"] == "Product"
        plans[snapshot] = {
            (o["name"], o["priceSpecification"]["billingDuration"]): o["price"]
            for o in product["offers"]
        }
        assert {o["priceCurrency"] for o in product["offers"]} == {"EUR"}
    assert ("Scale", "P1M") not in plans[NOV16]
    assert plans[NOV23][("Scale", "P1M")] == "99.00"
    assert plans[NOV23][("Starter", "P1Y")] == "190.00"
    assert plans[NOV02] == plans[NOV09] == plans[NOV16]


def test_cobalt_drops_pro_plan(web):
    names = {}
    for snapshot in SNAPSHOTS:
        _, _, body = get(f"{web.snapshot_url(snapshot)}/cobalt.example/pricing")
        page = Selector(text=body.decode())
        assert not page.css('script[type="application/ld+json"]')
        names[snapshot] = page.css(".box h2::text").getall()
        assert page.css(".box .figure::text").get() == "£0 / month"
    assert names[NOV02] == names[NOV16] == ["Developer", "Startup", "Pro", "Growth"]
    assert names[NOV23] == ["Developer", "Startup", "Growth"]


def test_pypistats_json_values(web):
    series = {s: downloads(web, s, "duckdb") for s in SNAPSHOTS}
    assert series[NOV16]["2026-11-10"] == 1_268_027
    assert series[NOV23]["2026-11-22"] == 644_657
    assert min(series[NOV02]) == "2026-09-03"
    for snapshot, days in series.items():
        assert len(days) == 60
        assert max(days) == (snapshot - timedelta(days=1)).isoformat()
        assert min(days) == (snapshot - timedelta(days=60)).isoformat()
    # overlapping days are identical across snapshots
    for day in set(series[NOV02]) & set(series[NOV23]):
        assert series[NOV02][day] == series[NOV23][day]
    # weekends are quieter: Sunday 2026-11-22 vs Tuesday 2026-11-17
    assert series[NOV23]["2026-11-22"] < 0.7 * series[NOV23]["2026-11-17"]


def test_pypistats_trends(web):
    def first_and_last_week(package):
        values = list(downloads(web, NOV23, package).values())
        return sum(values[:7]), sum(values[-7:])

    first, last = first_and_last_week("polars")
    assert last > 1.15 * first
    first, last = first_and_last_week("great-expectations")
    assert last < 0.9 * first


def test_every_demo_catalog_url_resolves_in_every_snapshot(web):
    catalog = load_catalog(ROOT / "seeds/demo/catalog")
    for snapshot in SNAPSHOTS:
        for spider, targets in plan(catalog, web.snapshot_url(snapshot)).items():
            for target in targets:
                url = target.url
                if spider == "wikipedia_pageviews":  # the spider appends the date range
                    url += "/2026090100/2026093000"
                failing = spider == "wikipedia_pageviews" and target.subject_id == "dagster"
                expected = 404 if failing else 200
                assert get(url)[0] == expected, url


def test_robots_txt(web):
    status, content_type, body = get(f"{web.url}/robots.txt")
    assert (status, content_type) == (200, "text/plain; charset=utf-8")
    assert "User-agent: *\nDisallow: /private/\n" in body.decode()


def test_unknown_path_is_a_404_html_page(web):
    status, content_type, body = get(f"{web.url}/2026-11-16/northwind.example/careers")
    assert status == 404
    assert content_type == "text/html; charset=utf-8"
    assert b"<h1>Not Found</h1>" in body


def test_path_cannot_escape_the_web_dir(web):
    connection = http.client.HTTPConnection(web.url.removeprefix("http://"), timeout=10)
    connection.request("GET", "/../../../demo/web.py")
    assert connection.getresponse().status == 404
    connection.close()


def test_index_page_and_directory_index(web):
    status, content_type, body = get(f"{web.url}/")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert b'href="/2026-11-23/bluebird.example/pricing"' in body
    status, content_type, _ = get(
        f"{web.url}/2026-11-16/pypistats.org/api/packages/duckdb/overall/"
    )
    assert (status, content_type) == (200, "application/json")


def test_head_has_no_body(web):
    status, _, body = get(f"{web.url}/robots.txt", method="HEAD")
    assert (status, body) == (200, b"")


def test_faults_replace_responses(web):
    path = "/2026-11-16/cobalt.example/pricing"
    web.faults[path] = Fault(503, {"Retry-After": "1"}, "<h1>busy</h1>")
    try:
        assert get(web.url + path)[0::2] == (503, b"<h1>busy</h1>")
    finally:
        del web.faults[path]
    assert get(web.url + path)[0] == 200
    assert path in web.requests


def test_many_concurrent_requests(web):
    url = f"{web.snapshot_url(NOV09)}/northwind.example/pricing"
    with ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(lambda _: get(url)[0], range(128)))
    assert statuses == [200] * 128


def test_generated_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, "-m", "demo.generate", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert DEFAULT_WEB_DIR == ROOT / "seeds/demo/web"


# --------------------------------------------------------------------------- competitor sources
DEMO_CATALOG = ROOT / "seeds/demo/catalog"
GITHUB = "/api.github.com/repos/delta-metrics/delta/releases"
LEVER = "/api.lever.co/v0/postings/bluebird"
GREENHOUSE = "/boards-api.greenhouse.io/v1/boards/northwind/jobs?content=true"


def get_json(url: str):
    status, headers, body = fetch(url)
    assert status == 200, url
    assert headers["Content-Type"].startswith("application/json"), url
    return json.loads(body), headers


def links(header: str) -> dict[str, str]:
    """Parse an RFC 8288 Link header into {rel: url}."""
    found = {}
    for part in header.split(","):
        url, rel = part.split(";")
        found[rel.strip().removeprefix('rel="').removesuffix('"')] = url.strip()[1:-1]
    return found


def test_github_releases_page_with_link_header_back_to_this_server(web):
    base = web.snapshot_url(NOV23)
    first, headers = get_json(f"{base}{GITHUB}?per_page=5")
    assert [r["tag_name"] for r in first] == [
        "v2.0.0",
        "v1.12.0",
        "v2.0.0-rc.1",
        "v1.11.0",
        "v1.10.1",
    ]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    rels = links(headers["Link"])
    assert rels == {
        "next": f"{base}{GITHUB}?per_page=5&page=2",
        "last": f"{base}{GITHUB}?per_page=5&page=4",
    }
    second, headers = get_json(rels["next"])
    assert [r["tag_name"] for r in second] == ["v1.10.0", "v1.9.0", "v1.8.0", "v1.7.0", "v1.6.0"]
    assert set(links(headers["Link"])) == {"prev", "next", "last", "first"}
    last, headers = get_json(f"{base}{GITHUB}?per_page=5&page=4")
    assert [r["tag_name"] for r in last] == ["v1.0.0"]
    assert "next" not in links(headers["Link"])
    # the default page size is GitHub's 30: one page, no Link header
    everything, headers = get_json(f"{base}{GITHUB}?per_page=100")
    assert len(everything) == 16
    assert headers["Link"] is None
    draft = everything[0]
    assert (draft["draft"], draft["published_at"]) == (True, None)
    assert [r["tag_name"] for r in everything if r["prerelease"]] == ["v2.0.0-rc.1"]


def test_github_releases_per_snapshot_are_dated_before_it(web):
    tags = {}
    for snapshot in SNAPSHOTS:
        releases, _ = get_json(f"{web.snapshot_url(snapshot)}{GITHUB}?per_page=100")
        published = [r for r in releases if not r["draft"]]
        for release in published:
            when = datetime.fromisoformat(release["published_at"])
            assert when.date() < snapshot
        tags[snapshot] = [r["tag_name"] for r in published]
    assert len(tags[NOV02]) == 12
    assert tags[NOV02][0] == "v1.10.1"
    assert tags[NOV09][0] == "v1.11.0"
    assert tags[NOV16][0] == "v2.0.0-rc.1"
    assert tags[NOV23][:2] == ["v1.12.0", "v2.0.0-rc.1"]
    assert len(tags[NOV23]) == 15


def test_lever_honours_skip_and_limit(web):
    base = web.snapshot_url(NOV16)
    everything, _ = get_json(f"{base}{LEVER}?mode=json")
    assert len(everything) == 11
    pages = [get_json(f"{base}{LEVER}?mode=json&skip={skip}&limit=5")[0] for skip in (0, 5, 10)]
    assert [len(page) for page in pages] == [5, 5, 1]
    assert [p["id"] for page in pages for p in page] == [p["id"] for p in everything]
    assert get_json(f"{base}{LEVER}?mode=json&skip=15&limit=5")[0] == []


def test_lever_postings_close_on_nov23(web):
    def titles(snapshot):
        postings, _ = get_json(f"{web.snapshot_url(snapshot)}{LEVER}?mode=json")
        return {p["text"]: p for p in postings}

    nov02, nov09, nov16, nov23 = (titles(s) for s in SNAPSHOTS)
    assert [len(nov02), len(nov09), len(nov16), len(nov23)] == [10, 11, 11, 8]
    assert set(nov09) - set(nov02) == {"Support Engineer"}
    assert set(nov16) - set(nov23) == {
        "Connector Engineer",
        "Solutions Architect",
        "Customer Success Manager",
    }
    engineer = nov02["Senior Backend Engineer"]
    assert engineer["categories"]["department"] == "Engineering"
    assert engineer["categories"]["team"] == "Connectors"
    assert engineer["workplaceType"] == "hybrid"
    assert engineer["salaryRange"] == {
        "currency": "EUR",
        "interval": "per-year-salary",
        "min": 75000,
        "max": 95000,
    }
    assert engineer["createdAt"] == 1789462800000  # 2026-09-15T09:00:00Z


def test_greenhouse_hiring_surge_mentions_duckdb(web):
    catalog = load_catalog(DEMO_CATALOG)
    technologies = catalog.technologies
    boards = {s: get_json(f"{web.snapshot_url(s)}{GREENHOUSE}")[0] for s in SNAPSHOTS}
    assert [b["meta"]["total"] for b in boards.values()] == [2, 2, 6, 6]
    before = {j["id"] for j in boards[NOV09]["jobs"]}
    new = [j for j in boards[NOV16]["jobs"] if j["id"] not in before]
    assert {j["departments"][0]["name"] for j in new} == {"Engineering"}
    mentions = {}
    for job in boards[NOV16]["jobs"]:
        text = html.unescape(html.unescape(job["content"]))  # entity-escaped HTML
        mentions[job["title"]] = {t.technology_id for t in technologies if t.mentioned_in(text)}
        assert datetime.fromisoformat(job["updated_at"]).date() < NOV16
    assert mentions == {
        "Senior Data Engineer": {"duckdb", "dbt-core"},
        "Backend Engineer, Query Engine": {"duckdb", "go"},  # "Golang microservices"
        "Analytics Engineer": {"duckdb", "polars"},
        "Staff Software Engineer, Embedded Analytics": {"duckdb"},
        "Account Executive, Mid-Market": set(),  # "Go to market" is not Go
        "Product Designer": set(),
    }


def _postings(web: DemoWeb, snapshot: date, host: str) -> dict[str, Selector]:
    index_url = f"{web.snapshot_url(snapshot)}/{host}/careers/"
    status, _, body = get(index_url)
    assert status == 200
    pages = {}
    for href in Selector(text=body.decode()).css("a::attr(href)").getall():
        status, content_type, page = get(urllib.parse.urljoin(index_url, href))
        assert (status, content_type) == (200, "text/html; charset=utf-8"), href
        pages[href] = Selector(text=page.decode())
    return pages


def test_ember_careers_json_ld_only(web):
    counts = {}
    for snapshot in SNAPSHOTS:
        pages = _postings(web, snapshot, "ember.example")
        counts[snapshot] = len(pages)
        for page in pages.values():
            assert not page.css("[itemscope]")
            ld = json.loads(page.css('script[type="application/ld+json"]::text').get())
            assert ld["@type"] == "JobPosting"
    assert counts == {NOV02: 2, NOV09: 2, NOV16: 2, NOV23: 3}
    scientist = json.loads(
        _postings(web, NOV23, "ember.example")["data-scientist"]
        .css('script[type="application/ld+json"]::text')
        .get()
    )
    assert scientist["jobLocationType"] == "TELECOMMUTE"
    assert scientist["baseSalary"]["value"]["minValue"] == 60000
    r = next(t for t in load_catalog(DEMO_CATALOG).technologies if t.technology_id == "r")
    assert r.mentioned_in(scientist["description"])  # "Python or R"
    assert not r.mentioned_in("Our R&amp;D budget covers conferences. Our R&D team.")


def test_delta_careers_microdata_only(web):
    counts = {}
    for snapshot in SNAPSHOTS:
        pages = _postings(web, snapshot, "delta.example")
        counts[snapshot] = sorted(pages)
        for page in pages.values():
            assert not page.css('script[type="application/ld+json"]')
            assert page.css('[itemtype="https://schema.org/JobPosting"] [itemprop=title]')
    assert counts[NOV02] == counts[NOV09] == ["platform-engineer", "sales-development"]
    assert counts[NOV16] == counts[NOV23] == ["platform-engineer"]


def test_feeds_have_feed_content_types_and_weekly_releases(web):
    titles = {}
    for snapshot in SNAPSHOTS:
        status, content_type, body = get(
            f"{web.snapshot_url(snapshot)}/cobalt.example/releases/feed.xml"
        )
        assert (status, content_type) == (200, "application/rss+xml; charset=utf-8")
        items = ET.fromstring(body).findall("./channel/item")
        assert len(items) == 10
        for item in items:
            assert parsedate_to_datetime(item.findtext("pubDate")).date() < snapshot
        titles[snapshot] = [item.findtext("title") for item in items]
    assert [t[0] for t in titles.values()] == [
        "Cobalt 3.8.0",
        "Cobalt 3.9.0",
        "Cobalt 3.10.0",
        "Cobalt 3.11.0",
    ]
    assert "Cobalt Cloud is now SOC 2 Type II certified" in titles[NOV02]
    status, content_type, body = get(f"{web.snapshot_url(NOV23)}/ember.example/changelog/atom.xml")
    assert (status, content_type) == (200, "application/atom+xml; charset=utf-8")
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in ET.fromstring(body).iter(f"{atom}entry")] == [
        "Ember 0.9.0",
        "Ember 0.8.0",
        "Ember 0.7.0",
    ]


def _main_text(web: DemoWeb, snapshot: date, path: str) -> str:
    status, content_type, body = get(f"{web.snapshot_url(snapshot)}{path}")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    return " ".join(Selector(text=body.decode()).css("main ::text").getall()).strip()


def test_watched_pages_one_rewording_and_one_date_only_change(web):
    about = [_main_text(web, s, "/ember.example/about") for s in SNAPSHOTS]
    assert about[0] == about[1] != about[2] == about[3]
    assert "AI-assisted data observability" in about[2]
    security = [_main_text(web, s, "/delta.example/security") for s in SNAPSHOTS]
    assert len(set(security)) == 4
    assert "Last updated: November 16, 2026" in security[2]
    undated = {re.sub(r"Last updated: \w+ \d+, \d{4}", "", text) for text in security}
    assert len(undated) == 1


def test_sidecars_are_not_served(web):
    path = f"{web.snapshot_url(NOV23)}/cobalt.example/releases/feed.xml.http.json"
    assert get(path)[0] == 404


def test_sidecar_headers_and_snapshot_url(tmp_path):
    site = tmp_path / "2026-11-02" / "api.example"
    site.mkdir(parents=True)
    (site / "items.json").write_text(json.dumps(list(range(7))))
    (site / "items.json.http.json").write_text(
        json.dumps({"headers": {"X-Home": "{snapshot_url}/api.example"}, "paginate": "github"})
    )
    with DemoWeb(tmp_path) as own:
        status, headers, body = fetch(
            f"{own.url}/2026-11-02/api.example/items.json?page=2&per_page=3"
        )
        assert (status, json.loads(body)) == (200, [3, 4, 5])
        assert headers["X-Home"] == f"{own.url}/2026-11-02/api.example"
        assert links(headers["Link"])["next"] == (
            f"{own.url}/2026-11-02/api.example/items.json?page=3&per_page=3"
        )


# --------------------------------------------------------------------------- adoption signals
NPM = "/api.npmjs.org/downloads"
SE = "/api.stackexchange.com/2.3/tags"
HN = "/hn.algolia.com/api/v1/search_by_date"
WIKI = "/wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/all-access/user"


def answer(url: str) -> tuple[int, str, object]:
    status, headers, body = fetch(url)
    return status, headers["Content-Type"], json.loads(body)


def epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def test_github_repo_json_and_the_archived_project(web):
    stars = []
    for snapshot in SNAPSHOTS:
        repo, headers = get_json(
            f"{web.snapshot_url(snapshot)}/api.github.com/repos/pola-rs/polars"
        )
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert repo["full_name"] == "pola-rs/polars"
        assert repo["archived"] is False
        assert repo["license"]["spdx_id"] == "MIT"
        assert repo["pushed_at"] == f"{snapshot - timedelta(days=1)}T21:37:05Z"
        stars.append(repo["stargazers_count"])
    assert stars == [8_761, 9_012, 9_271, 9_537]  # the riser
    sqoop, _ = get_json(f"{web.snapshot_url(NOV23)}/api.github.com/repos/apache/sqoop")
    assert (sqoop["archived"], sqoop["pushed_at"], sqoop["default_branch"]) == (
        True,
        "2021-06-14T09:12:40Z",
        "trunk",
    )
    releases, headers = get_json(
        f"{web.snapshot_url(NOV23)}/api.github.com/repos/apache/sqoop/releases?per_page=100"
    )
    assert (releases[0]["tag_name"], releases[0]["published_at"]) == (
        "1.4.7",
        "2017-12-06T17:03:00Z",
    )
    assert "Link" not in headers
    go, _ = get_json(f"{web.snapshot_url(NOV23)}/api.github.com/repos/golang/go/releases")
    assert go == []  # tags only, like the real golang/go


def test_polars_releases_span_two_pages(web):
    url = f"{web.snapshot_url(NOV23)}/api.github.com/repos/pola-rs/polars/releases?per_page=100"
    first, headers = get_json(url)
    assert len(first) == 100
    assert first[0]["published_at"] == "2026-11-18T15:04:07Z"  # weekly, Wednesdays
    second, _ = get_json(links(headers["Link"])["next"])
    assert len(second) == 34
    assert second[-1]["published_at"] == "2024-05-01T15:04:07Z"


def test_npm_bulk_range_for_two_packages(web):
    status, content_type, body = answer(
        f"{web.snapshot_url(NOV16)}{NPM}/range/2026-11-09:2026-11-15/apache-arrow,nodejs-polars"
    )
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert sorted(body) == ["apache-arrow", "nodejs-polars"]
    polars = body["nodejs-polars"]
    assert (polars["start"], polars["end"], polars["package"]) == (
        "2026-11-09",
        "2026-11-15",
        "nodejs-polars",
    )
    assert [d["day"] for d in polars["downloads"]][0::6] == ["2026-11-09", "2026-11-15"]
    assert sum(d["downloads"] for d in polars["downloads"]) == 1_437_699
    assert sum(d["downloads"] for d in body["apache-arrow"]["downloads"]) == 3_165_060
    # the same days are identical in a later snapshot, and the data stops before it
    later = answer(f"{web.snapshot_url(NOV23)}{NPM}/range/2026-11-09:2026-11-30/nodejs-polars")[2]
    assert later["downloads"][:7] == polars["downloads"]
    assert later["downloads"][-1]["day"] == "2026-11-22"


def test_npm_single_scoped_last_year_and_errors(web):
    base = web.snapshot_url(NOV02)
    status, _, body = answer(f"{base}{NPM}/range/last-year/@duckdb/node-api")
    assert status == 200
    assert (body["start"], body["end"], len(body["downloads"])) == ("2025-11-02", "2026-11-01", 365)
    assert body["package"] == "@duckdb/node-api"
    assert answer(f"{base}{NPM}/range/last-week/left-pad") == (
        404,
        "application/json; charset=utf-8",
        {"error": "package left-pad not found"},
    )
    bulk = answer(f"{base}{NPM}/range/last-week/apache-arrow,left-pad")[2]
    assert bulk["left-pad"] is None
    assert answer(f"{base}{NPM}/range/last-week/apache-arrow,@duckdb/node-api")[0] == 400
    assert answer(f"{base}{NPM}/range/2025-01-01:2026-10-01/apache-arrow,nodejs-polars")[0] == 400
    assert answer(f"{base}{NPM}/range/2025-06-01:2026-10-01/apache-arrow")[0] == 200  # < 18 m
    point = answer(f"{base}{NPM}/point/2026-10-26:2026-11-01/nodejs-polars")[2]
    assert point == {
        "downloads": 1_364_098,
        "start": "2026-10-26",
        "end": "2026-11-01",
        "package": "nodejs-polars",
    }


def test_stackexchange_batch_of_tags(web):
    url = (
        f"{web.snapshot_url(NOV16)}{SE}/python-polars;pandas;no-such-tag;r/info"
        "?site=stackoverflow&pagesize=100"
    )
    status, content_type, body = answer(url)
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert [(i["name"], i["count"]) for i in body["items"]] == [
        ("pandas", 145_697),
        ("r", 54_532),
        ("python-polars", 27_664),
    ]  # sorted by count; the unknown tag is simply missing
    assert body["items"][0] == {
        "has_synonyms": True,
        "is_moderator_only": False,
        "is_required": False,
        "count": 145_697,
        "name": "pandas",
    }
    assert (body["has_more"], body["quota_max"]) == (False, 300)
    again = answer(url)[2]
    assert again["quota_remaining"] == body["quota_remaining"] - 1
    # questions accumulate: the riser grows every week, the decliner never goes down
    counts = [
        {
            i["name"]: i["count"]
            for i in answer(
                f"{web.snapshot_url(s)}{SE}/python-polars;hadoop/info?site=stackoverflow"
            )[2]["items"]
        }
        for s in SNAPSHOTS
    ]
    assert [c["python-polars"] for c in counts] == [26_168, 26_906, 27_664, 28_444]
    assert len({c["hadoop"] for c in counts}) == 1
    status, _, error = answer(f"{web.snapshot_url(NOV16)}{SE}/pandas/info")
    assert (status, error["error_name"]) == (400, "bad_parameter")
    assert (
        answer(f"{web.snapshot_url(NOV16)}{SE}/pandas/wikis?site=stackoverflow")[2]["error_name"]
        == "no_method"
    )


def test_hn_story_counts_per_window(web):
    week = date(2026, 11, 9)
    url = (
        f"{web.snapshot_url(NOV16)}{HN}?query=Polars&tags=story"
        f"&numericFilters=created_at_i>={epoch(week)},created_at_i<{epoch(week + timedelta(7))}"
        "&hitsPerPage=0"
    )
    status, _, body = answer(url)
    assert status == 200
    assert body["nbHits"] == 18
    assert (body["hits"], body["page"], body["nbPages"], body["hitsPerPage"]) == ([], 0, 0, 0)
    assert body["query"] == "Polars"

    # case-insensitive query; the decliner's weekly count falls
    def stories(query: str, monday: date, snapshot: date = NOV23) -> int:
        window = f"created_at_i>={epoch(monday)},created_at_i<{epoch(monday + timedelta(7))}"
        return answer(
            f"{web.snapshot_url(snapshot)}{HN}?query={query}&tags=story&numericFilters={window}"
            "&hitsPerPage=0"
        )[2]["nbHits"]

    assert stories("polars", week) == 18
    assert stories("Hadoop", date(2026, 8, 17)) == 23
    assert stories("Hadoop", week) == 17
    # only stories before the snapshot: the running week is empty in its own snapshot
    assert stories("Polars", NOV16, NOV16) == 0
    assert stories("Polars", NOV16, NOV23) == 18
    assert stories("nobody-searches-this", week) == 0
    status, _, _ = answer(f"{web.snapshot_url(NOV16)}{HN}?query=x&numericFilters=points>5")
    assert status == 400


def test_hn_story_hits_newest_first_in_pages(web):
    start, end = epoch(date(2026, 10, 26)), epoch(date(2026, 11, 16))  # three weeks
    window = f"query=Polars&tags=story&numericFilters=created_at_i>={start},created_at_i<{end}"
    _, _, everything = answer(f"{web.snapshot_url(NOV23)}{HN}?{window}&hitsPerPage=1000")
    hits = everything["hits"]
    assert len(hits) == everything["nbHits"] == 52
    stamps = [hit["created_at_i"] for hit in hits]
    assert stamps == sorted(stamps, reverse=True)
    assert start <= min(stamps)
    assert max(stamps) < end
    assert {"objectID", "title", "author", "points", "created_at"} <= set(hits[0])
    _, _, second = answer(f"{web.snapshot_url(NOV23)}{HN}?{window}&hitsPerPage=20&page=1")
    assert (second["nbPages"], second["page"]) == (3, 1)
    assert [hit["created_at_i"] for hit in second["hits"]] == stamps[20:40]


def test_wikipedia_pageviews_and_the_failing_article(web):
    base = web.snapshot_url(NOV16)
    status, content_type, body = answer(
        f"{base}{WIKI}/Polars_(software)/daily/2026110900/2026111500"
    )
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert len(body["items"]) == 7
    assert body["items"][0] == {
        "project": "en.wikipedia",
        "article": "Polars_(software)",
        "granularity": "daily",
        "timestamp": "2026110900",
        "access": "all-access",
        "agent": "user",
        "views": 268,
    }
    assert sum(i["views"] for i in body["items"]) == 1_761
    # data stops the day before the snapshot
    tail = answer(f"{base}{WIKI}/Apache_Hadoop/daily/2026111000/2026113000")[2]["items"]
    assert tail[-1]["timestamp"] == "2026111500"
    status, content_type, body = answer(f"{base}{WIKI}/Dagster/daily/2026110900/2026111500")
    assert (status, content_type) == (404, "application/problem+json")
    assert body == {
        "detail": "The date(s) you used are valid, but we either do not have data for those "
        "date(s), or the project you asked for is not loaded yet. Please check documentation "
        "for more information",
        "method": "get",
        "status": 404,
        "title": "Not Found",
        "type": "about:blank",
        "uri": "/metrics/pageviews/per-article/en.wikipedia/all-access/user/Dagster/daily/"
        "2026110900/2026111500",
    }
    assert answer(f"{base}{WIKI}/Apache_Hadoop/daily")[2]["detail"] == "invalid route"
    assert answer(f"{base}{WIKI}/Apache_Hadoop/daily/2026111500/2026110900")[0] == 400


def test_github_graphql_answers_repositories_as_their_rest_files(web):
    url = f"{web.snapshot_url(NOV23)}/api.github.com/graphql"
    query = (
        "fragment repo on Repository { stargazerCount } query { "
        'r0: repository(owner: "pola-rs", name: "polars") { ...repo } '
        'r1: repository(owner: "nobody", name: "nothing") { ...repo } }'
    )

    def post(headers: dict[str, str]) -> tuple[int, dict]:
        request = urllib.request.Request(
            url, data=json.dumps({"query": query}).encode(), headers=headers, method="POST"
        )
        try:
            with OPENER.open(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, body = post({"Content-Type": "application/json"})
    assert (status, body["message"]) == (401, "This endpoint requires you to be authenticated.")
    status, body = post({"Authorization": "bearer test", "Content-Type": "application/json"})
    assert status == 200
    _, _, rest = answer(f"{web.snapshot_url(NOV23)}/api.github.com/repos/pola-rs/polars")
    assert body["data"]["r0"]["stargazerCount"] == rest["stargazers_count"]
    assert body["data"]["r0"]["nameWithOwner"] == "pola-rs/polars"
    assert body["data"]["r1"] is None
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["path"] == ["r1"]
