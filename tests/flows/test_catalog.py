import csv
import re
import shutil
from pathlib import Path

import pytest

from flows.catalog import (
    COMPETITOR_COLUMNS,
    SIGNAL_WEIGHT_COLUMNS,
    SIGNALS,
    SOURCE_COLUMNS,
    TECHNOLOGY_COLUMNS,
    CatalogError,
    Target,
    Technology,
    load_catalog,
    load_signal_weights,
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
    assert len(catalog.technologies) == 44
    assert len(catalog.sources) == 201
    assert catalog.competitor("dbt-labs").website == "https://www.getdbt.com"
    assert catalog.source("duckdb-pypistats").url == (
        "https://pypistats.org/api/packages/duckdb/overall?mirrors=false"
    )
    # a technology has at most one pypistats source, on the real API; the issue-2 ten stay
    packages = {s.subject_id: s.package for s in catalog.sources if s.spider == "pypistats"}
    assert len(packages) == sum(s.spider == "pypistats" for s in catalog.sources) == 20
    assert packages["apache-airflow"] == "apache-airflow"
    assert packages["opentelemetry"] == "opentelemetry-api"
    assert all("{demo_web}" not in s.url for s in catalog.sources)
    assert catalog.quadrants == (
        "Databases & storage",
        "Data processing",
        "Orchestration & operations",
        "Languages & platforms",
    )
    assert catalog.benchmark == (
        "postgresql",
        "pandas",
        "apache-airflow",
        "kubernetes",
        "python",
        "typescript",
    )
    handles = {(s.subject_id, s.spider): s.handle for s in catalog.sources}
    assert handles["duckdb", "github_repo"] == "duckdb/duckdb"
    assert handles["duckdb", "npm_downloads"] == "@duckdb/node-api"
    assert handles["nodejs", "stackexchange_tags"] == "node.js"
    assert handles["pyarrow", "hn_mentions"] == "Apache Arrow"
    assert handles["pandas", "wikipedia_pageviews"] == "Pandas_(software)"
    assert handles["snowflake", "stackexchange_tags"] == "snowflake-cloud-data-platform"
    # every technology has a Stack Overflow tag; all but one a repository
    for spider, count in (("stackexchange_tags", 44), ("github_repo", 42)):
        assert sum(s.spider == spider for s in catalog.sources) == count


def test_demo_catalog_loads():
    catalog = load_catalog(DEMO)
    assert [c.competitor_id for c in catalog.competitors] == [
        "northwind-analytics",
        "bluebird-data",
        "cobalt-cloud",
        "delta-metrics",
        "ember-labs",
    ]
    assert len(catalog.technologies) == 14
    assert len(catalog.sources) == 74
    assert sum(s.enabled for s in catalog.sources) == 72
    # The JavaScript-only pricing page: crawled through a browser, off in demo runs.
    ember = catalog.source("ember-labs-pricing")
    assert (ember.render, ember.enabled) == (True, False)
    assert not catalog.source("cobalt-cloud-pricing").render
    assert catalog.benchmark == ("pandas", "dbt-core", "apache-airflow", "pyarrow")
    assert len(catalog.quadrants) == 4
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
    # dbt seeds every CSV under seeds/ (seeds/bench/ holds a benchmark's generated catalog)
    found = sorted(
        p.relative_to(SEEDS).as_posix()
        for p in SEEDS.rglob("*.csv")
        if not p.relative_to(SEEDS).as_posix().startswith("bench/")
    )
    assert found == [
        "catalog/competitors.csv",
        "catalog/sources.csv",
        "catalog/technologies.csv",
        "demo/catalog/competitors.csv",
        "demo/catalog/sources.csv",
        "demo/catalog/technologies.csv",
        "exchange_rates.csv",
        "signal_weights.csv",
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
            "unknown spider 'pricng' (expected one of: feed, github_releases, github_repo, "
            "greenhouse, hn_mentions, jobposting, lever, npm_downloads, pages, pricing, "
            "pypistats, stackexchange_tags, wikipedia_pageviews)",
        ),
        ("sources.csv", 6, "subject_id", "pyspork", "unknown technology 'pyspork'"),
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
        ("sources.csv", 16, "subject_type", "technology", "does not fit spider 'greenhouse'"),
        (
            "sources.csv",
            16,
            "url",
            "{demo_web}/boards-api.greenhouse.io/v1/boards/northwind/jobs",
            "is not a greenhouse API URL (expected https://boards-api.greenhouse.io/v1/boards/"
            "<token>/jobs?content=true)",
        ),
        (
            "sources.csv",
            16,
            "url",
            "https://boards.greenhouse.io/northwind",
            "is not a greenhouse API URL",
        ),
        (
            "sources.csv",
            17,
            "url",
            "https://jobs.lever.co/bluebird",
            "is not a lever API URL (expected https://api.lever.co/v0/postings/<site>?mode=json)",
        ),
        ("sources.csv", 17, "url", "https://api.lever.co/v0/postings/bluebird", "lever API URL"),
        (
            "sources.csv",
            19,
            "url",
            "https://api.github.com/repos/delta-metrics/releases",
            "is not a github_releases API URL (expected https://api.github.com/repos/"
            "<owner>/<repo>/releases?per_page=100)",
        ),
        (
            "sources.csv",
            19,
            "url",
            "https://github.com/delta-metrics/delta/releases",
            "github_releases API URL",
        ),
        ("sources.csv", 18, "url", "feed.xml", "is not an http(s) URL"),
        ("sources.csv", 21, "selectors", "plan=.card", "spider 'pages' takes no selectors"),
        ("sources.csv", 24, "subject_id", "duckdb", "unknown competitor 'duckdb'"),
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
    path.write_text(path.read_text().replace(",benchmark\n", "\n", 1))
    with pytest.raises(
        CatalogError, match=r"technologies\.csv line 1, column 'benchmark': missing"
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
        "github_repo",
        "greenhouse",
        "hn_mentions",
        "jobposting",
        "lever",
        "npm_downloads",
        "pages",
        "pricing",
        "pypistats",
        "stackexchange_tags",
        "wikipedia_pageviews",
    ]
    assert [t.source_id for t in targets["pricing"]] == [
        "northwind-analytics-pricing",
        "bluebird-data-pricing",
        "cobalt-cloud-pricing",
    ]  # the disabled archive source is not planned
    assert len(targets["pypistats"]) == 10
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
    assert len(targets["pypistats"]) == 20
    assert len(targets["github_repo"]) == 42
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


# --------------------------------------------------------------------------- issue 4
def _demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target)
    return target


