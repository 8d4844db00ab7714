"""A small published file with exactly the contracts' tables (issues 2 and 3), and known rows.

The competitor story, weeks starting Mondays 2026-11-02 … 2026-11-23 (crawls at 06:00 UTC):
- Northwind: Team (month) 12.00 → 15.00 USD on 11-16; Team (year) 144.00 USD per seat;
  an Engineering hiring surge on 11-23 (postings mentioning DuckDB and Polars), a Sales posting
  closed on 11-16; GitHub releases 3.2.0, 3.3.0, 3.4.0 a week apart; its About page reworded
  on 11-23. The liveliest competitor of the latest week.
- Contoso: a plan priced per 100k events; a feed release 1.8.0 and 1.9.0; a careers page
  reworded on 11-16; one posting without a department.
- Fabrikam: GBP plans; Studio added and Legacy removed on 11-23; a plan whose billing period
  the page did not say; a GitHub pre-release; its only posting closed on 11-23.

The technology story (issue 4), scores for the weeks of 2026-11-02 … 2026-11-23, radar as of
2026-11-23, seven technologies in four quadrants:
- DuckDB (Databases, benchmark): the riser, adopt, rank 1; moved in from trial the week before.
- PostgreSQL (Databases, benchmark): the steady leader, adopt, rank 2.
- Polars (Data processing, benchmark): trial, rank 3; its Wikipedia article answers 404, so that
  signal is a NULL row with a reason (never a 0); npm is not tracked.
- Rust (Languages & platforms): assess, rank 4.
- Luigi (Orchestration & quality): hold, declining and stale; moved out from assess.
- Apache Pig (Data processing): hold, archived repository.
- Soda Core (Orchestration & quality): assess, only a Stack Overflow signal, new on the radar.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures import ops_ledger
from tests.fixtures.demo_build import browser_required, build_demo

APP_MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"

# The published schema as the contract states it (marts enforced by dbt contracts); the run
# ledger (ops.*) is in tests/fixtures/ops_ledger.py.
SCHEMA = """
create schema marts;
create table marts.dim_competitors (
    competitor_id varchar primary key, name varchar, website varchar, segment varchar,
    hq_country varchar, description varchar
);
create table marts.dim_technologies (
    technology_id varchar primary key, name varchar, category varchar, aliases varchar[],
    homepage varchar, pypi_package varchar{extra_columns}
);
create table marts.fct_plan_prices (
    plan_price_id varchar primary key, competitor_id varchar, plan_key varchar,
    plan_name varchar, billing_period varchar, unit varchar, price decimal(18, 2),
    currency varchar, is_custom boolean, availability varchar, sku varchar,
    features varchar[], method varchar, url varchar, valid_from timestamptz,
    valid_to timestamptz, is_current boolean, observations integer
);
create table marts.dim_exchange_rates (
    currency varchar primary key, rate_per_eur double, rate_date date
);
insert into marts.dim_exchange_rates values
    ('EUR', 1.0, '2024-12-31'), ('USD', 1.0389, '2024-12-31'), ('GBP', 0.82918, '2024-12-31');
