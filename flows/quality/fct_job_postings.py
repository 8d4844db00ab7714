"""Expectations for marts.fct_job_postings (competitors' job postings, open and closed).

Runtime parameters (given by the runner): competitor_ids.
"""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from flows.quality._common import (
    at_least_zero,
    build,
    competitor_known,
    not_before,
    not_null,
    primary_key,
)

TABLE = "marts.fct_job_postings"

SOURCES = ["greenhouse", "lever", "jobposting"]
WORKPLACE_TYPES = ["remote", "hybrid", "onsite", "unknown"]
EMPLOYMENT_TYPES = ["full-time", "part-time", "contract", "internship", "temporary", "unknown"]
SALARY_PERIODS = ["year", "month", "week", "day", "hour"]


def suite() -> gx.ExpectationSuite:
    is_open = Column("is_open") == True  # noqa: E712 (builds a GX condition, not a bool)
    closed = Column("is_open") == False  # noqa: E712
    return build(
        "fct_job_postings",
        [
            *primary_key("job_posting_id"),
            *not_null("competitor_id", "source", "job_id", "first_seen_at", "last_seen_at"),
            *not_null("is_open", "days_open"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["competitor_id", "source", "job_id"]
            ),
            competitor_known(),
            gx.expectations.ExpectColumnValuesToBeInSet(column="source", value_set=SOURCES),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="workplace_type", value_set=WORKPLACE_TYPES
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="employment_type", value_set=EMPLOYMENT_TYPES
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="salary_period", value_set=SALARY_PERIODS
            ),
            *at_least_zero("salary_min", "salary_max", "days_open"),
            not_before("salary_max", "salary_min"),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="salary_currency", regex=r"^[A-Z]{3}$"
            ),
            not_before("last_seen_at", "first_seen_at"),
            not_before("closed_at", "first_seen_at"),
            # closed by a later crawl that no longer listed it
            not_before("closed_at", "last_seen_at", or_equal=False),
            gx.expectations.ExpectColumnValuesToBeNull(column="closed_at", row_condition=is_open),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="closed_at", row_condition=closed),
        ],
    )
