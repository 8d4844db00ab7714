"""jobposting spider on the benchmark's labelled JobPosting pages (benchmarks/pages): the
salary shapes schema.org allows, department fields, RDFa, remote postings."""

from __future__ import annotations

import pytest

from scrapers.jobs import salary_from_text
from scrapers.spiders.jobposting import JobpostingSpider


@pytest.fixture
def posting(kit):
    """posting(page) → the one JobItem the posting page gives."""

    def crawl(name: str):
        url = f"https://jobs.example/careers/{name}"
        spider = kit.make_spider(JobpostingSpider)
        response = kit.saved_response(name, url, meta={"radar_kind": "posting"})
        target = kit.target(url, spider="jobposting")
        (item,) = spider.parse_target(response, target)
        return item

    return crawl


def salary(item):
    return (
        item["salary_min"],
        item["salary_max"],
        item["salary_currency"],
        item["salary_period"],
    )


def test_base_salary_as_a_number_with_salary_currency(posting):
    item = posting("job_salary_number.html")
    assert salary(item) == ("1800.00", "1800.00", "EUR", None)
    # employmentUnit (an OrganizationRole) is the department
    assert item["department"] == "Customer Success"


def test_base_salary_as_text_with_salary_currency(posting):
    item = posting("job_salary_text.html")
    assert salary(item) == ("60000.00", "70000.00", "GBP", "year")
    assert item["department"] == "Design"  # employmentUnit as text


def test_monetary_amount_range(posting):
    item = posting("job_monetary_range.html")
    assert salary(item) == ("75000.00", "95000.00", "EUR", "year")
    assert (item["department"], item["location"]) == ("Data Platform", "Berlin, DE")


def test_remote_posting_with_several_locations(posting):
    item = posting("job_remote_multi.html")
    assert item["workplace_type"] == "remote"
    assert item["location"] == "New York, NY, US; Toronto, ON, CA"
    assert salary(item) == ("65.00", "65.00", "USD", "hour")
    assert item["department"] == "Platform"


def test_rdfa_posting(posting):
    item = posting("job_rdfa.html")
    assert (item["job_id"], item["title"]) == ("MER-31", "Account Executive")
    assert salary(item) == ("50000.00", "65000.00", "EUR", "year")
    assert (item["location"], item["workplace_type"]) == ("Madrid, ES", "onsite")
    assert item["employment_type"] == "full-time"


def test_microdata_posting_with_plain_monetary_value(posting):
    item = posting("job_microdata.html")
    assert salary(item) == ("18000.00", "18000.00", "PLN", "month")
    assert item["employment_type"] == "contract"


def test_remote_posting_without_job_location_names_the_allowed_countries(kit):
    spider = kit.make_spider(JobpostingSpider)
    row = spider.posting_row(
        {
            "title": "SRE",
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": [
                {"@type": "Country", "name": "Germany"},
                {"@type": "Country", "name": "Austria"},
            ],
        },
        "https://jobs.example/sre",
    )
    assert (row["workplace_type"], row["location"]) == ("remote", "Remote (Germany; Austria)")


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("60,000 - 70,000 per year", "GBP", ("60000.00", "70000.00", "GBP", "year")),
        ("€45k–55k a year", None, ("45000.00", "55000.00", "EUR", "year")),
        ("US$30 to US$40 per hour", None, ("30.00", "40.00", "USD", "hour")),
        ("$30 to $40 per hour", None, ("30.00", "40.00", None, "hour")),  # "$" alone: unknown
        ("1800", "EUR", ("1800.00", "1800.00", "EUR", None)),
    ],
)
def test_salary_from_text(text, currency, expected):
    found = salary_from_text(text, currency)
    assert (
        found["salary_min"],
        found["salary_max"],
        found["salary_currency"],
        found["salary_period"],
    ) == expected


def test_salary_from_text_without_amount_is_none():
    assert salary_from_text("competitive", "EUR") is None


def test_salary_bounds_with_grouped_thousands(posting):
    # "minValue": "70.000" is seventy thousand, as most of Europe writes it.
    item = posting("job_estimated_salary_list.html")
    assert salary(item) == ("70000.00", "90000.00", "EUR", "year")
    assert (item["department"], item["workplace_type"]) == ("Infrastructure", "remote")


def test_employment_unit_role_name_is_the_department(kit):
    spider = kit.make_spider(JobpostingSpider)
    row = spider.posting_row(
        {"title": "Office Manager", "employmentUnit": {"roleName": "Operations"}},
        "https://jobs.example/om",
    )
    assert row["department"] == "Operations"
