"""One dbt build of the fixture market (tests/fixtures/radar_warehouse.py) for all dbt tests."""

from __future__ import annotations

import duckdb
import pytest

from tests.fixtures.radar_warehouse import build_fixture_warehouse


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    warehouse, result = build_fixture_warehouse(tmp_path_factory.mktemp("dbt"))
    assert result.ok, result.summary()
    return warehouse, result


@pytest.fixture(scope="session")
def con(built):
    connection = duckdb.connect(str(built[0]), read_only=True)
    yield connection
    connection.close()
