"""Readable before/after diffs of a watched page's text, computed when one is asked for."""

from __future__ import annotations

import difflib
import html
import re

# Words, runs of spaces and single punctuation marks: a reworded sentence shows the words
# that changed, not the whole line.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# Inline styles: st.html sanitises its body, and a lone <style> block may not survive that.
DIV_STYLE = "white-space: pre-wrap; line-height: 1.6"
INS_STYLE = "background: rgba(33, 195, 84, 0.25); text-decoration: none"
DEL_STYLE = "background: rgba(255, 75, 75, 0.25); text-decoration: line-through"

# The pipeline stores a watched page's text with counters, dates and times masked (so that a
# new date is not a change; scrapers/normalize.py). The masks read as words on screen.
MASKS = {
    "<n>": "[a number]",
    "<year>": "[a year]",
    "<date>": "[a date]",
    "<time>": "[a time]",
    "<ago>": "[some time ago]",
    "<uuid>": "[an id]",
    "<hex>": "[an id]",
}
_MASK = re.compile("|".join(re.escape(mask) for mask in MASKS))


def unmask(text: str) -> str:
    """The stored text with its masks ("<n>", "<time>") in words ("[a number]", "[a time]")."""
    return _MASK.sub(lambda match: MASKS[match.group()], text or "")


def word_diff_html(before: str, after: str) -> str:
    """The new text with removed words struck through and added words highlighted.

    Every piece of page text is HTML-escaped: a page's own markup-like text (or the
    pipeline's "<n>" placeholders) shows as text and never becomes markup.
    """
    old, new = TOKEN.findall(unmask(before)), TOKEN.findall(unmask(after))
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = html.escape("".join(old[i1:i2]))
        added = html.escape("".join(new[j1:j2]))
        if tag == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f'<del style="{DEL_STYLE}">{removed}</del>')
        if removed.strip() and added.strip():
            parts.append(" ")  # a replaced word and its replacement never run together
        if added:
            parts.append(f'<ins style="{INS_STYLE}">{added}</ins>')
    return f'<div style="{DIV_STYLE}">{"".join(parts)}</div>'


def unified_diff(before: str, after: str, *, context: int = 2) -> str:
    """A unified line diff (for st.code with language "diff": plain text, nothing to escape)."""
    return "\n".join(
        difflib.unified_diff(
            unmask(before).splitlines(),
            unmask(after).splitlines(),
            fromfile="before",
            tofile="after",
            n=context,
            lineterm="",
        )
    )


def page_versions(changes) -> list[tuple[str, str]]:
    """Every version of one watched page that the changes show, oldest first, as (label,
    text): the text before its first change, then the text after each change. `changes` are
    its fct_page_changes rows (changed_at, previous_text, text), in any order."""
    ordered = changes.sort_values("changed_at")
    if ordered.empty:
        return []
    first = ordered.iloc[0]
    versions = [
        (f"before {first['changed_at']:%Y-%m-%d %H:%M} (as first crawled)", first["previous_text"])
    ]
    versions += [(f"{row.changed_at:%Y-%m-%d %H:%M}", row.text) for row in ordered.itertuples()]
    return versions
