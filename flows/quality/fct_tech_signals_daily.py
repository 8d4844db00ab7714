"""Expectations for marts.fct_tech_signals_daily (adoption signals per technology and date).

Runtime parameters (given by the runner): technology_ids; today; end_of_today.
"""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from flows.quality._common import at_least_zero, build, not_null, primary_key
from flows.quality._signals import SIGNALS

TABLE = "marts.fct_tech_signals_daily"
# A day's value, once validated, does not change unless observed again: a run that rebuilt
# the mart over its history checks the rows it observed (dbt tests the whole table's keys).
CHANGED_ROWS = "observed_at"


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_tech_signals_daily",
        [
            *primary_key("tech_signal_id"),
            *not_null("technology_id", "signal", "signal_date", "source_id", "observed_at"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["technology_id", "signal", "signal_date"]
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="technology_id", value_set={"$PARAMETER": "technology_ids"}
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="signal", value_set=list(SIGNALS)),
            # counts: never negative (a failed source adds no row rather than a 0)
            *at_least_zero("value"),
            # a value is missing only with a reason: where there is no reason, no NULL
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="value", row_condition=Column("unavailable_reason").is_null()
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="signal_date", max_value={"$PARAMETER": "today"}
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="observed_at", max_value={"$PARAMETER": "end_of_today"}
            ),
        ],
    )
