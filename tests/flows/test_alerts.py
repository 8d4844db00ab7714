"""Alerts: built from real summaries and published files, delivered to a real HTTP receiver.

The receiver is a ThreadingHTTPServer on 127.0.0.1 that records every POST; Apprise sends
to it through its json:// and form:// plugins exactly as it would to a production webhook.
The published files are small DuckDB files whose marts tables are created from the dbt
models' own yml (column names and types), so a renamed mart column breaks these tests.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import apprise
import duckdb
import pytest
import yaml

from flows.alerts import (
    Alert,
    SendReport,
    _label,
    compose,
    market_alerts,
    previous_rings,
    run_alerts,
    send_alerts,
)
from tests.fixtures.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
MARTS_YML = {
    "fct_price_changes": ROOT / "dbt/models/marts/market/_market__models.yml",
    "dim_competitors": ROOT / "dbt/models/marts/market/_market__models.yml",
    "fct_tech_radar": ROOT / "dbt/models/marts/adoption/_adoption__models.yml",
}

OBSERVED = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
EARLIER = OBSERVED - timedelta(days=7)


# --- small published files with the marts' real columns ----------------------------------


def create_mart(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    models = yaml.safe_load(MARTS_YML[name].read_text())["models"]
    (model,) = [m for m in models if m["name"] == name]
    columns = [(c["name"], c["data_type"]) for c in model["columns"]]
    con.execute("create schema if not exists marts")
    con.execute(f"create table marts.{name} ({', '.join(f'{n} {t}' for n, t in columns)})")
    return [n for n, _ in columns]


def insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[dict]):
    for row in rows:
        values = [row.get(column) for column in columns]
        placeholders = ", ".join("?" for _ in columns)
        con.execute(f"insert into marts.{table} values ({placeholders})", values)


def price_change(competitor_id, plan_key, plan_name, kind, old, new, changed_at, **extra):
    old = Decimal(old) if old is not None else None
    new = Decimal(new) if new is not None else None
    row = {
        "price_change_id": f"{competitor_id}:{plan_key}:month:{changed_at:%Y-%m-%dT%H:%M:%SZ}",
        "competitor_id": competitor_id,
        "plan_key": plan_key,
        "plan_name": plan_name,
        "billing_period": "month",
        "change_kind": kind,
        "old_price": old,
        "new_price": new,
        "change_abs": new - old if old is not None and new is not None else None,
        "change_pct": round(float((new - old) / old * 100), 2) if old and new is not None else None,
        "currency": "USD",
        "changed_at": changed_at,
        "week_start": (changed_at - timedelta(days=changed_at.weekday())).date(),
    }
    return row | extra


def radar_row(technology_id, name, ring, reasons):
    return {
        "technology_id": technology_id,
        "name": name,
        "quadrant": "languages",
        "ring": ring,
        "score": 42.0,
        "rank_overall": 3,
        "coverage": 1.0,
        "flag_declining": ring == "hold",
        "flag_stale": False,
        "flag_archived": False,
        "flag_single_signal": False,
        "reasons": reasons,
        "is_new": False,
        "as_of_week": date(2026, 11, 9),
    }


def write_published(path: Path, *, price_changes=(), radar=(), competitors=True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        columns = create_mart(con, "fct_price_changes")
        insert(con, "fct_price_changes", columns, list(price_changes))
        if competitors:
            columns = create_mart(con, "dim_competitors")
            insert(
                con,
                "dim_competitors",
                columns,
                [{"competitor_id": "acme", "name": "Acme Data"}],
            )
        columns = create_mart(con, "fct_tech_radar")
        insert(con, "fct_tech_radar", columns, list(radar))
    return path


@pytest.fixture
def published(tmp_path) -> Path:
    return write_published(
        tmp_path / "published" / "radar.duckdb",
        price_changes=[
            price_change("acme", "team", "Team", "increase", "12.00", "15.00", OBSERVED),
            price_change("acme", "starter", "Starter", "plan_removed", "5.00", None, OBSERVED),
            price_change("globex", "pro", "Pro", "decrease", "40.00", "30.00", OBSERVED),
            # Seen a run earlier: its own run alerted it.
            price_change("acme", "team", "Team", "increase", "10.00", "12.00", EARLIER),
        ],
        radar=[
            radar_row("python", "Python", "adopt", "score in the top 25%"),
            radar_row("perl", "Perl", "hold", "score more than 15% below 12 weeks earlier"),
            radar_row("cobol", "COBOL", "hold", "repository archived"),
            radar_row("fortran", "Fortran", "hold", "first scored this week"),
        ],
    )


# --- run alerts --------------------------------------------------------------------------


def summary(**overrides) -> dict:
    base = {
        "run_id": "20261116T060000Z-abc123",
        "catalog": "demo",
        "observed_at": OBSERVED.isoformat(),
        "status": "succeeded",
        "checks_passed": 40,
        "checks_failed": 0,
        "error": None,
    }
    return base | overrides


def source_run(source_id, kind, status, error=None, items=0) -> dict:
    return {
        "run_id": "20261116T060000Z-abc123",
        "source_id": source_id,
        "source_kind": kind,
        "status": status,
        "error": error,
        "items": items,
    }


def test_a_failed_quality_gate_is_its_own_kind_and_names_the_checks():
    alerts = run_alerts(
        summary(
            status="failed",
            checks_failed=2,
            error="2 quality check(s) failed: fct_plan_prices.price between 0 and 100000",
        ),
        [source_run("acme-pricing", "pricing", "ok", items=4)],
    )
    assert alerts == [
        Alert(
            kind="quality_gate_failed",
            title="Run 20261116T060000Z-abc123 (demo) stopped by the quality gate",
            body="2 check(s) failed, nothing published: 2 quality check(s) failed: "
            "fct_plan_prices.price between 0 and 100000",
            subject="20261116T060000Z-abc123",
        )
    ]


def test_a_failed_run_without_failed_checks_is_run_failed():
    alerts = run_alerts(summary(status="failed", error="dbt build failed: stg_pricing"), [])
    assert [(a.kind, a.title, a.body) for a in alerts] == [
        (
            "run_failed",
            "Run 20261116T060000Z-abc123 (demo) failed",
            "nothing published: dbt build failed: stg_pricing",
        )
    ]


def test_each_degraded_source_gives_one_alert_and_a_clean_run_none():
    rows = [
        source_run("acme-pricing", "pricing", "ok", items=4),
        source_run("globex-pricing", "pricing", "failed", "HTTP 503 after 3 retries", 0),
        source_run("pandas-wiki", "wikipedia_pageviews", "partial", "some pages failed", 28),
    ]
    alerts = run_alerts(summary(status="partial"), rows)
    assert [(a.kind, a.title, a.body, a.subject) for a in alerts] == [
        (
            "source_degraded",
            "globex-pricing (pricing) failed",
            "HTTP 503 after 3 retries (0 item(s) landed)",
            "globex-pricing",
        ),
        (
            "source_degraded",
            "pandas-wiki (wikipedia_pageviews) partial",
            "some pages failed (28 item(s) landed)",
            "pandas-wiki",
        ),
    ]
    assert run_alerts(summary(), [rows[0]]) == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown alert kind 'price_drop'"):
        Alert(kind="price_drop", title="t", body="b")


# --- market alerts -----------------------------------------------------------------------


def test_previous_rings_reads_the_published_radar(published, tmp_path):
    assert previous_rings(published) == {
        "python": "adopt",
        "perl": "hold",
        "cobol": "hold",
        "fortran": "hold",
    }
    assert previous_rings(tmp_path / "nothing" / "radar.duckdb") == {}


def test_market_alerts_price_changes_of_this_run_and_moves_to_hold(published):
    before = {"python": "adopt", "perl": "trial", "cobol": "hold"}  # fortran is new
    # The same instant in another zone: equality is on the instant, not the wall clock.
    observed = OBSERVED.astimezone(timezone(timedelta(hours=1)))
    alerts = market_alerts(published, observed, before)
    assert [(a.kind, a.title, a.body, a.subject) for a in alerts] == [
        (
            "price_change",
            "Acme Data: plan Starter removed (was 5.00 USD)",
            "plan removed; billed monthly; first seen 2026-11-16 06:00 UTC",
            "acme:starter:month",
        ),
        (
            "price_change",
            "Acme Data: Team 12.00 → 15.00 USD",
            "increase +25.00%; billed monthly; first seen 2026-11-16 06:00 UTC",
            "acme:team:month",
        ),
        (
            # Not in dim_competitors: named by its id rather than dropped.
            "price_change",
            "globex: Pro 40.00 → 30.00 USD",
            "decrease -25.00%; billed monthly; first seen 2026-11-16 06:00 UTC",
            "globex:pro:month",
        ),
        (
            "moved_to_hold",
            "Perl moved from trial to hold",
            "score more than 15% below 12 weeks earlier",
            "perl",
        ),
    ]


def test_market_alerts_of_an_older_run_and_without_a_publication(published, tmp_path):
    alerts = market_alerts(published, EARLIER, {})
    assert [a.title for a in alerts] == ["Acme Data: Team 10.00 → 12.00 USD"]
    assert market_alerts(tmp_path / "none.duckdb", OBSERVED, {"perl": "trial"}) == []


def test_other_change_kinds_read_in_words(tmp_path):
    path = write_published(
        tmp_path / "p.duckdb",
        price_changes=[
            price_change("acme", "scale", "Scale", "plan_added", None, "99.00", OBSERVED),
            price_change("acme", "ent", "Enterprise", "became_custom", "500.00", None, OBSERVED),
            price_change("acme", "pro", "Pro", "price_published", None, "49.00", OBSERVED),
        ],
        competitors=False,
    )
    assert [a.title for a in market_alerts(path, OBSERVED, {})] == [
        "acme: Enterprise 500.00 USD → no public price",
        "acme: Pro no public price → 49.00 USD",
        "acme: new plan Scale at 99.00 USD",
    ]


# --- sending -----------------------------------------------------------------------------


def test_compose_groups_by_kind_in_severity_order():
    alerts = [
        Alert("price_change", "Acme Data: Team 12.00 → 15.00 USD", "increase +25.00%"),
        Alert("source_degraded", "globex-pricing (pricing) failed", "HTTP 503\nafter retries"),
        Alert("price_change", "globex: Pro 40.00 → 30.00 USD", "decrease -25.00%"),
    ]
    assert compose(alerts) == [
        (
            "source_degraded",
            "Market Radar: 1 degraded source",
            "- globex-pricing (pricing) failed: HTTP 503\n  after retries",
        ),
        (
            "price_change",
            "Market Radar: 2 price changes",
            "- Acme Data: Team 12.00 → 15.00 USD: increase +25.00%\n"
            "- globex: Pro 40.00 → 30.00 USD: decrease -25.00%",
        ),
    ]


def test_alerts_reach_a_json_and_a_form_webhook(receiver, published):
    alerts = run_alerts(
        summary(status="partial"),
        [source_run("globex-pricing", "pricing", "failed", "HTTP 503 after 3 retries")],
    ) + market_alerts(published, OBSERVED, {"perl": "trial"})
    report = send_alerts(
        alerts,
        [
            f"json://127.0.0.1:{receiver.port}/hook",
            f"form://127.0.0.1:{receiver.port}/form",
        ],
    )
    assert report == SendReport(messages=3, sent=6, failures=())

    hook = receiver.on("/hook")
    assert [(p["body"]["title"], p["body"]["type"]) for p in hook] == [
        ("Market Radar: 1 degraded source", "warning"),
        ("Market Radar: 3 price changes", "info"),
        ("Market Radar: 1 technology moved to hold", "info"),
    ]
    assert hook[0]["headers"]["Content-Type"] == "application/json"
    assert hook[0]["body"]["message"] == (
        "- globex-pricing (pricing) failed: HTTP 503 after 3 retries (0 item(s) landed)"
    )
    assert hook[1]["body"]["message"].splitlines() == [
        "- Acme Data: plan Starter removed (was 5.00 USD): "
        "plan removed; billed monthly; first seen 2026-11-16 06:00 UTC",
        "- Acme Data: Team 12.00 → 15.00 USD: "
        "increase +25.00%; billed monthly; first seen 2026-11-16 06:00 UTC",
        "- globex: Pro 40.00 → 30.00 USD: "
        "decrease -25.00%; billed monthly; first seen 2026-11-16 06:00 UTC",
    ]
    assert hook[2]["body"]["message"] == (
        "- Perl moved from trial to hold: score more than 15% below 12 weeks earlier"
    )

    form = receiver.on("/form")
    assert [p["body"]["title"] for p in form] == [p["body"]["title"] for p in hook]
    assert "Team 12.00 → 15.00 USD" in form[1]["body"]["message"]
    assert form[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_failed_run_is_sent_as_a_failure(receiver):
    alerts = run_alerts(summary(status="failed", error="dbt build failed: stg_pricing"), [])
    report = send_alerts(alerts, [f"json://127.0.0.1:{receiver.port}/hook"])
    assert report == SendReport(messages=1, sent=1)
    (post,) = receiver.on("/hook")
    assert post["body"]["title"] == "Market Radar: 1 failed run"
    assert post["body"]["type"] == "failure"
    assert post["body"]["message"] == (
        "- Run 20261116T060000Z-abc123 (demo) failed: nothing published: "
        "dbt build failed: stg_pricing"
    )


def test_failing_urls_are_reported_without_their_secrets(receiver, caplog):
    caplog.set_level(logging.DEBUG)
    dead = free_port()
    urls = [
        # answers 500; a token in the query string is what urllib3 logs at DEBUG
        f"json://user:s3cr3t-token@127.0.0.1:{receiver.port}/fail?-token=s3cr3t-token",
        f"json://user:s3cr3t-token@127.0.0.1:{dead}/hook",  # nothing listens
        "nosuchscheme://s3cr3t-token/",  # Apprise cannot load it
        f"json://127.0.0.1:{receiver.port}/hook",  # works: one bad URL spoils nothing
    ]
    alerts = [Alert("price_change", "Acme Data: Team 12.00 → 15.00 USD", "increase +25.00%")]

    report = send_alerts(alerts, urls)

    assert report == SendReport(
        messages=1,
        sent=1,
        failures=(
            "nosuchscheme://: not a usable Apprise URL",
            "json://127.0.0.1: 'Market Radar: 1 price change' not delivered",
            "json://127.0.0.1: 'Market Radar: 1 price change' not delivered",
        ),
    )
    assert not report.ok
    # The 500 really was a delivery attempt, with the credentials sent as they should be.
    (failed,) = receiver.on("/fail")
    assert failed["path"] == "/fail?token=s3cr3t-token"
    assert failed["headers"]["Authorization"].startswith("Basic ")
    assert [p["body"]["title"] for p in receiver.on("/hook")] == ["Market Radar: 1 price change"]
    assert "s3cr3t-token" not in repr(report)
    assert "s3cr3t-token" not in caplog.text
    (summary_line,) = [r.getMessage() for r in caplog.records if r.name == "flows.alerts"]
    assert summary_line.startswith(
        "alerts: 1 message(s) to 4 URL(s): 1 of 3 deliveries sent; failed: nosuchscheme://"
    )
    # Outside a send, other code's urllib3 debugging is left alone.
    record = logging.LogRecord("urllib3.connectionpool", logging.DEBUG, "x", 1, "GET /", (), None)
    assert logging.getLogger("urllib3.connectionpool").filter(record)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("json://user:pw@hooks.example.com:8443/x?-token=t", "json://hooks.example.com"),
        # In these services the "host" is a token: Apprise's privacy URL masks it.
        ("tgram://123456789:AABBCCDDEEFF/12345", "tgram://1...f"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/", "slack://t...2"),
        ("not a url at all", "?://"),
    ],
)
def test_a_url_is_labelled_by_scheme_and_host_only(url, label):
    service = apprise.Apprise.instantiate(url)
    assert _label(url, service) == label


def test_nothing_is_sent_without_urls_or_alerts(receiver, caplog):
    caplog.set_level(logging.INFO, logger="flows.alerts")
    alerts = [Alert("run_failed", "Run r1 (demo) failed", "boom")]
    assert send_alerts(alerts, []) == SendReport(messages=1, sent=0)
    assert send_alerts([], [f"json://127.0.0.1:{receiver.port}/hook"]) == SendReport()
    assert receiver.posts == []
    assert caplog.messages == ["alerts: 1 message(s) not sent: no notification URLs"]
