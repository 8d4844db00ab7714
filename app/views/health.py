"""Data health: the scheduled runs, each source of a run, freshness per source kind, checks."""

import pandas as pd
import streamlit as st

from app.db import query, query_mart
from app.health import (
    FRESHNESS_ORDER,
    SOURCE_ORDER,
    badge_markdown,
    check_error,
    escape_markdown,
    format_duration,
    format_moment,
    format_responses,
    items_total,
    last_good_text,
    source_health,
    status_cell_style,
    unexpected_examples,
    worst_first,
)

RUNS_LIMIT = 50

RUNS_SQL = f"""
select run_id, catalog, status, started_at, finished_at, observed_at,
    epoch(finished_at - started_at) as duration_seconds, items, checks_passed, checks_failed,
    published, error
from ops.runs
order by started_at desc nulls last, run_id desc
limit {RUNS_LIMIT}
"""

# The last ok crawl of each source up to the chosen run: its data is what stays published
# while the source is failing.
SOURCES_SQL = """
with chosen as (
    select started_at from ops.runs where run_id = ?
),

last_ok as (
    select s.source_id,
        arg_max(s.run_id, r.started_at) as last_ok_run,
        arg_max(coalesce(s.observed_at, r.observed_at), r.started_at) as last_ok_observed_at
    from ops.source_runs as s
    inner join ops.runs as r using (run_id)
    where s.status = 'ok' and r.started_at <= (select started_at from chosen)
    group by s.source_id
)

select s.source_id, s.source_kind, s.subject_type,
    -- names, not ids: "technology Dagster" (the id where the catalog no longer has it)
    coalesce(
        case s.subject_type when 'competitor' then c.name when 'technology' then t.name end,
        s.subject_id
    ) as subject_id,
    s.status, s.items,
    s.requests, s.responses, s.retries, s.robots_refused, s.parse_problems,
    s.duration_seconds, s.attempts, s.error, l.last_ok_run, l.last_ok_observed_at
from ops.source_runs as s
left join last_ok as l using (source_id)
left join marts.dim_competitors as c on c.competitor_id = s.subject_id
left join marts.dim_technologies as t on t.technology_id = s.subject_id
where s.run_id = ?
"""

FRESHNESS_SQL = """
select source_kind, status, max_observed_at, age_hours, warn_after_hours, error_after_hours,
    checked_at, error
from ops.source_freshness
where run_id = ?
"""

CHECKS_SQL = """
select suite, expectation, column_name, success, observed_value, details
from ops.quality_results
where run_id = ?
order by suite, expectation, column_name
"""

DATETIME = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")


def styled(table: pd.DataFrame, column: str = "Status"):
    return table.style.map(status_cell_style, subset=[column])


def subject(subject_type: str | None, subject_id: str | None) -> str | None:
    parts = [part for part in (subject_type, subject_id) if isinstance(part, str) and part]
    return " ".join(parts) or None


def runs_table(runs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Status": runs["status"],
            "Run": runs["run_id"],
            "Catalog": runs["catalog"],
            "Started": runs["started_at"],
            "Duration": runs["duration_seconds"].map(format_duration),
            "Observed at": runs["observed_at"],
            "Items": runs["items"].map(items_total).astype("Int64"),
            "Checks passed": runs["checks_passed"].astype("Int64"),
            "Checks failed": runs["checks_failed"].astype("Int64"),
            "Published": runs["published"],
            "Error": runs["error"].fillna(""),
        }
    )


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    records = sources.to_dict("records")
    return pd.DataFrame(
        {
            "Status": sources["status"],
            "Source": sources["source_id"],
            "Kind": sources["source_kind"],
            "Subject": [subject(r["subject_type"], r["subject_id"]) for r in records],
            "Health": [source_health(r["status"], r["error"], r["responses"]) for r in records],
            "Items": sources["items"].astype("Int64"),
            "Requests": sources["requests"].astype("Int64"),
            "Responses": sources["responses"].map(format_responses),
            "Retries": sources["retries"].astype("Int64"),
            "Robots.txt refused": sources["robots_refused"].astype("Int64"),
            "Parse problems": sources["parse_problems"].astype("Int64"),
            "Duration": sources["duration_seconds"].map(format_duration),
            "Attempts": sources["attempts"].astype("Int64"),
            "Last ok run": sources["last_ok_run"],
            "Last good data": sources["last_ok_observed_at"],
            "Error": sources["error"].fillna(""),
        }
    )


