"""Pricing comparison: every competitor's current plans side by side, per seat per month."""

import altair as alt
import pandas as pd
import streamlit as st

from app.db import query, query_mart
from app.prices import format_price, is_missing, monthly_seat_price

CURRENT_PLANS_SQL = """
select c.name as competitor, p.plan_name, p.billing_period, p.unit, p.price, p.currency,
    p.is_custom
from marts.fct_plan_prices as p
join marts.dim_competitors as c using (competitor_id)
where p.is_current
order by c.name, p.plan_name, p.billing_period
"""

RATES_SQL = "select currency, rate_per_eur, rate_date from marts.dim_exchange_rates"

ALL_CURRENCIES = "All currencies"
NORMALISED = "Per seat / month"
AS_LISTED = "As listed, split by currency"
CONVERTED = "Per seat / month in {currency}"


def convert(amount, currency, reporting: str, rates: dict[str, float]) -> float | None:
    """`amount` in `currency` as `reporting` currency, through the euro (ECB rates are units
    per euro); None when either currency has no rate."""
    if amount is None or pd.isna(amount) or currency not in rates or reporting not in rates:
        return None
    return round(float(amount) / rates[currency] * rates[reporting], 2)


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


def comparison_chart(
    table: pd.DataFrame, currency: str, column: str = NORMALISED, note: str = ""
) -> alt.Chart:
    priced = table.dropna(subset=[column]).assign(
        label=lambda t: t["Plan"] + " (" + t["Billing period"] + ")"
    )
    return (
        alt.Chart(priced[["Competitor", "label", column]])
        .mark_bar()
        .encode(
            x=alt.X(f"{column}:Q", title=f"Per seat per month ({currency}{note})"),
            y=alt.Y("label:N", title=None, sort="x"),
            color=alt.Color("Competitor:N"),
            row=alt.Row("Competitor:N", title=None),
            tooltip=["Competitor:N", "label:N", alt.Tooltip(f"{column}:Q", format=".2f")],
        )
        .resolve_scale(y="independent")
    )


st.title("Pricing comparison")
st.caption(
    "Current plans of every competitor, normalised to one seat for one month where the page "
    "says enough: a yearly price counts as a twelfth a month; per seat, user, member or "
    "editor count as per seat. Other units, unstated periods and custom plans keep their "
    "listed price and say why. Prices stay in their own currency unless you choose a "
    "reporting currency (ECB euro reference rates)."
)

plans = query(CURRENT_PLANS_SQL)
if plans.empty:
    st.info("No current plans published yet: `pricing` sources in the catalog fill this.")
    st.stop()

currencies = sorted(plans["currency"].dropna().unique())
# A publication made before the rates were published converts nothing: as listed only.
rates_frame = query_mart(RATES_SQL, what="exchange rates", explain=False)
rates = (
    {}
    if rates_frame is None
    else dict(zip(rates_frame["currency"], rates_frame["rate_per_eur"], strict=True))
)
filter_col, report_col, group_col = st.columns(3)
currency = filter_col.selectbox(
    "Currency", [ALL_CURRENCIES, *currencies], key="comparison_currency"
)
reporting = report_col.selectbox(
    "Show prices", [AS_LISTED, *(f"in {c}" for c in sorted(rates))], key="comparison_reporting"
)
by_competitor = group_col.toggle("Group by competitor", key="comparison_by_competitor")
if currency != ALL_CURRENCIES:
    plans = plans[plans["currency"] == currency]

table = comparison_table(plans, by_competitor=by_competitor)
column_config = {
    NORMALISED: st.column_config.NumberColumn(
        format="%.2f", help="In the plan's own currency; empty when it cannot be had"
    ),
    "How": st.column_config.TextColumn(width="medium"),
}
if reporting != AS_LISTED:
    target = reporting.removeprefix("in ")
    converted = CONVERTED.format(currency=target)
    table.insert(
        table.columns.get_loc(NORMALISED) + 1,
        converted,
        [
            convert(v, c, target, rates)
            for v, c in zip(table[NORMALISED], table["Currency"], strict=True)
        ],
    )
    # ranked by the converted amount: that is the one comparable across currencies
    order = (["Competitor"] if by_competitor else []) + [converted, "Competitor", "Plan"]
    table = table.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)
    column_config[converted] = st.column_config.NumberColumn(
        format="%.2f", help="Converted at the ECB euro reference rates; empty without a rate"
    )
    rate_date = ", ".join(sorted({f"{d:%Y-%m-%d}" for d in rates_frame["rate_date"]}))
    st.caption(
        f"Converted to {target} at the ECB euro reference rates of {rate_date} ("
        + ", ".join(f"EUR 1 = {rates[c]:g} {c}" for c in sorted(rates) if c != "EUR")
        + "), the same rates for every date: list prices compared, not payments."
    )
st.dataframe(table, hide_index=True, column_config=column_config)

if reporting != AS_LISTED:
    if table[converted].notna().any():
        st.altair_chart(comparison_chart(table, target, converted, f", ECB rates of {rate_date}"))
else:
    # As listed: one chart per currency, never amounts of two currencies on one axis.
    for listed in currencies if currency == ALL_CURRENCIES else [currency]:
        in_currency = table[table["Currency"] == listed]
        if in_currency[NORMALISED].notna().any():
            st.altair_chart(comparison_chart(in_currency, listed))
