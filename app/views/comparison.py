"""Pricing comparison: every competitor's current plans side by side, per seat per month."""

import altair as alt
import pandas as pd
import streamlit as st

from app.db import query
from app.prices import format_price, is_missing, monthly_seat_price

CURRENT_PLANS_SQL = """
select c.name as competitor, p.plan_name, p.billing_period, p.unit, p.price, p.currency,
    p.is_custom
from marts.fct_plan_prices as p
join marts.dim_competitors as c using (competitor_id)
where p.is_current
order by c.name, p.plan_name, p.billing_period
"""

ALL_CURRENCIES = "All currencies"
NORMALISED = "Per seat / month"


def listed_price(price, currency, billing_period, unit, is_custom) -> str:
    """The price as the page states it, e.g. "144.00 USD / year per seat"."""
    text = format_price(price, currency, is_custom) or "No price"
    if not is_custom and billing_period in ("month", "year"):
        text += f" / {billing_period}"
    elif not is_custom and billing_period == "one-time":
        text += " once"
    return text if is_custom or is_missing(unit) else f"{text} {unit}"


def comparison_table(plans: pd.DataFrame, *, by_competitor: bool) -> pd.DataFrame:
    normalised = [
        monthly_seat_price(row.price, row.billing_period, row.unit, row.is_custom)
        for row in plans.itertuples()
    ]
    table = pd.DataFrame(
        {
            "Competitor": plans["competitor"],
            "Plan": plans["plan_name"],
            "Billing period": plans["billing_period"],
            "Listed price": [
                listed_price(r.price, r.currency, r.billing_period, r.unit, r.is_custom)
                for r in plans.itertuples()
            ],
            "Currency": plans["currency"],
            NORMALISED: [n.value for n in normalised],
            "How": [n.note for n in normalised],
        }
    )
    # Plans without a comparable price go last; ties keep competitors and plans together.
    order = (["Competitor"] if by_competitor else []) + [NORMALISED, "Competitor", "Plan"]
    return table.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)


def comparison_chart(table: pd.DataFrame, currency: str) -> alt.Chart:
    priced = table.dropna(subset=[NORMALISED]).assign(
        label=lambda t: t["Plan"] + " (" + t["Billing period"] + ")"
    )
    return (
        alt.Chart(priced[["Competitor", "label", NORMALISED]])
        .mark_bar()
        .encode(
            x=alt.X(f"{NORMALISED}:Q", title=f"Per seat per month ({currency})"),
            y=alt.Y("label:N", title=None, sort="x"),
            color=alt.Color("Competitor:N"),
            row=alt.Row("Competitor:N", title=None),
            tooltip=["Competitor:N", "label:N", alt.Tooltip(f"{NORMALISED}:Q", format=".2f")],
        )
        .resolve_scale(y="independent")
    )


st.title("Pricing comparison")
st.caption(
    "Current plans of every competitor, normalised to one seat for one month where the page "
    "says enough: a yearly price counts as a twelfth a month; per seat, user, member or "
    "editor count as per seat. Other units, unstated periods and custom plans keep their "
    "listed price and say why. Currencies are not converted."
)

plans = query(CURRENT_PLANS_SQL)
if plans.empty:
    st.info("No current plans published yet: `pricing` sources in the catalog fill this.")
    st.stop()

currencies = sorted(plans["currency"].dropna().unique())
filter_col, group_col = st.columns(2)
currency = filter_col.selectbox(
    "Currency", [ALL_CURRENCIES, *currencies], key="comparison_currency"
)
by_competitor = group_col.toggle("Group by competitor", key="comparison_by_competitor")
if currency != ALL_CURRENCIES:
    plans = plans[plans["currency"] == currency]

table = comparison_table(plans, by_competitor=by_competitor)
st.dataframe(
    table,
    hide_index=True,
    column_config={
        NORMALISED: st.column_config.NumberColumn(
            format="%.2f", help="In the plan's own currency; empty when it cannot be had"
        ),
        "How": st.column_config.TextColumn(width="medium"),
    },
)

if currency == ALL_CURRENCIES:
    st.caption("Pick one currency to chart the plans: prices are not converted.")
elif table[NORMALISED].notna().any():
    st.altair_chart(comparison_chart(table, currency))
