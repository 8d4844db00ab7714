"""The data documentation: dbt's docs site (lineage, every model and column described), built
offline into one self-contained HTML file and served on the loopback interface only.

`dbt docs generate --static` inlines the manifest and the catalog into target/static_index.html,
so the site needs no server-side files and fetches nothing: dbt's page only loads a remote
tracking script when the manifest says send_anonymous_usage_stats, which dbt_project.yml and
run_dbt turn off.
"""

from __future__ import annotations

import shutil
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flows.dbt import DBT_DIR, run_dbt

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class DocsBuildError(RuntimeError):
    """dbt docs generate failed."""


def build_docs(
    warehouse_path: Path | str,
    catalog: str = "real",
    *,
    project_dir: Path | str | None = None,
    output_dir: Path | str | None = None,
) -> Path:
    """Generate dbt's docs as one static HTML file and return its path.

    The catalog (column types) is read from the warehouse, so build the models first for
    complete types; descriptions and lineage come from the project alone. With output_dir the
    page is copied to output_dir/index.html and that path is returned; otherwise it is
    <project>/target/static_index.html.
    """
    project = Path(project_dir) if project_dir else DBT_DIR
    outcome = run_dbt(
        ["docs", "generate", "--static"], warehouse_path, catalog, project_dir=project
    )
    page = project / "target" / "static_index.html"
    if not outcome.success or not page.is_file():
        reason = outcome.exception or f"see {project / 'logs'}"
        raise DocsBuildError(f"dbt docs generate failed: {reason}")
    if output_dir is None:
        return page
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "index.html"
    # write then rename: a server already serving the old page never sees half a file
    partial = out / ".index.html.tmp"
    shutil.copyfile(page, partial)
    partial.replace(target)
    return target


class DocsServer(ThreadingHTTPServer):
    """Serves one HTML file at / (and /index.html); everything else is 404."""

    daemon_threads = True

    def __init__(self, page: Path, host: str, port: int) -> None:
        self.page = page
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _PageHandler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def start(self) -> DocsServer:
        """Serve in a background thread (tests, embedding); returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="radar-docs", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()


class _PageHandler(BaseHTTPRequestHandler):
    server: DocsServer

    def _send_page(self, *, body: bool) -> None:
        if self.path.split("?", 1)[0] not in ("/", "/index.html"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        # read on every request: a rebuilt page shows without restarting the server
        content = self.server.page.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(content)

    def do_GET(self) -> None:
        self._send_page(body=True)

    def do_HEAD(self) -> None:
        self._send_page(body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the CLI prints the URL once


def serve_docs(path: Path | str, host: str = "127.0.0.1", port: int = 0) -> DocsServer:
    """A docs server for the page built by build_docs, bound to a loopback address.

    port 0 picks a free port (see .url). The server is bound but not yet serving: call
    .serve_forever() (blocking, e.g. the CLI; stop with Ctrl-C, then .server_close()) or
    .start() / .stop() (background thread).
    """
    if host not in LOOPBACK:
        raise ValueError(f"the docs are served on the loopback interface only, not {host!r}")
    page = Path(path)
    if page.is_dir():
        page = page / "index.html"
    if not page.is_file():
        raise FileNotFoundError(f"no docs page at {page}: run build_docs first")
    return DocsServer(page, host, port)
