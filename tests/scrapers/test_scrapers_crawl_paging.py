"""Real crawls in a subprocess, as the flow runs them, of the spiders that follow links:
lever (skip/limit pages), github_releases (Link header pages) and jobposting (careers
index → posting pages), against a local HTTP server serving the saved responses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from scrapers.items import JobItem

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = Path(__file__).parent / "responses"
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


class ApiLike(BaseHTTPRequestHandler):
    """Routes on path and query, like the real APIs; 404 with an API-style body otherwise."""

    routes: ClassVar[dict[str, tuple[str, str]]] = {
        "/v0/postings/cobalt?mode=json&skip=0&limit=2": (JSON, "lever_page1.json"),
        "/v0/postings/cobalt?mode=json&skip=2&limit=2": (JSON, "lever_page2.json"),
        "/repos/northwind/engine/releases?per_page=100": (JSON, "github_releases_page1.json"),
        "/repositories/99/releases?per_page=100&page=2": (JSON, "github_releases_page2.json"),
        "/careers": (HTML, "careers_index.html"),
        "/careers/senior-backend-engineer": (HTML, "careers_posting_jsonld.html"),
        "/careers/data-analyst": (HTML, "careers_posting_microdata.html"),
    }
    requests: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self):
        type(self).requests.append((self.path, self.headers.get("Authorization")))
        if self.path == "/robots.txt":
            return self.reply(200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
        route = self.routes.get(self.path)
        if route is None:
            return self.reply(404, JSON, b'{"ok": false, "error": "Document not found"}')
        content_type, name = route
        headers = {}
        if name == "github_releases_page1.json":
            base = f"http://{self.headers['Host']}"
            headers["Link"] = f'<{base}/repositories/99/releases?per_page=100&page=2>; rel="next"'
            headers["X-RateLimit-Remaining"] = "59"
        return self.reply(200, content_type, (RESPONSES / name).read_bytes(), headers)

    def reply(self, status, content_type, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    ApiLike.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ApiLike)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def crawl(spider, targets, tmp_path, *settings, env=None):
    targets_file = tmp_path / "targets.json"
    targets_file.write_text(json.dumps(targets))
    landing = tmp_path / "landing" / spider / "run-7.jsonl"
    stats_file = tmp_path / "runs" / "run-7" / f"{spider}.stats.json"
    args = [
        sys.executable, "-m", "scrapy", "crawl", spider,
        "-a", f"targets={targets_file}",
        "-a", "run_id=run-7",
        "-a", "observed_at=2026-11-16T06:00:00+00:00",
        "-O", f"{landing}:jsonlines",
        "-s", f"RADAR_STATS_FILE={stats_file}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "RADAR_ALLOW_PRIVATE_NETWORK=true",
        "-s", "USER_AGENT=MarketRadarTest/1.0",
    ]  # fmt: skip
    for setting in settings:
        args += ["-s", setting]
    result = subprocess.run(
        args,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in landing.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return lines, stats, result.stderr


def target(spider, subject, url):
    return {
        "source_id": f"{subject}-{spider}",
        "spider": spider,
        "subject_type": "competitor",
        "subject_id": subject,
        "url": url,
        "selectors": {},
    }


def test_lever_pages_with_skip_and_limit(server, tmp_path):
    targets = [
        target("lever", "cobalt", f"{server}/v0/postings/cobalt?mode=json"),
        target("lever", "nosuch", f"{server}/v0/postings/nosuch?mode=json"),
    ]
    lines, stats, _ = crawl("lever", targets, tmp_path, "RADAR_LEVER_PAGE_SIZE=2")
    assert len(lines) == 3
    assert {line["competitor_id"] for line in lines} == {"cobalt"}
    assert {line["url"].split("?", 1)[1] for line in lines} == {
        "mode=json&skip=0&limit=2",
        "mode=json&skip=2&limit=2",
    }
    assert sorted(line["employment_type"] for line in lines) == [
        "contract",
        "full-time",
        "part-time",
    ]
    assert all(set(line) == set(JobItem.fields) for line in lines)  # same columns everywhere
    assert stats["item_scraped_count"] == 3
    assert stats["radar/http_errors/404"] == 1
    assert stats["radar/error_bodies/json"] == 1
    assert stats["finish_reason"] == "finished"


def test_github_releases_follow_the_link_header_and_keep_the_token_home(server, tmp_path):
    targets = [
        target(
            "github_releases", "northwind", f"{server}/repos/northwind/engine/releases?per_page=100"
        )
    ]
    lines, stats, stderr = crawl(
        "github_releases", targets, tmp_path, env={"GITHUB_TOKEN": "ghp_do_not_leak"}
    )
    assert [line["tag"] for line in lines] == ["v2.5.0-rc.1", "v2.4.0", "v2.3.1"]
    assert lines[1]["published_at"] == "2026-11-16T09:00:00+00:00"
    assert lines[0]["prerelease"] is True
    assert stats["radar/skipped_rows/draft"] == 1
    assert stats["radar/skipped_rows/bad_date"] == 1
    assert stats["item_scraped_count"] == 3
    # The token goes to api.github.com only, and never into the logs.
    assert {auth for _, auth in ApiLike.requests} == {None}
    assert "ghp_do_not_leak" not in stderr


def test_jobposting_index_then_posting_pages(server, tmp_path):
    targets = [target("jobposting", "bluebird", f"{server}/careers")]
    lines, stats, _ = crawl("jobposting", targets, tmp_path)
    by_id = {line["job_id"]: line for line in lines}
    assert sorted(by_id) == ["BB-DES-7", "BB-ENG-42", f"{server}/careers/data-analyst"]
    assert by_id["BB-ENG-42"]["salary_min"] == "120000.00"
    assert by_id["BB-ENG-42"]["url"] == f"{server}/careers/senior-backend-engineer"
    assert by_id[f"{server}/careers/data-analyst"]["employment_type"] == "contract"
    paths = [path for path, _ in ApiLike.requests]
    assert "/careers/product-designer" not in paths  # carried in full by the index
    assert stats["item_scraped_count"] == 3
    assert not any(k.startswith("radar/parse_errors") for k in stats)