create table marts.fct_package_downloads_daily (
    package_download_id varchar primary key, technology_id varchar, package varchar,
    download_date date, downloads bigint, observed_at timestamptz, run_id varchar
);
"""

# The marts of issue 3 (contract3.md), absent from publications made before it.
COMPETITOR_MARTS_SCHEMA = """
create table marts.fct_price_changes (
    price_change_id varchar primary key, competitor_id varchar, plan_key varchar,
    plan_name varchar, billing_period varchar, change_kind varchar, old_price decimal(18, 2),
    new_price decimal(18, 2), change_abs decimal(18, 2), change_pct double, currency varchar,
    changed_at timestamptz, week_start date
);
create table marts.fct_job_postings (
    job_posting_id varchar primary key, competitor_id varchar, source varchar, job_id varchar,
    title varchar, department varchar, location varchar, workplace_type varchar,
    employment_type varchar, salary_min decimal(18, 2), salary_max decimal(18, 2),
    salary_currency varchar, salary_period varchar, posted_at timestamptz,
    first_seen_at timestamptz, opened_at timestamptz, last_seen_at timestamptz,
    closed_at timestamptz, is_open boolean, days_open integer, url varchar, description varchar
);
create table marts.fct_hiring_weekly (
    hiring_week_id varchar primary key, competitor_id varchar, week_start date,
    department varchar, open_postings integer, opened integer, closed integer
);
create table marts.fct_job_tech_mentions (
    job_tech_mention_id varchar primary key, competitor_id varchar, technology_id varchar,
    week_start date, open_postings integer, new_postings integer
);
create table marts.fct_releases (
    release_key varchar primary key, competitor_id varchar, source varchar, title varchar,
    version varchar, tag varchar, published_at timestamptz, week_start date, url varchar,
    prerelease boolean, days_since_previous integer
);
create table marts.fct_page_changes (
    page_change_id varchar primary key, competitor_id varchar, source_id varchar, url varchar,
    title varchar, changed_at timestamptz, week_start date, previous_fingerprint varchar,
    fingerprint varchar, previous_text varchar, text varchar, chars_before integer,
    chars_after integer
);
create table marts.fct_competitor_activity_weekly (
    activity_week_id varchar primary key, competitor_id varchar, week_start date,
    price_changes integer, plans_added integer, plans_removed integer, postings_opened integer,
    postings_closed integer, releases integer, page_changes integer, total_changes integer
);
"""

# The marts of issue 4 (contract4.md), absent from publications made before it.
TECH_MARTS_SCHEMA = """
create table marts.fct_tech_signals_daily (
    tech_signal_id varchar primary key, technology_id varchar, signal varchar,
    signal_date date, value double, unavailable_reason varchar, source_id varchar,
    observed_at timestamptz
);
create table marts.fct_tech_adoption_weekly (
    adoption_week_id varchar primary key, technology_id varchar, week_start date,
    github_stars double, github_forks double, pypi_downloads double, npm_downloads double,
    stackoverflow_questions double, hn_stories double, wikipedia_pageviews double,
    github_stars_index double, github_forks_index double, pypi_downloads_index double,
    npm_downloads_index double, stackoverflow_questions_index double, hn_stories_index double,
    wikipedia_pageviews_index double, signals_present integer, coverage double, score double,
    rank_overall integer, rank_in_quadrant integer, momentum_4w double, momentum_12w double
);
create table marts.fct_tech_radar (
    technology_id varchar primary key, name varchar, quadrant varchar, ring varchar,
    score double, rank_overall integer, momentum_4w double, momentum_12w double,
    coverage double, is_archived boolean, last_release_at timestamptz, flag_declining boolean,
    flag_stale boolean, flag_archived boolean, flag_single_signal boolean, reasons varchar,
    is_new boolean, as_of_week date, previous_ring varchar, movement varchar
);
"""

SIGNALS = [
    "github_stars", "github_forks", "pypi_downloads", "npm_downloads",
    "stackoverflow_questions", "hn_stories", "wikipedia_pageviews",
]  # fmt: skip
SIGNAL_WEIGHTS = {
    "github_stars": 1.0, "github_forks": 0.0, "pypi_downloads": 1.0, "npm_downloads": 1.0,
    "stackoverflow_questions": 1.0, "hn_stories": 0.5, "wikipedia_pageviews": 0.5,
}  # fmt: skip

WEEKS = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]

# The About page before and after its rewording: "<n>" is the pipeline's counter placeholder,
# which the diff must show as text, not as markup.
ABOUT_BEFORE = (
    "Northwind helps small teams build dashboards.\n"
    "Trusted by <n> customers worldwide.\n"
    "Founded in <year>."
)
ABOUT_AFTER = (
    "Northwind helps growing teams build dashboards and alerts.\n"
    "Trusted by <n> customers worldwide.\n"
    "Founded in <year>."
)

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


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert dicts by column name (columns left out are null)."""
    columns = list(rows[0])
    con.executemany(
        f"insert into {table} by name select {', '.join('? as ' + c for c in columns)}",
        [[row[c] for c in columns] for row in rows],
    )


def crawl(day: str) -> str:
    return f"{day} 06:00:00+00"


