"""Plans from plan cards: catalog CSS selectors first, heuristics when there are none.

A "card" is the element holding one plan: name, one or more prices, features.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from parsel import Selector

from scrapers.prices import (
    PRICE_SHAPE_RE,
    clean_text,
    format_price,
    looks_like_price,
    normalize_period,
    normalize_unit,
    parse_price,
    per_billing_period,
    plan_row,
)
from scrapers.tables import BADGE_CLASS_RE, name_text

#: Attribute pairs pricing toggles use to hold both prices on one card.
TOGGLE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("data-monthly", "month"),
    ("data-price-monthly", "month"),
    ("data-month", "month"),
    ("data-monthly-price", "month"),
    ("data-annual", "year"),
    ("data-annually", "year"),
    ("data-yearly", "year"),
    ("data-price-annual", "year"),
    ("data-price-yearly", "year"),
    ("data-year", "year"),
    ("data-annual-price", "year"),
    ("data-yearly-price", "year"),
)
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "nav", "footer", "header"}
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def parse_selectors(value: str | dict[str, str] | None) -> dict[str, str]:
    """Catalog selectors "plan=.plan-card; name=h3" → {"plan": ".plan-card", "name": "h3"}."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k).strip(): str(v).strip() for k, v in value.items() if v}
    pairs = (part.split("=", 1) for part in value.split(";") if "=" in part)
    return {k.strip(): v.strip() for k, v in pairs if v.strip()}


def _texts(node: Selector, css: str | None) -> list[str]:
    if not css:
        return []
    return [
        t for t in (clean_text(" ".join(n.xpath(".//text()").getall())) for n in node.css(css)) if t
    ]


def _node_text(node: Selector) -> str:
    return clean_text(" ".join(node.xpath(".//text()").getall()))


def _plan(
    name: str,
    parsed: Any,
    period: str,
    unit: str | None,
    features: list[str],
    method: str,
    price_text: str,
) -> dict[str, Any]:
    return plan_row(
        name,
        method,
        price=per_billing_period(parsed.price, period, price_text),
        currency=parsed.currency,
        billing_period=period,
        unit=unit,
        is_custom=parsed.is_custom,
        features=features,
        price_text=price_text,
    )


PERIOD_WORDS = {
    "month": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "yr": "year",
}


def _period_attribute(node: Selector) -> str | None:
    """Billing period a price element states in data-billing / data-period / its classes."""
    for attribute in ("data-billing", "data-period", "data-interval", "data-billing-period"):
        value = (node.attrib.get(attribute) or "").strip().lower()
        if value in PERIOD_WORDS:
            return PERIOD_WORDS[value]
    for token in (node.attrib.get("class") or "").lower().replace("_", "-").split():
        for part in (token, token.rsplit("-", 1)[-1]):
            if part in PERIOD_WORDS:
                return PERIOD_WORDS[part]
    return None


def _toggle_prices(nodes: list[Selector]) -> list[tuple[str, str]]:
    """(period, value) pairs from data-monthly/data-annual style attributes."""
    found: dict[str, str] = {}
    for node in nodes:
        for attribute, period in TOGGLE_ATTRIBUTES:
            value = node.attrib.get(attribute)
            if value and value.strip() and period not in found:
                found[period] = value.strip()
    return list(found.items())


