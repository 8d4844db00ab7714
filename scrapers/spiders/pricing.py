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


class PricingSpider(RadarSpider):
    name = "pricing"
    item_class = PlanItem
    subject_field = "competitor_id"
    conditional = True

    def parse_items(self, response: Response, target: dict[str, Any]) -> Plans:
        if not self.html_response(response):
            return []
        plans, _ = self.extract_plans(response, target)
        if not plans:
            self.record_parse_error("no_plans_found", response.url)
        return plans

    def methods(
        self, response: TextResponse, target: dict[str, Any]
    ) -> list[tuple[str, Callable[[], Plans]]]:
        """(method, plans) in order of trust; each runs only when asked."""
        dollar = self.dollar_currency()
        url = response.url
        selector = response.selector

        def warn(reason: str, detail: str) -> None:
            self.record_parse_warning(reason, url, detail)

        def visible() -> Plans:
            table = plans_from_tables(selector, dollar)
            cards = apply_billing_default(selector, plans_from_heuristics(selector, dollar))
            return table if len(table) > len(cards) else cards

        return [
            ("json-ld", lambda: plans_from_json_ld(selector, warn, dollar, url)),
            ("microdata", lambda: plans_from_microdata(response.text, url, warn, dollar)),
            ("rdfa", lambda: plans_from_rdfa(response.text, url, warn, dollar)),
            ("opengraph", lambda: plans_from_opengraph(selector, dollar)),
            ("selectors", lambda: self.from_selectors(response, target, dollar)),
            ("hydration", lambda: plans_from_hydration(selector, dollar, warn)),
            ("text", lambda: plans_from_product_text(selector, dollar)),
            ("table/heuristics", visible),
        ]

    def extract_plans(
        self, response: TextResponse, target: dict[str, Any], *, explain: bool = False
    ) -> tuple[Plans, list[dict[str, Any]]]:
        """The page's plans, and (with ``explain``) what each method found and why its
        plans were kept or dropped. Without ``explain`` methods stop at the first that
        yields."""
        kept: Plans = []
        trace: list[dict[str, Any]] = []
        for method, run in self.methods(response, target):
            if kept and not explain:
                break
            plans = with_page_currency(run())
            if not kept and plans:
                kept = plans
                verdict = "kept: the most trusted method that found plans"
            elif kept:
                verdict = (
                    f"dropped: {kept[0]['method']} found plans first (more trusted)"
                    if plans
                    else "nothing found"
                )
            else:
                verdict = "nothing found"
            trace.append({"method": method, "verdict": verdict, "plans": plans})
        return kept, trace

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
