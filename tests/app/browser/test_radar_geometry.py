"""The Technology radar as drawn by Chromium over the demo market, at 1024 and 1440 px: every
blip inside its ring's band, nothing clipped, the ring legend clear of the radar, filters that
apply to the chart, tooltips in words."""

from __future__ import annotations

import math

import pytest

from app.adoption import RINGS
from tests.fixtures.browser import new_tab

# The demo market's radar as of the week of 2026-11-23 (seeds/demo): technology → ring.
DEMO_RINGS = {
    "pandas": "adopt", "Go": "adopt", "Apache Arrow (PyArrow)": "adopt",
    "Apache Spark (PySpark)": "adopt", "Polars": "trial", "DuckDB": "assess", "R": "assess",
    "Apache Airflow": "assess", "dbt Core": "assess", "Prefect": "assess", "Dagster": "assess",
    "Great Expectations": "hold", "Apache Hadoop": "hold", "Apache Sqoop": "hold",
}  # fmt: skip

GEOMETRY_JS = """
() => {
  const svg = document.querySelector('svg.tech-radar');
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}; };
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    svg: box(svg), main: box(main),
    legend: box(document.querySelector('.ring-legend')),
    rings: [...svg.querySelectorAll('circle.ring')].map(c => ({ring: c.dataset.ring, ...box(c)})),
    blips: [...svg.querySelectorAll('g.blip')].map(g => ({
      name: g.dataset.technology, ring: g.dataset.ring, number: g.dataset.number,
      title: g.querySelector('title').textContent, ...box(g.querySelector('circle'))})),
  };
}
"""


def radar_geometry(browser, app_server, width: int):
    tab = new_tab(browser, app_server, width=width, height=900)
    tab.open("radar")
    tab.screenshot(f"radar-{width}px")
    assert tab.exceptions() == []
    assert tab.outside == []
    geometry = tab.page.evaluate(GEOMETRY_JS)
    return tab, geometry


@pytest.mark.parametrize("width", [1024, 1440])
def test_every_blip_is_inside_its_ring_band_and_nothing_is_clipped(browser, app_server, width):
    tab, geo = radar_geometry(browser, app_server, width)
    try:
        rings = {ring["ring"]: ring for ring in geo["rings"]}
        assert list(rings) == list(reversed(RINGS))  # drawn from the outside in
        centre = rings["hold"]["x"], rings["hold"]["y"]
        radii = [0.0] + [rings[ring]["w"] / 2 for ring in RINGS]

        assert {blip["name"]: blip["ring"] for blip in geo["blips"]} == DEMO_RINGS
        for blip in geo["blips"]:
            band = RINGS.index(blip["ring"])
            distance = math.dist(centre, (blip["x"], blip["y"]))
            blip_radius = blip["w"] / 2
            # The whole blip, not only its centre, lies within the band.
            assert radii[band] <= distance - blip_radius, (blip["name"], width)
            assert distance + blip_radius <= radii[band + 1], (blip["name"], width)
        # Nothing clipped: the outer ring within the SVG, the SVG within the main area.
        outer = rings["hold"]
        assert geo["svg"]["left"] <= outer["left"]
        assert outer["right"] <= geo["svg"]["right"]
        assert geo["svg"]["top"] <= outer["top"]
        assert outer["bottom"] <= geo["svg"]["bottom"]
        assert geo["main"]["left"] <= geo["svg"]["left"]
        assert geo["svg"]["right"] <= geo["main"]["right"]
        # The ring legend sits above the radar, not over it.
        assert geo["legend"]["bottom"] <= geo["svg"]["top"]
        assert outer["w"] > 300  # legible at this width
    finally:
        tab.page.context.close()


def test_tooltips_are_words_and_numbers_match_the_lists(browser, app_server):
    tab, geo = radar_geometry(browser, app_server, 1440)
    try:
        titles = {blip["name"]: blip["title"] for blip in geo["blips"]}
        duckdb = titles["DuckDB"]
        assert duckdb.startswith("8. DuckDB: assess (Databases & storage)")
        assert "momentum +13% over 12 weeks" in duckdb
        assert "Why: rank 9 of 14, score up 13% over 12 weeks (assess)" in duckdb
        for title in titles.values():
            for raw in ("theta", "inner", "null", "None", "nan"):
                assert raw not in title
        lists = tab.page.locator('[data-testid="stMain"]').inner_text()
        assert "8. DuckDB: assess" in lists
        assert "10. R: assess, no change" in lists  # first scored lately, on the last radar too
    finally:
        tab.page.context.close()


def test_ring_filter_applies_to_the_chart_and_the_table(browser, app_server):
    tab = new_tab(browser, app_server, width=1440, height=900)
    try:
        tab.open("radar")
        rings = tab.page.locator('[data-testid="stMultiSelect"]').filter(has_text="Rings")
        rings.locator("input").click()
        tab.page.get_by_role("option", name="hold", exact=True).click()
        tab.page.keyboard.press("Escape")
        # The rerun has drawn the filtered radar when fewer blips than the demo's 14 remain.
        tab.page.wait_for_function("document.querySelectorAll('svg.tech-radar g.blip').length < 14")
        tab.settle()
        blips = tab.page.locator("svg.tech-radar g.blip")
        names = sorted(blips.evaluate_all("gs => gs.map(g => g.dataset.technology)"))

        assert names == ["Apache Hadoop", "Apache Sqoop", "Great Expectations"]
        # The blips keep their numbers from the whole radar.
        numbers = blips.evaluate_all("gs => gs.map(g => g.dataset.number)")
        assert sorted(numbers, key=int) == ["5", "6", "14"]
        assert tab.exceptions() == []
    finally:
        tab.page.context.close()
