"""The Data health view: runs, the sources of a run, freshness per kind, failed checks.

The ledger's story is in tests/fixtures/ops_ledger.py: run-3 (latest) is partial with two
failed sources and one partial one, run-2 failed its quality gate, run-1 succeeded.
"""

import pandas as pd
import pytest


@pytest.fixture
def health(published, app_test):
    at = app_test().run()
    at.switch_page("views/health.py").run()
    assert not at.exception
    return at


def frames(at) -> dict[str, pd.DataFrame]:
    """The view's tables by their first distinctive column."""
    found = {}
    for element in at.dataframe:
        table = element.value
        for marker, name in (
            ("Run", "runs"),
            ("Source", "sources"),
            ("Source kind", "freshness"),
            ("Suite", "checks"),
        ):
            if marker in table.columns:
                found[name] = table
                break
    return found


def day(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def test_runs_newest_first_with_status_and_counts(health):
    at = health
    runs = frames(at)["runs"]

    assert at.title[0].value == "Data health"
    assert list(runs["Run"]) == ["run-3", "run-2", "run-1"]
    assert list(runs["Status"]) == ["partial", "failed", "succeeded"]
    latest = runs.iloc[0]
    assert latest["Duration"] == "5 min 00 s"
    assert latest["Items"] == 8  # 5 pricing + 3 jobposting + 0 wikipedia_pageviews
    assert (latest["Checks passed"], latest["Checks failed"]) == (12, 0)
    assert latest["Published"]
    failed = runs.iloc[1]
    assert not failed["Published"]
    assert failed["Error"].startswith("1 quality check(s) failed: fct_plan_prices.price")


def test_latest_run_is_chosen_with_its_badge(health):
    at = health

    assert at.selectbox(key="health_run").value == "run-3"
    assert "### Run `run-3` :orange-badge[:material/warning: partial]" in [
        md.value for md in at.markdown
    ]
    assert (
        "started 2026-11-23 06:00 UTC · took 5 min 00 s · observed at 2026-11-23 06:00 UTC · "
        "published"
    ) in [caption.value for caption in at.caption]
    tiles = {metric.label: metric.value for metric in at.metric}
    assert tiles == {"Sources": "4", "Ok": "1", "Partial": "1", "Failed": "2"}


def test_failed_sources_read_first_with_reason_and_last_good_data(health):
    at = health

    (failed,) = at.error
    lines = failed.value.splitlines()
    assert lines[0] == "2 sources failed: nothing usable landed."
    assert lines[2:] == [
        "- `cobalt-pricing` (`pricing`, competitor cobalt): "
        "**failed · HTTP 503 after 3 retries**; "
        "last good data 2026-11-20 06:00 UTC (run-2) stays published.",
        "- `dagster-wikipedia` (`wikipedia_pageviews`, technology dagster): "
        "**failed · HTTP 404**; last good data 2026-11-16 06:00 UTC (run-1) stays published.",
    ]
    (partial,) = at.warning
    # names where the catalog has them; cobalt and dagster are not in this fixture's catalog
    assert "`northwind-careers` (`jobposting`, competitor Northwind Analytics)" in partial.value
    assert "the 3 items that landed are published" in partial.value

    sources = frames(at)["sources"].set_index("Source")
    assert list(sources.index) == [
        "cobalt-pricing", "dagster-wikipedia", "northwind-careers", "northwind-pricing",
    ]  # fmt: skip
    assert list(sources["Status"]) == ["failed", "failed", "partial", "ok"]
    cobalt = sources.loc["cobalt-pricing"]
    assert cobalt["Health"] == "failed · HTTP 503 after 3 retries"
    assert (cobalt["Kind"], cobalt["Subject"]) == ("pricing", "competitor cobalt")
    assert (cobalt["Requests"], cobalt["Responses"], cobalt["Retries"]) == (4, "503×4", 3)
    assert (cobalt["Items"], cobalt["Duration"]) == (0, "22 s")
    assert (cobalt["Last ok run"], day(cobalt["Last good data"])) == ("run-2", "2026-11-20 06:00")
    wiki = sources.loc["dagster-wikipedia"]
    assert (wiki["Kind"], wiki["Error"], wiki["Responses"]) == (
        "wikipedia_pageviews", "HTTP 404", "404×1",
    )  # fmt: skip
    assert (wiki["Last ok run"], day(wiki["Last good data"])) == ("run-1", "2026-11-16 06:00")
    careers = sources.loc["northwind-careers"]
    assert careers["Responses"] == "200×2, 500×1"
    assert (careers["Robots.txt refused"], careers["Parse problems"]) == (1, 1)
    assert careers["Duration"] == "1 min 06 s"
    # An ok source's last good data is this run's.
    assert sources.loc["northwind-pricing", "Last ok run"] == "run-3"


def test_freshness_per_source_kind_worst_first(health):
    at = health
    freshness = frames(at)["freshness"]

    statuses = dict(zip(freshness["Source kind"], freshness["Status"], strict=True))
    assert list(statuses.items()) == [
        ("wikipedia_pageviews", "error"),
        ("github_releases", "warn"),
        ("jobposting", "pass"),
        ("pricing", "pass"),
    ]
    wiki = freshness.set_index("Source kind").loc["wikipedia_pageviews"]
    assert day(wiki["Newest observation"]) == "2026-11-16 06:00"
    assert (wiki["Age (h)"], wiki["Warn after (h)"], wiki["Error after (h)"]) == (168.07, 36, 84)
    assert (
        "Newest observation per source kind, as run `run-3` checked it at 2026-11-23 06:04 UTC: "
        "1 error, 1 warn, 2 pass."
    ) in [caption.value for caption in at.caption]


def test_latest_run_passed_every_check(health):
    at = health

    assert [success.value for success in at.success] == ["All 12 checks passed."]
    assert "checks" not in frames(at)


def test_failed_run_shows_its_failed_check(health):
    at = health.selectbox(key="health_run").select("run-2").run()
    assert not at.exception

    assert "### Run `run-2` :red-badge[:material/error: failed]" in [md.value for md in at.markdown]
    errors = [error.value for error in at.error]
    assert errors[0].startswith("Run error: 1 quality check(s) failed")
    assert "1 of 12 checks failed: the run published nothing." in errors
    checks = frames(at)["checks"]
    assert checks.to_dict("records") == [
        {
            "Suite": "fct_plan_prices",
            "Expectation": "expect_column_values_to_be_between",
            "Column": "price",
            "Observed": "1 unexpected of 10",
            "Unexpected examples": "-15.0",
            "Error": "",  # a blank cell, not "None"
        }
    ]
    # Errors are read to their end under the tables, not cut off in a grid cell.
    (runs_errors, *_) = [e for e in at.expander if e.label.startswith("Errors in full")]
    assert runs_errors.label == "Errors in full (1)"
    assert runs_errors.markdown[0].value == (
        "- **run-2**: 1 quality check(s) failed: fct\\_plan\\_prices.price: "
        "expect\\_column\\_values\\_to\\_be\\_between failed, observed 1 unexpected of 10"
    )
    # The sources and freshness follow the chosen run.
    sources = frames(at)["sources"]
    assert list(sources["Source"])[:1] == ["dagster-wikipedia"]
    assert set(sources["Status"][1:]) == {"ok"}
    assert sources.set_index("Source").loc["cobalt-pricing", "Last ok run"] == "run-2"
    freshness = frames(at)["freshness"].set_index("Source kind")
    assert freshness.loc["wikipedia_pageviews", "Age (h)"] == 96.05
    assert freshness.loc["github_releases", "Status"] == "pass"


def test_publication_before_the_source_ledger(published, app_test):
    published.republish(source_ledger="absent")
    at = app_test().run()
    at.switch_page("views/health.py").run()

    assert not at.exception
    warnings = [warning.value for warning in at.warning]
    assert len(warnings) == 2
    assert warnings[0].startswith("This publication predates per-source run records")
    assert "`source_runs` is not in" in warnings[0]
    assert warnings[1].startswith("This publication predates source freshness checks")
    assert "`source_freshness` is not in" in warnings[1]
    # What the older file has still shows: the runs and the checks.
    assert list(frames(at)["runs"]["Status"]) == ["partial", "failed", "succeeded"]
    assert [success.value for success in at.success] == ["All 12 checks passed."]
    assert set(frames(at)) == {"runs"}
