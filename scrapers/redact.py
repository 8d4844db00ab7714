"""No secret in a log line: the values of the secret environment variables are replaced by
``***`` in every log record of the process, whoever writes it (Scrapy, Prefect, ours), and in
the text of errors that we record.

Spiders read their secrets from the environment (GITHUB_TOKEN, STACKEXCHANGE_KEY) and keep
them off the URLs they log; this is the second line, for what a library logs on its own
(a retried request's URL, an exception's message).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

SECRET_ENV = (
    "GITHUB_TOKEN",
    "STACKEXCHANGE_KEY",
    "MOTHERDUCK_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
MASK = "***"
_MIN_LENGTH = 6  # shorter values would mask ordinary words


def secrets() -> list[str]:
    """The secret values set in this process's environment, longest first."""
    values = {os.environ.get(name, "").strip() for name in SECRET_ENV}
    return sorted((v for v in values if len(v) >= _MIN_LENGTH), key=len, reverse=True)


def redact(text: str, values: list[str] | None = None) -> str:
    for value in secrets() if values is None else values:
        text = text.replace(value, MASK)
    return text


def install() -> None:
    """Mask the environment's secrets in every log record created from now on (once per
    process; a crawl process calls it after taking the flow's environment)."""
    values = secrets()
    current = logging.getLogRecordFactory()
    previous: Callable[..., logging.LogRecord] = getattr(current, "radar_previous", current)
    if not values:
        logging.setLogRecordFactory(previous)
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format is the logging module's to report
            return record
        if any(value in message for value in values):
            record.msg, record.args = redact(message, values), None
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and any(value in str(error) for value in values):
            # the traceback would print the message again: the error's name and masked text
            record.exc_info, record.exc_text = None, None
            name = type(error).__name__
            record.msg = f"{record.getMessage()} ({name}: {redact(str(error), values)})"
            record.args = None
        return record

    factory.radar_previous = previous  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
