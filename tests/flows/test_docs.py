"""`radar docs`: dbt's docs built offline into one self-contained page, served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import duckdb
import pytest

from flows.docs import build_docs, serve_docs
from flows.load import ensure_raw
from tests.fixtures.radar_warehouse import make_project

# what a page could fetch: script/img/iframe src, link href, CSS url() and @import
ASSET = re.compile(
    r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']([^"']+)["']"""
    r"""|url\(\s*["']?([^"')]+)"""
    r"""|@import\s+["']([^"']+)["']""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    project = make_project(root)
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:  # raw and ops tables, no models built
        ensure_raw(con)
    page = build_docs(warehouse, "real", project_dir=project, output_dir=root / "site")
    return root, page


def test_build_docs_writes_one_page_with_the_manifest_and_catalog_inside(docs):
    root, page = docs
    assert page == root / "site" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '"MANIFEST.JSON INLINE DATA"' not in html
    assert '"CATALOG.JSON INLINE DATA"' not in html
    assert '"unique_id": "model.market_radar.fct_price_changes"' in html
    # the catalog was read from the warehouse: the raw tables' column types are there
    assert '"source.market_radar.raw.pricing"' in html
    assert (root / "dbt" / "target" / "catalog.json").is_file()


def test_the_page_loads_nothing_from_the_network(docs):
    _, page = docs
    html = page.read_text(encoding="utf-8")
    assets = [next(g for g in m.groups() if g) for m in ASSET.finditer(html)]
    assert assets  # the pattern does find the page's own references
    remote = [a for a in assets if re.match(r"(?:https?:)?//", a.strip(), re.IGNORECASE)]
    assert remote == []
    # dbt's page inserts a remote tracking script only when the manifest allows tracking
    assert '"send_anonymous_usage_stats": false' in html
    assert '"send_anonymous_usage_stats": true' not in html


def get(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_serve_docs_serves_the_page_on_loopback_only(docs):
    _, page = docs
    server = serve_docs(page).start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        assert port > 0
        assert server.url == f"http://127.0.0.1:{port}/"
        status, headers, body = get(server.url)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == page.read_bytes()
        assert get(server.url + "index.html")[2] == body
        status, headers, body = get(server.url, method="HEAD")
        assert (status, body, int(headers["Content-Length"])) == (200, b"", page.stat().st_size)
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(server.url + "manifest.json")
        assert missing.value.code == 404
    finally:
        server.stop()


def test_serve_docs_refuses_other_interfaces_and_a_missing_page(docs, tmp_path):
    _, page = docs
    with pytest.raises(ValueError, match="loopback interface only"):
        serve_docs(page, host="0.0.0.0")
    with pytest.raises(FileNotFoundError, match="run build_docs first"):
        serve_docs(tmp_path / "nowhere")


def test_the_inlined_manifest_has_the_lineage(docs):
    _, page = docs
    html = page.read_text(encoding="utf-8")
    start = html.index('{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/')
    manifest, _ = json.JSONDecoder().raw_decode(html, start)
    parents = manifest["parent_map"]["model.market_radar.fct_price_changes"]
    assert "model.market_radar.fct_plan_prices" in parents
