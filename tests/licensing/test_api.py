"""The licensing API: problem details, the verify answer, rate limit, import, export, ALR."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.config import Settings
from precx.licensing.models import Licence
from tests.fixtures.licences import TODAY, issue
from tests.licensing.conftest import Cast

NEW = {
    "kind": "licence",
    "country": "DE",
    "number": "DE-500",
    "holder_name": "Lackwerk Nord GmbH (fictional)",
    "substances": ["pseudoephedrine"],
    "activities": ["possession", "import"],
    "valid_from": TODAY.isoformat(),
    "valid_until": (TODAY + timedelta(days=700)).isoformat(),
}
HEADER = (
    "kind,country,number,holder_name,holder_registration_number,substances,activities,"
    "valid_from,valid_until,quantity_limits,status\n"
)


def test_issue_then_read_and_history(session: Session, client: TestClient, cast: Cast) -> None:
    answer = client.post("/api/v1/licences", json=NEW, headers=cast.de_authority.headers)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["effective_status"] == "active" and body["version"] == 1
    licence_id = body["id"]
    suspended = client.post(
        f"/api/v1/licences/{licence_id}/suspend",
        json={"reason": "Inspection found missing stock"},
        headers=cast.de_authority.headers,
    )
    assert suspended.json()["status"] == "suspended"
    history = client.get(
        f"/api/v1/licences/{licence_id}/history", headers=cast.de_customs.headers
    ).json()
    assert [h["action"] for h in history] == ["issued", "suspended"]
    assert history[1]["changes"]["status"] == ["active", "suspended"]


def test_bad_input_is_a_problem_document_naming_the_field(
    session: Session, client: TestClient, cast: Cast
) -> None:
    backwards = {**NEW, "valid_until": (TODAY - timedelta(days=1)).isoformat()}
    answer = client.post("/api/v1/licences", json=backwards, headers=cast.de_authority.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "valid_until" in answer.text
    unknown = {**NEW, "substances": ["unobtainium"]}
    answer = client.post("/api/v1/licences", json=unknown, headers=cast.de_authority.headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.substances.0"
    bad_country = {**NEW, "country": "QQ"}
    answer = client.post("/api/v1/licences", json=bad_country, headers=cast.de_authority.headers)
    assert answer.status_code == 422 and "country" in answer.json()["errors"][0]["field"]
    with session.begin():
        assert session.scalar(select(Licence.id)) is None


def test_verify_answers_only_status_holder_and_validity(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    answer = client.get(
        "/api/v1/licences/verify",
        params={"country": "DE", "number": "DE-123", "substance": "ephedrine"},
        headers=cast.other_industry.headers,
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "valid",
        "holder_name": "Rheinchem Handel GmbH (fictional)",
        "valid_from": (TODAY - timedelta(days=30)).isoformat(),
        "valid_until": (TODAY + timedelta(days=335)).isoformat(),
        "kind": "licence",
        "quantity_limit_kg": 250.0,
    }
    bad = client.get(
        "/api/v1/licences/verify",
        params={"country": "DE", "number": "DE-123", "activity": "smuggling"},
        headers=cast.other_industry.headers,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.activity"


def test_verification_is_rate_limited_per_organisation(
    session: Session, settings: Settings, cast: Cast
) -> None:
    from precx.app import create_app

    issue(session, cast.de_authority)
    app: FastAPI = create_app(settings.model_copy(update={"verify_rate_per_minute": 2}))
    params = {"country": "DE", "number": "DE-123"}
    with TestClient(app) as limited:
        for _ in range(2):
            ok = limited.get(
                "/api/v1/licences/verify", params=params, headers=cast.other_industry.headers
            )
            assert ok.status_code == 200
        refused = limited.get(
            "/api/v1/licences/verify", params=params, headers=cast.other_industry.headers
        )
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["title"] == "Too many requests"
        other = limited.get(
            "/api/v1/licences/verify", params=params, headers=cast.de_industry.headers
        )
        assert other.status_code == 200


def test_the_verification_log_lists_who_asked(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    client.get(
        "/api/v1/licences/verify",
        params={"country": "DE", "number": "DE-123"},
        headers=cast.other_industry.headers,
    )
    log = client.get("/api/v1/licences/verifications", headers=cast.de_authority.headers).json()
    assert [(e["number"], e["answer"], e["verified_by_organisation"]) for e in log] == [
        ("DE-123", "valid", "Other Chem AG")
    ]
    assert (
        client.get(
            "/api/v1/licences/verifications", headers=cast.other_industry.headers
        ).status_code
        == 403
    )
    assert (
        client.get("/api/v1/licences/verifications", headers=cast.pl_authority.headers).json() == []
    )


def test_import_is_all_or_nothing_and_names_line_and_column(
    session: Session, client: TestClient, cast: Cast
) -> None:
    table = (
        HEADER
        + "licence,DE,DE-1,Alpha GmbH,HRB 1,ephedrine,import,2026-01-01,2028-12-31,ephedrine=10,\n"
        + "registration,DE,DE-R2,Beta AG,HRB 2,acetone,export,2026-01-01,2028-12-31,,\n"
        + "licence,DE,DE-3,Gamma KG,HRB 3,ephedrine,import,2026-01-01,2025-12-31,,\n"
    )
    answer = client.post(
        "/api/v1/licences/import",
        files={"file": ("register.csv", table.encode(), "text/csv")},
        headers=cast.de_authority.headers,
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["detail"].startswith("register.csv:4"), problem
    assert "valid_until" in problem["detail"] or "valid_" in problem["detail"]
    with session.begin():
        assert session.scalar(select(Licence.id)) is None
    unknown = table.replace("Gamma KG,HRB 3,ephedrine", "Gamma KG,HRB 3,unobtainium")
    unknown = unknown.replace("2025-12-31", "2028-12-31")
    answer = client.post(
        "/api/v1/licences/import",
        files={"file": ("register.csv", unknown.encode(), "text/csv")},
        headers=cast.de_authority.headers,
    )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("register.csv:4:6 (substances)")
    good = table.replace("2025-12-31", "2028-12-31")
    answer = client.post(
        "/api/v1/licences/import",
        files={"file": ("register.csv", good.encode(), "text/csv")},
        headers=cast.de_authority.headers,
    )
    assert answer.json() == {"filename": "register.csv", "created": 3, "updated": 0}


def test_export_round_trips_through_import(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    csv_text = client.get("/api/v1/licences/export.csv", headers=cast.de_authority.headers).text
    assert "DE-123" in csv_text and "ephedrine=250" in csv_text
    again = client.post(
        "/api/v1/licences/import",
        files={"file": ("licences.csv", csv_text.encode("utf-8"), "text/csv")},
        headers=cast.de_authority.headers,
    )
    assert again.json()["updated"] == 1, again.text
    workbook = client.get("/api/v1/licences/export.xlsx", headers=cast.de_authority.headers)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None and sheet["C2"].value == "DE-123"
    xlsx = client.post(
        "/api/v1/licences/import",
        files={"file": ("licences.xlsx", workbook.content, "application/octet-stream")},
        headers=cast.de_authority.headers,
    )
    assert xlsx.status_code == 200, xlsx.text


def test_alr_is_readable_by_industry_and_set_by_the_authority(
    session: Session, client: TestClient, cast: Cast
) -> None:
    answer = client.put(
        "/api/v1/alr",
        json={"country": "DE", "substance": "P-2-P", "quantity_kg": 50},
        headers=cast.de_authority.headers,
    )
    assert answer.status_code == 200, answer.text
    refused = client.put(
        "/api/v1/alr",
        json={"country": "DE", "substance": "p2p", "quantity_kg": 5},
        headers=cast.de_industry.headers,
    )
    assert refused.status_code == 403
    public = client.get("/api/v1/alr", params={"country": "DE"}, headers=cast.de_industry.headers)
    assert [(r["substance_id"], r["quantity_kg"]) for r in public.json()] == [("p2p", 50.0)]
    imported = client.post(
        "/api/v1/alr/import",
        files={"file": ("alr.csv", b"country,substance,quantity_kg\nDE,pmk,10\n", "text/csv")},
        headers=cast.de_authority.headers,
    )
    assert imported.json()["updated"] == 1
    history = client.get("/api/v1/alr/history", headers=cast.pl_authority.headers).json()
    assert len(history) == 2
