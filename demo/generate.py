"""The demo market's story: build the offline demo web under seeds/demo/web/ (deterministic).

    python -m demo.generate           # (re)write seeds/demo/web/
    python -m demo.generate --check   # exit 1 if the committed files are stale

The output is committed. The same inputs always give byte-identical files, so a
rerun after editing this module shows the change as a plain git diff. Every page and
API answer is a pure function of the snapshot date, so demo.market can render the
same formats for any day and for scaled copies of the market.

This module must never write a .csv file: dbt seeds every CSV under seeds/.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import math
import shutil
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import NamedTuple

WEB_DIR = Path(__file__).resolve().parent.parent / "seeds" / "demo" / "web"

SNAPSHOTS = (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
PRICE_RISE = date(2026, 11, 16)  # Northwind Team: $12 -> $15 per seat / month
BLUEBIRD_SCALE_LAUNCH = date(2026, 11, 23)
COBALT_PRO_RETIRED = date(2026, 11, 23)
NORTHWIND_HIRING_SURGE = date(2026, 11, 16)  # 4 Engineering postings mentioning DuckDB
BLUEBIRD_CLOSINGS = date(2026, 11, 23)  # 3 Lever postings disappear
EMBER_ABOUT_REWORDED = date(2026, 11, 16)

# pypistats keeps a rolling window; each demo snapshot holds the 60 days before it.
DOWNLOAD_DAYS = 60

ROBOTS_TXT = """\
# Market Radar demo web: everything may be crawled except /private/.
User-agent: *
Disallow: /private/
"""


# --------------------------------------------------------------------------- pypistats
# package -> (downloads per weekday on ANCHOR, yearly growth factor)
# A growth factor of 4.0 means x4 in a year; 0.35 means down to 35 % in a year.
PACKAGES: dict[str, tuple[int, float]] = {
    "apache-airflow": (1_900_000, 1.00),
    "dagster": (210_000, 1.40),
    "dbt-core": (620_000, 1.05),
    "duckdb": (1_100_000, 1.80),
    "great-expectations": (380_000, 0.35),  # the fading one
    "pandas": (9_800_000, 1.02),
    "polars": (1_400_000, 4.00),  # the clearly rising one
    "prefect": (450_000, 1.15),
    # issue 4: two more benchmark-sized packages (new files; the others are unchanged)
    "pyarrow": (4_107_000, 1.00),  # benchmark; makes the benchmark mean ~4.1 M a weekday
    "pyspark": (2_900_000, 1.00),
}
ANCHOR = date(2026, 9, 1)
# Monday..Sunday: fewer CI runs and laptops at the weekend.
WEEKDAY_FACTOR = (1.00, 1.04, 1.05, 1.03, 0.96, 0.58, 0.52)
NOISE = 0.06  # +/- 3 %


def _unit_hash(*parts: str) -> float:
    """A stable pseudo-random number in [0, 1) for the given parts."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def downloads(package: str, day: date) -> int:
    """Daily downloads of `package` on `day`: a pure function of both, so overlapping
    days of different snapshots are identical."""
    base, yearly = PACKAGES[package]
    trend = math.exp(math.log(yearly) * (day - ANCHOR).days / 365)
    noise = 1 + NOISE * (_unit_hash(package, day.isoformat()) - 0.5)
    return round(base * trend * WEEKDAY_FACTOR[day.weekday()] * noise)


def pypistats_overall(package: str, snapshot: date) -> dict:
    """The body of https://pypistats.org/api/packages/<package>/overall?mirrors=false."""
    days = [snapshot - timedelta(days=n) for n in range(DOWNLOAD_DAYS, 0, -1)]
    return {
        "data": [
            {
                "category": "without_mirrors",
                "date": d.isoformat(),
                "downloads": downloads(package, d),
            }
            for d in days
        ],
        "package": package,
        "type": "overall_downloads",
    }


# --------------------------------------------------------------------------- pricing pages
# (name, monthly price, annual price shown per month or None, unit, features, cta)
# None as monthly price means "Contact sales".
def northwind_plans(snapshot: date) -> list[tuple]:
    raised = snapshot >= PRICE_RISE
    return [
        ("Free", 0, None, None, ["1 editor", "3 dashboards", "Community support"], "Start free"),
        (
            "Team",
            15 if raised else 12,
            12 if raised else 10,
            "per seat",
            ["Unlimited dashboards", "Scheduled refreshes", "Email support"],
            "Start a trial",
        ),
        (
            "Business",
            29,
            24,
            "per seat",
            ["Everything in Team", "SSO (SAML)", "Audit log", "Priority support"],
            "Start a trial",
        ),
        (
            "Enterprise",
            None,
            None,
            None,
            ["Everything in Business", "Dedicated region", "99.9 % uptime SLA"],
            "Contact sales",
        ),
    ]


PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{canonical}">
{head_extra}</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{brand}</a>
  <nav><a href="/product">Product</a> <a href="/pricing">Pricing</a> <a href="/docs">Docs</a></nav>
</header>
<main>
{main}
</main>
<footer class="site-footer">
  <p>&copy; 2026 {brand}. Demo company, fictional data for Market Radar.</p>
