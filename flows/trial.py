"""`radar try`: crawl one source the way a run would, load nothing, say what it yields.

``try_source("cobalt-cloud-pricing")`` plans that catalog source (enabled or not), crawls
it with the run's own crawl code (a Scrapy process from the crawl pool, the catalog's
manners and selectors) into a temporary data directory, and returns the items the
landing file holds, the source's outcome as a run would judge it, and, with
``explain``, what the pricing spider tried on each page (read back from the crawl's
log). A URL is crawled as a source of ``spider`` (default pricing) with ``selectors``;
a saved file is parsed offline (``scrapers.extract``), as ``radar extract`` does.
Nothing reaches the warehouse, the ledger or data/.
"""

from __future__ import annotations

import json
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.catalog import SPIDER_SUBJECTS, CatalogError, Target, load_catalog, plan
from flows.catalog import parse_selectors as parse_catalog_selectors
from flows.settings import Settings

#: The pricing spider's explanation line prefix (scrapers.spiders.pricing.EXPLAIN_PREFIX;
#: not imported: flows only names spiders).
EXPLAIN_PREFIX = "radar-explain "


@dataclass
class Trial:
    """What one source (or URL, or file) yields."""

    source_id: str
    spider: str
    url: str
    items: list[dict[str, Any]]
    status: str  # ok | partial | failed (as a run would record it)
    error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)  # the source's radar/* counters
    explanations: list[dict[str, Any]] = field(default_factory=list)  # one per page


def parse_selectors(text: str | None) -> dict[str, str]:
    """--selectors "plan=.card; name=h3" as the catalog reads its selectors column."""
    try:
        return parse_catalog_selectors(text or "")
    except ValueError as exc:
        raise CatalogError(f"--selectors {text!r}: {exc}") from None


def _target(what: str, settings: Settings, spider: str | None, selectors: str | None) -> Target:
    if what.startswith(("http://", "https://")):
        spider = spider or "pricing"
        if spider not in SPIDER_SUBJECTS:
            raise CatalogError(
                f"unknown spider {spider!r} (expected one of: {', '.join(sorted(SPIDER_SUBJECTS))})"
            )
        return Target(
            source_id="try",
            spider=spider,
            subject_type=SPIDER_SUBJECTS[spider],
            subject_id="try",
            url=what,
            selectors=parse_selectors(selectors),
        )
    catalog = load_catalog(settings.catalog_dir)
    if what not in {s.source_id for s in catalog.sources}:
        raise CatalogError(
            f"{what!r} is neither a URL, a file, nor a source of {settings.catalog_dir}"
            " (see sources.csv's source_id column, or pass --catalog)"
        )
    (targets,) = plan(catalog, settings.demo_web_url, sources={what}).values()
    (target,) = targets
    if selectors is not None:
        target = Target(**{**target.to_dict(), "selectors": parse_selectors(selectors)})
    return target


def _explanations(log_file: Path) -> list[dict[str, Any]]:
    found = []
    if log_file.exists():
        for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
            _, marker, payload = line.partition(EXPLAIN_PREFIX)
            if marker:
                found.append(json.loads(payload))
    return found


def try_file(
    path: Path,
    spider: str | None = None,
    url: str | None = None,
    selectors: str | None = None,
    *,
    explain: bool = False,
) -> Trial:
    """A saved page, parsed offline by the spider's own code."""
    from scrapers.extract import explain as explain_page
    from scrapers.extract import extract

    spider = spider or "pricing"
    chosen = parse_selectors(selectors)
    items = extract(spider, path, url, selectors=chosen)
    trace = []
    if explain and spider == "pricing":
        page = url or path.resolve().as_uri()
        trace = [{"url": page, "trace": explain_page(spider, path, url, selectors=chosen)}]
    return Trial(
        source_id="file",
        spider=spider,
        url=url or str(path),
        items=items,
        status="ok" if items else "failed",
        error=None if items else "no items",
        explanations=trace,
    )


def try_source(
    what: str,
    *,
    catalog: str | None = None,
    spider: str | None = None,
    selectors: str | None = None,
    explain: bool = False,
) -> Trial:
    """Crawl a catalog source or a URL once, into a temporary data dir; load nothing.

    Raises CatalogError for an unknown source, a bad --selectors text or an unknown
    spider. A demo catalog source starts the demo web for the crawl when
    RADAR_DEMO_WEB_URL is not set.
    """
    from flows.crawl import Batch, crawl_batch

    base = Settings(**({"catalog": catalog} if catalog else {}))
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="radar-try-")))
        demo_web_url = base.demo_web_url
        if base.is_demo and not demo_web_url and not what.startswith(("http://", "https://")):
            from demo.web import DemoWeb, snapshots

            web = stack.enter_context(DemoWeb(base.demo_web_dir))
            demo_web_url = web.snapshot_url(snapshots(base.demo_web_dir)[-1])
        settings = base.model_copy(
            update={"data_dir": data_dir, "landing_url": None, "demo_web_url": demo_web_url}
        )
        target = _target(what, settings, spider, selectors)
        run_id = "try-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        observed_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        request = {**target.to_dict(), "explain": explain}
        (result,) = crawl_batch(settings, Batch(target.spider, (request,)), run_id, observed_at)
        landing = Path(result.landing_file)
        items = (
            [json.loads(line) for line in landing.read_text(encoding="utf-8").splitlines() if line]
            if landing.exists()
            else []
        )
        status, error = result.outcome()
        # a batch of one source logs under its source_id (flows.crawl.Batch.name)
        log_file = settings.runs_dir / run_id / f"{target.source_id}.log"
        return Trial(
            source_id=target.source_id,
            spider=target.spider,
            url=target.url,
            items=items,
            status=status,
            error=error,
            stats={k: v for k, v in result.stats.items() if k.startswith("radar/")},
            explanations=_explanations(log_file) if explain else [],
        )
