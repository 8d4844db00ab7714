"""Expectations for marts.dim_technologies (the catalog's technologies)."""

from __future__ import annotations

import great_expectations as gx

from flows.quality._common import SLUG, build, not_null, primary_key

TABLE = "marts.dim_technologies"

# PEP 508 project names, normalised to lower case
PYPI_NAME = r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$"


def suite() -> gx.ExpectationSuite:
    return build(
        "dim_technologies",
        [
            gx.expectations.ExpectTableRowCountToBeBetween(min_value=1),
            *primary_key("technology_id"),
            *not_null("name", "benchmark"),
            # the adoption index divides every signal by the benchmark set's mean
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="benchmark", value_set=[True, False]
            ),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="technology_id", regex=SLUG),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="pypi_package", regex=PYPI_NAME),
        ],
    )
