import csv
import shutil
from pathlib import Path

import pytest

from flows.catalog import (
    COMPETITOR_COLUMNS,
    SOURCE_COLUMNS,
    TECHNOLOGY_COLUMNS,
    CatalogError,
    Target,
    Technology,
    load_catalog,
    parse_selectors,
    plan,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
REAL = SEEDS / "catalog"
DEMO = SEEDS / "demo" / "catalog"
DEMO_URL = "http://127.0.0.1:8123/2026-11-16"


def test_real_catalog_loads():
    catalog = load_catalog(REAL)
    assert len(catalog.competitors) == 6
    assert len(catalog.technologies) == 10
    assert len(catalog.sources) == 30
    assert catalog.competitor("dbt-labs").website == "https://www.getdbt.com"
    assert catalog.source("duckdb-pypistats").url == (
        "https://pypistats.org/api/packages/duckdb/overall?mirrors=false"
    )
    # every technology has exactly one pypistats source, on the real API
    packages = {s.subject_id: s.package for s in catalog.sources if s.spider == "pypistats"}
    assert set(packages) == {t.technology_id for t in catalog.technologies}
    assert packages["apache-airflow"] == "apache-airflow"
    assert all("{demo_web}" not in s.url for s in catalog.sources)


def test_demo_catalog_loads():
    catalog = load_catalog(DEMO)
    assert [c.competitor_id for c in catalog.competitors] == [
        "northwind-analytics",
        "bluebird-data",
        "cobalt-cloud",
        "delta-metrics",
        "ember-labs",
    ]
    assert len(catalog.technologies) == 10
    assert len(catalog.sources) == 21
    assert sum(s.enabled for s in catalog.sources) == 20
    assert catalog.competitor("cobalt-cloud").hq_country == "GB"
    assert catalog.technology("apache-airflow").aliases == ("airflow", "Apache Airflow")
    northwind = catalog.source("northwind-analytics-pricing")
    assert northwind.selectors == {
        "plan": ".plan-card",
        "name": ".plan-name",
        "price": ".price",
        "period": ".period",
        "unit": ".unit",
        "features": ".features li",
        "cta": ".cta",
    }
    assert catalog.source("polars-pypistats").package == "polars"
    assert catalog.source("bluebird-data-pricing").selectors == {}


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("competitors.csv", COMPETITOR_COLUMNS),
        ("technologies.csv", TECHNOLOGY_COLUMNS),
        ("sources.csv", SOURCE_COLUMNS),
    ],
)
def test_both_catalogs_have_the_contract_columns(name, columns):
    for directory in (REAL, DEMO):
        with (directory / name).open(newline="") as handle:
            assert tuple(next(csv.reader(handle))) == columns


def test_no_other_csv_under_seeds():
    # dbt seeds every CSV under seeds/
    found = sorted(p.relative_to(SEEDS).as_posix() for p in SEEDS.rglob("*.csv"))
    assert found == [
        "catalog/competitors.csv",
        "catalog/sources.csv",
        "catalog/technologies.csv",
        "demo/catalog/competitors.csv",
        "demo/catalog/sources.csv",
        "demo/catalog/technologies.csv",
    ]


def _copy_with(tmp_path: Path, file: str, line: int, column: str, value: str) -> Path:
    """A copy of the demo catalog with one cell changed (line 1 is the header)."""
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target)
    path = target / file
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


