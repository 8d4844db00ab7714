"""The adoption marts over the fixture signal market (tests/fixtures/signal_market.py).

The index of a week is recomputed here by hand from the fixture's definitions: weekly value
(sum of seven days, latest running total, the week's stories), divided by the mean of the
benchmark technologies that have the signal, times 100; the score is the weighted mean over
the signals present; coverage their weight over all weights.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from flows.export import RADAR_COLUMNS, export_mart, radar_csv
from tests.fixtures import signal_market as market
from tests.fixtures.radar_warehouse import rows

SIGNALS = [
    "github_stars", "github_forks", "pypi_downloads", "npm_downloads",
    "stackoverflow_questions", "hn_stories", "wikipedia_pageviews",
]  # fmt: skip
TOTAL_WEIGHT = sum(market.WEIGHTS.values())  # 5.0: forks weigh 0


def by_hand(week: date) -> dict[str, dict]:
    """Every signal technology's values, indices, signals_present, coverage and score."""
    values = {
        tech: {signal: market.expected_weekly(tech, signal, week) for signal in SIGNALS}
        for tech in market.SIGNAL_TECHNOLOGIES
    }
    means = {}
    for signal in SIGNALS:
        bench = [values[t][signal] for t in market.BENCHMARK if values[t][signal] is not None]
        means[signal] = sum(bench) / len(bench) if bench else None
    out = {}
    for tech, own in values.items():
        index = {
            signal: own[signal] / means[signal] * 100
            if own[signal] is not None and means[signal]
            else None
            for signal in SIGNALS
        }
        present = [s for s in SIGNALS if index[s] is not None and market.WEIGHTS.get(s, 0) > 0]
        weight = sum(market.WEIGHTS[s] for s in present)
        out[tech] = {
            "values": own,
            "index": index,
            "signals_present": len(present),
            "coverage": weight / TOTAL_WEIGHT,
            "score": sum(market.WEIGHTS[s] * index[s] for s in present) / weight,
        }
    return out


def weekly(con, week: date) -> dict[str, dict]:
    found = rows(con, "select * from marts.fct_tech_adoption_weekly where week_start = ?", [week])
    return {r["technology_id"]: r for r in found}


def radar(con) -> dict[str, dict]:
    return {r["technology_id"]: r for r in rows(con, "select * from marts.fct_tech_radar")}


def test_marts_have_the_contract_columns(con):
    def columns(table):
        return con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()

    d, v = "DOUBLE", "VARCHAR"
    assert columns("fct_tech_signals_daily") == [
        ("tech_signal_id", v), ("technology_id", v), ("signal", v), ("signal_date", "DATE"),
        ("value", d), ("unavailable_reason", v), ("source_id", v),
        ("observed_at", "TIMESTAMP WITH TIME ZONE"),
    ]  # fmt: skip
    assert columns("fct_tech_adoption_weekly") == [
        ("adoption_week_id", v), ("technology_id", v), ("week_start", "DATE"),
        *[(s, d) for s in SIGNALS], *[(f"{s}_index", d) for s in SIGNALS],
        ("signals_present", "INTEGER"), ("coverage", d), ("score", d),
        ("rank_overall", "INTEGER"), ("rank_in_quadrant", "INTEGER"),
        ("momentum_4w", d), ("momentum_12w", d),
    ]  # fmt: skip
    assert [c for c, _ in columns("fct_tech_radar")] == [
        "technology_id", "name", "quadrant", "ring", "score", "rank_overall", "momentum_4w",
        "momentum_12w", "coverage", "is_archived", "last_release_at", "flag_declining",
        "flag_stale", "flag_archived", "flag_single_signal", "reasons", "is_new", "as_of_week",
        "previous_ring", "movement",
    ]  # fmt: skip
    assert ("benchmark", "BOOLEAN") in columns("dim_technologies")
    benchmark = con.execute(
        "select technology_id from marts.dim_technologies where benchmark order by 1"
    ).fetchall()
    assert [b[0] for b in benchmark] == sorted(market.BENCHMARK)
    assert con.execute("select count(*) from catalog.signal_weights").fetchone() == (6,)


