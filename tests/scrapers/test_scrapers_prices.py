"""Price, currency, billing period and unit wording."""

from __future__ import annotations

import pytest

from scrapers.prices import (
    format_price,
    normalize_availability,
    normalize_currency,
    normalize_period,
    normalize_unit,
    parse_price,
    period_from_duration,
)


@pytest.mark.parametrize(
    ("text", "price", "currency", "is_custom"),
    [
        ("$49 /user/month", "49.00", "USD", False),
        ("€39 per seat / month", "39.00", "EUR", False),
        ("£1,299.00", "1299.00", "GBP", False),
        ("1.234,56 €", "1234.56", "EUR", False),
        ("CHF 20", "20.00", "CHF", False),
        ("¥5000", "5000.00", "JPY", False),
        ("Free", "0.00", None, False),
        ("Free for up to 3 users", "0.00", None, False),
        ("$0", "0.00", "USD", False),
        ("Contact sales", None, None, True),
        ("Custom", None, None, True),
        ("Let's talk", None, None, True),
    ],
)
def test_parse_price(text, price, currency, is_custom):
    parsed = parse_price(text)
    assert parsed is not None
    assert (parsed.price, parsed.currency, parsed.is_custom) == (price, currency, is_custom)
    assert parsed.text == text


@pytest.mark.parametrize("text", ["", "Start free trial", "Most popular", "Up to"])
def test_texts_without_a_price(text):
    assert parse_price(text) is None


def test_dollar_currency_is_configurable():
    assert parse_price("$10", dollar="CAD").currency == "CAD"
    assert normalize_currency("$", dollar=None) is None
    assert normalize_currency("A$") == "AUD"
    assert normalize_currency("eur") == "EUR"
    assert normalize_currency("kr") is None  # SEK, NOK or DKK: unknown


@pytest.mark.parametrize(
    ("texts", "period"),
    [
        (("$49 /mo",), "month"),
        (("per month",), "month"),
        (("Billed monthly",), "month"),
        (("monthly",), "month"),
        (("$390 /yr",), "year"),
        (("per year",), "year"),
        (("$39 /mo", "billed annually"), "year"),
        (("One-time purchase",), "one-time"),
        (("Lifetime licence",), "one-time"),
        (("$49",), "unknown"),
    ],
)
def test_normalize_period(texts, period):
    assert normalize_period(*texts) == period


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("$49 /user/month", "per user"),
        ("€39 per seat / month", "per seat"),
        ("$15 per host per month", "per host"),
        ("per active user", "per active user"),
        ("$49 /month", None),
    ],
)
def test_normalize_unit(text, unit):
    assert normalize_unit(text) == unit


def test_format_price_and_durations():
    assert format_price("49") == "49.00"
    assert format_price(39.9) == "39.90"
    assert format_price("1,299.5") == "1299.50"
    assert format_price("-1") is None
    assert format_price("abc") is None
    assert period_from_duration("P1M") == "month"
    assert period_from_duration("P1Y") == "year"
    assert period_from_duration("ANN") == "year"
    assert period_from_duration({"unitCode": "MON", "value": 1}) == "month"


def test_normalize_availability():
    assert normalize_availability("https://schema.org/InStock") == "InStock"
    assert normalize_availability("http://schema.org/PreOrder") == "PreOrder"
    assert normalize_availability("instock") == "InStock"
    assert normalize_availability("out of stock") == "OutOfStock"
    assert normalize_availability(None) is None


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("19,99 €", "19.99", "EUR"),
        ("1.249 €", "1249.00", "EUR"),
        ("CHF 1'249.–", "1249.00", "CHF"),
        ("¥1,200", "1200.00", "JPY"),
        ("R$ 49,90", "49.90", "BRL"),
        ("US$15", "15.00", "USD"),
        ("Grátis", "0.00", None),
        ("無料", "0.00", None),
    ],
)
def test_parse_price_locale_formats(text, price, currency):
    parsed = parse_price(text)
    assert (parsed.price, parsed.currency) == (price, currency)


@pytest.mark.parametrize("text", ["Auf Anfrage", "お問い合わせ", "Sob consulta", "Sur devis"])
def test_contact_sales_in_other_languages_is_custom(text):
    parsed = parse_price(text)
    assert (parsed.price, parsed.is_custom) == (None, True)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("pro Monat", "month"),
        ("1.249 € pro Jahr", "year"),
        ("jährlich", "year"),
        ("R$ 49,90/mês", "month"),
        ("R$ 499,00/ano", "year"),
        ("¥1,200/月", "month"),
        ("¥12,000/年", "year"),
        ("19 € par mois", "month"),
    ],
)
def test_normalize_period_in_other_languages(text, period):
    assert normalize_period(text) == period
