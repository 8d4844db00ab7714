"""Real-browser fixtures: the demo built once (tests/app/conftest.py), the app served on
127.0.0.1, Debian's Chromium driven by Playwright (tests/fixtures/browser.py).

Without Chromium the tests skip with the reason, except under CI (`CI` or
`RADAR_BROWSER_REQUIRED` set), where a missing browser is a failure: they must run there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.browser import (
    CHROMIUM,
    AppServer,
    Tab,
    launch_chromium,
    new_tab,
    serve_app,
)
from tests.fixtures.demo_build import browser_required


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM}: `make browser` installs Debian's "
            "`chromium` package (apt-get), which failed or was not run on this machine"
        )
        if browser_required():
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def app_server(demo_published, chromium_path, tmp_path_factory) -> Iterator[AppServer]:
    """`streamlit run app/main.py` over the demo's published file, on a free local port."""
    with serve_app(demo_published, tmp_path_factory.mktemp("app") / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium_path):
    # Per module, not per session: Playwright's sync API runs an event loop in this thread
    # for as long as the browser is open, and every later test that calls asyncio.run()
    # (Prefect's sync clients, Scrapy's middlewares under test) would fail on it.
    with launch_chromium(chromium_path) as browser:
        yield browser


@pytest.fixture
def tab(browser, app_server) -> Iterator[Tab]:
    """A fresh browser context on the app at 1440 × 1000 px; no request may leave 127.0.0.1."""
    tab = new_tab(browser, app_server)
    yield tab
    tab.page.context.close()
