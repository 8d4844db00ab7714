"""What every chart shares: weekly data on Monday ticks, one date format."""

from __future__ import annotations

import altair as alt
import pandas as pd

DATE_FORMAT = "%Y-%m-%d"


def mondays(start, end) -> list[int]:
    """Every Monday 00:00 UTC from start's week to end, as epoch milliseconds: the ticks of a
    weekly axis (the data are dated by their week's Monday)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    start = start.tz_convert("UTC") if start.tzinfo else start.tz_localize("UTC")
    end = end.tz_convert("UTC") if end.tzinfo else end.tz_localize("UTC")
    first = start.normalize() - pd.Timedelta(days=start.weekday())
    return [int(day.timestamp() * 1000) for day in pd.date_range(first, end, freq="7D")]


def weekly_axis(dates: pd.Series) -> alt.Axis:
    """A date axis with a tick on every Monday of the data, labelled YYYY-MM-DD."""
    return alt.Axis(values=mondays(dates.min(), dates.max()), format=DATE_FORMAT, labelAngle=0)
