"""Building blocks shared by the suites."""

from __future__ import annotations

import great_expectations as gx

# Catalog ids: lowercase words joined by single dashes.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def primary_key(column: str) -> list[gx.expectations.Expectation]:
    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column=column),
        gx.expectations.ExpectColumnValuesToBeUnique(column=column),
    ]


def not_null(*columns: str) -> list[gx.expectations.Expectation]:
    return [gx.expectations.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def build(name: str, expectations: list[gx.expectations.Expectation]) -> gx.ExpectationSuite:
    # Passing the expectations to the constructor (not add_expectation) needs no active
    # data context, so a suite can be built and inspected on its own.
    return gx.ExpectationSuite(name=name, expectations=expectations)


def at_least_zero(*columns: str) -> list[gx.expectations.Expectation]:
    return [gx.expectations.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in columns]


def competitor_known(column: str = "competitor_id") -> gx.expectations.Expectation:
    """The runner's competitor_ids parameter: the ids in marts.dim_competitors."""
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=column, value_set={"$PARAMETER": "competitor_ids"}
    )


def week_starts_on_monday(column: str = "week_start") -> gx.expectations.Expectation:
    """The runner's mondays parameter: every Monday over the span of the marts' weeks."""
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=column, value_set={"$PARAMETER": "mondays"}
    )


def not_before(later: str, earlier: str, *, or_equal: bool = True) -> gx.expectations.Expectation:
    """later >= earlier (or >), where both are known."""
    return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=later,
        column_B=earlier,
        or_equal=or_equal,
        ignore_row_if="either_value_is_missing",
    )
