"""Pricing: competitors' current plans, and how one competitor's prices moved."""

import altair as alt
import pandas as pd
import streamlit as st

from app.charts import weekly_axis
from app.db import query
from app.prices import CHANGE_KINDS, describe_price_changes

CURRENT_PLANS_SQL = """
select
    c.name as competitor,
    p.plan_name,
    p.billing_period,
    p.price,
    p.currency,
    p.unit,
    p.is_custom,
    len(p.features) as features,
    p.method
from marts.fct_plan_prices as p
join marts.dim_competitors as c using (competitor_id)
where p.is_current and list_contains(?, p.competitor_id)
order by c.name, p.is_custom, p.price nulls last, p.plan_name, p.billing_period
"""

PRICE_INTERVALS_SQL = """
select plan_name, billing_period, price, currency, is_custom, valid_from, valid_to
from marts.fct_plan_prices
where competitor_id = ?
order by plan_name, billing_period, valid_from
"""

# The changes are fct_price_changes' rows, the one definition of a price change, a plan added
# and a plan removed that This week and Competitors count too.
PRICE_CHANGES_SQL = """
select plan_name, billing_period, change_kind, old_price, new_price, change_pct, currency,
    changed_at
from marts.fct_price_changes
where competitor_id = ?
order by changed_at desc, plan_name, billing_period
"""

# Competitors ordered by how much their prices moved: the history opens on the liveliest.
MOST_CHANGED_SQL = """
select competitor_id
from marts.fct_plan_prices
where list_contains(?, competitor_id)
group by competitor_id
order by count(*) - count(distinct plan_key || billing_period) desc, max(valid_from) desc
limit 1
"""

# The latest observation time: where intervals that are still open end on the chart.
AS_OF_SQL = "select max(observed_at) as as_of from ops.runs where status <> 'failed'"


def format_price(price: float | None, currency: str | None, is_custom: bool) -> str | None:
    if is_custom:
        return "Contact sales"
    if price is None or pd.isna(price):
        return None  # unknown stays unknown, never 0
    return f"{price:.2f} {currency}" if currency else f"{price:.2f}"


def plan_label(plan_name: str, billing_period: str) -> str:
    return f"{plan_name} ({billing_period})"


def current_plans_table(plans: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Competitor": plans["competitor"],
            "Plan": plans["plan_name"],
            "Billing period": plans["billing_period"],
            "Price": [
                format_price(row.price, row.currency, row.is_custom) for row in plans.itertuples()
            ],
            "Unit": plans["unit"],
            "Features": plans["features"],
            "Method": plans["method"],
        }
    )


def price_history_points(intervals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Two points per priced interval (start and end), for a step line per plan.

    A removed plan's line ends where it was removed, and its name says so: only current plans
    reach the latest observation.
    """
    priced = intervals.dropna(subset=["price"])  # custom plans have no price to draw
    ends = priced["valid_to"].fillna(as_of)
    points = pd.concat([priced.assign(at=priced["valid_from"]), priced.assign(at=ends)])
    # A plan whose latest interval is closed was removed at its end (a price change would
    # have opened a new interval).
    latest = intervals.sort_values("valid_from").drop_duplicates(
        ["plan_name", "billing_period"], keep="last"
    )
    removed = {
        (row.plan_name, row.billing_period): row.valid_to
        for row in latest.itertuples()
        if not pd.isna(row.valid_to)
    }
    points["plan"] = [
        plan_label(name, period)
        + (f", removed {removed[name, period]:%Y-%m-%d}" if (name, period) in removed else "")
        for name, period in zip(points["plan_name"], points["billing_period"], strict=True)
    ]
    # At a change, the old interval's end comes before the new one's start: a clean step.
    points = points.sort_values(["plan", "at", "valid_from"], kind="stable")
    # Only what the chart draws: Altair embeds the whole frame in the page.
    return points[["plan", "at", "price", "currency", "valid_from"]]


def price_history_chart(points: pd.DataFrame) -> alt.Chart:
    currencies = sorted(points["currency"].dropna().unique())
    axis_title = f"Price ({', '.join(currencies)})" if currencies else "Price"
    return (
        alt.Chart(points)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X(
                "at:T",
                title=None,
                axis=weekly_axis(points["at"]),
            ),
            y=alt.Y("price:Q", title=axis_title),
            color=alt.Color("plan:N", title="Plan"),
            tooltip=[
                alt.Tooltip("plan:N", title="Plan"),
                alt.Tooltip("price:Q", title="Price", format=".2f"),
                alt.Tooltip("currency:N", title="Currency"),
                alt.Tooltip("valid_from:T", title="From", format="%Y-%m-%d %H:%M"),
            ],
        )
    )


def price_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "When": changes["changed_at"],
            "Kind": [CHANGE_KINDS.get(kind, kind) for kind in changes["change_kind"]],
            "Change": describe_price_changes(changes),
        }
    )


st.title("Pricing")

competitors = query("select competitor_id, name from marts.dim_competitors order by name")
if competitors.empty:
    st.info("The published file has no competitors yet.")
    st.stop()
names = dict(zip(competitors["competitor_id"], competitors["name"], strict=True))

selected = st.multiselect(
    "Competitors",
    options=list(names),
    default=list(names),
    format_func=names.__getitem__,
    key="pricing_competitors",
)
if not selected:
    st.info("Select at least one competitor.")
    st.stop()

st.subheader("Current plans")
st.dataframe(
    current_plans_table(query(CURRENT_PLANS_SQL, [selected])),
    hide_index=True,
    column_config={"Features": st.column_config.NumberColumn(help="Number of listed features")},
)

st.subheader("Price history")
liveliest = query(MOST_CHANGED_SQL, [selected])["competitor_id"]
competitor_id = st.selectbox(
    "Competitor",
    options=selected,
    index=selected.index(liveliest.iloc[0]) if not liveliest.empty else 0,
    format_func=names.__getitem__,
    key="pricing_history_competitor",
)
intervals = query(PRICE_INTERVALS_SQL, [competitor_id])
periods = sorted(intervals["billing_period"].unique())
if len(periods) > 1:
    # Monthly and yearly amounts differ twelvefold: one scale at a time keeps both readable.
    period = st.radio(
        "Billing period",
        periods,
        index=periods.index("month") if "month" in periods else 0,
        horizontal=True,
        key="pricing_history_period",
    )
    intervals = intervals[intervals["billing_period"] == period]
as_of = query(AS_OF_SQL)["as_of"].iloc[0]
# Open intervals end at the latest observation, or at their own start if the ledger is empty.
latest_start = intervals["valid_from"].max()
as_of = latest_start if pd.isna(as_of) else max(as_of, latest_start)

points = price_history_points(intervals, as_of)
if points.empty:
    st.info(f"No priced plans observed for {names[competitor_id]}.")
else:
    st.altair_chart(price_history_chart(points))

changes = query(PRICE_CHANGES_SQL, [competitor_id])
if changes.empty:
    st.caption(f"No price changes observed for {names[competitor_id]}.")
else:
    st.dataframe(
        price_changes_table(changes),
        hide_index=True,
        column_config={"When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
