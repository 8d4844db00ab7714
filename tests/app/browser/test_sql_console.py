"""The SQL page in Chromium over the demo market: an example answers and downloads as CSV, a
hostile statement is refused on screen, and the published file is unchanged."""

from __future__ import annotations

import hashlib

import pandas as pd


def test_example_answers_and_downloads_as_csv(tab, tmp_path):
    tab.open("sql")
    tab.page.get_by_text("rows in").first.wait_for()

    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "answer.csv"
    download.value.save_as(path)
    answer = pd.read_csv(path)

    assert download.value.suggested_filename == "radar-query.csv"
    # The demo's fastest riser over 12 weeks: Polars, +38.5%
    assert answer.iloc[0]["name"] == "Polars"
    assert answer.iloc[0]["momentum_12w_pct"] == 38.5
    assert tab.outside == []


def test_hostile_statements_are_refused_on_screen(tab, demo_published, tmp_path):
    before = hashlib.sha256(demo_published.read_bytes()).hexdigest()
    tab.open("sql")
    box = tab.page.get_by_label("Query (Ctrl+Enter runs it)")
    for sql, says in (
        (f"copy (select 1) to '{tmp_path}/leak.csv'", "this is a COPY statement"),
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled"),
        ("install httpfs", "this is a LOAD statement"),
    ):
        box.fill(sql)
        box.press("Control+Enter")
        alert = tab.page.locator('[data-testid="stAlert"]').filter(has_text=says)
        alert.wait_for()
        assert alert.inner_text().startswith("Refused")
    assert not (tmp_path / "leak.csv").exists()
    assert hashlib.sha256(demo_published.read_bytes()).hexdigest() == before
    assert tab.exceptions() == []
