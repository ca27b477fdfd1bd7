"""Write events to the outbox inside the change's transaction, and deliver pending ones."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from precx.db import utc_now
from precx.events.models import OutboxEvent

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "precx_outbox"

EventHandler = Callable[[Session, OutboxEvent], None]
_handlers: list[tuple[str, EventHandler]] = []


def register_handler(topic_prefix: str, handler: EventHandler) -> None:
    """Have `handler` called, in the dispatcher's transaction, for each event under a topic."""
    if (topic_prefix, handler) not in _handlers:
        _handlers.append((topic_prefix, handler))


def emit(
    session: Session,
    topic: str,
    *,
    record_type: str | None = None,
    record_id: object = None,
    organisation_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> OutboxEvent:
    """Add an event to the outbox; it exists if and only if the caller's transaction commits."""
    if not session.in_transaction():
        raise RuntimeError("events.emit() must run inside the transaction of the change")
    event = OutboxEvent(
        topic=topic,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        organisation_id=organisation_id,
        payload=payload or {},
    )
    session.add(event)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL delivers the notification at COMMIT and drops it on rollback.
        session.execute(
            text("SELECT pg_notify(:channel, :id)"),
            {"channel": NOTIFY_CHANNEL, "id": str(event.id)},
        )
    return event


def deliver_pending(session: Session, *, batch: int = 100) -> int:
    """Hand a batch of undelivered events to the handlers in order; return how many were done."""
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.delivered_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(batch)
        # Several processes share the outbox: each claims rows the others have not locked.
        .with_for_update(skip_locked=True)
    )
    done = 0
    for event in session.scalars(stmt).all():
        event.attempts += 1
        try:
            with session.begin_nested():
                for prefix, handler in _handlers:
                    if event.topic.startswith(prefix):
                        handler(session, event)
        except Exception as exc:  # one bad event must not stop the others
            log.exception("delivery of outbox event %s failed", event.id)
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            continue
        event.delivered_at = utc_now()
        event.last_error = None
        done += 1
    session.flush()
    return done


def pending_count(session: Session) -> int:
    """Events not yet delivered (for health pages and tests)."""
    return (
        session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))
        )
        or 0
    )
