"""End to end, offline: the demo market through the real `pipeline` flow.

The demo web serves four weekly snapshots; every one is crawled by real Scrapy
subprocesses over HTTP, loaded into a real DuckDB file, built by dbt, checked by
Great Expectations and published. The assertions are the facts of the demo market
(seeds/demo/README.md) as a strategy team would read them in the published file.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.e2e

SNAPSHOTS = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]


def at6(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T06:00:00+00:00")


@pytest.fixture(scope="module")
def demo(prefect_harness, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    old = os.environ.get("RADAR_DATA_DIR")
    os.environ["RADAR_DATA_DIR"] = str(data_dir)
    from flows.demo import demo_market

    summaries = demo_market()
    yield data_dir, summaries
    if old is None:
        os.environ.pop("RADAR_DATA_DIR", None)
    else:
        os.environ["RADAR_DATA_DIR"] = old


def published(data_dir):
    return duckdb.connect(str(data_dir / "published" / "radar.duckdb"), read_only=True)


def test_every_snapshot_runs_clean_in_date_order(demo):
    _, summaries = demo
    assert [s["observed_at"][:10] for s in summaries] == SNAPSHOTS
    assert [s["run_id"] for s in summaries] == [f"demo-{d.replace('-', '')}" for d in SNAPSHOTS]
    for s in summaries:
        # The demo's one broken source: Dagster's Wikipedia article answers 404.
        assert s["status"] == "partial", s
        assert s["source_errors"] == {"dagster-wikipedia-pageviews": "failed: HTTP 404 ×1"}
        assert s["sources"] == {"ok": 71, "failed": 1}
        # one item per package and answer, its 60 days as points (raw rows)
        assert s["items"]["pypistats"] == 10
        assert s["checks_failed"] == 0
        assert s["checks_passed"] > 10
    # The first run loads everything; later runs only what changed.
    first = summaries[0]
    kinds = ("pricing", "greenhouse", "lever", "jobposting", "feed", "pages", "github_repo")
    assert {k: first["rows_loaded"][k] for k in kinds} == {k: first["items"][k] for k in kinds}
    assert first["changed_sources"] == 71
    # Northwind 6 prices (Free, Team and Business monthly and yearly, Enterprise custom),
    # Bluebird 5 offers, Cobalt 4 plans. An unchanged page answers 304 Not Modified to
    # the ETag of its last crawl: on 11-09 none changed; on 11-16 Northwind raised Team
    # (6 prices landed); on 11-23 Bluebird added Scale and Cobalt dropped Pro (7 + 3).
    assert [s["items"]["pricing"] for s in summaries] == [15, 0, 6, 10]
    # The watched pages: Delta's security page changes only its date every week (landed,
    # same text: not loaded again); Ember's about page was reworded on 11-16.
    assert [s["items"]["pages"] for s in summaries] == [2, 1, 2, 1]
    assert [s["rows_loaded"]["pages"] for s in summaries] == [2, 0, 1, 0]
    # Series load only the points they did not have: a week of Wikipedia views a run for
    # each of the 7 articles that answer (asked from 3 days before their last), where the
    # first run asks 120 days; a week of downloads of each of the 10 PyPI packages.
    assert [s["rows_loaded"]["wikipedia_pageviews"] for s in summaries] == [840, 49, 49, 49]
    assert [s["rows_loaded"]["pypistats"] for s in summaries] == [600, 70, 70, 70]
    assert all(s["skipped"] is None for s in summaries)


def test_every_run_records_its_sources_and_their_freshness(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        per_run = con.execute(
            """
            select run_id, count(*), count(*) filter (where status = 'ok'), sum(items)
            from ops.source_runs group by run_id order by run_id
            """
        ).fetchall()
        pricing = con.execute(
            """
            select status, max_observed_at, age_hours, warn_after_hours, error_after_hours,
                   epoch(checked_at - max_observed_at) / 3600
            from ops.source_freshness
            where run_id = 'demo-20261123' and source_kind = 'pricing'
            """
        ).fetchone()
        kinds = con.execute(
            "select count(*) from ops.source_freshness where run_id = 'demo-20261123'"
        ).fetchone()[0]
        statuses = con.execute(
            "select status, count(*) from ops.source_freshness where run_id = 'demo-20261123' "
            "group by all"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in per_run] == [
        (f"demo-{d.replace('-', '')}", 72, 71) for d in SNAPSHOTS
    ]
    assert kinds == 13  # every source kind of the demo catalog
    status, newest, age, warn, error, hours_since = pricing
    assert newest == at6("2026-11-23")
    assert (warn, error) == (36, 84)
    assert age == pytest.approx(hours_since, abs=0.1)
    # judged at the run's own clock (the demo's "now" is its snapshot), and a crawl whose
    # content was unchanged (not loaded again) counts: every kind is fresh
    assert (status, age) == ("pass", 0)
    assert statuses == [("pass", 13)]


def test_the_published_file_carries_the_column_docs(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        comment = con.execute(
            """
            select comment from duckdb_columns()
            where schema_name = 'marts' and table_name = 'fct_plan_prices'
              and column_name = 'price'
            """
        ).fetchone()[0]
    assert comment == (
        "Price in the interval; 0.00 for a free tier, null for custom (contact sales) plans."
    )


def test_northwind_team_price_rise_is_in_the_history(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        rows = con.execute(
            """
            select price, currency, unit, valid_from, valid_to, is_current
            from marts.fct_plan_prices
            where competitor_id = 'northwind-analytics' and plan_name = 'Team'
              and billing_period = 'month'
            order by valid_from
            """
        ).fetchall()
    assert rows == [
        (Decimal("12.00"), "USD", "per seat", at6("2026-11-02"), at6("2026-11-16"), False),
        (Decimal("15.00"), "USD", "per seat", at6("2026-11-16"), None, True),
    ]


def test_new_and_removed_plans(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        scale = con.execute(
            """
            select price, currency, availability, valid_from, is_current
            from marts.fct_plan_prices
            where competitor_id = 'bluebird-data' and plan_name = 'Scale'
              and billing_period = 'month'
            """
        ).fetchall()
        cobalt_pro = con.execute(
            """
            select price, currency, valid_from, valid_to, is_current
            from marts.fct_plan_prices
            where competitor_id = 'cobalt-cloud' and plan_name = 'Pro'
            """
        ).fetchall()
        enterprise = con.execute(
            """
            select price, is_custom from marts.fct_plan_prices
            where competitor_id = 'northwind-analytics' and plan_name = 'Enterprise'
            """
        ).fetchall()
    assert scale == [(Decimal("99.00"), "EUR", "PreOrder", at6("2026-11-23"), True)]
    assert cobalt_pro == [(Decimal("129.00"), "GBP", at6("2026-11-02"), at6("2026-11-23"), False)]
    assert enterprise == [(None, True)]


def test_downloads_of_known_days(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        got = dict(
            con.execute(
                """
                select technology_id || ' ' || strftime(download_date, '%Y-%m-%d'), downloads
                from marts.fct_package_downloads_daily
                where (technology_id, download_date) in (
                    ('polars', date '2026-11-10'), ('duckdb', date '2026-09-24'),
                    ('great-expectations', date '2026-11-22'))
                """
            ).fetchall()
        )
        days = con.execute(
            "select count(distinct download_date) from marts.fct_package_downloads_daily"
        ).fetchone()[0]
    assert got == {
        "polars 2026-11-10": 1_859_636,
        "duckdb 2026-09-24": 1_148_085,
        "great-expectations 2026-11-22": 155_010,
    }
    # 60 days before 2026-11-02 up to the day before 2026-11-23, each day once.
    assert days == (date(2026, 11, 22) - date(2026, 9, 3)).days + 1


def test_published_file_carries_the_run_ledger(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        runs = con.execute(
            "select run_id, status, observed_at from ops.runs order by observed_at"
        ).fetchall()
        failed_checks = con.execute(
            "select count(*) from ops.quality_results where not success"
        ).fetchone()[0]
    # The ledger is published with the marts, so the last run is still 'running' there
    # only if publishing came before finishing; it must not be.
    assert [(r[0], r[2]) for r in runs] == [
        (f"demo-{d.replace('-', '')}", at6(d)) for d in SNAPSHOTS
    ]
    assert failed_checks == 0


def test_price_changes_of_the_demo_market(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        changes = con.execute(
            """
            select competitor_id, plan_name, billing_period, change_kind, old_price, new_price,
                   change_abs, change_pct, week_start
            from marts.fct_price_changes order by changed_at, competitor_id, plan_name, 3
            """
        ).fetchall()
    nov16, nov23 = date(2026, 11, 16), date(2026, 11, 23)
    assert changes == [
        ("northwind-analytics", "Team", "month", "increase",
         Decimal("12.00"), Decimal("15.00"), Decimal("3.00"), 25.0, nov16),
        ("northwind-analytics", "Team", "year", "increase",
         Decimal("120.00"), Decimal("144.00"), Decimal("24.00"), 20.0, nov16),
        ("bluebird-data", "Scale", "month", "plan_added",
         None, Decimal("99.00"), None, None, nov23),
        ("bluebird-data", "Scale", "year", "plan_added",
         None, Decimal("990.00"), None, None, nov23),
        ("cobalt-cloud", "Pro", "month", "plan_removed",
         Decimal("129.00"), None, None, None, nov23),
    ]  # fmt: skip


def test_hiring_surge_and_closed_postings(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        surge = con.execute(
            """
            select open_postings, opened, closed from marts.fct_hiring_weekly
            where competitor_id = 'northwind-analytics' and department = 'Engineering'
            order by week_start
            """
        ).fetchall()
        mentions = dict(
            con.execute(
                """
                select technology_id, new_postings from marts.fct_job_tech_mentions
                where competitor_id = 'northwind-analytics' and week_start = '2026-11-16'
                """
            ).fetchall()
        )
        closed = con.execute(
            """
            select competitor_id, count(*), min(closed_at), max(closed_at)
            from marts.fct_job_postings where not is_open
            group by competitor_id order by competitor_id
            """
        ).fetchall()
        ember_r = con.execute(
            """
            select count(*) from marts.fct_job_tech_mentions
            where competitor_id = 'ember-labs' and technology_id = 'r'
            """
        ).fetchone()[0]
    # No Engineering postings before 2026-11-16, then four at once, still open a week later.
    assert surge == [(4, 4, 0), (4, 0, 0)]
    # All four surge postings mention DuckDB; "Golang microservices" is Go, while the
    # Account Executive's "Go to market" is not.
    assert mentions == {"duckdb": 4, "go": 1, "dbt-core": 1, "polars": 1}
    assert closed == [
        ("bluebird-data", 3, at6("2026-11-23"), at6("2026-11-23")),
        ("delta-metrics", 1, at6("2026-11-16"), at6("2026-11-16")),
    ]
    assert ember_r == 4  # "Python or R" each week; "R&D" elsewhere is not R


def test_releases_and_page_changes(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        delta = con.execute(
            """
            select version, prerelease, days_since_previous from marts.fct_releases
            where competitor_id = 'delta-metrics' and published_at >= '2026-11-01'
            order by published_at
            """
        ).fetchall()
        drafts = con.execute(
            "select count(*) from marts.fct_releases where tag = 'v2.0.0'"
        ).fetchone()[0]
        cobalt = con.execute(
            """
            select version, published_at, days_since_previous from marts.fct_releases
            where competitor_id = 'cobalt-cloud' order by published_at desc limit 1
            """
        ).fetchone()
        pages = con.execute(
            "select competitor_id, changed_at, text from marts.fct_page_changes"
        ).fetchall()
        activity = con.execute(
            """
            select price_changes, postings_opened, releases, page_changes, total_changes
            from marts.fct_competitor_activity_weekly
            where week_start = '2026-11-16' and competitor_id = 'northwind-analytics'
            """
        ).fetchone()
    assert delta == [("1.11.0", False, 7), ("2.0.0-rc.1", True, 9), ("1.12.0", False, 5)]
    assert drafts == 0  # the v2.0.0 draft has no publish date and is skipped
    assert cobalt == ("3.11.0", datetime(2026, 11, 18, 16, tzinfo=UTC), 7)
    # Ember's /about was reworded on 2026-11-16; Delta's /security changes only its
    # "Last updated" date every week, which is not a change.
    assert [(c, t) for c, t, _ in pages] == [("ember-labs", at6("2026-11-16"))]
    assert activity == (2, 4, 0, 0, 6)


def radar(con):
    cur = con.execute("select * from marts.fct_tech_radar")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def test_technology_radar_of_the_demo_market(demo):
    data_dir, _ = demo
    with published(data_dir) as con:
        rings = radar(con)
    polars, hadoop, sqoop, r = (rings[t] for t in ("polars", "apache-hadoop", "sqoop", "r"))
    # The riser: every signal grows, so its score gains on the benchmark.
    assert polars["momentum_12w"] > 0.15
    assert polars["momentum_4w"] > 0
    assert polars["ring"] == "trial"
    # The decliner and the archived project are on hold, for their own reasons.
    assert hadoop["ring"] == "hold"
    assert hadoop["flag_declining"]
    assert not hadoop["flag_archived"]
    assert "declining" in hadoop["reasons"]
    assert sqoop["ring"] == "hold"
    assert sqoop["flag_archived"]
    assert sqoop["is_archived"]
    assert "archived" in sqoop["reasons"]
    # Only a Stack Overflow tag is tracked for R.
    assert r["flag_single_signal"]
    assert rings["pandas"]["ring"] == "adopt"


def test_a_failing_signal_source_zeroes_nothing(demo):
    data_dir, _summaries = demo
    with published(data_dir) as con:
        dagster = dict(
            con.execute(
                """
                select signal, count(*) filter (where value is not null)
                from marts.fct_tech_signals_daily where technology_id = 'dagster'
                group by signal
                """
            ).fetchall()
        )
        zeros = con.execute(
            """
            select count(*) from marts.fct_tech_signals_daily
            where technology_id = 'dagster' and signal = 'wikipedia_pageviews' and value = 0
            """
        ).fetchone()[0]
        weekly = con.execute(
            """
            select wikipedia_pageviews, wikipedia_pageviews_index, pypi_downloads, score
            from marts.fct_tech_adoption_weekly
            where technology_id = 'dagster' and week_start = '2026-11-09'
            """
        ).fetchone()
        ledger = con.execute(
            "select error from ops.runs where run_id = 'demo-20261123'"
        ).fetchone()[0]
    assert dagster.get("wikipedia_pageviews", 0) == 0
    assert zeros == 0
    assert dagster["github_stars"] == 4
    assert dagster["pypi_downloads"] > 0
    assert weekly[0] is None
    assert weekly[1] is None
    assert weekly[2] > 0
    assert weekly[3] > 0
    assert ledger == "dagster-wikipedia-pageviews: failed: HTTP 404 ×1"


SIGNALS = (
    "github_stars",
    "pypi_downloads",
    "npm_downloads",
    "stackoverflow_questions",
    "hn_stories",
    "wikipedia_pageviews",
)


def test_adoption_index_recomputed_by_hand_for_one_week(demo):
    """Index = value / benchmark mean × 100; score = weighted mean of the indices present."""
    import csv

    from flows.settings import ROOT

    data_dir, _ = demo
    with (ROOT / "seeds" / "signal_weights.csv").open() as fh:
        weights = {row["signal"]: float(row["weight"]) for row in csv.DictReader(fh)}
    week = "2026-11-09"
    with published(data_dir) as con:
        benchmark = {
            t
            for (t,) in con.execute(
                "select technology_id from marts.dim_technologies where benchmark"
            ).fetchall()
        }
        cur = con.execute(
            f"select technology_id, {', '.join(SIGNALS)}, "
            f"{', '.join(s + '_index' for s in SIGNALS)}, coverage, score "
            "from marts.fct_tech_adoption_weekly where week_start = ?",
            [week],
        )
        names = [d[0] for d in cur.description]
        rows = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    assert {"pandas", "polars", "apache-hadoop"} <= rows.keys()
    means = {}
    for signal in SIGNALS:
        values = [rows[t][signal] for t in benchmark if t in rows and rows[t][signal] is not None]
        means[signal] = sum(values) / len(values) if values else None
    for tech in ("polars", "pandas", "apache-hadoop", "dagster"):
        row, numerator, present = rows[tech], 0.0, 0.0
        for signal in SIGNALS:
            if row[signal] is None or not means[signal]:
                assert row[f"{signal}_index"] is None
                continue
            index = row[signal] / means[signal] * 100
            assert row[f"{signal}_index"] == pytest.approx(index, rel=1e-9), (tech, signal)
            numerator += weights[signal] * index
            present += weights[signal]
        assert row["score"] == pytest.approx(numerator / present, rel=1e-9), tech
        assert row["coverage"] == pytest.approx(present / sum(weights.values()), rel=1e-9)


def test_radar_csv_export_loads_with_the_five_columns(demo, tmp_path, monkeypatch):
    import csv

    from typer.testing import CliRunner

    from flows.cli import app

    data_dir, _ = demo
    monkeypatch.setenv("RADAR_DATA_DIR", str(data_dir))
    out = tmp_path / "radar.csv"
    result = CliRunner().invoke(app, ["export", "radar-csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        reader = csv.DictReader(fh)
        rows = {row["name"]: row for row in reader}
    assert reader.fieldnames == ["name", "ring", "quadrant", "isNew", "description"]
    assert rows["Polars"]["ring"] == "Trial"
    assert rows["Apache Sqoop"]["ring"] == "Hold"
    assert "archived" in rows["Apache Sqoop"]["description"]


def test_replaying_a_snapshot_replaces_its_run(demo):
    data_dir, _ = demo
    from demo.web import DemoWeb
    from flows.pipeline import pipeline
    from flows.settings import Settings

    def raw_counts():
        with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
            return con.execute(
                "select (select count(*) from raw.pricing), (select count(*) from raw.pypistats)"
            ).fetchone()

    before = raw_counts()
    settings = Settings(catalog="demo")
    with DemoWeb(settings.demo_web_dir) as web:
        summary = pipeline(
            catalog="demo",
            observed_at=at6("2026-11-23").isoformat(),
            run_id="demo-20261123",
            demo_web_url=web.snapshot_url(date(2026, 11, 23)),
        )
    assert summary["status"] == "partial"  # Dagster's Wikipedia article, as every demo run
    assert raw_counts() == before


def test_an_unchanged_rerun_skips_build_checks_and_publish(demo):
    """The last snapshot crawled again an hour later: every page answers 304 to its ETag or
    has no new point, nothing is loaded, and the published file is left as it was."""
    data_dir, _ = demo
    from demo.web import DemoWeb
    from flows.pipeline import pipeline
    from flows.settings import Settings

    published_file = data_dir / "published" / "radar.duckdb"
    before = published_file.read_bytes()
    with DemoWeb(Settings(catalog="demo").demo_web_dir) as web:
        summary = pipeline(
            catalog="demo",
            run_id="unchanged",
            observed_at="2026-11-23T07:00:00+00:00",
            demo_web_url=web.snapshot_url(date(2026, 11, 23)),
            spiders=["pricing", "pages", "github_repo", "wikipedia_pageviews", "hn_mentions"],
        )
    assert summary["changed_sources"] == 0
    assert summary["skipped"] == "no source changed since the last published run"
    assert sum(summary["rows_loaded"].values()) == 0
    assert (summary["checks_passed"], summary["published_path"]) == (0, None)
    assert "build" not in summary["timings"]
    assert published_file.read_bytes() == before
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        run = con.execute(
            "select status, published, skipped, changed_sources from ops.runs "
            "where run_id = 'unchanged'"
        ).fetchone()
        sources = con.execute(
            """
            select source_kind, count(*), count(*) filter (where changed = false),
                   count(*) filter (where responses->>'304' is not null), sum(requests)
            from ops.source_runs where run_id = 'unchanged' group by all order by all
            """
        ).fetchall()
    assert run == ("partial", False, "no source changed since the last published run", 0)
    # whole pages answer 304; series that hold yesterday's day (last week's) are not asked,
    # only Dagster's page views, which never had a point (its article does not exist)
    assert sources == [
        ("github_repo", 13, 13, 13, 13),
        ("hn_mentions", 12, 12, 0, 0),
        ("pages", 2, 2, 2, 2),
        ("pricing", 3, 3, 3, 3),
        ("wikipedia_pageviews", 8, 7, 0, 1),
    ]


def test_a_failing_source_leaves_the_run_partial_and_the_rest_published(demo):
    """Northwind's pricing page answers 503: the others are still loaded and published."""
    data_dir, _ = demo
    from demo.web import DemoWeb, Fault
    from flows.pipeline import pipeline
    from flows.settings import Settings

    settings = Settings(catalog="demo")
    with DemoWeb(settings.demo_web_dir) as web:
        web.faults["/2026-11-23/northwind.example/pricing"] = Fault(503, body="down")
        summary = pipeline(
            catalog="demo",
            run_id="outage",
            observed_at="2026-11-24T06:00:00+00:00",
            demo_web_url=web.snapshot_url(date(2026, 11, 23)),
        )
    assert summary["status"] == "partial"
    assert summary["source_errors"]["northwind-analytics-pricing"] == (
        "failed: HTTP 503 ×1 after 3 retries"
    )
    # Bluebird's and Cobalt's pages answer 304 Not Modified: as on 11-23, nothing to load
    assert summary["items"]["pricing"] == 0
    assert summary["published_path"]
    with published(data_dir) as con:
        run = con.execute("select status, error from ops.runs where run_id = 'outage'").fetchone()
        source_run = con.execute(
            """
            select status, items, requests, responses::varchar, retries, error
            from ops.source_runs
            where run_id = 'outage' and source_id = 'northwind-analytics-pricing'
            """
        ).fetchone()
        statuses = con.execute(
            "select status, count(*) from ops.source_runs where run_id = 'outage' group by all"
        ).fetchall()
        others = con.execute(
            """
            select source_id, status, changed, content_run_id from ops.source_runs
            where run_id = 'outage' and source_kind = 'pricing' and source_id <> ?
            order by all
            """,
            ["northwind-analytics-pricing"],
        ).fetchall()
        # Unknown is not removed: Northwind's plans stay open, with their last known price.
        team = con.execute(
            """
            select price, valid_to from marts.fct_plan_prices
            where competitor_id = 'northwind-analytics' and plan_name = 'Team'
              and billing_period = 'month' and is_current
            """
        ).fetchall()
        bluebird_seen = con.execute(
            """
            select max(valid_from) from marts.fct_plan_prices
            where competitor_id = 'bluebird-data'
            """
        ).fetchone()[0]
    assert run[0] == "partial"
    assert "northwind-analytics-pricing: failed: HTTP 503 ×1 after 3 retries" in run[1]
    # its page: 1 try and 3 retries, each 503
    assert source_run == ("failed", 0, 4, '{"503": 4}', 3, "HTTP 503 ×1 after 3 retries")
    assert sorted(statuses) == [("failed", 2), ("ok", 70)]
    assert others == [
        ("bluebird-data-pricing", "ok", False, "demo-20261123"),
        ("cobalt-cloud-pricing", "ok", False, "demo-20261123"),
    ]
    assert team == [(Decimal("15.00"), None)]
    assert bluebird_seen == at6("2026-11-23")


def test_failing_quality_gate_blocks_publishing(demo):
    """A bad row that reaches a mart fails its suite; the last publication stays as it was."""
    data_dir, _ = demo
    from flows.pipeline import PipelineFailed, pipeline

    published_file = data_dir / "published" / "radar.duckdb"
    before = published_file.read_bytes()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(
            """
            insert into raw.pricing by name
            select 'bad-run' as run_id, 'pricing' as source, source_id,
                   timestamptz '2026-11-24 06:00:00+00' as observed_at, url, competitor_id,
                   'Broken' as name, -5.00 as price, 'USD' as currency,
                   'month' as billing_period, false as is_custom, [] as features,
                   'heuristics' as method
            from raw.pricing limit 1
            """
        )
    with pytest.raises(PipelineFailed):
        # Crawl nothing new: only rebuild, check and (not) publish.
        pipeline(catalog="demo", spiders=["pypistats"], demo_web_url="http://127.0.0.1:9")
    assert published_file.read_bytes() == before
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        status = con.execute(
            "select status, published from ops.runs order by started_at desc limit 1"
        ).fetchone()
    assert status == ("failed", False)
    assert datetime.now(UTC).year >= 2026
