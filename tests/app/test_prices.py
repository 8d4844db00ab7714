"""Price wording, per-seat monthly normalisation and page diffs, as plain functions."""

import math

import pytest

from app.diff import unified_diff, word_diff_html
from app.prices import describe_price_change, monthly_seat_price


@pytest.mark.parametrize(
    ("price", "period", "unit", "is_custom", "expected"),
    [
        (15.0, "month", "per seat", False, 15.0),
        (144.0, "year", "per seat", False, 12.0),
        (100.0, "year", "per user", False, 8.33),
        (9.0, "month", "Per Member", False, 9.0),
        (30.0, "month", "/ editor", False, 30.0),
        (12.0, "month", "per active user", False, 12.0),
        (0.0, "unknown", None, False, 0.0),
        (49.0, "month", "per 100k events", False, None),
        (49.0, "month", "per workspace", False, None),
        (49.0, "month", None, False, None),
        (49.0, "month", math.nan, False, None),
        (20.0, "unknown", "per seat", False, None),
        (99.0, "one-time", "per seat", False, None),
        (None, "month", "per seat", False, None),
        (None, "year", None, True, None),
    ],
)
def test_monthly_seat_price(price, period, unit, is_custom, expected):
    normalised = monthly_seat_price(price, period, unit, is_custom)

    assert normalised.value == expected
    assert normalised.note  # a value says how it was had; no value says why


def test_monthly_seat_price_reasons():
    assert monthly_seat_price(49.0, "month", "per 100k events", False).note == (
        "Priced per 100k events, not per seat"
    )
    assert monthly_seat_price(20.0, "unknown", "per seat", False).note == (
        "Billing period not stated on the page"
    )
    assert monthly_seat_price(None, "year", None, True).note == "Contact sales: no published price"


@pytest.mark.parametrize(
    ("kind", "old", "new", "pct", "expected"),
    [
        ("increase", 12.0, 15.0, 25.0, "Team (month): 12.00 USD → 15.00 USD (+25.0%)"),
        ("decrease", 15.0, 12.0, -20.0, "Team (month): 15.00 USD → 12.00 USD (-20.0%)"),
        ("increase", 0.0, 5.0, None, "Team (month): 0.00 USD → 5.00 USD"),
        ("plan_added", None, 15.0, None, "Team (month) added: 15.00 USD"),
        ("plan_added", None, None, None, "Team (month) added: Contact sales"),
        ("plan_removed", 12.0, None, None, "Team (month) removed (was 12.00 USD)"),
        ("became_custom", 12.0, None, None, "Team (month): 12.00 USD → Contact sales"),
        ("price_published", None, 15.0, None, "Team (month): price published, 15.00 USD"),
    ],
)
def test_describe_price_change(kind, old, new, pct, expected):
    assert describe_price_change("Team", "month", kind, old, new, pct, "USD") == expected


def test_word_diff_marks_words_and_escapes_markup():
    body = word_diff_html(
        "Plans start at <b>9</b> a month.", 'Plans start at <script>alert("x")</script> a month.'
    )

    # Only the diff's own tags are markup; the page's tags are text.
    assert "<script" not in body
    assert "<b>" not in body
    assert ">alert(&quot;x&quot;)</ins>&lt;/" in body
    assert body.startswith(
        '<div style="white-space: pre-wrap; line-height: 1.6">Plans start at &lt;'
    )
    assert ">b</del>" in body
    assert ">script</ins>" in body


def test_word_diff_keeps_replaced_words_apart_and_masks_in_words():
    body = word_diff_html(
        "Ember Labs builds data observability. Founded in <n>, paged at <time>.",
        "Ember Labs makes data observability. Founded in <n>, paged at <time>.",
    )

    assert ">builds</del> <ins" in body  # not "buildsmakes"
    assert ">makes</ins> data" in body
    assert "Founded in [a number], paged at [a time]." in body
    assert "&lt;n&gt;" not in body


def test_word_diff_of_identical_texts_has_no_marks():
    body = word_diff_html("Same words.", "Same words.")

    assert "<del" not in body
    assert "<ins" not in body


def test_unified_diff():
    assert unified_diff("a\nb\nc", "a\nB\nc").splitlines() == [
        "--- before",
        "+++ after",
        "@@ -1,3 +1,3 @@",
        " a",
        "-b",
        "+B",
        " c",
    ]
    assert unified_diff("same", "same") == ""
