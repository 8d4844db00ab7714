"""Expectations for marts.fct_plan_prices (price intervals of competitors' plans).

Runtime parameters (given by the runner): competitor_ids, the ids in marts.dim_competitors.
"""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from flows.quality._common import SLUG, build, not_null, primary_key

TABLE = "marts.fct_plan_prices"

BILLING_PERIODS = ["month", "year", "one-time", "unknown"]


def suite() -> gx.ExpectationSuite:
    custom = Column("is_custom") == True  # noqa: E712 (builds a GX condition, not a bool)
    current = Column("is_current") == True  # noqa: E712
    closed = Column("is_current") == False  # noqa: E712
    return build(
        "fct_plan_prices",
        [
            *primary_key("plan_price_id"),
            *not_null(
                "competitor_id",
                "plan_key",
                "billing_period",
                "valid_from",
                "is_custom",
                "is_current",
                "observations",
            ),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "plan_key", "billing_period", "valid_from"]
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="competitor_id", value_set={"$PARAMETER": "competitor_ids"}
            ),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="plan_key", regex=SLUG),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="billing_period", value_set=BILLING_PERIODS
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(column="price", min_value=0),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="currency", regex=r"^[A-Z]{3}$"),
            # a contact-sales plan has no price: never a 0 that drags an average down
            gx.expectations.ExpectColumnValuesToBeNull(column="price", row_condition=custom),
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="valid_to",
                column_B="valid_from",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            gx.expectations.ExpectColumnValuesToBeNull(column="valid_to", row_condition=current),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="valid_to", row_condition=closed),
            # at most one current price per plan and billing period
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "plan_key", "billing_period"],
                row_condition=current,
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(column="observations", min_value=1),
        ],
    )
