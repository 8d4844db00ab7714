"""Expectations for marts.dim_competitors (the catalog's competitors)."""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import SLUG, build, not_null, primary_key

TABLE = "marts.dim_competitors"


def suite() -> gx.ExpectationSuite:
    return build(
        "dim_competitors",
        [
            # an empty catalog would silently empty every fact's relationships
            gx.expectations.ExpectTableRowCountToBeBetween(min_value=1),
            *primary_key("competitor_id"),
            *not_null("name"),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="competitor_id", regex=SLUG),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="hq_country", regex=r"^[A-Z]{2}$"
            ),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="website", regex=r"^https?://"),
        ],
    )
