"""The Technology page: one technology's ring explained, its signals, releases and hiring."""

import pytest

from app.adoption import days_from_radar_week


@pytest.fixture
def technology(published, app_test):
    at = app_test().run()
    at.switch_page("views/technology.py").run()
    assert not at.exception
    return at


def pick(at, technology_id):
    at.selectbox(key="technology_technology").set_value(technology_id).run()
    assert not at.exception
    return at


def metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def signals(at):
    return at.dataframe[0].value.set_index("Signal")


def test_opens_on_the_top_ranked_technology(technology):
    at = technology

    assert at.title[0].value == "Technology"
    box = at.selectbox(key="technology_technology")
    assert box.value == "duckdb"
    assert box.options[:3] == ["DuckDB", "PostgreSQL", "Polars"]  # by rank
    assert metrics(at) == {
        "Ring": "Adopt",
        "Score": "140.0",
        "Rank": "#1",
        "Momentum 4w": "+8.0%",
        "Momentum 12w": "+25.0%",
        "Coverage": "80%",  # npm is not tracked: 4.0 of 5.0 weights
    }
    assert at.subheader[0].value == "DuckDB is in Adopt"


def test_hold_with_flags_and_reasons(technology):
    at = pick(technology, "luigi")

    assert metrics(at)["Ring"] == "Hold"
    texts = [md.value for md in at.markdown]
    assert "**Flags:** declining, stale" in texts
    assert any(t.startswith("**Why hold:** declining: momentum 12w -30% and 4w -8%") for t in texts)
    assert any("Last release: 2025-06-30 (510 days before the radar week)." in t for t in texts)


def test_every_signal_with_its_status(technology, chart_data):
    at = pick(technology, "polars")

    table = signals(at)
    assert list(table.index) == [
        "GitHub stars", "GitHub forks", "PyPI downloads", "npm downloads",
        "Stack Overflow questions", "Hacker News stories", "Wikipedia pageviews",
    ]  # fmt: skip
    assert table.loc["npm downloads", "Status"] == "not tracked"
    assert table.loc["Wikipedia pageviews", "Status"] == "unavailable"
    reason = "HTTP 404 from Wikimedia: article Polars_(software) not found"
    assert table.loc["Wikipedia pageviews", "Note"] == f"unavailable: {reason}"
    assert table.loc["GitHub stars", "Latest"] == 9_500
    assert table.loc["PyPI downloads", "Readings"] == 14
    # Small multiples: one chart per signal with values, an explicit note for the others.
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5
    (downloads,) = [p for p in map(chart_data, charts) if len(p) == 14]
    assert downloads["value"].tolist() == [1_000] * 7 + [1_200] * 7
    captions = [c.value for c in at.caption]
    assert "npm downloads: not tracked: no reading published" in captions
    assert f"Wikipedia pageviews: unavailable: {reason}" in captions


def test_competitors_mentioning_it(technology):
    at = pick(technology, "polars")

    (hiring,) = [f.value for f in at.dataframe if "Competitor" in f.value.columns]
    (row,) = hiring.to_dict("records")
    assert row["Competitor"] == "Northwind Analytics"
    assert row["Open postings now"] == 1
    assert str(row["First week mentioned"])[:10] == "2026-11-23"

    at = pick(at, "duckdb")
    (hiring,) = [f.value for f in at.dataframe if "Competitor" in f.value.columns]
    assert hiring.to_dict("records")[0]["Open postings now"] == 2
    assert str(hiring.to_dict("records")[0]["First week mentioned"])[:10] == "2026-11-02"


def test_archived_and_no_competitor(technology):
    at = pick(technology, "pig")

    assert any("The repository is **archived**." in md.value for md in at.markdown)
    assert "No competitor's job posting mentions Apache Pig." in [i.value for i in at.info]


def test_publication_before_tech_marts(published, app_test):
    published.republish(tech_marts="absent")
    at = app_test().run()
    at.switch_page("views/technology.py").run()

    assert not at.exception
    (warning,) = at.warning
    assert "predates technology adoption signals" in warning.value


def test_a_signal_whose_source_failed_says_why_instead_of_not_tracked(published, app_test):
    import duckdb

    with duckdb.connect(str(published.path)) as con:
        con.execute(
            """
            insert into ops.source_runs (run_id, source_id, source_kind, subject_type,
                subject_id, status, items, observed_at, error)
            values ('run-3', 'duckdb-npm', 'npm_downloads', 'technology', 'duckdb', 'failed', 0,
                timestamptz '2026-11-23 06:00:00+00', 'HTTP 404 ×1')
            """
        )
    at = app_test().run()
    at.switch_page("views/technology.py").run()
    table = signals(at)
    assert table.loc["npm downloads", "Status"] == "unavailable"
    assert table.loc["npm downloads", "Note"] == (
        "unavailable: last crawl failed on 2026-11-23: HTTP 404 ×1"
    )
    assert table.loc["PyPI downloads", "Status"] == "tracked"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (510, "510 days before the radar week"),
        (1, "1 day before the radar week"),
        (0, "in the radar week's first day"),
        (-4, "4 days after the start of the radar week"),
    ],
)
def test_release_distance_in_words(days, words):
    assert days_from_radar_week(days) == words
