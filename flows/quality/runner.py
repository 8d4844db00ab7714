"""Validate the marts with their GX suites and record every expectation in ops.quality_results.

Each mart is read from DuckDB into a pandas DataFrame and validated as a dataframe batch in an
ephemeral GX context (the SQL route through duckdb_engine fails in GX 1.x). The marts are
small; raw history is never validated here.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from flows.ledger import Connectable, connection, record_quality_results

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    column_name: str | None
    success: bool
    observed_value: str | None
    details: dict[str, Any]

    def describe(self) -> str:
        where = f"{self.suite}.{self.column_name}" if self.column_name else self.suite
        unexpected = self.details.get("partial_unexpected_list")
        extra = f" (e.g. {unexpected[:3]})" if unexpected else ""
        if self.details.get("error"):
            extra = f": {self.details['error']}"
        return f"{where}: {self.expectation} failed, observed {self.observed_value}{extra}"


@dataclass
class SuiteReport:
    suite: str
    table: str
    rows: int | None
    seconds: float
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(o.success for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(not o.success for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and bool(self.outcomes)


@dataclass
class QualityReport:
    run_id: str
    suites: dict[str, SuiteReport] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(s.passed for s in self.suites.values())

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.suites.values())

    @property
    def ok(self) -> bool:
        return bool(self.suites) and all(s.ok for s in self.suites.values())

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for s in self.suites.values() for o in s.outcomes if not o.success]

    def describe_failures(self) -> str:
        return "; ".join(o.describe() for o in self.failures)


def _suites() -> dict[str, tuple[str, Callable[[], Any], str | None]]:
    from flows.quality import (
        dim_competitors,
        dim_technologies,
        fct_competitor_activity_weekly,
        fct_hiring_weekly,
        fct_job_postings,
        fct_job_tech_mentions,
        fct_package_downloads_daily,
        fct_page_changes,
        fct_plan_prices,
        fct_price_changes,
        fct_releases,
        fct_tech_adoption_weekly,
        fct_tech_radar,
        fct_tech_signals_daily,
    )

    modules = (
        dim_competitors,
        dim_technologies,
        fct_plan_prices,
        fct_package_downloads_daily,
        fct_price_changes,
        fct_job_postings,
        fct_hiring_weekly,
        fct_job_tech_mentions,
        fct_releases,
        fct_page_changes,
        fct_competitor_activity_weekly,
        fct_tech_signals_daily,
        fct_tech_adoption_weekly,
        fct_tech_radar,
    )
    return {
        m.TABLE.split(".", 1)[1]: (m.TABLE, m.suite, getattr(m, "CHANGED_ROWS", None))
        for m in modules
    }


def _mondays(frames: dict[str, pd.DataFrame | Exception]) -> list[pd.Timestamp]:
    """Every Monday over the span of the marts' week_start columns: the set they must be in."""
    weeks = [
        frame["week_start"].dropna()
        for frame in frames.values()
        if isinstance(frame, pd.DataFrame)
        and "week_start" in frame
        and frame["week_start"].notna().any()
    ]
    if not weeks:
        return []
    values = pd.to_datetime(pd.concat(weeks))
    return list(pd.date_range(values.min() - pd.Timedelta(days=7), values.max(), freq="W-MON"))


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _column_name(kwargs: dict[str, Any]) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_A"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if kwargs.get("column_list"):
        return ",".join(kwargs["column_list"])
    return None