def plans_from_card(
    card: Selector,
    *,
    name: str | None,
    price_nodes: list[Selector],
    period_text: str = "",
    unit_text: str = "",
    period_css: str | None = None,
    unit_css: str | None = None,
    features: list[str],
    extra_text: str = "",
    method: str,
    dollar: str | None = "USD",
) -> list[dict[str, Any]]:
    """The plans of one card: one per distinct billing period among its prices."""
    if not name:
        return []
    card_text = _node_text(card)
    plans: list[dict[str, Any]] = []
    periods_seen: set[str] = set()

    toggles = _toggle_prices([*price_nodes, card])
    if toggles:
        symbol_text = _node_text(price_nodes[0]) if price_nodes else ""
        symbol = parse_price(symbol_text, dollar)
        for period, value in toggles:
            parsed = parse_price(value, dollar)
            if parsed is None:
                continue
            if parsed.currency is None and symbol is not None and symbol.currency:
                parsed = type(parsed)(parsed.price, symbol.currency, parsed.is_custom, value)
            unit = normalize_unit(unit_text, symbol_text, period_text) or normalize_unit(card_text)
            plans.append(_plan(name, parsed, period, unit, features, method, value))
            periods_seen.add(period)
        if plans:
            return plans

    custom: dict[str, Any] | None = None
    for node in price_nodes:
        own = _node_text(node)
        # period and unit inside the price element first (one element per billing period),
        # then the card's.
        node_period = " ".join(_texts(node, period_css)) or period_text
        node_unit = " ".join(_texts(node, unit_css)) or unit_text
        context = _price_context(node, own, node_period)
        parsed = parse_price(own, dollar)
        if parsed is None:
            continue
        if parsed.is_custom:
            custom = custom or _plan(name, parsed, "unknown", None, features, method, own)
            continue
        basis = context or own
        period = _period_attribute(node) or normalize_period(own, node_period, context)
        if period == "unknown":
            # "from $99" over "per month, billed annually": the card's words give the period
            # and say the amount is a monthly equivalent.
            words = without_quotas(card_text)
            period = normalize_period(words)
            basis = f"{basis} {words}"
        if period == "unknown":
            period = _pane_period(node)
        if period in periods_seen:
            continue
        periods_seen.add(period)
        unit = normalize_unit(own, node_unit, node_period, context) or normalize_unit(card_text)
        plan = _plan(name, parsed, period, unit, features, method, context or own)
        plan["price"] = per_billing_period(parsed.price, period, basis)
        plans.append(plan)
    if plans:
        return plans
    if custom is None:
        parsed = parse_price(extra_text, dollar)
        if parsed is not None and parsed.is_custom:
            custom = _plan(name, parsed, "unknown", None, features, method, extra_text)
    return [custom] if custom else []


#: An allowance, not a price's period: "1M events / month", "10,000 requests per month".
QUOTA_RE = re.compile(
    r"(?<![$€£¥\d.,])\d[\d.,]*\s*[kKmMbB]?\s+(?!(?:per|a|an|each)\b)[A-Za-z][\w-]*"
    r"(?:\s+[A-Za-z][\w-]*)?\s*(?:/|\bper\b)\s*(?:mo|month|yr|year)\b",
    re.IGNORECASE,
)


def without_quotas(text: str) -> str:
    """A card's words without its allowances, so that "Up to 1M events / month" does
    not make a free tier monthly."""
    return QUOTA_RE.sub(" ", text)


def _price_context(node: Selector, own: str, period_text: str) -> str:
    """The text a price is read from: "$49" and "/user/month" often sit in sibling elements.

    The parent counts only while it is a small price block, not the whole card.
    """
    parent = node.root.getparent()
    if parent is not None and next(parent.iter("li", *HEADINGS), None) is None:
        text = clean_text(" ".join(parent.itertext()))
        if len(text) <= 60:
            return text
    return clean_text(f"{own} {period_text}") if period_text and period_text not in own else own


def plans_from_selectors(
    selector: Selector, selectors: dict[str, str], dollar: str | None = "USD"
) -> tuple[list[dict[str, Any]], int]:
    """Plans from the catalog's CSS selectors, and the number of cards that gave none."""
    plan_css = selectors.get("plan")
    if not plan_css:
        return [], 0
    plans: list[dict[str, Any]] = []
    skipped = 0
    for card in selector.css(plan_css):
        names = _texts(card, selectors.get("name")) or _texts(card, ", ".join(HEADINGS))
        price_nodes = card.css(selectors["price"]) if selectors.get("price") else []
        if not price_nodes:
            price_nodes = _price_nodes(card)
        found = plans_from_card(
            card,
            name=names[0] if names else None,
            price_nodes=list(price_nodes),
            period_text=" ".join(_texts(card, selectors.get("period"))),
            unit_text=" ".join(_texts(card, selectors.get("unit"))),
            period_css=selectors.get("period"),
            unit_css=selectors.get("unit"),
            features=_texts(card, selectors.get("features")),
            extra_text=" ".join(_texts(card, selectors.get("cta"))),
            method="selectors",
            dollar=dollar,
        )
        if found:
            plans.extend(found)
        else:
            skipped += 1
    return plans, skipped


