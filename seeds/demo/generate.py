"""Build the offline demo web under seeds/demo/web/ (deterministic, stdlib only).

    python seeds/demo/generate.py           # (re)write seeds/demo/web/
    python seeds/demo/generate.py --check   # exit 1 if the committed files are stale

The output is committed. The same inputs always give byte-identical files, so a
rerun after editing this script shows the change as a plain git diff.

This script must never write a .csv file: dbt seeds every CSV under seeds/.
It imports nothing from the project on purpose (seeds/ is data).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import math
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent / "web"

SNAPSHOTS = (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
PRICE_RISE = date(2026, 11, 16)  # Northwind Team: $12 -> $15 per seat / month
BLUEBIRD_SCALE_LAUNCH = date(2026, 11, 23)
COBALT_PRO_RETIRED = date(2026, 11, 23)

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


# --------------------------------------------------------------------------- output
def build() -> dict[str, str]:
    """Relative path under web/ -> file text."""
    files = {"robots.txt": ROBOTS_TXT}
    for snapshot in SNAPSHOTS:
        root = snapshot.isoformat()
        files[f"{root}/northwind.example/pricing/index.html"] = northwind_page(snapshot)
        files[f"{root}/bluebird.example/pricing/index.html"] = bluebird_page(snapshot)
        files[f"{root}/cobalt.example/pricing/index.html"] = cobalt_page(snapshot)
        for package in sorted(PACKAGES):
            body = json.dumps(pypistats_overall(package, snapshot), indent=2) + "\n"
            files[f"{root}/pypistats.org/api/packages/{package}/overall/index.json"] = body
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