def test_weeks_are_the_complete_weeks_before_the_latest_run(con):
    weeks = con.execute(
        "select distinct week_start from marts.fct_tech_adoption_weekly order by 1"
    ).fetchall()
    assert [w[0] for w in weeks] == market.WEEKS  # 2026-08-03 .. 2026-11-16
    assert con.execute("select count(*) from marts.fct_tech_adoption_weekly").fetchone() == (
        len(market.SIGNAL_TECHNOLOGIES) * len(market.WEEKS),
    )
    # the issue-3 technologies have no complete week of any signal: no rows
    assert con.execute(
        "select count(*) from marts.fct_tech_adoption_weekly where technology_id = 'duckdb'"
    ).fetchone() == (0,)


@pytest.mark.parametrize("week", [market.LAST_WEEK, market.WEEKS[3]])
def test_the_index_recomputed_by_hand(con, week):
    expected = by_hand(week)
    found = weekly(con, week)

    assert set(found) == set(expected)
    for tech, want in expected.items():
        row = found[tech]
        for signal in SIGNALS:
            assert row[signal] == want["values"][signal], (tech, signal)
            assert row[f"{signal}_index"] == pytest.approx(want["index"][signal]), (tech, signal)
        assert row["signals_present"] == want["signals_present"], tech
        assert row["coverage"] == pytest.approx(want["coverage"]), tech
        assert row["score"] == pytest.approx(want["score"]), tech

    # ranks: by score, 1 = highest, equal scores share a rank (birch and glitch are twins
    # until glitch's Wikipedia source fails); overall and within the quadrant (category)
    def rank(tech, among):
        return 1 + sum(expected[o]["score"] > expected[tech]["score"] + 1e-9 for o in among)

    quadrant = {t: market.SIGNAL_TECHNOLOGIES[t][1] for t in expected}
    for tech in expected:
        peers = [t for t in expected if quadrant[t] == quadrant[tech]]
        assert found[tech]["rank_overall"] == rank(tech, expected), tech
        assert found[tech]["rank_in_quadrant"] == rank(tech, peers), tech


def test_a_worked_example_of_one_index(con):
    """One cell spelled out: Rocket's npm downloads in the week of 2026-11-16."""
    week = market.LAST_WEEK
    days = [week + timedelta(days=d) for d in range(7)]
    rocket = sum(market.daily_value("rocket", "npm_downloads", d) for d in days)
    bench = [sum(market.daily_value(t, "npm_downloads", d) for d in days) for t in market.BENCHMARK]
    (row,) = rows(
        con,
        "select npm_downloads, npm_downloads_index from marts.fct_tech_adoption_weekly "
        "where technology_id = 'rocket' and week_start = ?",
        [week],
    )
    assert row["npm_downloads"] == rocket
    assert row["npm_downloads_index"] == pytest.approx(rocket / (sum(bench) / 3) * 100)
    # the source's own 2% weekly growth cancels out: Rocket is 1.9x a size-1 technology
    assert row["npm_downloads_index"] == pytest.approx(190, abs=0.5)


def test_the_benchmark_stays_level_while_every_source_grows(con):
    aster = rows(
        con,
        "select week_start, score, momentum_12w from marts.fct_tech_adoption_weekly "
        "where technology_id = 'aster' order by week_start",
    )
    raw_first, raw_last = (
        con.execute(
            "select npm_downloads from marts.fct_tech_adoption_weekly "
            "where technology_id = 'aster' and week_start = ?",
            [week],
        ).fetchone()[0]
        for week in (market.WEEKS[0], market.LAST_WEEK)
    )
    assert raw_last / raw_first > 1.29  # +30% over 15 weeks in the raw counts
    assert all(r["score"] == pytest.approx(100, abs=0.5) for r in aster)
    assert aster[-1]["momentum_12w"] == pytest.approx(0, abs=0.01)


def test_momentum_compares_with_the_same_technology_4_and_12_weeks_earlier(con):
    scores = {
        r["week_start"]: r
        for r in rows(
            con,
            "select * from marts.fct_tech_adoption_weekly where technology_id = 'rocket'",
        )
    }
    last = scores[market.LAST_WEEK]
    assert last["momentum_4w"] == pytest.approx(
        last["score"] / scores[market.WEEKS[11]]["score"] - 1
    )
    assert last["momentum_12w"] == pytest.approx(
        last["score"] / scores[market.WEEKS[3]]["score"] - 1
    )
    # no earlier score: no momentum
    assert scores[market.WEEKS[3]]["momentum_4w"] is None
    assert scores[market.WEEKS[11]]["momentum_12w"] is None
    assert scores[market.WEEKS[12]]["momentum_12w"] is not None


