"""An event is in the outbox if and only if its change commits; the dispatcher delivers it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from precx.accounts.principal import OrgKind
from precx.audit.models import AuditEntry
from precx.bulletins import service as bulletins_service
from precx.bulletins.models import Bulletin
from precx.bulletins.schemas import BulletinCreate
from precx.events import service as events_service
from precx.events.dispatcher import OutboxDispatcher
from precx.events.models import OutboxEvent
from tests.fixtures.builders import Member, make_member, make_org


class Boom(Exception):
    pass


def _count(session: Session, model: type) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture(autouse=True)
def _own_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Handlers registered by a test stay with that test."""
    monkeypatch.setattr(events_service, "_handlers", [])


@pytest.fixture
def author(session: Session) -> Member:
    with session.begin():
        return make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))


def _post(session: Session, author: Member, title: str) -> None:
    bulletins_service.post_bulletin(
        session, author.principal, data=BulletinCreate(title=title, body="text")
    )


def test_a_committed_change_writes_its_event_and_audit_entry(
    session: Session, author: Member
) -> None:
    events_before, audit_before = _count(session, OutboxEvent), _count(session, AuditEntry)
    with session.begin():
        _post(session, author, "Committed")
    assert _count(session, Bulletin) == 1
    assert _count(session, OutboxEvent) == events_before + 1
    assert _count(session, AuditEntry) == audit_before + 1
    with session.begin():
        event = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id.desc())).first()
        assert event is not None and event.topic == "bulletin.posted"
        assert event.delivered_at is None


def test_a_rolled_back_change_leaves_no_event_no_audit_and_no_record(
    session: Session, author: Member
) -> None:
    events_before, audit_before = _count(session, OutboxEvent), _count(session, AuditEntry)
    with pytest.raises(Boom), session.begin():
        _post(session, author, "Rolled back")
        raise Boom
    assert _count(session, Bulletin) == 0
    assert _count(session, OutboxEvent) == events_before
    assert _count(session, AuditEntry) == audit_before


def test_emit_refuses_to_run_outside_a_transaction(session: Session) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        events_service.emit(session, "nothing")


def test_the_dispatcher_delivers_pending_events_in_order(
    session: Session, author: Member, factory: sessionmaker[Session], engine: Engine
) -> None:
    seen: list[int] = []
    events_service.register_handler("bulletin.", lambda _s, e: seen.append(e.id))
    for title in ("one", "two", "three"):
        with session.begin():
            _post(session, author, title)
    dispatcher = OutboxDispatcher(factory, engine, poll_seconds=0.05)
    delivered = dispatcher.deliver_once()
    assert delivered >= 3
    assert seen == sorted(seen) and len(seen) == 3
    with session.begin():
        assert events_service.pending_count(session) == 0
    assert dispatcher.deliver_once() == 0


def test_a_failing_handler_keeps_the_event_pending_with_its_error(
    session: Session, author: Member, factory: sessionmaker[Session], engine: Engine
) -> None:
    def refuse(_s: Session, _e: OutboxEvent) -> None:
        raise ValueError("receiver down")

    events_service.register_handler("bulletin.refused", refuse)
    with session.begin():
        events_service.emit(session, "bulletin.refused")
    OutboxDispatcher(factory, engine, poll_seconds=0.05).deliver_once()
    with session.begin():
        event = session.scalars(
            select(OutboxEvent).where(OutboxEvent.topic == "bulletin.refused")
        ).one()
        assert event.delivered_at is None
        assert event.attempts == 1
        assert "receiver down" in (event.last_error or "")


def test_the_running_dispatcher_delivers_soon_after_commit(
    session: Session, author: Member, factory: sessionmaker[Session], engine: Engine
) -> None:
    """On PostgreSQL LISTEN/NOTIFY wakes it; on SQLite it polls."""

    async def scenario() -> float:
        # A long poll on PostgreSQL proves the NOTIFY, not the poll, woke the dispatcher.
        poll = 30.0 if engine.dialect.name == "postgresql" else 0.1
        dispatcher = OutboxDispatcher(factory, engine, poll_seconds=poll)
        dispatcher.start()
        try:
            await asyncio.sleep(0.5)  # the listener is connected
            started = time.monotonic()
            await asyncio.to_thread(_commit_one)
            while True:
                with session.begin():
                    if events_service.pending_count(session) == 0:
                        return time.monotonic() - started
                if time.monotonic() - started > 10:
                    raise AssertionError("event not delivered within 10 s")
                await asyncio.sleep(0.05)
        finally:
            await dispatcher.stop()

    def _commit_one() -> None:
        with factory() as s, s.begin():
            _post(s, author, "wake up")

    # A thread of its own: Playwright's sync API may hold this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        elapsed = pool.submit(asyncio.run, scenario()).result()
    assert elapsed < 5