</footer>
</body>
</html>
"""


def _page(*, brand: str, host: str, title: str, main: str, head_extra: str = "") -> str:
    return PAGE.format(
        title=html.escape(title),
        description=html.escape(f"{brand} plans and pricing."),
        canonical=f"https://{host}/pricing",
        head_extra=head_extra,
        brand=html.escape(brand),
        main=main,
    )


def _features(items: list[str], cls: str) -> str:
    lis = "\n".join(f"      <li>{html.escape(item)}</li>" for item in items)
    return f'    <ul class="{cls}">\n{lis}\n    </ul>'


def northwind_page(snapshot: date) -> str:
    """Plain HTML plan cards; the demo catalog gives CSS selectors for them."""
    cards = []
    for name, monthly, annual, unit, features, cta in northwind_plans(snapshot):
        slug = name.lower()
        unit_html = f' <span class="unit">{unit}</span>' if unit else ""
        if monthly is None:
            prices = '    <p class="price custom"><span class="amount">Contact sales</span></p>'
        else:
            prices = (
                f'    <p class="price" data-billing="month"><span class="amount">${monthly}</span>'
                f'{unit_html} <span class="period">/ month</span></p>'
            )
            if annual is not None:
                prices += (
                    '\n    <p class="price" data-billing="year">'
                    f'<span class="amount">${annual}</span>{unit_html} '
                    '<span class="period">/ month, billed annually</span></p>'
                )
        href = "/contact-sales" if cta == "Contact sales" else f"/signup?plan={slug}"
        cards.append(
            f'  <div class="plan-card" id="plan-{slug}">\n'
            f'    <h3 class="plan-name">{name}</h3>\n'
            f"{prices}\n"
            f"{_features(features, 'features')}\n"
            f'    <a class="cta" href="{href}">{cta}</a>\n'
            f"  </div>"
        )
    main = (
        "<h1>Simple pricing for every data team</h1>\n"
        '<p class="lead">Prices in US dollars. Save up to 20 % with annual billing.</p>\n'
        '<section class="plans">\n' + "\n".join(cards) + "\n</section>\n"
        '<section class="faq">\n  <h2>Questions</h2>\n'
        "  <p>Can I change plans later? Yes, upgrades apply immediately.</p>\n</section>"
    )
    return _page(
        brand="Northwind Analytics",
        host="northwind.example",
        title="Pricing | Northwind",
        main=main,
    )


# (name, sku stem, monthly EUR, yearly EUR or None, availability, features)
def bluebird_plans(snapshot: date) -> list[tuple]:
    plans = [
        ("Community", "BB-COMMUNITY", 0, None, "InStock", ["5 connectors", "Daily syncs"]),
        ("Starter", "BB-STARTER", 19, 190, "InStock", ["25 connectors", "Hourly syncs"]),
        ("Pro", "BB-PRO", 49, 490, "InStock", ["Unlimited connectors", "15-minute syncs", "SSO"]),
    ]
    if snapshot >= BLUEBIRD_SCALE_LAUNCH:
        plans.append(
            (
                "Scale",
                "BB-SCALE",
                99,
                990,
                "PreOrder",
                ["Everything in Pro", "Real-time CDC", "Private networking"],
            )
        )
    return plans


def _offer(name: str, sku: str, price: int, duration: str, availability: str) -> dict:
    amount = f"{price:.2f}"
    spec = {
        "@type": "UnitPriceSpecification",
        "price": amount,
        "priceCurrency": "EUR",
        "billingDuration": duration,
    }
    if price:  # the free plan is not charged per user
        spec["unitText"] = "per user"
    return {
        "@type": "Offer",
        "name": name,
        "sku": sku,
        "price": amount,
        "priceCurrency": "EUR",
        "availability": f"https://schema.org/{availability}",
        "url": f"https://bluebird.example/pricing#{name.lower()}",
        "priceSpecification": spec,
    }


def bluebird_page(snapshot: date) -> str:
    """schema.org Product JSON-LD (one Offer per plan and billing period) + visible HTML."""
    offers, cards = [], []
    for name, sku, monthly, yearly, availability, features in bluebird_plans(snapshot):
        offers.append(_offer(name, f"{sku}-M", monthly, "P1M", availability))
        per = "per user / " if monthly else "/ "
        lines = [f'    <p class="amount">€{monthly} <small>{per}month</small></p>']
        if yearly is not None:
            offers.append(_offer(name, f"{sku}-Y", yearly, "P1Y", availability))
            lines.append(
                f'    <p class="amount yearly">€{yearly} <small>per user / year</small></p>'
            )
        badge = (
            '    <span class="badge">Early access</span>\n' if availability == "PreOrder" else ""
        )
        cards.append(
            f'  <article class="plan" id="{name.lower()}">\n'
            f"    <h2>{name}</h2>\n{badge}" + "\n".join(lines) + "\n"
            f"{_features(features, 'included')}\n"
            "  </article>"
        )
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Bluebird Data Pipelines",
        "brand": {"@type": "Brand", "name": "Bluebird Data"},
        "description": "Managed data pipelines from 300+ sources into your warehouse.",
        "offers": offers,
    }
    ld = json.dumps(product, indent=2, ensure_ascii=False)
    head = f'<script type="application/ld+json">\n{ld}\n</script>\n'
    main = (
        "<h1>Pricing</h1>\n<p>All prices in euro, excluding VAT.</p>\n"
        '<div class="plans">\n' + "\n".join(cards) + "\n</div>"
    )
    return _page(
        brand="Bluebird Data",
        host="bluebird.example",
        title="Pricing – Bluebird Data",
        main=main,
        head_extra=head,
    )


# (name, GBP per month or None for custom, features)
def cobalt_plans(snapshot: date) -> list[tuple]:
    plans = [
        ("Developer", 0, ["1 project", "10 GB storage", "Community forum"]),
        ("Startup", 49, ["5 projects", "250 GB storage", "Email support"]),
        ("Pro", 129, ["20 projects", "1 TB storage", "Point-in-time restore"]),
        ("Growth", 299, ["Unlimited projects", "5 TB storage", "24/7 support"]),
    ]
    if snapshot >= COBALT_PRO_RETIRED:
        plans = [plan for plan in plans if plan[0] != "Pro"]
    return plans


def cobalt_page(snapshot: date) -> str:
    """Plain HTML cards with no catalog selectors: heuristic extraction must cope."""
    cards = []
    for name, monthly, features in cobalt_plans(snapshot):
        cards.append(
            '  <div class="box">\n'
            f"    <h2>{name}</h2>\n"
            f'    <div class="figure">£{monthly} / month</div>\n'
            f"{_features(features, 'list')}\n"
            '    <a class="btn" href="/signup">Get started</a>\n'
            "  </div>"
        )
    main = (
        "<h1>Cloud warehouse pricing</h1>\n<p>Prices in pounds sterling, excluding VAT.</p>\n"
        '<div class="grid">\n' + "\n".join(cards) + "\n</div>"
    )
    return _page(
        brand="Cobalt Cloud", host="cobalt.example", title="Pricing - Cobalt Cloud", main=main
    )


EMBER_PLANS = (("Spark", 0, "Free"), ("Flame", 2400, None), ("Blaze", 7900, None),
               ("Inferno", None, "Contact sales"))  # fmt: skip


def ember_pricing_page(snapshot: date) -> str:
    """Prices drawn by JavaScript only: the HTML holds no price, no JSON payload, no
    structured data; a crawl sees them only through a browser (the source's render=true)."""
    tiers = json.dumps([list(plan) for plan in EMBER_PLANS])
    main = (
        "<h1>Ember Labs pricing</h1>\n<p>Per workspace, in euros.</p>\n"
        '<div id="plans" class="plans"><noscript>Turn on JavaScript to see our plans.'
        "</noscript></div>\n"
        "<script>\n"
        "// Amounts in cents, drawn once the page has loaded.\n"
        f"const tiers = {tiers};\n"
        'document.addEventListener("DOMContentLoaded", () => {\n'
        '  const root = document.getElementById("plans");\n'
        "  for (const [name, cents, label] of tiers) {\n"
        '    const card = document.createElement("div");\n'
        '    card.className = "plan";\n'
        '    const title = document.createElement("h2");\n'
        "    title.textContent = name;\n"
        '    const price = document.createElement("p");\n'
        '    price.className = "price";\n'
        "    price.textContent = label ?? "
        '"€" + (cents / 100).toFixed(2).replace(".", ",") + " / month";\n'
        "    card.append(title, price);\n"
        "    root.append(card);\n"
        "  }\n"
        "});\n"
        "</script>"
    )
    return _page(brand="Ember Labs", host="ember.example", title="Pricing - Ember Labs", main=main)


# --------------------------------------------------------------------------- job postings
# Times are those the real APIs give; all of them lie before the snapshot they first
# appear in. US Eastern time is UTC-4 until 2026-11-01 (end of DST), UTC-5 after.
EDT = timezone(timedelta(hours=-4))
EST = timezone(timedelta(hours=-5))


class Job(NamedTuple):
    key: str  # stable demo key, the seed of every generated id
    title: str
    department: str
    team: str | None
    location: str
    workplace: str  # remote | hybrid | onsite
    posted: datetime
    opens: date  # first snapshot that shows it
    closes: date | None  # first snapshot that no longer shows it
    salary: tuple[int, int, str] | None  # yearly min, max, ISO 4217 currency
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...]


def _visible(job: Job, snapshot: date) -> bool:
    return job.opens <= snapshot and (job.closes is None or snapshot < job.closes)


def _ident(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256(":".join(parts).encode()).digest()[:4], "big")


def _uuid(*parts: str) -> str:
    h = hashlib.sha256(":".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _job_html(job: Job) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in job.paragraphs)
    items = "".join(f"<li>{html.escape(b)}</li>" for b in job.bullets)
    return f"{paras}<h3>What you will do</h3><ul>{items}</ul>"


def _job_text(job: Job) -> str:
    return "\n".join([*job.paragraphs, "What you will do", *(f"- {b}" for b in job.bullets)])


S0, S1, S2, S3 = SNAPSHOTS

