"""The Pricing comparison view: current plans side by side, per seat per month."""

import json

import pytest


@pytest.fixture
def comparison(published, app_test):
    at = app_test().run()
    at.switch_page("views/comparison.py").run()
    assert not at.exception
    return at


def rows(at):
    table = at.dataframe[0].value
    return table.set_index(table["Plan"] + " (" + table["Billing period"] + ")")


def test_normalised_per_seat_per_month(comparison):
    at = comparison

    assert at.title[0].value == "Pricing comparison"
    table = rows(at)
    assert list(table.columns) == [
        "Competitor",
        "Plan",
        "Billing period",
        "Listed price",
        "Currency",
        "Per seat / month",
        "How",
    ]
    team = table.loc["Team (month)"]
    assert team["Listed price"] == "15.00 USD / month per seat"
    assert team["Per seat / month"] == 15.0
    assert team["Currency"] == "USD"
    annual = table.loc["Team (year)"]
    assert annual["Listed price"] == "144.00 USD / year per seat"
    assert annual["Per seat / month"] == 12.0
    assert annual["How"] == "144.00 a year / 12"
    # per user and per editor count as per seat; a free tier is a real zero.
    assert table.loc["Starter (month)", "Per seat / month"] == 9.0
    assert table.loc["Studio (month)", "Per seat / month"] == 30.0
    assert table.loc["Free (month)", "Per seat / month"] == 0.0


def test_no_fabricated_numbers(comparison):
    table = rows(comparison)

    reasons = {
        plan: (table.loc[plan, "Listed price"], table.loc[plan, "How"])
        for plan in ["Events (month)", "Basic (unknown)", "Enterprise (year)"]
    }
    assert reasons == {
        "Events (month)": (
            "49.00 EUR / month per 100k events",
            "Priced per 100k events, not per seat",
        ),
        "Basic (unknown)": ("20.00 GBP per editor", "Billing period not stated on the page"),
        "Enterprise (year)": ("Contact sales", "Contact sales: no published price"),
    }
    assert table.loc[list(reasons), "Per seat / month"].isna().all()


def test_sorted_by_normalised_price(comparison):
    table = rows(comparison)

    assert list(table.index) == [
        "Free (month)",
        "Starter (month)",
        "Team (year)",
        "Team (month)",
        "Studio (month)",
        # No comparable price: last, by competitor then plan.
        "Events (month)",
        "Basic (unknown)",
        "Enterprise (year)",
    ]
    # Only current plans: Fabrikam's removed Legacy plan is not compared.
    assert "Legacy (month)" not in table.index


def test_group_by_competitor(comparison):
    at = comparison.toggle(key="comparison_by_competitor").set_value(True).run()

    table = rows(at)
    assert list(table["Competitor"]) == [
        "Contoso Data",
        "Contoso Data",
        "Fabrikam Studio",
        "Fabrikam Studio",
        "Northwind Analytics",
        "Northwind Analytics",
        "Northwind Analytics",
        "Northwind Analytics",
    ]
    northwind = table[table["Competitor"] == "Northwind Analytics"]
    assert list(northwind.index) == [
        "Free (month)",
        "Team (year)",
        "Team (month)",
        "Enterprise (year)",
    ]


def test_currency_filter_and_chart(comparison, chart_data):
    at = comparison
    assert at.selectbox(key="comparison_currency").options == [
        "All currencies",
        "EUR",
        "GBP",
        "USD",
    ]
    # As listed, one chart per currency: never amounts of two currencies on one axis.
    assert at.selectbox(key="comparison_reporting").value == "As listed, split by currency"
    titles = [json.loads(c.proto.spec)["encoding"]["x"]["title"] for c in at.get("vega_lite_chart")]
    assert titles == [f"Per seat per month ({c})" for c in ("EUR", "GBP", "USD")]

    at.selectbox(key="comparison_currency").set_value("USD").run()
    table = rows(at)
    assert set(table["Currency"]) == {"USD"}
    assert list(table.index) == ["Free (month)", "Team (year)", "Team (month)"]
    (chart,) = at.get("vega_lite_chart")
    # the currency on the axis
    assert json.loads(chart.proto.spec)["encoding"]["x"]["title"] == ("Per seat per month (USD)")
    points = chart_data(chart)
    assert dict(zip(points["label"], points["Per seat / month"], strict=True)) == {
        "Free (month)": 0.0,
        "Team (year)": 12.0,
        "Team (month)": 15.0,
    }


def test_reporting_currency_converts_at_ecb_rates(comparison, chart_data):
    at = comparison
    assert at.selectbox(key="comparison_reporting").options == [
        "As listed, split by currency", "in EUR", "in GBP", "in USD",
    ]  # fmt: skip
    at.selectbox(key="comparison_reporting").set_value("in EUR").run()
    assert not at.exception

    table = rows(at)
    converted = table["Per seat / month in EUR"]
    # 15.00 USD / 1.0389 USD per euro; 30.00 GBP / 0.82918 GBP per euro; euros stay as they are
    assert converted["Team (month)"] == 14.44
    assert converted["Studio (month)"] == 36.18
    assert converted["Starter (month)"] == 9.0
    assert table.loc["Team (month)", "Per seat / month"] == 15.0  # the listed amount stays
    caption = " ".join(c.value for c in at.caption)
    assert "ECB euro reference rates of 2024-12-31" in caption
    assert "EUR 1 = 1.0389 USD" in caption
    # One chart of every competitor in euros, the rates' date on the axis.
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["x"]["title"] == "Per seat per month (EUR, ECB rates of 2024-12-31)"
    points = chart_data(chart)
    assert set(points["Competitor"]) == {
        "Northwind Analytics", "Contoso Data", "Fabrikam Studio",
    }  # fmt: skip
    assert (
        dict(zip(points["label"], points["Per seat / month in EUR"], strict=True))["Team (month)"]
        == 14.44
    )
