"""Reading prices, currencies, billing periods and units out of page text.

Pure functions, shared by every pricing extraction method, so that "€39 per seat /
month" means the same thing whether it came from JSON-LD, a catalog selector or a
heuristic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from price_parser import Price

#: Symbols (as price-parser returns them) to ISO 4217. A bare "$" is ambiguous;
#: callers pass ``dollar=`` (setting RADAR_DOLLAR_CURRENCY, default USD).
CURRENCY_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "円": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "zł": "PLN",
    "Kč": "CZK",
    "Fr.": "CHF",
    "US$": "USD",
    "U$S": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "MX$": "MXN",
}
ISO_CODE_RE = re.compile(r"^[A-Za-z]{3}$")

FREE_RE = re.compile(
    r"^\W*(?:free(?:\s+forever)?|gratis|grátis|gratuito|kostenlos|gratuit|無料|免费)\W*$",
    re.IGNORECASE,
)
CUSTOM_RE = re.compile(
    r"\b(?:contact\s+(?:sales|us)|custom(?:\s+pricing|\s+quote)?|talk\s+to\s+(?:sales|us)"
    r"|let'?s\s+talk|get\s+a\s+quote|request\s+a\s+quote|(?:price\s+)?on\s+request"
    # German, French, Spanish, Portuguese
    r"|auf\s+anfrage|preis\s+auf\s+anfrage|kontakt(?:ieren\s+sie\s+uns)?|sur\s+devis"
    r"|nous\s+contacter|cont[aá]ct(?:enos|anos)|sob\s+consulta|fale\s+conosco)\b"
    r"|お問い合わせ|要相談|联系销售|联系我们",
    re.IGNORECASE,
)
#: A currency sign or code next to digits: the signature of a displayed price.
PRICE_SHAPE_RE = re.compile(
    r"(?:[$€£¥₹₩₽₺₪]|\b(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|SEK|NOK|DKK|PLN|BRL)\b)\s?\d"
    r"|\d(?:[\d.,\s]*\d)?\s?(?:[€£₽₺₪]|zł|Kč|\b(?:USD|EUR|GBP|CHF|SEK|NOK|DKK|PLN)\b)",
)

_ANNUAL_BILLING_RE = re.compile(
    r"\b(?:billed|paid|pay|charged)\s+(?:annually|yearly|per\s+year|once\s+a\s+year)"
    r"|\bannual(?:ly)?\s+(?:billing|plan|subscription)\b",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(
    r"/\s*(?:mo|mon|month|mth)\b|\bper\s+month\b|\ba\s+month\b|\bmonthly\b|\bmo\."
    r"|\bp/m\b|\bbilled\s+monthly\b"
    r"|\b(?:pro|im|je)\s+monat\b|/\s*monat\b|\bmonatlich\b|\bpar\s+mois\b|/\s*mois\b"
    r"|\bmensuel(?:le)?\b|\bal\s+mes\b|\bpor\s+m[eê]s\b|/\s*m[eê]s\b|\bmensal\b"
    r"|/\s*月|月額|毎月|每月",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(
    r"/\s*(?:yr|year|annum|y)\b|\bper\s+(?:year|annum)\b|\ba\s+year\b|\byearly\b"
    r"|\bannual(?:ly)?\b|\bp\.?a\.?(?=\s|$)"
    r"|\b(?:pro|im|je)\s+jahr\b|/\s*jahr\b|\bj[äa]hrlich\b|\bpar\s+an\b|/\s*an\b"
    r"|\bannuel(?:le)?\b|\bal\s+año\b|\bpor\s+ano\b|/\s*ano\b|/\s*año\b|\banual\b"
    r"|/\s*年|年額|毎年|每年",
    re.IGNORECASE,
)
_ONE_TIME_RE = re.compile(
    r"\bone[-\s]?time\b|\blifetime\b|\bonce\b|\bperpetual\b|\bpay\s+once\b", re.IGNORECASE
)
_UNIT_RE = re.compile(
    r"(?:\bper|/|\beach)\s*(active\s+|additional\s+)?"
    r"(seat|user|member|host|node|agent|editor|contributor|licen[cs]e|device|server|instance"
    r"|project|workspace|team|site|location|endpoint|container|vcpu|cpu|core|gb|tb)s?\b",
    re.IGNORECASE,
)

#: ISO 8601 durations and UN/CEFACT unit codes used by schema.org price specifications.
_DURATION_PERIODS = {
    "P1M": "month",
    "P30D": "month",
    "P1Y": "year",
    "P12M": "year",
    "P365D": "year",
}
_UNIT_CODE_PERIODS = {"MON": "month", "ANN": "year", "month": "month", "year": "year"}


@dataclass(frozen=True)
class ParsedPrice:
    price: str | None  # "49.00"; "0.00" for free; None for custom
    currency: str | None
    is_custom: bool
    text: str


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def format_price(value: object) -> str | None:
    """A decimal string with two places ("49.00"), or None when not a non-negative number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def normalize_currency(value: str | None, dollar: str | None = "USD") -> str | None:
    """ISO 4217 code from a symbol or a code; None when unknown or ambiguous."""
    value = clean_text(value)
    if not value:
        return None
    if value == "$":
        return dollar
    if value in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[value]
    if ISO_CODE_RE.match(value):
        return value.upper()
    return None


