"""The data is documented: every model, seed and source and every one of their columns has a
description in the manifest dbt generated for the shared fixture build, the lineage is in it,
and the marts carry their descriptions into DuckDB as comments (persist_docs)."""

from __future__ import annotations

import json

import pytest

from flows.load import RAW_COLUMNS

PROJECT = "market_radar"


@pytest.fixture(scope="module")
def manifest(built):
    warehouse, _ = built
    return json.loads((warehouse.parent / "dbt" / "target" / "manifest.json").read_text())


def actual_columns(con, schema, table):
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def undocumented(node, columns):
    """Columns of the relation without a description (or not declared at all)."""
    declared = {name.lower(): col for name, col in node["columns"].items()}
    return [c for c in columns if not declared.get(c.lower(), {}).get("description", "").strip()]


def test_every_model_and_seed_and_each_of_their_columns_is_described(manifest, con):
    nodes = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] in ("model", "seed") and n["package_name"] == PROJECT
    ]
    layers = {n["fqn"][1] for n in nodes if n["resource_type"] == "model"}
    assert layers == {"staging", "intermediate", "marts"}
    assert len([n for n in nodes if n["resource_type"] == "model"]) == 44
    assert sorted(n["name"] for n in nodes if n["resource_type"] == "seed") == [
        "competitors", "exchange_rates", "signal_weights", "sources", "technologies",
    ]  # fmt: skip
    gaps = {}
    for node in nodes:
        columns = actual_columns(con, node["schema"], node["alias"])
        assert columns, f"{node['unique_id']} was not built"
        missing = undocumented(node, columns)
        if not node["description"].strip():
            missing.insert(0, "(the model itself)")
        if missing:
            gaps[node["unique_id"]] = missing
    assert gaps == {}


def test_no_stale_column_docs(manifest, con):
    """Every declared column exists: docs follow the SQL when a column is renamed or dropped."""
    stale = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        columns = {c.lower() for c in actual_columns(con, node["schema"], node["alias"])}
        extra = [name for name in node["columns"] if name.lower() not in columns]
        if extra:
            stale[node["unique_id"]] = extra
    assert stale == {}


def test_every_source_table_and_column_is_described(manifest, con):
    sources = {
        (s["source_name"], s["name"]): s
        for s in manifest["sources"].values()
        if s["package_name"] == PROJECT
    }
    # the contract of the raw tables (flows/load.py) and of the ledger (flows/ledger.py)
    expected = {("raw", kind): [*cols, "_landing_file", "_loaded_at"]
                for kind, cols in RAW_COLUMNS.items()}  # fmt: skip
    expected["ops", "source_runs"] = actual_columns(con, "ops", "source_runs")
    assert expected["ops", "source_runs"][:3] == ["run_id", "source_id", "source_kind"]
    assert sorted(sources) == sorted(expected)
    gaps = {}
    for key, columns in expected.items():
        missing = undocumented(sources[key], columns)
        if not sources[key]["description"].strip():
            missing.insert(0, "(the table itself)")
        if missing:
            gaps[key] = missing
    assert gaps == {}


def test_every_raw_table_has_freshness_on_observed_at(manifest):
    raw = {s["name"]: s for s in manifest["sources"].values() if s["source_name"] == "raw"}
    assert sorted(raw) == sorted(RAW_COLUMNS)
    for table in raw.values():
        assert table["loaded_at_field"] == "observed_at"
        assert table["freshness"]["warn_after"] == {"count": 36, "period": "hour"}
        assert table["freshness"]["error_after"] == {"count": 84, "period": "hour"}
    ledger = manifest["sources"][f"source.{PROJECT}.ops.source_runs"]
    assert not (ledger["freshness"] or {}).get("warn_after", {}).get("count")


def ancestors(manifest, unique_id):
    seen, todo = set(), [unique_id]
    while todo:
        for parent in manifest["parent_map"][todo.pop()]:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_lineage_is_in_the_manifest(manifest):
    parents = manifest["parent_map"]
    model = f"model.{PROJECT}."
    assert sorted(parents[model + "fct_price_changes"]) == [
        model + "fct_plan_prices",
        model + "int_competitor_crawls",
    ]
    assert parents[model + "fct_plan_prices"] == [model + "int_plan_observations_sequenced"]
    assert parents[model + "stg_ops__source_runs"] == [f"source.{PROJECT}.ops.source_runs"]
    upstream = ancestors(manifest, model + "fct_price_changes")
    assert {
        model + "stg_pricing__plan_observations",
        model + "stg_ops__source_runs",
        f"source.{PROJECT}.raw.pricing",
        f"source.{PROJECT}.ops.source_runs",
        f"seed.{PROJECT}.sources",
    } <= upstream


def test_mart_descriptions_are_duckdb_comments(manifest, con):
    node = manifest["nodes"][f"model.{PROJECT}.fct_price_changes"]
    table_comment = con.execute(
        "select comment from duckdb_tables() "
        "where schema_name = 'marts' and table_name = 'fct_price_changes'"
    ).fetchone()[0]
    assert table_comment == node["description"]
    comments = dict(
        con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'fct_price_changes'"
        ).fetchall()
    )
    assert comments["change_kind"] == node["columns"]["change_kind"]["description"]
    uncommented = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'marts' and coalesce(comment, '') = ''"
    ).fetchall()
    assert uncommented == []
