"""A real crawl in a subprocess, as the flow runs it, against a local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = Path(__file__).parent / "responses"


class PypistatsLike(BaseHTTPRequestHandler):
    """Serves robots.txt, duckdb's saved JSON, and pypistats-style 404s for anything else."""

    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/api/packages/duckdb/overall": (
            200,
            "application/json",
            (RESPONSES / "pypistats_duckdb_overall.json").read_bytes(),
        ),
    }

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        status, content_type, body = self.routes.get(
            path, (404, "application/json", b'{"message": "Package not found"}')
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # keep the test output clean
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PypistatsLike)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_pypistats_crawl_in_a_subprocess(server, tmp_path):
    targets = [
        {
            "source_id": f"{package}-pypistats",
            "spider": "pypistats",
            "subject_type": "technology",
            "subject_id": package,
            "url": f"{server}/api/packages/{package}/overall?mirrors=false",
            "selectors": {},
        }
        for package in ("duckdb", "nosuchpackage")
    ]
    targets_file = tmp_path / "targets.json"
    targets_file.write_text(json.dumps(targets))
    landing = tmp_path / "landing" / "pypistats" / "run-42.jsonl"
    stats_file = tmp_path / "runs" / "run-42" / "pypistats.stats.json"

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "pypistats",
            "-a",
            f"targets={targets_file}",
            "-a",
            "run_id=run-42",
            "-a",
            "observed_at=2026-11-16T06:00:00+00:00",
            "-O",
            f"{landing}:jsonlines",
            "-s",
            f"RADAR_STATS_FILE={stats_file}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=false",
            "-s",
            "RADAR_ALLOW_PRIVATE_NETWORK=true",
            "-s",
            "USER_AGENT=MarketRadarTest/1.0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    # one landing line for the answer, its seven days as points
    (line,) = [json.loads(line) for line in landing.read_text(encoding="utf-8").splitlines()]
    assert (line["run_id"], line["source"]) == ("run-42", "pypistats")
    assert line["observed_at"] == "2026-11-16T06:00:00+00:00"
    assert line["technology_id"] == "duckdb"
    assert line["url"].endswith("/api/packages/duckdb/overall?mirrors=false")
    by_day = {point["date"]: point["downloads"] for point in line["points"]}
    assert len(by_day) == 7
    assert by_day["2026-11-03"] == 301877

    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished"
    assert stats["item_scraped_count"] == 1
    assert stats["radar/http_errors/404"] == 1
    assert stats["radar/error_bodies/json"] == 1
    assert stats["robotstxt/request_count"] == 1
    assert stats["start_time"].startswith("20")
