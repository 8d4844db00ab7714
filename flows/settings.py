"""All settings of Market Radar, in one place.

Every value can be set from the environment with the ``RADAR_`` prefix
(``RADAR_CATALOG=real``, ``RADAR_DATA_DIR=/srv/radar``) or from a ``.env`` file.
Secrets, when sources need them, are read here from the environment too, and are
never written to logs or files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


def is_url(location: str) -> bool:
    """An fsspec URL (file:// included: it goes through fsspec), not a plain local path."""
    return "://" in location


class HostLimit(BaseModel):
    """Politeness towards one host: requests in flight, and seconds between requests."""

    concurrency: int = Field(1, ge=1)
    delay: float = Field(0.0, ge=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RADAR_", env_file=".env", extra="ignore")

    catalog: Literal["demo", "real", "bench"] = Field(
        "real",
        description="Which catalog to crawl: seeds/catalog (real), seeds/demo/catalog, or "
        "seeds/bench/catalog (a scaled copy of the demo market written by `python -m "
        "demo.market M|L`, for benchmarks).",
    )
    data_dir: Path = Field(
        ROOT / "data", description="Landing files, warehouse and published file."
    )
    landing_url: str | None = Field(
        None,
        description="Where landing files go, if not data_dir/landing: an fsspec URL that the "
        "crawl workers and the flow can both reach (s3://bucket/radar/landing, "
        "gcs://..., file:///shared/landing). Storage credentials come from the environment.",
    )
    demo_web_url: str | None = Field(
        None, description="Base URL that replaces {demo_web} in the demo catalog's URLs."
    )

    # Crawling manners. The defaults are polite for real sites; the demo web relaxes them.
    user_agent: str = Field(
        "MarketRadarBot/0.1 (+https://github.com/market-radar/market-radar)",
        description="Identifies us to the sites we crawl; put a contact address in it.",
    )
    concurrent_requests: int = Field(
        16, description="Requests in flight at once in one crawl (all hosts together)."
    )
    concurrent_requests_per_domain: int = Field(
        2, description="Requests in flight at once per host, unless host_limits names it."
    )
    download_delay: float = Field(1.0, description="Seconds between requests to one host.")
    host_limits: dict[str, HostLimit] = Field(
        default_factory=lambda: {
            # The APIs' own rules: GitHub asks for no concurrent requests, Stack Exchange
            # for at most 30 a second and its `backoff`, Algolia's HN API for moderation.
            "api.github.com": HostLimit(concurrency=1, delay=1.0),
            "api.stackexchange.com": HostLimit(concurrency=1, delay=1.0),
            "hn.algolia.com": HostLimit(concurrency=2, delay=0.5),
            "pypistats.org": HostLimit(concurrency=1, delay=2.0),
            "wikimedia.org": HostLimit(concurrency=4, delay=0.1),
            "api.npmjs.org": HostLimit(concurrency=2, delay=0.5),
        },
        description="Per host (Scrapy download slots): requests in flight and seconds "
        "between them. A crawl serves one kind of source, so these hold per kind and host.",
    )
    download_timeout: int = 30
    retry_times: int = 3
    autothrottle: bool = True
    http_cache: bool = False
    chromium_path: Path = Field(
        Path("/usr/bin/chromium"),
        description="The Chromium that sources with render=true are crawled through "
        "(scrapy-playwright; Debian's package `chromium`, installed by `make browser`).",
    )
    crawl_timeout_seconds: int = Field(
        900, description="A crawl process (a batch of sources of one kind) is killed after this."
    )
    allow_private_network: bool | None = Field(
        None,
        description="Crawl hosts on private, loopback and link-local addresses. Unset: only "
        "for the demo and bench catalogs (their web is on 127.0.0.1), never for the real one.",
    )
    source_time_budget_seconds: float = Field(
        600,
        ge=0,
        description="A source's crawl ends with what it has this long after its first "
        "request (the rest counted as its problem, the source partial); 0: no budget.",
    )
    download_maxsize_mb: float = Field(
        10, gt=0, description="Largest response accepted, on the wire or decompressed."
    )
    crawl_concurrency: int = Field(
        4, ge=1, description="Crawl processes at once (each one kind's batch of sources)."
    )
    refetch_days: int = Field(
        3,
        ge=0,
        description="Daily series (downloads, page views) ask again this many days before "
        "each source's last good day: late corrections and gaps are caught, the rest is "
        "not fetched again. A source's first run asks its whole window (backfill).",
    )
    refetch_weeks: int = Field(
        1, ge=0, description="Weekly series (Hacker News) ask again this many weeks."
    )
    crawl_retries: int = Field(
        2,
        description="Retries of a source whose crawl process crashed, hung or left no stats "
        "(after its batch failed, each source is crawled alone).",
    )
    crawl_retry_delay_seconds: float = Field(
        5.0, description="First wait before such a retry; doubles each time."
    )

    run_lock_wait_seconds: float = Field(
        0,
        ge=0,
        description="How long a run waits for another run on the same data dir to end before "
        "it refuses to start (one writer at a time; 0: refuse at once).",
    )
    build_memory_limit: str = Field(
        "1GB",
        description="DuckDB's memory limit for dbt builds (it spills to disk past it), e.g. "
        "'1GB', '4GB': the build runs in the flow's process.",
    )

    # Scale-out: run the crawls on a Dask cluster through prefect-dask.
    dask_address: str | None = Field(
        None,
        description='"local" for a local cluster of dask_workers processes, or a scheduler '
        'address such as "tcp://10.0.0.5:8786". Unset: threads in the flow process.',
    )
    dask_workers: int = Field(2, ge=1, description="Workers of the local Dask cluster.")

    # Alerts and freshness.
    notify_urls: list[str] = Field(
        default_factory=list,
        description="Apprise URLs alerted on failures, degraded sources, price changes and "
        "technologies moving to hold (a JSON list). They carry tokens: never logged.",
    )
    freshness_warn_after_hours: float = Field(36, description="Source freshness: warn after.")
    freshness_error_after_hours: float = Field(84, description="Source freshness: error after.")
    freshness: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="Per source kind (spider) overrides: (warn, error) after hours.",
    )

    @model_validator(mode="after")
    def _relax_manners_for_the_demo_web(self) -> Settings:
        # The demo web is our own server on loopback: waiting between requests
        # would only slow the demo down. Explicit settings still win.
        if self.is_demo:
            if "download_delay" not in self.model_fields_set:
                self.download_delay = 0.0
            if "autothrottle" not in self.model_fields_set:
                self.autothrottle = False
            if "concurrent_requests_per_domain" not in self.model_fields_set:
                self.concurrent_requests_per_domain = 8
        return self

    def download_slots(self) -> dict[str, dict[str, float]]:
        """host_limits as Scrapy's DOWNLOAD_SLOTS; the demo web (one host) needs none."""
        if self.is_demo:
            return {}
        return {
            host: {"concurrency": limit.concurrency, "delay": limit.delay}
            for host, limit in self.host_limits.items()
        }

    def freshness_thresholds(self, kinds: Iterable[str]) -> dict[str, tuple[float, float]]:
        """(warn, error) after hours for each source kind."""
        default = (self.freshness_warn_after_hours, self.freshness_error_after_hours)
        return {kind: tuple(self.freshness.get(kind, default)) for kind in kinds}

    @property
    def root(self) -> Path:
        return ROOT

    @property
    def seeds_dir(self) -> Path:
        return ROOT / "seeds"

    @property
    def catalog_dir(self) -> Path:
        return self.seeds_dir / {"real": "catalog"}.get(self.catalog, f"{self.catalog}/catalog")

    @property
    def is_demo(self) -> bool:
        """A catalog of the offline demo web (the demo market or a scaled copy of it)."""
        return self.catalog != "real"

    @property
    def allows_private_network(self) -> bool:
        if self.allow_private_network is None:
            return self.is_demo
        return self.allow_private_network

    @property
    def demo_web_dir(self) -> Path:
        return self.seeds_dir / "demo" / "web"

    @property
    def dbt_dir(self) -> Path:
        return ROOT / "dbt"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    def landing_location(self, spider: str, run_id: str, source_id: str) -> str:
        """Where a crawl's landing file goes: a local path, or an fsspec URL."""
        base = self.landing_url.rstrip("/") if self.landing_url else str(self.landing_dir)
        return f"{base}/{spider}/{run_id}/{source_id}.jsonl"

    @property
    def runs_dir(self) -> Path:
        """Per-run working files: crawl targets, crawl stats and logs."""
        return self.data_dir / "runs"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        return self.data_dir / "published" / "radar.duckdb"
