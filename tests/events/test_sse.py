"""The event stream on a real server: live delivery, resume with Last-Event-ID, slow clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import httpx2
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session

from precx import app as app_module
from precx.app import create_app
from precx.config import Settings
from precx.events.sse import EventStreamResponse, StreamHub, StreamItem
from precx.sharing.models import Distribution
from tests.events.conftest import Deliver, post, subscribe
from tests.fixtures.builders import Member


@contextlib.contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """An app under uvicorn on a free loopback port, in a thread; its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def _live(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(
        update={
            "dispatcher_enabled": True,
            "dispatcher_poll_seconds": 0.2,
            "sse_heartbeat_seconds": 0.5,
            **changes,
        }
    )


@pytest.fixture
def server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, with its dispatcher running."""
    # Screening's index warm-up is not under test and would compete for the CPU.
    monkeypatch.setattr(app_module.screening_service, "warm_up", lambda _factory: None)
    with _serving(create_app(_live(settings))) as url:
        yield url


class Stream:
    """Reads a text/event-stream: events as dicts with id, event and data; comments counted."""

    def __init__(self, response: httpx2.Response) -> None:
        self.lines = response.iter_lines()
        self.comments = 0

    def next_event(self) -> dict[str, Any]:
        event: dict[str, Any] = {}
        for line in self.lines:
            if line == "":
                if "data" in event:
                    return event
                event = {}
            elif line.startswith(":"):
                self.comments += 1
            else:
                key, _, value = line.partition(":")
                event[key] = value.strip()
        raise AssertionError("the stream ended")


T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on its own loop in a thread: the browser tests' loop may be running here."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _titles(stream: Stream, count: int) -> list[tuple[int, str]]:
    out = []
    for _ in range(count):
        event = stream.next_event()
        assert event["event"] == "inbox"
        out.append((int(event["id"]), json.loads(event["data"])["title"]))
    return out


def test_a_new_item_arrives_on_the_open_stream(
    server: str, session: Session, people: dict[str, Member]
) -> None:
    subscribe(session, people["police"])
    timeout = httpx2.Timeout(10.0)
    with (
        httpx2.Client(timeout=timeout) as client,
        client.stream(
            "GET", f"{server}/api/v1/events/stream", headers=people["police"].headers
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        # The security headers reach streams too (added to the start, the chunks untouched).
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        stream = Stream(response)
        started = time.monotonic()
        post(session, people["author"], "Live one")
        assert _titles(stream, 1) == [(1, "Live one")]
        assert time.monotonic() - started < 5
        # Idle streams get heartbeats (every 0.5 s here).
        post(session, people["customs_fr"], "Not for the police", Distribution.organisation)
        time.sleep(1.2)
        post(session, people["author"], "Live two")
        assert _titles(stream, 1) == [(2, "Live two")]
        assert stream.comments >= 2


def test_a_client_resumes_with_last_event_id_and_gets_what_it_missed(
    server: str, session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    for n in range(1, 5):
        post(session, people["author"], f"Missed {n}")
    deliver()
    headers = {**people["police"].headers, "Last-Event-ID": "2"}
    with (
        httpx2.Client(timeout=10.0) as client,
        client.stream("GET", f"{server}/api/v1/events/stream", headers=headers) as response,
    ):
        stream = Stream(response)
        assert _titles(stream, 2) == [(3, "Missed 3"), (4, "Missed 4")]
        post(session, people["author"], "Then live")
        assert _titles(stream, 1) == [(5, "Then live")]


def test_a_stream_without_last_event_id_starts_from_now(
    server: str, session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    post(session, people["author"], "Old news")
    deliver()
    with (
        httpx2.Client(timeout=10.0) as client,
        client.stream(
            "GET", f"{server}/api/v1/events/stream", headers=people["police"].headers
        ) as response,
    ):
        stream = Stream(response)
        post(session, people["author"], "Fresh")
        assert _titles(stream, 1) == [(2, "Fresh")]


def test_an_item_delivered_by_another_worker_reaches_a_stream_held_here(
    settings: Settings,
    session: Session,
    people: dict[str, Member],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two workers on one database: the stream is held by one, the event delivered by the other.

    On PostgreSQL the holder polls only every 60 s, so the item can arrive in time only through
    the other worker's NOTIFY; on SQLite (one machine, no NOTIFY) the holder's poll finds it.
    """
    monkeypatch.setattr(app_module.screening_service, "warm_up", lambda _factory: None)
    postgres = settings.database_url.startswith("postgresql")
    holder = create_app(_live(settings, dispatcher_poll_seconds=60.0 if postgres else 0.5))
    # The holder never delivers: whatever it streams was delivered by the other worker.
    monkeypatch.setattr(holder.state.dispatcher, "deliver_once", lambda: 0)
    subscribe(session, people["police"])
    with (
        _serving(holder) as holder_url,
        _serving(create_app(_live(settings))),
        httpx2.Client(timeout=httpx2.Timeout(10.0)) as client,
        client.stream(
            "GET", f"{holder_url}/api/v1/events/stream", headers=people["police"].headers
        ) as response,
    ):
        assert response.status_code == 200
        stream = Stream(response)
        started = time.monotonic()
        post(session, people["author"], "Delivered elsewhere")
        assert _titles(stream, 1) == [(1, "Delivered elsewhere")]
        assert time.monotonic() - started < 5


def _item(user_id: int, seq: int) -> StreamItem:
    return StreamItem(user_id, seq, json.dumps({"seq": seq}))


def test_a_client_that_does_not_read_is_dropped_without_harm_to_others() -> None:
    async def scenario() -> None:
        hub = StreamHub(None, buffer_size=3, poll_seconds=1.0)  # type: ignore[arg-type]
        slow = hub.connect(1)
        reader = hub.connect(1)
        other = hub.connect(2)
        received: dict[int, list[int]] = {1: [], 2: []}
        for seq in range(1, 11):
            hub.publish([_item(1, seq), _item(2, seq)])
            # The readers keep up; the slow one never takes anything.
            for conn in (reader, other):
                while not conn.queue.empty():
                    item = conn.queue.get_nowait()
                    assert item is not None
                    received[conn.user_id].append(item.seq)
        assert slow.dropped and slow.closed.is_set() and hub.dropped == 1
        assert not reader.dropped and not other.dropped
        assert received == {1: list(range(1, 11)), 2: list(range(1, 11))}
        assert hub.open_streams == 2

    _run(scenario())


def test_a_write_that_blocks_ends_the_stream_after_the_send_timeout() -> None:
    async def scenario() -> float:
        hub = StreamHub(None, buffer_size=10, poll_seconds=1.0)  # type: ignore[arg-type]
        conn = hub.connect(7)
        response = EventStreamResponse(
            hub,
            conn,
            after=0,
            replay=lambda _after: [],
            heartbeat_seconds=0.05,
            send_timeout_seconds=0.2,
            max_lifetime_seconds=60,
        )
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body":
                await asyncio.sleep(3600)  # the client's window is full: the write never ends

        async def receive() -> dict[str, Any]:
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        started = time.monotonic()
        await response({"type": "http"}, receive, send)  # type: ignore[arg-type]
        assert hub.open_streams == 0 and conn.closed.is_set()
        return time.monotonic() - started

    assert _run(scenario()) < 2.0
