"""The notifications API as a national licensing system and a border post use it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.notifications.helpers import TODAY, consignment, people


def test_the_whole_exchange_through_the_api(session: Session, client: TestClient) -> None:
    p = people(session)
    applied = client.post(
        "/api/v1/export-applications", json=consignment(), headers=p.exporter.headers
    )
    assert applied.status_code == 201, applied.text
    application_id = applied.json()["id"]
    queue = client.get("/api/v1/export-applications", headers=p.de_authority.headers).json()
    assert [a["id"] for a in queue["items"]] == [application_id]
    sent = client.post(
        f"/api/v1/export-applications/{application_id}/notify",
        json={"internal_notes": "Checked on site (internal)"},
        headers=p.de_authority.headers,
    )
    assert sent.status_code == 201, sent.text
    n = sent.json()
    assert n["reference"].startswith(f"PEN-DE-{TODAY.year}-")
    inbox = client.get(
        "/api/v1/notifications", params={"box": "inbox"}, headers=p.kz_authority.headers
    ).json()
    assert [i["reference"] for i in inbox["items"]] == [n["reference"]]
    assert inbox["items"][0]["deadline_state"] == ""
    objected = client.post(
        f"/api/v1/notifications/{n['id']}/responses",
        json={"answer": "objected", "reason": "Importer not licensed"},
        headers=p.kz_authority.headers,
    )
    assert objected.status_code == 200 and objected.json()["status"] == "objected"
    again = client.post(
        f"/api/v1/notifications/{n['id']}/responses",
        json={"answer": "cleared"},
        headers=p.kz_authority.headers,
    )
    assert again.status_code == 409
    mine = client.get(
        f"/api/v1/export-applications/{application_id}", headers=p.exporter.headers
    ).json()
    assert mine["notification"]["exporter_status"] == "objected"
    assert mine["recorded_by_authority"] is False  # the exporter applied itself
    assert mine["notification"]["response_reason"] == "Importer not licensed"
    assert "internal" not in str(mine)
    assert (
        client.get(f"/api/v1/notifications/{n['id']}", headers=p.exporter.headers).status_code
        == 404
    )
    dispatched = client.post(
        f"/api/v1/notifications/{n['id']}/customs-events",
        json={"kind": "dispatched", "place": "Frankfurt (Oder)", "occurred_on": TODAY.isoformat()},
        headers=p.de_customs.headers,
    )
    assert dispatched.status_code == 422
    assert dispatched.json()["errors"][0]["field"] == "body.kind"


def test_bad_input_names_the_field(session: Session, client: TestClient) -> None:
    p = people(session)
    for changes, field in (
        ({"importer_country": "XX"}, "body.importer_country"),
        (
            {"lines": [{"substance": "ephedrine", "quantity": 1, "unit": "pieces"}]},
            "body.lines.0.unit",
        ),
        ({"lines": [{"substance": "ephedrine", "quantity": -1}]}, "body.lines.0.quantity"),
        ({"dispatch_date": (TODAY - timedelta(days=3)).isoformat()}, "body.dispatch_date"),
        ({"lines": [{"substance": "no such thing", "quantity": 1}]}, "body.lines.0.substance"),
    ):
        answer = client.post(
            "/api/v1/notifications",
            json={"exporter_name": "X (fictional)", **consignment(**changes)},
            headers=p.de_authority.headers,
        )
        assert answer.status_code == 422, (changes, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert client.get("/api/v1/notifications/count", headers=p.de_authority.headers).json() == {
        "count": 0
    }
    industry = client.post(
        "/api/v1/notifications",
        json={"exporter_name": "X", **consignment()},
        headers=p.exporter.headers,
    )
    assert industry.status_code == 403


def test_exports_pdf_statistics_lookup_and_settings(session: Session, client: TestClient) -> None:
    p = people(session)
    n = client.post(
        "/api/v1/notifications",
        json={"exporter_name": "Rheinfeld Chemie GmbH (fictional)", **consignment()},
        headers=p.de_authority.headers,
    ).json()
    client.post(
        f"/api/v1/notifications/{n['id']}/responses",
        json={"answer": "cleared"},
        headers=p.kz_authority.headers,
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/api/v1/notifications/export.csv", headers=p.kz_authority.headers
                ).text.lstrip("\ufeff")
            )
        )
    )
    assert [r["reference"] for r in rows] == [n["reference"]] and rows[0]["status"] == "cleared"
    sheet = load_workbook(
        io.BytesIO(
            client.get("/api/v1/notifications/export.xlsx", headers=p.de_authority.headers).content
        )
    ).active
    assert sheet is not None and sheet.cell(2, 2).value == n["reference"]
    pdf = client.get(f"/api/v1/notifications/{n['id']}/pdf", headers=p.kz_customs.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    stats = client.get(
        "/api/v1/notifications/statistics",
        params={"year": TODAY.year},
        headers=p.de_authority.headers,
    ).json()
    assert stats["total"] == 1 and stats["by_outcome"] == {"cleared": 1}
    assert stats["by_substance"] == {"Ephedrine": 1}
    for q in (n["reference"].lower(), "DE-EA-2026-0042", "steppe ephedrine"):
        found = client.get(
            "/api/v1/customs/lookup", params={"q": q}, headers=p.kz_customs.headers
        ).json()
        assert [f["reference"] for f in found] == [n["reference"]], q
    put = client.put(
        "/api/v1/notifications/settings", json={"reply_days": 20}, headers=p.kz_authority.headers
    )
    assert put.status_code == 200 and put.json()["reply_days"] == 20
    assert (
        client.put(
            "/api/v1/notifications/settings", json={"reply_days": 20}, headers=p.kz_customs.headers
        ).status_code
        == 403
    )
    assert (
        client.get("/api/v1/notifications/settings/kz", headers=p.de_authority.headers).json()[
            "reply_days"
        ]
        == 20
    )
