"""Plans from structured data: JSON-LD and microdata (schema.org), OpenGraph product tags.

Each function returns plain dicts with the PlanItem's own fields (name, price,
currency, billing_period, unit, is_custom, availability, sku, features, method,
price_text); the spider stamps run, source and subject on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

import extruct
from extruct.jsonld import JsonLdExtractor
from parsel import Selector

from scrapers.prices import (
    clean_text,
    format_price,
    normalize_availability,
    normalize_currency,
    normalize_period,
    normalize_unit,
    parse_price,
    period_from_duration,
)

Warn = Callable[[str, str], None]

#: Things sold on a shop: without a recurrence, their price is paid once.
SHOP_TYPES = frozenset({"Product", "ProductGroup", "ProductModel", "IndividualProduct", "Car"})
#: Things sold as plans or subscriptions: without a recurrence, the period is unknown.
SERVICE_TYPES = frozenset(
    {"SoftwareApplication", "WebApplication", "MobileApplication", "Service", "Subscription"}
)
PRODUCT_TYPES = SHOP_TYPES | SERVICE_TYPES
LIST_TYPES = frozenset({"ItemList", "OfferCatalog"})
OFFER_TYPES = frozenset({"Offer", "AggregateOffer"})
TIME_UNITS = frozenset({"MON", "ANN", "DAY", "WEE", "month", "year", "day", "week"})


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in _as_list(node.get("@type"))}


def _text(value: Any) -> str | None:
    """A schema.org property's text: strings as they are, {"name": ...} objects by name."""
    value = _as_list(value)[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if value is None or isinstance(value, dict | list):
        return None
    text = clean_text(str(value))
    return text or None


def json_ld_nodes(selector: Selector, warn: Warn) -> list[Any]:
    """All JSON-LD nodes of a page, script by script: one broken script loses only itself."""
    extractor = JsonLdExtractor()
    nodes: list[Any] = []
    for script in selector.xpath('//script[@type="application/ld+json"]'):
        try:
            nodes.extend(extractor.extract_items(script.root))
        except Exception as exc:  # malformed JSON comes in many exception types
            warn("broken_json_ld", f"{type(exc).__name__}: {str(exc)[:120]}")
    return nodes


def microdata_nodes(html: str, base_url: str, warn: Warn) -> list[Any]:
    try:
        data = extruct.extract(html, base_url=base_url, syntaxes=["microdata"], uniform=True)
    except Exception as exc:
        warn("broken_microdata", f"{type(exc).__name__}: {str(exc)[:120]}")
        return []
    return data.get("microdata", [])


SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")


def rdfa_nodes(html: str, base_url: str, warn: Warn) -> list[Any]:
    """The page's RDFa as nested schema.org nodes, shaped like JSON-LD (top-level nodes
    with their properties inline), so the JSON-LD readers read RDFa too.

    extruct gives RDFa as flat expanded JSON-LD (full property IRIs, lists of
    {"@value"} / {"@id"} references); this joins the references back up.
    """
    try:
        data = extruct.extract(html, base_url=base_url, syntaxes=["rdfa"], uniform=True)
    except Exception as exc:
        warn("broken_rdfa", f"{type(exc).__name__}: {str(exc)[:120]}")
        return []
    flat = [n for n in data.get("rdfa", []) if isinstance(n, dict) and n.get("@type")]
    by_id = {n["@id"]: n for n in flat if "@id" in n}
    referenced: set[str] = set()

    def short(name: str) -> str:
        for prefix in SCHEMA_PREFIXES:
            if name.startswith(prefix):
                return name[len(prefix) :]
        return name

    def value(raw: Any, seen: frozenset[str]) -> Any:
        if isinstance(raw, dict) and "@value" in raw:
            return raw["@value"]
        if isinstance(raw, dict) and "@id" in raw:
            ref = raw["@id"]
            if ref in by_id and ref not in seen:
                referenced.add(ref)
                return node(by_id[ref], seen | {ref})
            return ref
        return raw

    def node(flat_node: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
        nested: dict[str, Any] = {"@type": [short(t) for t in _as_list(flat_node["@type"])]}
        for key, raw in flat_node.items():
            if key.startswith("@"):
                continue
            values = [value(v, seen) for v in _as_list(raw)]
            nested[short(key)] = values[0] if len(values) == 1 else values
        return nested

    nested = [node(n, frozenset({n.get("@id", "")})) for n in flat]
    return [n for n, f in zip(nested, flat, strict=True) if f.get("@id") not in referenced]


def _same_page(url: str) -> str:
    """A URL reduced for comparison: no fragment, no trailing slash, host lower-cased."""
    parts = urlsplit(urldefrag(url.strip())[0])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def page_urls(selector: Selector, url: str | None) -> list[str]:
    """The page's canonical URL(s), then its own URL, reduced for comparison."""
    if not url:
        return []
    urls = [
        _same_page(urljoin(url, href))
        for href in selector.xpath('//link[@rel="canonical"]/@href').getall()
        if href.strip()
    ]
    return [*urls, _same_page(url)]


def products_in(
    nodes: Iterable[Any], main_urls: list[str] | None = None, base_url: str | None = None
) -> list[dict[str, Any]]:
    """Product-like nodes, the page's main product first, then the others.

    The main product is the one whose url or @id is the page's URL or canonical URL
    (``main_urls``, canonical first; relative values resolved against ``base_url``), else the first
    top-level one; top-level products come before those of item lists and those
    nested as isRelatedTo / isSimilarTo / hasVariant ("related products").
    """
    main: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []

    def visit(node: Any, in_list: bool) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child, in_list)
            return
        if not isinstance(node, dict):
            return
        if "@graph" in node:
            visit(node["@graph"], in_list)
        types = _types(node)
        if types & LIST_TYPES and not types & PRODUCT_TYPES:
            for element in _as_list(node.get("itemListElement")):
                if isinstance(element, dict) and "ListItem" in _types(element):
                    element = element.get("item", element)
                visit(element, True)
            return
        if types & PRODUCT_TYPES:
            (listed if in_list else main).append(node)
            for key in ("hasVariant", "isRelatedTo", "isSimilarTo"):
                for related in _as_list(node.get(key)):
                    visit(related, True)
            return
        if types & OFFER_TYPES:
            # A bare offer: wrap it as the product it offers.
            offered = node.get("itemOffered") if isinstance(node.get("itemOffered"), dict) else {}
            product = {**offered, "offers": node}
            product.setdefault("@type", "Product")
            product.setdefault("name", node.get("name"))
            (listed if in_list else main).append(product)
            return
        visit(node.get("mainEntity"), in_list)

    visit(list(nodes), False)
    products = main + listed
    for main_url in main_urls or []:
        for index, product in enumerate(products):
            ids = [i for i in (product.get("url"), product.get("@id")) if isinstance(i, str)]
            if any(_same_page(urljoin(base_url or "", i)) == main_url for i in ids if i.strip()):
                products.insert(0, products.pop(index))
                return products
    return products


def _offers(product: dict[str, Any]) -> list[dict[str, Any]]:
    offers = [o for o in _as_list(product.get("offers")) if isinstance(o, dict)]
    for catalog in _as_list(product.get("hasOfferCatalog")):
        if isinstance(catalog, dict):
            offers.extend(
                o for o in _as_list(catalog.get("itemListElement")) if isinstance(o, dict)
            )
    expanded: list[dict[str, Any]] = []
    for offer in offers:
        inner = [o for o in _as_list(offer.get("offers")) if isinstance(o, dict)]
        if "AggregateOffer" in _types(offer) and inner:
            expanded.extend(inner)
        else:
            expanded.append(offer)
    return expanded


#: Identifiers of a product, most specific to the shop first: the item has one sku field.
SKU_KEYS = ("sku", "mpn", "gtin13", "gtin", "gtin14", "gtin12", "gtin8", "productID")


def _sku(node: dict[str, Any]) -> str | None:
    for key in SKU_KEYS:
        text = _text(node.get(key))
        if text:
            return text
    return None


def _features(product: dict[str, Any]) -> list[str]:
    features: list[str] = []
    for value in _as_list(product.get("featureList")):
        if isinstance(value, str):
            features.extend(clean_text(part) for part in value.replace("\n", ",").split(","))
    return [f for f in features if f]


def _unit_from_spec(spec: dict[str, Any]) -> str | None:
    for key in ("referenceQuantity", "unitText", "unitCode"):
        value = spec.get(key)
        if isinstance(value, dict):
            value = value.get("unitText") or value.get("unitCode")
        if isinstance(value, str) and value.strip() and value.strip() not in TIME_UNITS:
            text = value.strip()
            unit = normalize_unit(text if text.lower().startswith("per ") else f"per {text}")
            if unit:
                return unit
    return None


def _period_from_spec(spec: dict[str, Any]) -> str | None:
    for key in ("billingDuration", "referenceQuantity", "unitCode", "unitText"):
        period = period_from_duration(spec.get(key))
        if period:
            return period
    return None


def _price_and_text(value: Any, dollar: str | None) -> tuple[str | None, str | None, str | None]:
    """(price, currency-from-text, raw text) of a schema.org price value."""
    if value is None:
        return None, None, None
    raw = clean_text(str(value))
    price = format_price(value)
    if price is not None:
        return price, None, raw
    parsed = parse_price(raw, dollar)
    if parsed is None or parsed.price is None:
        return None, None, raw
    return parsed.price, parsed.currency, raw


def plans_from_products(
    products: list[dict[str, Any]], method: str, dollar: str | None = "USD"
) -> list[dict[str, Any]]:
    plans: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for product in products:
        shop = bool(_types(product) & SHOP_TYPES)
        offers = _offers(product)
        product_name = _text(product.get("name"))
        for offer in offers:
            offer_name = _text(offer.get("name"))
            if offer_name and (len(offers) > 1 or not shop or not product_name):
                name = offer_name
            else:
                name = product_name or offer_name
            if not name:
                continue
            specs = [s for s in _as_list(offer.get("priceSpecification")) if isinstance(s, dict)]
            for spec in specs or [{}]:
                plan = _plan_from_offer(product, offer, spec, name, shop, method, dollar)
                if plan is None:
                    continue
                key = (plan["name"], plan["billing_period"], plan["price"], plan["sku"])
                if key not in seen:
                    seen.add(key)
                    plans.append(plan)
    return plans


def _plan_from_offer(
    product: dict[str, Any],
    offer: dict[str, Any],
    spec: dict[str, Any],
    name: str,
    shop: bool,
    method: str,
    dollar: str | None,
) -> dict[str, Any] | None:
    raw_price = spec.get("price", offer.get("price"))
    if raw_price is None:
        if not shop and "AggregateOffer" in _types(offer):
            # A software/service's "from $0 to $59" across its plans (SEO markup) is not
            # a plan: the plans are on the page, for the visible methods to read.
            return None
        raw_price = offer.get("lowPrice")
    price, text_currency, price_text = _price_and_text(raw_price, dollar)
    currency = normalize_currency(
        _text(spec.get("priceCurrency")) or _text(offer.get("priceCurrency")), dollar
    )
    currency = currency or text_currency
    words = " ".join(
        t for t in (_text(offer.get("description")), _text(offer.get("name")), price_text) if t
    )
    is_custom = False
    if price is None:
        custom = parse_price(words, dollar)
        if custom is None or not custom.is_custom:
            return None
        is_custom, currency = True, None
    period = _period_from_spec(spec) or _period_from_spec(offer)
    if period is None:
        period = normalize_period(words)
        if period == "unknown" and shop:
            period = "one-time"
    return {
        "name": name,
        "price": price,
        "currency": currency,
        "billing_period": period,
        "unit": _unit_from_spec(spec) or normalize_unit(words),
        "is_custom": is_custom,
        "availability": normalize_availability(offer.get("availability")),
        "sku": _sku(offer) or _sku(product),
        "features": _features(product),
        "method": method,
        "price_text": price_text,
    }


def plans_from_json_ld(
    selector: Selector, warn: Warn, dollar: str | None = "USD", url: str | None = None
) -> list[dict]:
    products = products_in(json_ld_nodes(selector, warn), page_urls(selector, url), url)
    return plans_from_products(products, "json-ld", dollar)


def plans_from_microdata(
    html: str, base_url: str, warn: Warn, dollar: str | None = "USD"
) -> list[dict]:
    nodes = microdata_nodes(html, base_url, warn)
    main_urls = page_urls(Selector(text=html), base_url) if html else []
    return plans_from_products(products_in(nodes, main_urls, base_url), "microdata", dollar)


def plans_from_rdfa(html: str, base_url: str, warn: Warn, dollar: str | None = "USD") -> list[dict]:
    nodes = rdfa_nodes(html, base_url, warn)
    main_urls = page_urls(Selector(text=html), base_url) if html else []
    return plans_from_products(products_in(nodes, main_urls, base_url), "rdfa", dollar)


def _meta(selector: Selector, *names: str) -> str | None:
    for name in names:
        value = selector.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content').get()
        if value and value.strip():
            return clean_text(value)
    return None


def plans_from_opengraph(selector: Selector, dollar: str | None = "USD") -> list[dict]:
    """One plan from OpenGraph/Facebook product tags (product:price:amount...)."""
    amount = _meta(selector, "product:price:amount", "og:price:amount")
    if amount is None:
        return []
    price, text_currency, price_text = _price_and_text(amount, dollar)
    if price is None:
        return []
    currency = normalize_currency(
        _meta(selector, "product:price:currency", "og:price:currency"), dollar
    )
    name = _meta(selector, "og:title") or clean_text(selector.xpath("//title/text()").get())
    if not name:
        return []
    return [
        {
            "name": name,
            "price": price,
            "currency": currency or text_currency,
            # An OpenGraph product is a shop item: bought once unless the page says otherwise.
            "billing_period": "one-time",
            "unit": None,
            "is_custom": False,
            "availability": normalize_availability(
                _meta(selector, "product:availability", "og:availability")
            ),
            "sku": _meta(selector, "product:retailer_item_id", "product:sku"),
            "features": [],
            "method": "opengraph",
            "price_text": price_text,
        }
    ]
