"""Page text normalisation: volatile bits become placeholders, wording stays."""

from __future__ import annotations

import hashlib

import pytest

from scrapers.normalize import fingerprint, normalize_page_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 2026-11-16.", "Published <date>."),
        ("At 2026-11-16T09:00:00Z we shipped", "At <date> we shipped"),
        ("Since November 16, 2026 we ship", "Since <date> we ship"),
        ("Since 16 Nov 2026 we ship", "Since <date> we ship"),
        ("Since Monday, 16th November 2026", "Since <date>"),
        ("Since Nov. 16th, 2026", "Since <date>"),
        ("Since 11/16/2026 and 16-11-26", "Since <date> and <date>"),
        ("Since 16.11.2026", "Since <date>"),
        ("Coming November 2026", "Coming <date>"),
        ("Open 09:00–17:30 CET, demo at 9am", "Open <time>–<time>, demo at <time>"),
        ("Checked at 2:05:09 PM UTC", "Checked at <time>"),
        ("Posted 3 days ago", "Posted <ago>"),
        ("Last updated: November 16, 2026", "Last updated: <date>"),
        ("Last updated yesterday", "Last updated <date>"),
        ("Last modified by the team on 3rd of the month", "Last modified <date>"),
        ("© 2025–2026 Northwind GmbH", "© <year> Northwind GmbH"),
        ("Copyright (c) 2026 Northwind", "© <year> Northwind"),
        ("Trusted by 12,345 teams and 1 234 567 users", "Trusted by <n> teams and <n> users"),
        ("Join 10k+ developers", "Join <n> developers"),
        ("Order 48213 shipped", "Order <n> shipped"),
        ("Session 123e4567-e89b-12d3-a456-426614174000", "Session <uuid>"),
        ("Build 3f9a2c1d deployed", "Build <hex> deployed"),
    ],
)
def test_volatile_bits_become_placeholders(text, expected):
    assert normalize_page_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Three plans from $49 per seat",
        "Version 2.4.0 adds Parquet export",
        "Go and R developers welcome",
        "We have 12 offices in 3 countries",
        "Decaf coffee in the cafe",  # hex letters without digits are words
    ],
)
def test_wording_stays(text):
    assert normalize_page_text(text) == text


def test_whitespace_collapsed_and_lines_kept():
    assert (
        normalize_page_text("  About   us \n\n\n  We  build\ttools  \n")
        == "About us\nWe build tools"
    )
    assert normalize_page_text("") == ""
    assert normalize_page_text(None) == ""


def test_fingerprint_is_sha256_hex_of_the_text():
    text = normalize_page_text("Last updated: 16 Nov 2026\nWe build tools")
    assert fingerprint(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(fingerprint(text)) == 64


def test_a_date_only_change_keeps_the_fingerprint_a_rewording_does_not():
    week1 = "Last updated: November 9, 2026\nTrusted by 12,345 teams. We build tools."
    week2 = "Last updated: 16 Nov 2026\nTrusted by 12,901 teams. We build tools."
    week3 = "Last updated: 16 Nov 2026\nTrusted by 12,901 teams. We build great tools."
    one, two, three = (fingerprint(normalize_page_text(t)) for t in (week1, week2, week3))
    assert one == two
    assert two != three
