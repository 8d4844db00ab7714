"""Every spider module imports and is registered: a broken spider fails here, fast."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

import scrapers.spiders
from scrapers import settings as project_settings
from scrapers.extract import SPIDERS
from scrapers.spiders.base import RadarSpider

MODULES = [m.name for m in pkgutil.iter_modules(scrapers.spiders.__path__)]


@pytest.mark.parametrize("module", MODULES)
def test_spider_module_imports(module):
    importlib.import_module(f"scrapers.spiders.{module}")


def test_spider_file_name_is_spider_name_and_registered():
    settings = Settings()
    settings.setmodule(project_settings)
    loader = SpiderLoader.from_settings(settings)
    names = set(loader.list())
    assert names == {
        "pricing",
        "pypistats",
        "greenhouse",
        "lever",
        "jobposting",
        "feed",
        "github_releases",
        "pages",
        "github_repo",
        "npm_downloads",
        "stackexchange_tags",
        "hn_mentions",
        "wikipedia_pageviews",
    }
    assert set(SPIDERS) == names
    for name in names:
        assert name in MODULES
        assert issubclass(loader.load(name), RadarSpider)