def _price_nodes(scope: Selector) -> list[Selector]:
    """The deepest elements under scope whose text displays a price (or Free/Custom)."""
    nodes = []
    for node in scope.xpath(".//*[not(self::script or self::style or self::noscript)]"):
        if node.root.tag in SKIP_TAGS or any(
            a.tag in SKIP_TAGS for a in node.root.iterancestors() if isinstance(a.tag, str)
        ):
            continue
        text = node.root.text_content()
        if not looks_like_price(text) or _struck_out(node.root):
            continue
        # A plan called "Free" or "Custom" names its card; only an amount in a heading
        # is a price.
        if (
            node.root.tag in HEADINGS
            and not PRICE_SHAPE_RE.search(text)
            and not PRICE_CLASS_RE.search(node.root.get("class") or "")
        ):
            continue
        # Keep the deepest match only: a child that shows the price is the price element.
        if any(looks_like_price(child.text_content()) for child in node.root.iterchildren("*")):
            continue
        nodes.append(node)
    return nodes


#: A heading styled as a price ("<h6 class=card-price>Contact us</h6>") is a price.
PRICE_CLASS_RE = re.compile(r"price|cost|amount|preis|prix|precio|preco", re.IGNORECASE)
#: Prices that no longer apply: "<del>$8</del> <ins>$6</ins>", "was $12".
STRUCK_TAGS = frozenset({"del", "s", "strike"})
STRUCK_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:old|was|strike|struck|crossed|compare|original|regular|before|previous)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)


def _struck_out(element: Any) -> bool:
    """An old price: inside <del>/<s>/<strike> or an element whose class says so."""
    for one in (element, *element.iterancestors()):
        if not isinstance(one.tag, str):
            continue
        if one.tag in STRUCK_TAGS or STRUCK_CLASS_RE.search(one.get("class") or ""):
            return True
    return False


def plans_from_heuristics(selector: Selector, dollar: str | None = "USD") -> list[dict[str, Any]]:
    """Plans from repeated card-like elements that each show a price.

    The card container is the element with the most children that each hold a price
    (deepest wins a tie): on a pricing page, the row of plan cards.
    """
    price_nodes = _price_nodes(selector)
    if not price_nodes:
        return []
    by_container: dict[Any, dict[Any, list[Selector]]] = {}
    for node in price_nodes:
        child = node.root
        for parent in child.iterancestors():
            by_container.setdefault(parent, {}).setdefault(child, []).append(node)
            child = parent

    def score(element: Any) -> tuple[bool, int, int, int]:
        # A row of two or more priced children beats an element with one; among rows,
        # cards have a name: children with a heading beat table cells holding bare prices.
        children = by_container[element]
        named = sum(1 for child in children if _has_heading(child) or _card_name_of(child))
        return len(children) >= 2, named, len(children), _depth(element)

    best = score(max(by_container, key=score))
    # Tab panes ("Monthly" / "Yearly") repeat the row of cards once per period: each
    # repeat scores the same; their cards are read together, in page order.
    containers = [c for c in by_container if score(c) == best]
    cards = {card: nodes for c in containers for card, nodes in by_container[c].items()}
    if len(cards) < 2:
        # A single price on the page: the card is the nearest ancestor with a heading.
        cards = {}
        node = price_nodes[0]
        for ancestor in node.root.iterancestors():
            if _has_heading(ancestor):
                cards[ancestor] = [node]
                break
    plans: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for card_root, nodes in cards.items():
        card = Selector(root=card_root)
        name = _card_name(card)
        features = [t for t in (clean_text(li.text_content()) for li in card_root.iter("li")) if t]
        for plan in plans_from_card(
            card,
            name=name,
            price_nodes=nodes,
            features=features,
            method="heuristics",
            dollar=dollar,
        ):
            key = (plan["name"], plan["billing_period"], plan["price"])
            if key not in seen:  # a contact-sales card repeated in every pane
                seen.add(key)
                plans.append(plan)
    return plans


