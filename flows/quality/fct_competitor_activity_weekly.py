"""Expectations for marts.fct_competitor_activity_weekly (changes per competitor and week).

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

TABLE = "marts.fct_competitor_activity_weekly"

COUNTS = (
    "price_changes",
    "plans_added",
    "plans_removed",
    "postings_opened",
    "postings_closed",
    "releases",
    "page_changes",
    "total_changes",
)


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_competitor_activity_weekly",
        [
            *primary_key("activity_week_id"),
            *not_null("competitor_id", "week_start", *COUNTS),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "week_start"]
            ),
            competitor_known(),
            week_starts_on_monday(),
            *at_least_zero(*COUNTS),
        ],
    )
