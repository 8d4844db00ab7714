"""`radar`, the front door for people.

radar demo          build the offline demo market, then serve the app
radar run           crawl a catalog once: crawl → load → dbt → checks → publish
radar app           serve the Streamlit app over the published file
radar demo-web      serve the offline demo web on 127.0.0.1
radar serve         serve prefect.yaml's scheduled deployments from this process
radar docs          build dbt's docs offline and serve them on 127.0.0.1
radar extract       run a spider's parsing code on saved files (debugging)
radar try           crawl one source (or URL, or saved file) as a run would; load nothing
radar sql           one read-only query (or a prompt) over the published file
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console
from rich.table import Table

from flows.settings import Settings

app = typer.Typer(help=__doc__, no_args_is_help=True, rich_markup_mode="markdown")
console = Console(stderr=True)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    # Prefect reads its log level when imported, so this runs before any flow import.
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@contextmanager
def _progress(title: str):
    """A spinner while a flow runs (its steps are in Prefect's logs: `radar -v`)."""
    with console.status(title):
        yield


@contextmanager
def _stopped_by_sigterm():
    """SIGTERM (a service manager, a benchmark) ends the block as Ctrl+C would."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_summary(summaries: list[dict[str, Any]], elapsed: float) -> None:
    for s in summaries:
        table = Table(title=f"run {s['run_id']} · {s['status']} · observed {s['observed_at'][:10]}")
        for col in ("source kind", "items", "rows loaded", "parse problems"):
            table.add_column(col, justify="right" if col != "source kind" else "left")
        for kind in sorted(s["items"]):
            table.add_row(
                kind,
                str(s["items"][kind]),
                str(s["rows_loaded"].get(kind, 0)),
                str(s["parse_problems"].get(kind, 0)),
            )
        console.print(table)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(s["sources"].items()))
        console.print(f"  sources: {counts or 'none'}")
        for source_id, error in sorted(s["source_errors"].items()):
            console.print(f"  [yellow]{source_id}[/yellow] {error}")
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in s["timings"].items())
        console.print(f"  changed sources: {s['changed_sources']}")
        if s.get("skipped"):
            console.print(f"  [green]{s['skipped']}[/green]: build, checks and publish skipped")
        console.print(
            f"  checks: [green]{s['checks_passed']} passed[/green], "
            f"[{'red' if s['checks_failed'] else 'green'}]{s['checks_failed']} failed[/]"
            f"  ·  steps: {steps}"
        )
    last = summaries[-1] if summaries else None
    if last and last.get("published_path"):
        rows = ", ".join(f"{t} {n}" for t, n in last["published_rows"].items())
        console.print(f"[bold]Published[/bold] {last['published_path']}  ({rows})")
    console.print(f"Done in {elapsed:.1f}s.")


def _serve_app(port: int) -> None:
    settings = Settings()
    console.print(
        f"[bold]Serving the app[/bold] on http://127.0.0.1:{port} "
        f"(reading {settings.published_path}); Ctrl+C stops it."
    )
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(settings.root / "app" / "main.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with suppress(KeyboardInterrupt):
        subprocess.run(cmd, check=False)


@app.command()
def demo(
    no_app: Annotated[bool, typer.Option("--no-app", help="Stop after publishing.")] = False,
    port: Annotated[int, typer.Option(help="Port of the app.")] = 8501,
) -> None:
    """Crawl the offline demo market snapshot by snapshot, publish it, serve the app."""
    from flows.demo import demo_market
    from flows.reaper import start_for_this_process

    start_for_this_process()  # stops Prefect's temporary API if this process is killed

    start = time.monotonic()
    with _progress("Building the demo market"):
        summaries = demo_market()
    _print_summary(summaries, time.monotonic() - start)
    if not no_app:
        from flows.crawl import close_crawl_workers

        close_crawl_workers()  # their warm Scrapy imports are not needed while the app serves
        _serve_app(port)


@app.command()
def run(
    catalog: Annotated[str, typer.Option(help="real or demo.")] = "",
    spider: Annotated[
        list[str] | None, typer.Option(help="Only sources of this kind (repeatable).")
    ] = None,
    subjects: Annotated[
        str | None, typer.Option(help="Only sources about competitors or technologies.")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only this source (repeatable).")] = None,
) -> None:
    """Run the pipeline once. With `--catalog demo` the demo web is started for you."""
    from demo.web import DemoWeb, snapshots
    from flows.catalog import CatalogError
    from flows.pipeline import PipelineFailed, pipeline
    from flows.reaper import start_for_this_process
    from flows.run import DataDirBusy

    start_for_this_process()  # stops Prefect's temporary API if this process is killed

    settings = Settings(**({"catalog": catalog} if catalog else {}))
    start = time.monotonic()
    try:
        with _progress(f"Running the {settings.catalog} catalog"):
            if settings.catalog == "demo" and not settings.demo_web_url:
                with DemoWeb(settings.demo_web_dir) as web:
                    latest = snapshots(settings.demo_web_dir)[-1]
                    summary = pipeline(
                        catalog="demo",
                        spiders=spider,
                        subjects=subjects,
                        sources=source,
                        demo_web_url=web.snapshot_url(latest),
                    )
            else:
                summary = pipeline(
                    catalog=settings.catalog, spiders=spider, subjects=subjects, sources=source
                )
    except DataDirBusy as exc:
        console.print(f"[red]Run not started:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    except (PipelineFailed, CatalogError) as exc:
        console.print(f"[red]Run failed, nothing published:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    _print_summary([summary], time.monotonic() - start)


@app.command("app")
def app_cmd(port: Annotated[int, typer.Option(help="Port of the app.")] = 8501) -> None:
    """Serve the Streamlit app over the published file."""
    _serve_app(port)


@app.command("demo-web")
def demo_web(
    port: Annotated[int, typer.Option(help="0 picks a free port.")] = 0,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            help="Fail a path: PATH=STATUS[,retry-after=S][,delay=S][,times=N] (repeatable)."
        ),
    ] = None,
    market: Annotated[
        str,
        typer.Option(help="S: the demo market; M or L: a scaled copy of it (any day)."),
    ] = "S",
    request_log: Annotated[
        Path | None, typer.Option(help="On exit, write every request path served to this file.")
    ] = None,
) -> None:
    """Serve the offline demo web (competitor sites and trend APIs) on 127.0.0.1."""
    from demo.market import Market, MarketSite
    from demo.web import DemoWeb, Fault

    settings = Settings()
    try:
        faults = dict(Fault.parse(text) for text in fault or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fault") from exc
    try:
        site = None if market == "S" else MarketSite(Market.of(market))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--market") from exc
    with DemoWeb(settings.demo_web_dir, site=site, port=port, faults=faults) as web:
        console.print(f"[bold]Demo web[/bold] at {web.url}  (Ctrl+C stops it)")
        for day in web.snapshots():
            console.print(f"  snapshot {day}: {web.snapshot_url(day)}")
        if site is not None:
            console.print(f"  market {market}, any day: {web.url}/<YYYY-MM-DD>")
        with suppress(KeyboardInterrupt), _stopped_by_sigterm():
            while True:
                time.sleep(3600)
        if request_log is not None:
            request_log.write_text("".join(path + "\n" for path in web.requests))


@app.command()
def serve(
    name: Annotated[
        list[str] | None,
        typer.Argument(help="Only these deployments of prefect.yaml (default: all)."),
    ] = None,
    limit: Annotated[
        int, typer.Option(help="Flow runs at once (the warehouse has one writer).")
    ] = 1,
) -> None:
    """Serve prefect.yaml's deployments on their schedules from this process.

    Needs a Prefect API with its scheduler: `prefect server start` and
    PREFECT_API_URL=http://127.0.0.1:4200/api, or Prefect Cloud.
    """
    from flows.serve import ServeError
    from flows.serve import serve as serve_deployments

    try:
        serve_deployments(name or None, limit=limit)
    except ServeError as exc:
        console.print(
            f"[red]Cannot serve:[/red] {exc}", markup=True, highlight=False, soft_wrap=True
        )
        raise typer.Exit(2) from exc


@app.command()
def docs(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8580,
) -> None:
    """Build dbt's docs (lineage, every model and column described) offline and serve them."""
    from flows.docs import DocsBuildError, build_docs, serve_docs

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with console.status("Building the data docs (dbt docs generate)"):
            page = build_docs(
                settings.warehouse_path, settings.catalog, output_dir=settings.data_dir / "docs"
            )
    except DocsBuildError as exc:
        console.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(1) from exc
    server = serve_docs(page, port=port)
    console.print(f"[bold]Data docs[/bold] at {server.url} ({page}); Ctrl+C stops them.")
    try:
        with suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        server.server_close()


@app.command()
def extract(
    spider: Annotated[str, typer.Argument(help="Spider whose parsing code to run.")],
    paths: Annotated[
        list[Path], typer.Argument(help="Saved HTML, JSON or feed (.xml) files.", exists=True)
    ],
    url: Annotated[str | None, typer.Option(help="The URL the files were saved from.")] = None,
    explain: Annotated[
        bool,
        typer.Option(
            help="pricing: also say, on stderr, what each method found and why its plans "
            "were kept or dropped."
        ),
    ] = False,
) -> None:
    """Print one JSON object per item found in saved files, each with an `input` key."""
    from scrapers.extract import explain as explain_page
    from scrapers.extract import extract as extract_items

    if explain and spider != "pricing":
        raise typer.BadParameter("covers the pricing spider only", param_hint="--explain")
    for path in paths:
        for item in extract_items(spider, path, url):
            print(json.dumps({"input": str(path), **item}, ensure_ascii=False, default=str))
        if explain:
            _print_explanation({"url": str(path), "trace": explain_page(spider, path, url)})


_PLAN_COLUMNS = ("name", "price", "currency", "billing_period", "unit", "is_custom", "method")


def _plan_table(title: str, plans: list[dict[str, Any]], *, why: bool = False) -> Table:
    """Plans as a table; ``why`` adds the text each price was read from."""
    columns = (*_PLAN_COLUMNS, "price_text") if why else _PLAN_COLUMNS
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column == "price" else "left")
    for plan in plans:
        table.add_row(*(str(plan.get(c)) if plan.get(c) is not None else "-" for c in columns))
    return table