def errors_in_full(table: pd.DataFrame, label: str) -> None:
    """Each non-empty error of `table` in full, wrapped, under its row's `label`: a grid cell
    cuts long text off, and an error is only useful read to its end."""
    errors = table[table["Error"].fillna("").astype(str).str.strip() != ""]
    if errors.empty:
        return
    with st.expander(f"Errors in full ({len(errors)})"):
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(str(row[label]))}**: {escape_markdown(str(row['Error']))}"
                for row in errors.to_dict("records")
            )
        )


def degraded_line(source: dict) -> str:
    """A markdown bullet on a failed or partial source, its reason and its published data."""
    about = f"`{source['source_kind']}`"
    subject_text = subject(source["subject_type"], source["subject_id"])
    if subject_text:
        about += f", {escape_markdown(subject_text)}"
    health = escape_markdown(source_health(source["status"], source["error"], source["responses"]))
    if source["status"] == "partial" and source["items"]:
        published = f"the {int(source['items'])} items that landed are published"
        last_ok = format_moment(source["last_ok_observed_at"])
        if last_ok:
            published += f"; last fully ok crawl {last_ok} ({source['last_ok_run']})"
    else:
        published = last_good_text(source["last_ok_run"], source["last_ok_observed_at"])
    return f"- `{source['source_id']}` ({about}): **{health}**; {published}."


def freshness_table(freshness: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Status": freshness["status"],
            "Source kind": freshness["source_kind"],
            "Newest observation": freshness["max_observed_at"],
            "Age (h)": freshness["age_hours"],
            "Warn after (h)": freshness["warn_after_hours"],
            "Error after (h)": freshness["error_after_hours"],
            "Checked at": freshness["checked_at"],
            "Error": freshness["error"].fillna(""),
        }
    )


def failed_checks_table(checks: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Suite": checks["suite"],
            "Expectation": checks["expectation"],
            "Column": checks["column_name"],
            "Observed": checks["observed_value"],
            "Unexpected examples": checks["details"].map(unexpected_examples),
            "Error": checks["details"].map(check_error).fillna(""),
        }
    )


st.title("Data health")

runs = query(RUNS_SQL)
if runs.empty:
    st.info(
        "No runs are recorded in the published file yet: the ledger fills with every "
        "pipeline run (`radar run`, a schedule, or `make demo`)."
    )
    st.stop()

# --- Runs -------------------------------------------------------------------------------
st.subheader("Runs")
st.caption(
    ("The only run" if len(runs) == 1 else f"The latest {len(runs)} runs, newest first")
    + ". The published file carries "
    "the ledger as of its publication: a run that failed a gate (and so published nothing) "
    "shows here after the next published run."
)
st.dataframe(
    styled(runs_table(runs)),
    hide_index=True,
    column_config={
        "Started": DATETIME,
        "Observed at": DATETIME,
        "Error": st.column_config.TextColumn(width="large"),
    },
)
errors_in_full(runs_table(runs), "Run")

records = {row["run_id"]: row for row in runs.to_dict("records")}
run_id = st.selectbox(
    "Run",
    options=list(records),
    index=0,
    format_func=lambda run: (
        f"{run} · {records[run]['status']} · started {format_moment(records[run]['started_at'])}"
    ),
    key="health_run",
)
run = records[run_id]

st.markdown(f"### Run `{run_id}` {badge_markdown(run['status'])}")
facts = [
    f"started {format_moment(run['started_at']) or 'unknown'}",
    f"took {format_duration(run['duration_seconds']) or 'unknown'}",
    f"observed at {format_moment(run['observed_at']) or 'unknown'}",
    "published" if run["published"] is True else "not published",
]
st.caption(" · ".join(facts))
if isinstance(run["error"], str) and run["error"]:
    st.error(f"Run error: {escape_markdown(run['error'])}", icon=":material/error:")

