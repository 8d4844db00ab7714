"""Time windows the signal spiders ask for, computed from observed_at only (so a run
is reproducible: the same observed_at asks the same windows).

- Daily series (npm_downloads, wikipedia_pageviews): the ``days`` complete UTC days
  before observed_at's day, i.e. ``observed_date - days`` .. ``observed_date - 1``
  (both inclusive); the day of observed_at is not over yet.
- Weeks (hn_mentions): the ``weeks`` complete ISO weeks (Monday 00:00 UTC, 7 days)
  before the week holding observed_at.

A target's ``since`` (see :func:`since`) cuts either window short: a run asks only what
is new since the source's last good observation, plus the overlap the flow chose.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

DEFAULT_SIGNAL_DAYS = 120
DEFAULT_HN_WEEKS = 16


def is_iso_date(value: object) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def observed_datetime(observed_at: str) -> datetime:
    parsed = datetime.fromisoformat(observed_at)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def daily_window(observed_at: str, days: int) -> tuple[date, date]:
    """(first day, last day), both inclusive: the ``days`` complete days before observed_at."""
    if days < 1:
        raise ValueError(f"RADAR_SIGNAL_DAYS must be at least 1, got {days}")
    end = observed_datetime(observed_at).date() - timedelta(days=1)
    return end - timedelta(days=days - 1), end


def since(target: dict, start: date) -> date:
    """The first day to ask for a target: its window's start, or later when the flow's
    cursor (the target's ``since``, a day already loaded minus an overlap) says the
    days before it are known. A target without ``since`` (its first run) backfills."""
    cursor = target.get("since")
    return max(start, date.fromisoformat(cursor)) if cursor else start


def sorted_points(points: list[dict]) -> list[dict]:
    """A series item's points, oldest first, one per date (the last given wins)."""
    return sorted({point["date"]: point for point in points}.values(), key=lambda p: p["date"])


def split_window(start: date, end: date, max_days: int) -> list[tuple[date, date]]:
    """Consecutive inclusive windows of at most ``max_days`` days covering start..end."""
    windows = []
    while start <= end:
        last = min(end, start + timedelta(days=max_days - 1))
        windows.append((start, last))
        start = last + timedelta(days=1)
    return windows


@dataclass(frozen=True)
class Week:
    start: datetime  # Monday 00:00 UTC, inclusive
    end: datetime  # the next Monday 00:00 UTC, exclusive

    @property
    def week_start(self) -> str:
        return self.start.date().isoformat()

    @property
    def start_ts(self) -> int:
        return int(self.start.timestamp())

    @property
    def end_ts(self) -> int:
        return int(self.end.timestamp())


def newest_complete(series_key: str, observed_at: str) -> date:
    """The newest point a series can have at observed_at: yesterday for a daily series
    ("date"), the Monday of the last complete week for a weekly one ("week_start")."""
    day = observed_datetime(observed_at).date()
    if series_key == "week_start":
        return day - timedelta(days=day.weekday() + 7)
    return day - timedelta(days=1)


def complete_weeks(observed_at: str, weeks: int) -> Iterator[Week]:
    """The ``weeks`` complete weeks before observed_at's week, oldest first."""
    if weeks < 1:
        raise ValueError(f"RADAR_HN_WEEKS must be at least 1, got {weeks}")
    observed = observed_datetime(observed_at)
    monday = datetime.combine(
        observed.date() - timedelta(days=observed.weekday()), datetime.min.time(), UTC
    )
    for back in range(weeks, 0, -1):
        start = monday - timedelta(weeks=back)
        yield Week(start, start + timedelta(weeks=1))


def week_of(start_ts: int, end_ts: int) -> Week | None:
    """The Week a [start_ts, end_ts) window is, or None if it is not a Monday-based week."""
    start = datetime.fromtimestamp(start_ts, UTC)
    end = datetime.fromtimestamp(end_ts, UTC)
    if start.weekday() != 0 or start.time() != datetime.min.time():
        return None
    if end - start != timedelta(weeks=1):
        return None
    return Week(start, end)