def test_a_fifth_category_is_rejected(tmp_path):
    # line 15 (sqoop) is the first row of a category nobody else uses once renamed
    catalog_dir = _copy_with(tmp_path, "technologies.csv", 15, "category", "Streaming")
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_dir)
    message = str(raised.value)
    assert "technologies.csv line 15, column 'category': 'Streaming' would be a fifth" in message
    assert (
        "already used: Databases & storage, Data processing, Orchestration & operations, "
        "Languages & platforms" in message
    )


def test_a_fourth_category_is_fine_and_categories_are_case_sensitive(tmp_path):
    catalog_dir = _copy_with(tmp_path, "technologies.csv", 15, "category", "data processing")
    with pytest.raises(CatalogError, match="line 15, column 'category'"):
        load_catalog(catalog_dir)  # a differently cased name is another quadrant
    catalog_dir = _copy_with(
        tmp_path / "b", "technologies.csv", 15, "category", "Languages & platforms"
    )
    catalog = load_catalog(catalog_dir)
    assert len(catalog.quadrants) == 4
    assert catalog.technology("sqoop").category == "Languages & platforms"


def test_benchmark_flag_is_true_or_false_and_required(tmp_path):
    catalog_dir = _copy_with(tmp_path, "technologies.csv", 4, "benchmark", "yes")
    with pytest.raises(CatalogError, match=r"line 4, column 'benchmark': 'yes' must be true"):
        load_catalog(catalog_dir)
    target = _demo_copy(tmp_path / "none")
    path = target / "technologies.csv"
    path.write_text(path.read_text().replace(",true\n", ",false\n"))
    with pytest.raises(
        CatalogError, match=r"technologies\.csv line 2, column 'benchmark': no tech"
    ):
        load_catalog(target)


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        (25, "https://github.com/pandas-dev/pandas", "not a github_repo API URL"),
        (25, "https://api.github.com/repos/pandas-dev", "not a github_repo API URL"),
        (25, "https://api.github.com/repos/pandas-dev/pandas/releases", "github_repo API URL"),
        (
            "npm",
            "https://api.npmjs.org/downloads/range/last-year/a,b",
            "not a npm_downloads API URL (expected https://api.npmjs.org/downloads/range/"
            "last-year/<package>)",
        ),
        ("npm", "https://api.npmjs.org/downloads/point/last-year/apache-arrow", "npm_downloads"),
        ("npm", "https://www.npmjs.com/package/apache-arrow", "npm_downloads API URL"),
        (
            26,
            "https://api.stackexchange.com/2.3/tags/pandas/info",
            "not a stackexchange_tags API URL (expected https://api.stackexchange.com/2.3/tags/"
            "<tag>/info?site=stackoverflow)",
        ),
        (26, "https://api.stackexchange.com/2.3/tags/Pandas/info?site=stackoverflow", "tags"),
        (
            "hn",
            "https://hn.algolia.com/api/v1/search_by_date?tags=story",
            "not a hn_mentions API URL",
        ),
        ("hn", "https://hn.algolia.com/api/v1/search?query=pandas&tags=story", "hn_mentions"),
        ("hn", "https://hn.algolia.com/api/v1/search_by_date?query=pandas", "hn_mentions"),
        (
            "wiki",
            "https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
            "all-access/all-agents/DuckDB/daily",
            "not a wikipedia_pageviews API URL",
        ),
        (
            "wiki",
            "https://en.wikipedia.org/wiki/DuckDB",
            "wikipedia_pageviews API URL",
        ),
    ],
)
def test_technology_api_url_shapes(tmp_path, line, value, expected):
    rows = list(csv.reader((DEMO / "sources.csv").open(newline="")))
    first = {"npm": "npm_downloads", "hn": "hn_mentions", "wiki": "wikipedia_pageviews"}
    if isinstance(line, str):
        line = next(i for i, r in enumerate(rows, 1) if r[1] == first[line])
    catalog_dir = _copy_with(tmp_path, "sources.csv", line, "url", value)
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_dir)
    assert f"sources.csv line {line}, column 'url': " in str(raised.value)
    assert expected in str(raised.value)


