"""Expectations for marts.fct_tech_adoption_weekly (the adoption index per technology and week).

Runtime parameters (given by the runner): technology_ids; mondays.
"""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import (
    at_least_zero,
    build,
    not_null,
    primary_key,
    week_starts_on_monday,
)
from flows.quality._signals import MOMENTUM_MAX, SIGNALS

TABLE = "marts.fct_tech_adoption_weekly"


def suite() -> gx.ExpectationSuite:
    indices = [f"{signal}_index" for signal in SIGNALS]
    return build(
        "fct_tech_adoption_weekly",
        [
            *primary_key("adoption_week_id"),
            *not_null("technology_id", "week_start", "signals_present", "coverage"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["technology_id", "week_start"]
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="technology_id", value_set={"$PARAMETER": "technology_ids"}
            ),
            week_starts_on_monday(),
            *at_least_zero("score", *SIGNALS, *indices),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="coverage", min_value=0, max_value=1
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="signals_present", min_value=0, max_value=len(SIGNALS)
            ),
            *[
                gx.expectations.ExpectColumnValuesToBeBetween(column=rank, min_value=1)
                for rank in ("rank_overall", "rank_in_quadrant")
            ],
            # finite or null
            *[
                gx.expectations.ExpectColumnValuesToBeBetween(
                    column=momentum, min_value=-1, max_value=MOMENTUM_MAX
                )
                for momentum in ("momentum_4w", "momentum_12w")
            ],
        ],
    )
