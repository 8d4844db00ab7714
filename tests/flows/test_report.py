"""The run's markdown report (the Prefect artifact each run leaves)."""

from __future__ import annotations

from flows.report import run_report


def test_the_report_lists_troubled_sources_first_then_counts_the_rest():
    summary = {
        "run_id": "r1",
        "status": "partial",
        "catalog": "demo",
        "observed_at": "2026-11-23T06:00:00+00:00",
        "sources": {"ok": 70, "partial": 1, "failed": 1},
        "checks_passed": 240,
        "checks_failed": 0,
        "timings": {"crawl": 10.04, "dbt build": 7.5},
        "published_path": "data/published/radar.duckdb",
        "error": None,
    }
    rows = [
        {"source_id": "a-ok", "source_kind": "pricing", "status": "ok", "items": 3,
         "responses": {"200": 2}, "retries": 0, "error": None},
        {"source_id": "b-lever", "source_kind": "lever", "status": "partial", "items": 5,
         "responses": {"200": 2, "500": 1}, "retries": 0,
         "error": "some pages failed: HTTP 500 ×1"},
        {"source_id": "c-pricing", "source_kind": "pricing", "status": "failed", "items": 0,
         "responses": {"200": 1, "503": 4}, "retries": 3, "error": "HTTP 503 ×1 after 3 retries"},
    ]  # fmt: skip
    report = run_report(summary, rows)
    assert report.splitlines()[0] == "# Market Radar run `r1`: partial"
    assert "- sources: 1 failed, 70 ok, 1 partial" in report
    assert "- steps: crawl 10.0 s, dbt build 7.5 s" in report
    table = [line for line in report.splitlines() if line.startswith("| ") and "---" not in line]
    assert table[1:] == [
        "| c-pricing | pricing | failed | 0 | 200×1, 503×4 | 3 | HTTP 503 ×1 after 3 retries |",
        "| b-lever | lever | partial | 5 | 200×2, 500×1 | 0 | some pages failed: HTTP 500 ×1 |",
    ]
    assert report.rstrip().endswith("1 of 3 sources ok.")
