"""The outbox dispatcher: an async task of the app that delivers committed events."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio
import psycopg
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from precx.db import unit_of_work
from precx.events import service as events_service

log = logging.getLogger(__name__)


def psycopg_conninfo(engine: Engine) -> str:
    """The engine's PostgreSQL URL in the form psycopg connects with."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxDispatcher:
    """Polls the outbox; on PostgreSQL a LISTEN connection wakes it as soon as a change commits."""

    def __init__(self, factory: sessionmaker[Session], engine: Engine, poll_seconds: float) -> None:
        self.factory = factory
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self.delivered = 0
        self._tasks: list[asyncio.Task[None]] = []

    def deliver_once(self) -> int:
        """Deliver what is pending, one transaction per batch."""
        total = 0
        batch = 100
        while True:
            with unit_of_work(self.factory) as session:
                done = events_service.deliver_pending(session, batch=batch)
            total += done
            # A short batch means the outbox is drained (or holds only failing events,
            # which wait for the next round).
            if done < batch:
                break
        self.delivered += total
        return total

    async def run(self) -> None:
        """Deliver, then sleep until woken or the poll interval passes; forever."""
        while True:
            self.wake.clear()
            try:
                await anyio.to_thread.run_sync(self.deliver_once)
            except Exception:
                log.exception("outbox delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.poll_seconds)

    async def listen(self) -> None:
        """Hold a LISTEN connection and wake the dispatcher on each NOTIFY; reconnect on loss."""
        backoff = 1.0
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    psycopg_conninfo(self.engine), autocommit=True
                )
                async with conn:
                    await conn.execute(f"LISTEN {events_service.NOTIFY_CHANNEL}")
                    backoff = 1.0
                    # Anything committed while we were away is picked up by this wake-up.
                    self.wake.set()
                    async for _ in conn.notifies():
                        self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox listener lost its connection; retrying in %.0fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    def start(self) -> None:
        """Start the tasks on the running loop."""
        self._tasks.append(asyncio.create_task(self.run(), name="precx-outbox-dispatcher"))
        if self.engine.dialect.name == "postgresql":
            self._tasks.append(asyncio.create_task(self.listen(), name="precx-outbox-listener"))

    async def stop(self) -> None:
        """Cancel the tasks and wait for them to end."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
