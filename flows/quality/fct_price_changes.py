"""Expectations for marts.fct_price_changes (price rises and cuts, plans added and removed).

Runtime parameters (given by the runner): competitor_ids; mondays.
"""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from flows.quality._common import (
    SLUG,
    at_least_zero,
    build,
    competitor_known,
    not_null,
    primary_key,
    week_starts_on_monday,
)
from flows.quality.fct_plan_prices import BILLING_PERIODS

TABLE = "marts.fct_price_changes"

CHANGE_KINDS = [
    "increase",
    "decrease",
    "plan_added",
    "plan_removed",
    "became_custom",
    "price_published",
]


def suite() -> gx.ExpectationSuite:
    kind = Column("change_kind")
    return build(
        "fct_price_changes",
        [
            *primary_key("price_change_id"),
            *not_null("competitor_id", "plan_key", "billing_period", "change_kind", "changed_at"),
            *not_null("week_start"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "plan_key", "billing_period", "changed_at"]
            ),
            competitor_known(),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="plan_key", regex=SLUG),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="billing_period", value_set=BILLING_PERIODS
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="change_kind", value_set=CHANGE_KINDS
            ),
            *at_least_zero("old_price", "new_price"),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="currency", regex=r"^[A-Z]{3}$"),
            week_starts_on_monday(),
            # the kind agrees with the numbers
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="change_abs", min_value=0, strict_min=True, row_condition=kind == "increase"
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="change_abs", max_value=0, strict_max=True, row_condition=kind == "decrease"
            ),
            gx.expectations.ExpectColumnValuesToBeNull(
                column="new_price", row_condition=kind == "plan_removed"
            ),
            gx.expectations.ExpectColumnValuesToBeNull(
                column="old_price", row_condition=kind == "plan_added"
            ),
        ],
    )