def competitor_rows() -> dict[str, list[dict]]:
    """Rows of the issue 3 marts, consistent with the plans of build_published."""
    price_changes = [
        {
            "price_change_id": "northwind:team:month:2026-11-16",
            "competitor_id": "northwind", "plan_key": "team", "plan_name": "Team",
            "billing_period": "month", "change_kind": "increase", "old_price": "12.00",
            "new_price": "15.00", "change_abs": "3.00", "change_pct": 25.0, "currency": "USD",
            "changed_at": crawl("2026-11-16"), "week_start": "2026-11-16",
        },
        {
            "price_change_id": "fabrikam:studio:month:2026-11-23",
            "competitor_id": "fabrikam", "plan_key": "studio", "plan_name": "Studio",
            "billing_period": "month", "change_kind": "plan_added", "old_price": None,
            "new_price": "30.00", "change_abs": None, "change_pct": None, "currency": "GBP",
            "changed_at": crawl("2026-11-23"), "week_start": "2026-11-23",
        },
        {
            "price_change_id": "fabrikam:legacy:month:2026-11-23",
            "competitor_id": "fabrikam", "plan_key": "legacy", "plan_name": "Legacy",
            "billing_period": "month", "change_kind": "plan_removed", "old_price": "10.00",
            "new_price": None, "change_abs": None, "change_pct": None, "currency": "GBP",
            "changed_at": crawl("2026-11-23"), "week_start": "2026-11-23",
        },
    ]  # fmt: skip

    def posting(competitor_id, source, job_id, title, department, first_seen, closed=None,
                description=""):  # fmt: skip
        last_seen = closed_last_seen = None
        if closed:
            # Last seen at the crawl before the one that missed it.
            closed_last_seen = WEEKS[WEEKS.index(closed) - 1]
        last_seen = closed_last_seen or WEEKS[-1]
        return {
            "job_posting_id": f"{competitor_id}:{source}:{job_id}",
            "competitor_id": competitor_id, "source": source, "job_id": job_id,
            "title": title, "department": department, "location": "Remote, EU",
            "workplace_type": "remote", "employment_type": "full-time",
            "posted_at": None, "first_seen_at": crawl(first_seen),
            # the boards were crawled before the story begins: every posting here opened
            "opened_at": crawl(first_seen), "last_seen_at": crawl(last_seen),
            "closed_at": crawl(closed) if closed else None, "is_open": closed is None,
            "days_open": (date.fromisoformat(closed or WEEKS[-1])
                          - date.fromisoformat(first_seen)).days,
            "url": f"https://{competitor_id}.example/jobs/{job_id}", "description": description,
        }  # fmt: skip

    postings = [
        posting("northwind", "greenhouse", "101", "Senior Data Engineer", "Engineering",
                "2026-11-02", description="Build pipelines on DuckDB."),
        posting("northwind", "greenhouse", "104", "Account Executive", "Sales", "2026-11-02",
                closed="2026-11-16"),
        posting("northwind", "greenhouse", "105", "Sales Development Rep", "Sales",
                "2026-11-09"),
        posting("northwind", "greenhouse", "102", "Backend Engineer", "Engineering",
                "2026-11-23", description="Dataframes in Polars."),
        posting("northwind", "greenhouse", "103", "Platform Engineer", "Engineering",
                "2026-11-23", description="Operate DuckDB at scale."),
        posting("contoso", "lever", "a1", "Data Analyst", None, "2026-11-09"),
        posting("fabrikam", "jobposting", "https://fabrikam.example/careers/designer",
                "Product Designer", "Design", "2026-11-02", closed="2026-11-23"),
    ]  # fmt: skip

    hiring = [
        # competitor, week, department, open, opened, closed
        ("northwind", "2026-11-02", "Engineering", 1, 1, 0),
        ("northwind", "2026-11-09", "Engineering", 1, 0, 0),
        ("northwind", "2026-11-16", "Engineering", 1, 0, 0),
        ("northwind", "2026-11-23", "Engineering", 3, 2, 0),
        ("northwind", "2026-11-02", "Sales", 1, 1, 0),
        ("northwind", "2026-11-09", "Sales", 2, 1, 0),
        ("northwind", "2026-11-16", "Sales", 1, 0, 1),
        ("northwind", "2026-11-23", "Sales", 1, 0, 0),
        ("contoso", "2026-11-09", "Unassigned", 1, 1, 0),
        ("contoso", "2026-11-16", "Unassigned", 1, 0, 0),
        ("contoso", "2026-11-23", "Unassigned", 1, 0, 0),
        ("fabrikam", "2026-11-02", "Design", 1, 1, 0),
        ("fabrikam", "2026-11-09", "Design", 1, 0, 0),
        ("fabrikam", "2026-11-16", "Design", 1, 0, 0),
        ("fabrikam", "2026-11-23", "Design", 0, 0, 1),
    ]
    mentions = [
        # competitor, technology, week, open, new
        ("northwind", "duckdb", "2026-11-02", 1, 1),
        ("northwind", "duckdb", "2026-11-09", 1, 0),
        ("northwind", "duckdb", "2026-11-16", 1, 0),
        ("northwind", "duckdb", "2026-11-23", 2, 1),
        ("northwind", "polars", "2026-11-23", 1, 1),
    ]

    def release(competitor_id, source, version, published_at, days, *, prerelease=False,
                title=None):  # fmt: skip
        published = date.fromisoformat(published_at[:10])
        return {
            "release_key": f"{competitor_id}:{source}:{version}",
            "competitor_id": competitor_id, "source": source,
            "title": title or f"{competitor_id.title()} {version}", "version": version,
            "tag": f"v{version}" if source == "github_releases" else None,
            "published_at": published_at,
            "week_start": str(published - timedelta(days=published.weekday())),
            "url": f"https://{competitor_id}.example/releases/{version}",
            "prerelease": prerelease if source == "github_releases" else None,
            "days_since_previous": days,
        }  # fmt: skip

    releases = [
        release("northwind", "github_releases", "3.2.0", "2026-11-09 02:00:00+00", None),
        release("northwind", "github_releases", "3.3.0", "2026-11-16 02:00:00+00", 7),
        release("northwind", "github_releases", "3.4.0", "2026-11-23 02:00:00+00", 7,
                title="Northwind 3.4.0: alerts"),
        release("contoso", "feed", "1.8.0", "2026-11-10 09:00:00+00", None),
        release("contoso", "feed", "1.9.0", "2026-11-17 09:00:00+00", 7),
        release("fabrikam", "github_releases", "1.0.0-rc.1", "2026-11-18 12:00:00+00", None,
                prerelease=True),
    ]  # fmt: skip

    page_changes = [
        {
            "page_change_id": "northwind-about:2026-11-23", "competitor_id": "northwind",
            "source_id": "northwind-about", "url": "https://northwind.example/about",
            "title": "About Northwind", "changed_at": crawl("2026-11-23"),
            "week_start": "2026-11-23", "previous_fingerprint": "a" * 64,
            "fingerprint": "b" * 64, "previous_text": ABOUT_BEFORE, "text": ABOUT_AFTER,
            "chars_before": len(ABOUT_BEFORE), "chars_after": len(ABOUT_AFTER),
        },
        {
            "page_change_id": "contoso-careers:2026-11-16", "competitor_id": "contoso",
            "source_id": "contoso-careers", "url": "https://contoso.example/careers",
            "title": "Careers at Contoso", "changed_at": crawl("2026-11-16"),
            "week_start": "2026-11-16", "previous_fingerprint": "c" * 64,
            "fingerprint": "d" * 64, "previous_text": "We are hiring engineers.",
            "text": "We are hiring engineers and analysts.",
            "chars_before": 24, "chars_after": 37,
        },
    ]  # fmt: skip

    activity = [
        # competitor, week, price_changes, added, removed, opened, closed, releases, pages
        ("northwind", "2026-11-02", 0, 0, 0, 2, 0, 0, 0),
        ("northwind", "2026-11-09", 0, 0, 0, 1, 0, 1, 0),
        ("northwind", "2026-11-16", 1, 0, 0, 0, 1, 1, 0),
        ("northwind", "2026-11-23", 0, 0, 0, 2, 0, 1, 1),
        ("contoso", "2026-11-02", 0, 0, 0, 0, 0, 0, 0),
        ("contoso", "2026-11-09", 0, 0, 0, 1, 0, 1, 0),
        ("contoso", "2026-11-16", 0, 0, 0, 0, 0, 1, 1),
        ("contoso", "2026-11-23", 0, 0, 0, 0, 0, 0, 0),
        ("fabrikam", "2026-11-02", 0, 0, 0, 1, 0, 0, 0),
        ("fabrikam", "2026-11-09", 0, 0, 0, 0, 0, 0, 0),
        ("fabrikam", "2026-11-16", 0, 0, 0, 0, 0, 1, 0),
        ("fabrikam", "2026-11-23", 0, 1, 1, 0, 1, 0, 0),
    ]
    activity_columns = [
        "price_changes", "plans_added", "plans_removed", "postings_opened", "postings_closed",
        "releases", "page_changes",
    ]  # fmt: skip
    return {
        "marts.fct_price_changes": price_changes,
        "marts.fct_job_postings": postings,
        "marts.fct_hiring_weekly": [
            {
                "hiring_week_id": f"{c}:{w}:{d}",
                "competitor_id": c,
                "week_start": w,
                "department": d,
                "open_postings": o,
                "opened": new,
                "closed": gone,
            }
            for c, w, d, o, new, gone in hiring
        ],
        "marts.fct_job_tech_mentions": [
            {
                "job_tech_mention_id": f"{c}:{t}:{w}",
                "competitor_id": c,
                "technology_id": t,
                "week_start": w,
                "open_postings": o,
                "new_postings": new,
            }
            for c, t, w, o, new in mentions
        ],
        "marts.fct_releases": releases,
        "marts.fct_page_changes": page_changes,
        "marts.fct_competitor_activity_weekly": [
            {
                "activity_week_id": f"{c}:{w}",
                "competitor_id": c,
                "week_start": w,
                **dict(zip(activity_columns, counts, strict=True)),
                "total_changes": sum(counts),
            }
            for c, w, *counts in activity
        ],
    }