def test_technology_spiders_take_technologies(tmp_path):
    catalog_dir = _copy_with(tmp_path, "sources.csv", 25, "subject_type", "competitor")
    with pytest.raises(CatalogError, match=r"line 25, column 'subject_type'.*'github_repo'"):
        load_catalog(catalog_dir)


def test_demo_technology_sources_and_handles():
    catalog = load_catalog(DEMO)
    by_tech: dict[str, set[str]] = {}
    for source in catalog.sources:
        if source.subject_type == "technology":
            by_tech.setdefault(source.subject_id, set()).add(source.spider)
    every = {
        "github_repo",
        "pypistats",
        "npm_downloads",
        "stackexchange_tags",
        "hn_mentions",
        "wikipedia_pageviews",
    }
    assert by_tech["polars"] == every  # the riser: every signal
    assert by_tech["duckdb"] == every
    assert by_tech["r"] == {"stackexchange_tags"}  # the single signal
    assert by_tech["dagster"] == every - {"npm_downloads"}  # its Wikipedia article fails
    assert by_tech["sqoop"] == every - {"pypistats", "npm_downloads"}
    assert catalog.source("duckdb-npm-downloads").handle == "@duckdb/node-api"
    assert catalog.source("apache-hadoop-hn-mentions").handle == "Hadoop"
    assert catalog.source("pyarrow-hn-mentions").url == (
        "{demo_web}/hn.algolia.com/api/v1/search_by_date?query=Apache%20Arrow&tags=story"
    )
    assert catalog.source("dagster-wikipedia-pageviews").handle == "Dagster"
    targets = plan(catalog, DEMO_URL, spiders={"wikipedia_pageviews"})["wikipedia_pageviews"]
    assert targets[0].url == (
        f"{DEMO_URL}/wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
        "all-access/user/Apache_Arrow/daily"
    )


