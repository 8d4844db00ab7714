"""The `demo_market` flow: replay the offline demo market, snapshot by snapshot.

The demo web serves dated snapshots of fictional competitor sites and of the
trend APIs. Each snapshot is crawled in date order by the ordinary `pipeline`
flow, with observations stamped with the snapshot's date, so that the marts
show history and change exactly as weekly real runs would. Run ids are derived
from the snapshot date, so replaying the demo replaces its runs, never
duplicates them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from prefect import flow

from demo.web import DemoWeb, snapshots
from flows.pipeline import pipeline
from flows.settings import Settings

# Observations of a snapshot are stamped at this time of its day (UTC).
OBSERVED_AT = time(6, 0)


def demo_run_id(day: date) -> str:
    return f"demo-{day:%Y%m%d}"


@flow(name="demo_market", log_prints=True)
def demo_market(only: list[str] | None = None) -> list[dict[str, Any]]:
    """Crawl every demo snapshot (or only the given ISO dates) in date order."""
    settings = Settings(catalog="demo")
    days = [d for d in snapshots(settings.demo_web_dir) if not only or d.isoformat() in only]
    summaries = []
    with DemoWeb(settings.demo_web_dir) as web:
        for day in days:
            summaries.append(
                pipeline(
                    catalog="demo",
                    observed_at=datetime.combine(day, OBSERVED_AT, tzinfo=UTC).isoformat(),
                    run_id=demo_run_id(day),
                    demo_web_url=web.snapshot_url(day),
                )
            )
    return summaries
