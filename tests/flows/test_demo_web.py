import http.client
import json
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from parsel import Selector

from flows.catalog import load_catalog, plan
from flows.demo_web import DEFAULT_WEB_DIR, DemoWeb, Fault, snapshots

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
# Never go through a proxy from the environment: the demo web is local.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def web():
    with DemoWeb() as running:
        yield running


def get(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    try:
        with OPENER.open(urllib.request.Request(url, method=method), timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


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
    assert team_prices[SNAPSHOTS[0]] == [
        "$12 per seat / month",
        "$10 per seat / month, billed annually",
    ]
    assert (
        team_prices[SNAPSHOTS[1]]
        == team_prices[SNAPSHOTS[2]]
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
    assert ("Scale", "P1M") not in plans[SNAPSHOTS[1]]
    assert plans[SNAPSHOTS[2]][("Scale", "P1M")] == "99.00"
    assert plans[SNAPSHOTS[2]][("Starter", "P1Y")] == "190.00"
    assert plans[SNAPSHOTS[0]] == plans[SNAPSHOTS[1]]


def test_cobalt_drops_pro_plan(web):
    names = {}
    for snapshot in SNAPSHOTS:
        _, _, body = get(f"{web.snapshot_url(snapshot)}/cobalt.example/pricing")
        page = Selector(text=body.decode())
        assert not page.css('script[type="application/ld+json"]')
        names[snapshot] = page.css(".box h2::text").getall()
        assert page.css(".box .figure::text").get() == "£0 / month"
    assert names[SNAPSHOTS[0]] == ["Developer", "Startup", "Pro", "Growth"]
    assert names[SNAPSHOTS[2]] == ["Developer", "Startup", "Growth"]


def test_pypistats_json_values(web):
    series = {s: downloads(web, s, "duckdb") for s in SNAPSHOTS}
    assert series[SNAPSHOTS[1]]["2026-11-10"] == 1_268_027
    assert series[SNAPSHOTS[2]]["2026-11-22"] == 644_657
    for snapshot, days in series.items():
        assert len(days) == 60
        assert max(days) == (snapshot - timedelta(days=1)).isoformat()
        assert min(days) == (snapshot - timedelta(days=60)).isoformat()
    # overlapping days are identical across snapshots
    for day in set(series[SNAPSHOTS[0]]) & set(series[SNAPSHOTS[2]]):
        assert series[SNAPSHOTS[0]][day] == series[SNAPSHOTS[2]][day]
    # weekends are quieter: Sunday 2026-11-22 vs Tuesday 2026-11-17
    assert series[SNAPSHOTS[2]]["2026-11-22"] < 0.7 * series[SNAPSHOTS[2]]["2026-11-17"]


def test_pypistats_trends(web):
    def first_and_last_week(package):
        values = list(downloads(web, SNAPSHOTS[2], package).values())
        return sum(values[:7]), sum(values[-7:])

    first, last = first_and_last_week("polars")
    assert last > 1.15 * first
    first, last = first_and_last_week("great-expectations")
    assert last < 0.9 * first


def test_every_demo_catalog_url_resolves_in_every_snapshot(web):
    catalog = load_catalog(ROOT / "seeds/demo/catalog")
    for snapshot in SNAPSHOTS:
        for targets in plan(catalog, web.snapshot_url(snapshot)).values():
            for target in targets:
                assert get(target.url)[0] == 200, target.url


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
    connection.request("GET", "/../../../flows/demo_web.py")
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
    url = f"{web.snapshot_url(SNAPSHOTS[0])}/northwind.example/pricing"
    with ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(lambda _: get(url)[0], range(128)))
    assert statuses == [200] * 128


def test_generated_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "seeds/demo/generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert DEFAULT_WEB_DIR == ROOT / "seeds/demo/web"