@dataclass(frozen=True)
class Tech:
    technology_id: str
    name: str
    quadrant: str
    benchmark: bool
    pypi_package: str | None
    scores: tuple[float, float, float, float]  # the weeks of WEEKS
    ring: str
    momentum: tuple[float, float]  # 4 and 12 weeks, as of the latest week
    signals: tuple[str, ...]  # signals with values
    last_release_at: str | None
    flags: tuple[str, ...] = ()
    reasons: str = ""
    is_new: bool = False
    previous_ring: str | None = None  # the ring in the week before; None: not scored then

    @property
    def movement(self) -> str:
        if self.previous_ring is None:
            return "new"
        if self.previous_ring == self.ring:
            return "no change"
        order = ["adopt", "trial", "assess", "hold"]
        inward = order.index(self.ring) < order.index(self.previous_ring)
        return "moved in" if inward else "moved out"


TECHNOLOGIES = [
    Tech("duckdb", "DuckDB", "Databases", True, "duckdb", (120, 128, 135, 140), "adopt",
         (0.08, 0.25),
         ("github_stars", "github_forks", "pypi_downloads", "stackoverflow_questions",
          "hn_stories", "wikipedia_pageviews"),
         "2026-11-12 10:00:00+00",
         reasons="top third overall (rank 1 of 7); momentum 12w +25%; 5 signals",
         previous_ring="trial"),
    Tech("postgres", "PostgreSQL", "Databases", True, None, (119, 120, 121, 120), "adopt",
         (0.0, 0.01),
         ("github_stars", "github_forks", "stackoverflow_questions", "wikipedia_pageviews"),
         "2026-11-13 09:00:00+00",
         reasons="top third overall (rank 2 of 7); momentum 12w +1%; 4 signals",
         previous_ring="adopt"),
    Tech("polars", "Polars", "Data processing", True, "polars", (80, 86, 90, 95), "trial",
         (0.1, 0.4),
         ("github_stars", "github_forks", "pypi_downloads", "stackoverflow_questions",
          "hn_stories"),
         "2026-11-20 08:00:00+00", reasons="momentum 12w +40% (at least +15%)",
         previous_ring="trial"),
    Tech("rust", "Rust", "Languages & platforms", False, None, (70, 71, 72, 73), "assess",
         (0.03, 0.05), ("github_stars", "stackoverflow_questions", "hn_stories"),
         "2026-11-06 12:00:00+00", reasons="no adopt, trial or hold rule applies",
         previous_ring="assess"),
    Tech("luigi", "Luigi", "Orchestration & quality", False, None, (40, 38, 36, 33), "hold",
         (-0.08, -0.3), ("github_stars", "stackoverflow_questions", "hn_stories"),
         "2025-06-30 12:00:00+00", flags=("declining", "stale"),
         reasons="declining: momentum 12w -30% and 4w -8%; "
         "stale: no release since 2025-06-30 (over 365 days)", previous_ring="assess"),
    Tech("pig", "Apache Pig", "Data processing", False, None, (20, 19, 19, 18), "hold",
         (-0.05, -0.1), ("github_stars", "stackoverflow_questions"), "2026-02-01 12:00:00+00",
         flags=("archived",), reasons="repository archived", previous_ring="hold"),
    Tech("soda", "Soda Core", "Orchestration & quality", False, None, (10, 10, 11, 11),
         "assess", (0.0, 0.1), ("stackoverflow_questions",), None, flags=("single_signal",),
         reasons="no adopt, trial or hold rule applies; single signal: stackoverflow_questions",
         is_new=True),
]  # fmt: skip

