"""The `radar` front door: commands people type, and what they print."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import ROOT
from tests.fixtures.ports import free_port

DEMO_WEB = ROOT / "seeds" / "demo" / "web"
runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "run", "app", "demo-web", "serve", "docs", "extract", "export"):
        assert command in result.output


def test_extract_prints_one_json_object_per_item_with_stable_fields():
    page = DEMO_WEB / "2026-11-16" / "cobalt.example" / "pricing" / "index.html"
    result = runner.invoke(
        app, ["extract", "pricing", str(page), "--url", "https://cobalt.example/pricing"]
    )
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(i["name"], i["price"], i["currency"], i["billing_period"]) for i in items] == [
        ("Developer", "0.00", "GBP", "month"),
        ("Startup", "49.00", "GBP", "month"),
        ("Pro", "129.00", "GBP", "month"),
        ("Growth", "299.00", "GBP", "month"),
    ]
    for item in items:
        assert item["input"] == str(page)
        assert item["url"] == "https://cobalt.example/pricing"
        assert item["method"] == "heuristics"
        assert {"availability", "sku"} <= item.keys()


def test_extract_reads_saved_api_json():
    saved = DEMO_WEB / "2026-11-16" / "pypistats.org" / "api" / "packages" / "polars"
    result = runner.invoke(app, ["extract", "pypistats", str(saved / "overall" / "index.json")])
    assert result.exit_code == 0, result.output
    (item,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (item["package"], len(item["points"])) == ("polars", 60)
    assert {"date": "2026-11-10", "downloads": 1_859_636} in item["points"]


def test_run_names_the_malformed_catalog_row(prefect_harness, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds" / "catalog", seeds / "catalog")
    sources = seeds / "catalog" / "sources.csv"
    lines = sources.read_text().splitlines(True)
    lines[2] = lines[2].replace(",pricing,", ",pricng,", 1)
    sources.write_text("".join(lines))
    monkeypatch.setattr("flows.settings.Settings.seeds_dir", property(lambda self: seeds))
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))

    result = runner.invoke(app, ["run", "--catalog", "real"])

    assert result.exit_code == 1
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "Run failed, nothing published" in output
    assert "sources.csv line 3, column 'spider': unknown spider 'pricng'" in output
    assert not (tmp_path / "data" / "published").exists()


def test_prefect_yaml_deploys_the_flows_that_exist():
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    for deployment in config["deployments"]:
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        # the parameters a deployment passes are the flow's own
        assert set(deployment["parameters"]) <= set(flow.parameters.properties), deployment
        assert flow.name in {"pipeline", "demo_market"}


def test_docs_builds_dbt_docs_offline_and_serves_them_on_loopback(tmp_path):
    port = free_port()
    env = {**os.environ, "RADAR_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "docs", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    page = resp.read().decode()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read()) from None
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert (tmp_path / "docs" / "index.html").is_file()
    # the manifest is inlined: models, their column docs and the lineage travel in the page
    assert "model.market_radar.fct_price_changes" in page
    assert "Price changes of competitors" in page


def radar(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The `radar` command as a user runs it (its own process, its exit code, its stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **env},
        cwd=ROOT,
        check=False,
    )


def test_bad_settings_are_one_line_each_and_exit_2():
    wrong = radar("run", "--catalog", "nope", RADAR_CRAWL_CONCURRENCY="0")
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines() == [
        "Invalid setting: RADAR_CRAWL_CONCURRENCY: Input should be greater than or equal to 1 "
        "(got '0')"
    ]
    catalog = radar("run", "--catalog", "nope")
    assert catalog.stderr.splitlines() == [
        "Invalid setting: RADAR_CATALOG: Input should be 'demo', 'real' or 'bench' (got 'nope')"
    ]
    urls = radar("run", RADAR_NOTIFY_URLS="tgram://secret-token/123")
    assert urls.returncode == 2
    assert urls.stderr.splitlines() == ["Invalid setting: RADAR_NOTIFY_URLS: not valid JSON"]
    assert "secret-token" not in urls.stderr + urls.stdout


def test_an_unreadable_input_file_is_one_line_and_exit_1(tmp_path):
    result = radar("extract", "pricing", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Error: Is a directory: {tmp_path}"]
