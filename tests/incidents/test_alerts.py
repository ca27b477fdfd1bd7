"""Industry alerts: drafted by an officer, approved by another (four eyes), published to the
partnership, read and sighted by industry; drafts and sightings stay with those they concern."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events.models import OutboxEvent
from tests.incidents.conftest import NEXT_MONTH, YESTERDAY, Cast, seizure


def alert_body(incident_id: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Acetic anhydride ordered as 'industrial solvent' for re-export",
        "watch_for": "Orders of acetic anhydride in 200 l drums for a trading company in a free "
        "zone, paid in advance from a third country, delivered to a forwarder.",
        "substances": ["acetic anhydride"],
        "countries": ["AE", "NL"],
        "indicators": [
            {"type": "substance", "value": "acetic-anhydride"},
            {"type": "packaging", "value": "200 l drums"},
            {"type": "payment_method", "value": "prepayment from a third country"},
        ],
        "severity": "high",
        "expires_on": NEXT_MONTH.isoformat(),
        "links": [{"record_type": "incident", "record_id": incident_id}],
    }
    body.update(changes)
    return body


def published_alert(client: TestClient, cast: Cast) -> tuple[int, int]:
    incident = client.post("/api/v1/incidents", json=seizure(), headers=cast.customs.headers)
    incident_id = incident.json()["id"]
    drafted = client.post(
        "/api/v1/alerts", json=alert_body(incident_id), headers=cast.officer.headers
    )
    assert drafted.status_code == 201, drafted.text
    alert_id = drafted.json()["id"]
    client.post(f"/api/v1/alerts/{alert_id}/submit", headers=cast.officer.headers)
    approved = client.post(
        f"/api/v1/alerts/{alert_id}/approve", headers=cast.second_officer.headers
    )
    assert approved.status_code == 200, approved.text
    return incident_id, alert_id


def test_four_eyes_then_the_feed(session: Session, client: TestClient, cast: Cast) -> None:
    incident_id = client.post(
        "/api/v1/incidents", json=seizure(), headers=cast.customs.headers
    ).json()["id"]
    drafted = client.post(
        "/api/v1/alerts", json=alert_body(incident_id), headers=cast.officer.headers
    ).json()
    alert_id = drafted["id"]
    assert drafted["status"] == "draft" and drafted["substances"] == ["Acetic anhydride"]
    # A draft is invisible to industry, even by id.
    assert (
        client.get(f"/api/v1/alerts/{alert_id}", headers=cast.industry.headers).status_code == 404
    )
    assert (
        client.get("/api/v1/alerts", params={"all": True}, headers=cast.industry.headers).json()[
            "total"
        ]
        == 0
    )
    early = client.post(f"/api/v1/alerts/{alert_id}/approve", headers=cast.second_officer.headers)
    assert early.status_code == 409  # not submitted yet
    assert (
        client.post(f"/api/v1/alerts/{alert_id}/submit", headers=cast.officer.headers).json()[
            "status"
        ]
        == "submitted"
    )
    own = client.post(f"/api/v1/alerts/{alert_id}/approve", headers=cast.officer.headers)
    assert own.status_code == 403
    assert "second officer" in own.json()["detail"]
    assert (
        client.post(f"/api/v1/alerts/{alert_id}/approve", headers=cast.industry.headers).status_code
        == 404
    )
    approved = client.post(
        f"/api/v1/alerts/{alert_id}/approve", headers=cast.second_officer.headers
    )
    assert (
        approved.json()["status"] == "published"
        and approved.json()["distribution"] == "partnership"
    )
    feed = client.get("/api/v1/alerts", headers=cast.industry.headers).json()
    assert [a["id"] for a in feed["items"]] == [alert_id]
    # Industry sees the alert's own text, never the source incident (not even as a label).
    [item] = feed["items"]
    assert item["links"] == [] and "Hamburg" not in str(item)
    assert client.get("/api/v1/alerts/unread", headers=cast.industry.headers).json() == {"count": 1}
    assert (
        client.post(f"/api/v1/alerts/{alert_id}/read", headers=cast.industry.headers).status_code
        == 204
    )
    assert client.get("/api/v1/alerts/unread", headers=cast.industry.headers).json() == {"count": 0}
    officer_view = client.get(f"/api/v1/alerts/{alert_id}", headers=cast.officer.headers).json()
    assert [link["record_id"] for link in officer_view["links"]] == [incident_id]
    topics = [
        e.topic
        for e in session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.topic.startswith("alert."))
            .order_by(OutboxEvent.id)
        )
    ]
    assert topics == ["alert.submitted", "alert.published"]


def test_bad_alerts_are_refused(client: TestClient, cast: Cast) -> None:
    incident_id = client.post(
        "/api/v1/incidents", json=seizure(), headers=cast.customs.headers
    ).json()["id"]
    cases = [
        (alert_body(incident_id, expires_on=YESTERDAY.isoformat()), "body.expires_on"),
        (alert_body(incident_id, indicators=[{"type": "horoscope", "value": "x"}]), "indicators"),
        (alert_body(incident_id, substances=["moon dust"]), "body.substances.0"),
        (alert_body(incident_id, countries=["ZZ"]), "body.countries.0"),
        (alert_body(incident_id, distribution="organisation"), "body.distribution"),
    ]
    for body, field in cases:
        answer = client.post("/api/v1/alerts", json=body, headers=cast.officer.headers)
        assert answer.status_code == 422, (field, answer.text)
        assert any(field in e["field"] for e in answer.json()["errors"]), (field, answer.json())
    industry = client.post(
        "/api/v1/alerts", json=alert_body(incident_id), headers=cast.industry.headers
    )
    assert industry.status_code == 403
    assert (
        client.get("/api/v1/alerts", params={"all": True}, headers=cast.officer.headers).json()[
            "total"
        ]
        == 0
    )


def test_a_sighting_reaches_the_authority_and_nobody_else(
    session: Session, client: TestClient, cast: Cast
) -> None:
    _incident_id, alert_id = published_alert(client, cast)
    sighted = client.post(
        f"/api/v1/alerts/{alert_id}/sightings",
        json={"seen_on": YESTERDAY.isoformat(), "note": "Same drums ordered by a new customer"},
        headers=cast.industry.headers,
    )
    assert sighted.status_code == 201, sighted.text
    sighting_id = sighted.json()["id"]
    for reader in (cast.industry, cast.officer, cast.second_officer):
        assert (
            client.get(f"/api/v1/alert-sightings/{sighting_id}", headers=reader.headers).status_code
            == 200
        )
    for outsider in (cast.other_industry, cast.customs, cast.pl_police):
        assert (
            client.get(
                f"/api/v1/alert-sightings/{sighting_id}", headers=outsider.headers
            ).status_code
            == 404
        )
    other_view = client.get(
        f"/api/v1/alerts/{alert_id}/sightings", headers=cast.other_industry.headers
    )
    assert other_view.json() == []
    authority_view = client.get(
        f"/api/v1/alerts/{alert_id}/sightings", headers=cast.officer.headers
    )
    assert [s["id"] for s in authority_view.json()] == [sighting_id]
    event = session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "alert.sighted")).one()
    assert event.record_type == "alert_sighting" and event.organisation_id == cast.industry.org.id
    assert event.payload["authority_organisation_id"] == cast.officer.org.id
    assert event.payload["severity"] == "high" and event.payload["title"]