def _print_explanation(page: dict[str, Any]) -> None:
    """What the pricing spider tried on one page, method by method, in order of trust."""
    console.print(f"[bold]Explain[/bold] {page['url']}")
    for step in page["trace"]:
        plans = step["plans"]
        color = "green" if step["verdict"].startswith("kept") else "dim"
        console.print(f"  [{color}]{step['method']}: {step['verdict']}[/{color}]")
        if plans:
            console.print(_plan_table("", plans, why=True))


@app.command("try")
def try_cmd(
    source: Annotated[
        str, typer.Argument(help="A catalog source_id, an http(s) URL, or a saved file.")
    ],
    catalog: Annotated[str, typer.Option(help="real or demo (for a source_id).")] = "",
    spider: Annotated[
        str | None, typer.Option(help="For a URL or file: the spider (default pricing).")
    ] = None,
    selectors: Annotated[
        str | None,
        typer.Option(
            help='Try these instead of the catalog\'s: "plan=.card; name=h3; price=.price".'
        ),
    ] = None,
    url: Annotated[str | None, typer.Option(help="For a file: the URL it was saved from.")] = None,
    explain: Annotated[
        bool, typer.Option(help="Say what each method found and why plans were kept or dropped.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Items as JSON lines on stdout.")] = False,
) -> None:
    """Crawl one source the way a run would and print its items; nothing is loaded."""
    from flows.catalog import CatalogError
    from flows.trial import try_file, try_source

    path = Path(source)
    try:
        if path.exists() and not source.startswith(("http://", "https://")):
            trial = try_file(path, spider, url, selectors, explain=explain)
        else:
            with _progress(f"Crawling {source}"):
                trial = try_source(
                    source,
                    catalog=catalog or None,
                    spider=spider,
                    selectors=selectors,
                    explain=explain,
                )
    except CatalogError as exc:
        console.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2) from exc
    finally:
        from flows.crawl import close_crawl_workers

        close_crawl_workers()
    if as_json:
        for item in trial.items:
            print(json.dumps(item, ensure_ascii=False, default=str))
    elif trial.spider == "pricing":
        console.print(_plan_table(f"{trial.source_id} ({trial.spider}) {trial.url}", trial.items))
    else:
        for item in trial.items:
            console.print_json(json.dumps(item, ensure_ascii=False, default=str))
    for page in trial.explanations:
        _print_explanation(page)
    problems = ", ".join(f"{k.removeprefix('radar/')} ×{v}" for k, v in sorted(trial.stats.items()))
    console.print(
        f"{len(trial.items)} item(s); as a run would record it: [bold]{trial.status}[/bold]"
        + (f" ({trial.error})" if trial.error else "")
        + (f"; counted: {problems}" if problems else "")
    )
    if trial.status == "failed":
        raise typer.Exit(1)


