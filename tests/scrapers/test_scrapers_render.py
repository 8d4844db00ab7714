"""What Chromium may fetch for a render=true page (scrapy-playwright's abort predicate)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scrapers.render import abort_heavy_request, abort_private_request


@dataclass
class BrowserRequest:
    """The two attributes of playwright's Request the predicates read."""

    url: str
    resource_type: str = "document"


@pytest.mark.parametrize(
    ("url", "kind", "aborted"),
    [
        ("http://127.0.0.1:8123/pricing", "document", True),  # loopback
        ("http://169.254.169.254/latest/meta-data/", "fetch", True),  # cloud metadata
        ("http://10.0.0.7/api/plans", "xhr", True),  # private
        ("http://93.184.215.14/pricing", "document", False),  # a public address
        ("https://93.184.215.14/logo.png", "image", True),  # images are never fetched
        ("file:///etc/passwd", "document", True),
        ("http://user:secret@93.184.215.14/", "document", True),
        ("data:text/plain,hello", "script", False),
    ],
)
def test_private_network_and_heavy_resources_are_refused(url, kind, aborted):
    assert abort_private_request(BrowserRequest(url, kind)) is aborted


def test_the_demo_web_may_be_reached_but_not_its_fonts():
    assert abort_heavy_request(BrowserRequest("http://127.0.0.1:8123/p", "document")) is False
    assert abort_heavy_request(BrowserRequest("http://127.0.0.1:8123/f.woff2", "font")) is True
