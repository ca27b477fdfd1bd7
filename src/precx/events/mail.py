"""E-mail delivery of events through the configured SMTP server (off without PRECX_SMTP_HOST)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from precx.config import Settings


def enabled(settings: Settings) -> bool:
    """Whether an SMTP server is configured."""
    return bool(settings.smtp_host)


def event_message(settings: Settings, to: str, body: dict[str, Any]) -> EmailMessage:
    """A plain-text e-mail of one event: its title, kind, severity and where to read it."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = f"[precx] {body.get('title', body.get('topic', 'event'))}"[:200]
    lines = [
        str(body.get("title", "")),
        "",
        f"Kind: {body.get('kind', '')}",
        f"Severity: {body.get('severity', '')}",
        f"Event: {body.get('topic', '')} #{body.get('id', '')}",
    ]
    if body.get("url"):
        base = settings.public_url.rstrip("/")
        lines.append(f"Read it: {base}{body['url']}")
    lines += ["", "You receive this because of an e-mail subscription on Precursor Exchange."]
    message.set_content("\n".join(lines))
    return message


def send_event_mail(settings: Settings, to: str, body: dict[str, Any]) -> None:
    """Send one event by e-mail; any SMTP failure raises (and the message is retried)."""
    if not enabled(settings):
        raise RuntimeError("no SMTP server is configured (PRECX_SMTP_HOST)")
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.webhook_timeout_seconds
    ) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(event_message(settings, to, body))