# Greenhouse board `northwind`: two open postings, then on 2026-11-16 a hiring surge of
# four Engineering postings that all mention DuckDB. Department is Greenhouse's.
NORTHWIND_JOBS = (
    Job(
        "nw-account-executive",
        "Account Executive, Mid-Market",
        "Sales",
        None,
        "New York, NY",
        "onsite",
        datetime(2026, 10, 5, 14, 2, 11, tzinfo=EDT),
        S0,
        None,
        None,
        (
            "Northwind Analytics is looking for an Account Executive to grow our mid-market "
            "business.",
            "You will own the full sales cycle and shape our Go to market plan for embedded "
            "dashboards with the marketing team.",
        ),
        (
            "Run discovery calls and product demos",
            "Forecast accurately in our CRM",
            "Bring 3+ years of SaaS sales experience",
        ),
    ),
    Job(
        "nw-product-designer",
        "Product Designer",
        "Design",
        None,
        "Remote - US",
        "remote",
        datetime(2026, 10, 19, 9, 30, 0, tzinfo=EDT),
        S0,
        None,
        None,
        (
            "Design the dashboards and sharing flows that thousands of analysts use every day.",
            "You will work closely with product managers and run usability studies.",
        ),
        (
            "Own the design of the dashboard editor",
            "Maintain our design system",
            "Show a portfolio of shipped product work",
        ),
    ),
    Job(
        "nw-senior-data-engineer",
        "Senior Data Engineer",
        "Engineering",
        None,
        "Remote - US",
        "remote",
        datetime(2026, 11, 10, 10, 0, 0, tzinfo=EST),
        NORTHWIND_HIRING_SURGE,
        None,
        None,
        (
            "We are moving our analytics backend onto DuckDB and need engineers who love fast SQL.",
            "You will build the ingestion layer and the dbt models behind every customer "
            "dashboard.",
        ),
        (
            "Design pipelines that load customer data into DuckDB",
            "Write and test dbt models",
            "Tune queries for sub-second dashboards",
        ),
    ),
    Job(
        "nw-backend-engineer-query-engine",
        "Backend Engineer, Query Engine",
        "Engineering",
        None,
        "New York, NY",
        "hybrid",
        datetime(2026, 11, 10, 10, 5, 0, tzinfo=EST),
        NORTHWIND_HIRING_SURGE,
        None,
        None,
        (
            "Our query engine runs DuckDB next to a fleet of Golang microservices.",
            "You will make it faster and more reliable for thousands of tenants.",
        ),
        (
            "Extend the query planner around DuckDB",
            "Own the services that schedule dashboard refreshes",
            "Profile and fix latency regressions",
        ),
    ),
    Job(
        "nw-analytics-engineer",
        "Analytics Engineer",
        "Engineering",
        None,
        "Remote - US",
        "remote",
        datetime(2026, 11, 11, 15, 20, 0, tzinfo=EST),
        NORTHWIND_HIRING_SURGE,
        None,
        None,
        (
            "Help customers model their data with DuckDB and Polars.",
            "You will write the reference models that ship with every new workspace.",
        ),
        (
            "Build example data models",
            "Benchmark DuckDB and Polars workloads",
            "Write clear documentation",
        ),
    ),
    Job(
        "nw-staff-engineer-embedded",
        "Staff Software Engineer, Embedded Analytics",
        "Engineering",
        None,
        "New York, NY",
        "onsite",
        datetime(2026, 11, 12, 11, 45, 0, tzinfo=EST),
        NORTHWIND_HIRING_SURGE,
        None,
        None,
        (
            "Lead the team that runs DuckDB in the browser for embedded dashboards.",
            "You will set the technical direction for embedded analytics.",
        ),
        (
            "Design the embedding SDK",
            "Mentor engineers across two teams",
            "Work with customers on performance",
        ),
    ),
)


def greenhouse_jobs(snapshot: date) -> dict:
    """Body of https://boards-api.greenhouse.io/v1/boards/northwind/jobs?content=true."""
    jobs = []
    for job in sorted(
        (j for j in NORTHWIND_JOBS if _visible(j, snapshot)), key=lambda j: j.posted, reverse=True
    ):
        job_id = 4_000_000 + _ident(job.key) % 1_000_000
        stamp = job.posted.isoformat()
        jobs.append(
            {
                "absolute_url": f"https://northwind.example/careers/jobs/{job_id}?gh_jid={job_id}",
                "data_compliance": [
                    {
                        "type": "gdpr",
                        "requires_consent": False,
                        "requires_processing_consent": False,
                        "requires_retention_consent": False,
                        "retention_period": None,
                    }
                ],
                "internal_job_id": job_id - 1_000_000,
                "location": {"name": job.location},
                "metadata": None,
                "id": job_id,
                "updated_at": stamp,
                "requisition_id": f"REQ-{job_id % 10_000:04d}",
                "title": job.title,
                "company_name": "Northwind Analytics",
                "first_published": stamp,
                "language": "en",
                # Greenhouse sends the description as entity-escaped HTML.
                "content": html.escape(_job_html(job), quote=True),
                "departments": [
                    {
                        "id": 40_000 + _ident(job.department) % 10_000,
                        "name": job.department,
                        "child_ids": [],
                        "parent_id": None,
                    }
                ],
                "offices": [
                    {
                        "id": 50_000 + _ident(job.location) % 10_000,
                        "name": job.location,
                        "location": "United States",
                        "child_ids": [],
                        "parent_id": None,
                    }
                ],
            }
        )
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def _bb(key, title, department, team, posted, *, opens=S0, closes=None, salary=None, text=()):
    return Job(
        key,
        title,
        department,
        team,
        "Berlin",
        "hybrid" if department == "Engineering" else "onsite",
        datetime(*posted, 9, 0, 0, tzinfo=UTC),
        opens,
        closes,
        salary,
        text or (f"Bluebird Data is hiring a {title} in Berlin.", "Join a friendly team."),
        ("Work with colleagues across Europe", "Learn and share every week"),
    )


# Lever site `bluebird`: 10 postings on 2026-11-02, one more from 2026-11-09, and three
# that disappear on 2026-11-23. The demo catalog asks for limit=5, so 2-3 pages a crawl.
BLUEBIRD_JOBS = (
    _bb(
        "bb-senior-backend",
        "Senior Backend Engineer",
        "Engineering",
        "Connectors",
        (2026, 9, 15),
        salary=(75_000, 95_000, "EUR"),
    ),
    _bb(
        "bb-connector-engineer",
        "Connector Engineer",
        "Engineering",
        "Connectors",
        (2026, 9, 29),
        closes=BLUEBIRD_CLOSINGS,
        salary=(60_000, 78_000, "EUR"),
    ),
    _bb("bb-sre", "Site Reliability Engineer", "Engineering", "Platform", (2026, 10, 6)),
    _bb(
        "bb-solutions-architect",
        "Solutions Architect",
        "Sales",
        "Solutions",
        (2026, 8, 25),
        closes=BLUEBIRD_CLOSINGS,
    ),
    _bb("bb-account-executive-dach", "Account Executive, DACH", "Sales", "Field", (2026, 10, 13)),
    _bb(
        "bb-customer-success-manager",
        "Customer Success Manager",
        "Customer Success",
        "Accounts",
        (2026, 10, 20),
        closes=BLUEBIRD_CLOSINGS,
    ),
    _bb(
        "bb-product-marketing",
        "Product Marketing Manager",
        "Marketing",
        "Product Marketing",
        (2026, 9, 8),
    ),
    _bb(
        "bb-data-engineer",
        "Data Engineer, Internal Analytics",
        "Engineering",
        "Data",
        (2026, 10, 27),
        text=(
            "Own our internal analytics stack: dbt models orchestrated by Apache Airflow.",
            "You will give every team trustworthy numbers about pipelines and customers.",
        ),
    ),
    _bb("bb-technical-writer", "Technical Writer", "Product", "Documentation", (2026, 10, 1)),
    _bb(
        "bb-support-engineer",
        "Support Engineer",
        "Customer Success",
        "Support",
        (2026, 11, 5),
        opens=S1,
    ),
    _bb("bb-recruiter", "Recruiter", "People", "Talent", (2026, 9, 22)),
)


