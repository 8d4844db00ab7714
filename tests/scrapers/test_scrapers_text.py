"""Shared readers: HTML → text, timestamps → UTC, versions, Link headers, job vocabularies."""

from __future__ import annotations

import time

import pytest

from scrapers.jobs import employment_type, salary_period, salary_range, workplace_type
from scrapers.releases import link_header_urls, parse_version
from scrapers.text import html_to_text, markdown_to_text, parse_date_text, to_utc_iso, truncate


def test_html_to_text_keeps_blocks_and_list_items():
    html = (
        "<p>We build <b>Go</b> services.</p><ul><li>DuckDB</li><li>dbt</li></ul><script>x</script>"
    )
    assert html_to_text(html) == "We build Go services.\n- DuckDB\n- dbt"
    assert html_to_text("&lt;p&gt;Escaped &amp;amp; twice&lt;/p&gt;", unescape=True) == (
        "Escaped & twice"
    )
    assert html_to_text("<p>Truncated <b>para") == "Truncated para"
    assert html_to_text(None) == ""


def test_markdown_to_text():
    assert markdown_to_text("## Fixes\n* **Faster** [joins](https://x) `COPY`") == (
        "Fixes\n- Faster joins COPY"
    )


def test_truncate_at_a_word_boundary():
    assert truncate("short", 10) == "short"
    cut = truncate("alpha beta gamma delta", 12)
    assert cut == "alpha beta…"
    assert len(cut) <= 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-16T04:00:00-05:00", "2026-11-16T09:00:00+00:00"),
        ("2026-11-16T09:00:00Z", "2026-11-16T09:00:00+00:00"),
        ("2026-11-16T09:00:00.123456Z", "2026-11-16T09:00:00+00:00"),
        ("2026-11-16", "2026-11-16T00:00:00+00:00"),
        (1794819600000, "2026-11-16T09:00:00+00:00"),  # Lever: epoch milliseconds
        (time.struct_time((2026, 11, 16, 9, 0, 0, 0, 320, 0)), "2026-11-16T09:00:00+00:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_to_utc_iso(value, expected):
    assert to_utc_iso(value) == expected


def test_parse_date_text_falls_back_to_dateparser():
    assert parse_date_text("November 9, 2026 14:30 UTC") == "2026-11-09T14:30:00+00:00"
    assert parse_date_text("sometime next week") is None
    assert parse_date_text(None) is None


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("v2.4.0", "2.4.0"),
        ("Release 2.4", "2.4"),
        ("2.4.0-rc.1", "2.4.0-rc.1"),
        ("Northwind 2.4.0 is out.", "2.4.0"),
        ("release-2.5.0", "2.5.0"),
        ("v1.0.0-beta2", "1.0.0-beta2"),
        ("Weekly update 2026-11-16", None),
        ("Notes for 16.11.2026", None),
        ("Winter maintenance", None),
        (None, None),
    ],
)
def test_parse_version(text, version):
    assert parse_version(text) == version


def test_link_header():
    header = (
        '<https://api.github.com/repositories/1/releases?page=2>; rel="next", '
        '<https://api.github.com/repositories/1/releases?page=5>; rel="last"'
    )
    assert link_header_urls(header) == {
        "next": "https://api.github.com/repositories/1/releases?page=2",
        "last": "https://api.github.com/repositories/1/releases?page=5",
    }
    assert link_header_urls(header.encode()) == link_header_urls(header)
    assert link_header_urls(None) == {}


def test_job_vocabularies():
    assert workplace_type("on-site") == "onsite"
    assert workplace_type("TELECOMMUTE") == "remote"
    assert workplace_type("unspecified", None) == "unknown"
    assert employment_type("FULL_TIME") == "full-time"
    assert employment_type(["VOLUNTEER", "INTERN"]) == "internship"
    assert employment_type("Contract - 6 months") == "contract"
    assert employment_type("Other") == "unknown"
    assert salary_period("per-hour-wage") == "hour"
    assert salary_period("YEAR") == "year"
    assert salary_period("one-time") is None
    assert salary_range(150000, 120000, "usd", "YEAR") == {
        "salary_min": "120000.00",
        "salary_max": "150000.00",
        "salary_currency": "USD",
        "salary_period": "year",
    }
    assert salary_range("n/a", None, "USD") is None
