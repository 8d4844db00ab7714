"""A small published file with exactly the contract's tables, and known rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP_MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"

# The published schema as the contract states it (marts enforced by dbt contracts).
SCHEMA = """
create schema marts;
create schema ops;
create table marts.dim_competitors (
    competitor_id varchar primary key, name varchar, website varchar, segment varchar,
    hq_country varchar, description varchar
);
create table marts.dim_technologies (
    technology_id varchar primary key, name varchar, category varchar, aliases varchar[],
    homepage varchar, pypi_package varchar
);
create table marts.fct_plan_prices (
    plan_price_id varchar primary key, competitor_id varchar, plan_key varchar,
    plan_name varchar, billing_period varchar, unit varchar, price decimal(18, 2),
    currency varchar, is_custom boolean, availability varchar, sku varchar,
    features varchar[], method varchar, url varchar, valid_from timestamptz,
    valid_to timestamptz, is_current boolean, observations integer
);
create table marts.fct_package_downloads_daily (
    package_download_id varchar primary key, technology_id varchar, package varchar,
    download_date date, downloads bigint, observed_at timestamptz, run_id varchar
);
create table ops.runs (
    run_id varchar primary key, catalog varchar, started_at timestamptz,
    finished_at timestamptz, observed_at timestamptz, status varchar, items json,
    rows_loaded json, checks_passed integer, checks_failed integer, published boolean,
    error varchar
);
create table ops.quality_results (
    run_id varchar, suite varchar, expectation varchar, column_name varchar,
    success boolean, observed_value varchar, details json, checked_at timestamptz
);
"""

# Daily downloads: two full weeks ending LAST_DAY, constant within each week.
LAST_DAY = date(2026, 11, 23)
DOWNLOADS = {
    # technology_id: (previous week per day, last week per day)
    "duckdb": (2_000, 1_800),
    "polars": (1_000, 1_200),
}


def plan_price(
    plan_price_id: str,
    competitor_id: str,
    plan_name: str,
    price: str | None,
    *,
    period: str = "month",
    unit: str | None = None,
    currency: str | None = "USD",
    is_custom: bool = False,
    features: list[str],
    method: str = "json-ld",
    valid_from: str = "2026-11-09 06:00",
    valid_to: str | None = None,
) -> dict:
    """One marts.fct_plan_prices row; open intervals (no valid_to) are the current price."""
    return {
        "plan_price_id": plan_price_id,
        "competitor_id": competitor_id,
        "plan_key": plan_name.lower(),
        "plan_name": plan_name,
        "billing_period": period,
        "unit": unit,
        "price": price,
        "currency": currency,
        "is_custom": is_custom,
        "features": features,
        "method": method,
        "url": f"http://127.0.0.1:8000/2026-11-16/{competitor_id}.example/pricing",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "is_current": valid_to is None,
        "observations": 1,
    }


@dataclass(frozen=True)
class Published:
    path: Path
    team_price: str  # the current monthly price of Northwind's Team plan

    def republish(self, **changes) -> Published:
        """Publish different data over the same path (see build_published for `changes`)."""
        return build_published(self.path, **changes)


def build_published(
    path: Path, *, team_price: str = "15.00", missing_day: date | None = None
) -> Published:
    """Write a published file at `path` (written aside, then swapped in like publish does).

    `missing_day`: a day with no Polars downloads row (a failed or blocked fetch).
    """
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(SCHEMA)
        con.executemany(
            "insert into marts.dim_competitors values (?, ?, ?, ?, ?, ?)",
            [
                ("northwind", "Northwind Analytics", "https://northwind.example", "bi", "US", "BI"),
                ("contoso", "Contoso Data", "https://contoso.example", "etl", "DE", "ETL"),
            ],
        )
        con.executemany(
            "insert into marts.dim_technologies values (?, ?, ?, ?, ?, ?)",
            [
                ("duckdb", "DuckDB", "database", ["duck db"], "https://duckdb.org", "duckdb"),
                ("polars", "Polars", "dataframe", [], "https://pola.rs", "polars"),
            ],
        )
        plans = [
            plan_price("nw-free-1", "northwind", "Free", "0.00", features=["1 user"]),
            plan_price(
                "nw-team-1", "northwind", "Team", "12.00", unit="per seat",
                valid_to="2026-11-16 06:00", features=["5 users", "SSO"],
            ),
            plan_price(
                "nw-team-2", "northwind", "Team", team_price, unit="per seat",
                valid_from="2026-11-16 06:00", features=["5 users", "SSO", "API"],
            ),
            plan_price(
                "nw-ent-1", "northwind", "Enterprise", None, period="year", currency=None,
                is_custom=True, features=["Everything"],
            ),
            plan_price(
                "co-starter-1", "contoso", "Starter", "9.00", unit="per user", currency="EUR",
                method="selectors", features=["Pipelines"],
            ),
        ]  # fmt: skip
        con.executemany(
            f"insert into marts.fct_plan_prices by name "
            f"select {', '.join('? as ' + column for column in plans[0])}",
            [list(row.values()) for row in plans],
        )
        downloads = []
        for technology_id, (previous, last) in DOWNLOADS.items():
            for days_back in range(14):
                day = LAST_DAY - timedelta(days=days_back)
                if technology_id == "polars" and day == missing_day:
                    continue
                count = last if days_back < 7 else previous
                downloads.append(
                    (
                        f"{technology_id}:{day}",
                        technology_id,
                        technology_id,
                        day,
                        count,
                        "2026-11-23 06:00",
                        "run-3",
                    )
                )
        con.executemany(
            "insert into marts.fct_package_downloads_daily values (?, ?, ?, ?, ?, ?, ?)",
            downloads,
        )
        con.execute(
            "insert into ops.runs values ('run-3', 'demo', '2026-11-23 06:00:00+00', "
            "'2026-11-23 06:05:00+00', '2026-11-23 06:00:00+00', 'succeeded', "
            "'{\"pricing\": 5}', '{\"pricing\": 5}', 12, 0, true, null)"
        )
    finally:
        con.close()
    tmp.replace(path)
    return Published(path=path, team_price=team_price)


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    # Caches are process-wide; each test starts from none.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def published(tmp_path, monkeypatch) -> Published:
    path = tmp_path / "published" / "radar.duckdb"
    path.parent.mkdir()
    monkeypatch.setenv("RADAR_PUBLISHED_PATH", str(path))
    return build_published(path)


def read_chart_data(chart) -> pd.DataFrame:
    """The data an st.altair_chart element carries (AppTest has no typed chart element)."""
    (dataset,) = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_pandas()


# Helpers are fixtures rather than imports from conftest: several conftest modules live under
# tests/, and `from conftest import ...` would depend on which one Python finds first.
@pytest.fixture
def chart_data():
    return read_chart_data


@pytest.fixture
def app_test():
    def make() -> AppTest:
        # The first run imports pandas, altair and duckdb: more than AppTest's default 3 s.
        return AppTest.from_file(str(APP_MAIN), default_timeout=30)

    return make
