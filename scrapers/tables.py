"""Plans from comparison tables: plans as columns (a header row of names, a price row,
perhaps a billing row), or plans as rows (a "Price" column).

Badges in a header cell ("Business <span class=badge>Popular</span>") are not part of
the plan's name; the period and unit come from the price cell, the table's billing row,
its caption, or the text just before the table ("All prices per user per month").
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from scrapers.prices import (
    clean_text,
    looks_like_price,
    normalize_period,
    normalize_unit,
    parse_price,
    per_billing_period,
    plan_row,
)

#: Elements inside a name that are decoration, not name: badges, ribbons, footnote marks.
BADGE_CLASS_RE = re.compile(
    r"badge|\btag\b|pill|ribbon|flag|popular|recommended|highlight|chip|promo|sticker",
    re.IGNORECASE,
)
DECORATION_TAGS = frozenset({"sup", "sub", "small", "svg", "img", "button", "a"})
PRICE_LABEL_RE = re.compile(r"^\W*(?:price|pricing|cost|preis|prix|precio|preço|料金|价格)",
                            re.IGNORECASE)  # fmt: skip
PERIOD_LABEL_RE = re.compile(r"billing|billed|per\b|period|interval|abrechnung|facturation",
                             re.IGNORECASE)  # fmt: skip


def name_text(node: Any) -> str:
    """An element's text without its badges, footnote marks and buttons."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            decoration = tag in DECORATION_TAGS or BADGE_CLASS_RE.search(child.get("class") or "")
            if tag and not decoration:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return clean_text(" ".join(parts)).strip(" *†‡¹²³")


def _cells(row: Any) -> list[Any]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]


def _text(element: Any) -> str:
    return clean_text(element.text_content())


def _note(table: Any) -> str:
    """Text that qualifies every price of the table: caption and the element just before."""
    texts = [_text(c) for c in table.iter("caption")]
    previous = table.getprevious()
    hops = 0
    while previous is not None and hops < 2:
        if isinstance(previous.tag, str) and previous.tag not in ("script", "style"):
            text = _text(previous)
            if text and len(text) <= 200:
                texts.append(text)
        previous = previous.getprevious()
        hops += 1
    return " ".join(texts)


def _plan(name: str, cell: str, qualifiers: str, dollar: str | None) -> dict[str, Any] | None:
    parsed = parse_price(cell, dollar)
    if parsed is None:
        return None
    if parsed.is_custom:
        period, unit = "unknown", None
    else:
        # "billed annually" in a note wins over the cell's "/month" (see normalize_period).
        basis = f"{cell} {qualifiers}"
        period = normalize_period(basis)
        unit = normalize_unit(cell) or normalize_unit(qualifiers)
    return plan_row(
        name,
        "table",
        price=None if parsed.is_custom else per_billing_period(parsed.price, period, basis),
        currency=parsed.currency,
        billing_period=period,
        unit=unit,
        is_custom=parsed.is_custom,
        price_text=cell,
    )


def _period_of_label(label: str) -> str | None:
    """ "Monthly", "Yearly", "Per year", "Annual billing": a column of one period's prices."""
    period = normalize_period(label if " " in label else f"{label} billing")
    return period if period in ("month", "year") and len(label) <= 30 else None


def _plans_as_columns(table: Any, rows: list[Any], dollar: str | None) -> list[dict[str, Any]]:
    header, *body = rows
    names = [name_text(c) for c in _cells(header)]
    if any(_period_of_label(n) for n in names[1:]):
        return []  # "Monthly" / "Yearly" columns: plans are the rows
    price_row = period_row = None
    for row in body:
        cells = _cells(row)
        values = [_text(c) for c in cells[1:]]
        if (
            price_row is None
            and values
            and (
                sum(looks_like_price(v) for v in values) * 2 >= len(values)
                or PRICE_LABEL_RE.search(_text(cells[0]) if cells else "")
            )
        ):
            price_row = row
        elif price_row is not None and period_row is None and cells:
            label = _text(cells[0])
            if PERIOD_LABEL_RE.search(label) or any(
                normalize_period(v) != "unknown" for v in values
            ):
                period_row = row
    if price_row is None:
        return []
    prices = [_text(c) for c in _cells(price_row)]
    periods = [_text(c) for c in _cells(period_row)] if period_row is not None else []
    note = _note(table)
    plans = []
    for index in range(1, min(len(names), len(prices))):
        name = names[index]
        if not name:
            continue
        qualifiers = " ".join([periods[index] if index < len(periods) else "", note])
        plan = _plan(name, prices[index], qualifiers, dollar)
        if plan is not None:
            plans.append(plan)
    return plans


def _plans_as_rows(table: Any, rows: list[Any], dollar: str | None) -> list[dict[str, Any]]:
    header, *body = rows
    labels = [_text(c) for c in _cells(header)]
    by_period = [(i, _period_of_label(t)) for i, t in enumerate(labels) if i]
    by_period = [(i, period) for i, period in by_period if period]
    if by_period:
        return _plans_by_period_columns(body, by_period, _note(table), dollar)
    price_col = next((i for i, t in enumerate(labels) if PRICE_LABEL_RE.search(t)), None)
    if not price_col:
        return []
    period_col = next(
        (i for i, t in enumerate(labels) if i != price_col and PERIOD_LABEL_RE.search(t)), None
    )
    note = _note(table)
    plans = []
    for row in body:
        cells = _cells(row)
        if len(cells) <= price_col:
            continue
        name = name_text(cells[0])
        period = (
            _text(cells[period_col]) if period_col is not None and period_col < len(cells) else ""
        )
        plan = _plan(name, _text(cells[price_col]), f"{period} {note}", dollar) if name else None
        if plan is not None:
            plans.append(plan)
    return plans


def _plans_by_period_columns(
    body: list[Any], columns: list[tuple[int, str]], note: str, dollar: str | None
) -> list[dict[str, Any]]:
    """Plans as rows, one price column per period ("Plan | Monthly | Yearly")."""
    plans = []
    for row in body:
        cells = _cells(row)
        name = name_text(cells[0]) if cells else ""
        custom = None
        for index, period in columns:
            if not name or index >= len(cells):
                continue
            # "$8/mo" in the yearly column is billed yearly: 96.00 a year.
            billed = "billed monthly" if period == "month" else "billed yearly"
            plan = _plan(name, _text(cells[index]), f"{billed} {note}", dollar)
            if plan is None:
                continue
            if plan["is_custom"]:
                custom = custom or plan  # "Contact us" in every column: one plan
                continue
            plan["billing_period"] = period
            plans.append(plan)
        if custom and not any(p["name"] == name for p in plans):
            plans.append(custom)
    return plans


def plans_from_tables(selector: Selector, dollar: str | None = "USD") -> list[dict[str, Any]]:
    """Plans of the page's first comparison table that names two or more priced plans."""
    for table in selector.xpath("//table"):
        root = table.root
        rows = list(root.iter("tr"))
        if len(rows) < 2:
            continue
        plans = max(
            _plans_as_columns(root, rows, dollar), _plans_as_rows(root, rows, dollar), key=len
        )
        if len(plans) >= 2:
            return plans
    return []