def test_the_riser_grows_into_adopt(con):
    rocket = radar(con)["rocket"]
    assert rocket["momentum_12w"] > 0.15
    assert rocket["momentum_4w"] > 0
    assert rocket["ring"] in ("trial", "adopt")
    assert rocket["ring"] == "adopt"  # rank 1 of 8 (top third), five signals
    assert rocket["rank_overall"] == 1
    assert rocket["reasons"] == "rank 1 of 8 (top third), score up 174% over 12 weeks (adopt)"
    assert not any(rocket[f] for f in ("flag_declining", "flag_stale", "flag_archived"))


def test_the_decliner_is_on_hold_for_a_sustained_decline(con):
    fader = radar(con)["fader"]
    assert fader["ring"] == "hold"
    assert fader["flag_declining"] is True
    assert fader["momentum_12w"] < -0.15
    assert fader["momentum_4w"] < 0
    assert "declining" in fader["reasons"]
    assert fader["reasons"] == "score down 51% over 12 weeks and 25% over 4 weeks (declining)"
    assert (fader["flag_archived"], fader["flag_stale"]) == (False, False)


def test_the_archived_project_is_on_hold(con):
    relic = radar(con)["relic"]
    assert relic["ring"] == "hold"
    assert relic["is_archived"] is True
    assert (relic["flag_archived"], relic["flag_stale"]) == (True, True)
    assert relic["flag_declining"] is False  # steady: held for being archived, not declining
    assert str(relic["last_release_at"].date()) == "2025-06-01"
    assert relic["reasons"] == "repository archived; no release since 2025-06-01 (stale)"


def test_the_single_signal_technology_is_flagged(con):
    solo = radar(con)["solo"]
    assert solo["flag_single_signal"] is True
    assert solo["coverage"] == pytest.approx(1.0 / TOTAL_WEIGHT)
    assert solo["ring"] == "assess"  # never adopt on one signal
    assert solo["is_archived"] is None  # no repository tracked: unknown, not archived
    assert solo["flag_archived"] is False
    assert "one signal only (stackoverflow_questions)" in solo["reasons"]
    others = [r for t, r in radar(con).items() if t != "solo"]
    assert not any(r["flag_single_signal"] for r in others)


def test_a_failed_source_leaves_the_other_signals_and_never_a_zero(con):
    (glitch,) = rows(
        con,
        "select * from marts.fct_tech_adoption_weekly "
        "where technology_id = 'glitch' and week_start = ?",
        [market.LAST_WEEK],
    )
    assert glitch["wikipedia_pageviews"] is None
    assert glitch["wikipedia_pageviews_index"] is None
    assert glitch["signals_present"] == 4
    assert glitch["coverage"] == pytest.approx(3.5 / TOTAL_WEIGHT)
    for signal in ("github_stars", "npm_downloads", "stackoverflow_questions", "hn_stories"):
        assert glitch[signal] == market.expected_weekly("glitch", signal, market.LAST_WEEK)
    # the days only the failed run reported are absent, not 0
    (last_day,) = con.execute(
        "select max(signal_date) from marts.fct_tech_signals_daily "
        "where technology_id = 'glitch' and signal = 'wikipedia_pageviews'"
    ).fetchone()
    assert last_day == market.LAST_WEEK - timedelta(days=1)
    assert con.execute(
        "select count(*) from marts.fct_tech_signals_daily where value = 0 or value is null"
    ).fetchone() == (0,)
    # the week before was complete: a full score
    (before,) = rows(
        con,
        "select signals_present from marts.fct_tech_adoption_weekly "
        "where technology_id = 'glitch' and week_start = ?",
        [market.WEEKS[-2]],
    )
    assert before["signals_present"] == 5
    assert radar(con)["glitch"]["coverage"] == pytest.approx(0.7)


