"""How the run ledger reads on screen: status badges, responses by code, durations, reasons."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pandas as pd

from app.prices import is_missing

# Badge colour and icon per status of a run, a source run, or a freshness check.
STATUS_STYLES = {
    "succeeded": ("green", ":material/check_circle:"),
    "ok": ("green", ":material/check_circle:"),
    "pass": ("green", ":material/check_circle:"),
    "running": ("blue", ":material/pending:"),
    "publishing": ("blue", ":material/pending:"),
    "partial": ("orange", ":material/warning:"),
    "warn": ("orange", ":material/warning:"),
    "failed": ("red", ":material/error:"),
    "crashed": ("red", ":material/error:"),
    "refused": ("orange", ":material/block:"),
    "error": ("red", ":material/error:"),
    "runtime error": ("red", ":material/error:"),
}
UNKNOWN_STYLE = ("gray", ":material/help:")

# Cell backgrounds that read on light and dark themes alike.
CELL_COLOURS = {
    "green": "background-color: rgba(33, 195, 84, 0.18)",
    "blue": "background-color: rgba(28, 131, 225, 0.18)",
    "orange": "background-color: rgba(255, 164, 33, 0.28)",
    "red": "background-color: rgba(255, 43, 43, 0.24)",
    "gray": "background-color: rgba(128, 128, 128, 0.18)",
}

# Worst first: what needs attention opens the table.
SOURCE_ORDER = {"failed": 0, "partial": 1, "ok": 3}
FRESHNESS_ORDER = {"runtime error": 0, "error": 0, "warn": 1, "pass": 3}
UNKNOWN_RANK = 2  # a status this view does not know is shown above the healthy ones

# Without `[` no `:colour[...]` directive can form; the rest is CommonMark's inline syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def status_style(status: str | None) -> tuple[str, str]:
    """(badge colour, icon) of a status."""
    return STATUS_STYLES.get(status or "", UNKNOWN_STYLE)


def badge_markdown(status: str | None) -> str:
    """The status as a coloured markdown badge, e.g. `:orange-badge[:material/warning: partial]`."""
    colour, icon = status_style(status)
    return f":{colour}-badge[{icon} {status or 'unknown'}]"


def status_cell_style(status: object) -> str:
    """CSS for a status cell of a table (pandas Styler.map)."""
    colour, _ = status_style(status if isinstance(status, str) else None)
    return CELL_COLOURS[colour]


def rank(status: str | None, order: dict[str, int]) -> int:
    return order.get(status or "", UNKNOWN_RANK)


def worst_first(frame: pd.DataFrame, order: dict[str, int], then: str) -> pd.DataFrame:
    """Rows by the rank of their status (worst first), then by column `then`."""
    ranks = frame["status"].map(lambda status: rank(status, order))
    return (
        frame.assign(_rank=ranks)
        .sort_values(["_rank", then], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def escape_markdown(text: str) -> str:
    """Text from the ledger (error messages, URLs) shown literally inside markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _as_mapping(value: Any) -> dict[str, Any]:
    if is_missing(value):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return dict(value) if isinstance(value, dict) else {}


def format_responses(responses: Any) -> str | None:
    """Responses by HTTP status code, e.g. "200×3, 503×4" (codes in order); None if none."""
    counts = _as_mapping(responses)
    parts = [
        f"{code}×{int(count)}"
        for code, count in sorted(counts.items(), key=lambda item: str(item[0]))
        if isinstance(count, int | float) and count
    ]
    return ", ".join(parts) or None


def items_total(items: Any) -> int | None:
    """The items of a run (ops.runs.items is a JSON object of counts per spider or source)."""
    counts = _as_mapping(items)
    numbers = [count for count in counts.values() if isinstance(count, int | float)]
    return int(sum(numbers)) if numbers else None


def format_duration(seconds: float | None) -> str | None:
    """A duration as people say it: "0.8 s", "42 s", "4 min 05 s", "1 h 02 min"."""
    if is_missing(seconds) or (isinstance(seconds, float) and math.isinf(seconds)):
        return None
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def source_health(status: str | None, error: str | None, responses: Any = None) -> str:
    """One line on a source run: "failed · HTTP 503 after 3 retries", or just "ok".

    Without an error text, a degraded source names the responses that were not 2xx.
    """
    status = status or "unknown"
    if not is_missing(error) and error:
        return f"{status} · {error}"
    if status != "ok":
        failing = {
            code: count
            for code, count in _as_mapping(responses).items()
            if not str(code).startswith("2")
        }
        if failing:
            return f"{status} · responses {format_responses(failing)}"
    return status


def format_moment(moment: Any) -> str | None:
    """A UTC timestamp as "2026-11-23 06:00 UTC"; None when unknown."""
    if is_missing(moment):
        return None
    return f"{pd.Timestamp(moment):%Y-%m-%d %H:%M} UTC"


def last_good_text(last_ok_run: str | None, last_ok_observed_at: Any) -> str:
    """Where a degraded source's published data comes from."""
    moment = format_moment(last_ok_observed_at)
    if is_missing(last_ok_run) or moment is None:
        return "no ok run of this source yet, so it has no data published"
    return f"last good data {moment} ({last_ok_run}) stays published"


def unexpected_examples(details: Any, limit: int = 5) -> str | None:
    """A few of the values a failed expectation did not expect, from its details JSON."""
    values = _as_mapping(details).get("partial_unexpected_list") or []
    if not values:
        return None
    shown = ", ".join(str(value) for value in values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")


def check_error(details: Any) -> str | None:
    """The exception an expectation raised, if it could not be evaluated."""
    error = _as_mapping(details).get("error")
    return str(error) if error else None
