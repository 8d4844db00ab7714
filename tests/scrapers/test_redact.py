"""Secrets of the environment never reach a log line or a recorded error."""

from __future__ import annotations

import logging

import pytest

from scrapers import redact


@pytest.fixture
def masked(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_1234")
    monkeypatch.setenv("STACKEXCHANGE_KEY", "se-key-5678")
    redact.install()
    yield
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
    redact.install()  # no secrets: the previous record factory comes back


def test_log_lines_and_errors_are_masked_whoever_logs_them(masked, caplog):
    logger = logging.getLogger("scrapy.downloadermiddlewares.retry")
    with caplog.at_level(logging.INFO):
        logger.error("Gave up retrying <GET %s>", "https://api.example/x?key=se-key-5678")
        try:
            raise RuntimeError("401 for token ghp_secret_1234")
        except RuntimeError:
            logger.exception("request failed")
    assert [r.getMessage() for r in caplog.records] == [
        "Gave up retrying <GET https://api.example/x?key=***>",
        "request failed (RuntimeError: 401 for token ***)",
    ]
    assert "ghp_secret_1234" not in caplog.text


def test_text_is_masked_and_short_values_are_left_alone(masked, monkeypatch):
    assert redact.redact("Bearer ghp_secret_1234 and se-key-5678") == "Bearer *** and ***"
    monkeypatch.setenv("GITHUB_TOKEN", "abc")  # too short to tell from ordinary text
    assert redact.redact("abc def") == "abc def"


def test_without_secrets_the_log_record_factory_is_the_standard_one(masked, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.delenv("STACKEXCHANGE_KEY")
    redact.install()
    assert logging.getLogRecordFactory() is logging.LogRecord
