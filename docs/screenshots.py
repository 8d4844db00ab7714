"""The README's screenshots of the Technology radar and This week, regenerated from the demo.

    make screenshots        (uv run python docs/screenshots.py)

Serves the app over the demo's published file (the data dir's, else a demo built into a
temporary folder) on 127.0.0.1 and photographs two pages in Debian's Chromium (`make browser`
installs it) into docs/img/. Never edited by hand: rerun after a change to the views.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.browser import launch_chromium, new_tab, serve_app  # noqa: E402

OUT = ROOT / "docs" / "img"


def published_file() -> Path:
    from flows.settings import Settings

    path = Settings().published_path
    if path.exists():
        return path
    from flows.crawl import close_crawl_workers
    from tests.fixtures.demo_build import build_demo

    print("No published file: building the demo market (about two minutes) ...", flush=True)
    built = build_demo(Path(tempfile.mkdtemp(prefix="screenshots-")) / "data")
    close_crawl_workers()
    return built


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkdtemp(prefix="screenshots-app-")) / "streamlit.log"
    with serve_app(published_file(), log) as server, launch_chromium() as browser:
        tab = new_tab(browser, server, width=1280, height=900)
        tab.open("radar")
        radar = tab.page.locator("svg.tech-radar")
        radar.screenshot(path=str(OUT / "radar.png"))
        tab.open("")
        main_area = tab.page.locator('[data-testid="stMainBlockContainer"]')
        box = main_area.bounding_box()
        tab.page.screenshot(
            path=str(OUT / "this-week.png"),
            clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": 760},
        )
        if tab.outside or tab.exceptions():
            raise SystemExit(
                f"the app asked the internet or failed: {tab.outside} {tab.exceptions()}"
            )
    for name in ("radar.png", "this-week.png"):
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
