"""stackexchange_tags spider: tags batched into one request, a tag missing from the
answer, backoff and quota, error bodies, the optional key kept out of logs and items."""

from __future__ import annotations

import asyncio

import pytest

from scrapers.spiders import stackexchange_tags as module
from scrapers.spiders.stackexchange_tags import StackexchangeTagsSpider

API = "https://api.stackexchange.com/2.3/tags"
BATCH = f"{API}/python;c%23;nosuchtag/info?site=stackoverflow&pagesize=100"


def se_target(kit, subject, tag):
    url = f"{API}/{tag}/info?site=stackoverflow"
    tgt = kit.target(url, spider="stackexchange_tags", subject_id=subject)
    return {**tgt, "subject_type": "technology"}


@pytest.fixture
def targets(kit):
    return [
        se_target(kit, "python", "python"),
        se_target(kit, "csharp", "c%23"),
        se_target(kit, "ghost", "nosuchtag"),
    ]


@pytest.fixture
def spider(kit, targets, monkeypatch):
    monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
    return kit.make_spider(StackexchangeTagsSpider, targets=targets)


def test_three_tags_one_request_one_missing(kit, spider, targets, caplog):
    (request,) = list(spider.target_requests())
    assert request.url == BATCH
    assert request.callback == spider.parse_batch
    response = kit.saved_response("stackexchange_tags.json", BATCH, meta=request.meta)
    items, _ = kit.parse(spider, response, targets[0])
    assert [(i["technology_id"], i["tag"], i["question_count"]) for i in items] == [
        ("python", "python", 2219876),
        ("csharp", "c#", 1617451),
    ]
    assert dict(items[1]) == {
        "run_id": "run-2026-11-16",
        "source": "stackexchange_tags",
        "source_id": "csharp-stackexchange_tags",
        "observed_at": kit.OBSERVED_AT,
        "url": BATCH,
        "technology_id": "csharp",
        "tag": "c#",
        "question_count": 1617451,
        "has_synonyms": True,
    }
    assert kit.radar_stats(spider) == {"radar/parse_errors/tag_not_found": 1}
    assert f"tag_not_found on {BATCH}: nosuchtag" in caplog.text


def test_batches_of_the_configured_size_go_one_after_another(kit, targets, monkeypatch):
    monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
    spider = kit.make_spider(
        StackexchangeTagsSpider, {"RADAR_STACKEXCHANGE_BATCH_SIZE": 2}, targets=targets
    )
    (first,) = list(spider.target_requests())
    assert first.url == f"{API}/python;c%23/info?site=stackoverflow&pagesize=100"
    second = spider.next_request()
    assert second.url == f"{API}/nosuchtag/info?site=stackoverflow&pagesize=100"
    assert spider.next_request() is None


def test_backoff_delays_the_next_batch(kit, targets, monkeypatch):
    monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
    spider = kit.make_spider(
        StackexchangeTagsSpider, {"RADAR_STACKEXCHANGE_BATCH_SIZE": 2}, targets=targets
    )
    (first,) = list(spider.target_requests())
    body = (kit.RESPONSES / "stackexchange_tags.json").read_text()
    body = body.replace('"quota_remaining": 297', '"quota_remaining": 296, "backoff": 10')
    response = kit.saved_response("stackexchange_tags.json", first.url, meta=first.meta)
    response = response.replace(body=body.encode())
    slept = []

    async def fake_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(module, "sleep", fake_sleep)

    async def run():
        return [out async for out in spider.parse_batch(response, targets[0])]

    out = asyncio.run(run())
    assert [getattr(o, "url", None) for o in out][-1].endswith(
        "/nosuchtag/info?site=stackoverflow&pagesize=100"
    )
    assert len(out) == 3  # two tags, then the next batch
    assert len(slept) == 1
    assert 9 < slept[0] <= 10
    stats = kit.radar_stats(spider)
    assert (stats["radar/backoff/count"], stats["radar/backoff/seconds"]) == (1, 10)


def test_quota_exhausted_stops_further_batches(kit, targets, monkeypatch):
    monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
    spider = kit.make_spider(
        StackexchangeTagsSpider, {"RADAR_STACKEXCHANGE_BATCH_SIZE": 2}, targets=targets
    )
    (first,) = list(spider.target_requests())
    body = (kit.RESPONSES / "stackexchange_tags.json").read_text()
    body = body.replace('"quota_remaining": 297', '"quota_remaining": 0')
    response = kit.saved_response("stackexchange_tags.json", first.url, meta=first.meta)
    items, _ = kit.parse(spider, response.replace(body=body.encode()), targets[0])
    assert len(items) == 2  # this answer still counts
    assert spider.next_request() is None
    stats = kit.radar_stats(spider)
    assert stats["radar/quota_exhausted"] == 1
    assert stats["radar/quota_exhausted/skipped_requests"] == 1


def test_throttle_error_body(kit, spider, targets, caplog):
    (request,) = list(spider.target_requests())
    response = kit.saved_response("stackexchange_throttle.json", BATCH, 400, meta=request.meta)
    assert kit.parse(spider, response, targets[0]) == ([], [])
    stats = kit.radar_stats(spider)
    assert stats["radar/http_errors/400"] == 1
    assert stats["radar/parse_errors/api_error"] == 1
    assert stats["radar/quota_exhausted"] == 1
    assert "throttle_violation" in caplog.text
    assert "radar/parse_errors/tag_not_found" not in stats


def test_html_error_page_and_truncated_json(kit, spider, targets):
    (request,) = list(spider.target_requests())
    html = kit.saved_response("pypistats_404.html", BATCH, meta=request.meta)
    truncated = kit.saved_response("truncated.json", BATCH, meta=request.meta)
    assert kit.parse(spider, html, targets[0]) == ([], [])
    assert kit.parse(spider, truncated, targets[0]) == ([], [])
    assert kit.radar_stats(spider) == {
        "radar/parse_errors/not_json": 1,
        "radar/parse_errors/invalid_json": 1,
    }


def test_key_is_sent_but_never_landed_or_logged(kit, targets, monkeypatch, caplog):
    monkeypatch.setenv("STACKEXCHANGE_KEY", "se_key_secret")
    spider = kit.make_spider(StackexchangeTagsSpider, targets=targets)
    (request,) = list(spider.target_requests())
    assert request.url == BATCH + "&key=se_key_secret"
    response = kit.saved_response("stackexchange_tags.json", request.url, meta=request.meta)
    items, _ = kit.parse(spider, response, targets[0])
    assert {i["url"] for i in items} == {BATCH}
    error = kit.saved_response("stackexchange_throttle.json", request.url, 400)
    kit.parse(spider, error, targets[0])
    assert "se_key_secret" not in caplog.text
    local = se_target(kit, "python", "python")
    local["url"] = "http://127.0.0.1:8000/2.3/tags/python/info?site=stackoverflow"
    spider = kit.make_spider(StackexchangeTagsSpider, targets=[local])
    (request,) = list(spider.target_requests())
    assert "key=" not in request.url
