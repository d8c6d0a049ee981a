"""Notifications of raised alerts by e-mail (SMTP) and webhook (HTTP POST of JSON).

Which alerts go where is plain settings (config.toml ALERT_NOTIFY: a list of {KIND, MIN_SEVERITY, EMAIL,
WEBHOOK}); `plan` (pure) picks the messages, `deliver` sends them, each failure logged, never raised.
Sending happens after the transaction commits, in a background thread (see `send_later`)."""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage

log = logging.getLogger(__name__)
RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class Notice:
    """One message to send: by "email" to an address or by "webhook" to a URL."""

    channel: str
    to: str
    payload: dict


def payload(row: Mapping) -> dict:
    """What a notification says about one alert (a row of raise_alerts with codes filled in)."""
    def iso(at):
        return at.isoformat() if at is not None else None

    return {"kind": row["kind"], "severity": row["severity"], "box": row.get("box"), "code": row.get("code"),
            "location": row.get("location"), "count": row["count"], "first_at": iso(row.get("first_at")),
            "at": iso(row.get("at")), "message": row.get("message", "")}


def _wants(rule: Mapping, kind: str, severity: str) -> bool:
    kinds = rule.get("KIND", "*")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    least = RANK.get(str(rule.get("MIN_SEVERITY", "low")), 0)
    return ("*" in kinds or kind in kinds) and RANK.get(severity, 0) >= least


def plan(rows: Iterable[Mapping], rules: Iterable[Mapping]) -> list[Notice]:
    """The notices the rules ask for, one per alert and recipient."""
    rules = list(rules)
    notices = []
    for row in rows:
        body = payload(row)
        for rule in rules:
            if _wants(rule, row["kind"], row["severity"]):
                notices += [Notice("email", to, body) for to in rule.get("EMAIL", [])]
                notices += [Notice("webhook", url, body) for url in rule.get("WEBHOOK", [])]
    return notices


def subject(body: Mapping) -> str:
    return f"[Kho] {body['severity']} {body['kind']}: {body['box'] or body['code'] or ''}".strip()


def _text(body: Mapping) -> str:
    return "\n".join(f"{k}: {v}" for k, v in body.items() if v not in (None, ""))


def send_mail(settings: Mapping, notices: list[Notice]) -> None:
    """One SMTP connection for all the e-mails of a batch."""
    if not notices:
        return
    host = settings.get("ALERT_SMTP_HOST") or "localhost"
    with smtplib.SMTP(host, int(settings.get("ALERT_SMTP_PORT") or 25), timeout=10) as smtp:
        for notice in notices:
            msg = EmailMessage()
            msg["From"] = settings.get("ALERT_MAIL_FROM") or "kho@localhost"
            msg["To"] = notice.to
            msg["Subject"] = subject(notice.payload)
            msg.set_content(_text(notice.payload))
            smtp.send_message(msg)


def post_webhook(notice: Notice, timeout: float = 10) -> None:
    data = json.dumps(notice.payload, ensure_ascii=False).encode()
    request = urllib.request.Request(notice.to, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        answer.read()


def deliver(settings: Mapping, notices: list[Notice]) -> None:
    """Send every notice; a failure is logged and the others still go."""
    try:
        send_mail(settings, [n for n in notices if n.channel == "email"])
    except Exception:  # a mail server down must not stop webhooks
        log.exception("alert e-mail failed")
    for notice in notices:
        if notice.channel == "webhook":
            try:
                post_webhook(notice)
            except Exception:
                log.exception("alert webhook to %s failed", notice.to)


def send_later(settings: Mapping, notices: list[Notice]) -> threading.Thread | None:
    """Deliver in a background thread (the caller's transaction has committed already)."""
    if not notices:
        return None
    thread = threading.Thread(target=deliver, args=(dict(settings), notices), name="kho-alert-notify",
                              daemon=True)
    thread.start()
    return thread
