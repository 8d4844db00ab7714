"""The Technology radar: rings and quadrants drawn, and the table of scores and reasons."""

import re

import pandas as pd
import pytest

from app.adoption import INDEX_DEFINITION, RING_EDGES, RING_RULES, RINGS


@pytest.fixture
def radar(published, app_test):
    at = app_test().run()
    at.switch_page("views/radar.py").run()
    assert not at.exception
    return at


BLIP = re.compile(
    r'<g class="blip" data-technology="([^"]+)" data-ring="(\w+)" data-number="(\d+)" '
    r'data-radius="([\d.]+)"><title>([^<]*)</title><circle cx="(-?[\d.]+)" cy="(-?[\d.]+)"'
)


def radar_svg(at) -> str:
    (svg,) = [md.value for md in at.markdown if "<svg" in md.value]
    return svg


def radar_points(at) -> pd.DataFrame:
    """The blips the radar's SVG draws: ring, number, radius (radar units), x and y (SVG y
    points down, so y is negated back to "up")."""
    rows = [
        {
            "technology": name, "ring": ring, "number": int(number), "radius": float(radius),
            "tooltip": title, "x": float(x) / 100, "y": -float(y) / 100,
        }
        for name, ring, number, radius, title, x, y in BLIP.findall(radar_svg(at))
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index("technology")


def test_one_point_per_technology_in_its_ring_band(radar):
    points = radar_points(radar)

    assert sorted(points.index) == [
        "Apache Pig", "DuckDB", "Luigi", "Polars", "PostgreSQL", "Rust", "Soda Core",
    ]  # fmt: skip
    assert points["ring"].to_dict() == {
        "Polars": "trial", "Apache Pig": "hold", "DuckDB": "adopt", "PostgreSQL": "adopt",
        "Rust": "assess", "Soda Core": "assess", "Luigi": "hold",
    }  # fmt: skip
    for name, point in points.iterrows():
        band = RINGS.index(point["ring"])
        assert RING_EDGES[band] < point["radius"] < RING_EDGES[band + 1], name
        assert abs((point["x"] ** 2 + point["y"] ** 2) ** 0.5 - point["radius"]) < 2e-3
    # Quadrants are sectors clockwise from 12 o'clock in name order: "Data processing" is
    # top right, "Databases" bottom right, "Languages & platforms" bottom left.
    signs = (points[["x", "y"]] > 0).apply(tuple, axis=1)
    assert signs["Polars"] == (True, True)
    assert signs["DuckDB"] == (True, False)
    assert signs["Rust"] == (False, False)
    assert signs["Luigi"] == (False, True)
    # The tooltip says the ring, the score, momentum, flags and reasons in words.
    assert "Flags: archived" in points.loc["Apache Pig", "tooltip"]
    assert "Flags: declining, stale" in points.loc["Luigi", "tooltip"]
    assert "Flags: single signal" in points.loc["Soda Core", "tooltip"]
    assert "Why: declining: momentum 12w -30%" in points.loc["Luigi", "tooltip"]
    assert "momentum +40% over 12 weeks" in points.loc["Polars", "tooltip"]


def test_placement_is_deterministic(published, app_test):
    first = radar_points(app_test().run().switch_page("views/radar.py").run())
    second = radar_points(app_test().run().switch_page("views/radar.py").run())

    assert first[["x", "y"]].equals(second[["x", "y"]])
    # Two technologies sharing a quadrant and ring do not overlap.
    duckdb, postgres = first.loc["DuckDB"], first.loc["PostgreSQL"]
    assert (duckdb["x"], duckdb["y"]) != (postgres["x"], postgres["y"])


def test_table_shows_hold_with_its_reasons(radar):
    at = radar

    assert at.title[0].value == "Technology radar"
    assert "As of the week of 2026-11-23" in at.caption[0].value
    assert 'data-testid="ring-legend"' in radar_svg(at)
    table = at.dataframe[0].value.set_index("Technology")
    assert list(table.index) == [
        "DuckDB", "PostgreSQL", "Polars", "Rust", "Luigi", "Apache Pig", "Soda Core",
    ]  # fmt: skip
    luigi = table.loc["Luigi"]
    assert luigi["Ring"] == "hold"
    assert luigi["Flags"] == "declining, stale"
    assert "stale: no release since 2025-06-30" in luigi["Reasons"]
    assert luigi["Momentum 12w"] == pytest.approx(-30.0)  # shown as a percentage
    assert luigi["Momentum 4w"] == pytest.approx(-8.0)
    assert table.loc["Apache Pig", "Reasons"] == "repository archived"
    assert table.loc["Polars", "Rank in quadrant"] == 1
    assert table.loc["Apache Pig", "Rank in quadrant"] == 2
    assert table.loc["Soda Core", "Coverage"] == pytest.approx(20.0)  # 1.0 of 5.0 weights
    assert bool(table.loc["Soda Core", "New"]) is True


def test_movement_since_the_previous_radar_week(radar):
    """DuckDB moved in (trial → adopt), Luigi moved out (assess → hold), Soda Core is new."""
    table = radar.dataframe[0].value.set_index("Technology")
    assert table["Since previous week"].to_dict() == {
        "DuckDB": "moved in (was trial)", "PostgreSQL": "no change", "Polars": "no change",
        "Rust": "no change", "Luigi": "moved out (was assess)", "Apache Pig": "no change",
        "Soda Core": "new",
    }  # fmt: skip
    lists = "\n".join(md.value for md in radar.markdown)
    assert "DuckDB: adopt, moved in (was trial)" in lists
    assert "Luigi: hold, moved out (was assess)" in lists
    assert "Soda Core: assess, new" in lists
    tooltips = radar_points(radar)["tooltip"]
    assert "Since the previous radar week: moved in (was trial)" in tooltips["DuckDB"]
    assert "Since the previous radar week: no change" in tooltips["Rust"]
    assert "Since the previous radar week: new" in tooltips["Soda Core"]


def test_filters_by_quadrant_and_ring(radar):
    at = radar
    at.multiselect(key="radar_rings").set_value(["hold"]).run()
    assert list(at.dataframe[0].value["Technology"]) == ["Luigi", "Apache Pig"]

    assert sorted(radar_points(at).index) == ["Apache Pig", "Luigi"]

    at.multiselect(key="radar_quadrants").set_value(["Data processing"]).run()
    assert list(at.dataframe[0].value["Technology"]) == ["Apache Pig"]
    # The filters apply to the chart as to the table; the blip keeps its number.
    assert radar_points(at)["number"].to_dict() == {"Apache Pig": 2}


def test_rules_are_stated(radar):
    (expander,) = radar.expander
    assert expander.label == "How rings are decided"
    texts = [md.value.strip() for md in expander.markdown]
    assert texts == [RING_RULES.strip(), INDEX_DEFINITION]
    assert "momentum over 12 weeks below −15%" in RING_RULES
    assert "benchmark technologies" in INDEX_DEFINITION


def test_empty_radar(published, app_test):
    published.republish(tech_marts="empty")
    at = app_test().run()
    at.switch_page("views/radar.py").run()

    assert not at.exception
    assert "no radar yet" in at.info[0].value
    assert not [md for md in at.markdown if "<svg" in md.value]


def test_publication_before_tech_marts(published, app_test):
    published.republish(tech_marts="absent")
    at = app_test().run()
    at.switch_page("views/radar.py").run()

    assert not at.exception
    (warning,) = at.warning
    assert "predates technology adoption signals" in warning.value
    assert "`fct_tech_radar` is not in" in warning.value
