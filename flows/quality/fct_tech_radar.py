"""Expectations for marts.fct_tech_radar (each technology's ring, flags and reasons).

Runtime parameters (given by the runner): technology_ids; mondays.
"""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import build, not_null, primary_key, week_starts_on_monday
from flows.quality._signals import MOMENTUM_MAX, RINGS

TABLE = "marts.fct_tech_radar"

FLAGS = ("flag_declining", "flag_stale", "flag_archived", "flag_single_signal")


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_tech_radar",
        [
            *primary_key("technology_id"),
            *not_null("name", "quadrant", "ring", "score", "rank_overall", "coverage"),
            *not_null(*FLAGS, "reasons", "is_new", "as_of_week"),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="technology_id", value_set={"$PARAMETER": "technology_ids"}
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="ring", value_set=list(RINGS)),
            # build-your-own-radar draws four quadrants. A radar may be empty: a warehouse
            # fed only by competitor runs (competitors-daily) has no technology signals yet.
            gx.expectations.ExpectColumnUniqueValueCountToBeBetween(
                column="quadrant", min_value=0, max_value=4
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(column="score", min_value=0),
            gx.expectations.ExpectColumnValuesToBeBetween(column="rank_overall", min_value=1),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="coverage", min_value=0, max_value=1
            ),
            *[
                gx.expectations.ExpectColumnValuesToBeBetween(
                    column=momentum, min_value=-1, max_value=MOMENTUM_MAX
                )
                for momentum in ("momentum_4w", "momentum_12w")
            ],
            # one radar: every row is as of the same week, a Monday
            gx.expectations.ExpectColumnUniqueValueCountToBeBetween(
                column="as_of_week", min_value=0, max_value=1
            ),
            week_starts_on_monday("as_of_week"),
        ],
    )
