"""The offline demo web: serves seeds/demo/web/ over HTTP on 127.0.0.1.

URL scheme: ``http://127.0.0.1:PORT/<YYYY-MM-DD>/<host>/<path>`` serves the file
``seeds/demo/web/<YYYY-MM-DD>/<host>/<path>``. So the demo catalog URL
``{demo_web}/northwind.example/pricing`` planned with ``demo_web_url =
DemoWeb.snapshot_url(date(2026, 11, 16))`` reads that week's Northwind pricing page.

- A directory path serves its ``index.html``, else its ``index.json``
  (``.../overall?mirrors=false`` -> ``.../overall/index.json``).
- The query string is ignored when mapping to files (pypistats URLs carry one).
- ``/robots.txt`` is ``seeds/demo/web/robots.txt``; ``/`` is a generated index page.
- Anything else is a 404 with an HTML body, like a real site.

Failure injection: ``DemoWeb.faults`` maps a request path (with its query string,
or without it) to a :class:`Fault`; a matching request gets that response instead
of the file. The dict is read on every request, so tests may change it while the
server runs::

    with DemoWeb() as web:
        web.faults["/2026-11-16/cobalt.example/pricing"] = Fault(503, body="busy")

Run it by hand with ``python -m flows.demo_web --port 8000``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import mimetypes
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "seeds" / "demo" / "web"
INDEX_FILES = ("index.html", "index.json")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
}


class Fault(NamedTuple):
    """A canned response for failure injection (status, extra headers, body, delay before it)."""

    status: int
    headers: dict[str, str] = {}  # noqa: RUF012 - NamedTuple default, never mutated
    body: bytes | str = b""
    delay: float = 0.0


def snapshots(web_dir: Path = DEFAULT_WEB_DIR) -> list[date]:
    """The snapshot dates found in web_dir (directories named YYYY-MM-DD), oldest first."""
    found = []
    for child in Path(web_dir).iterdir():
        if not child.is_dir():
            continue
        try:
            found.append(date.fromisoformat(child.name))
        except ValueError:
            continue
    return sorted(found)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    ).encode()


class DemoWebServer(ThreadingHTTPServer):
    # The default listen backlog (5) drops connections under Scrapy's concurrency.
    request_queue_size = 128
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        web_dir: Path,
        faults: dict[str, Fault] | None = None,
    ) -> None:
        self.web_dir = Path(web_dir).resolve()
        self.faults: dict[str, Fault] = faults if faults is not None else {}
        self.requests: list[str] = []  # paths served, in order (list.append is thread-safe)
        super().__init__(address, DemoWebHandler)


class DemoWebHandler(BaseHTTPRequestHandler):
    server: DemoWebServer
    server_version = "MarketRadarDemoWeb/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: crawls make hundreds of requests."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        self.server.requests.append(self.path)
        path = unquote(urlsplit(self.path).path)
        fault = self.server.faults.get(self.path) or self.server.faults.get(path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            body = fault.body.encode() if isinstance(fault.body, str) else fault.body
            headers = {"Content-Type": "text/html; charset=utf-8", **fault.headers}
            self._send(fault.status, headers, body, send_body)
            return
        if path == "/":
            self._send(200, {"Content-Type": CONTENT_TYPES[".html"]}, self._index(), send_body)
            return
        file = self._resolve(path)
        if file is None:
            body = _page("404 Not Found", f"<h1>Not Found</h1>\n<p>{html.escape(path)}</p>")
            self._send(404, {"Content-Type": CONTENT_TYPES[".html"]}, body, send_body)
            return
        content_type = CONTENT_TYPES.get(file.suffix) or (
            mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        self._send(200, {"Content-Type": content_type}, file.read_bytes(), send_body)

    def _resolve(self, path: str) -> Path | None:
        root = self.server.web_dir
        candidate = (root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):
            return None  # ../ escapes
        if candidate.is_dir():
            return next((candidate / n for n in INDEX_FILES if (candidate / n).is_file()), None)
        return candidate if candidate.is_file() else None

    def _index(self) -> bytes:
        root = self.server.web_dir
        sections = []
        for day in snapshots(root):
            snap = root / day.isoformat()
            pages = sorted(
                "/" + f.parent.relative_to(root).as_posix()
                for f in snap.rglob("index.*")
                if f.name in INDEX_FILES
            )
            links = "\n".join(
                f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>' for p in pages
            )
            sections.append(f"<h2>{day.isoformat()}</h2>\n<ul>\n{links}\n</ul>")
        body = "<h1>Market Radar demo web</h1>\n" + "\n".join(sections)
        return _page("Market Radar demo web", body)

    def _send(self, status: int, headers: dict[str, str], body: bytes, send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class DemoWeb:
    """The demo web in a background thread; a context manager.

    >>> with DemoWeb() as web:
    ...     base = web.snapshot_url(web.snapshots()[-1])  # for plan(catalog, base)
    """

    def __init__(
        self,
        web_dir: Path = DEFAULT_WEB_DIR,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: dict[str, Fault] | None = None,
    ) -> None:
        self.web_dir = Path(web_dir)
        self.host = host
        self.port = port
        self.faults: dict[str, Fault] = faults if faults is not None else {}
        self._server: DemoWebServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:41234 (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("the demo web is not running: call start() or use `with`")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[str]:
        """Request paths served so far, in arrival order."""
        return self._server.requests if self._server else []

    def snapshots(self) -> list[date]:
        return snapshots(self.web_dir)

    def snapshot_url(self, day: date | str) -> str:
        """The base URL of one snapshot: the value that replaces {demo_web}."""
        day = date.fromisoformat(day) if isinstance(day, str) else day
        if day not in self.snapshots():
            known = ", ".join(d.isoformat() for d in self.snapshots())
            raise ValueError(f"no demo web snapshot {day.isoformat()} (have: {known})")
        return f"{self.url}/{day.isoformat()}"

    def start(self) -> DemoWeb:
        if self._server is not None:
            return self
        if not self.web_dir.is_dir():
            raise FileNotFoundError(f"demo web directory not found: {self.web_dir}")
        self._server = DemoWebServer((self.host, self.port), self.web_dir, self.faults)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="demo-web",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(port: int = 0, web_dir: Path = DEFAULT_WEB_DIR) -> DemoWeb:
    """Start the demo web in the background and return it (call .stop(), or use `with`)."""
    return DemoWeb(web_dir, port=port).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the offline demo web.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-dir", type=Path, default=DEFAULT_WEB_DIR)
    args = parser.parse_args(argv)
    with DemoWeb(args.web_dir, port=args.port) as web:
        print(f"demo web on {web.url}/ (snapshots: {', '.join(map(str, web.snapshots()))})")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