@pytest.mark.parametrize(
    ("file", "line", "column", "value", "expected"),
    [
        (
            "sources.csv",
            4,
            "spider",
            "pricng",
            "unknown spider 'pricng' (expected one of: feed, github_releases, greenhouse, "
            "jobposting, lever, pages, pricing, pypistats)",
        ),
        ("sources.csv", 6, "subject_id", "pyspark", "unknown technology 'pyspark'"),
        ("sources.csv", 2, "subject_type", "technology", "does not fit spider 'pricing'"),
        ("sources.csv", 3, "url", "ftp://bluebird.example/pricing", "is not an http(s) URL"),
        ("sources.csv", 3, "url", "{demo_web}bluebird.example", "is not an http(s) URL"),
        ("sources.csv", 2, "selectors", "name=h3", "'plan' is required"),
        ("sources.csv", 2, "selectors", "plan=.card; colour=red", "unknown key 'colour'"),
        ("sources.csv", 7, "selectors", "plan=.card", "spider 'pypistats' takes no selectors"),
        ("sources.csv", 8, "enabled", "yes", "'yes' must be true or false"),
        ("sources.csv", 9, "source_id", "Pandas_Stats", "is not a slug"),
        ("sources.csv", 10, "source_id", "duckdb-pypistats", "duplicate id 'duckdb-pypistats'"),
        ("sources.csv", 6, "url", "https://pypistats.org/packages/duckdb", "not a pypistats URL"),
        ("competitors.csv", 3, "hq_country", "DEU", "not an ISO 3166 alpha-2 code"),
        ("competitors.csv", 4, "website", "cobalt.example", "is not an http(s) URL"),
        ("competitors.csv", 2, "name", "", "must not be empty"),
        ("technologies.csv", 5, "technology_id", "duckdb", "duplicate id 'duckdb'"),
        ("technologies.csv", 3, "aliases", "Polars||pola-rs", "empty alias"),
        ("technologies.csv", 10, "mention_pattern", r"\b(Go", "is not a valid regex"),
        ("technologies.csv", 10, "mention_pattern", r"(?<!Let's )Go\b", "lookahead/lookbehind"),
        ("technologies.csv", 11, "mention_pattern", r"\bR(?= language)", "lookahead/lookbehind"),
        ("technologies.csv", 11, "mention_pattern", r"(R)\s\1", "backreferences"),
        ("sources.csv", 14, "subject_type", "technology", "does not fit spider 'greenhouse'"),
        (
            "sources.csv",
            14,
            "url",
            "{demo_web}/boards-api.greenhouse.io/v1/boards/northwind/jobs",
            "is not a greenhouse API URL (expected https://boards-api.greenhouse.io/v1/boards/"
            "<token>/jobs?content=true)",
        ),
        (
            "sources.csv",
            14,
            "url",
            "https://boards.greenhouse.io/northwind",
            "is not a greenhouse API URL",
        ),
        (
            "sources.csv",
            15,
            "url",
            "https://jobs.lever.co/bluebird",
            "is not a lever API URL (expected https://api.lever.co/v0/postings/<site>?mode=json)",
        ),
        ("sources.csv", 15, "url", "https://api.lever.co/v0/postings/bluebird", "lever API URL"),
        (
            "sources.csv",
            17,
            "url",
            "https://api.github.com/repos/delta-metrics/releases",
            "is not a github_releases API URL (expected https://api.github.com/repos/"
            "<owner>/<repo>/releases?per_page=100)",
        ),
        (
            "sources.csv",
            17,
            "url",
            "https://github.com/delta-metrics/delta/releases",
            "github_releases API URL",
        ),
        ("sources.csv", 16, "url", "feed.xml", "is not an http(s) URL"),
        ("sources.csv", 19, "selectors", "plan=.card", "spider 'pages' takes no selectors"),
        ("sources.csv", 22, "subject_id", "duckdb", "unknown competitor 'duckdb'"),
    ],
)
def test_malformed_row_names_file_line_and_column(tmp_path, file, line, column, value, expected):
    catalog_dir = _copy_with(tmp_path, file, line, column, value)
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_dir)
    message = str(raised.value)
    assert f"{file} line {line}, column {column!r}: " in message
    assert expected in message


def test_missing_header_column(tmp_path):
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target)
    path = target / "technologies.csv"
    path.write_text(path.read_text().replace(",mention_pattern\n", "\n", 1))
    with pytest.raises(
        CatalogError, match=r"technologies\.csv line 1, column 'mention_pattern': missing"
    ):
        load_catalog(target)


def test_too_many_fields(tmp_path):
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target)
    path = target / "competitors.csv"
    path.write_text(path.read_text() + "acme,Acme,https://acme.example,x,US,desc,extra\n")
    with pytest.raises(CatalogError, match=r"competitors\.csv line 7, column .*too many fields"):
        load_catalog(target)


def test_plan_substitutes_the_demo_web_url():
    targets = plan(load_catalog(DEMO), demo_web_url=DEMO_URL + "/")
    assert sorted(targets) == [
        "feed",
        "github_releases",
        "greenhouse",
        "jobposting",
        "lever",
        "pages",
        "pricing",
        "pypistats",
    ]
    assert [t.source_id for t in targets["pricing"]] == [
        "northwind-analytics-pricing",
        "bluebird-data-pricing",
        "cobalt-cloud-pricing",
    ]  # the disabled archive source is not planned
    assert len(targets["pypistats"]) == 8
    assert targets["pricing"][0].url == f"{DEMO_URL}/northwind.example/pricing"
    assert targets["pypistats"][0].to_dict() == {
        "source_id": "duckdb-pypistats",
        "spider": "pypistats",
        "subject_type": "technology",
        "subject_id": "duckdb",
        "url": f"{DEMO_URL}/pypistats.org/api/packages/duckdb/overall?mirrors=false",
        "selectors": {},
    }
    assert targets["pricing"][0].to_dict()["selectors"]["plan"] == ".plan-card"


