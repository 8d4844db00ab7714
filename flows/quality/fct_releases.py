"""Expectations for marts.fct_releases (competitors' releases from feeds and GitHub).

Runtime parameters (given by the runner): competitor_ids; mondays; end_of_today, midnight
(UTC) after the runner's today: nothing can have been published at or after it.
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

TABLE = "marts.fct_releases"

SOURCES = ["feed", "github_releases"]


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_releases",
        [
            *primary_key("release_key"),
            *not_null("competitor_id", "source", "published_at", "week_start"),
            competitor_known(),
            gx.expectations.ExpectColumnValuesToBeInSet(column="source", value_set=SOURCES),
            # a release dated in the future is a parsing error (or a time zone gone wrong)
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="published_at", max_value={"$PARAMETER": "end_of_today"}, strict_max=True
            ),
            week_starts_on_monday(),
            *at_least_zero("days_since_previous"),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://"),
        ],
    )
