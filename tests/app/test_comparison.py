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
    # Across currencies nothing is charted: the amounts are not converted.
    assert not at.get("vega_lite_chart")

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
