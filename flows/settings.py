"""All settings of Market Radar, in one place.

Every value can be set from the environment with the ``RADAR_`` prefix
(``RADAR_CATALOG=real``, ``RADAR_DATA_DIR=/srv/radar``) or from a ``.env`` file.
Secrets, when sources need them, are read here from the environment too, and are
never written to logs or files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RADAR_", env_file=".env", extra="ignore")

    catalog: Literal["demo", "real"] = Field(
        "real", description="Which catalog to crawl: seeds/catalog (real) or seeds/demo/catalog."
    )
    data_dir: Path = Field(
        ROOT / "data", description="Landing files, warehouse and published file."
    )
    demo_web_url: str | None = Field(
        None, description="Base URL that replaces {demo_web} in the demo catalog's URLs."
    )

    # Crawling manners. The defaults are polite for real sites; the demo web relaxes them.
    user_agent: str = Field(
        "MarketRadarBot/0.1 (+https://github.com/market-radar/market-radar)",
        description="Identifies us to the sites we crawl; put a contact address in it.",
    )
    concurrent_requests_per_domain: int = 2
    download_delay: float = 1.0
    download_timeout: int = 30
    retry_times: int = 3
    autothrottle: bool = True
    http_cache: bool = False
    crawl_timeout_seconds: int = Field(900, description="A crawl subprocess is killed after this.")
    crawl_concurrency: int = Field(
        4, description="Crawl subprocesses at once (read when flows.pipeline is imported)."
    )

    @model_validator(mode="after")
    def _relax_manners_for_the_demo_web(self) -> Settings:
        # The demo web is our own server on loopback: waiting between requests
        # would only slow the demo down. Explicit settings still win.
        if self.catalog == "demo":
            if "download_delay" not in self.model_fields_set:
                self.download_delay = 0.0
            if "autothrottle" not in self.model_fields_set:
                self.autothrottle = False
            if "concurrent_requests_per_domain" not in self.model_fields_set:
                self.concurrent_requests_per_domain = 8
        return self

    @property
    def root(self) -> Path:
        return ROOT

    @property
    def seeds_dir(self) -> Path:
        return ROOT / "seeds"

    @property
    def catalog_dir(self) -> Path:
        return self.seeds_dir / ("demo/catalog" if self.catalog == "demo" else "catalog")

    @property
    def demo_web_dir(self) -> Path:
        return self.seeds_dir / "demo" / "web"

    @property
    def dbt_dir(self) -> Path:
        return ROOT / "dbt"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

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