def test_plan_filters_spiders():
    targets = plan(load_catalog(DEMO), DEMO_URL, spiders={"pypistats"})
    assert list(targets) == ["pypistats"]
    with pytest.raises(CatalogError, match="unknown spider"):
        plan(load_catalog(DEMO), DEMO_URL, spiders={"careers"})


def test_plan_demo_urls_need_a_demo_web_url():
    with pytest.raises(CatalogError, match=r"'northwind-analytics-pricing'.*demo web"):
        plan(load_catalog(DEMO))


def test_plan_real_catalog_needs_no_demo_web():
    targets = plan(load_catalog(REAL))
    assert len(targets["pricing"]) == 6
    assert targets["pricing"][0].url == "https://www.getdbt.com/pricing"
    assert len(targets["pypistats"]) == 10
    assert [t.source_id for t in targets["greenhouse"]] == ["fivetran-greenhouse"]
    assert [t.url for t in targets["github_releases"]] == [
        "https://api.github.com/repos/dbt-labs/dbt-core/releases?per_page=100",
        "https://api.github.com/repos/airbytehq/airbyte/releases?per_page=100",
        "https://api.github.com/repos/astronomer/astronomer-cosmos/releases?per_page=100",
    ]
    assert len(targets["pages"]) == 6
    assert "feed" not in targets  # the one candidate feed is unverified, so disabled
    # every competitor source is on a competitor; uncertain ones are disabled with a note
    catalog = load_catalog(REAL)
    assert all(s.notes for s in catalog.sources if not s.enabled)


def test_target_round_trips_through_a_dict():
    target = plan(load_catalog(DEMO), DEMO_URL)["pricing"][0]
    assert Target.from_dict(target.to_dict()) == target


def test_parse_selectors():
    assert parse_selectors("") == {}
    assert parse_selectors('plan=div[data-x="a=b"];  name = h3 ;') == {
        "plan": 'div[data-x="a=b"]',
        "name": "h3",
    }
    with pytest.raises(ValueError, match="given twice"):
        parse_selectors("plan=a; plan=b")
    with pytest.raises(ValueError, match="expected key=css"):
        parse_selectors("plan=.card; price")


def test_demo_catalog_covers_every_competitor_spider():
    catalog = load_catalog(DEMO)
    assert [c.competitor_id for c in catalog.competitors] == [
        "northwind-analytics",
        "bluebird-data",
        "cobalt-cloud",
        "delta-metrics",
        "ember-labs",
    ]
    spiders = {(s.spider, s.subject_id) for s in catalog.sources if s.subject_type == "competitor"}
    assert {
        ("greenhouse", "northwind-analytics"),
        ("lever", "bluebird-data"),
        ("feed", "cobalt-cloud"),
        ("feed", "ember-labs"),
        ("github_releases", "delta-metrics"),
        ("jobposting", "delta-metrics"),
        ("jobposting", "ember-labs"),
        ("pages", "delta-metrics"),
        ("pages", "ember-labs"),
    } <= spiders
    assert catalog.source("northwind-analytics-greenhouse").handle == "northwind"
    assert catalog.source("bluebird-data-lever").handle == "bluebird"
    assert catalog.source("delta-metrics-github-releases").handle == "delta-metrics/delta"
    assert catalog.source("ember-labs-feed").handle is None
    assert load_catalog(REAL).source("airbyte-github-releases").handle == "airbytehq/airbyte"


def test_mention_matching():
    technologies = {t.technology_id: t for t in load_catalog(DEMO).technologies}
    go, r = technologies["go"], technologies["r"]
    assert go.mention_pattern.startswith(r"\b(?:Golang|Go (?:developer")
    assert go.mentioned_in("a fleet of Golang microservices")
    assert go.mentioned_in("Senior Go engineer")
    assert not go.mentioned_in("our Go to market plan")
    assert not go.mentioned_in("golang")  # patterns are case-sensitive
    assert r.mentioned_in("fluent in Python or R.")
    assert not r.mentioned_in("Our R&D team")
    assert not technologies["pandas"].mention_pattern
    # default: name and aliases, case-insensitive, bounded by non-word characters
    duckdb = technologies["duckdb"]
    assert duckdb.mentioned_in("we love duckdb.")
    assert duckdb.mentioned_in("DuckDB-WASM")
    assert duckdb.mentioned_in("Duck DB")
    assert not duckdb.mentioned_in("duckdbx")
    assert technologies["dbt-core"].mentioned_in("(dbt)")
    assert not technologies["dbt-core"].mentioned_in("dbtlabs")
    cpp = Technology("cpp", "C++", "language", (), "")
    assert cpp.mentioned_in("Modern C++, Rust")
    assert not cpp.mentioned_in("C++x")
