"""Imported once by the crawl workers' fork server (see flows.crawl.crawl_pool): everything
a crawl needs is loaded here, so that every worker forked from the server has it."""

from flows.crawl import _warm_up

_warm_up()
