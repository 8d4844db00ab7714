"""The competitor-intelligence marts over the fixture market (tests/fixtures/radar_warehouse.py):
price changes, job postings, hiring, technology mentions, releases, page changes, activity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.fixtures.radar_warehouse import (
    ABOUT_AFTER,
    ABOUT_BEFORE,
    GO_PATTERN,
    R_PATTERN,
    at,
    rows,
)

NOV_9, NOV_16, NOV_23 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)


def by_id(con, table, key):
    return {r[key]: r for r in rows(con, f"select * from marts.{table}")}


def columns(con, table):
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def test_new_marts_have_the_contract_columns_and_types(con):
    v, ts, d, i = "VARCHAR", "TIMESTAMP WITH TIME ZONE", "DATE", "INTEGER"
    money = "DECIMAL(18,2)"
    assert columns(con, "fct_price_changes") == [
        ("price_change_id", v), ("competitor_id", v), ("plan_key", v), ("plan_name", v),
        ("billing_period", v), ("change_kind", v), ("old_price", money), ("new_price", money),
        ("change_abs", money), ("change_pct", "DOUBLE"), ("currency", v), ("changed_at", ts),
        ("week_start", d),
    ]  # fmt: skip
    assert columns(con, "fct_job_postings") == [
        ("job_posting_id", v), ("competitor_id", v), ("source", v), ("job_id", v),
        ("title", v), ("department", v), ("hiring_organization", v), ("location", v),
        ("workplace_type", v), ("employment_type", v), ("salary_min", money), ("salary_max", money),
        ("salary_currency", v), ("salary_period", v), ("posted_at", ts),
        ("first_seen_at", ts), ("opened_at", ts), ("last_seen_at", ts), ("closed_at", ts),
        ("is_open", "BOOLEAN"),
        ("days_open", i), ("url", v), ("description", v),
    ]  # fmt: skip
    assert columns(con, "fct_hiring_weekly") == [
        ("hiring_week_id", v), ("competitor_id", v), ("week_start", d), ("department", v),
        ("open_postings", i), ("opened", i), ("closed", i),
    ]  # fmt: skip
    assert columns(con, "fct_job_tech_mentions") == [
        ("job_tech_mention_id", v), ("competitor_id", v), ("technology_id", v),
        ("week_start", d), ("open_postings", i), ("new_postings", i),
    ]  # fmt: skip
    assert columns(con, "fct_releases") == [
        ("release_key", v), ("competitor_id", v), ("source", v), ("title", v), ("version", v),
        ("tag", v), ("published_at", ts), ("week_start", d), ("url", v),
        ("prerelease", "BOOLEAN"), ("days_since_previous", i),
    ]  # fmt: skip
    assert columns(con, "fct_page_changes") == [
        ("page_change_id", v), ("competitor_id", v), ("source_id", v), ("url", v),
        ("title", v), ("changed_at", ts), ("week_start", d), ("previous_fingerprint", v),
        ("fingerprint", v), ("previous_text", v), ("text", v), ("chars_before", i),
        ("chars_after", i),
    ]  # fmt: skip
    assert columns(con, "fct_competitor_activity_weekly") == [
        ("activity_week_id", v), ("competitor_id", v), ("week_start", d),
        ("price_changes", i), ("plans_added", i), ("plans_removed", i),
        ("postings_opened", i), ("postings_closed", i), ("releases", i),
        ("page_changes", i), ("total_changes", i),
    ]  # fmt: skip


# --- prices -----------------------------------------------------------------------------


def test_price_changes(con):
    changes = by_id(con, "fct_price_changes", "price_change_id")
    assert set(changes) == {
        "acme:pro:month:2026-11-16T06:00:00Z",
        "acme:pro:year:2026-11-16T06:00:00Z",
        "acme:team:month:2026-11-23T06:00:00Z",
    }  # globex's r2 crawl yielded nothing: Basic was neither removed nor re-added

    rise = changes["acme:pro:month:2026-11-16T06:00:00Z"]
    assert (rise["change_kind"], rise["old_price"], rise["new_price"]) == (
        "increase",
        Decimal("12.00"),
        Decimal("15.00"),
    )
    assert (rise["change_abs"], rise["change_pct"]) == (Decimal("3.00"), 25.0)
    assert (rise["currency"], rise["changed_at"], rise["week_start"]) == ("USD", at(16), NOV_16)

    added = changes["acme:pro:year:2026-11-16T06:00:00Z"]
    assert (added["change_kind"], added["old_price"], added["new_price"]) == (
        "plan_added",
        None,
        Decimal("120.00"),
    )
    assert (added["change_abs"], added["change_pct"]) == (None, None)

    removed = changes["acme:team:month:2026-11-23T06:00:00Z"]
    assert (removed["change_kind"], removed["old_price"], removed["new_price"]) == (
        "plan_removed",
        Decimal("30.00"),
        None,
    )
    assert (removed["plan_name"], removed["changed_at"], removed["week_start"]) == (
        "Team",
        at(23),
        NOV_23,
    )


def test_plans_seen_at_the_first_crawl_are_not_added(con):
    kinds = con.execute(
        "select plan_key, change_kind from marts.fct_price_changes "
        "where change_kind = 'plan_added' order by 1"
    ).fetchall()
    assert kinds == [("pro", "plan_added")]  # not enterprise, team or globex basic


# --- job postings -------------------------------------------------------------------------


def test_a_posting_missing_from_a_later_crawl_is_closed_there(con):
    postings = by_id(con, "fct_job_postings", "job_posting_id")
    backend = postings["acme:greenhouse:102"]
    assert (backend["first_seen_at"], backend["last_seen_at"], backend["closed_at"]) == (
        at(9),
        at(16),
        at(23),
    )
    assert backend["is_open"] is False
    # from posted_at 2026-11-02 to closed_at 2026-11-23
    assert backend["days_open"] == 21
    assert (backend["salary_min"], backend["salary_max"]) == (
        Decimal("120000.00"),
        Decimal("150000.00"),
    )
    assert (backend["salary_currency"], backend["salary_period"]) == ("USD", "year")
    assert backend["posted_at"] == datetime(2026, 11, 2, tzinfo=UTC)
    assert (backend["department"], backend["workplace_type"]) == ("Engineering", "hybrid")
    assert backend["url"] == "https://jobs.example/acme-greenhouse/102"

    sre = postings["globex:jobposting:https://globex.example/careers/sre"]
    assert (sre["first_seen_at"], sre["closed_at"], sre["days_open"]) == (at(16), at(23), 7)


def test_a_crawl_that_yielded_nothing_closes_no_posting(con):
    postings = by_id(con, "fct_job_postings", "job_posting_id")
    data_engineer = postings["globex:lever:L-1"]  # lever yielded nothing in r2
    assert (data_engineer["first_seen_at"], data_engineer["last_seen_at"]) == (at(9), at(23))
    assert (data_engineer["closed_at"], data_engineer["is_open"]) == (None, True)
    assert data_engineer["days_open"] == 14


def test_open_postings_and_days_open(con):
    postings = by_id(con, "fct_job_postings", "job_posting_id")
    assert {k for k, r in postings.items() if r["is_open"]} == {
        "acme:greenhouse:101",
        "acme:greenhouse:103",
        "acme:greenhouse:104",
        "globex:lever:L-1",
        "globex:jobposting:https://globex.example/careers/ae",
    }
    platform = postings["acme:greenhouse:103"]
    assert (platform["posted_at"], platform["first_seen_at"], platform["days_open"]) == (
        None,
        at(16),
        7,
    )
    assert platform["employment_type"] == "contract"
    # opened at its first sighting after the board's first crawl; 102, listed at it, was found
    assert platform["opened_at"] == at(16)
    assert postings["acme:greenhouse:102"]["opened_at"] is None
    assert postings["acme:greenhouse:104"]["department"] is None
    assert postings["acme:greenhouse:104"]["days_open"] == 0


def test_hiring_weekly(con):
    got = {
        (r["competitor_id"], str(r["week_start"]), r["department"]): (
            r["open_postings"],
            r["opened"],
            r["closed"],
        )
        for r in rows(con, "select * from marts.fct_hiring_weekly")
    }
    assert got == {
        # postings listed at a board's first crawl (r1) were found, not opened
        ("acme", "2026-11-09", "Sales"): (1, 0, 0),
        ("acme", "2026-11-09", "Engineering"): (1, 0, 0),
        ("acme", "2026-11-16", "Sales"): (1, 0, 0),
        ("acme", "2026-11-16", "Engineering"): (2, 1, 0),
        ("acme", "2026-11-23", "Sales"): (1, 0, 0),
        ("acme", "2026-11-23", "Engineering"): (1, 0, 1),
        ("acme", "2026-11-23", "Unassigned"): (1, 1, 0),
        ("globex", "2026-11-09", "Engineering"): (1, 0, 0),
        ("globex", "2026-11-09", "Sales"): (1, 0, 0),
        # the lever crawl yielded nothing: its Data Engineer is still open
        ("globex", "2026-11-16", "Engineering"): (1, 0, 0),
        ("globex", "2026-11-16", "Operations"): (1, 1, 0),
        ("globex", "2026-11-16", "Sales"): (1, 0, 0),
        ("globex", "2026-11-23", "Engineering"): (1, 0, 0),
        ("globex", "2026-11-23", "Operations"): (0, 0, 1),
        ("globex", "2026-11-23", "Sales"): (1, 0, 0),
    }
    (row,) = rows(
        con,
        "select hiring_week_id from marts.fct_hiring_weekly where department = 'Unassigned'",
    )
    assert row["hiring_week_id"] == "acme:2026-11-23:Unassigned"


# --- technology mentions ------------------------------------------------------------------


@pytest.fixture(scope="module")
def mentions(con):
    return {
        r["job_posting_id"]: set(r["technologies"])
        for r in rows(
            con,
            "select job_posting_id, list(technology_id) as technologies "
            "from staging.int_job_postings_tech_matched group by all",
        )
    }


def test_ambiguous_names_use_their_mention_pattern(mentions):
    # 101 says "Go to market" and "Go-to-market": not Go
    assert "acme:greenhouse:101" not in mentions
    # "Golang microservices on top of DuckDB"
    assert mentions["acme:greenhouse:102"] == {"go", "duckdb"}
    # "R&D" is not the R language (its pattern wants "R language", "R programming", RStudio)
    assert "acme:greenhouse:104" not in mentions


def test_aliases_with_regex_metacharacters_match_as_words(mentions):
    # "Modern C++ and Node.js services; no Nodexjs here." (the dot is escaped)
    assert mentions["acme:greenhouse:103"] == {"cpp", "nodejs"}
    # "Pipelines on Duck DB and Polars.": aliases and names match case-insensitively
    assert mentions["globex:lever:L-1"] == {"duckdb", "polars"}


def test_mention_matching_rules_in_sql(con):
    """The patterns the catalog gives, checked on sentences (RE2 through DuckDB)."""

    def matches(text, pattern):
        return con.execute("select regexp_matches(?, ?)", [text, pattern]).fetchone()[0]

    assert not matches("Go to market", GO_PATTERN)
    assert not matches("go-to-market strategy", GO_PATTERN)
    assert matches("Golang microservices", GO_PATTERN)
    assert matches("a Go developer", GO_PATTERN)
    assert not matches("Support our R&D team.", R_PATTERN)
    assert matches("Statistics in the R language", R_PATTERN)


def test_job_tech_mentions_weekly(con):
    got = {
        r["job_tech_mention_id"]: (r["open_postings"], r["new_postings"])
        for r in rows(con, "select * from marts.fct_job_tech_mentions")
    }
    assert got == {
        "acme:duckdb:2026-11-09": (1, 1),
        "acme:duckdb:2026-11-16": (1, 0),  # closed in r3: no row for 11-23
        "acme:go:2026-11-09": (1, 1),
        "acme:go:2026-11-16": (1, 0),
        "acme:cpp:2026-11-16": (1, 1),
        "acme:cpp:2026-11-23": (1, 0),
        "acme:nodejs:2026-11-16": (1, 1),
        "acme:nodejs:2026-11-23": (1, 0),
        "globex:duckdb:2026-11-09": (1, 1),
        "globex:duckdb:2026-11-16": (1, 0),
        "globex:duckdb:2026-11-23": (1, 0),
        "globex:polars:2026-11-09": (1, 1),
        "globex:polars:2026-11-16": (1, 0),
        "globex:polars:2026-11-23": (1, 0),
    }


# --- releases and pages -------------------------------------------------------------------


def test_releases(con):
    got = by_id(con, "fct_releases", "release_key")
    assert {k: r["days_since_previous"] for k, r in got.items()} == {
        "acme:feed:acme-2.3.0": None,  # the first of acme
        "acme:feed:acme-2.4.0": 23,  # 2026-10-20 -> 2026-11-12
        "globex:github_releases:9001": None,
        "globex:github_releases:9002": 15,  # 2026-11-03 -> 2026-11-18
    }
    rc = got["globex:github_releases:9002"]
    assert (rc["version"], rc["tag"], rc["prerelease"], rc["week_start"]) == (
        "1.1.0-rc1",
        "v1.1.0-rc1",
        True,
        NOV_16,
    )
    assert rc["published_at"] == datetime(2026, 11, 18, 8, tzinfo=UTC)
    assert rc["url"] == "https://releases.example/globex-github/9002"
    feed = got["acme:feed:acme-2.4.0"]
    assert (feed["source"], feed["version"], feed["tag"], feed["prerelease"]) == (
        "feed",
        "2.4.0",
        None,
        None,
    )
    assert feed["week_start"] == NOV_9


def test_only_real_page_changes_count(con):
    (change,) = rows(con, "select * from marts.fct_page_changes")
    # acme-terms never changed; acme-about's r1 -> r2 had the same fingerprint
    assert change["page_change_id"] == "acme-about:2026-11-23T06:00:00Z"
    assert (change["competitor_id"], change["source_id"], change["url"]) == (
        "acme",
        "acme-about",
        "https://acme.example/about",
    )
    assert (change["changed_at"], change["week_start"]) == (at(23), NOV_23)
    assert (change["previous_text"], change["text"]) == (ABOUT_BEFORE, ABOUT_AFTER)
    assert (change["chars_before"], change["chars_after"]) == (
        len(ABOUT_BEFORE),
        len(ABOUT_AFTER),
    )
    assert change["previous_fingerprint"] != change["fingerprint"]
    assert len(change["fingerprint"]) == 64


# --- activity -----------------------------------------------------------------------------


def test_competitor_activity_weekly(con):
    fields = (
        "price_changes", "plans_added", "plans_removed", "postings_opened",
        "postings_closed", "releases", "page_changes", "total_changes",
    )  # fmt: skip
    got = {
        r["activity_week_id"]: tuple(r[f] for f in fields)
        for r in rows(con, "select * from marts.fct_competitor_activity_weekly")
    }
    assert got == {
        # acme 2.4.0 released on 2026-11-12; postings found at the first crawl were not opened
        "acme:2026-11-09": (0, 0, 0, 0, 0, 1, 0, 1),
        # Pro monthly rise, Pro yearly added, posting 103 opened
        "acme:2026-11-16": (1, 1, 0, 1, 0, 0, 0, 3),
        # Team removed, 104 opened, 102 closed, about page reworded
        "acme:2026-11-23": (0, 0, 1, 1, 1, 0, 1, 4),
        # crawled, nothing changed: a real zero (v1.0.0 was published the week before)
        "globex:2026-11-09": (0, 0, 0, 0, 0, 0, 0, 0),
        # the SRE posting opened; 1.1 RC1 published 2026-11-18
        "globex:2026-11-16": (0, 0, 0, 1, 0, 1, 0, 2),
        "globex:2026-11-23": (0, 0, 0, 0, 1, 0, 0, 1),
    }
    (week,) = rows(
        con,
        "select week_start from marts.fct_competitor_activity_weekly "
        "where activity_week_id = 'acme:2026-11-16'",
    )
    assert week["week_start"] == NOV_16
