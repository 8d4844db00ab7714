"""Expectations for marts.fct_package_downloads_daily (PyPI downloads per technology and day).

Runtime parameters (given by the runner): technology_ids, the ids in marts.dim_technologies;
today, the current UTC date.
"""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import build, not_null, primary_key

TABLE = "marts.fct_package_downloads_daily"
# A day's value, once validated, does not change unless observed again: a run that rebuilt
# the mart over its history checks the rows it observed (dbt tests the whole table's keys).
CHANGED_ROWS = "observed_at"


def suite() -> gx.ExpectationSuite:
    return build(
        "fct_package_downloads_daily",
        [
            *primary_key("package_download_id"),
            *not_null("technology_id", "package", "download_date", "downloads", "observed_at"),
            *not_null("run_id"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["technology_id", "download_date"]
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="technology_id", value_set={"$PARAMETER": "technology_ids"}
            ),
            gx.expectations.ExpectColumnValuesToBeBetween(column="downloads", min_value=0),
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="download_date", max_value={"$PARAMETER": "today"}
            ),
        ],
    )