def lever_postings(snapshot: date) -> list[dict]:
    """Body of https://api.lever.co/v0/postings/bluebird?mode=json (newest first, unpaged;
    the demo web applies skip/limit)."""
    postings = []
    for job in sorted(
        (j for j in BLUEBIRD_JOBS if _visible(j, snapshot)), key=lambda j: j.posted, reverse=True
    ):
        posting_id = _uuid(job.key)
        description = "".join(f"<div>{html.escape(p)}</div>" for p in job.paragraphs)
        posting = {
            "additional": "<div>Bluebird Data is an equal opportunity employer.</div>",
            "additionalPlain": "Bluebird Data is an equal opportunity employer.",
            "categories": {
                "commitment": "Full-time",
                "department": job.department,
                "location": job.location,
                "team": job.team,
                "allLocations": [job.location],
            },
            "createdAt": int(job.posted.timestamp() * 1000),
            "descriptionPlain": "\n".join(job.paragraphs) + "\n",
            "description": description,
            "descriptionBody": description,
            "descriptionBodyPlain": "\n".join(job.paragraphs) + "\n",
            "id": posting_id,
            "lists": [
                {
                    "text": "What you will do",
                    "content": "".join(f"<li>{html.escape(b)}</li>" for b in job.bullets),
                }
            ],
            "text": job.title,
            "country": "DE",
            "workplaceType": job.workplace,
            "opening": "",
            "openingPlain": "",
            "hostedUrl": f"https://jobs.lever.co/bluebird/{posting_id}",
            "applyUrl": f"https://jobs.lever.co/bluebird/{posting_id}/apply",
        }
        if job.salary:
            low, high, currency = job.salary
            posting["salaryRange"] = {
                "currency": currency,
                "interval": "per-year-salary",
                "min": low,
                "max": high,
            }
            posting["salaryDescriptionPlain"] = "Salary depends on experience."
        postings.append(posting)
    return postings


# Ember Labs careers: schema.org JobPosting in JSON-LD only (no microdata).
EMBER_JOBS = (
    Job(
        "em-data-scientist",
        "Data Scientist",
        "Data",
        None,
        "Lisbon",
        "remote",
        datetime(2026, 10, 21, tzinfo=UTC),
        S0,
        None,
        (60_000, 75_000, "EUR"),
        (
            "Build the anomaly models behind Ember's data observability alerts.",
            "You are fluent in Python or R and at home with pandas.",
            "Our R&D budget covers conferences and courses.",
        ),
        ("Train and evaluate detection models", "Explain results to customers"),
    ),
    Job(
        "em-frontend-engineer",
        "Frontend Engineer",
        "Engineering",
        None,
        "Lisbon",
        "hybrid",
        datetime(2026, 10, 28, tzinfo=UTC),
        S0,
        None,
        (50_000, 65_000, "EUR"),
        (
            "Build the web app where data teams triage incidents.",
            "We write TypeScript and care about accessibility.",
        ),
        ("Ship features end to end", "Keep the app fast"),
    ),
    Job(
        "em-developer-advocate",
        "Developer Advocate",
        "Marketing",
        None,
        "Lisbon",
        "remote",
        datetime(2026, 11, 18, tzinfo=UTC),
        S3,
        None,
        None,
        (
            "Show data engineers how Ember watches DuckDB and Polars pipelines.",
            "You will write tutorials, give talks and answer questions in our community.",
        ),
        ("Write tutorials and sample projects", "Speak at meetups"),
    ),
)

# Delta Metrics careers: schema.org JobPosting in microdata only (no JSON-LD).
DELTA_JOBS = (
    Job(
        "dl-platform-engineer",
        "Platform Engineer",
        "Engineering",
        None,
        "Amsterdam",
        "onsite",
        datetime(2026, 10, 14, tzinfo=UTC),
        S0,
        None,
        (70_000, 90_000, "EUR"),
        (
            "Run the Kubernetes platform behind Delta's metrics layer.",
            "You will work with our R&D team on reliability and cost.",
        ),
        ("Automate infrastructure", "Be on call one week in six"),
    ),
    Job(
        "dl-sales-development",
        "Sales Development Representative",
        "Sales",
        None,
        "Amsterdam",
        "onsite",
        datetime(2026, 10, 26, tzinfo=UTC),
        S0,
        S2,
        None,
        (
            "Start conversations with data leaders across the Benelux.",
            "You will book meetings for our account executives.",
        ),
        ("Research target accounts", "Book qualified meetings"),
    ),
)


def _slug_of(job: Job) -> str:
    return job.key.split("-", 1)[1]


def _careers_page(
    *, brand: str, host: str, path: str, title: str, main: str, head_extra: str = ""
) -> str:
    # No site navigation here: the jobposting spider follows every link of a careers
    # index, and root-relative links would leave the demo web's snapshot prefix.
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="canonical" href="https://{host}{path}">\n'
        f"{head_extra}</head>\n<body>\n<main>\n{main}\n</main>\n"
        f"<footer><p>{html.escape(brand)}. Demo company, fictional data for Market Radar."
        "</p></footer>\n</body>\n</html>\n"
    )


def careers_index(brand: str, host: str, jobs: tuple[Job, ...], snapshot: date) -> str:
    """A careers index: relative links (the catalog URL ends with /careers/)."""
    visible = [j for j in jobs if _visible(j, snapshot)]
    items = "\n".join(
        f'  <li><a href="{_slug_of(j)}">{html.escape(j.title)}</a>'
        f" <span>{html.escape(j.location)}</span></li>"
        for j in visible
    )
    main = (
        f"<h1>Careers at {html.escape(brand)}</h1>\n"
        f'<p>{len(visible)} open positions.</p>\n<ul class="jobs">\n{items}\n</ul>'
    )
    return _careers_page(
        brand=brand, host=host, path="/careers/", title=f"Careers | {brand}", main=main
    )


WORKPLACE_LD = {"remote": "TELECOMMUTE"}


def ember_posting(job: Job) -> str:
    """A posting page with JSON-LD only."""
    slug = _slug_of(job)
    ld: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": _job_html(job),
        "identifier": {"@type": "PropertyValue", "name": "Ember Labs", "value": job.key.upper()},
        "datePosted": job.posted.date().isoformat(),
        "validThrough": (job.posted + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M"),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Ember Labs",
            "sameAs": "https://ember.example",
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": job.location,
                "addressCountry": "PT",
            },
        },
        "url": f"https://ember.example/careers/{slug}",
    }
    if job.workplace in WORKPLACE_LD:
        ld["jobLocationType"] = WORKPLACE_LD[job.workplace]
        ld["applicantLocationRequirements"] = {"@type": "Country", "name": "Portugal"}
    if job.salary:
        low, high, currency = job.salary
        ld["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": low,
                "maxValue": high,
                "unitText": "YEAR",
            },
        }
    script = json.dumps(ld, indent=2, ensure_ascii=False)
    head = f'<script type="application/ld+json">\n{script}\n</script>\n'
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in job.paragraphs)
    main = (
        f"<article>\n<h1>{html.escape(job.title)}</h1>\n"
        f"<p>{html.escape(job.location)} · {job.workplace}</p>\n{paras}\n"
        '<a class="apply" href="mailto:jobs@ember.example">Apply</a>\n</article>'
    )
    return _careers_page(
        brand="Ember Labs",
        host="ember.example",
        path=f"/careers/{slug}",
        title=f"{job.title} | Ember Labs",
        main=main,
        head_extra=head,
    )


def delta_posting(job: Job) -> str:
    """A posting page with schema.org microdata only."""
    salary = ""
    if job.salary:
        low, high, currency = job.salary
        salary = (
            '  <div itemprop="baseSalary" itemscope itemtype="https://schema.org/MonetaryAmount">\n'
            f'    <meta itemprop="currency" content="{currency}">\n'
            '    <div itemprop="value" itemscope itemtype="https://schema.org/QuantitativeValue">\n'
            f'      Salary: €<span itemprop="minValue" content="{low}">{low:,}</span> to '
            f'€<span itemprop="maxValue" content="{high}">{high:,}</span>\n'
            '      <meta itemprop="unitText" content="YEAR"> a year\n'
            "    </div>\n  </div>\n"
        )
    paras = "\n".join(f"    <p>{html.escape(p)}</p>" for p in job.paragraphs)
    items = "\n".join(f"      <li>{html.escape(b)}</li>" for b in job.bullets)
    main = (
        '<div itemscope itemtype="https://schema.org/JobPosting">\n'
        f'  <h1 itemprop="title">{html.escape(job.title)}</h1>\n'
        f'  <meta itemprop="identifier" content="{job.key.upper()}">\n'
        f'  <p>Posted <time itemprop="datePosted" datetime="{job.posted.date().isoformat()}">'
        f"{job.posted:%B} {job.posted.day}, {job.posted.year}</time></p>\n"
        '  <meta itemprop="employmentType" content="FULL_TIME">\n'
        '  <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">\n'
        '    <meta itemprop="name" content="Delta Metrics">\n  </div>\n'
        '  <div itemprop="jobLocation" itemscope itemtype="https://schema.org/Place">\n'
        '    <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">\n'
        f'      <span itemprop="addressLocality">{html.escape(job.location)}</span>,\n'
        '      <span itemprop="addressCountry">NL</span>\n'
        "    </div>\n  </div>\n"
        f"{salary}"
        f'  <div itemprop="description">\n{paras}\n    <ul>\n{items}\n    </ul>\n  </div>\n'
        "</div>"
    )
    return _careers_page(
        brand="Delta Metrics",
        host="delta.example",
        path=f"/careers/{_slug_of(job)}",
        title=f"{job.title} | Delta Metrics",
        main=main,
    )


