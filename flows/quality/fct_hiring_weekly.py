"""Expectations for marts.fct_hiring_weekly (postings per competitor, week and department).

Runtime parameters (given by the runner): competitor_ids; mondays.
"""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import (
    at_least_zero,
    build,
    competitor_known,
    not_null,
    primary_key,
    week_starts_on_monday,
)

TABLE = "marts.fct_hiring_weekly"


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_hiring_weekly",
        [
            *primary_key("hiring_week_id"),
            *not_null("competitor_id", "week_start", "department"),
            *not_null("open_postings", "opened", "closed"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "week_start", "department"]
            ),
            competitor_known(),
            week_starts_on_monday(),
            *at_least_zero("open_postings", "opened", "closed"),
        ],
    )
