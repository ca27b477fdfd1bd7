"""Webhooks against a real local receiver: signatures, retries, backoff, dead letters, replay."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from precx.config import Settings
from precx.db import utc_now
from precx.events import webhooks
from precx.events.models import Channel, OutboundMessage, OutboundStatus, Subscription
from tests.events.conftest import Deliver, post, subscribe
from tests.fixtures.builders import Member

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records each call and answers a chosen status."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(bytes(c["body"])) for c in self.calls]  # type: ignore[arg-type]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"webhook_retry_base_seconds": 10.0, "webhook_max_attempts": 3}
    )


def _hook(session: Session, member: Member, url: str) -> Subscription:
    return subscribe(
        session,
        member,
        name="hook",
        channel=Channel.webhook,
        webhook_url=url,
        webhook_secret=SECRET,
    )


def _messages(session: Session) -> list[OutboundMessage]:
    with session.begin():
        stmt = select(OutboundMessage).order_by(OutboundMessage.seq)
        return list(session.scalars(stmt.execution_options(populate_existing=True)).all())


def test_a_webhook_call_is_signed_and_the_receiver_can_verify_it(
    session: Session,
    factory: sessionmaker[Session],
    people: dict[str, Member],
    deliver: Deliver,
    receiver: Receiver,
    hook_settings: Settings,
) -> None:
    _hook(session, people["police"], receiver.url)
    bulletin_id = post(session, people["author"], "Acetone to a new customer")
    deliver()
    assert webhooks.deliver_due(factory, hook_settings) == 1
    [call] = receiver.calls
    headers = call["headers"]
    assert isinstance(headers, dict)
    body = bytes(call["body"])  # type: ignore[arg-type]
    timestamp = headers["X-Precx-Timestamp"]
    assert headers["X-Precx-Signature"].startswith("sha256=")
    assert webhooks.verify(SECRET, timestamp, body, headers["X-Precx-Signature"])
    assert not webhooks.verify("another secret", timestamp, body, headers["X-Precx-Signature"])
    assert not webhooks.verify(SECRET, timestamp, body + b" ", headers["X-Precx-Signature"])
    sent = json.loads(body)
    assert sent["title"] == "Acetone to a new customer"
    assert sent["record_id"] == str(bulletin_id) and sent["url"] == f"/bulletins/{bulletin_id}"
    assert sent["seq"] == 1 and headers["X-Precx-Event"] == "bulletin.posted"
    assert [m.status for m in _messages(session)] == [OutboundStatus.delivered]


def test_a_webhook_gets_only_what_its_owner_may_read(
    session: Session,
    factory: sessionmaker[Session],
    people: dict[str, Member],
    deliver: Deliver,
    receiver: Receiver,
    hook_settings: Settings,
) -> None:
    _hook(session, people["industry"], receiver.url)
    post(session, people["author"], "For authorities only")
    deliver()
    assert webhooks.deliver_due(factory, hook_settings) == 0
    assert receiver.calls == [] and _messages(session) == []


def test_a_failing_receiver_is_retried_with_backoff_and_recovers_in_order(
    session: Session,
    factory: sessionmaker[Session],
    people: dict[str, Member],
    deliver: Deliver,
    receiver: Receiver,
    hook_settings: Settings,
) -> None:
    _hook(session, people["police"], receiver.url)
    post(session, people["author"], "First")
    post(session, people["author"], "Second")
    deliver()
    receiver.status = 500
    start = utc_now()
    assert webhooks.deliver_due(factory, hook_settings, now=start) == 0
    # The second waits behind the first: one call only, and none before the wait is over.
    assert len(receiver.calls) == 1
    assert webhooks.deliver_due(factory, hook_settings, now=start + timedelta(seconds=9)) == 0
    assert len(receiver.calls) == 1
    first = _messages(session)[0]
    assert first.attempts == 1 and first.last_error == "RuntimeError: receiver answered 500"
    assert first.next_attempt_at == start + timedelta(seconds=10)
    receiver.status = 204
    assert webhooks.deliver_due(factory, hook_settings, now=start + timedelta(seconds=10)) == 2
    assert [b["title"] for b in receiver.bodies()] == ["First", "First", "Second"]
    assert [m.status for m in _messages(session)] == [OutboundStatus.delivered] * 2


def test_a_receiver_that_keeps_failing_ends_in_the_dead_letters_and_is_replayed(
    session: Session,
    factory: sessionmaker[Session],
    people: dict[str, Member],
    deliver: Deliver,
    receiver: Receiver,
    hook_settings: Settings,
    client: TestClient,
) -> None:
    # Nobody listens on this port: the connection is refused.
    refused = Receiver()
    dead_url = refused.url
    refused.close()
    sub = _hook(session, people["police"], dead_url)
    post(session, people["author"], "Undeliverable")
    deliver()
    start = utc_now()
    for seconds in (0, 10, 30):  # waits of 10 s, then 20 s
        webhooks.deliver_due(factory, hook_settings, now=start + timedelta(seconds=seconds))
    [message] = _messages(session)
    assert message.status is OutboundStatus.dead and message.attempts == 3
    assert "refused" in (message.last_error or "").lower()

    with session.begin():
        police_admin = people["police"]
        police_admin.user.role = "admin"  # type: ignore[assignment]
        session.merge(police_admin.user)
    # Other organisations' admins see nothing; the owner organisation's admin sees and replays.
    assert client.get("/api/v1/events/dead-letters", headers=people["author"].headers).json() == []
    listed = client.get("/api/v1/events/dead-letters", headers=people["police"].headers).json()
    assert [m["id"] for m in listed] == [message.id]
    other = client.post(
        f"/api/v1/events/dead-letters/{message.id}/replay", headers=people["author"].headers
    )
    assert other.status_code == 404

    # The receiver is fixed: the subscription now points at a working one, and the replay works.
    with session.begin():
        session.get(Subscription, sub.id).webhook_url = receiver.url  # type: ignore[union-attr]
    replayed = client.post(
        f"/api/v1/events/dead-letters/{message.id}/replay", headers=people["police"].headers
    )
    assert replayed.status_code == 200 and replayed.json()["status"] == "pending"
    assert webhooks.deliver_due(factory, hook_settings) == 1
    assert [b["title"] for b in receiver.bodies()] == ["Undeliverable"]
    assert client.get("/api/v1/events/dead-letters", headers=people["police"].headers).json() == []


def test_redirects_are_not_followed(
    session: Session,
    factory: sessionmaker[Session],
    people: dict[str, Member],
    deliver: Deliver,
    receiver: Receiver,
    hook_settings: Settings,
) -> None:
    receiver.status = 307
    _hook(session, people["police"], receiver.url)
    post(session, people["author"], "Redirected")
    deliver()
    assert webhooks.deliver_due(factory, hook_settings) == 0
    assert _messages(session)[0].last_error == "RuntimeError: receiver answered 307"
