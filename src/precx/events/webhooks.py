"""Outgoing deliveries: signed webhook calls and e-mails, retried with backoff, dead-lettered."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from precx import __version__
from precx.config import Settings
from precx.db import unit_of_work, utc_now
from precx.events import mail
from precx.events.models import Channel, OutboundMessage, OutboundStatus, Subscription
from precx.events.service import retry_delay

log = logging.getLogger(__name__)

# However many attempts are allowed, a retry waits at most this long.
MAX_RETRY_WAIT = timedelta(hours=6)


def body_bytes(body: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys."""
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` with the subscription's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could point the call at the platform itself or elsewhere: never follow one.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_webhook(
    url: str, secret: str, body: dict[str, Any], *, topic: str, timeout: float, now: datetime
) -> None:
    """POST the signed body; anything but a 2xx answer raises."""
    data = body_bytes(body)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(  # noqa: S310 (http and https only, checked on creation)
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"precx-webhook/{__version__}",
            "X-Precx-Event": topic,
            "X-Precx-Timestamp": timestamp,
            "X-Precx-Signature": sign(secret, timestamp, data),
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status = answer.status
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"receiver answered {exc.code}") from None
    if not 200 <= status < 300:
        raise RuntimeError(f"receiver answered {status}")


@dataclass(frozen=True)
class _Due:
    message_id: int
    channel: Channel
    topic: str
    body: dict[str, Any]
    url: str | None
    secret: str | None
    email: str | None


def _heads(session: Session, now: datetime) -> list[_Due]:
    """The oldest pending message of each subscription, if it is due: order per subscriber."""
    rows = session.execute(
        select(OutboundMessage, Subscription)
        .join(Subscription, Subscription.id == OutboundMessage.subscription_id)
        .where(OutboundMessage.status == OutboundStatus.pending)
        .order_by(OutboundMessage.subscription_id, OutboundMessage.seq)
    ).all()
    heads: list[_Due] = []
    seen: set[int] = set()
    for message, sub in rows:
        if sub.id in seen:
            continue
        seen.add(sub.id)
        if message.next_attempt_at <= now and sub.active:
            heads.append(
                _Due(
                    message.id,
                    message.channel,
                    message.topic,
                    message.body,
                    sub.webhook_url,
                    sub.webhook_secret,
                    sub.email,
                )
            )
    return heads


def _send(due: _Due, settings: Settings, now: datetime) -> None:
    if due.channel is Channel.webhook:
        if not due.url or due.secret is None:
            raise RuntimeError("the subscription has no webhook URL")
        post_webhook(
            due.url,
            due.secret,
            due.body,
            topic=due.topic,
            timeout=settings.webhook_timeout_seconds,
            now=now,
        )
    elif due.channel is Channel.email:
        if not due.email:
            raise RuntimeError("the subscription has no e-mail address")
        mail.send_event_mail(settings, due.email, due.body)
    else:
        raise RuntimeError(f"channel {due.channel} is not sent out")


def _record(
    factory: sessionmaker[Session], settings: Settings, due: _Due, now: datetime, error: str | None
) -> None:
    with unit_of_work(factory) as session:
        message = session.get(OutboundMessage, due.message_id)
        if message is None or message.status is not OutboundStatus.pending:
            return
        message.attempts += 1
        if error is None:
            message.status = OutboundStatus.delivered
            message.delivered_at = now
            message.last_error = None
            return
        message.last_error = error[:2000]
        if message.attempts >= settings.webhook_max_attempts:
            message.status = OutboundStatus.dead
            return
        wait = retry_delay(
            message.attempts,
            settings.webhook_retry_base_seconds,
            MAX_RETRY_WAIT.total_seconds(),
        )
        message.next_attempt_at = now + wait


def deliver_due(
    factory: sessionmaker[Session], settings: Settings, *, now: datetime | None = None
) -> int:
    """Send what is due, in order per subscription; return how many were delivered.

    The network call happens outside any transaction; its outcome is recorded in one after.
    """
    now = now or utc_now()
    delivered = 0
    while True:
        with unit_of_work(factory) as session:
            heads = _heads(session, now)
        progress = 0
        for due in heads:
            error: str | None = None
            try:
                _send(due, settings, now)
            except Exception as exc:  # the receiver's failure is recorded, never raised
                log.info("outgoing delivery %s failed: %s", due.message_id, exc)
                error = f"{type(exc).__name__}: {exc}"
            _record(factory, settings, due, now, error)
            if error is None:
                progress += 1
        delivered += progress
        # Each success lets the subscription's next message go in the next round.
        if progress == 0:
            return delivered
