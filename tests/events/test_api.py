"""The subscription and inbox API: validation naming the field, ownership, read marks."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.app import create_app
from precx.config import Settings
from precx.events.models import Subscription
from tests.events.conftest import Deliver, post, subscribe
from tests.fixtures.builders import Member


def _create(client: TestClient, member: Member, **body: object) -> dict[str, object]:
    answer = client.post("/api/v1/subscriptions", headers=member.headers, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _refused(client: TestClient, member: Member, field: str, **body: object) -> str:
    answer = client.post("/api/v1/subscriptions", headers=member.headers, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["errors"][0]["field"] == field
    return str(problem["errors"][0]["message"])


def _count(session: Session) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(Subscription)) or 0


def test_a_webhook_subscription_shows_its_secret_once(
    client: TestClient, people: dict[str, Member]
) -> None:
    created = _create(
        client,
        people["police"],
        name="SIEM",
        channel="webhook",
        webhook_url="https://siem.police.example/precx",
        topic_prefix="bulletin.",
        country="de",
        substance="safrole",
        min_severity="medium",
        keywords="tableting",
    )
    assert isinstance(created["webhook_secret"], str) and len(created["webhook_secret"]) >= 32
    assert created["country"] == "DE" and created["substance"] == "Safrole"
    listed = client.get("/api/v1/subscriptions", headers=people["police"].headers).json()
    assert [s["name"] for s in listed] == ["SIEM"]
    assert "webhook_secret" not in listed[0]
    one = client.get(f"/api/v1/subscriptions/{created['id']}", headers=people["police"].headers)
    assert "webhook_secret" not in one.json()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example/x", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("http://", "not an http(s) URL"),
        ("http://testserver/api/v1/bulletins", "points at the platform itself"),
        ("https://precx.example.org/hook", "points at the platform itself"),
        ("http://127.0.0.1:8000/healthz", "points at the platform itself"),
        ("http://localhost:8000/x", "points at the platform itself"),
    ],
)
def test_bad_webhook_urls_are_refused_naming_the_field(
    session: Session, settings: Settings, people: dict[str, Member], url: str, message: str
) -> None:
    own = settings.model_copy(update={"public_url": "https://precx.example.org"})
    with TestClient(create_app(own), base_url="http://testserver") as client:
        before = _count(session)
        text = _refused(
            client,
            people["police"],
            "body.webhook_url",
            name="x",
            channel="webhook",
            webhook_url=url,
        )
    assert text == message
    assert _count(session) == before


def test_loopback_receivers_on_other_ports_are_allowed(
    client: TestClient, people: dict[str, Member]
) -> None:
    created = _create(
        client,
        people["police"],
        name="local",
        channel="webhook",
        webhook_url="http://127.0.0.1:9/x",
    )
    assert created["webhook_url"] == "http://127.0.0.1:9/x"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "country": "XX"}, "body.country"),
        ({"name": "x", "substance": "no such chemical at all"}, "body.substance"),
        ({"name": "x", "min_severity": "urgent"}, "body.min_severity"),
        ({"name": "x", "channel": "webhook"}, "body.webhook_url"),
        ({"name": "x", "webhook_url": "https://a.example"}, "body.webhook_url"),
        (
            {
                "name": "x",
                "channel": "webhook",
                "webhook_url": "https://a.example",
                "webhook_secret": "short",
            },
            "body.webhook_secret",
        ),
        ({"name": ""}, "body.name"),
        ({"name": "x", "extra": 1}, "body.extra"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(
    session: Session,
    client: TestClient,
    people: dict[str, Member],
    body: dict[str, object],
    field: str,
) -> None:
    before = _count(session)
    _refused(client, people["police"], field, **body)
    assert _count(session) == before


def test_only_admins_subscribe_their_whole_organisation(
    client: TestClient, people: dict[str, Member]
) -> None:
    answer = client.post(
        "/api/v1/subscriptions",
        headers=people["police"].headers,
        json={"name": "all of us", "scope": "organisation"},
    )
    assert answer.status_code == 403
    created = _create(client, people["author"], name="all of us", scope="organisation")
    # A member sees the organisation's subscription but may not change it.
    seen = client.get("/api/v1/subscriptions", headers=people["colleague"].headers).json()
    assert [s["id"] for s in seen] == [created["id"]]
    change = client.put(
        f"/api/v1/subscriptions/{created['id']}",
        headers=people["colleague"].headers,
        json={"name": "mine now"},
    )
    assert change.status_code == 403


def test_viewers_may_not_set_up_webhooks(client: TestClient, people: dict[str, Member]) -> None:
    answer = client.post(
        "/api/v1/subscriptions",
        headers=people["colleague"].headers,
        json={"name": "x", "channel": "webhook", "webhook_url": "https://a.example"},
    )
    assert answer.status_code == 403


def test_another_users_subscription_is_not_found(
    client: TestClient, people: dict[str, Member]
) -> None:
    created = _create(client, people["police"], name="mine")
    for method in ("get", "delete"):
        answer = client.request(
            method, f"/api/v1/subscriptions/{created['id']}", headers=people["customs_fr"].headers
        )
        assert answer.status_code == 404


def test_update_keeps_the_secret_and_delete_removes(
    client: TestClient, people: dict[str, Member], session: Session
) -> None:
    created = _create(
        client, people["police"], name="hook", channel="webhook", webhook_url="https://a.example/1"
    )
    changed = client.put(
        f"/api/v1/subscriptions/{created['id']}",
        headers=people["police"].headers,
        json={"name": "hook 2", "channel": "webhook", "webhook_url": "https://a.example/2"},
    )
    assert changed.status_code == 200 and changed.json()["name"] == "hook 2"
    with session.begin():
        sub = session.get(Subscription, created["id"])
        assert sub is not None and sub.webhook_secret == created["webhook_secret"]
    gone = client.delete(f"/api/v1/subscriptions/{created['id']}", headers=people["police"].headers)
    assert gone.status_code == 204
    assert _count(session) == 0


def test_the_inbox_lists_filters_and_marks_read(
    client: TestClient, session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    for title in ("Acetone diverted", "Safrole seized", "Acetone again"):
        post(session, people["author"], title)
    deliver()
    headers = people["police"].headers
    page = client.get("/api/v1/events/inbox", headers=headers).json()
    assert [i["title"] for i in page["items"]] == [
        "Acetone again",
        "Safrole seized",
        "Acetone diverted",
    ]
    assert page["unread"] == 3 and page["items"][0]["seq"] == 3
    assert page["items"][0]["url"].startswith("/bulletins/")
    searched = client.get("/api/v1/events/inbox?q=acetone", headers=headers).json()
    assert searched["total"] == 2
    first = page["items"][2]["id"]
    marked = client.post("/api/v1/events/inbox/read", headers=headers, json={"ids": [first]})
    assert marked.json() == {"unread": 2}
    unread = client.get("/api/v1/events/inbox?unread=true", headers=headers).json()
    assert [i["title"] for i in unread["items"]] == ["Acetone again", "Safrole seized"]
    # Another user's item ids change nothing.
    other = client.post(
        "/api/v1/events/inbox/read",
        headers=people["customs_fr"].headers,
        json={"ids": [i["id"] for i in page["items"]]},
    )
    assert other.json() == {"unread": 0}
    assert client.get("/api/v1/events/inbox/unread", headers=headers).json() == {"unread": 2}
    everything = client.post("/api/v1/events/inbox/read", headers=headers, json={"all": True})
    assert everything.json() == {"unread": 0}


def test_the_dead_letter_list_is_for_administrators(
    client: TestClient, people: dict[str, Member]
) -> None:
    answer = client.get("/api/v1/events/dead-letters", headers=people["police"].headers)
    assert answer.status_code == 403
    assert client.get("/api/v1/events/dead-letters", headers=people["author"].headers).json() == []


def test_the_stream_refuses_a_malformed_last_event_id_and_anonymous_callers(
    client: TestClient, people: dict[str, Member]
) -> None:
    bad = client.get(
        "/api/v1/events/stream",
        headers={**people["police"].headers, "Last-Event-ID": "yesterday"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "header.last-event-id"
    assert client.get("/api/v1/events/stream").status_code == 401
