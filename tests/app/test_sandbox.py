"""The architects' SQL sandbox: read-only queries answer; every hostile statement is refused
with a reason, and nothing is written, read or attached outside the published file."""

from __future__ import annotations

import hashlib

import pytest

from app.sandbox import EXAMPLES, QueryRefused, run_query, sandbox


@pytest.fixture
def con(published):
    con = sandbox(published.path)
    yield con
    con.close()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_query_answers_from_the_published_file(con):
    answer = run_query(con, "select name from marts.dim_competitors order by name;")

    assert list(answer.frame["name"]) == ["Contoso Data", "Fabrikam Studio", "Northwind Analytics"]
    assert answer.truncated is False


def test_describe_show_and_explain_are_queries(con):
    described = run_query(con, "describe marts.fct_price_changes").frame
    assert "change_pct" in set(described["column_name"])
    assert "fct_price_changes" in set(run_query(con, "show all tables").frame["name"])
    assert not run_query(con, "explain select 1").frame.empty


def test_the_row_cap_truncates_and_says_so(con):
    answer = run_query(con, "select * from range(50)", row_cap=20)

    assert len(answer.frame) == 20
    assert answer.truncated is True


def test_a_long_query_is_stopped_at_the_time_limit(con):
    with pytest.raises(QueryRefused, match=r"ran longer than the limit of 0.5 s"):
        run_query(
            con,
            "select sum(a.range * b.range) from range(1000000) a, range(1000000) b",
            time_limit_s=0.5,
        )
    # the connection is still usable afterwards
    assert run_query(con, "select 42 as x").frame["x"].iloc[0] == 42


def test_hostile_statements_are_refused_and_nothing_is_written(con, published, tmp_path):
    before = digest(published.path)
    outside = tmp_path / "outside"
    hostile = {
        "insert into marts.dim_competitors (competitor_id) values ('x')": "INSERT",
        "update marts.fct_plan_prices set price = 0": "UPDATE",
        "delete from marts.fct_plan_prices": "DELETE",
        "drop table marts.fct_plan_prices": "DROP",
        "create table memory.main.stash as select 1": "CREATE",
        f"copy (select * from marts.dim_competitors) to '{outside}.csv'": "COPY",
        f"export database '{outside}'": "EXPORT",
        f"attach '{outside}.duckdb' as other": "ATTACH",
        "detach radar": "DETACH",
        "install httpfs": "LOAD",
        "load httpfs": "LOAD",
        "set enable_external_access = true": "SET",
        "reset lock_configuration": "SET",
        "pragma enable_profiling": "PRAGMA",
        "checkpoint": None,
        "select 1; select 2": "2 statements",
    }
    for sql, kind in hostile.items():
        with pytest.raises(QueryRefused, match="Refused") as refused:
            run_query(con, sql)
        if kind:
            assert kind in str(refused.value), sql
    assert not list(tmp_path.glob("outside*"))
    assert digest(published.path) == before


def test_queries_cannot_reach_local_files(con, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    for sql in (
        f"select * from read_csv('{secret}')",
        f"select * from '{secret}'",
        f"select * from read_text('{secret}')",
        "select * from glob('/*')",
    ):
        with pytest.raises(QueryRefused, match="file system operations are disabled"):
            run_query(con, sql)


def test_every_example_runs(con):
    for name, sql in EXAMPLES.items():
        assert run_query(con, sql).frame is not None, name


def test_sql_page_answers_the_example_and_refuses_a_write(published, app_test):
    at = app_test().run()
    at.switch_page("views/sql.py").run()
    assert not at.exception
    assert at.title[0].value == "SQL"
    assert at.selectbox(key="sql_example").value == (
        "Technologies gaining most momentum over 12 weeks"
    )
    answer = at.dataframe[0].value
    # Polars leads the fixture's momentum (+40% over 12 weeks)
    assert answer.iloc[0]["name"] == "Polars"
    assert answer.iloc[0]["momentum_12w_pct"] == 40.0

    at.text_area(key="sql_text_0").set_value("delete from marts.fct_plan_prices").run()

    (error,) = at.error
    assert error.value.startswith("Refused: this console runs one read-only query")
    assert "(this is a DELETE statement)" in error.value
    assert not at.dataframe


def test_radar_sql_answers_a_query_and_refuses_a_copy(published, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.setenv("RADAR_DATA_DIR", str(published.path.parent.parent))
    runner = CliRunner()

    answer = runner.invoke(app, ["sql", "select name from marts.dim_competitors order by name"])
    assert answer.exit_code == 0, answer.output
    assert "Northwind Analytics" in answer.output
    assert "3 rows in" in answer.output

    refused = runner.invoke(app, ["sql", f"copy (select 1) to '{tmp_path}/leak.csv'"])
    assert refused.exit_code == 1
    assert "this is a COPY statement" in " ".join(refused.output.split())
    assert not (tmp_path / "leak.csv").exists()

    prompt = runner.invoke(app, ["sql"], input="select 6 * 7 as answer\n\n")
    assert prompt.exit_code == 0, prompt.output
    assert "42" in prompt.output
    assert "Technologies gaining most momentum over 12 weeks" in prompt.output
