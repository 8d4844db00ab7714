"""Expectations for marts.fct_page_changes (real changes of watched pages).

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

TABLE = "marts.fct_page_changes"

SHA256 = r"^[0-9a-f]{64}$"


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_page_changes",
        [
            *primary_key("page_change_id"),
            *not_null("competitor_id", "source_id", "changed_at", "week_start"),
            *not_null("previous_fingerprint", "fingerprint"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["source_id", "changed_at"]
            ),
            competitor_known(),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="fingerprint", regex=SHA256),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="previous_fingerprint", regex=SHA256
            ),
            week_starts_on_monday(),
            *at_least_zero("chars_before", "chars_after"),
        ],
    )
