"""pricing: a competitor's pricing or product page → one PlanItem per plan or product.

Methods in order of trust, first that yields wins: JSON-LD, microdata, RDFa,
OpenGraph product tags (the page's own structured data), the catalog's CSS selectors
(target["selectors"]: a person said where the plans are), hydration data (the JSON a
Next.js/Nuxt/JavaScript page ships: scrapers.hydration), a product page's visible main
product (scrapers.cards.plans_from_product_text), then the visible pricing: a comparison
table (scrapers.tables) or repeated plan cards (scrapers.cards, method "heuristics"),
whichever names more plans (cards on a tie).

``explain_plans`` runs every method on a page and says which one's plans were kept and
why the others' were not: ``radar try --explain`` and ``radar extract --explain``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cssselect import SelectorError
from scrapy.http import Response, TextResponse

from scrapers.cards import (
    apply_billing_default,
    parse_selectors,
    plans_from_heuristics,
    plans_from_product_text,
    plans_from_selectors,
)
from scrapers.hydration import plans_from_hydration
from scrapers.items import PlanItem
from scrapers.spiders.base import RadarSpider
from scrapers.structured import (
    plans_from_json_ld,
    plans_from_microdata,
    plans_from_opengraph,
    plans_from_rdfa,
)
from scrapers.tables import plans_from_tables

Plans = list[dict[str, Any]]
#: Log line prefix of a page's explanation (a target with ``"explain": true``).
EXPLAIN_PREFIX = "radar-explain "


class PricingSpider(RadarSpider):
    name = "pricing"
    item_class = PlanItem
    subject_field = "competitor_id"
    conditional = True

    def parse_items(self, response: Response, target: dict[str, Any]) -> Plans:
        if not self.html_response(response):
            return []
        explain = bool(target.get("explain"))
        plans, trace = self.extract_plans(response, target, explain=explain)
        if "playwright" in response.flags:
            # Read off the DOM a browser drew: the method that read it stays in --explain.
            plans = [{**plan, "method": "rendered"} for plan in plans]
        if explain:
            # `radar try --explain` reads this line back from the crawl's log.
            self.logger.info(
                "%s%s", EXPLAIN_PREFIX, json.dumps({"url": response.url, "trace": trace})
            )
        if not plans:
            self.record_parse_error("no_plans_found", response.url)
        return plans

    def methods(
        self, response: TextResponse, target: dict[str, Any]
    ) -> list[tuple[str, Callable[[], Plans]]]:
        """(method, plans) in order of trust; each runs only when asked. "table" and
        "heuristics" (cards) are read together: the one naming more plans wins."""
        dollar = self.dollar_currency()
        url = response.url
        selector = response.selector

        def warn(reason: str, detail: str) -> None:
            self.record_parse_warning(reason, url, detail)

        return [
            ("json-ld", lambda: plans_from_json_ld(selector, warn, dollar, url)),
            ("microdata", lambda: plans_from_microdata(response.text, url, warn, dollar)),
            ("rdfa", lambda: plans_from_rdfa(response.text, url, warn, dollar)),
            ("opengraph", lambda: plans_from_opengraph(selector, dollar)),
            ("selectors", lambda: self.from_selectors(response, target, dollar)),
            ("hydration", lambda: plans_from_hydration(selector, dollar, warn)),
            ("text", lambda: plans_from_product_text(selector, dollar)),
            ("table", lambda: plans_from_tables(selector, dollar)),
            (
                "heuristics",
                lambda: apply_billing_default(selector, plans_from_heuristics(selector, dollar)),
            ),
        ]

    def extract_plans(
        self, response: TextResponse, target: dict[str, Any], *, explain: bool = False
    ) -> tuple[Plans, list[dict[str, Any]]]:
        """The page's plans, and (with ``explain``) what each method found and why its
        plans were kept or dropped. Without ``explain`` methods stop at the first that
        yields."""
        found: dict[str, Plans] = {}
        kept_by: str | None = None
        for method, run in self.methods(response, target):
            if kept_by and not explain:
                break
            found[method] = with_page_currency(run())
            if kept_by or not found[method] or method == "table":
                continue
            if method == "heuristics" and len(found["table"]) > len(found[method]):
                kept_by = "table"
            else:
                kept_by = method
        if kept_by is None and found.get("table"):
            kept_by = "table"  # a table and no cards
        trace = [
            {"method": m, "verdict": _verdict(m, plans, kept_by, found, target), "plans": plans}
            for m, plans in found.items()
        ]
        return (found[kept_by] if kept_by else []), trace

    def from_selectors(
        self, response: TextResponse, target: dict[str, Any], dollar: str | None
    ) -> Plans:
        selectors = parse_selectors(target.get("selectors"))
        if not selectors:
            return []
        plan_css = selectors.get("plan")
        try:
            if not plan_css or not response.css(plan_css):
                # The catalog's selectors no longer match: the page changed under us.
                self.record_parse_warning("selectors_matched_nothing", response.url, str(selectors))
                return []
            plans, skipped = plans_from_selectors(response.selector, selectors, dollar)
        except SelectorError as exc:
            self.record_parse_warning("bad_selectors", response.url, f"{selectors}: {exc}")
            return []
        if skipped:
            self.record_parse_warning("cards_without_price", response.url, f"{skipped} card(s)")
        return plans

    def dollar_currency(self) -> str | None:
        crawler = getattr(self, "crawler", None)
        if crawler is None:
            return "USD"
        return crawler.settings.get("RADAR_DOLLAR_CURRENCY", "USD") or None


def with_page_currency(plans: Plans) -> Plans:
    """Give free plans without a symbol ("Free") the currency every priced plan shares.

    Left None when the priced plans disagree or show none: unknown stays unknown.
    """
    currencies = {p["currency"] for p in plans if p["price"] not in (None, "0.00")}
    if len(currencies) != 1 or None in currencies:
        return plans
    (currency,) = currencies
    for plan in plans:
        if plan["price"] == "0.00" and plan["currency"] is None:
            plan["currency"] = currency
    return plans


def _verdict(
    method: str,
    plans: Plans,
    kept_by: str | None,
    found: dict[str, Plans],
    target: dict[str, Any],
) -> str:
    """Why a method's plans were kept or dropped, for people reading --explain."""
    visible = {"table", "heuristics"}
    if not plans:
        if method == "selectors" and not parse_selectors(target.get("selectors")):
            return "nothing found: the source has no selectors"
        return "nothing found"
    if method == kept_by:
        if method in visible:
            other = "heuristics" if method == "table" else "table"
            return (
                f"kept: {len(plans)} plan(s), the {other} method {len(found.get(other, []))}"
                " (more plans win; cards on a tie)"
            )
        return f"kept: {len(plans)} plan(s), the most trusted method that found any"
    if method in visible and kept_by in visible:
        return f"dropped: {kept_by} named more plans ({len(found[kept_by])})"
    return f"dropped: {kept_by} is more trusted and found {len(found[kept_by])} plan(s)"
