"""Field accuracy of the page extractors over labelled pages: precision, recall, F1 per field.

    uv run python benchmarks/bench_fields.py [--pages benchmarks/pages] [--show-misses]

Each page of ``benchmarks/pages/labels.json`` goes through ``scrapers.extract.extract``
(what ``radar extract`` runs: the spider's own parsing code, offline) and its items are
compared with the labelled ones. Pages marked ``held_out`` (written after the extractors
were changed for the others) are reported apart: figures on pages nobody tuned for, until
someone does. Items are paired by name (title for job postings; case and spaces ignored),
same billing period first; on product pages (``main_only``) only the first item, the
page's main product, is judged.

Per field, over every labelled and extracted item:
- true positive: a paired item whose value equals the label;
- false positive: a value that is not the label's (wrong, or given where the label is
  null, or on an extracted item without a labelled twin);
- false negative: a labelled value not extracted exactly.
A label of null that stays null counts nothing: "contact sales" has no price, and
giving none is neither a hit nor a miss of the price field (is_custom scores it).

Figures, not assertions: the pages are the project's own, written to cover the ways
real pages are built (see the issue that asked for this benchmark).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scrapers.extract import extract

PAGES = Path(__file__).parent / "pages"
PLAN_FIELDS = (
    "name",
    "price",
    "currency",
    "billing_period",
    "unit",
    "is_custom",
    "sku",
    "availability",
)
JOB_FIELDS = (
    "name",
    "salary",
    "salary_currency",
    "salary_period",
    "department",
    "location",
    "workplace_type",
)


def _key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _view(item: dict[str, Any]) -> dict[str, Any]:
    """The judged fields of one item, labelled or extracted."""
    view = dict(item)
    if "title" in item:
        view["name"] = item["title"]
    if "salary_min" in item or "salary_max" in item:
        low, high = item.get("salary_min"), item.get("salary_max")
        view["salary"] = None if low is None and high is None else f"{low}-{high}"
    return view


def pair(expected: list[dict], found: list[dict]) -> tuple[list[tuple[dict, dict]], list, list]:
    """(pairs, unpaired expected, unpaired found): by name and period, then by name."""
    left, right = list(expected), list(found)
    pairs = []
    for same_period in (True, False):
        for e in list(left):
            for f in right:
                if _key(e["name"]) != _key(f["name"]):
                    continue
                if same_period and e.get("billing_period") != f.get("billing_period"):
                    continue
                pairs.append((e, f))
                left.remove(e)
                right.remove(f)
                break
    return pairs, left, right


def score_page(
    expected: list[dict], found: list[dict], fields: tuple[str, ...], counts: Counter
) -> list[str]:
    """Add the page's TP/FP/FN per field to ``counts``; the misses as text."""
    pairs, missed, extra = pair(expected, found)
    misses = []
    for e, f in pairs:
        for field in fields:
            want, got = e.get(field), f.get(field)
            if field not in e:
                continue  # not labelled on this page (sku on a SaaS plan)
            if want is not None and got == want:
                counts[field, "tp"] += 1
                continue
            if want is not None:
                counts[field, "fn"] += 1
            if got is not None and got != want:
                counts[field, "fp"] += 1
            if got != want:
                misses.append(f"{e['name']!r} {field}: want {want!r}, got {got!r}")
    for e in missed:
        for field in fields:
            if e.get(field) is not None:
                counts[field, "fn"] += 1
        misses.append(f"missing {e['name']!r} ({e.get('billing_period') or ''})")
    for f in extra:
        for field in fields:
            if f.get(field) is not None and (field in expected[0] if expected else True):
                counts[field, "fp"] += 1
        misses.append(f"extra {f['name']!r} ({f.get('billing_period') or ''}) {f.get('price')}")
    return misses


def f1_table(
    counts: Counter, fields: tuple[str, ...]
) -> list[tuple[str, float, float, float, int]]:
    rows = []
    for field in fields:
        tp, fp, fn = counts[field, "tp"], counts[field, "fp"], counts[field, "fn"]
        if tp + fp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((field, precision, recall, f1, tp + fn))
    return rows


def run(pages_dir: Path, show_misses: bool) -> dict[str, list]:
    labels = json.loads((pages_dir / "labels.json").read_text(encoding="utf-8"))["pages"]
    groups: dict[str, Counter] = {}
    perfect = Counter()
    started = time.perf_counter()
    for name, page in labels.items():
        items = [_view(i) for i in extract(page["spider"], pages_dir / name, page["url"])]
        expected = [_view(i) for i in page["items"]]
        if page.get("main_only"):
            items = items[:1]
        if page["spider"] == "jobposting":
            group, fields = "job postings", JOB_FIELDS
        else:
            group = "product pages" if page.get("main_only") else "pricing pages"
            fields = PLAN_FIELDS
        if page.get("held_out"):
            group += ", held out"
        misses = score_page(expected, items, fields, groups.setdefault(group, Counter()))
        perfect[group, "pages"] += 1
        perfect[group, "exact"] += not misses
        if show_misses and misses:
            print(f"{name}:")
            for miss in misses:
                print(f"    {miss}")
    elapsed = time.perf_counter() - started
    tables = {}
    for group, counts in groups.items():
        fields = JOB_FIELDS if group.startswith("job postings") else PLAN_FIELDS
        tables[group] = f1_table(counts, fields)
        print(
            f"\n{group}: {perfect[group, 'exact']}/{perfect[group, 'pages']} pages entirely right"
        )
        print(f"  {'field':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'labelled':>10}")
        for field, precision, recall, f1, labelled in tables[group]:
            print(f"  {field:<16}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{labelled:>10}")
    print(f"\n{len(labels)} pages in {elapsed:.1f} s")
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--show-misses", action="store_true", help="print every wrong field")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    run(args.pages, args.show_misses)


if __name__ == "__main__":
    main()
