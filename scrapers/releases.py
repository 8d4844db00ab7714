"""Reading releases' values: versions out of titles and tags, GitHub's Link header."""

from __future__ import annotations

import re

#: "v2.4.0", "Release 2.4", "2.4.0-rc.1", "1.0.0-beta2", "3.1.0+build.5". Two numeric parts
#: at least; not part of a longer dotted number, a date or an IP address.
VERSION_RE = re.compile(
    r"(?<![\w.])[vV]?(?P<version>\d+(?:\.\d+){1,3}"
    r"(?:-?(?:rc|alpha|beta|pre|preview|dev|a|b)[.\-]?\d*"
    r"|-(?=[0-9A-Za-z.]*\d)[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"
    r"(?:\+[0-9A-Za-z.\-]*[0-9A-Za-z])?)(?!\w|\.\d)"
)
_LINK_RE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL_RE = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.IGNORECASE)


def parse_version(text: str | None) -> str | None:
    """The first version number in a release title or tag, without a leading "v"."""
    if not text:
        return None
    for match in VERSION_RE.finditer(text):
        version = match.group("version")
        # "2026.11" looks like a version but "16.11.2026" (a date) must not.
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", version):
            continue
        return version
    return None


def link_header_urls(value: str | bytes | None) -> dict[str, str]:
    """{"next": url, "last": url, ...} from an RFC 8288 Link header (GitHub's paging)."""
    if not value:
        return {}
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    links: dict[str, str] = {}
    for match in _LINK_RE.finditer(value):
        url, params = match.group(1).strip(), match.group(2)
        rel = _REL_RE.search(params or "")
        if rel and url:
            for name in rel.group(1).split():
                links.setdefault(name.lower(), url)
    return links
