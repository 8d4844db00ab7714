"""Scrapy settings for Market Radar.

Polite by default: these values are meant for real sites. The flows override
them per crawl with ``-s NAME=VALUE`` (from ``flows.settings.Settings``), e.g.
``-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=false`` for the local demo web.

Settings of our own (all overridable with ``-s``):

- ``RADAR_STATS_FILE``: path; when set, the crawl's final stats are written
  there as JSON (``scrapers.extensions.StatsFileExtension``).
- ``RETRY_AFTER_MAX``: seconds; the longest ``Retry-After`` we honour on
  429/503 (``scrapers.middlewares.RetryAfterMiddleware``).
- ``RADAR_DOLLAR_CURRENCY``: the ISO code a bare "$" means (default USD).
- ``RADAR_ALLOW_PRIVATE_NETWORK``: crawl hosts on private, loopback and link-local
  addresses (default false; the flows set it for the demo web only).
- ``RADAR_SOURCE_TIME_BUDGET``: seconds a source may crawl from its first request; later
  requests are not sent and are counted as its problem (0: no budget).
- ``RADAR_MAX_FIELD_CHARS``, ``RADAR_MAX_LIST_ITEMS``: the longest text and list an item
  field may carry; longer ones are cut and counted (parse warning ``field_cut/<field>``).
- ``RADAR_MAX_ELEMENTS``: elements an HTML page may have (default 200,000); a larger page is
  refused ("page has N elements, over the cap of M").
- ``RADAR_MAX_ITEMS_PER_PAGE``: items one page may yield (default 10,000); past it the rest
  are not kept and the page counts as parse error ``items_per_page_cap``.
- ``RADAR_LEVER_PAGE_SIZE``: postings per Lever API page (``limit``; default 100).
- ``RADAR_MAX_PAGES``: most pages followed per target by the paging spiders (lever,
  github_releases, github_repo's releases; default 50). Reaching it is a parse warning.
- ``RADAR_SIGNAL_DAYS``: days of daily series asked by npm_downloads and
  wikipedia_pageviews (default 120): the complete days before observed_at.
- ``RADAR_HN_WEEKS``: complete weeks asked by hn_mentions (default 16).
- ``RADAR_NPM_BATCH_SIZE``: unscoped packages per npm bulk request (default and max 128).
- ``RADAR_NPM_MAX_WINDOW_DAYS``: longest npm range per request (default 365, the bulk
  API's limit; the API caps any range at 18 months).
- ``RADAR_STACKEXCHANGE_BATCH_SIZE``: tags per Stack Exchange request (default and max 100).
- ``RADAR_GITHUB_GRAPHQL_BATCH_SIZE``: repositories per GitHub GraphQL query (github_repo
  with a token; default 50).
- ``RADAR_GITHUB_STAND_IN``: the URL prefix that stands in for https://api.github.com in the
  offline demo (the demo web's ``<snapshot>/api.github.com``): it may receive the token.

Secrets are never settings (Scrapy logs overridden settings at start-up): the GitHub
spiders read GITHUB_TOKEN from their environment (or ``-a github_token=``), and
stackexchange_tags reads STACKEXCHANGE_KEY (or ``-a stackexchange_key=``).
"""

from pathlib import Path

# scrapy.cfg sits at the repo root; data/ beside it holds every file we write.
_ROOT = Path(__file__).resolve().parent.parent

BOT_NAME = "market_radar"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
ADDONS: dict[str, int] = {}

# Identify ourselves with a contact URL; flows pass RADAR_USER_AGENT as -s USER_AGENT=...
USER_AGENT = "MarketRadarBot/0.1 (+https://github.com/market-radar/market-radar)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False  # we read public pages; sessions only invite personalised prices

# AutoThrottle adapts the delay to the server's latency; DOWNLOAD_DELAY stays the floor.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_AFTER_MAX = 120

DOWNLOADER_MIDDLEWARES = {
    # Ours replaces the stock retry middleware at the same place in the chain.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.RetryAfterMiddleware": 550,
    "scrapers.middlewares.SourceBudgetMiddleware": 560,
    # First in the chain: a refused URL is never sent, nor looked up in the cache.
    "scrapers.middlewares.NetworkSafetyMiddleware": 50,
    # After decompression (590): it counts the elements of the page the spider will read.
    "scrapers.middlewares.ElementsCapMiddleware": 580,
}
RADAR_ALLOW_PRIVATE_NETWORK = False

# Bounds: a response over DOWNLOAD_MAXSIZE (on the wire or decompressed) is refused, one over
# DOWNLOAD_WARNSIZE logged; a chain of more than REDIRECT_MAX_TIMES redirects is a loop.
DOWNLOAD_MAXSIZE = 10 * 2**20
DOWNLOAD_WARNSIZE = 2 * 2**20
REDIRECT_MAX_TIMES = 20
RADAR_SOURCE_TIME_BUDGET = 0
RADAR_MAX_FIELD_CHARS = 100_000
RADAR_MAX_LIST_ITEMS = 5_000
RADAR_MAX_ITEMS_PER_PAGE = 10_000
RADAR_MAX_ELEMENTS = 200_000

SPIDER_MIDDLEWARES = {"scrapers.middlewares.ItemsPerPageMiddleware": 950}

# Item pipelines, one concern each, in this order:
#   100 RequiredFieldsPipeline: run_id, source, source_id, observed_at, url present and valid
#   200 EntityFieldsPipeline:   entity values valid (price "49.00", billing_period, date, ...)
#   300 CompleteFieldsPipeline: every declared field present (None when unknown) so that
#                               each landing line has the same columns
# An item failing 100 or 200 is dropped, counted in radar/invalid_items[/<reason>] and logged.
ITEM_PIPELINES = {
    "scrapers.pipelines.RequiredFieldsPipeline": 100,
    "scrapers.pipelines.BoundedFieldsPipeline": 150,
    "scrapers.pipelines.EntityFieldsPipeline": 200,
    "scrapers.pipelines.CompleteFieldsPipeline": 300,
}

EXTENSIONS = {
    "scrapers.extensions.SourceStatsExtension": 500,
    # After CoreStats (priority 0) so that finish_time and finish_reason are already set.
    "scrapers.extensions.StatsFileExtension": 1000,
}
RADAR_STATS_FILE = None
RADAR_DOLLAR_CURRENCY = "USD"
RADAR_LEVER_PAGE_SIZE = 100
RADAR_MAX_PAGES = 50
RADAR_SIGNAL_DAYS = 120
RADAR_HN_WEEKS = 16
RADAR_NPM_BATCH_SIZE = 128
RADAR_NPM_MAX_WINDOW_DAYS = 365
RADAR_STACKEXCHANGE_BATCH_SIZE = 100
RADAR_GITHUB_GRAPHQL_BATCH_SIZE = 50
RADAR_GITHUB_STAND_IN = None

# HTTP cache for development only (-s HTTPCACHE_ENABLED=true): never for recorded runs,
# since a cached page would be stamped with a later observed_at.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = str(_ROOT / "data" / "httpcache")
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_IGNORE_HTTP_CODES = [403, 408, 429, 500, 502, 503, 504, 522, 524]

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 opens a local HTTP control port per crawl; unattended subprocesses need none.
REMOTE_CONTROL_ENABLED = False

# TWISTED_REACTOR is left at Scrapy's default (the asyncio reactor): each crawl runs in its
# own `python -m scrapy crawl` subprocess, so the reactor is installed once per process.
