"""The router: navigation, where the data comes from, and what happens without it."""

import pytest

from app.db import published_path


def test_sidebar_names_the_published_file(published, app_test):
    at = app_test().run()

    assert not at.exception
    (caption,) = at.sidebar.caption
    assert str(published.path) in caption.value
    assert "2026-11-23 06:05 UTC" in caption.value  # the last finished run


PAGES = [
    "views/this_week.py",
    "views/competitors.py",
    "views/comparison.py",
    "views/pricing.py",
    "views/trends.py",
    "views/radar.py",
    "views/ranking.py",
    "views/technology.py",
    "views/health.py",
    "views/sql.py",
]


def test_navigation_order_and_default_page(published, app_test):
    at = app_test().run()

    assert not at.exception
    assert at.title[0].value == "This week"  # the default page


@pytest.mark.parametrize("page", PAGES)
def test_empty_state_on_every_view(tmp_path, monkeypatch, app_test, page):
    monkeypatch.setenv("RADAR_PUBLISHED_PATH", str(tmp_path / "missing.duckdb"))
    at = app_test().run()
    at.switch_page(page).run()

    assert not at.exception
    (info,) = at.info
    assert "Run `make demo` or `radar run`" in info.value
    assert str(tmp_path / "missing.duckdb") in info.value
    assert not at.dataframe


def test_newer_publication_shows_without_restart(published, app_test):
    at = app_test().run()
    at.switch_page("views/pricing.py").run()
    assert "15.00 USD" in set(at.dataframe[0].value["Price"])

    # Written aside, then renamed over the file the app holds open, as publish does.
    published.republish(team_price="18.00")
    at.run()

    assert not at.exception
    plans = at.dataframe[0].value
    prices = plans[plans["Billing period"] == "month"].set_index("Plan")["Price"]
    assert prices["Team"] == "18.00 USD"


def test_published_path_from_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("RADAR_PUBLISHED_PATH", raising=False)
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path))

    assert published_path() == tmp_path / "published" / "radar.duckdb"


def test_published_path_override_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RADAR_PUBLISHED_PATH", str(tmp_path / "elsewhere.duckdb"))

    assert published_path() == tmp_path / "elsewhere.duckdb"