# --------------------------------------------------------------------------- releases
# Cobalt Cloud: an RSS 2.0 feed with a release every Wednesday ("Cobalt 3.N.0") and one
# announcement without a version. Like most feeds it shows only the newest 10 entries.
COBALT_FIRST_RELEASE = date(2026, 9, 2)
FEED_SIZE = 10


def cobalt_entries(snapshot: date) -> list[tuple[datetime, str, str, str, str]]:
    """(published, guid, title, link, summary), newest first, all before the snapshot."""
    entries = []
    n = 0
    while (day := COBALT_FIRST_RELEASE + timedelta(weeks=n)) < snapshot:
        version = f"3.{n}.0"
        entries.append(
            (
                datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC),
                f"cobalt-release-{version}",
                f"Cobalt {version}",
                f"https://cobalt.example/releases/{version}",
                f"Cobalt {version} brings faster loads and {n + 2} bug fixes.",
            )
        )
        n += 1
    entries.append(
        (
            datetime(2026, 10, 15, 9, 0, tzinfo=UTC),
            "cobalt-news-soc2",
            "Cobalt Cloud is now SOC 2 Type II certified",
            "https://cobalt.example/blog/soc2-type-ii",
            "Our annual audit is complete; the report is available on request.",
        )
    )
    entries.sort(reverse=True)
    return entries[:FEED_SIZE]


def cobalt_feed(snapshot: date) -> str:
    items = []
    for published, guid, title, link, summary in cobalt_entries(snapshot):
        items.append(
            "    <item>\n"
            f"      <title>{html.escape(title)}</title>\n"
            f"      <link>{link}</link>\n"
            f'      <guid isPermaLink="false">{guid}</guid>\n'
            f"      <pubDate>{format_datetime(published)}</pubDate>\n"
            f"      <description>{html.escape(f'<p>{summary}</p>')}</description>\n"
            "    </item>"
        )
    last = cobalt_entries(snapshot)[0][0]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0">\n  <channel>\n'
        "    <title>Cobalt Cloud release notes</title>\n"
        "    <link>https://cobalt.example/releases</link>\n"
        "    <description>Every Cobalt Cloud release.</description>\n"
        f"    <lastBuildDate>{format_datetime(last)}</lastBuildDate>\n"
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


# Ember Labs: an Atom changelog, a release about once a month.
EMBER_RELEASES = (
    (datetime(2026, 9, 30, 12, 0, tzinfo=UTC), "0.7.0"),
    (datetime(2026, 10, 28, 12, 0, tzinfo=UTC), "0.8.0"),
    (datetime(2026, 11, 19, 12, 0, tzinfo=UTC), "0.9.0"),
)


def ember_feed(snapshot: date) -> str:
    entries = [(p, v) for p, v in EMBER_RELEASES if p.date() < snapshot]
    entries.sort(reverse=True)
    body = "\n".join(
        "  <entry>\n"
        f"    <id>tag:ember.example,2026:changelog/{version}</id>\n"
        f"    <title>Ember {version}</title>\n"
        f'    <link rel="alternate" href="https://ember.example/changelog/{version}"/>\n'
        f"    <published>{published.isoformat().replace('+00:00', 'Z')}</published>\n"
        f"    <updated>{published.isoformat().replace('+00:00', 'Z')}</updated>\n"
        f'    <summary type="html">{html.escape(f"<p>What is new in Ember {version}.</p>")}'
        "</summary>\n"
        "  </entry>"
        for published, version in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>tag:ember.example,2026:changelog</id>\n"
        "  <title>Ember Labs changelog</title>\n"
        '  <link rel="self" href="https://ember.example/changelog/atom.xml"/>\n'
        f"  <updated>{entries[0][0].isoformat().replace('+00:00', 'Z')}</updated>\n"
        f"{body}\n</feed>\n"
    )


# Delta Metrics on GitHub (delta-metrics/delta): a minor release every other Tuesday, a
# patch, a release candidate (prerelease) and, from 2026-11-20, a draft that only
# maintainers would see and that the spider must skip.
def delta_releases(snapshot: date) -> list[dict]:
    """Body of https://api.github.com/repos/delta-metrics/delta/releases (newest first,
    unpaged; the demo web applies per_page/page and writes the Link header)."""
    releases: list[tuple[datetime, str, bool, bool]] = []  # (published, tag, prerelease, draft)
    n = 0
    while (day := date(2026, 6, 2) + timedelta(weeks=2 * n)) < snapshot:
        releases.append(
            (
                datetime(day.year, day.month, day.day, 14, 22, 5, tzinfo=UTC),
                f"v1.{n}.0",
                False,
                False,
            )
        )
        n += 1
    extra = (
        (datetime(2026, 10, 27, 9, 10, 0, tzinfo=UTC), "v1.10.1", False, False),
        (datetime(2026, 11, 12, 17, 45, 30, tzinfo=UTC), "v2.0.0-rc.1", True, False),
        (datetime(2026, 11, 20, 11, 0, 0, tzinfo=UTC), "v2.0.0", False, True),
    )
    releases += [r for r in extra if r[0].date() < snapshot]
    releases.sort(reverse=True)
    api = "https://api.github.com/repos/delta-metrics/delta"
    out = []
    for when, tag, prerelease, draft in releases:
        release_id = 180_000_000 + _ident("delta", tag) % 10_000_000
        stamp = when.isoformat().replace("+00:00", "Z")
        html_tag = f"untagged-{_uuid('delta', tag)[:20].replace('-', '')}" if draft else tag
        out.append(
            {
                "url": f"{api}/releases/{release_id}",
                "assets_url": f"{api}/releases/{release_id}/assets",
                "upload_url": f"https://uploads.github.com/repos/delta-metrics/delta/releases/"
                f"{release_id}/assets{{?name,label}}",
                "html_url": f"https://github.com/delta-metrics/delta/releases/tag/{html_tag}",
                "id": release_id,
                "author": {
                    "login": "delta-release-bot",
                    "id": 91_000_001,
                    "type": "Bot",
                    "site_admin": False,
                },
                "node_id": f"RE_kwDOdelta{release_id}",
                "tag_name": tag,
                "target_commitish": "main",
                "name": tag,
                "draft": draft,
                "immutable": False,
                "prerelease": prerelease,
                "created_at": stamp,
                "updated_at": stamp,
                "published_at": None if draft else stamp,
                "assets": [],
                "tarball_url": None if draft else f"{api}/tarball/{tag}",
                "zipball_url": None if draft else f"{api}/zipball/{tag}",
                "body": f"## What's changed\n\n* Delta {tag.lstrip('v')}: metric caching "
                "and bug fixes.\n",
            }
        )
    return out


# --------------------------------------------------------------------------- watched pages
def _site_page(*, brand: str, host: str, path: str, title: str, main: str) -> str:
    return PAGE.format(
        title=html.escape(title),
        description=html.escape(f"{brand}: {title}"),
        canonical=f"https://{host}{path}",
        head_extra="",
        brand=html.escape(brand),
        main=main,
    )


