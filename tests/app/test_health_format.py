"""How the run ledger reads: responses by code, durations, reasons, badges (no Streamlit)."""

import json

import pandas as pd
import pytest

from app.health import (
    badge_markdown,
    escape_markdown,
    format_duration,
    format_responses,
    items_total,
    last_good_text,
    source_health,
    status_cell_style,
    unexpected_examples,
)


def test_responses_by_status_code_in_code_order():
    assert format_responses('{"503": 4, "200": 3}') == "200×3, 503×4"
    assert format_responses({"404": 1}) == "404×1"
    assert format_responses('{"200": 0}') is None
    assert format_responses(None) is None
    assert format_responses("not json") is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.84, "0.8 s"),
        (21.5, "22 s"),
        (300.0, "5 min 00 s"),
        (66.4, "1 min 06 s"),
        (3725.0, "1 h 02 min"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_durations_as_people_say_them(seconds, text):
    assert format_duration(seconds) == text


def test_source_health_names_the_reason():
    assert source_health("failed", "HTTP 503 after 3 retries") == (
        "failed · HTTP 503 after 3 retries"
    )
    assert source_health("ok", None, '{"200": 3}') == "ok"
    # No error text recorded: the responses that were not 2xx say why.
    assert source_health("partial", None, '{"200": 2, "500": 1, "429": 2}') == (
        "partial · responses 429×2, 500×1"
    )
    assert source_health("failed", float("nan"), None) == "failed"


def test_items_total_sums_the_counts():
    assert items_total(json.dumps({"pricing": 5, "jobposting": 3})) == 8
    assert items_total("{}") is None
    assert items_total(None) is None


def test_last_good_data_or_none_yet():
    moment = pd.Timestamp("2026-11-20 06:00", tz="UTC")
    assert last_good_text("run-2", moment) == (
        "last good data 2026-11-20 06:00 UTC (run-2) stays published"
    )
    assert last_good_text(None, pd.NaT) == (
        "no ok run of this source yet, so it has no data published"
    )


def test_badges_and_cell_colours_per_status():
    assert badge_markdown("partial") == ":orange-badge[:material/warning: partial]"
    assert badge_markdown("succeeded") == ":green-badge[:material/check_circle: succeeded]"
    assert badge_markdown(None) == ":gray-badge[:material/help: unknown]"
    assert "255, 43, 43" in status_cell_style("failed")
    assert status_cell_style("warn") == status_cell_style("partial")
    assert status_cell_style(float("nan")) == status_cell_style("something new")


def test_ledger_text_is_shown_literally_in_markdown():
    assert escape_markdown("boom [red] *x* `y`") == r"boom \[red\] \*x\* \`y\`"
    assert escape_markdown("HTTP 503 after 3 retries") == "HTTP 503 after 3 retries"


def test_unexpected_examples_are_few():
    details = json.dumps({"partial_unexpected_list": list(range(8))})
    assert unexpected_examples(details) == "0, 1, 2, 3, 4 … (+3)"
    assert unexpected_examples('{"kwargs": {}}') is None
