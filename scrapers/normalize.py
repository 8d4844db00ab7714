"""Normalising a watched page's main text so that only real wording changes count.

Pages carry volatile bits that change without anyone rewriting them: "Last updated
November 16, 2026", a clock, "© 2025-2026", "12,345 teams trust us", a build hash, a
session UUID. ``normalize_page_text`` replaces them with placeholders BEFORE the
fingerprint is computed, and the normalised text is what lands, so that a diff of two
observations shows wording changes only.

Rules, applied in this order (earlier rules protect their matches from later ones):

1. UUIDs → ``<uuid>``; hex tokens of 7+ characters mixing digits and a-f → ``<hex>``
2. copyright notices "© 2024–2026", "Copyright 2026", "(c) 2026" → ``© <year>``
3. dates: ISO 8601 ("2026-11-16", "2026-11-16T09:00:00Z"), month names ("November 16,
   2026", "16 Nov 2026", "Monday, 16th November 2026", "Nov 2026"), numeric
   ("11/16/2026", "16-11-26", "16.11.2026"; dotted only with a 4-digit year, since
   "1.12.10" is a version) → ``<date>``
4. times "09:00", "9:00:00 PM UTC", "9am" → ``<time>``; "3 days ago" → ``<ago>``
5. "Last updated/modified …", "Updated on …", "Published …" keep their words, the rest
   of their (short) line becomes ``<date>``
6. counters: numbers of 4+ digits or with thousands separators ("12,345", "1 234 567",
   "2026") and "10k+" → ``<n>``. Short numbers ("3 plans", "$49") are kept: they are
   wording. A consequence: a change of a 4+ digit figure on a watched page is not a
   change (prices are the pricing spider's job).
7. whitespace collapsed within lines; blank lines dropped (lines kept for readable diffs)
"""

from __future__ import annotations

import hashlib
import re

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|urday)?\.?,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME = (
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:UTC|GMT|Z|[A-Z]{2,4}T|[+-]\d{2}:?\d{2}))?"
)

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<uuid>",
    ),
    (re.compile(r"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b"), "<hex>"),
    (
        re.compile(
            r"(?:©|&copy;|\([cC]\)|\bCopyright\b)(?:\s*(?:©|\([cC]\)))?\s*\d{4}(?:\s*[-–—]\s*\d{4})?",
            re.IGNORECASE,
        ),
        "© <year>",
    ),
    # ISO dates and datetimes
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
        ),
        "<date>",
    ),
    # "Monday, November 16, 2026", "Nov 16th 2026"
    (
        re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+\d{{4}}\b", re.IGNORECASE),
        "<date>",
    ),
    # "16 Nov 2026", "Monday 16th of November, 2026"
    (
        re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b", re.IGNORECASE),
        "<date>",
    ),
    # "November 2026"
    (re.compile(rf"\b{_MONTH}\s+\d{{4}}\b", re.IGNORECASE), "<date>"),
    # "11/16/2026", "16-11-26", "16.11.2026" (dotted needs a 4-digit year: "1.12.10" is a version)
    (re.compile(r"\b\d{1,2}([/-])\d{1,2}\1(?:\d{4}|\d{2})\b"), "<date>"),
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), "<date>"),
    (re.compile(rf"\b{_TIME}"), "<time>"),
    (re.compile(r"\b\d{1,2}\s?[AaPp]\.?[Mm]\b\.?"), "<time>"),
    (
        re.compile(
            r"\b(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?"
            r"|years?)\s+ago\b",
            re.IGNORECASE,
        ),
        "<ago>",
    ),
    # "Last updated: <date>" stays; "Last updated yesterday" / "Updated 3/4" lose the rest.
    (
        re.compile(
            r"\b(Last\s+(?:updated|modified|edited|reviewed|changed)|Updated(?:\s+on)?"
            r"|Published(?:\s+on)?|Modified(?:\s+on)?)\b\s*:?[ \t]*(?!<date>)"
            r"(?:today|yesterday|just now|[^\n]{0,40}?\d[^\n]{0,20}?)(?=[ \t]*(?:\n|$|\.\s|\|))",
            re.IGNORECASE,
        ),
        r"\1 <date>",
    ),
    (re.compile(r"\b\d+(?:\.\d+)?\s?[kKM]\+?(?![A-Za-z0-9])"), "<n>"),
    (re.compile(r"(?<![\d.,])\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+(?:[.,]\d+)?(?![\d])"), "<n>"),
    (re.compile(r"(?<![\d.,])\d{4,}(?:[.,]\d+)?(?![\d])"), "<n>"),
)
_SPACES_RE = re.compile(r"[^\S\n]+")


def normalize_page_text(text: str | None) -> str:
    """The text with its volatile bits replaced by placeholders (see the module doc)."""
    if not text:
        return ""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def fingerprint(text: str) -> str:
    """sha256 hex digest of the (already normalised) text, UTF-8 encoded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
