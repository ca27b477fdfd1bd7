"""Who sees a pre-export notification, its customs events and its application: the exporting
authority, the importing authority and customs, the exporting customs (and transit countries
that asked). Nobody else, through any door; the exporter sees its application's status only."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from precx.accounts.principal import Role
from precx.notifications.models import PreExportNotification
from tests.fixtures.builders import Member, make_member
from tests.notifications.helpers import TODAY, People, apply, begin, people, send

MARKER = "Exporter audited in May (internal)."


def _world(session: Session) -> tuple[People, PreExportNotification, int, dict[str, Member]]:
    p = people(session)
    application_id = apply(session, p.exporter)
    n = send(session, p.de_authority, application_id)
    with begin(session):
        reporter = make_member(session, p.kz_authority.org, Role.reporter)
    outsiders = {
        "fr_authority": p.fr_authority,
        "fr_customs": p.fr_customs,
        "pl_authority (transit, asked for nothing)": p.pl_authority,
        "pl_customs (transit, asked for nothing)": p.pl_customs,
        "de_police": p.de_police,
        "exporter": p.exporter,
        "other_industry": p.other_industry,
        "kz_importer": p.kz_importer,
        "kz_authority reporter": reporter,
    }
    return p, n, application_id, outsiders


def test_outsiders_see_no_trace_of_a_notification(session: Session, client: TestClient) -> None:
    p, n, _, outsiders = _world(session)
    # A customs event and an answer exist, so derived data has something to leak.
    client.post(
        f"/api/v1/notifications/{n.id}/responses",
        json={"answer": "cleared"},
        headers=p.kz_authority.headers,
    )
    client.post(
        f"/api/v1/notifications/{n.id}/customs-events",
        json={"kind": "dispatched", "place": "Frankfurt (Oder)", "occurred_on": TODAY.isoformat()},
        headers=p.de_customs.headers,
    )
    for name, who in outsiders.items():
        h = who.headers
        assert client.get("/api/v1/notifications", headers=h).json()["total"] == 0, name
        assert client.get("/api/v1/notifications/count", headers=h).json() == {"count": 0}, name
        assert client.get(f"/api/v1/notifications/{n.id}", headers=h).status_code == 404, name
        assert client.get(f"/api/v1/notifications/{n.id}/pdf", headers=h).status_code == 404, name
        assert n.reference not in client.get("/api/v1/notifications/export.csv", headers=h).text
        sheet = load_workbook(
            io.BytesIO(client.get("/api/v1/notifications/export.xlsx", headers=h).content)
        ).active
        assert sheet is not None and sheet.max_row == 1, name
        for q in (n.reference, n.export_authorisation_number, "Steppe ephedrine"):
            assert client.get("/api/v1/customs/lookup", params={"q": q}, headers=h).json() == [], (
                name,
                q,
            )
        stats = client.get(
            "/api/v1/notifications/statistics", params={"year": TODAY.year}, headers=h
        ).json()
        assert stats["total"] == 0, name
        for path, body in (
            ("responses", {"answer": "objected", "reason": "x"}),
            ("customs-events", {"kind": "seized", "place": "x", "occurred_on": TODAY.isoformat()}),
            ("withdraw", {"reason": "x"}),
            ("amendments", {"reason": "x", "notes": "changed"}),
        ):
            answer = client.post(f"/api/v1/notifications/{n.id}/{path}", json=body, headers=h)
            assert answer.status_code == 404, (name, path, answer.status_code)


def test_the_exporter_sees_its_application_and_the_status_not_the_internal_notes(
    session: Session, client: TestClient
) -> None:
    p, n, application_id, _ = _world(session)
    mine = client.get(f"/api/v1/export-applications/{application_id}", headers=p.exporter.headers)
    assert mine.status_code == 200
    assert mine.json()["notification"]["reference"] == n.reference
    assert MARKER not in mine.text
    for who in (p.other_industry, p.kz_importer, p.fr_authority, p.kz_authority, p.de_customs):
        assert (
            client.get(
                f"/api/v1/export-applications/{application_id}", headers=who.headers
            ).status_code
            == 404
        )
        assert client.get("/api/v1/export-applications", headers=who.headers).json()["total"] == 0


@pytest.mark.parametrize("reader", ["kz_authority", "kz_customs", "de_customs", "de_authority"])
def test_involved_authorities_and_customs_read_it(
    session: Session, client: TestClient, reader: str
) -> None:
    p, n, _, _ = _world(session)
    who: Member = getattr(p, reader)
    read = client.get(f"/api/v1/notifications/{n.id}", headers=who.headers)
    assert read.status_code == 200
    # Internal notes are for licensing authorities, not customs.
    assert (read.json()["internal_notes"] == MARKER) is reader.endswith("authority")
    assert (
        client.get("/api/v1/customs/lookup", params={"q": n.reference}, headers=who.headers).json()[
            0
        ]["id"]
        == n.id
    )


def test_web_pages_answer_404_for_hidden_notifications(
    session: Session, client: TestClient
) -> None:
    from tests.notifications.test_views import _log_in

    p, n, application_id, _ = _world(session)
    for who in (p.fr_customs, p.pl_authority):
        _log_in(client, who)
        assert client.get(f"/notifications/{n.id}").status_code == 404
        assert client.get(f"/notifications/{n.id}/pdf").status_code == 404
        assert n.reference not in client.get("/notifications?box=inbox").text
        assert n.reference not in client.get("/notifications/export.csv").text
        found = client.get("/customs/lookup", params={"q": n.reference}).text
        assert f'href="/notifications/{n.id}"' not in found and "No notification found" in found
        assert client.get(f"/export-applications/{application_id}").status_code == 404
    _log_in(client, p.other_industry)
    assert client.get(f"/export-applications/{application_id}").status_code == 404
