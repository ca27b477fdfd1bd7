"""The notification pages: inbox and outbox, one notification, applications, lookup, statistics."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.fixtures.builders import PASSWORD, Member
from tests.notifications.helpers import apply, notify, people, send


def _log_in(client: TestClient, member: Member) -> str:
    client.cookies.clear()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"email": member.user.email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    home = client.get(
        "/notifications/statistics" if member.org.kind != "industry" else "/export-applications"
    )
    found = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    return found.group(1) if found else ""


def test_pages_of_the_exchange(session: Session, client: TestClient) -> None:
    p = people(session)
    n = send(session, p.de_authority, apply(session, p.exporter))
    _log_in(client, p.de_authority)
    outbox = client.get("/notifications?box=outbox")
    assert outbox.status_code == 200 and n.reference in outbox.text
    detail = client.get(f"/notifications/{n.id}")
    assert "Exporter audited in May" in detail.text and 'data-testid="checks"' in detail.text
    assert client.get(f"/notifications/{n.id}/pdf").content.startswith(b"%PDF")
    assert n.reference in client.get("/notifications/export.csv").text
    assert 'data-chart="pen-months"' in client.get("/notifications/statistics").text
    assert client.get("/notifications/settings").status_code == 200

    token = _log_in(client, p.kz_authority)
    inbox = client.get("/notifications?box=inbox")
    assert n.reference in inbox.text
    answer = client.post(
        f"/notifications/{n.id}/respond",
        data={"answer": "objected", "reason": "", "csrf_token": token},
    )
    assert answer.status_code == 422 and "required for an objection" in answer.text
    answer = client.post(
        f"/notifications/{n.id}/respond",
        follow_redirects=True,
        data={"answer": "objected", "reason": "Unknown importer", "csrf_token": token},
    )
    assert answer.status_code == 200 and 'data-testid="status"' in answer.text

    _log_in(client, p.exporter)
    mine = client.get(f"/export-applications/{n.application_id}")
    assert "Unknown importer" in mine.text and "Exporter audited" not in mine.text
    assert client.get(f"/notifications/{n.id}").status_code in (403, 404)


def test_customs_lookup_page_and_event_form(session: Session, client: TestClient) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    token = _log_in(client, p.de_customs)
    found = client.get("/customs/lookup", params={"q": n.reference})
    assert n.reference in found.text
    assert "Watch this importer" not in client.get(f"/notifications/{n.id}").text
    refused = client.post(
        f"/notifications/{n.id}/customs-events",
        data={
            "kind": "dispatched",
            "place": "Frankfurt (Oder)",
            "occurred_on": n.sent_at.date().isoformat(),
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    assert "The importing country has not cleared the export yet." in refused.text


def test_the_exporter_applies_through_the_form(session: Session, client: TestClient) -> None:
    p = people(session)
    token = _log_in(client, p.exporter)
    assert client.get("/export-applications/new").status_code == 200
    form = {
        "csrf_token": token,
        "kind": "standard",
        "importer_name": "Steppe Pharma LLP (fictional)",
        "importer_country": "KZ",
        "substance": "unobtainium",
        "quantity": "40",
        "unit": "kg",
        "concentration_percent": "100",
        "transport_mode": "road",
        "transit_countries": "PL",
        "dispatch_date": n_days(20),
    }
    refused = client.post("/export-applications/new", data=form)
    assert refused.status_code == 422 and "unknown substance" in refused.text
    accepted = client.post(
        "/export-applications/new", data={**form, "substance": "ephedrine"}, follow_redirects=True
    )
    assert accepted.status_code == 200 and 'data-testid="status"' in accepted.text
    assert "submitted" in accepted.text and "Frankfurt" not in accepted.text


def n_days(days: int) -> str:
    from datetime import timedelta

    from tests.notifications.helpers import TODAY

    return (TODAY + timedelta(days=days)).isoformat()
