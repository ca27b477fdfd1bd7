"""Server-Sent Events: a hub per process pushes new inbox items to each user's open streams."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from precx.db import unit_of_work
from precx.events import subscriptions
from precx.events.models import InboxItem

log = logging.getLogger(__name__)

# How many new items one hub query reads at most; it loops until it has caught up.
FETCH_BATCH = 2000


@dataclass(frozen=True)
class StreamItem:
    """One inbox item as a stream sends it: its user, sequence number and JSON data."""

    user_id: int
    seq: int
    data: str

    def encode(self) -> bytes:
        return f"id: {self.seq}\nevent: inbox\ndata: {self.data}\n\n".encode()


def stream_item(item: InboxItem | Any) -> StreamItem:
    """The stream form of an inbox item (or of a row of its columns)."""
    data = {
        "id": item.id,
        "seq": item.seq,
        "topic": item.topic,
        "title": item.title,
        "kind": item.kind,
        "severity": item.severity.value,
        "record_type": item.record_type,
        "record_id": item.record_id,
        "url": item.url,
        "created_at": item.created_at.isoformat(),
    }
    return StreamItem(item.user_id, item.seq, json.dumps(data, separators=(",", ":")))


@dataclass(eq=False)
class Connection:
    """One open stream: a bounded queue the hub fills and the response drains."""

    user_id: int
    queue: asyncio.Queue[StreamItem | None]
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: bool = False


class StreamHub:
    """Holds this process's open streams; on each wake-up reads new inbox items once for all."""

    def __init__(self, factory: sessionmaker[Session], buffer_size: int, poll_seconds: float):
        self.factory = factory
        self.buffer_size = buffer_size
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self.connections: dict[int, set[Connection]] = {}
        self.last_item_id: int | None = None
        self.pushed = 0
        self.dropped = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start pushing on the first stream (no streams, no queries): mark where to begin."""
        if self._task is not None:
            return
        if self.last_item_id is None:
            await anyio.to_thread.run_sync(self._fetch)
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="precx-stream-hub")

    async def stop(self) -> None:
        """End every stream and the pushing task; a later start marks its beginning afresh."""
        self.close_all()
        self.last_item_id = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def open_streams(self) -> int:
        return sum(len(c) for c in self.connections.values())

    def connect(self, user_id: int) -> Connection:
        """Register a stream before it replays, so nothing committed meanwhile is missed."""
        conn = Connection(user_id, asyncio.Queue(maxsize=self.buffer_size))
        self.connections.setdefault(user_id, set()).add(conn)
        return conn

    def disconnect(self, conn: Connection) -> None:
        """Forget a stream (it ended, or fell too far behind)."""
        conns = self.connections.get(conn.user_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self.connections[conn.user_id]
        conn.closed.set()

    def _drop(self, conn: Connection) -> None:
        # A client that does not read must not make the hub (or anyone else) wait.
        conn.dropped = True
        self.dropped += 1
        self.disconnect(conn)
        log.info(
            "event stream of user %s fell %s items behind: disconnected",
            conn.user_id,
            self.buffer_size,
        )

    def publish(self, items: list[StreamItem]) -> None:
        """Queue each item on its user's streams; a full queue drops that stream only."""
        for item in items:
            for conn in list(self.connections.get(item.user_id, ())):
                try:
                    conn.queue.put_nowait(item)
                    self.pushed += 1
                except asyncio.QueueFull:
                    self._drop(conn)

    def _fetch(self) -> list[StreamItem]:
        with unit_of_work(self.factory) as session:
            if self.last_item_id is None:
                self.last_item_id = subscriptions.last_inbox_item_id(session)
                return []
            out: list[StreamItem] = []
            while True:
                rows = subscriptions.inbox_items_since(
                    session, self.last_item_id, limit=FETCH_BATCH
                )
                if rows:
                    self.last_item_id = rows[-1].id
                out += [stream_item(r) for r in rows if r.user_id in self.connections]
                if len(rows) < FETCH_BATCH:
                    return out

    async def poll_once(self) -> int:
        """Read what was committed since the last look and push it; return how many items."""
        items = await anyio.to_thread.run_sync(self._fetch)
        self.publish(items)
        return len(items)

    async def run(self) -> None:
        """Push new items when woken (by this process's dispatcher or a NOTIFY), or on a poll."""
        while True:
            self.wake.clear()
            try:
                await self.poll_once()
            except Exception:
                log.exception("event stream hub round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.poll_seconds)

    def close_all(self) -> None:
        """End every stream (the process is stopping)."""
        for conns in list(self.connections.values()):
            for conn in list(conns):
                self.disconnect(conn)
                with contextlib.suppress(asyncio.QueueFull):
                    conn.queue.put_nowait(None)


Replay = Callable[[int], list[StreamItem]]


class EventStreamResponse(Response):
    """`text/event-stream` of one user's inbox: replay after Last-Event-ID, then live items.

    Every write has a deadline, and the stream ends after a maximum lifetime (the browser
    reconnects with Last-Event-ID), so neither a stuck client nor shutdown waits forever.
    """

    media_type = "text/event-stream"

    def __init__(
        self,
        hub: StreamHub,
        conn: Connection,
        *,
        after: int | None,
        replay: Replay,
        heartbeat_seconds: float,
        send_timeout_seconds: float,
        max_lifetime_seconds: float,
    ) -> None:
        super().__init__(
            status_code=200,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            media_type=self.media_type,
        )
        # The body is streamed: no Content-Length (Starlette would add "0" for the empty body).
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.hub = hub
        self.conn = conn
        self.after = after
        self.replay = replay
        self.heartbeat_seconds = heartbeat_seconds
        self.send_timeout_seconds = send_timeout_seconds
        self.max_lifetime_seconds = max_lifetime_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        try:
            async with anyio.create_task_group() as tg:

                async def watch_disconnect() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    tg.cancel_scope.cancel()

                tg.start_soon(watch_disconnect)
                with contextlib.suppress(TimeoutError):
                    await self._pump(send)
                tg.cancel_scope.cancel()
        finally:
            self.hub.disconnect(self.conn)
        if self.conn.dropped:
            # Its write may be stuck; end the response without waiting on the client.
            return
        with contextlib.suppress(Exception), anyio.move_on_after(self.send_timeout_seconds):
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _write(self, send: Send, data: bytes) -> None:
        # asyncio's own timeout, not anyio's cancel scope: with a thousand open streams the
        # scope's bookkeeping on every write and every wait was a third of the server's time.
        async with asyncio.timeout(self.send_timeout_seconds):
            await send({"type": "http.response.body", "body": data, "more_body": True})

    async def _pump(self, send: Send) -> None:
        await self._write(send, b"retry: 2000\n: connected\n\n")
        last = self.after
        if last is not None:
            while True:
                missed = await anyio.to_thread.run_sync(self.replay, last)
                for old in missed:
                    await self._write(send, old.encode())
                    last = old.seq
                if len(missed) < FETCH_BATCH:
                    break
        ends_at = time.monotonic() + self.max_lifetime_seconds
        while not self.conn.closed.is_set():
            remaining = ends_at - time.monotonic()
            if remaining <= 0:
                await self._write(send, b"event: reconnect\ndata: {}\n\n")
                return
            try:
                async with asyncio.timeout(min(self.heartbeat_seconds, remaining)):
                    item = await self.conn.queue.get()
            except TimeoutError:
                await self._write(send, b": ping\n\n")
                continue
            if item is None:
                return
            if last is not None and item.seq <= last:
                continue  # already sent by the replay
            await self._write(send, item.encode())
            last = item.seq
