"""pages: a watched page → one PageItem with its normalised main text and fingerprint.

The main text is trafilatura's (boilerplate such as navigation and footers left out;
its baseline extractor when the main one finds nothing, recorded as a parse warning).
It is normalised by ``scrapers.normalize.normalize_page_text`` (dates, times, counters,
hex/uuid tokens, copyright years → placeholders) and fingerprinted with sha256, so an
observation whose only change is a date has the same fingerprint as the last one.
title: the page's <title> (else og:title, else the first h1).
"""

from __future__ import annotations

from typing import Any

import trafilatura
from scrapy.http import Response

from scrapers.items import PageItem
from scrapers.normalize import fingerprint, normalize_page_text
from scrapers.spiders.base import RadarSpider
from scrapers.text import clean_lines


def main_text(html: str, url: str | None = None) -> tuple[str, bool]:
    """(main text, True when the baseline extractor had to stand in)."""
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, deduplicate=False
    )
    if text and text.strip():
        return text, False
    _, baseline_text, _ = trafilatura.baseline(html)
    return baseline_text or "", True


class PagesSpider(RadarSpider):
    name = "pages"
    item_class = PageItem
    subject_field = "competitor_id"
    conditional = True

    def parse_items(self, response: Response, target: dict[str, Any]) -> list[dict[str, Any]]:
        url = response.url
        if not self.html_response(response):
            return []
        text, used_baseline = main_text(response.text, url)
        text = normalize_page_text(text)
        if not text:
            self.record_parse_error("no_main_text", url)
            return []
        if used_baseline:
            self.record_parse_warning("baseline_text", url, f"{len(text)} chars")
        title = None
        for xpath in (
            "//title//text()",
            '//meta[@property="og:title"]/@content',
            "//h1//text()",
        ):
            title = clean_lines(" ".join(response.xpath(xpath).getall())).replace("\n", " ")
            if title:
                break
        return [
            {
                "title": title or None,
                "text": text,
                "fingerprint": fingerprint(text),
                "chars": len(text),
            }
        ]
