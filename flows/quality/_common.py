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
