"""One item class per entity. Field names are the landing-file columns (see the contract)."""

from __future__ import annotations

import scrapy

#: Fields every observation carries, whatever the source.
COMMON_FIELDS: tuple[str, ...] = ("run_id", "source", "source_id", "observed_at", "url")


class RadarItem(scrapy.Item):
    run_id = scrapy.Field()
    source = scrapy.Field()
    source_id = scrapy.Field()
    observed_at = scrapy.Field()
    url = scrapy.Field()


class PlanItem(RadarItem):
    """A plan or product and its price, as seen on a competitor's pricing or product page."""

    competitor_id = scrapy.Field()
    name = scrapy.Field()
    price = scrapy.Field()  # "49.00" or None (custom / unknown), never a float
    currency = scrapy.Field()  # ISO 4217 or None
    billing_period = scrapy.Field()  # month | year | one-time | unknown
    unit = scrapy.Field()  # "per seat", "per user", ... or None
    is_custom = scrapy.Field()
    availability = scrapy.Field()  # schema.org short name, e.g. "InStock", or None
    sku = scrapy.Field()
    features = scrapy.Field()  # list of str
    # json-ld | microdata | rdfa | opengraph | selectors | hydration | text | table | heuristics
    # (plan cards) | rendered (any of them, on a page a browser drew: render=true sources)
    method = scrapy.Field()
    price_text = scrapy.Field()


class DownloadsItem(RadarItem):
    """Daily downloads of one package over the days one answer gave, from pypistats.org or
    the npm downloads API. One item per answer, not per day: a day is a point of the item
    (the loader makes each point a raw row), and a crawl of a thousand packages over 120
    days is a thousand items, not 120,000."""

    technology_id = scrapy.Field()
    package = scrapy.Field()
    category = scrapy.Field()  # "without_mirrors" | "with_mirrors" (pypistats) | "npm"
    points = scrapy.Field()  # [{"date": "YYYY-MM-DD", "downloads": int >= 0}, ...], oldest first


class JobItem(RadarItem):
    """A job posting on a competitor's job board or careers page."""

    competitor_id = scrapy.Field()
    job_id = scrapy.Field()  # the source's id; jobposting: identifier or the posting URL
    title = scrapy.Field()
    department = scrapy.Field()
    team = scrapy.Field()
    location = scrapy.Field()
    workplace_type = scrapy.Field()  # remote | hybrid | onsite | unknown
    employment_type = scrapy.Field()  # full-time | part-time | contract | internship | ...
    salary_min = scrapy.Field()  # "120000.00" or None, never a float
    salary_max = scrapy.Field()
    salary_currency = scrapy.Field()  # ISO 4217 or None
    salary_period = scrapy.Field()  # year | month | week | day | hour | None
    posted_at = scrapy.Field()  # ISO 8601 UTC or None
    updated_at = scrapy.Field()
    description = scrapy.Field()  # plain text
    apply_url = scrapy.Field()
    hiring_organization = scrapy.Field()  # the employer's name where the page says (jobposting)


class ReleaseItem(RadarItem):
    """A release of a competitor's product, from a release-notes feed or GitHub."""

    competitor_id = scrapy.Field()
    release_id = scrapy.Field()  # feed entry id/guid or link; GitHub release id
    title = scrapy.Field()
    version = scrapy.Field()  # "2.4.0" from the title or tag, or None
    tag = scrapy.Field()  # GitHub tag_name, or None
    published_at = scrapy.Field()  # ISO 8601 UTC, required
    summary = scrapy.Field()  # plain text, at most SUMMARY_MAX_CHARS
    link = scrapy.Field()  # absolute URL
    prerelease = scrapy.Field()  # bool (GitHub) or None (feeds)


class PageItem(RadarItem):
    """A watched page's normalised main text and its fingerprint."""

    competitor_id = scrapy.Field()
    title = scrapy.Field()
    text = scrapy.Field()  # normalised main text (scrapers.normalize)
    fingerprint = scrapy.Field()  # sha256 hex of text
    chars = scrapy.Field()  # len(text)


class RepoItem(RadarItem):
    """A GitHub repository's counters and release activity at observed_at (github_repo)."""

    technology_id = scrapy.Field()
    repo = scrapy.Field()  # "owner/name" (GitHub's full_name)
    stars = scrapy.Field()  # int, stargazers_count
    forks = scrapy.Field()  # int, forks_count
    watchers = scrapy.Field()  # int, subscribers_count (GitHub's "watchers" are stars)
    open_issues = scrapy.Field()  # int, open_issues_count (issues and pull requests)
    pushed_at = scrapy.Field()  # ISO 8601 UTC or None
    archived = scrapy.Field()  # bool
    license = scrapy.Field()  # SPDX id ("Apache-2.0") or None (none, or "NOASSERTION")
    default_branch = scrapy.Field()
    last_release_at = scrapy.Field()  # newest non-draft release's published_at, or None
    releases_last_12m = scrapy.Field()  # int; None when the releases could not be read
    homepage = scrapy.Field()  # absolute URL or None


class TagItem(RadarItem):
    """A Stack Overflow tag's question count at observed_at (stackexchange_tags)."""

    technology_id = scrapy.Field()
    tag = scrapy.Field()
    question_count = scrapy.Field()  # int, the API's "count"
    has_synonyms = scrapy.Field()  # bool or None


class MentionsItem(RadarItem):
    """Hacker News stories matching a query in one week (hn_mentions)."""

    technology_id = scrapy.Field()
    query = scrapy.Field()
    week_start = scrapy.Field()  # YYYY-MM-DD, a Monday
    stories = scrapy.Field()  # int, the API's nbHits for the window
    window_start = scrapy.Field()  # ISO 8601 UTC, inclusive (week_start 00:00)
    window_end = scrapy.Field()  # ISO 8601 UTC, exclusive (7 days later)


class PageviewsItem(RadarItem):
    """Daily views of a Wikipedia article by users over the days one answer gave
    (wikipedia_pageviews); the days are its points, as in DownloadsItem."""

    technology_id = scrapy.Field()
    article = scrapy.Field()  # title as in the URL, underscores for spaces
    points = scrapy.Field()  # [{"date": "YYYY-MM-DD", "views": int >= 0}, ...], oldest first


BILLING_PERIODS: frozenset[str] = frozenset({"month", "year", "one-time", "unknown"})
PLAN_METHODS: frozenset[str] = frozenset(
    {
        "json-ld",
        "microdata",
        "rdfa",
        "opengraph",
        "selectors",
        "hydration",
        "text",
        "table",
        "heuristics",
        "rendered",
    }
)
WORKPLACE_TYPES: frozenset[str] = frozenset({"remote", "hybrid", "onsite", "unknown"})
EMPLOYMENT_TYPES: frozenset[str] = frozenset(
    {"full-time", "part-time", "contract", "internship", "temporary", "unknown"}
)
SALARY_PERIODS: frozenset[str] = frozenset({"year", "month", "week", "day", "hour"})
SUMMARY_MAX_CHARS = 2000
