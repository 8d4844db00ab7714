"""Plans and products from hydration data: the JSON a JavaScript page ships with its HTML.

Next.js (``<script id="__NEXT_DATA__">``, and the app router's React server component
payload in ``self.__next_f.push`` scripts), Nuxt 3 (``<script id="__NUXT_DATA__">``, a
devalue-encoded array), Inertia.js (``data-page``) and React on Rails (``data-react-props``)
attributes, and any ``<script type="application/json">`` payload or
``window.__X__ = {...}`` assignment whose value is plain JSON. The visible HTML of such
pages is often an empty shell; the plans are in these payloads.

A plan is a JSON object with a name (name, title, label, ...) and at least one price
key (price, amount, monthlyPrice, priceYearly, ...). Keys naming a period ("monthly",
"annualPrice") give one plan per period; a price object's own interval/period key, or
the object's, gives the period otherwise. An object with a SKU or a stock flag and no
period is a shop product (paid once). The currency comes from the object, its price
object, or the nearest enclosing object that states one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from parsel import Selector

from scrapers.prices import (
    format_price,
    normalize_availability,
    normalize_currency,
    normalize_period,
    normalize_unit,
    parse_price,
    plan_row,
)

Warn = Callable[[str, str], None]

NAME_KEYS = ("name", "title", "planName", "plan_name", "displayName", "display_name", "label")
CURRENCY_KEYS = ("currency", "currencyCode", "currency_code", "priceCurrency")
INTERVAL_KEYS = ("interval", "period", "billingPeriod", "billing_period", "billingCycle",
                 "billing_cycle", "cycle", "frequency", "recurring")  # fmt: skip
AMOUNT_KEYS = ("amount", "value", "price", "unitPrice", "unit_price")
SKU_KEYS = ("sku", "SKU", "productCode", "mpn", "gtin", "gtin13", "barcode")
STOCK_KEYS = ("availableForSale", "available", "inStock", "in_stock", "availability")
#: A key holding a price: price, prices, amount, monthlyPrice, price_yearly, annual, ...
PRICE_KEY_RE = re.compile(
    r"^(?:price|prices|amount|cost|monthly|yearly|annual|annually)$"
    r"|price|amount|^(?:monthly|yearly|annual)_?(?:cost|fee|rate)$",
    re.IGNORECASE,
)
_MONTH_KEY_RE = re.compile(r"month|mo$|mensal|monat", re.IGNORECASE)
_YEAR_KEY_RE = re.compile(r"year|annual|yr$|jahr", re.IGNORECASE)
_NOT_PRICE_KEY_RE = re.compile(r"id$|^is|label|text|note|url|display|compare|old|was|strike",
                               re.IGNORECASE)  # fmt: skip
#: devalue's wrappers of a value (Nuxt 3 payloads): ["Reactive", index] and friends.
DEVALUE_WRAPPERS = frozenset(
    {"Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef"}
)
ASSIGNMENT_RE = re.compile(
    r"window\.(__[A-Z_]+__|__[a-zA-Z]+State__|[A-Za-z]*(?:STATE|DATA|PROPS))\s*=\s*",
)


def decode_devalue(payload: list[Any]) -> Any:
    """The value a devalue-serialised array (Nuxt 3's __NUXT_DATA__) stands for.

    Each object's and array's members are indices into the payload; negative indices
    are undefined/NaN/infinities (read as None). Unknown typed entries ("Date", "Set")
    keep their raw value.
    """
    cache: dict[int, Any] = {}

    def at(index: Any) -> Any:
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            return None
        if index >= len(payload):
            return None
        if index in cache:
            return cache[index]
        raw = payload[index]
        if isinstance(raw, list):
            if len(raw) == 2 and isinstance(raw[0], str) and raw[0] in DEVALUE_WRAPPERS:
                cache[index] = None  # cycles read as None
                value = at(raw[1])
            elif raw and isinstance(raw[0], str):
                value = raw[1] if len(raw) > 1 else None
            else:
                cache[index] = []
                value = [at(i) for i in raw]
        elif isinstance(raw, dict):
            cache[index] = {}
            value = {k: at(v) for k, v in raw.items()}
        else:
            value = raw
        cache[index] = value
        return value

    return at(0)


def _json_after(text: str, start: int) -> Any:
    """The JSON value that starts at text[start:], or None."""
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return value


def hydration_payloads(selector: Selector, warn: Warn | None = None) -> list[tuple[str, Any]]:
    """(where, value) of every JSON payload a page carries for its scripts, in page order."""
    found: list[tuple[str, Any]] = []
    flight: list[str] = []  # React server component payload chunks (Next.js app router)
    for script in selector.xpath("//script"):
        kind = (script.attrib.get("type") or "").strip().lower()
        ident = script.attrib.get("id") or ""
        text = script.xpath("string()").get() or ""
        if not text.strip() or kind == "application/ld+json":
            continue
        if kind == "application/json" or ident in {"__NEXT_DATA__", "__NUXT_DATA__"}:
            try:
                value = json.loads(text)
            except ValueError as exc:
                if warn:
                    warn("broken_hydration_json", f"script#{ident or kind}: {exc}"[:160])
                continue
            if ident == "__NUXT_DATA__" and isinstance(value, list):
                value = decode_devalue(value)
            found.append((f"script#{ident}" if ident else "script[type=application/json]", value))
            continue
        if kind in ("", "text/javascript", "module"):
            flight.extend(RSC_PUSH_RE.findall(text))
            for match in ASSIGNMENT_RE.finditer(text):
                value = _json_after(text, match.end())
                if isinstance(value, dict | list):
                    found.append((f"window.{match.group(1)}", value))
    found.extend(("self.__next_f", value) for value in rsc_values(flight))
    # Inertia.js (data-page), React on Rails (data-react-props), islands (props): JSON in
    # an attribute of the element the app mounts on.
    for node in selector.xpath("//*[@data-page or @data-props or @data-react-props or @props]"):
        for name in JSON_ATTRIBUTES:
            text = (node.attrib.get(name) or "").strip()
            if text[:1] in ("{", "["):
                try:
                    found.append((f"[{name}]", json.loads(text)))
                except ValueError:
                    if warn:
                        warn("broken_hydration_json", f"[{name}]: {text[:80]}")
    return found


JSON_ATTRIBUTES = ("data-page", "data-props", "data-react-props", "props")


#: A chunk of Next.js's React server component payload: self.__next_f.push([1,"..."]).
RSC_PUSH_RE = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)')
_RSC_ROW_RE = re.compile(r"^[0-9a-f]+:(?=[\[{])", re.MULTILINE)


def rsc_values(chunks: list[str]) -> list[Any]:
    """The JSON values of a React server component payload ("2:{...}" rows), from the
    JavaScript string literals of its pushes, joined in order (a row may span two)."""
    text = ""
    for chunk in chunks:
        try:
            text += json.loads(chunk)
        except ValueError:
            continue
    values = []
    for match in _RSC_ROW_RE.finditer(text):
        value = _json_after(text, match.end())
        if isinstance(value, dict | list):
            values.append(value)
    return values


def _name(node: dict[str, Any]) -> str | None:
    for key in NAME_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value.strip() and len(value) <= 80:
            return " ".join(value.split())
    return None


def _currency(node: dict[str, Any], dollar: str | None) -> str | None:
    for key in CURRENCY_KEYS:
        value = node.get(key)
        if isinstance(value, str):
            code = normalize_currency(value, dollar)
            if code:
                return code
    return None


def _interval(node: dict[str, Any]) -> str | None:
    for key in INTERVAL_KEYS:
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("interval") or value.get("period")
        if isinstance(value, str) and value.strip():
            word = value.strip().lower()
            period = normalize_period(word if " " in word else f"per {word}")
            if word in {"monthly", "month", "mo", "m"}:
                return "month"
            if word in {"yearly", "year", "annual", "annually", "yr", "y"}:
                return "year"
            if period != "unknown":
                return period
    return None


def _key_period(key: str) -> str | None:
    if _MONTH_KEY_RE.search(key):
        return "month"
    if _YEAR_KEY_RE.search(key):
        return "year"
    return None


def _amount(value: Any, dollar: str | None) -> tuple[str | None, str | None, bool]:
    """(price, currency from text, custom) of one price value: number, text or object."""
    if value is None or isinstance(value, bool | list):
        return None, None, False
    if isinstance(value, int | float):
        return format_price(value), None, False
    if isinstance(value, str):
        price = format_price(value)
        if price is not None:
            return price, None, False
        parsed = parse_price(value, dollar)
        if parsed is None:
            return None, None, False
        return parsed.price, parsed.currency, parsed.is_custom
    return None, None, False


def _prices(node: dict[str, Any], dollar: str | None) -> list[tuple[str | None, Any, str]]:
    """(period from the key, price value, key) of the node's price keys."""
    found = []
    for key, value in node.items():
        if not PRICE_KEY_RE.search(key) or _NOT_PRICE_KEY_RE.search(key):
            continue
        if isinstance(value, dict) and not any(k in value for k in AMOUNT_KEYS):
            # {"monthly": 10, "yearly": 100}: periods as the keys of a price object.
            for inner_key, inner in value.items():
                period = _key_period(inner_key)
                if period:
                    found.append((period, inner, f"{key}.{inner_key}"))
            continue
        found.append((_key_period(key), value, key))
    return found


def _plans_of(
    node: dict[str, Any], currency: str | None, dollar: str | None
) -> list[dict[str, Any]]:
    name = _name(node)
    prices = _prices(node, dollar)
    if not name or not prices:
        return []
    product = any(k in node for k in SKU_KEYS) or any(k in node for k in STOCK_KEYS)
    own_currency = _currency(node, dollar) or currency
    unit = None
    if node.get("perSeat") is True or node.get("per_seat") is True:
        unit = "per seat"
    elif node.get("perUser") is True or node.get("per_user") is True:
        unit = "per user"
    else:
        per = next(
            (node[k] for k in ("unit", "per", "perUnit") if isinstance(node.get(k), str)), None
        )
        unit = normalize_unit(f"per {per}") if per else None
    features = [f for f in node.get("features") or [] if isinstance(f, str)]
    plans: list[dict[str, Any]] = []
    custom = False
    for key_period, value, key in prices:
        price_currency = own_currency
        period = key_period or _interval(node)
        if isinstance(value, dict):
            raw = next((value[k] for k in AMOUNT_KEYS if k in value), None)
            price_currency = _currency(value, dollar) or own_currency
            period = key_period or _interval(value) or _interval(node)
        else:
            raw = value
        price, text_currency, is_custom = _amount(raw, dollar)
        if is_custom or (raw is None and price is None):
            custom = custom or is_custom or raw is None
            continue
        if price is None:
            continue
        if period is None:
            period = "one-time" if product else "unknown"
        plans.append(
            plan_row(
                name,
                "hydration",
                price=price,
                currency=price_currency or text_currency,
                billing_period=period,
                unit=unit,
                availability=_availability(node),
                sku=next((str(node[k]) for k in SKU_KEYS if node.get(k)), None),
                features=features,
                price_text=f"{key}={raw}",
            )
        )
    if not plans and custom:
        cta = " ".join(str(node.get(k) or "") for k in ("cta", "ctaLabel", "button", "priceLabel"))
        parsed = parse_price(cta, dollar)
        if all(v is None for _, v, _ in prices) or (parsed and parsed.is_custom):
            plans.append(
                plan_row(
                    name,
                    "hydration",
                    is_custom=True,
                    features=features,
                    price_text=cta.strip() or None,
                )
            )
    return plans


def _availability(node: dict[str, Any]) -> str | None:
    for key in STOCK_KEYS:
        value = node.get(key)
        if isinstance(value, bool):
            return "InStock" if value else "OutOfStock"
        if isinstance(value, str):
            return normalize_availability(value)
    return None


def plans_from_payload(value: Any, dollar: str | None = "USD") -> list[dict[str, Any]]:
    """Plans found in one JSON value, in document order (an object before its members:
    a product before its related products)."""
    plans: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()

    def visit(node: Any, currency: str | None, depth: int) -> None:
        if depth > 40:
            return
        if isinstance(node, list):
            for child in node:
                visit(child, currency, depth + 1)
            return
        if not isinstance(node, dict):
            return
        currency = _currency(node, dollar) or currency
        for plan in _plans_of(node, currency, dollar):
            key = (plan["name"], plan["billing_period"], plan["price"], plan["sku"])
            if key not in seen:
                seen.add(key)
                plans.append(plan)
        for child in node.values():
            if isinstance(child, dict | list):
                visit(child, currency, depth + 1)

    visit(value, None, 0)
    return plans


def plans_from_hydration(
    selector: Selector, dollar: str | None = "USD", warn: Warn | None = None
) -> list[dict[str, Any]]:
    """Plans of the first payload that holds any."""
    for _where, value in hydration_payloads(selector, warn):
        plans = plans_from_payload(value, dollar)
        if plans:
            return plans
    return []