# The one failing source of the story: Polars' Wikipedia article (an unavailable signal).
POLARS_WIKIPEDIA_REASON = "HTTP 404 from Wikimedia: article Polars_(software) not found"


def tech_rows() -> dict[str, list[dict]]:
    """Rows of the issue 4 marts (values per technology scale with its latest score)."""
    signals, weekly, radar = [], [], []
    for tech in TECHNOLOGIES:
        latest = tech.scores[-1]

        def signal(name, day, value, reason=None, tech=tech):
            signals.append({
                "tech_signal_id": f"{tech.technology_id}:{name}:{day}",
                "technology_id": tech.technology_id, "signal": name,
                "signal_date": str(day), "value": value, "unavailable_reason": reason,
                "source_id": f"{tech.technology_id}-{name.split('_')[0]}",
                "observed_at": crawl(WEEKS[-1]),
            })  # fmt: skip

        for name in tech.signals:
            if name in ("pypi_downloads", "wikipedia_pageviews"):  # daily series
                previous, last = (
                    DOWNLOADS[tech.technology_id]
                    if name == "pypi_downloads"
                    else (latest * 10, latest * 11)
                )
                for days_back in range(14):
                    day = LAST_DAY - timedelta(days=days_back)
                    signal(name, day, float(last if days_back < 7 else previous))
            elif name == "hn_stories":  # weekly, dated week_start
                for week, score in zip(WEEKS, tech.scores, strict=True):
                    signal(name, week, float(score // 10))
            else:  # point in time: one value per run
                for week, score in zip(WEEKS, tech.scores, strict=True):
                    signal(name, week, float(score * 100))
        if tech.technology_id == "polars":
            signal("wikipedia_pageviews", WEEKS[-1], None, POLARS_WIKIPEDIA_REASON)

        present = [s for s in SIGNALS if s in tech.signals and SIGNAL_WEIGHTS[s] > 0]
        coverage = sum(SIGNAL_WEIGHTS[s] for s in present) / sum(SIGNAL_WEIGHTS.values())
        rank = TECHNOLOGIES.index(tech) + 1
        in_quadrant = [t for t in TECHNOLOGIES if t.quadrant == tech.quadrant].index(tech) + 1
        for week, score in zip(WEEKS, tech.scores, strict=True):
            weekly.append({
                "adoption_week_id": f"{tech.technology_id}:{week}",
                "technology_id": tech.technology_id, "week_start": week,
                **{s: float(score) if s in tech.signals else None for s in SIGNALS},
                **{f"{s}_index": float(score) if s in present else None for s in SIGNALS},
                "signals_present": len(present), "coverage": coverage, "score": float(score),
                "rank_overall": rank, "rank_in_quadrant": in_quadrant,
                "momentum_4w": tech.momentum[0], "momentum_12w": tech.momentum[1],
            })  # fmt: skip
        radar.append({
            "technology_id": tech.technology_id, "name": tech.name, "quadrant": tech.quadrant,
            "ring": tech.ring, "score": float(latest), "rank_overall": rank,
            "momentum_4w": tech.momentum[0], "momentum_12w": tech.momentum[1],
            "coverage": coverage, "is_archived": "archived" in tech.flags,
            "last_release_at": tech.last_release_at,
            **{f"flag_{f}": f in tech.flags
               for f in ("declining", "stale", "archived", "single_signal")},
            "reasons": tech.reasons, "is_new": tech.is_new, "as_of_week": WEEKS[-1],
            "previous_ring": tech.previous_ring, "movement": tech.movement,
        })  # fmt: skip
    return {
        "marts.fct_tech_signals_daily": signals,
        "marts.fct_tech_adoption_weekly": weekly,
        "marts.fct_tech_radar": radar,
    }


@dataclass(frozen=True)
class Published:
    path: Path
    team_price: str  # the current monthly price of Northwind's Team plan

    def republish(self, **changes) -> Published:
        """Publish different data over the same path (see build_published for `changes`)."""
        return build_published(self.path, **changes)


def build_published(
    path: Path,
    *,
    team_price: str = "15.00",
    missing_day: date | None = None,
    competitor_marts: str = "full",
    tech_marts: str = "full",
    source_ledger: str = "full",
) -> Published:
    """Write a published file at `path` (written aside, then swapped in like publish does).

    `missing_day`: a day with no Polars downloads row (a failed or blocked fetch).
    `competitor_marts`: "full" (the story above), "empty" (issue 3 marts without rows), or
    "absent" (a publication made before issue 3: no such tables, no mention_pattern).
    `tech_marts`: the same for the marts of issue 4 and dim_technologies.benchmark; a
    publication without the issue 3 marts has none of issue 4 either.
    `source_ledger`: "full" (the run ledger story of tests/fixtures/ops_ledger.py) or "absent"
    (a publication made before issue 5: ops.runs and ops.quality_results only).
    """
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET TimeZone = 'UTC'")
        issue3 = competitor_marts != "absent"
        issue4 = issue3 and tech_marts != "absent"
        extra_columns = (", mention_pattern varchar" if issue3 else "") + (
            ", benchmark boolean" if issue4 else ""
        )
        con.execute(SCHEMA.format(extra_columns=extra_columns))
        if issue3:
            con.execute(COMPETITOR_MARTS_SCHEMA)
        if issue4:
            con.execute(TECH_MARTS_SCHEMA)
        con.executemany(
            "insert into marts.dim_competitors values (?, ?, ?, ?, ?, ?)",
            [
                ("northwind", "Northwind Analytics", "https://northwind.example", "bi", "US", "BI"),
                ("contoso", "Contoso Data", "https://contoso.example", "etl", "DE", "ETL"),
                ("fabrikam", "Fabrikam Studio", "https://fabrikam.example", "design", "GB", "UX"),
            ],
        )  # fmt: skip
        insert_rows(
            con,
            "marts.dim_technologies",
            [
                {
                    "technology_id": t.technology_id, "name": t.name, "category": t.quadrant,
                    "aliases": [], "homepage": f"https://{t.technology_id}.example",
                    "pypi_package": t.pypi_package,
                    **({"benchmark": t.benchmark} if issue4 else {}),
                }
                for t in TECHNOLOGIES
            ],
        )  # fmt: skip
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
                "nw-team-year-1", "northwind", "Team", "144.00", period="year",
                unit="per seat", features=["5 users", "SSO"],
            ),
            plan_price(
                "nw-ent-1", "northwind", "Enterprise", None, period="year", currency=None,
                is_custom=True, features=["Everything"],
            ),
            plan_price(
                "co-starter-1", "contoso", "Starter", "9.00", unit="per user", currency="EUR",
                method="selectors", features=["Pipelines"],
            ),
            plan_price(
                "co-events-1", "contoso", "Events", "49.00", unit="per 100k events",
                currency="EUR", method="selectors", features=["Streaming"],
            ),
            plan_price(
                "fa-basic-1", "fabrikam", "Basic", "20.00", period="unknown",
                unit="per editor", currency="GBP", features=["3 projects"],
            ),
            plan_price(
                "fa-legacy-1", "fabrikam", "Legacy", "10.00", unit="per member",
                currency="GBP", valid_to="2026-11-23 06:00", features=["1 project"],
            ),
            plan_price(
                "fa-studio-1", "fabrikam", "Studio", "30.00", unit="per editor",
                currency="GBP", valid_from="2026-11-23 06:00", features=["Unlimited"],
            ),
        ]  # fmt: skip
        insert_rows(con, "marts.fct_plan_prices", plans)
        if competitor_marts == "full":
            for table, rows in competitor_rows().items():
                insert_rows(con, table, rows)
        if issue4 and tech_marts == "full":
            for table, rows in tech_rows().items():
                insert_rows(con, table, rows)
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
        ops_ledger.write_ledger(con, source_ledger=source_ledger == "full")
    finally:
        con.close()
    tmp.replace(path)
    return Published(path=path, team_price=team_price)


@pytest.fixture(scope="session")
def demo_published(request, tmp_path_factory) -> Path:
    """The published file of a full demo build (one per session), for views over real data.

    RADAR_TEST_DEMO_PUBLISHED names an existing demo publication to reuse instead (a
    developer's shortcut while iterating on views; CI always builds).
    """
    reuse = os.environ.get("RADAR_TEST_DEMO_PUBLISHED")
    if reuse and not browser_required():
        return Path(reuse)
    request.getfixturevalue("prefect_harness")
    return build_demo(tmp_path_factory.mktemp("demo") / "data")


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
