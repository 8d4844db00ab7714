"""Views over a real demo build: what a new user sees first must be true of the demo market."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP_MAIN


@pytest.fixture
def demo_app(demo_published, monkeypatch):
    monkeypatch.setenv("RADAR_PUBLISHED_PATH", str(demo_published))
    return AppTest.from_file(str(APP_MAIN), default_timeout=60)


def test_trends_default_dates_end_on_the_measures_last_day(demo_app):
    at = demo_app.run()
    at.switch_page("views/trends.py").run()
    # The adoption score's last week starts 2026-11-16 (the demo's last complete week), though
    # stars were read on 2026-11-23 and downloads end on 2026-11-22.
    assert at.selectbox(key="trends_measure").value == "score"
    assert at.date_input(key="trends_dates").value[1] == date(2026, 11, 16)

    at.selectbox(key="trends_measure").set_value("pypi_downloads").run()

    assert not at.exception
    assert at.date_input(key="trends_dates").value == (date(2026, 7, 5), date(2026, 11, 22))
    (totals,) = at.dataframe
    pandas = totals.value.set_index("Technology").loc["pandas"]
    # A full week of downloads, not a blank for a day that has no data yet
    assert pandas["Last 7 days"] == 61_039_319
    assert pandas["Previous 7 days"] == 59_758_107
