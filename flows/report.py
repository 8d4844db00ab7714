"""A run in a few lines of markdown: for the Prefect artifact each run leaves."""

from __future__ import annotations

from typing import Any

_ORDER = {"failed": 0, "partial": 1, "ok": 2}


def _responses(responses: dict[str, int] | None) -> str:
    return ", ".join(f"{code}×{n}" for code, n in sorted((responses or {}).items())) or "none"


def run_report(summary: dict[str, Any], source_rows: list[dict[str, Any]]) -> str:
    """Status, steps, checks and every source that was not ok (then a count of the rest)."""
    counts = ", ".join(f"{n} {status}" for status, n in sorted(summary["sources"].items()))
    lines = [
        f"# Market Radar run `{summary['run_id']}`: {summary['status']}",
        "",
        f"- catalog: {summary['catalog']}; observed at {summary['observed_at']}",
        f"- sources: {counts or 'none'}",
        f"- checks: {summary['checks_passed']} passed, {summary['checks_failed']} failed",
        "- steps: " + ", ".join(f"{step} {sec:.1f} s" for step, sec in summary["timings"].items()),
        f"- published: {summary['published_path'] or 'no, the previous file stays'}",
    ]
    if summary.get("error"):
        lines += ["", f"**Error:** {summary['error']}"]
    troubled = sorted(
        (r for r in source_rows if r["status"] != "ok"),
        key=lambda r: (_ORDER[r["status"]], r["source_id"]),
    )
    if troubled:
        lines += [
            "",
            "| source | kind | status | items | responses | retries | error |",
            "| --- | --- | --- | ---: | --- | ---: | --- |",
        ]
        lines += [
            f"| {r['source_id']} | {r['source_kind']} | {r['status']} | {r['items']} "
            f"| {_responses(r['responses'])} | {r['retries']} "
            f"| {(r['error'] or '').replace('|', '/')} |"
            for r in troubled
        ]
    ok = len(source_rows) - len(troubled)
    lines += ["", f"{ok} of {len(source_rows)} sources ok."]
    return "\n".join(lines) + "\n"
