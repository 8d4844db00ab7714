"""dbt build over a small known market (tests/fixtures/radar_warehouse.py): the existing marts."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from tests.fixtures import signal_market
from tests.fixtures.radar_warehouse import GO_PATTERN, at, build_fixture_warehouse, rows


def test_build_runs_every_node(built):
    result = built[1]
    assert result.failed == 0
    assert result.skipped == 0
    kinds = {n.resource_type for n in result.nodes}
    assert {"seed", "model", "test"} <= kinds
    assert result.error is None


def test_schemas_are_exact(con):
    found = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    assert {
        ("catalog", "competitors"),
        ("catalog", "technologies"),
        ("catalog", "sources"),
        ("marts", "dim_competitors"),
        ("marts", "dim_technologies"),
        ("marts", "fct_plan_prices"),
        ("marts", "fct_package_downloads_daily"),
        ("staging", "stg_pricing__plan_observations"),
        ("marts", "fct_price_changes"),
        ("marts", "fct_job_postings"),
        ("marts", "fct_hiring_weekly"),
        ("marts", "fct_job_tech_mentions"),
        ("marts", "fct_releases"),
        ("marts", "fct_page_changes"),
        ("marts", "fct_competitor_activity_weekly"),
        ("staging", "stg_greenhouse__job_postings"),
        ("staging", "stg_lever__job_postings"),
        ("staging", "stg_jobposting__job_postings"),
        ("staging", "stg_feed__releases"),
        ("staging", "stg_github_releases__releases"),
        ("staging", "stg_pages__page_observations"),
    } <= found
    assert not any(schema.startswith("main_") for schema, _ in found)


def test_marts_have_the_contract_columns_and_types(con):
    def columns(table):
        return con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()

    assert columns("fct_plan_prices") == [
        ("plan_price_id", "VARCHAR"),
        ("competitor_id", "VARCHAR"),
        ("plan_key", "VARCHAR"),
        ("plan_name", "VARCHAR"),
        ("billing_period", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("price", "DECIMAL(18,2)"),
        ("currency", "VARCHAR"),
        ("is_custom", "BOOLEAN"),
        ("availability", "VARCHAR"),
        ("sku", "VARCHAR"),
        ("features", "VARCHAR[]"),
        ("method", "VARCHAR"),
        ("url", "VARCHAR"),
        ("valid_from", "TIMESTAMP WITH TIME ZONE"),
        ("valid_to", "TIMESTAMP WITH TIME ZONE"),
        ("is_current", "BOOLEAN"),
        ("observations", "INTEGER"),
    ]
    assert columns("fct_package_downloads_daily") == [
        ("package_download_id", "VARCHAR"),
        ("technology_id", "VARCHAR"),
        ("package", "VARCHAR"),
        ("download_date", "DATE"),
        ("downloads", "BIGINT"),
        ("observed_at", "TIMESTAMP WITH TIME ZONE"),
        ("run_id", "VARCHAR"),
    ]
    assert [c for c, _ in columns("dim_competitors")] == [
        "competitor_id", "name", "website", "segment", "hq_country", "description",
    ]  # fmt: skip
    assert columns("dim_technologies") == [
        ("technology_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("category", "VARCHAR"),
        ("aliases", "VARCHAR[]"),
        ("homepage", "VARCHAR"),
        ("pypi_package", "VARCHAR"),
        ("mention_pattern", "VARCHAR"),
        ("benchmark", "BOOLEAN"),
    ]


def test_a_price_change_closes_the_old_interval(con):
    pro = rows(
        con,
        "select * from marts.fct_plan_prices "
        "where competitor_id = 'acme' and plan_key = 'pro' and billing_period = 'month' "
        "order by valid_from",
    )
    assert [(r["price"], r["valid_from"], r["valid_to"], r["is_current"]) for r in pro] == [
        (Decimal("12.00"), at(9), at(16), False),
        (Decimal("15.00"), at(16), None, True),
    ]
    assert [r["observations"] for r in pro] == [1, 2]  # r1 showed Pro twice: one observation
    assert pro[0]["plan_price_id"] == "acme:pro:month:2026-11-09T06:00:00Z"
    assert pro[1]["features"] == ["Dashboards", "SSO"]
    assert pro[1]["unit"] == "per seat"


def test_a_removed_plan_is_closed_at_the_crawl_that_missed_it(con):
    (team,) = rows(con, "select * from marts.fct_plan_prices where plan_key = 'team'")
    assert (team["price"], team["valid_from"], team["valid_to"]) == (
        Decimal("30.00"),
        at(9),
        at(23),
    )
    assert team["is_current"] is False
    assert team["observations"] == 2


def test_a_crawl_that_yielded_nothing_closes_nothing(con):
    (basic,) = rows(con, "select * from marts.fct_plan_prices where competitor_id = 'globex'")
    assert (basic["price"], basic["currency"], basic["valid_to"]) == (Decimal("9.00"), "EUR", None)
    assert basic["observations"] == 2


def test_unchanged_and_custom_plans_stay_one_current_interval(con):
    got = {
        r["plan_key"] + "/" + r["billing_period"]: r
        for r in rows(con, "select * from marts.fct_plan_prices where competitor_id = 'acme'")
    }
    assert set(got) == {"pro/month", "pro/year", "team/month", "enterprise/unknown"}
    enterprise = got["enterprise/unknown"]
    assert (enterprise["price"], enterprise["is_custom"], enterprise["is_current"]) == (
        None,
        True,
        True,
    )
    # Pro yearly appeared in r2 (fct_price_changes calls it plan_added)
    assert (got["pro/year"]["price"], got["pro/year"]["valid_from"]) == (Decimal("120.00"), at(16))
    assert got["pro/year"]["observations"] == 2
    assert con.execute("select count(*) from marts.fct_plan_prices").fetchone()[0] == 6


def test_latest_observation_of_a_day_wins(con):
    got = {
        r["package_download_id"]: (r["downloads"], r["run_id"])
        for r in rows(con, "select * from marts.fct_package_downloads_daily")
    }
    assert got == {
        "duckdb:2026-11-08": (1000, "r1"),
        "duckdb:2026-11-14": (500, "r2"),
        "duckdb:2026-11-15": (250, "r3"),  # r2 saw a partial 100
        "duckdb:2026-11-22": (800, "r3"),
        "polars:2026-11-22": (300, "r3"),
    }


def test_dims_come_from_the_enabled_catalog(con):
    assert con.execute(
        "select competitor_id, hq_country from marts.dim_competitors order by 1"
    ).fetchall() == [("acme", "US"), ("globex", "NO")]
    techs = {r["technology_id"]: r for r in rows(con, "select * from marts.dim_technologies")}
    assert set(techs) == {"duckdb", "polars", "go", "r", "cpp", "nodejs"} | set(
        signal_market.SIGNAL_TECHNOLOGIES
    )
    assert techs["duckdb"] == {
        "technology_id": "duckdb",
        "name": "DuckDB",
        "category": "database",
        "aliases": ["DuckDB", "duck db"],
        "homepage": "https://duckdb.org",
        "pypi_package": "duckdb",
        "mention_pattern": None,
        "benchmark": False,  # left empty in the catalog
    }
    assert techs["aster"]["benchmark"] is True
    assert techs["polars"]["aliases"] == []
    assert techs["polars"]["pypi_package"] == "polars"
    assert techs["go"]["mention_pattern"] == GO_PATTERN  # backslashes and | kept verbatim
    assert techs["go"]["pypi_package"] is None
    assert techs["cpp"]["name"] == "C++"
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'catalog' and table_name = 'sources'"
        ).fetchall()
    )
    assert types["enabled"] == "BOOLEAN"
    assert types["source_id"] == "VARCHAR"


def test_demo_catalog_switch_and_a_failing_test_is_named(tmp_path):
    # The demo fixture catalog lacks acme and globex, so the facts' relationships test fails.
    warehouse, result = build_fixture_warehouse(tmp_path, catalog="demo")

    assert not result.ok
    failing = {n.name for n in result.failures}
    assert any(name.startswith("relationships_fct_plan_prices_competitor_id") for name in failing)
    assert "relationships_fct_plan_prices_competitor_id" in result.error
    assert "FAILED" in result.summary()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select competitor_id from marts.dim_competitors").fetchall() == [
            ("northwind",)
        ]


def test_marts_keep_only_the_tracked_catalogs_sources(tmp_path):
    """A source dropped from the catalog leaves the marts; its raw history stays."""
    from flows.dbt import dbt_build
    from tests.fixtures.radar_warehouse import load_fixture_runs, make_project

    project = make_project(tmp_path)
    catalog = tmp_path / "seeds" / "catalog"
    for name in ("competitors.csv", "sources.csv"):
        path = catalog / name
        path.write_text(
            "".join(line for line in path.read_text().splitlines(True) if "globex" not in line)
        )
    warehouse = tmp_path / "warehouse.duckdb"
    load_fixture_runs(warehouse, tmp_path / "landing")
    result = dbt_build(warehouse, "real", project_dir=project)

    assert result.ok, result.summary()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = con.execute(
            "select distinct competitor_id from marts.fct_plan_prices order by 1"
        ).fetchall()
        raw = con.execute(
            "select count(*) from raw.pricing where competitor_id = 'globex'"
        ).fetchone()[0]
        jobs = con.execute(
            "select distinct competitor_id from marts.fct_job_postings order by 1"
        ).fetchall()
        activity = con.execute(
            "select distinct competitor_id from marts.fct_competitor_activity_weekly"
        ).fetchall()
        raw_jobs = con.execute("select count(*) from raw.lever").fetchone()[0]
    assert marts == jobs == activity == [("acme",)]
    assert raw == 2
    assert raw_jobs == 2
