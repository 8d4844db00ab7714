"""Scale-out: the same pipeline with its crawls on a local Dask cluster of two workers, landing
through an fsspec URL, publishes the same marts as with the default thread runner."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from demo.web import DemoWeb
from flows.settings import Settings

pytest.importorskip("prefect_dask")

DAY = date(2026, 11, 23)


def _row(row: tuple) -> str:
    # DuckDB sums doubles in parallel, in no fixed order: the last digits may differ run to run.
    return repr(tuple(round(v, 9) if isinstance(v, float) else v for v in row))


def _marts(path) -> dict[str, list[str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: sorted(map(_row, con.execute(f"select * from marts.{t}").fetchall())) for t in tables
        }


def test_crawls_on_a_local_dask_cluster_publish_the_same_marts(
    tmp_path, monkeypatch, prefect_harness
):
    from distributed import get_client
    from prefect.settings import PREFECT_API_URL

    from flows.pipeline import pipeline, task_runner

    # the workers report to the session's Prefect API: without it each would start a
    # temporary API server of its own, which outlived the cluster
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())

    published = {}
    with DemoWeb() as web:
        for runner in ("threads", "dask"):
            monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / runner))
            flow = pipeline
            if runner == "dask":
                monkeypatch.setenv("RADAR_LANDING_URL", (tmp_path / "shared").as_uri())
                settings = Settings(dask_address="local", dask_workers=2)
                flow = pipeline.with_options(task_runner=task_runner(settings))
            summary = flow(
                catalog="demo",
                run_id="same-run",
                observed_at="2026-11-23T06:00:00+00:00",
                demo_web_url=web.snapshot_url(DAY),
            )
            assert summary["status"] == "partial"  # Dagster's Wikipedia 404, as always
            assert summary["sources"] == {"ok": 71, "failed": 1}
            published[runner] = _marts(tmp_path / runner / "published" / "radar.duckdb")
            if runner == "dask":
                with pytest.raises(ValueError):
                    get_client()  # the cluster was closed with the flow
    assert published["dask"] == published["threads"]
    # The Dask run landed through the URL, one file per batch (kind), and nothing locally.
    pricing = sorted(p.name for p in (tmp_path / "shared" / "pricing" / "same-run").iterdir())
    assert pricing == ["pricing.jsonl"]
    assert not (tmp_path / "dask" / "landing").exists()
    assert len(published["dask"]["fct_plan_prices"]) == 16
    assert len(published["dask"]["fct_tech_signals_daily"]) > 2000
