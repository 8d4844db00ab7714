"""Expectations for marts.fct_job_tech_mentions (technologies in job postings, per week).

Runtime parameters (given by the runner): competitor_ids; technology_ids; mondays.
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

TABLE = "marts.fct_job_tech_mentions"


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_job_tech_mentions",
        [
            *primary_key("job_tech_mention_id"),
            *not_null("competitor_id", "technology_id", "week_start"),
            *not_null("open_postings", "new_postings"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "technology_id", "week_start"]
            ),
            competitor_known(),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="technology_id", value_set={"$PARAMETER": "technology_ids"}
            ),
            week_starts_on_monday(),
            *at_least_zero("open_postings", "new_postings"),
        ],
    )
