"""The Pricing view shows current plans, a price history and the price changes."""

import pytest


@pytest.fixture
def pricing(published, app_test):
    at = app_test().run()
    at.switch_page("views/pricing.py").run()
    assert not at.exception
    return at


def test_current_plans_per_competitor(pricing):
    at = pricing

    assert at.title[0].value == "Pricing"
    assert at.multiselect(key="pricing_competitors").value == ["contoso", "fabrikam", "northwind"]
    plans = at.dataframe[0].value
    assert list(plans.columns) == [
        "Competitor",
        "Plan",
        "Billing period",
        "Price",
        "Unit",
        "Features",
        "Method",
    ]
    team = plans[(plans["Plan"] == "Team") & (plans["Billing period"] == "month")].iloc[0]
    assert team["Competitor"] == "Northwind Analytics"
    assert team["Billing period"] == "month"
    assert team["Price"] == "15.00 USD"
    assert team["Unit"] == "per seat"
    assert team["Features"] == 3
    assert team["Method"] == "json-ld"
    # Custom pricing is a fact, not a missing price; a free tier is a real zero.
    prices = dict(zip(plans["Plan"] + " " + plans["Billing period"], plans["Price"], strict=True))
    assert prices["Enterprise year"] == "Contact sales"
    assert prices["Free month"] == "0.00 USD"
    assert prices["Starter month"] == "9.00 EUR"
    assert prices["Team year"] == "144.00 USD"
    # Only current intervals: the old Team price and Fabrikam's removed Legacy are history.
    assert len(plans) == 8


def test_competitor_filter(pricing):
    at = pricing
    at.multiselect(key="pricing_competitors").set_value(["contoso"]).run()

    plans = at.dataframe[0].value
    assert set(plans["Competitor"]) == {"Contoso Data"}
    assert at.selectbox(key="pricing_history_competitor").options == ["Contoso Data"]


def test_price_history_and_changes(pricing, chart_data):
    at = pricing
    at.selectbox(key="pricing_history_competitor").set_value("northwind").run()
    assert not at.exception

    points = chart_data(at.get("vega_lite_chart")[0])
    assert set(points["plan"]) == {"Free (month)", "Team (month)"}  # custom plans have no price
    team = points[points["plan"] == "Team (month)"]
    assert list(team["price"]) == [12.0, 12.0, 15.0, 15.0]
    # Drawn in time order, the open interval ending at the last observation.
    assert list(team["at"].dt.strftime("%m-%d")) == ["11-09", "11-16", "11-16", "11-23"]

    changes = at.dataframe[1].value
    # fct_price_changes' rows, worded as This week words them
    assert list(changes.columns) == ["When", "Kind", "Change"]
    assert len(changes) == 1
    change = changes.iloc[0]
    assert change["Kind"] == "Price increase"
    assert change["Change"] == "Team (month): 12.00 USD → 15.00 USD (+25.0%)"
    assert change["When"].isoformat() == "2026-11-16T06:00:00+00:00"


def test_added_and_removed_plans_are_changes_and_removed_lines_end(pricing, chart_data):
    at = pricing.selectbox(key="pricing_history_competitor").set_value("fabrikam").run()
    assert not at.exception

    changes = at.dataframe[1].value
    assert sorted(zip(changes["Kind"], changes["Change"], strict=True))[:2] == [
        ("Plan added", "Studio (month) added: 30.00 GBP"),
        ("Plan removed", "Legacy (month) removed (was 10.00 GBP)"),
    ]
    points = chart_data(at.get("vega_lite_chart")[0])
    legacy = points[points["plan"].str.startswith("Legacy")]
    # The removed plan is named so, and its line ends at its removal.
    assert set(legacy["plan"]) == {"Legacy (month), removed 2026-11-23"}
    assert legacy["at"].max().isoformat() == "2026-11-23T06:00:00+00:00"
    assert set(points["currency"]) == {"GBP"}


def test_history_opens_on_the_competitor_whose_prices_moved(pricing):
    assert pricing.selectbox(key="pricing_history_competitor").value == "northwind"


def test_no_price_changes(pricing):
    at = pricing.selectbox(key="pricing_history_competitor").set_value("contoso").run()
    # Contoso: one price, never changed

    assert len(at.dataframe) == 1
    assert "No price changes observed for Contoso Data." in [c.value for c in at.caption]
