"""Great Expectations suites, one module per mart (named after the table), and the runner.

`validate(warehouse_path, run_id) -> QualityReport` is the quality gate: publish only when
`report.ok`.
"""

from flows.quality.runner import ExpectationOutcome, QualityReport, SuiteReport, validate

__all__ = ["ExpectationOutcome", "QualityReport", "SuiteReport", "validate"]
