"""How prices read on screen, and when a listed price can be compared as per seat per month."""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

# Units that price one person's access: comparable with each other as "per seat".
PER_SEAT_UNIT = re.compile(
    r"(?:\bper|/)\s*(?:active\s+|paid\s+)?(?:seat|user|member|editor)s?\b", re.IGNORECASE
)
MONTHS_PER_PERIOD = {"month": 1, "year": 12}


def is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def format_price(price: float | None, currency: str | None, is_custom: bool = False) -> str | None:
    if is_custom:
        return "Contact sales"
    if is_missing(price):
        return None  # unknown stays unknown, never 0
    return f"{price:.2f} {currency}" if currency else f"{price:.2f}"


class MonthlySeatPrice(NamedTuple):
    """A plan's price per seat per month, or None with the reason it cannot be had."""

    value: float | None
    note: str


def monthly_seat_price(
    price: float | None, billing_period: str | None, unit: str | None, is_custom: bool
) -> MonthlySeatPrice:
    """Normalise a listed price to one seat for one month, only where the page says enough.

    Never guessed: a custom plan, an unknown billing period or a unit that is not a person
    (events, workspaces, or none on a paid plan) gives no value and says why.
    """
    if is_custom:
        return MonthlySeatPrice(None, "Contact sales: no published price")
    if is_missing(price):
        return MonthlySeatPrice(None, "No price on the page")
    if price == 0:
        return MonthlySeatPrice(0.0, "Free")
    unit = None if is_missing(unit) else unit
    months = MONTHS_PER_PERIOD.get(billing_period or "")
    if months is None:
        if billing_period == "one-time":
            return MonthlySeatPrice(None, "One-time price, not a subscription")
        return MonthlySeatPrice(None, "Billing period not stated on the page")
    if not unit:
        return MonthlySeatPrice(None, "Flat price: the page names no per-seat unit")
    if not PER_SEAT_UNIT.search(unit):
        return MonthlySeatPrice(None, f"Priced {unit}, not per seat")
    if months == 1:
        return MonthlySeatPrice(round(price, 2), "Monthly price as listed")
    return MonthlySeatPrice(round(price / months, 2), f"{price:.2f} a year / 12")


def describe_price_change(
    plan_name: str,
    billing_period: str,
    change_kind: str,
    old_price: float | None,
    new_price: float | None,
    change_pct: float | None,
    currency: str | None,
) -> str:
    """One line per fct_price_changes row, e.g. "Team (month): 12.00 USD → 15.00 USD (+25.0%)"."""
    plan = f"{plan_name} ({billing_period})"
    old = format_price(old_price, currency) or "no price"
    new = format_price(new_price, currency) or "no price"
    if change_kind == "plan_added":
        return f"{plan} added: {format_price(new_price, currency) or 'Contact sales'}"
    if change_kind == "plan_removed":
        return f"{plan} removed (was {format_price(old_price, currency) or 'Contact sales'})"
    if change_kind == "became_custom":
        return f"{plan}: {old} → Contact sales"
    if change_kind == "price_published":
        return f"{plan}: price published, {new}"
    line = f"{plan}: {old} → {new}"
    return line if is_missing(change_pct) else f"{line} ({change_pct:+.1f}%)"


CHANGE_KINDS = {
    "increase": "Price increase",
    "decrease": "Price decrease",
    "plan_added": "Plan added",
    "plan_removed": "Plan removed",
    "became_custom": "Became custom",
    "price_published": "Price published",
}


def describe_price_changes(changes: pd.DataFrame) -> list[str]:
    """`describe_price_change` for every fct_price_changes row of a frame, in order."""
    return [
        describe_price_change(
            row.plan_name,
            row.billing_period,
            row.change_kind,
            row.old_price,
            row.new_price,
            row.change_pct,
            row.currency,
        )
        for row in changes.itertuples()
    ]
