"""Alerts: tell the people on call what a run did that needs a human.

A data engineer should not have to open the app to learn that a run failed, that a quality
gate stopped a publication or that a source is degrading, and an analyst wants to hear about
a competitor's price change or a technology falling to hold when it happens, not at the next
look. So after each run the pipeline turns its summary, its source ledger rows and the newly
published marts into `Alert`s and sends them to the Apprise URLs in settings (Apprise ships
with Prefect and speaks Slack, Teams, e-mail, webhooks and a hundred more).

Alerts are built by pure functions (`run_alerts`, `market_alerts`) so they are testable
without sending, and `send_alerts` never raises: a broken notification channel must not turn
a good run into a failed one. Notification URLs carry tokens, so only their scheme and host,
as Apprise masks them, ever reach a log or a report.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import apprise
import duckdb

logger = logging.getLogger(__name__)


# True while send_alerts runs, in its thread and in the worker threads Apprise starts
# (Apprise submits its work with a copy of the caller's context).
_sending: ContextVar[bool] = ContextVar("radar_alerts_sending", default=False)


class _DropDebug(logging.Filter):
    """Drops DEBUG (and Apprise's TRACE) records that would print notification secrets.

    At those levels Apprise logs request URLs, query strings and payloads verbatim (a
    Telegram bot token is part of its API URL, a webhook's ?token= shows in errors), and
    urllib3 logs each request line with its query string. So turning the log level up
    would leak tokens. INFO and above name a host at most and pass.
    """

    def __init__(self, only_while_sending: bool) -> None:
        super().__init__()
        self.only_while_sending = only_while_sending

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        return self.only_while_sending and not _sending.get()


def _install_filters() -> None:
    # Apprise's own logger is quietened for good (Prefect's notification blocks use it too);
    # urllib3 serves every requests user in the process, so only while alerts are sent.
    # Logger filters apply to records created on that very logger, hence the full names.
    for name, only_while_sending in (
        ("apprise", False),
        ("urllib3.connectionpool", True),
        ("urllib3.connection", True),
        ("urllib3.util.retry", True),
    ):
        target = logging.getLogger(name)
        if not any(type(f).__name__ == _DropDebug.__name__ for f in target.filters):
            target.addFilter(_DropDebug(only_while_sending))


_install_filters()

# In the order messages are sent: what stops data first, market news last.
KINDS = ("run_failed", "quality_gate_failed", "source_degraded", "price_change", "moved_to_hold")

_NOTIFY_TYPES = {
    "run_failed": apprise.NotifyType.FAILURE,
    "quality_gate_failed": apprise.NotifyType.FAILURE,
    "source_degraded": apprise.NotifyType.WARNING,
    "price_change": apprise.NotifyType.INFO,
    "moved_to_hold": apprise.NotifyType.INFO,
}

# Message titles count what they hold: (singular, plural).
_NOUNS = {
    "run_failed": ("failed run", "failed runs"),
    "quality_gate_failed": ("failed quality gate", "failed quality gates"),
    "source_degraded": ("degraded source", "degraded sources"),
    "price_change": ("price change", "price changes"),
    "moved_to_hold": ("technology moved to hold", "technologies moved to hold"),
}

_BILLING = {
    "month": "billed monthly",
    "year": "billed yearly",
    "one-time": "paid once",
    "unknown": "billing period unknown",
}

# An alert points at the ledger, it does not replace it: a dbt error can run to pages.
_MAX_BODY_CHARS = 1000

# Alias of the attached published file inside a private in-memory DuckDB instance.
_CATALOG = "published"


@dataclass(frozen=True)
class Alert:
    """One thing worth telling someone; `subject` is what it is about (run, source, plan...)."""

    kind: str
    title: str
    body: str
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown alert kind {self.kind!r}, expected one of {KINDS}")


@dataclass(frozen=True)
class SendReport:
    """What send_alerts did. A delivery is one message to one URL."""

    messages: int = 0
    sent: int = 0
    # "<scheme>://<host>: <what went wrong>" per failed delivery or unusable URL, never the URL.
    failures: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.failures


# --- what happened in the run ------------------------------------------------------------


def run_alerts(summary: Mapping[str, Any], source_runs: Iterable[Mapping[str, Any]]) -> list[Alert]:
    """Alerts about the run itself: a failure (or failed quality gate) and degraded sources.

    `summary` is the pipeline's RunSummary as a dict; `source_runs` are this run's
    ops.source_runs rows. A partial run gives no run alert: its degraded sources say why.
    """
    alerts: list[Alert] = []
    run_id = summary.get("run_id")
    catalog = summary.get("catalog")
    if summary.get("status") == "failed":
        checks_failed = summary.get("checks_failed") or 0
        error = summary.get("error") or "no error recorded"
        # A failed gate means the data was wrong, not the machinery: a different person
        # (the model's owner, not the platform's) usually has to act.
        if checks_failed > 0:
            alerts.append(
                Alert(
                    kind="quality_gate_failed",
                    title=f"Run {run_id} ({catalog}) stopped by the quality gate",
                    body=f"{checks_failed} check(s) failed, nothing published: {error}",
                    subject=run_id,
                )
            )
        else:
            alerts.append(
                Alert(
                    kind="run_failed",
                    title=f"Run {run_id} ({catalog}) failed",
                    body=f"nothing published: {error}",
                    subject=run_id,
                )
            )
    # One alert per source, though send_alerts sends them as one message: on call you want
    # a single page listing every degraded source (they often share a cause, e.g. one host
    # down), while each alert keeps its own subject for whoever reads them one by one.
    for row in source_runs:
        status = row.get("status")
        if status == "ok":
            continue
        source_id, kind = row.get("source_id"), row.get("source_kind")
        items = row.get("items")
        detail = row.get("error") or "no error recorded"
        if items is not None:
            detail = f"{detail} ({items} item(s) landed)"
        alerts.append(
            Alert(
                kind="source_degraded",
                title=f"{source_id} ({kind}) {status}",
                body=detail,
                subject=source_id,
            )
        )
    return alerts


# --- what changed in the market ----------------------------------------------------------


def _open(published: Path) -> duckdb.DuckDBPyConnection:
    # Not `duckdb.connect(path, read_only=True)`: DuckDB caches database instances by path
    # inside the process, so a connection still open on the replaced file would be returned
    # for the new one. A private in-memory instance with the file attached sees this file.
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {_CATALOG} (READ_ONLY)", [str(published)])
    except BaseException:
        con.close()
        raise
    return con


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    # A publication from before a mart existed simply has nothing to alert about.
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [_CATALOG, schema, table],
        ).fetchone()[0]
    )


def previous_rings(published: Path) -> dict[str, str]:
    """technology_id → ring in the currently published file; empty when there is none.

    The pipeline calls this before it publishes, so market_alerts can tell a move to hold
    from a technology that was already there.
    """
    published = Path(published)
    if not published.is_file():
        return {}
    con = _open(published)
    try:
        if not _has_table(con, "marts", "fct_tech_radar"):
            return {}
        rows = con.execute(
            f"select technology_id, ring from {_CATALOG}.marts.fct_tech_radar"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _money(price: Decimal | None, currency: str | None) -> str:
    if price is None:
        return "no public price"
    return f"{price:.2f} {currency or ''}".rstrip()


def _price_change(row: dict[str, Any], observed_at: datetime) -> Alert:
    kind, plan = row["change_kind"], row["plan_name"] or row["plan_key"]
    old, new, currency = row["old_price"], row["new_price"], row["currency"]
    if kind in ("increase", "decrease"):
        change = f"{plan} {old:.2f} → {new:.2f} {currency}"
    elif kind == "plan_added":
        change = f"new plan {plan} at {_money(new, currency)}"
    elif kind == "plan_removed":
        change = f"plan {plan} removed (was {_money(old, currency)})"
    else:  # became_custom, price_published
        change = f"{plan} {_money(old, currency)} → {_money(new, currency)}"
    details = [kind.replace("_", " ")]
    if row["change_pct"] is not None:
        details[0] += f" {row['change_pct']:+.2f}%"
    period = row["billing_period"]
    details.append(_BILLING.get(period, f"billed per {period}"))
    details.append(f"first seen {observed_at:%Y-%m-%d %H:%M} UTC")
    return Alert(
        kind="price_change",
        title=f"{row['competitor']}: {change}",
        body="; ".join(details),
        subject=f"{row['competitor_id']}:{row['plan_key']}:{row['billing_period']}",
    )


def market_alerts(
    published: Path, observed_at: datetime, previous_rings: Mapping[str, str]
) -> list[Alert]:
    """Price changes first seen in this run and technologies that moved to hold.

    `observed_at` is the run's: every source of a run shares it, so a change whose
    changed_at equals it was first seen now (older changes were alerted by their own run).
    `previous_rings` is `previous_rings()` of the publication this one replaced.
    """
    published = Path(published)
    if not published.is_file():
        return []
    # A naive time would be read in the session's time zone; the pipeline's are UTC.
    if observed_at.tzinfo is None:
        observed_at = observed_at.replace(tzinfo=UTC)
    observed_at = observed_at.astimezone(UTC)
    alerts: list[Alert] = []
    con = _open(published)
    try:
        if _has_table(con, "marts", "fct_price_changes"):
            # Competitors by name when the publication has them, else by id.
            if _has_table(con, "marts", "dim_competitors"):
                competitor = "coalesce(dim.name, changes.competitor_id)"
                joined = f"left join {_CATALOG}.marts.dim_competitors dim using (competitor_id)"
            else:
                competitor, joined = "changes.competitor_id", ""
            cursor = con.execute(
                f"""
                select changes.competitor_id, {competitor} as competitor,
                    plan_key, plan_name, billing_period, change_kind,
                    old_price, new_price, change_pct, currency
                from {_CATALOG}.marts.fct_price_changes changes {joined}
                where changed_at = ?
                order by competitor, plan_key, billing_period
                """,
                [observed_at],
            )
            columns = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                alerts.append(_price_change(dict(zip(columns, values, strict=True)), observed_at))
        if _has_table(con, "marts", "fct_tech_radar"):
            rows = con.execute(
                f"select technology_id, name, reasons from {_CATALOG}.marts.fct_tech_radar "
                "where ring = 'hold' order by name"
            ).fetchall()
            for technology_id, name, reasons in rows:
                before = previous_rings.get(technology_id)
                # A technology first scored straight into hold did not *move*; the radar
                # page shows it, an alert about it would be noise.
                if before is None or before == "hold":
                    continue
                alerts.append(
                    Alert(
                        kind="moved_to_hold",
                        title=f"{name} moved from {before} to hold",
                        body=reasons,
                        subject=technology_id,
                    )
                )
    finally:
        con.close()
    return alerts


# --- sending -----------------------------------------------------------------------------


def _shorten(text: str) -> str:
    text = text.strip()
    if len(text) <= _MAX_BODY_CHARS:
        return text
    return text[: _MAX_BODY_CHARS - 1].rstrip() + "…"


def compose(alerts: Iterable[Alert]) -> list[tuple[str, str, str]]:
    """(kind, title, markdown body) per message: one message per kind, in KINDS order."""
    by_kind: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_kind.setdefault(alert.kind, []).append(alert)
    messages = []
    for kind in KINDS:
        group = by_kind.get(kind)
        if not group:
            continue
        singular, plural = _NOUNS[kind]
        title = f"Market Radar: {len(group)} {singular if len(group) == 1 else plural}"
        lines = []
        for alert in group:
            line = f"- {alert.title}"
            if alert.body:
                # Continuation lines indented so a multi-line error stays in its bullet.
                line += ": " + _shorten(alert.body).replace("\n", "\n  ")
            lines.append(line)
        messages.append((kind, title, "\n".join(lines)))
    return messages


def _label(url: str, service: Any | None) -> str:
    """scheme://host of a notification URL, safe to log.

    Taken from Apprise's privacy URL, because in many services the "host" is a token
    (tgram://<bot token>/..., slack://<token>/...) and Apprise knows which to mask. A URL
    Apprise cannot load shows its scheme alone.
    """
    if service is not None:
        # A plugin's url() is third-party code: a failing one must not fail the report.
        with contextlib.suppress(Exception):
            parts = urlsplit(service.url(privacy=True))
            return f"{parts.scheme}://{parts.hostname or ''}"
    scheme = urlsplit(url).scheme if "://" in url else ""
    return f"{scheme if scheme.isalnum() else '?'}://"


def _deliver(
    messages: list[tuple[str, str, str]],
    targets: list[tuple[str, apprise.Apprise]],
    failures: list[str],
) -> int:
    """Send every message to every target; count deliveries, append failures."""
    sent = 0
    for kind, title, body in messages:
        for label, target in targets:
            try:
                delivered = bool(
                    target.notify(
                        body=body,
                        title=title,
                        notify_type=_NOTIFY_TYPES[kind],
                        body_format=apprise.NotifyFormat.MARKDOWN,
                    )
                )
            except Exception as error:  # the message may carry the URL: the type only
                failures.append(f"{label}: {title!r} raised {type(error).__name__}")
                continue
            if delivered:
                sent += 1
            else:
                failures.append(f"{label}: {title!r} not delivered")
    return sent


def send_alerts(alerts: Iterable[Alert], urls: Iterable[str]) -> SendReport:
    """Send one message per alert kind to every URL; report failures instead of raising."""
    urls = [url for url in urls if url and url.strip()]
    messages = compose(alerts)
    if not messages or not urls:
        if messages:
            logger.info("alerts: %d message(s) not sent: no notification URLs", len(messages))
        return SendReport(messages=len(messages))

    failures: list[str] = []
    # One Apprise object per URL, so each delivery's outcome is known per URL (a single
    # object only says whether all of them worked).
    targets: list[tuple[str, apprise.Apprise]] = []
    for url in urls:
        try:
            service = apprise.Apprise.instantiate(url.strip())
        except Exception:  # instantiate suppresses plugin errors; this is belt and braces
            service = None
        label = _label(url, service)
        if service is None:
            failures.append(f"{label}: not a usable Apprise URL")
            continue
        targets.append((label, apprise.Apprise(service)))

    token = _sending.set(True)
    try:
        sent = _deliver(messages, targets, failures)
    finally:
        _sending.reset(token)

    report = SendReport(messages=len(messages), sent=sent, failures=tuple(failures))
    deliveries = len(messages) * len(targets)
    summary = (
        f"alerts: {len(messages)} message(s) to {len(urls)} URL(s): "
        f"{sent} of {deliveries} deliveries sent"
    )
    if failures:
        logger.warning("%s; failed: %s", summary, "; ".join(failures))
    else:
        logger.info(summary)
    return report
