"""E-mail delivery through a local SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from precx.app import create_app
from precx.config import Settings
from precx.events import webhooks
from tests.events.conftest import Deliver, drain, post
from tests.fixtures.builders import Member


class Mailbox:
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_an_email_subscription_sends_the_event_through_smtp(
    session: Session,
    factory: sessionmaker[Session],
    settings: Settings,
    people: dict[str, Member],
    deliver: Deliver,
    mailbox: tuple[Mailbox, int],
) -> None:
    box, port = mailbox
    mail_settings = settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_from": "alerts@precx.example",
            "public_url": "https://precx.example",
        }
    )
    with TestClient(create_app(mail_settings)) as client:
        created = client.post(
            "/api/v1/subscriptions",
            headers=people["police"].headers,
            json={"name": "mail me", "channel": "email", "email": "duty@police.example"},
        )
    assert created.status_code == 201, created.text
    drain(session)  # the subscription's own event
    bulletin_id = post(session, people["author"], "Tableting machine sold to a shell company")
    deliver()
    assert webhooks.deliver_due(factory, mail_settings) == 1
    [(recipients, raw)] = box.messages
    assert recipients == ["duty@police.example"]
    message = message_from_bytes(raw)
    assert message["Subject"] == "[precx] Tableting machine sold to a shell company"
    assert message["From"] == "alerts@precx.example"
    text = message.get_payload(decode=True).decode()
    assert f"https://precx.example/bulletins/{bulletin_id}" in text


def test_email_is_refused_when_no_smtp_server_is_configured(
    people: dict[str, Member], client: TestClient
) -> None:
    answer = client.post(
        "/api/v1/subscriptions",
        headers=people["police"].headers,
        json={"name": "mail me", "channel": "email", "email": "duty@police.example"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.channel"