def test_signals_daily_dates_and_partial_weeks(con):
    def one(tech, signal, day):
        found = rows(
            con,
            "select value, source_id, observed_at from marts.fct_tech_signals_daily "
            "where technology_id = ? and signal = ? and signal_date = ?",
            [tech, signal, day],
        )
        return found[0] if found else None

    # running totals: one value per run, dated by the run
    stars = one("aster", "github_stars", date(2026, 11, 23))
    assert stars["value"] == market.running_total("aster", "github_stars", date(2026, 11, 23))
    assert stars["source_id"] == "aster-github_repo"
    assert stars["observed_at"].isoformat() == "2026-11-23T06:00:00+00:00"
    # Hacker News: the complete week's count, never the running week's partial one
    assert one("aster", "hn_stories", market.LAST_WEEK)["value"] == market.week_stories(
        "aster", market.LAST_WEEK
    )
    assert one("aster", "hn_stories", date(2026, 11, 23)) is None
    # a daily series carries its own day
    day = date(2026, 9, 9)
    assert one("birch", "npm_downloads", day)["value"] == market.daily_value(
        "birch", "npm_downloads", day
    )
    counts = dict(
        con.execute(
            "select signal, count(*) from marts.fct_tech_signals_daily "
            "where technology_id in (select technology_id from marts.dim_technologies "
            "where technology_id not in ('duckdb', 'polars')) group by signal"
        ).fetchall()
    )
    assert counts == {
        "github_stars": 7 * 17,
        "github_forks": 7 * 17,
        "stackoverflow_questions": 8 * 17,
        "hn_stories": 7 * 16,
        "npm_downloads": 7 * 16 * 7,
        "wikipedia_pageviews": 7 * 16 * 7 - 7,
    }


def test_the_radar_is_as_of_the_latest_scored_week(con):
    found = radar(con)
    assert set(found) == set(market.SIGNAL_TECHNOLOGIES)
    assert {r["as_of_week"] for r in found.values()} == {market.LAST_WEEK}
    assert {t: r["ring"] for t, r in found.items()} == {
        "rocket": "adopt",
        "cedar": "adopt",
        "aster": "adopt",
        "birch": "assess",
        "glitch": "assess",
        "fader": "hold",
        "relic": "hold",
        "solo": "assess",
    }
    assert found["cedar"]["reasons"] == (
        "rank 2 of 8 (top third), score unchanged over 12 weeks (adopt)"
    )
    assert found["birch"]["quadrant"] == "dataframe"
    assert not any(r["is_new"] for r in found.values())  # all scored since 2026-08-03
    # The previous radar week, 2026-11-09, gave every technology the same ring.
    assert {r["previous_ring"] for r in found.values()} >= {"adopt", "assess", "hold"}
    assert all(r["previous_ring"] == r["ring"] for r in found.values())
    assert {r["movement"] for r in found.values()} == {"no change"}


def test_radar_csv_is_build_your_own_radar(built, tmp_path):
    out = tmp_path / "radar.csv"

    assert radar_csv(built[0], out) == 8

    with out.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == RADAR_COLUMNS
        blips = {row["name"]: row for row in reader}
    assert len(blips) == 8
    assert all(len(row) == 5 for row in blips.values())
    assert blips["Relic"] == {
        "name": "Relic",
        "ring": "Hold",
        "quadrant": "Language",
        "isNew": "FALSE",
        "description": "Score 60.3 in the week of 2026-11-16: "
        "repository archived; no release since 2025-06-01 (stale)",
    }
    assert blips["Rocket"]["ring"] == "Adopt"
    assert {row["ring"] for row in blips.values()} == {"Adopt", "Assess", "Hold"}
    assert {row["quadrant"] for row in blips.values()} == {
        "Database", "Dataframe", "Language", "Runtime",
    }  # fmt: skip


def test_export_mart_round_trips_through_parquet(built, tmp_path):
    import duckdb

    out = tmp_path / "weekly.parquet"
    assert export_mart(built[0], "marts.fct_tech_adoption_weekly", out, "parquet") == 128
    with duckdb.connect() as con:
        assert con.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone() == (128,)


def test_momentum_is_like_for_like_when_a_signal_goes_missing(con):
    """Glitch's Wikipedia views are missing in the last week: both weeks drop that signal."""
    week = {
        r["week_start"]: r
        for r in rows(
            con,
            "select * from marts.fct_tech_adoption_weekly where technology_id = 'glitch'",
        )
    }
    now, then = week[market.LAST_WEEK], week[market.WEEKS[11]]
    assert now["wikipedia_pageviews_index"] is None
    assert then["wikipedia_pageviews_index"] is not None
    common = [
        s
        for s in SIGNALS
        if market.WEIGHTS.get(s, 0) > 0
        and now[f"{s}_index"] is not None
        and then[f"{s}_index"] is not None
    ]
    assert "wikipedia_pageviews" not in common
    expected = (
        sum(market.WEIGHTS[s] * now[f"{s}_index"] for s in common)
        / sum(market.WEIGHTS[s] * then[f"{s}_index"] for s in common)
        - 1
    )
    assert now["momentum_4w"] == pytest.approx(expected, rel=1e-9)