# --- Sources ----------------------------------------------------------------------------
st.subheader("Sources")
sources = query_mart(SOURCES_SQL, [run_id, run_id], what="per-source run records")
if sources is not None and sources.empty:
    st.info(f"Run `{run_id}` recorded no sources (it stopped before crawling).")
elif sources is not None:
    sources = worst_first(sources, SOURCE_ORDER, then="source_id")
    counts = sources["status"].value_counts()
    tiles = st.columns(4)
    tiles[0].metric("Sources", len(sources))
    tiles[1].metric("Ok", int(counts.get("ok", 0)))
    tiles[2].metric("Partial", int(counts.get("partial", 0)))
    tiles[3].metric("Failed", int(counts.get("failed", 0)))
    degraded = [s for s in sources.to_dict("records") if s["status"] != "ok"]
    failed = [s for s in degraded if s["status"] != "partial"]
    partial = [s for s in degraded if s["status"] == "partial"]
    if failed:
        st.error(
            f"{len(failed)} source{'s' * (len(failed) != 1)} failed: nothing usable landed.\n\n"
            + "\n".join(degraded_line(s) for s in failed),
            icon=":material/error:",
        )
    if partial:
        st.warning(
            f"{len(partial)} source{'s' * (len(partial) != 1)} partial: some pages failed.\n\n"
            + "\n".join(degraded_line(s) for s in partial),
            icon=":material/warning:",
        )
    if not degraded:
        st.success(f"All {len(sources)} sources ok.", icon=":material/check_circle:")
    st.dataframe(
        styled(sources_table(sources)),
        hide_index=True,
        column_config={
            "Last good data": DATETIME,
            "Health": st.column_config.TextColumn(width="medium"),
            "Error": st.column_config.TextColumn(width="large"),
        },
    )
    errors_in_full(sources_table(sources), "Source")
    st.caption(
        "Last good data: the observation time of the source's last ok crawl up to this run. "
        "A failing source keeps that data published; the run is partial, not failed."
    )

# --- Freshness --------------------------------------------------------------------------
st.subheader("Freshness")
freshness = query_mart(FRESHNESS_SQL, [run_id], what="source freshness checks")
if freshness is not None and freshness.empty:
    st.info(f"Run `{run_id}` recorded no freshness check.")
elif freshness is not None:
    freshness = worst_first(freshness, FRESHNESS_ORDER, then="source_kind")
    summary = freshness["status"].value_counts(sort=False)  # worst first, as the table
    st.caption(
        f"Newest observation per source kind, as run `{run_id}` checked it at "
        f"{format_moment(freshness['checked_at'].max()) or 'an unknown time'}: "
        + ", ".join(f"{count} {status}" for status, count in summary.items())
        + "."
    )
    st.dataframe(
        styled(freshness_table(freshness)),
        hide_index=True,
        column_config={
            "Newest observation": DATETIME,
            "Checked at": DATETIME,
            "Age (h)": st.column_config.NumberColumn(format="%.1f"),
            "Warn after (h)": st.column_config.NumberColumn(format="%.0f"),
            "Error after (h)": st.column_config.NumberColumn(format="%.0f"),
            "Error": st.column_config.TextColumn(width="large"),
        },
    )
    errors_in_full(freshness_table(freshness), "Source kind")

# --- Quality checks ---------------------------------------------------------------------
st.subheader("Quality checks")
checks = query(CHECKS_SQL, [run_id])
if checks.empty:
    st.info(
        f"Run `{run_id}` recorded no quality checks: a run that stops before the quality gate "
        "records none."
    )
else:
    failures = checks[~checks["success"].fillna(False).astype(bool)]
    if failures.empty:
        st.success(f"All {len(checks)} checks passed.", icon=":material/check_circle:")
    else:
        consequence = "" if run["published"] is True else ": the run published nothing"
        st.error(
            f"{len(failures)} of {len(checks)} checks failed{consequence}.",
            icon=":material/error:",
        )
        st.dataframe(
            failed_checks_table(failures.reset_index(drop=True)),
            hide_index=True,
            column_config={"Error": st.column_config.TextColumn(width="large")},
        )
        errors_in_full(failed_checks_table(failures.reset_index(drop=True)), "Expectation")