def ember_about(snapshot: date) -> str:
    """Reworded on 2026-11-16 (a real change)."""
    if snapshot < EMBER_ABOUT_REWORDED:
        paragraphs = (
            "Ember Labs builds data observability for analytics teams.",
            "We watch your pipelines and warehouse tables and tell you when numbers drift, "
            "before your stakeholders notice.",
            "Founded in Lisbon in 2021, we are a team of 40 engineers, designers and data "
            "people who have been paged at 3 a.m. by broken dashboards.",
        )
    else:
        paragraphs = (
            "Ember Labs makes AI-assisted data observability for analytics and machine "
            "learning teams.",
            "Ember learns how your pipelines, warehouse tables and features normally behave, "
            "explains every anomaly in plain words and suggests the fix.",
            "Founded in Lisbon in 2021, we are a team of 40 engineers, designers and data "
            "people who have been paged at 3 a.m. by broken dashboards.",
        )
    main = (
        "<article>\n<h1>About Ember Labs</h1>\n"
        + "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        + "\n</article>"
    )
    return _site_page(
        brand="Ember Labs",
        host="ember.example",
        path="/about",
        title="About | Ember Labs",
        main=main,
    )


def delta_security(snapshot: date) -> str:
    """Only the 'Last updated' date changes each week (must not count as a change)."""
    paragraphs = (
        "Delta Metrics protects customer data with encryption in transit (TLS 1.2 or newer) "
        "and at rest (AES-256).",
        "Production access requires single sign-on and hardware keys, and every access is "
        "logged and reviewed.",
        "We run an independent penetration test every year and a public bug bounty "
        "programme; report issues to security@delta.example.",
        "Customer data is hosted in the European Union.",
    )
    updated = f"{snapshot:%B} {snapshot.day}, {snapshot.year}"
    main = (
        "<article>\n<h1>Security at Delta Metrics</h1>\n"
        + "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        + f'\n<p class="updated">Last updated: {updated}</p>\n</article>'
    )
    return _site_page(
        brand="Delta Metrics",
        host="delta.example",
        path="/security",
        title="Security | Delta Metrics",
        main=main,
    )


# --------------------------------------------------------------------------- adoption signals
# Issue 4. Every technology has a *level* L(t): its share of the benchmark set's mean.
# Each of its signals is generated as L(t) x (the benchmark mean of that signal at t),
# so its index (value / benchmark mean x 100) is about 100 L(t) on EVERY signal and the
# story lives in the trend of L, whichever signals a week happens to have. For a
# technology with a pypistats source, L is its pypistats level over the benchmark's
# (so the issue-2 download numbers set it); the others get a share and a yearly factor.
# SCALE below says what a level of 1.0 is on each signal.
BENCHMARK_IDS = ("pandas", "apache-airflow", "dbt-core", "pyarrow")
SIGNAL_START = date(2025, 10, 27)  # a Monday; first day of the daily series and of the HN stories


class Tech(NamedTuple):
    repo: str | None  # GitHub owner/name
    package: str | None  # PyPI (its PACKAGES entry sets the level)
    npm: str | None
    tag: str | None  # Stack Overflow
    hn: str | None  # Hacker News query
    article: str | None  # English Wikipedia article; "Dagster" has none: the 404 story
    share: float = 0.0  # level on ANCHOR when there is no PyPI package
    yearly: float = 1.0


TECHS: dict[str, Tech] = {
    "pandas": Tech("pandas-dev/pandas", "pandas", None, "pandas", "pandas", None),
    "apache-airflow": Tech("apache/airflow", "apache-airflow", None, "airflow", "Airflow", None),
    "dbt-core": Tech("dbt-labs/dbt-core", "dbt-core", None, "dbt", "dbt", None),
    "pyarrow": Tech(
        "apache/arrow", "pyarrow", "apache-arrow", "apache-arrow", "Apache Arrow", "Apache_Arrow"
    ),
    "polars": Tech(
        "pola-rs/polars", "polars", "nodejs-polars", "python-polars", "Polars", "Polars_(software)"
    ),
    "duckdb": Tech("duckdb/duckdb", "duckdb", "@duckdb/node-api", "duckdb", "DuckDB", "DuckDB"),
    "great-expectations": Tech(
        "great-expectations/great_expectations",
        "great-expectations",
        None,
        "great-expectations",
        "great_expectations",
        None,
    ),
    "dagster": Tech("dagster-io/dagster", "dagster", None, "dagster", "Dagster", "Dagster"),
    # no HN source: "Prefect" is an everyday word (and its few stories a week are noisy)
    "prefect": Tech("PrefectHQ/prefect", "prefect", None, "prefect", None, None),
    "pyspark": Tech(
        "apache/spark", "pyspark", None, "apache-spark", "Apache Spark", "Apache_Spark"
    ),
    "apache-hadoop": Tech(
        "apache/hadoop", None, None, "hadoop", "Hadoop", "Apache_Hadoop", 0.55, 0.30
    ),
    "sqoop": Tech("apache/sqoop", None, None, "sqoop", "Sqoop", "Sqoop", 0.04, 0.55),
    "go": Tech("golang/go", None, None, "go", "Golang", "Go_(programming_language)", 1.30, 1.03),
    "r": Tech(None, None, None, "r", None, None, 0.90, 0.97),
}
FAILING_ARTICLE = "Dagster"  # the Wikimedia API answers its real 404 problem JSON

# What a level of 1.0 (the benchmark mean) means for each signal on ANCHOR: stars and
# questions (cumulative, growing by `weekly` a week), HN stories a week, Wikipedia views
# and npm downloads a day. Every technology's signal is L(t) x this scale. A signal that
# only some benchmark technologies have must be on all four or on pyarrow alone (share
# 1.0), or the benchmark mean would not be the scale: so in the demo only pyarrow has
# npm and Wikipedia sources among the benchmark set.
SCALE = {
    "stars": (20_000, 0.002),
    "questions": (60_000, 0.0015),
    "hn": (40, 0.0),
    "views": (600, 0.0),
    "npm": (520_000, 0.0),
}


def _trend(yearly: float, day: date) -> float:
    return math.exp(math.log(yearly) * (day - ANCHOR).days / 365)


def _pypi_expected(package: str, day: date) -> float:
    base, yearly = PACKAGES[package]
    return base * _trend(yearly, day)


def level(tech_id: str, day: date) -> float:
    """L(t): the technology's share of the benchmark mean on `day` (1.0 = the mean)."""
    tech = TECHS[tech_id]
    if tech.package:
        bench = [_pypi_expected(TECHS[b].package, day) for b in BENCHMARK_IDS]
        return _pypi_expected(tech.package, day) / (sum(bench) / len(bench))
    return tech.share * _trend(tech.yearly, day)


def signal_expected(tech_id: str, key: str, day: date) -> float:
    """Noise-free value of one signal on `day`: L(t) x the signal's scale."""
    base, weekly = SCALE[key]
    return level(tech_id, day) * base * (1 + weekly * (day - ANCHOR).days / 7)


def daily_value(tech_id: str, key: str, day: date) -> int:
    """npm downloads or Wikipedia views of one day: weekday pattern and +/- 3 % noise."""
    noise = 1 + NOISE * (_unit_hash(tech_id, key, day.isoformat()) - 0.5)
    weekday = (
        WEEKDAY_FACTOR[day.weekday()]
        if key == "npm"
        else (1.0, 1.0, 1.0, 1.0, 0.95, 0.8, 0.85)[day.weekday()]
    )
    return round(signal_expected(tech_id, key, day) * weekday * noise)


def point_value(tech_id: str, key: str, snapshot: date) -> int:
    """Stars or questions seen on a snapshot. Neither ever goes down between snapshots
    (questions are never lost; a decliner's stars stall)."""
    values = [round(signal_expected(tech_id, key, s)) for s in SNAPSHOTS if s <= snapshot]
    return max(values)


