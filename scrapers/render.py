"""What a browser crawling a render=true page may fetch (scrapy-playwright's
PLAYWRIGHT_ABORT_REQUEST): the page's own requests go through Chromium, not through the
downloader middlewares, so the network-safety rule is applied here too.

Images, media and fonts are never fetched (prices are text; they only cost time). Other
requests on hosts that resolve to non-public addresses are refused, as
``NetworkSafetyMiddleware`` refuses them, unless the crawl allows the private network
(the offline demo web): then ``abort_heavy_request`` is used instead.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

HEAVY_RESOURCES = frozenset({"image", "media", "font"})


def abort_heavy_request(request: Any) -> bool:
    """True for images, media and fonts."""
    return request.resource_type in HEAVY_RESOURCES


@lru_cache(maxsize=512)
def _public(host: str) -> bool:
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return True  # the browser's own lookup fails the request with its error
    return all(ipaddress.ip_address(a.split("%")[0]).is_global for a in found)


def abort_private_request(request: Any) -> bool:
    """True for heavy resources, non-http(s) URLs other than data:/blob:, and hosts
    with a non-public address."""
    if abort_heavy_request(request):
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob"):
        return False
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return True
    return bool(parts.hostname) and not _public(parts.hostname)