@app.command()
def export(
    what: Annotated[
        str,
        typer.Argument(
            help="`radar-csv` (Thoughtworks build-your-own-radar format) or a published table, "
            "e.g. `fct_tech_radar` or `marts.fct_releases`."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: ./<what>.<fmt>).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or parquet.")] = "csv",
) -> None:
    """Export from the published file (never the live warehouse)."""
    from flows.export import ExportError, export_mart, radar_csv

    published = Settings().published_path
    try:
        if what == "radar-csv":
            target = out or Path("radar.csv")
            rows = radar_csv(published, target)
        else:
            target = out or Path(f"{what.rpartition('.')[2]}.{fmt}")
            rows = export_mart(published, what, target, fmt)
    except ExportError as exc:
        console.print(f"[red]Nothing exported:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    console.print(f"Wrote {rows} rows to {target}")


def _print_answer(answer: Any) -> None:
    table = Table(*[str(column) for column in answer.frame.columns])
    for row in answer.frame.itertuples(index=False):
        table.add_row(*["" if value is None else str(value) for value in row])
    Console().print(table)
    note = " (capped: the query returns more)" if answer.truncated else ""
    console.print(f"{len(answer.frame)} rows{note} in {answer.seconds * 1000:.0f} ms")


@app.command()
def sql(
    query: Annotated[
        str | None,
        typer.Argument(help="One read-only query; without it, a prompt (an empty line quits)."),
    ] = None,
) -> None:
    """Query the published file in the app's sandbox: read-only, one statement, capped, timed."""
    from app.sandbox import EXAMPLES, QueryFailed, run_query, sandbox

    published = Settings().published_path
    if not published.exists():
        console.print(f"[red]No published file at {published}[/red]: run `radar demo` first.")
        raise typer.Exit(1)
    con = sandbox(published)
    if query is not None:
        try:
            _print_answer(run_query(con, query))
        except QueryFailed as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        return
    console.print(f"Querying {published} (read-only). Examples:")
    for name, text in EXAMPLES.items():
        console.print(f"[bold]-- {name}[/bold]\n{text};")
    while line := input("radar> ").strip():
        try:
            _print_answer(run_query(con, line))
        except QueryFailed as exc:
            console.print(f"[red]{exc}[/red]")


SECRET_WORDS = ("token", "secret", "password", "key", "url")


def _settings_errors(exc: ValidationError) -> list[str]:
    """One line per invalid setting, named as the user sets it (RADAR_X or an option); the
    value is shown unless the setting may carry a secret."""
    lines = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        shown = "" if any(w in name for w in SECRET_WORDS) else f" (got {error['input']!r})"
        lines.append(f"RADAR_{name.upper()}: {error['msg']}{shown}")
    return lines


def cli() -> None:
    """`radar`: the commands above, with the errors a user can fix in one line each and a
    non-zero exit instead of a traceback (bad settings, missing or unreadable files)."""
    try:
        app()
    except ValidationError as exc:
        for line in _settings_errors(exc):
            console.print(f"[red]Invalid setting:[/red] {line}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except SettingsError as exc:  # a list or mapping setting that is not JSON
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"RADAR_{field.group(1).upper()}" if field else "a setting"
        console.print(
            f"[red]Invalid setting:[/red] {name}: not valid JSON", highlight=False, soft_wrap=True
        )
        sys.exit(2)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        console.print(
            f"[red]Error:[/red] {exc.strerror or exc}{where}", highlight=False, soft_wrap=True
        )
        sys.exit(1)


if __name__ == "__main__":
    cli()
