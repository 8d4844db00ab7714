"""`radar try`: one source crawled as a run would (real Scrapy over HTTP against the demo
web on 127.0.0.1), nothing loaded; `radar extract --explain`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from demo.web import DemoWeb
from flows.catalog import CatalogError
from flows.cli import app
from flows.settings import ROOT, Settings
from flows.trial import try_file, try_source

DEMO_WEB = ROOT / "seeds" / "demo" / "web"
PAGES = ROOT / "benchmarks" / "pages"
runner = CliRunner()


def plans(items):
    return [(i["name"], i["price"], i["currency"], i["billing_period"]) for i in items]


def test_try_crawls_a_demo_source_and_explains_without_loading(data_dir):
    trial = try_source("cobalt-cloud-pricing", catalog="demo", explain=True)
    assert trial.status == "ok"
    assert plans(trial.items) == [
        ("Developer", "0.00", "GBP", "month"),
        ("Startup", "49.00", "GBP", "month"),
        ("Growth", "299.00", "GBP", "month"),
    ]
    assert trial.items[0]["source_id"] == "cobalt-cloud-pricing"
    (page,) = trial.explanations
    verdicts = {step["method"]: step["verdict"] for step in page["trace"]}
    assert verdicts["json-ld"] == "nothing found"
    assert verdicts["selectors"] == "nothing found: the source has no selectors"
    assert verdicts["heuristics"].startswith("kept: 3 plan(s)")
    # Nothing landed in the data dir: no landing file, run folder or warehouse.
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_try_with_selectors_of_ones_own(data_dir):
    trial = try_source(
        "northwind-analytics-pricing",
        catalog="demo",
        selectors="plan=.plan-card; name=.plan-name; price=.price; period=.period",
    )
    assert trial.status == "ok"
    assert {i["method"] for i in trial.items} == {"selectors"}
    assert len(trial.items) >= 2


def test_try_names_what_it_could_not_find(data_dir):
    with pytest.raises(CatalogError, match="'no-such-source' is neither a URL, a file, nor"):
        try_source("no-such-source", catalog="demo")
    with pytest.raises(CatalogError, match="--selectors 'name=h3': 'plan' is required"):
        try_source("cobalt-cloud-pricing", catalog="demo", selectors="name=h3")


def test_try_a_saved_file_explains_a_comparison_table():
    trial = try_file(PAGES / "pricing_comparison_table.html", explain=True)
    assert plans(trial.items) == [
        ("Free", "0.00", "USD", "month"),
        ("Team", "10.00", "USD", "month"),
        ("Business", "24.00", "USD", "month"),
        ("Enterprise", None, None, "unknown"),
    ]
    verdicts = {s["method"]: s["verdict"] for s in trial.explanations[0]["trace"]}
    assert verdicts["table"] == (
        "kept: 4 plan(s), the heuristics method 0 (more plans win; cards on a tie)"
    )
    assert verdicts["heuristics"] == "nothing found"


def test_explain_says_why_structured_data_beat_the_cards():
    page = DEMO_WEB / "2026-11-16" / "bluebird.example" / "pricing" / "index.html"
    result = runner.invoke(app, ["extract", "pricing", str(page), "--explain"])
    assert result.exit_code == 0, result.output
    # stdout keeps its JSON lines; the explanation goes to stderr.
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert {i["method"] for i in items} == {"json-ld"}
    assert "json-ld: kept:" in result.stderr
    assert "heuristics: dropped: json-ld is more trusted" in result.stderr


def test_explain_refuses_other_spiders_by_name():
    page = PAGES / "job_rdfa.html"
    result = runner.invoke(app, ["extract", "jobposting", str(page), "--explain"])
    assert result.exit_code == 2
    assert "covers the pricing spider only" in result.output


# --------------------------------------------------------------------------- rendered pages
CHROMIUM = Settings().chromium_path
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Chromium not installed at {CHROMIUM}: `make browser` installs Debian's",
)


@needs_chromium
def test_try_renders_a_javascript_only_pricing_page(data_dir):
    trial = try_source("ember-labs-pricing", catalog="demo", explain=True)
    assert trial.status == "ok"
    assert [
        (i["name"], i["price"], i["currency"], i["billing_period"], i["is_custom"], i["method"])
        for i in trial.items
    ] == [
        ("Spark", "0.00", "EUR", "unknown", False, "rendered"),
        ("Flame", "24.00", "EUR", "month", False, "rendered"),
        ("Blaze", "79.00", "EUR", "month", False, "rendered"),
        ("Inferno", None, None, "unknown", True, "rendered"),
    ]
    # --explain names the method that read the drawn page.
    verdicts = {s["method"]: s["verdict"] for s in trial.explanations[0]["trace"]}
    assert verdicts["heuristics"].startswith("kept: 4 plan(s)")


def test_the_same_page_without_a_browser_has_no_prices(data_dir):
    with DemoWeb(DEMO_WEB) as web:
        url = web.snapshot_url("2026-11-23") + "/ember.example/pricing"
        trial = try_source(url, catalog="demo", spider="pricing")  # 127.0.0.1 allowed
    assert trial.items == []
    assert (trial.status, trial.error) == ("failed", "parse error no_plans_found ×1")


def test_a_render_source_without_chromium_fails_naming_the_path(data_dir, monkeypatch):
    monkeypatch.setenv("RADAR_CHROMIUM_PATH", "/nonexistent/chromium")
    trial = try_source("ember-labs-pricing", catalog="demo")
    assert trial.status == "failed"
    assert trial.error.startswith("Chromium not found at /nonexistent/chromium")
    assert "make browser" in trial.error


def test_render_settings_judge_the_browsers_own_requests(data_dir):
    from flows.crawl import render_settings

    real = render_settings(Settings(catalog="real", chromium_path="/bin/sh"))
    assert real["PLAYWRIGHT_ABORT_REQUEST"] == "scrapers.render.abort_private_request"
    assert real["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == "/bin/sh"
    assert "--disable-background-networking" in real["PLAYWRIGHT_LAUNCH_OPTIONS"]["args"]
    demo = render_settings(Settings(catalog="demo", chromium_path="/bin/sh"))
    assert demo["PLAYWRIGHT_ABORT_REQUEST"] == "scrapers.render.abort_heavy_request"