def _has_heading(element: Any) -> bool:
    return next(element.iter(*HEADINGS), None) is not None


def _depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())


def _card_name(card: Selector) -> str | None:
    return _card_name_of(card.root)


def _card_name_of(root: Any) -> str | None:
    """A card's plan name: its first heading, else an element whose class says name or
    title, else a <strong>; never a badge ("Most popular"), footnote mark or price."""
    card = Selector(root=root)
    for css in (", ".join(HEADINGS), "[class*=name]", "[class*=title]", "strong"):
        for node in card.css(css):
            if BADGE_CLASS_RE.search(node.attrib.get("class") or "") or (
                PRICE_CLASS_RE.search(node.attrib.get("class") or "")
                and looks_like_price(name_text(node.root))
            ):
                continue
            text = name_text(node.root)
            if not text or PRICE_SHAPE_RE.search(text):
                continue
            # A plan called "Free" or "Custom" names its card by a heading; elsewhere
            # such words are the price.
            if node.root.tag in HEADINGS or not looks_like_price(text):
                return text
    return None


_PANE_WORDS = (("month", "month"), ("year", "year"), ("annual", "year"))


def _pane_period(node: Selector) -> str:
    """The billing period a price's tab pane stands for: its id, class or data-* words
    ("pane-yearly"), or the text of the tab that controls it (aria-controls)."""
    for ancestor in node.root.iterancestors():
        words = " ".join(
            v for k, v in ancestor.attrib.items() if k in ("id", "class") or k.startswith("data-")
        ).lower()
        for word, period in _PANE_WORDS:
            if word in words:
                return period
        ident = ancestor.get("id")
        if ident:
            for tab in ancestor.getroottree().getroot().iter():
                if isinstance(tab.tag, str) and tab.get("aria-controls") == ident:
                    period = normalize_period(tab.text_content())
                    if period != "unknown":
                        return period
    return "unknown"


_ON_VALUES = frozenset({"true", "on", "checked", "1"})
_ACTIVE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:active|selected|on|checked|current)(?:$|[\s_-])")


def billing_default(selector: Selector) -> str | None:
    """The billing period a page's monthly/yearly switch shows when it loads, or None.

    A switch or checkbox labelled "yearly" that is on (aria-checked, checked) says year,
    off says month; a tab or button marked selected/pressed/active says its own period.
    """
    for node in selector.xpath(
        "//*[@role='switch' or @role='tab' or @aria-pressed or @aria-selected"
        " or (self::input and @type='checkbox') or contains(@class, 'active')"
        " or contains(concat(' ', @class, ' '), ' on ') or contains(@class, 'selected')]"
    ):
        element = node.root
        label = " ".join([element.get("aria-label") or "", clean_text(element.text_content())])
        ident = element.get("id")
        if ident:
            label += " " + " ".join(node.xpath(f"//label[@for='{ident}']//text()").getall())
        if element.getparent() is not None and element.getparent().tag == "label":
            label += " " + clean_text(element.getparent().text_content())
        period = normalize_period(label)
        if period not in ("month", "year"):
            continue
        state = (
            element.get("aria-checked")
            or element.get("aria-pressed")
            or element.get("aria-selected")
            or ("true" if element.get("checked") is not None else None)
        )
        if state is None and _ACTIVE_CLASS_RE.search(element.get("class") or ""):
            state = "true"
        if state is None:
            if element.get("type") == "checkbox":
                state = "false"
            else:
                continue
        on = state.strip().lower() in _ON_VALUES
        if on:
            return period
        return "year" if period == "month" else "month"
    return None


