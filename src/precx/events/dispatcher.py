"""The outbox dispatcher: an async task of the app that delivers committed events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import anyio
import psycopg
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from precx.config import Settings
from precx.db import unit_of_work
from precx.events import fanout, webhooks
from precx.events import service as events_service
from precx.events.sse import StreamHub

log = logging.getLogger(__name__)


def psycopg_conninfo(engine: Engine) -> str:
    """The engine's PostgreSQL URL in the form psycopg connects with."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxDispatcher:
    """Polls the outbox; on PostgreSQL a LISTEN connection wakes it as soon as a change commits.

    With settings it also fans events out to subscribers, wakes this process's event streams
    after each delivery, and sends webhook calls and e-mails in a task of their own.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        engine: Engine,
        poll_seconds: float,
        settings: Settings | None = None,
        hub: StreamHub | None = None,
    ) -> None:
        self.factory = factory
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.settings = settings
        self.hub = hub
        self.wake = asyncio.Event()
        self.outbound_wake = asyncio.Event()
        self.delivered = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._wake_on_commit: Callable[[], None] | None = None
        if settings is not None:
            fanout.register()

    def deliver_once(self) -> int:
        """Deliver what is pending, one transaction per batch."""
        total = 0
        batch = 100
        while True:
            with unit_of_work(self.factory) as session:
                done = events_service.deliver_pending(
                    session,
                    batch=batch,
                    retry_base_seconds=self.settings.event_retry_base_seconds
                    if self.settings
                    else 5.0,
                    retry_max_seconds=self.settings.event_retry_max_seconds
                    if self.settings
                    else 900.0,
                )
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
                done = await anyio.to_thread.run_sync(self.deliver_once)
            except Exception:
                log.exception("outbox delivery round failed")
                done = 0
            if done:
                # The deliveries are committed: this process's streams need not wait for a poll.
                if self.hub is not None:
                    self.hub.wake.set()
                self.outbound_wake.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.poll_seconds)

    async def run_outbound(self) -> None:
        """Send due webhook calls and e-mails after each delivery round, or on each poll."""
        assert self.settings is not None
        settings = self.settings
        while True:
            self.outbound_wake.clear()
            try:
                await anyio.to_thread.run_sync(lambda: webhooks.deliver_due(self.factory, settings))
            except Exception:
                log.exception("outgoing delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outbound_wake.wait(), timeout=self.poll_seconds)

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
                    await conn.execute(f"LISTEN {fanout.DELIVERY_CHANNEL}")
                    backoff = 1.0
                    # Anything committed while we were away is picked up by this wake-up.
                    self.wake.set()
                    self._wake_hub()
                    async for notice in conn.notifies():
                        if notice.channel == fanout.DELIVERY_CHANNEL:
                            # Another process delivered: streams held here read the new items.
                            self._wake_hub()
                        else:
                            self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox listener lost its connection; retrying in %.0fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    def _wake_hub(self) -> None:
        if self.hub is not None:
            self.hub.wake.set()

    def start(self) -> None:
        """Start the tasks on the running loop."""
        loop = asyncio.get_running_loop()

        def wake_soon() -> None:
            # A change committed in this process (any thread): deliver now, not at the next poll.
            loop.call_soon_threadsafe(self.wake.set)

        self._wake_on_commit = wake_soon
        events_service.add_commit_listener(wake_soon)
        self._tasks.append(asyncio.create_task(self.run(), name="precx-outbox-dispatcher"))
        if self.settings is not None:
            self._tasks.append(asyncio.create_task(self.run_outbound(), name="precx-outbound"))
        if self.engine.dialect.name == "postgresql":
            self._tasks.append(asyncio.create_task(self.listen(), name="precx-outbox-listener"))

    async def stop(self) -> None:
        """Cancel the tasks and wait for them to end."""
        if self._wake_on_commit is not None:
            events_service.remove_commit_listener(self._wake_on_commit)
            self._wake_on_commit = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