def _outcome(suite: str, result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    # runtime parameters arrive resolved: a long value set is summarised, not stored
    kwargs = {
        k: f"<{len(v)} values>" if isinstance(v, list | tuple | set) and len(v) > 20 else v
        for k, v in config.kwargs.items()
        if k != "batch_id"
    }
    res = dict(result.result or {})
    observed = res.get("observed_value")
    if observed is None and "unexpected_count" in res:
        observed = f"{res['unexpected_count']} unexpected of {res.get('element_count')}"
    details: dict[str, Any] = {"kwargs": kwargs}
    for key in ("unexpected_count", "unexpected_percent", "partial_unexpected_list"):
        if key in res:
            details[key] = res[key]
    info = result.exception_info or {}
    if info.get("raised_exception"):
        details["error"] = info.get("exception_message")
    return ExpectationOutcome(
        suite=suite,
        expectation=config.type,
        column_name=_column_name(kwargs),
        success=bool(result.success),
        observed_value=None if observed is None else str(observed),
        details=_jsonable(details),
    )


def _read(con: Any, table: str, column: str | None, since: datetime | None) -> pd.DataFrame:
    if column and since:
        return con.execute(f"select * from {table} where {column} >= ?", [since]).df()
    return con.execute(f"select * from {table}").df()


def validate(
    warehouse_path: Connectable,
    run_id: str,
    *,
    today: datetime | None = None,
    marts: Collection[str] | None = None,
    since: datetime | None = None,
) -> QualityReport:
    """Run the marts' suites; write one ops.quality_results row per expectation for run_id.

    ``marts`` limits the suites to those marts (by table name, e.g. fct_plan_prices): a
    run validates what it rebuilt, since a mart it did not touch passed when it was last
    built. ``since``: in a mart whose suite names its CHANGED_ROWS column, only the rows
    observed since then (a daily history validated day by day, not every day again).
    Re-validating a run replaces its rows. A mart that cannot be read fails its suite.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX's config module sets its own logger to INFO when imported, and every ephemeral
    # context then announces its temporary docs directory: noise in a run.
    logging.getLogger(ProgressBarsConfig.__module__).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("marts")
    report = QualityReport(run_id=run_id)
    today_date = (today or datetime.now(UTC)).date()

    suites = {name: suite for name, suite in _suites().items() if marts is None or name in marts}
    with connection(warehouse_path) as con:
        frames: dict[str, pd.DataFrame | Exception] = {}
        # the dimensions are the suites' parameters, validated or not
        for name, (table, _, changed_rows) in (_suites() | suites).items():
            if name not in suites and not name.startswith("dim_"):
                continue
            try:
                frames[name] = _read(con, table, changed_rows, since)
            except Exception as exc:  # a missing or broken mart fails its suite, loudly
                frames[name] = exc

        def ids(name: str, column: str) -> list[str]:
            frame = frames.get(name)
            return [] if not isinstance(frame, pd.DataFrame) else frame[column].dropna().tolist()

        parameters = {
            "competitor_ids": ids("dim_competitors", "competitor_id"),
            "technology_ids": ids("dim_technologies", "technology_id"),
            "today": pd.Timestamp(today_date),
            "end_of_today": pd.Timestamp(today_date + timedelta(days=1), tz="UTC"),
            "mondays": _mondays(frames),
        }

        for name, (table, make_suite, _) in suites.items():
            started = time.perf_counter()
            frame = frames[name]
            if isinstance(frame, Exception):
                outcome = ExpectationOutcome(
                    suite=name,
                    expectation="table_is_readable",
                    column_name=None,
                    success=False,
                    observed_value=None,
                    details={"error": f"{type(frame).__name__}: {frame}"},
                )
                report.suites[name] = SuiteReport(name, table, None, 0.0, [outcome])
                continue
            batch = (
                source.add_dataframe_asset(name)
                .add_batch_definition_whole_dataframe("whole")
                .get_batch(batch_parameters={"dataframe": frame})
            )
            with warnings.catch_warnings():
                # GX 1.24 reads tz-aware columns through a pandas 3 deprecated path
                warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
                result = batch.validate(make_suite(), expectation_parameters=parameters)
            outcomes = [_outcome(name, r) for r in result.results]
            report.suites[name] = SuiteReport(
                name, table, len(frame), time.perf_counter() - started, outcomes
            )
            log.info(
                "suite %s: %d passed, %d failed",
                name,
                report.suites[name].passed,
                report.suites[name].failed,
            )

        _write(con, report)
    return report


def _write(con: Any, report: QualityReport) -> None:
    checked_at = datetime.now(UTC)
    rows = [
        {
            "suite": o.suite,
            "expectation": o.expectation,
            "column_name": o.column_name,
            "success": o.success,
            "observed_value": o.observed_value,
            "details": o.details,
            "checked_at": checked_at,
        }
        for s in report.suites.values()
        for o in s.outcomes
    ]
    record_quality_results(con, report.run_id, rows)


__all__ = ["ExpectationOutcome", "QualityReport", "SuiteReport", "validate"]
