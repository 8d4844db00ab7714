"""pricing: a competitor's pricing or product page → one PlanItem per plan or product.

Methods, first that yields wins: JSON-LD, microdata, OpenGraph product tags, the
catalog's CSS selectors (target["selectors"]), then heuristics on card-like elements.
"""

from __future__ import annotations

from typing import Any

from cssselect import SelectorError
from scrapy.http import Response, TextResponse

from scrapers.cards import parse_selectors, plans_from_heuristics, plans_from_selectors
from scrapers.items import PlanItem
from scrapers.spiders.base import RadarSpider
from scrapers.structured import plans_from_json_ld, plans_from_microdata, plans_from_opengraph


class PricingSpider(RadarSpider):
    name = "pricing"
    item_class = PlanItem
    subject_field = "competitor_id"
    conditional = True

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[dict[str, Any]]:
        if not self.html_response(response):
            return []
        dollar = self.dollar_currency()

        def warn(reason: str, detail: str) -> None:
            self.record_parse_warning(reason, response.url, detail)

        selector = response.selector
        methods = (
            lambda: plans_from_json_ld(selector, warn, dollar, response.url),
            lambda: plans_from_microdata(response.text, response.url, warn, dollar),
            lambda: plans_from_opengraph(selector, dollar),
            lambda: self.from_selectors(response, target, dollar),
            lambda: plans_from_heuristics(selector, dollar),
        )
        for method in methods:
            plans = method()
            if plans:
                return with_page_currency(plans)
        self.record_parse_error("no_plans_found", response.url)
        return []

    def from_selectors(
        self, response: TextResponse, target: dict[str, Any], dollar: str | None
    ) -> list[dict[str, Any]]:
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


def with_page_currency(plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
