"""A real crawl in a subprocess of a batching spider (npm_downloads: one bulk request for
the unscoped packages, one request for the scoped one) and of stackexchange_tags (one
batch), against a local HTTP server answering only the exact URLs the real APIs take."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from scrapers.items import DownloadsItem

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = Path(__file__).parent / "responses"


class SignalApis(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, str]] = {
        "/downloads/range/2026-07-26:2026-11-22/express,react,no-such-package-xyz": (
            "npm_bulk.json"
        ),
        "/downloads/range/2026-07-26:2026-11-22/@duckdb/node-api": "npm_scoped.json",
        "/2.3/tags/python;c%23;nosuchtag/info?site=stackoverflow&pagesize=100": (
            "stackexchange_tags.json"
        ),
    }
    paths: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).paths.append(self.path)
        if self.path == "/robots.txt":
            return self.reply(404, b"")
        name = self.routes.get(self.path)
        if name is None:
            return self.reply(404, b'{"error": "not found"}')
        return self.reply(200, (RESPONSES / name).read_bytes())

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    SignalApis.paths = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), SignalApis)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def crawl(spider, targets, tmp_path):
    targets_file = tmp_path / "targets.json"
    targets_file.write_text(json.dumps(targets))
    landing = tmp_path / f"{spider}.jsonl"
    stats_file = tmp_path / f"{spider}.stats.json"
    args = [
        sys.executable, "-m", "scrapy", "crawl", spider,
        "-a", f"targets={targets_file}",
        "-a", "run_id=run-9",
        "-a", "observed_at=2026-11-23T06:00:00+00:00",
        "-O", f"{landing}:jsonlines",
        "-s", f"RADAR_STATS_FILE={stats_file}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "RADAR_ALLOW_PRIVATE_NETWORK=true",
    ]  # fmt: skip
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in landing.read_text(encoding="utf-8").splitlines()]
    return lines, json.loads(stats_file.read_text(encoding="utf-8"))


def tech_target(spider, subject, url):
    return {
        "source_id": f"{subject}-{spider}",
        "spider": spider,
        "subject_type": "technology",
        "subject_id": subject,
        "url": url,
        "selectors": {},
    }


def test_npm_downloads_bulk_and_scoped(server, tmp_path):
    base = f"{server}/downloads/range/last-year"
    targets = [
        tech_target("npm_downloads", "express", f"{base}/express"),
        tech_target("npm_downloads", "duckdb", f"{base}/@duckdb/node-api"),
        tech_target("npm_downloads", "react", f"{base}/react"),
        tech_target("npm_downloads", "ghost", f"{base}/no-such-package-xyz"),
    ]
    lines, stats = crawl("npm_downloads", targets, tmp_path)
    npm_paths = sorted(p for p in SignalApis.paths if p.startswith("/downloads"))
    assert npm_paths == sorted(p for p in SignalApis.routes if p.startswith("/downloads"))
    # one line a package and answer, its days as points: 3 packages of 3 days
    assert len(lines) == 3
    assert sum(len(line["points"]) for line in lines) == 9
    assert {line["technology_id"] for line in lines} == {"express", "react", "duckdb"}
    assert all(set(line) == set(DownloadsItem.fields) for line in lines)
    assert stats["radar/parse_errors/package_not_found"] == 1
    assert stats["item_scraped_count"] == 3


def test_stackexchange_tags_one_batch(server, tmp_path):
    targets = [
        tech_target("stackexchange_tags", t, f"{server}/2.3/tags/{tag}/info?site=stackoverflow")
        for t, tag in (("python", "python"), ("csharp", "c%23"), ("ghost", "nosuchtag"))
    ]
    lines, stats = crawl("stackexchange_tags", targets, tmp_path)
    assert [p for p in SignalApis.paths if p.startswith("/2.3")] == [
        "/2.3/tags/python;c%23;nosuchtag/info?site=stackoverflow&pagesize=100"
    ]
    assert {line["tag"]: line["question_count"] for line in lines} == {
        "python": 2219876,
        "c#": 1617451,
    }
    assert stats["radar/parse_errors/tag_not_found"] == 1
