"""The declarations API: sign, record paper with a scan, list, PDF, deliver, revoke, check."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.config import Settings
from precx.declarations import service as declarations_service
from precx.declarations.models import CustomerDeclaration, DeclarationDelivery
from tests.declarations.helpers import PDF, FakeRegister, Parties, make_parties

TODAY = declarations_service.today


def _body(parties: Parties, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "supplier_organisation_id": parties.supplier.org.id,
        "substance": "67-64-1",
        "kind": "multiple",
        "quantity": 200,
        "unit": "kg",
        "intended_use": "solvent for cleaning printing presses in our plant",
        "customer_address": "Industriestr. 1, Berlin",
        "signatory_name": "Erika Mustermann",
        "signatory_position": "Managing director",
        "valid_until": (TODAY() + timedelta(days=200)).isoformat(),
    }
    body.update(changes)
    return body


def _stored(session: Session, model: type[object]) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_sign_list_read_deliver_check_and_revoke(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    created = client.post(
        "/api/v1/declarations", json=_body(parties), headers=parties.customer.headers
    )
    assert created.status_code == 201, created.text
    declaration = created.json()
    assert declaration["substance_id"] == "acetone"
    assert declaration["state"] == "valid"
    assert declaration["supplier_name"] == parties.supplier.org.name
    path = f"/api/v1/declarations/{declaration['id']}"

    received = client.get(
        "/api/v1/declarations",
        params={"direction": "received", "status": "valid", "substance": "acetone"},
        headers=parties.supplier.headers,
    )
    assert [d["id"] for d in received.json()["items"]] == [declaration["id"]]
    assert (
        client.get(
            "/api/v1/declarations", params={"direction": "given"}, headers=parties.supplier.headers
        ).json()["total"]
        == 0
    )
    found = client.get(
        "/api/v1/declarations",
        params={"counterparty": parties.customer.org.name[-4:]},
        headers=parties.supplier.headers,
    )
    assert found.json()["total"] == 1

    delivered = client.post(
        f"{path}/deliveries",
        json={"quantity": 150, "reference": "DN-1"},
        headers=parties.supplier.headers,
    )
    assert delivered.status_code == 201, delivered.text
    too_much = client.post(
        f"{path}/deliveries", json={"quantity": 60}, headers=parties.supplier.headers
    )
    assert too_much.status_code == 422
    assert too_much.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in too_much.json()["errors"]] == ["body.quantity"]
    assert _stored(session, DeclarationDelivery) == 1
    assert (
        client.get(f"{path}/deliveries", headers=parties.customer.headers).json()[0]["reference"]
        == "DN-1"
    )

    check = client.get(
        "/api/v1/declarations/check",
        params={"code": declaration["code"]},
        headers=parties.outsider.headers,
    )
    assert check.json() == {
        "code": declaration["code"],
        "status": "valid",
        "substance_id": "acetone",
        "substance_name": declaration["substance_name"],
        "quantity_left": 50.0,
        "unit": "kg",
        "valid_until": declaration["valid_until"],
        "customer_name": parties.customer.org.name,
        "supplier_name": parties.supplier.org.name,
    }

    revoked = client.post(
        f"{path}/revoke", json={"reason": "order cancelled"}, headers=parties.customer.headers
    )
    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked"
    again = client.get(
        "/api/v1/declarations/check",
        params={"code": declaration["code"]},
        headers=parties.outsider.headers,
    )
    assert again.json()["status"] == "revoked"


def test_bad_input_is_a_problem_naming_the_field_and_nothing_is_stored(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    too_long = (TODAY() + timedelta(days=400)).isoformat()
    for changes, field in (
        ({"valid_until": too_long}, "body.valid_until"),
        ({"substance": "unobtainium"}, "body.substance"),
        ({"quantity": -1}, "body.quantity"),
        ({"intended_use": ""}, "body.intended_use"),
        ({"supplier_organisation_id": 999999}, "body.supplier_organisation_id"),
        ({"substance": "ephedrine", "licence_number": "DE-NOPE"}, "body.licence_number"),
    ):
        answer = client.post(
            "/api/v1/declarations", json=_body(parties, **changes), headers=parties.customer.headers
        )
        assert answer.status_code == 422, (changes, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert _stored(session, CustomerDeclaration) == 0


def test_the_supplier_records_a_paper_declaration_with_a_scan(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    form = {
        "substance": "acetone",
        "quantity": "25",
        "unit": "l",
        "kind": "single",
        "intended_use": "thinner for the production of wall paints",
        "customer_name": "Fictional Paints Ltd",
        "customer_country": "AT",
        "customer_address": "Farbgasse 3, Wien",
        "signatory_name": "Max Muster",
        "signatory_position": "Head of purchasing",
        "signed_on": TODAY().isoformat(),
        "valid_until": (TODAY() + timedelta(days=30)).isoformat(),
    }
    bad = client.post(
        "/api/v1/paper-declarations",
        data=form,
        files={"scan": ("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        headers=parties.supplier.headers,
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["scan"]
    wrong_date = client.post(
        "/api/v1/paper-declarations",
        data={**form, "signed_on": "yesterday"},
        files={"scan": ("scan.pdf", PDF, "application/pdf")},
        headers=parties.supplier.headers,
    )
    assert [e["field"] for e in wrong_date.json()["errors"]] == ["body.signed_on"]
    assert _stored(session, CustomerDeclaration) == 0

    created = client.post(
        "/api/v1/paper-declarations",
        data=form,
        files={"scan": ("scan.pdf", PDF, "application/pdf")},
        headers=parties.supplier.headers,
    )
    assert created.status_code == 201, created.text
    declaration = created.json()
    assert declaration["source"] == "paper"
    assert declaration["has_scan"] is True
    scan = client.get(
        f"/api/v1/declarations/{declaration['id']}/scan", headers=parties.supplier.headers
    )
    assert scan.headers["content-type"] == "application/pdf"
    assert scan.content == PDF


def test_the_pdf_rendering(session: Session, client: TestClient, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
    declaration = client.post(
        "/api/v1/declarations", json=_body(parties), headers=parties.customer.headers
    ).json()
    answer = client.get(
        f"/api/v1/declarations/{declaration['id']}.pdf", headers=parties.supplier.headers
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    hidden = client.get(
        f"/api/v1/declarations/{declaration['id']}.pdf", headers=parties.outsider.headers
    )
    assert hidden.status_code == 404


def test_checks_beyond_the_rate_are_refused(
    session: Session, client: TestClient, settings: Settings, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    # Code checks share the rate set for licence verifications.
    for _ in range(settings.verify_rate_per_minute):
        client.get(
            "/api/v1/declarations/check", params={"code": "x"}, headers=parties.outsider.headers
        )
    refused = client.get(
        "/api/v1/declarations/check", params={"code": "x"}, headers=parties.outsider.headers
    )
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["field"] == "query.code"
