"""Every page of the app, over the demo market, in a real Chromium (Debian's, driven by
Playwright): it loads with no exception, shows its title, asks nothing of the internet, and
leaves a screenshot in tests/artifacts/screenshots/."""

from __future__ import annotations

import pytest

# (url path, title): the router's pages in navigation order; "" is the default page.
PAGES = [
    ("", "This week"),
    ("competitors", "Competitors"),
    ("comparison", "Pricing comparison"),
    ("pricing", "Pricing"),
    ("trends", "Trends"),
    ("radar", "Technology radar"),
    ("ranking", "Ranking"),
    ("technology", "Technology"),
    ("health", "Data health"),
    ("sql", "SQL"),
]


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[t for _, t in PAGES])
def test_page_loads_without_exception_and_stays_local(tab, path, title):
    tab.open(path)
    tab.screenshot(path or "this_week")

    assert tab.page.locator('[data-testid="stMain"] h1').first.inner_text() == title
    assert tab.exceptions() == []
    assert tab.errors == []
    assert tab.outside == []
