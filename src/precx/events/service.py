"""Write events to the outbox inside the change's transaction, and deliver pending ones."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from precx.db import utc_now
from precx.events.models import OutboxEvent

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "precx_outbox"
# Serialises fan-out across processes on PostgreSQL, so per-subscriber order follows event order.
DELIVERY_LOCK_KEY = 7_284_113

EventHandler = Callable[[Session, OutboxEvent], None]
_handlers: list[tuple[str, EventHandler]] = []
# Called after a transaction that emitted events commits (the dispatcher of this process wakes).
_commit_listeners: list[Callable[[], None]] = []
_EMITTED = "precx_emitted_events"


def add_commit_listener(listener: Callable[[], None]) -> None:
    """Have `listener` called (in the committing thread) after each commit that emitted events."""
    _commit_listeners.append(listener)


def remove_commit_listener(listener: Callable[[], None]) -> None:
    """Stop calling a listener added before."""
    if listener in _commit_listeners:
        _commit_listeners.remove(listener)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_EMITTED, False):
        for listener in list(_commit_listeners):
            try:
                listener()
            except Exception:  # a listener's failure must not fail a committed change
                log.exception("commit listener failed")


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_EMITTED, None)


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
    session.info[_EMITTED] = True
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL delivers the notification at COMMIT and drops it on rollback.
        session.execute(
            text("SELECT pg_notify(:channel, :id)"),
            {"channel": NOTIFY_CHANNEL, "id": str(event.id)},
        )
    return event


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential backoff: base, 2 x base, 4 x base, ... capped at max."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


def deliver_pending(
    session: Session,
    *,
    batch: int = 100,
    now: datetime | None = None,
    retry_base_seconds: float = 5.0,
    retry_max_seconds: float = 900.0,
) -> int:
    """Hand a batch of due events to the handlers in order; return how many were done.

    An event whose handler fails is retried after an exponentially growing wait.
    """
    now = now or utc_now()
    if session.get_bind().dialect.name == "postgresql":
        # One process at a time fans out: deliveries then follow the outbox order everywhere.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DELIVERY_LOCK_KEY})
    stmt = (
        select(OutboxEvent)
        .where(
            OutboxEvent.delivered_at.is_(None),
            or_(OutboxEvent.next_attempt_at.is_(None), OutboxEvent.next_attempt_at <= now),
        )
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
            event.next_attempt_at = now + retry_delay(
                event.attempts, retry_base_seconds, retry_max_seconds
            )
            continue
        event.delivered_at = utc_now()
        event.last_error = None
        event.next_attempt_at = None
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
