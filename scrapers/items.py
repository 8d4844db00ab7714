"""One item class per entity. Field names are the landing-file columns (see the contract)."""

from __future__ import annotations

import scrapy

#: Fields every observation carries, whatever the source.
COMMON_FIELDS: tuple[str, ...] = ("run_id", "source", "source_id", "observed_at", "url")


class RadarItem(scrapy.Item):
    run_id = scrapy.Field()
    source = scrapy.Field()
    source_id = scrapy.Field()
    observed_at = scrapy.Field()
    url = scrapy.Field()


class PlanItem(RadarItem):
    """A plan or product and its price, as seen on a competitor's pricing or product page."""

    competitor_id = scrapy.Field()
    name = scrapy.Field()
    price = scrapy.Field()  # "49.00" or None (custom / unknown), never a float
    currency = scrapy.Field()  # ISO 4217 or None
    billing_period = scrapy.Field()  # month | year | one-time | unknown
    unit = scrapy.Field()  # "per seat", "per user", ... or None
    is_custom = scrapy.Field()
    availability = scrapy.Field()  # schema.org short name, e.g. "InStock", or None
    sku = scrapy.Field()
    features = scrapy.Field()  # list of str
    method = scrapy.Field()  # json-ld | microdata | opengraph | selectors | heuristics
    price_text = scrapy.Field()


class DownloadsItem(RadarItem):
    """Daily downloads of one package, from pypistats.org."""

    technology_id = scrapy.Field()
    package = scrapy.Field()
    date = scrapy.Field()  # YYYY-MM-DD
    downloads = scrapy.Field()  # int >= 0
    category = scrapy.Field()  # "without_mirrors" | "with_mirrors"


BILLING_PERIODS: frozenset[str] = frozenset({"month", "year", "one-time", "unknown"})
PLAN_METHODS: frozenset[str] = frozenset(
    {"json-ld", "microdata", "opengraph", "selectors", "heuristics"}
)
