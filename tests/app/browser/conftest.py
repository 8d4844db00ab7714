"""Real-browser fixtures: the demo built once, the app served on 127.0.0.1, Debian's Chromium.

Playwright's own browser download does not work here (and must not be needed): it drives the
system Chromium that `make browser` installs (Debian's `chromium`, /usr/bin/chromium). Without
it the tests skip with the reason, except under CI (`CI` or `RADAR_BROWSER_REQUIRED` set),
where a missing browser is a failure: the browser tests must run there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.fixtures.demo_build import browser_required as _browser_required
from tests.fixtures.ports import free_port

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path(os.environ.get("RADAR_CHROMIUM", "/usr/bin/chromium"))
# Chromium's own background traffic (updates, sync, safe browsing) would leave the machine.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots of every page, kept as test artifacts (git-ignored).
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
APP_START_TIMEOUT = 60.0


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM}: `make browser` installs Debian's "
            "`chromium` package (apt-get), which failed or was not run on this machine"
        )
        if _browser_required():
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    return CHROMIUM


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + APP_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode} before serving {url}; "
                f"its output is in {log}:\n{log.read_text()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"streamlit did not answer {url}/_stcore/health within "
        f"{APP_START_TIMEOUT:.0f} s; its output is in {log}"
    )


@pytest.fixture(scope="session")
def app_server(demo_published, chromium_path, tmp_path_factory) -> Iterator[AppServer]:
    """`streamlit run app/main.py` over the demo's published file, on a free local port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    env = {
        **os.environ,
        "RADAR_PUBLISHED_PATH": str(demo_published),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--global.developmentMode", "false",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, process, log)
        yield AppServer(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh, empty profile (user data dir) of its own.
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


# True once the app has been idle, with nothing left to draw, for five polls in a row.
SETTLED_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], '
      + '[data-testid="stAppSkeleton"], [data-stale="true"]');
  window.__settledPolls = idle ? (window.__settledPolls || 0) + 1 : 0;
  return window.__settledPolls >= 5;
}
"""


@dataclass
class Tab:
    """A browser page on the app, with what it asked for and what went wrong."""

    page: object
    base_url: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str = "") -> None:
        """Load an app page and wait until its script has finished and its charts are drawn."""
        self.page.goto(f"{self.base_url}/{path}")
        self.settle()

    def settle(self) -> None:
        """Wait until the script has finished and the page has stayed finished a moment: the
        default page may run twice, and skeletons or stale elements mean a run is not drawn."""
        self.page.evaluate("window.__settledPolls = 0")
        self.page.wait_for_function(SETTLED_JS, polling=100, timeout=30_000)
        self.page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
        self.page.wait_for_load_state("networkidle")
        # Vega draws after the data arrive; a chart without its marks is not loaded yet.
        for chart in self.page.locator('[data-testid="stVegaLiteChart"]').all():
            chart.locator("svg, canvas").first.wait_for(timeout=30_000)

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def new_tab(browser, app_server: AppServer, width: int = 1440, height: int = 1000) -> Tab:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    tab = Tab(page, app_server.url)

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on(
        "websocket",
        lambda ws: None if urlsplit(ws.url).hostname in LOCAL_HOSTS else tab.outside.append(ws.url),
    )
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


@pytest.fixture
def tab(browser, app_server) -> Iterator[Tab]:
    """A fresh browser context on the app at 1440 × 1000 px; no request may leave 127.0.0.1."""
    tab = new_tab(browser, app_server)
    yield tab
    tab.page.context.close()