def test_signal_weights():
    weights = load_catalog(DEMO).signal_weights
    assert weights == load_catalog(REAL).signal_weights  # one file, shared
    assert {w.signal: w.weight for w in weights} == {
        "github_stars": 1.0,
        "pypi_downloads": 1.0,
        "npm_downloads": 1.0,
        "stackoverflow_questions": 1.0,
        "hn_stories": 0.5,
        "wikipedia_pageviews": 0.5,
    }
    assert tuple(w.signal for w in weights) == SIGNALS
    assert all(len(w.description) > 40 for w in weights)
    with (SEEDS / "signal_weights.csv").open(newline="") as handle:
        assert tuple(next(csv.reader(handle))) == SIGNAL_WEIGHT_COLUMNS


@pytest.mark.parametrize(
    ("line", "column", "value", "expected"),
    [
        (2, "signal", "github_forks", "unknown signal 'github_forks'"),
        (3, "weight", "-1", "'-1' must be a finite number >= 0"),
        (3, "weight", "nan", "'nan' must be a finite number"),
        (4, "weight", "heavy", "'heavy' is not a number"),
        (5, "signal", "github_stars", "duplicate id 'github_stars'"),
        (6, "description", "", "must not be empty"),
    ],
)
def test_signal_weights_are_validated(tmp_path, line, column, value, expected):
    with (SEEDS / "signal_weights.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    path = tmp_path / "signal_weights.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(CatalogError) as raised:
        load_signal_weights(path)
    assert f"signal_weights.csv line {line}, column {column!r}: {expected}" in str(raised.value)
    # load_catalog reads the file it is given
    with pytest.raises(CatalogError, match=re.escape(expected)):
        load_catalog(DEMO, signal_weights=path)


def test_signal_weights_need_every_signal(tmp_path):
    path = tmp_path / "signal_weights.csv"
    text = (SEEDS / "signal_weights.csv").read_text()
    path.write_text("\n".join(line for line in text.splitlines() if "hn_stories" not in line))
    with pytest.raises(CatalogError, match=r"line 7, column 'signal': missing signal\(s\) hn_st"):
        load_signal_weights(path)


@pytest.mark.parametrize(
    ("spider", "render", "message"),
    [
        ("pricing", "yes", "'yes' must be true, false or empty"),
        ("feed", "true", "spider 'feed' does not render pages (pricing only)"),
    ],
)
def test_render_column_is_checked(tmp_path, spider, render, message):
    catalog = tmp_path / "catalog"
    shutil.copytree(DEMO, catalog)
    sources = catalog / "sources.csv"
    lines = sources.read_text().splitlines()
    header = lines[0].split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("cobalt-cloud-feed,"))
    cells = lines[row].split(",")
    assert cells[header.index("spider")] == "feed"
    cells[header.index("spider")] = spider
    cells[header.index("render")] = render
    if spider == "pricing":
        cells[header.index("url")] = "{demo_web}/cobalt.example/pricing"
    lines[row] = ",".join(cells)
    sources.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        CatalogError, match=f"line {row + 1}, column 'render': .*{re.escape(message)}"
    ):
        load_catalog(catalog)


def test_a_catalog_without_the_render_column_reads_it_as_false(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(DEMO, catalog)
    sources = catalog / "sources.csv"
    rows = list(csv.reader(sources.open(newline="")))
    column = rows[0].index("render")
    kept = [[cell for i, cell in enumerate(row) if i != column] for row in rows]
    with sources.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    assert not any(s.render for s in load_catalog(catalog).sources)