def apply_billing_default(selector: Selector, plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plans shown for one period only, under a switch that loads on "yearly": their
    "$8 / month" is the monthly equivalent of annual billing (96.00 a year).

    Left alone when any plan shows both periods (then the HTML says each one) or the
    switch loads on monthly.
    """
    names = [p["name"] for p in plans if not p["is_custom"]]
    if not names or len(names) != len(set(names)) or billing_default(selector) != "year":
        return plans
    for plan in plans:
        if plan["billing_period"] in ("month", "unknown") and plan["price"] is not None:
            if plan["billing_period"] == "month":
                plan["price"] = format_price(Decimal(plan["price"]) * 12)
            plan["billing_period"] = "year"
            plan["price_text"] = f"{plan['price_text']} (switch loads on yearly billing)"
    return plans


_SKU_TEXT_RE = re.compile(
    r"\b(?:SKU|Art(?:ikel)?[.-]?\s?(?:Nr|nummer)\.?|Item\s*(?:#|no\.?|number)|Model(?:\s*no\.?)?"
    r"|Réf(?:érence)?\.?|Ref\.?)\s*[:#]?\s*([A-Z0-9][A-Z0-9._/-]{2,})",
    re.IGNORECASE,
)
_STOCK_TEXT = (
    (re.compile(r"\bout\s+of\s+stock\b|\bsold\s+out\b|\bausverkauft\b|\bnicht\s+(?:auf\s+lager|"
                r"verfügbar)\b|\bépuisé\b|\besgotado\b|\bagotado\b", re.I), "OutOfStock"),
    (re.compile(r"\bpre-?order\b|\bvorbestell", re.I), "PreOrder"),
    (re.compile(r"\bin\s+stock\b|\bauf\s+lager\b|\bsofort\s+lieferbar\b|\ben\s+stock\b"
                r"|\bem\s+estoque\b|\ben\s+existencia\b", re.I), "InStock"),
)  # fmt: skip
RELATED_RE = re.compile(
    r"related|recommend|similar|also|upsell|cross|accessor|zubeh|carousel|bundle",
    re.IGNORECASE,
)


def plans_from_product_text(selector: Selector, dollar: str | None = "USD") -> list[dict[str, Any]]:
    """A product page's main product from its visible text: the <h1> and the one price
    shown beside it (related products' prices, in asides or "related" blocks, are not
    beside it), with the SKU and stock wording around them. Paid once.

    Nothing when the h1's nearest block with prices holds more than one: that is a
    pricing page (cards), not a product."""
    heading = selector.xpath("//h1")
    if not heading:
        return []
    h1 = heading[0].root
    name = name_text(h1)

    def own(nodes: list[Selector]) -> list[Selector]:
        return [
            n
            for n in nodes
            if not any(
                RELATED_RE.search(" ".join([a.get("class") or "", a.get("id") or ""]))
                or a.tag == "aside"
                for a in n.root.iterancestors()
            )
        ]

    # One price on the page besides related products': more are a pricing page's plans.
    if len(own(_price_nodes(selector))) != 1 or not name:
        return []
    for block in h1.iterancestors():
        if block.tag in ("body", "html"):
            return []
        nodes = own(_price_nodes(Selector(root=block)))
        if not nodes:
            continue
        parsed = parse_price(_node_text(nodes[0]), dollar)
        if parsed is None or parsed.price is None:
            return []
        text = _node_text(Selector(root=block))
        sku = _SKU_TEXT_RE.search(text)
        availability = next((v for r, v in _STOCK_TEXT if r.search(text)), None)
        return [
            plan_row(
                name,
                "text",
                price=parsed.price,
                currency=parsed.currency,
                billing_period="one-time",
                availability=availability,
                sku=sku.group(1) if sku else None,
                price_text=parsed.text,
            )
        ]
    return []
