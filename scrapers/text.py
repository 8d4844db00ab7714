"""Plain text and UTC timestamps out of what APIs and pages give us.

Pure functions shared by the job, release and page spiders, so that "HTML in a
JSON string" or "a date in some format" is read the same way everywhere.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, date, datetime
from typing import Any

import lxml.html
from lxml import etree

#: Elements that start a new line in the plain text of an HTML fragment.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
        "table", "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt",
    }
)  # fmt: skip
DROP_TAGS = ("script", "style", "noscript", "template", "head")
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),  # headings
    (re.compile(r"^\s*[*+]\s+", re.MULTILINE), "- "),  # bullets
    (re.compile(r"(\*\*|__|`+)"), ""),  # bold, code spans
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
)


def clean_lines(text: str) -> str:
    """Spaces collapsed within lines, blank lines dropped, ends stripped."""
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(value: str | None, *, unescape: bool = False) -> str:
    """Plain text of an HTML fragment: one line per block element, list items as "- ".

    ``unescape=True`` first turns "&lt;p&gt;" into "<p>" (Greenhouse sends its job
    content HTML-escaped inside the JSON string).
    """
    if not value or not value.strip():
        return ""
    if unescape:
        value = html.unescape(value)
    if "<" not in value:
        return clean_lines(html.unescape(value))
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_lines(re.sub(r"<[^>]*>", " ", value))
    for bad in root.iter(*DROP_TAGS):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag == "li":
            parts.append("- ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(root)
    return clean_lines("".join(parts))


def markdown_to_text(value: str | None) -> str:
    """Readable plain text of a Markdown body (GitHub release notes)."""
    if not value:
        return ""
    text = value
    for pattern, replacement in _MARKDOWN_RULES:
        text = pattern.sub(replacement, text)
    return clean_lines(html.unescape(text))


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with "…" when shortened."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def iso_utc(value: datetime) -> str:
    """ "2026-11-16T09:00:00+00:00": UTC, seconds precision; naive datetimes are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def to_utc_iso(value: Any) -> str | None:
    """ISO UTC string from an ISO 8601 string, a date, a datetime, a struct_time (UTC,
    as feedparser gives) or epoch milliseconds (Lever's createdAt). None when unreadable.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, datetime):
            return iso_utc(value)
        if isinstance(value, date):
            return iso_utc(datetime(value.year, value.month, value.day, tzinfo=UTC))
        if isinstance(value, time.struct_time):
            return iso_utc(datetime(*value[:6], tzinfo=UTC))
        if isinstance(value, int | float):
            # Epoch milliseconds (Lever); plausible seconds values are far smaller.
            seconds = value / 1000 if abs(value) > 1e11 else value
            return iso_utc(datetime.fromtimestamp(seconds, tz=UTC))
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return to_utc_iso(date.fromisoformat(text))
            return iso_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    return None


def parse_date_text(value: str | None) -> str | None:
    """ISO UTC from free-form date text ("16 Nov 2026 09:00 GMT"), through dateparser.

    Only for text the strict readers failed on; a bare time or a vague phrase gives None.
    """
    if not value or not value.strip() or not re.search(r"\d", value):
        return None
    strict = to_utc_iso(value)
    if strict:
        return strict
    import dateparser  # slow to import; only feeds with odd dates need it

    try:
        parsed = dateparser.parse(
            value.strip(),
            settings={
                "TIMEZONE": "UTC",
                "TO_TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
                "STRICT_PARSING": True,
            },
        )
    except Exception:  # dateparser raises a variety of errors on odd input
        return None
    return iso_utc(parsed) if parsed else None