def _weeks(until: date) -> list[date]:
    """Mondays from SIGNAL_START of the weeks that end before `until`... and the
    running week, whose stories so far (before `until`) are included."""
    return [SIGNAL_START + timedelta(weeks=n) for n in range((until - SIGNAL_START).days // 7 + 1)]


def hn_week_counts(tech_id: str) -> dict[date, int]:
    """Stories per week (Monday) up to the last snapshot: the expected count of the
    week (taken on its Thursday), rounded."""
    return {
        monday: round(signal_expected(tech_id, "hn", monday + timedelta(days=3)))
        for monday in _weeks(SNAPSHOTS[-1])
    }


def hn_story_times(tech_id: str, snapshot: date) -> list[int]:
    """created_at_i of the technology's stories before the snapshot, ascending: a week's
    stories are spread evenly over its seven days, at hash-jittered minutes."""
    week = 7 * 86_400
    stamps = []
    for monday, count in hn_week_counts(tech_id).items():
        start = int(datetime(monday.year, monday.month, monday.day, tzinfo=UTC).timestamp())
        for k in range(count):
            jitter = _unit_hash(tech_id, "hn", monday.isoformat(), str(k)) - 0.5
            stamps.append(start + int(week * (k + 0.5 + 0.8 * jitter) / count))
    cutoff = int(datetime(snapshot.year, snapshot.month, snapshot.day, tzinfo=UTC).timestamp())
    return sorted(t for t in stamps if t < cutoff)


def _days(snapshot: date) -> list[date]:
    return [SIGNAL_START + timedelta(days=n) for n in range((snapshot - SIGNAL_START).days)]


def npm_table(snapshot: date) -> dict:
    """Data of the npm downloads handler: per package, daily downloads from `start`."""
    packages = {}
    for tech_id, tech in sorted(TECHS.items()):
        if tech.npm:
            days = _days(snapshot)
            packages[tech.npm] = {
                "start": days[0].isoformat(),
                "downloads": [daily_value(tech_id, "npm", d) for d in days],
            }
    return {"last_day": (snapshot - timedelta(days=1)).isoformat(), "packages": packages}


def pageviews_table(snapshot: date) -> dict:
    """Data of the Wikimedia handler: en.wikipedia all-access user daily views from
    `start`. The failing article is absent, so the handler answers the API's 404."""
    articles = {}
    for tech_id, tech in sorted(TECHS.items()):
        if tech.article and tech.article != FAILING_ARTICLE:
            days = _days(snapshot)
            articles[tech.article] = {
                "start": days[0].isoformat(),
                "views": [daily_value(tech_id, "views", d) for d in days],
            }
    return {"en.wikipedia": {"all-access": {"user": articles}}}


def tags_table(snapshot: date) -> dict:
    """Data of the Stack Exchange handler: tag -> question count on the snapshot."""
    return {
        "site": "stackoverflow",
        "tags": {
            tech.tag: {
                "count": point_value(tech_id, "questions", snapshot),
                "has_synonyms": tech.tag in TAG_SYNONYMS,
            }
            for tech_id, tech in sorted(TECHS.items(), key=lambda kv: kv[1].tag or "")
            if tech.tag
        },
    }


TAG_SYNONYMS = {"pandas", "apache-spark", "go", "r", "hadoop", "airflow"}


def hn_table(snapshot: date) -> dict:
    """Data of the HN Algolia handler: lower-cased query -> story times (created_at_i)."""
    return {
        "stories": {
            tech.hn.lower(): hn_story_times(tech_id, snapshot)
            for tech_id, tech in sorted(TECHS.items())
            if tech.hn
        }
    }


# GitHub repositories. (licence SPDX id, language, forks per star, created, first release,
# days between releases, tag format); the archived one is listed in ARCHIVED.
REPOS = {
    "pandas": (
        "BSD-3-Clause",
        "Python",
        0.40,
        date(2010, 8, 24),
        date(2024, 1, 20),
        42,
        "v2.{n}.0",
    ),
    "apache-airflow": (
        "Apache-2.0",
        "Python",
        0.39,
        date(2015, 4, 13),
        date(2024, 1, 8),
        28,
        "2.{n}.0",
    ),
    "dbt-core": (
        "Apache-2.0",
        "Python",
        0.15,
        date(2016, 3, 10),
        date(2024, 1, 25),
        30,
        "v1.{n}.0",
    ),
    "pyarrow": (
        "Apache-2.0",
        "C++",
        0.24,
        date(2016, 2, 17),
        date(2024, 1, 18),
        90,
        "apache-arrow-{n}.0.0",
    ),
    "polars": ("MIT", "Rust", 0.07, date(2020, 5, 13), date(2024, 5, 1), 7, "py-1.{n}.0"),
    "duckdb": ("MIT", "C++", 0.10, date(2018, 6, 26), date(2024, 2, 13), 60, "v1.{n}.0"),
    "great-expectations": (
        "Apache-2.0",
        "Python",
        0.16,
        date(2017, 9, 11),
        date(2024, 1, 11),
        21,
        "1.{n}.0",
    ),
    "dagster": ("Apache-2.0", "Python", 0.13, date(2018, 4, 30), date(2024, 1, 4), 14, "1.{n}.0"),
    "prefect": ("Apache-2.0", "Python", 0.11, date(2018, 6, 29), date(2024, 1, 10), 14, "3.{n}.0"),
    "pyspark": ("Apache-2.0", "Scala", 0.71, date(2014, 2, 25), date(2024, 2, 21), 120, "v3.{n}.0"),
    "apache-hadoop": (
        "Apache-2.0",
        "Java",
        0.59,
        date(2014, 8, 28),
        date(2024, 3, 4),
        150,
        "rel/release-3.{n}.0",
    ),
    "sqoop": ("Apache-2.0", "Java", 0.50, date(2011, 11, 29), None, 0, ""),
    "go": ("BSD-3-Clause", "Go", 0.15, date(2014, 8, 19), None, 0, ""),  # tags, no releases
}
ARCHIVED = {  # repo -> (archived on, its releases: tag, published)
    "sqoop": (
        date(2021, 6, 15),
        (("1.4.5", date(2014, 8, 11)), ("1.4.6", date(2015, 5, 11)), ("1.4.7", date(2017, 12, 6))),
    ),
}
LICENSES = {
    "Apache-2.0": ("apache-2.0", "Apache License 2.0"),
    "MIT": ("mit", "MIT License"),
    "BSD-3-Clause": ("bsd-3-clause", 'BSD 3-Clause "New" or "Revised" License'),
}


def _stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def tech_releases(tech_id: str, snapshot: date) -> list[tuple[str, datetime]]:
    """(tag, published) of a repository's releases before the snapshot, newest first."""
    _, _, _, _, first, every, tag = REPOS[tech_id]
    if tech_id in ARCHIVED:
        return [
            (t, datetime(d.year, d.month, d.day, 17, 3, 0, tzinfo=UTC))
            for t, d in reversed(ARCHIVED[tech_id][1])
        ]
    out = []
    n = 0
    while first is not None and (day := first + timedelta(days=every * n)) < snapshot:
        out.append((tag.format(n=n), datetime(day.year, day.month, day.day, 15, 4, 7, tzinfo=UTC)))
        n += 1
    return out[::-1]


def github_repo(tech_id: str, snapshot: date) -> dict:
    """Body of https://api.github.com/repos/<owner>/<repo> on the snapshot."""
    full = TECHS[tech_id].repo
    owner, name = full.split("/")
    spdx, language, forks_per_star, created, *_ = REPOS[tech_id]
    stars = point_value(tech_id, "stars", snapshot)
    archived = tech_id in ARCHIVED
    if archived:
        pushed = datetime(2021, 6, 14, 9, 12, 40, tzinfo=UTC)
    else:
        day = snapshot - timedelta(days=1)
        pushed = datetime(day.year, day.month, day.day, 21, 37, 5, tzinfo=UTC)
    key, license_name = LICENSES[spdx]
    repo_id = 10_000_000 + _ident("repo", full) % 900_000_000
    owner_id = 1_000_000 + _ident("owner", owner) % 90_000_000
    api = f"https://api.github.com/repos/{full}"
    return {
        "id": repo_id,
        "node_id": f"R_kgDO{repo_id}",
        "name": name,
        "full_name": full,
        "private": False,
        "owner": {
            "login": owner,
            "id": owner_id,
            "node_id": f"O_kgDO{owner_id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{owner_id}?v=4",
            "html_url": f"https://github.com/{owner}",
            "type": "Organization",
            "site_admin": False,
        },
        "html_url": f"https://github.com/{full}",
        "description": f"{name}: fictional Market Radar demo numbers for a real repository.",
        "fork": False,
        "url": api,
        "releases_url": f"{api}/releases{{/id}}",
        "created_at": _stamp(datetime(created.year, created.month, created.day, 12, tzinfo=UTC)),
        "updated_at": _stamp(pushed),
        "pushed_at": _stamp(pushed),
        "homepage": None,
        "size": 100_000 + _ident("size", full) % 400_000,
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": language,
        "has_issues": not archived,
        "forks_count": round(stars * forks_per_star),
        "archived": archived,
        "disabled": False,
        "open_issues_count": 0 if archived else 200 + _ident("issues", full, str(snapshot)) % 1800,
        "license": {
            "key": key,
            "name": license_name,
            "spdx_id": spdx,
            "url": f"https://api.github.com/licenses/{key}",
            "node_id": f"MDc6TGljZW5zZ{key}",
        },
        "topics": [],
        "visibility": "public",
        "forks": round(stars * forks_per_star),
        "open_issues": 0 if archived else 200 + _ident("issues", full, str(snapshot)) % 1800,
        "watchers": stars,
        "default_branch": "trunk" if tech_id == "sqoop" else "main",
        "subscribers_count": max(1, round(stars * 0.025)),
        "network_count": round(stars * forks_per_star),
    }


def tech_release_list(tech_id: str, snapshot: date) -> list[dict]:
    """Body of .../repos/<owner>/<repo>/releases (newest first, unpaged)."""
    full = TECHS[tech_id].repo
    api = f"https://api.github.com/repos/{full}"
    out = []
    for tag, when in tech_releases(tech_id, snapshot):
        release_id = 150_000_000 + _ident(full, tag) % 50_000_000
        out.append(
            {
                "url": f"{api}/releases/{release_id}",
                "html_url": f"https://github.com/{full}/releases/tag/{tag}",
                "id": release_id,
                "tag_name": tag,
                "target_commitish": "main",
                "name": tag,
                "draft": False,
                "prerelease": False,
                "created_at": _stamp(when),
                "published_at": _stamp(when),
                "assets": [],
                "tarball_url": f"{api}/tarball/{tag}",
                "zipball_url": f"{api}/zipball/{tag}",
                "body": f"Release {tag}.",
            }
        )
    return out


def adoption_sources(snapshot: date) -> dict[str, str]:
    """The issue-4 technology sources of one snapshot, at the real hosts: GitHub
    repositories and releases (files), and the data tables the demo web's handlers
    answer npm, Stack Exchange, HN Algolia and Wikimedia requests from."""
    root = snapshot.isoformat()
    github_json = "application/json; charset=utf-8"
    files = {}
    for tech_id, tech in TECHS.items():
        if tech.repo:
            base = f"{root}/api.github.com/repos/{tech.repo}"
            files[f"{base}/index.json"] = _json(github_repo(tech_id, snapshot))
            files[f"{base}/index.json.http.json"] = http_sidecar(content_type=github_json)
            files[f"{base}/releases/index.json"] = _json(tech_release_list(tech_id, snapshot))
            files[f"{base}/releases/index.json.http.json"] = http_sidecar(
                content_type=github_json, paginate="github"
            )
    for path, data, handler in (
        ("api.npmjs.org/downloads", npm_table(snapshot), "npm_downloads"),
        ("api.stackexchange.com/2.3/tags", tags_table(snapshot), "stackexchange_tags"),
        ("hn.algolia.com/api/v1/search_by_date", hn_table(snapshot), "hn_search"),
        (
            "wikimedia.org/api/rest_v1/metrics/pageviews/per-article",
            pageviews_table(snapshot),
            "wikimedia_pageviews",
        ),
    ):
        files[f"{root}/{path}/index.json"] = json.dumps(data, separators=(",", ":")) + "\n"
        files[f"{root}/{path}/index.json.http.json"] = http_sidecar(handler=handler)
    return files


# --------------------------------------------------------------------------- HTTP sidecars
def http_sidecar(
    *, content_type: str | None = None, paginate: str | None = None, handler: str | None = None
) -> str:
    """`<file>.http.json`: response headers and the pagination style or API handler
    demo/web.py applies to this file (see seeds/README.md, "The offline demo web")."""
    meta: dict = {}
    if content_type:
        meta["headers"] = {"Content-Type": content_type}
    if paginate:
        meta["paginate"] = paginate
    if handler:
        meta["handler"] = handler
    return json.dumps(meta, indent=2) + "\n"


# --------------------------------------------------------------------------- output
def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def competitor_sources(snapshot: date) -> dict[str, str]:
    """The issue-3 sources of one snapshot: job boards, careers pages, feeds, releases
    and watched pages, at their real hosts and paths."""
    root = snapshot.isoformat()
    files = {}
    greenhouse = f"{root}/boards-api.greenhouse.io/v1/boards/northwind/jobs/index.json"
    files[greenhouse] = _json(greenhouse_jobs(snapshot))
    lever = f"{root}/api.lever.co/v0/postings/bluebird/index.json"
    files[lever] = _json(lever_postings(snapshot))
    files[lever + ".http.json"] = http_sidecar(paginate="lever")
    github = f"{root}/api.github.com/repos/delta-metrics/delta/releases/index.json"
    files[github] = _json(delta_releases(snapshot))
    files[github + ".http.json"] = http_sidecar(
        content_type="application/json; charset=utf-8", paginate="github"
    )
    cobalt = f"{root}/cobalt.example/releases/feed.xml"
    files[cobalt] = cobalt_feed(snapshot)
    files[cobalt + ".http.json"] = http_sidecar(content_type="application/rss+xml; charset=utf-8")
    ember = f"{root}/ember.example/changelog/atom.xml"
    files[ember] = ember_feed(snapshot)
    files[ember + ".http.json"] = http_sidecar(content_type="application/atom+xml; charset=utf-8")
    for brand, host, jobs, page in (
        ("Ember Labs", "ember.example", EMBER_JOBS, ember_posting),
        ("Delta Metrics", "delta.example", DELTA_JOBS, delta_posting),
    ):
        files[f"{root}/{host}/careers/index.html"] = careers_index(brand, host, jobs, snapshot)
        for job in jobs:
            if _visible(job, snapshot):
                files[f"{root}/{host}/careers/{_slug_of(job)}/index.html"] = page(job)
    files[f"{root}/ember.example/about/index.html"] = ember_about(snapshot)
    files[f"{root}/delta.example/security/index.html"] = delta_security(snapshot)
    return files


def snapshot_files(snapshot: date) -> dict[str, str]:
    """Relative path under web/ -> file text, for one day: a pure function of the date, so
    it renders days between and after the committed snapshots too (demo.market does)."""
    root = snapshot.isoformat()
    files = {
        f"{root}/northwind.example/pricing/index.html": northwind_page(snapshot),
        f"{root}/bluebird.example/pricing/index.html": bluebird_page(snapshot),
        f"{root}/cobalt.example/pricing/index.html": cobalt_page(snapshot),
        f"{root}/ember.example/pricing/index.html": ember_pricing_page(snapshot),
    }
    for package in sorted(PACKAGES):
        body = json.dumps(pypistats_overall(package, snapshot), indent=2) + "\n"
        files[f"{root}/pypistats.org/api/packages/{package}/overall/index.json"] = body
    files.update(competitor_sources(snapshot))
    files.update(adoption_sources(snapshot))
    return files


def build() -> dict[str, str]:
    """Relative path under web/ -> file text."""
    files = {"robots.txt": ROBOTS_TXT}
    for snapshot in SNAPSHOTS:
        files.update(snapshot_files(snapshot))
    assert not any(path.endswith(".csv") for path in files), "dbt would seed a CSV"
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    files = build()
    existing = (
        {p.relative_to(WEB_DIR).as_posix() for p in WEB_DIR.rglob("*") if p.is_file()}
        if WEB_DIR.exists()
        else set()
    )
    stale = sorted(
        path
        for path in existing | set(files)
        if path not in files
        or path not in existing
        or (WEB_DIR / path).read_text(encoding="utf-8") != files[path]
    )
    if args.check:
        for path in stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    if WEB_DIR.exists():
        shutil.rmtree(WEB_DIR)
    for path, text in files.items():
        target = WEB_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(files)} files under {WEB_DIR} ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