def parse_price(text: str | None, dollar: str | None = "USD") -> ParsedPrice | None:
    """Read one displayed price. None when the text holds no price at all.

    "$49 /user/month" → 49.00 USD; "Free" → 0.00; "Contact sales"/"Custom" → custom.
    An amount wins over the words around it ("Free trial, then $49/mo" is 49.00).
    """
    text = clean_text(text)
    if not text:
        return None
    parsed = Price.fromstring(text)
    currency = normalize_currency(parsed.currency, dollar)
    # "Free for 3 users" is a free tier (not 3.00); "Start free trial" is a button.
    if FREE_RE.match(text) or re.match(r"^\W*free\b", text, re.IGNORECASE):
        return ParsedPrice("0.00", currency, False, text)
    if parsed.amount is not None and any(ch.isdigit() for ch in text):
        price = format_price(parsed.amount)
        if price is not None:
            return ParsedPrice(price, currency, False, text)
    if CUSTOM_RE.search(text):
        return ParsedPrice(None, None, True, text)
    return None


def looks_like_price(text: str) -> bool:
    """True for short texts that display a price, "Free" or "Contact sales"."""
    text = clean_text(text)
    if not text or len(text) > 60:
        return False
    return bool(PRICE_SHAPE_RE.search(text) or FREE_RE.match(text) or CUSTOM_RE.fullmatch(text))


def normalize_period(*texts: str | None) -> str:
    """month | year | one-time | unknown, from the words around a price.

    "billed annually" wins over "/mo": "$39/mo billed annually" is the annual plan,
    shown as its monthly equivalent (see per_billing_period for the amount).
    """
    text = clean_text(" ".join(t for t in texts if t))
    if not text:
        return "unknown"
    if _ANNUAL_BILLING_RE.search(text):
        return "year"
    if _MONTH_RE.search(text):
        return "month"
    if _YEAR_RE.search(text):
        return "year"
    if _ONE_TIME_RE.search(text):
        return "one-time"
    return "unknown"


def per_billing_period(price: str | None, period: str, text: str | None) -> str | None:
    """The amount paid per billing period.

    Pricing pages show annual plans as their monthly equivalent ("$10 / month, billed
    annually"), but what a customer pays for a year is twelve times that. Keeping
    `price` per billing period makes month and year rows comparable; the displayed
    wording stays in `price_text`.
    """
    if price is None or period != "year" or not _MONTH_RE.search(clean_text(text)):
        return price
    return format_price(Decimal(price) * 12)


def normalize_unit(*texts: str | None) -> str | None:
    """ "per seat", "per user", ... from "/user/month", "per seat / month"; None if absent."""
    text = clean_text(" ".join(t for t in texts if t))
    match = _UNIT_RE.search(text)
    if not match:
        return None
    unit = match.group(2).lower()
    if unit in {"gb", "tb", "vcpu", "cpu"}:
        unit = unit.upper() if unit in {"gb", "tb"} else unit
    if unit == "licence":
        unit = "license"
    return f"per {(match.group(1) or '').lower()}{unit}"


def period_from_duration(value: object) -> str | None:
    """billing period from schema.org billingDuration / unitCode values ("P1M", "ANN")."""
    if isinstance(value, dict):
        value = value.get("unitCode") or value.get("unitText") or value.get("value")
    if value is None:
        return None
    text = str(value).strip()
    if text.upper() in _DURATION_PERIODS:
        return _DURATION_PERIODS[text.upper()]
    if text.upper() in _UNIT_CODE_PERIODS:
        return _UNIT_CODE_PERIODS[text.upper()]
    period = normalize_period(text if " " in text or "/" in text else f"per {text}")
    return None if period == "unknown" else period


AVAILABILITY_ALIASES = {
    "instock": "InStock",
    "in stock": "InStock",
    "available": "InStock",
    "outofstock": "OutOfStock",
    "out of stock": "OutOfStock",
    "oos": "OutOfStock",
    "soldout": "SoldOut",
    "sold out": "SoldOut",
    "preorder": "PreOrder",
    "pre-order": "PreOrder",
    "backorder": "BackOrder",
    "discontinued": "Discontinued",
    "limitedavailability": "LimitedAvailability",
    "onlineonly": "OnlineOnly",
    "instoreonly": "InStoreOnly",
}


def normalize_availability(value: object) -> str | None:
    """schema.org short name ("InStock") from a URL, a short name or OpenGraph wording."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    short = value.strip().rstrip("/").rsplit("/", 1)[-1]
    return AVAILABILITY_ALIASES.get(short.lower(), short)


def plan_row(
    name: str,
    method: str,
    *,
    price: str | None = None,
    currency: str | None = None,
    billing_period: str = "unknown",
    unit: str | None = None,
    is_custom: bool = False,
    availability: str | None = None,
    sku: str | None = None,
    features: list[str] | None = None,
    price_text: str | None = None,
) -> dict[str, Any]:
    """A plan as every extraction method returns it: the PlanItem's own fields."""
    return {
        "name": name,
        "price": price,
        "currency": currency,
        "billing_period": billing_period,
        "unit": unit,
        "is_custom": is_custom,
        "availability": availability,
        "sku": sku,
        "features": features or [],
        "method": method,
        "price_text": price_text,
    }
