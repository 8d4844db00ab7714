"""Reading job postings' values the same way whatever the source.

Pure functions shared by the greenhouse, lever and jobposting spiders: workplace and
employment types from the sources' own vocabularies, salary ranges as decimal strings,
and the JobPosting fields of schema.org.
"""

from __future__ import annotations

import re
from typing import Any

from scrapers.prices import format_price, normalize_currency

#: Words (lower case, "-"/"_"/" " removed) → workplace_type.
WORKPLACE_WORDS: dict[str, str] = {
    "remote": "remote",
    "telecommute": "remote",
    "fullyremote": "remote",
    "remotefirst": "remote",
    "workfromhome": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "inoffice": "onsite",
    "office": "onsite",
    "inperson": "onsite",
}
#: Words (lower case, separators removed) → employment_type.
EMPLOYMENT_WORDS: dict[str, str] = {
    "fulltime": "full-time",
    "permanent": "full-time",
    "parttime": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "freelance": "contract",
    "intern": "internship",
    "internship": "internship",
    "temporary": "temporary",
    "temp": "temporary",
    "seasonal": "temporary",
    "fixedterm": "temporary",
}
#: Salary period words (Lever's "per-year-salary", schema.org "YEAR", "hourly") → period.
_PERIOD_RE = (
    (re.compile(r"hour|\bhr\b", re.IGNORECASE), "hour"),
    (re.compile(r"\bday|daily|per-day", re.IGNORECASE), "day"),
    (re.compile(r"week", re.IGNORECASE), "week"),
    (re.compile(r"month|\bmo\b", re.IGNORECASE), "month"),
    (re.compile(r"year|annual|annum|\byr\b|\bANN\b", re.IGNORECASE), "year"),
)
_REMOTE_IN_TEXT_RE = re.compile(r"\b(remote|hybrid)\b", re.IGNORECASE)


def _key(value: Any) -> str:
    return re.sub(r"[\s_\-]+", "", str(value)).lower()


def workplace_type(*values: Any) -> str:
    """remote | hybrid | onsite | unknown from the first value that names one."""
    for value in values:
        if value is None:
            continue
        key = _key(value)
        if key in WORKPLACE_WORDS:
            return WORKPLACE_WORDS[key]
    return "unknown"


def workplace_from_location(location: str | None) -> str | None:
    """ "Remote - US" → remote, "Berlin (Hybrid)" → hybrid; None when the text says neither."""
    if not location:
        return None
    match = _REMOTE_IN_TEXT_RE.search(location)
    return match.group(1).lower() if match else None


def employment_type(*values: Any) -> str:
    """full-time | part-time | contract | internship | temporary | unknown."""
    for value in values:
        for one in value if isinstance(value, list) else [value]:
            if one is None:
                continue
            key = _key(one)
            if key in EMPLOYMENT_WORDS:
                return EMPLOYMENT_WORDS[key]
            # "Full-time (permanent)", "Contract - 6 months"
            for word, kind in EMPLOYMENT_WORDS.items():
                if key.startswith(word):
                    return kind
    return "unknown"


def salary_period(value: Any) -> str | None:
    """year | month | week | day | hour from "per-year-salary", "YEAR", "hourly"; else None."""
    if value is None:
        return None
    text = str(value)
    for pattern, period in _PERIOD_RE:
        if pattern.search(text):
            return period
    return None


_GROUPED_RE = re.compile(r"^\d{1,3}(?:([.,' ])\d{3})+$")


def _amount(value: Any) -> Any:
    """ "70.000" or "70,000" (thousands grouped, as many locales write them) → "70000";
    anything else as it is."""
    if isinstance(value, str):
        text = value.strip()
        match = _GROUPED_RE.match(text)
        if match:
            return text.replace(match.group(1), "")
    return value


def salary_range(
    low: Any, high: Any, currency: Any, period: Any = None
) -> dict[str, str | None] | None:
    """The salary fields, or None when the amounts are unusable.

    One bound alone is kept (the other stays None); a reversed range is put in order.
    """
    salary_min, salary_max = format_price(_amount(low)), format_price(_amount(high))
    if salary_min is None and salary_max is None:
        return None
    if salary_min is not None and salary_max is not None and float(salary_min) > float(salary_max):
        salary_min, salary_max = salary_max, salary_min
    code = normalize_currency(str(currency), None) if currency not in (None, "") else None
    return {
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_currency": code,
        "salary_period": salary_period(period),
    }


NO_SALARY: dict[str, None] = {
    "salary_min": None,
    "salary_max": None,
    "salary_currency": None,
    "salary_period": None,
}


def first_text(value: Any) -> str | None:
    """A clean string from a str, {"name": ...} or the first of a list."""
    if isinstance(value, list):
        for one in value:
            text = first_text(one)
            if text:
                return text
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@value")
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = " ".join(str(value).split())
    return text or None


_RANGE_SPLIT_RE = re.compile(r"\s*(?:-|–|—|\bto\b|\bbis\b|\bà\b|\ba\b)\s*", re.IGNORECASE)


def salary_from_text(text: str | None, currency: Any = None) -> dict[str, str | None] | None:
    """Salary fields from "60,000 - 70,000 per year", "€45k–55k", "1800" (a schema.org
    baseSalary given as Text or Number); ``currency`` (salaryCurrency) when the text
    shows none. None when no amount can be read."""
    from price_parser import Price

    if not text or not re.search(r"\d", text):
        return None
    bounds = []
    for part in _RANGE_SPLIT_RE.split(text.strip(), maxsplit=1):
        thousands = re.search(r"\d\s*[kK]\b", part)
        parsed = Price.fromstring(part)
        if parsed.amount is None:
            continue
        amount = parsed.amount * 1000 if thousands else parsed.amount
        bounds.append((amount, parsed.currency))
    if not bounds:
        return None
    low, high = bounds[0][0], bounds[-1][0]
    shown = next((c for _, c in bounds if c), None)
    return salary_range(low, high, currency or normalize_currency(shown, None), text)
