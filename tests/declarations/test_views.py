"""Declaration pages: the lists, the signing form with its live check, paper, detail, code check."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind
from precx.declarations import service as declarations_service
from precx.declarations.models import CustomerDeclaration, DeclarationDelivery
from tests.declarations.helpers import PDF, FakeRegister, make_parties, signed
from tests.fixtures.builders import log_in, make_member, make_org

TODAY = declarations_service.today


def csrf(client: TestClient, path: str = "/declarations/check") -> str:
    page = client.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _stored(session: Session, model: type[object]) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def _sign_form(supplier_name: str, **changes: str) -> dict[str, str]:
    form = {
        "supplier_name": supplier_name,
        "substance": "acetone",
        "kind": "multiple",
        "quantity": "120",
        "unit": "kg",
        "intended_use": "solvent for cleaning printing presses in our plant",
        "customer_address": "Industriestr. 1, Berlin",
        "licence_number": "",
        "signatory_name": "Erika Mustermann",
        "signatory_position": "Managing director",
        "valid_from": TODAY().isoformat(),
        "valid_until": (TODAY() + timedelta(days=100)).isoformat(),
    }
    form.update(changes)
    return form


def test_a_customer_signs_on_the_form_and_the_supplier_delivers_against_it(
    session: Session,
    client: TestClient,
    app: FastAPI,
    register: FakeRegister,
) -> None:
    with session.begin():
        parties = make_parties(session)
    supplier_name = parties.supplier.org.name
    log_in(client, parties.customer)
    assert 'href="/declarations"' in client.get("/").text
    token = csrf(client, "/declarations/new")

    live = client.post(
        "/declarations/new/check",
        data={**_sign_form(supplier_name.upper(), substance="unobtainium"), "csrf_token": token},
    )
    assert live.status_code == 200
    assert "substance" in live.text and "unobtainium" in live.text
    ok = client.post(
        "/declarations/new/check", data={**_sign_form(supplier_name), "csrf_token": token}
    )
    assert "Nothing wrong so far" in ok.text

    too_long = (TODAY() + timedelta(days=500)).isoformat()
    refused = client.post(
        "/declarations/new",
        data={**_sign_form(supplier_name, valid_until=too_long), "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert 'id="valid_until-error"' in refused.text
    assert _stored(session, CustomerDeclaration) == 0

    created = client.post(
        "/declarations/new",
        data={**_sign_form(supplier_name), "csrf_token": token, "action": "sign"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = client.get(created.headers["location"])
    assert 'data-testid="qr"' in page.text and "data:image/svg+xml" in page.text
    assert "Record a delivery" not in page.text  # the customer does not deliver
    given = client.get("/declarations?direction=given")
    assert "Acetone" in given.text or "acetone" in given.text
    declaration_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/declarations/{declaration_id}.pdf").content.startswith(b"%PDF")

    supplier = TestClient(app, base_url="http://testserver")
    log_in(supplier, parties.supplier)
    received = supplier.get("/declarations").text
    assert f"/declarations/{declaration_id}" in received
    token = csrf(supplier, f"/declarations/{declaration_id}")
    too_much = supplier.post(
        f"/declarations/{declaration_id}/deliveries",
        data={"quantity": "121", "csrf_token": token},
    )
    assert too_much.status_code == 422
    assert _stored(session, DeclarationDelivery) == 0
    done = supplier.post(
        f"/declarations/{declaration_id}/deliveries",
        data={"quantity": "20", "reference": "DN-7", "csrf_token": token},
    )
    assert done.status_code == 200
    assert "DN-7" in done.text and "100 kg" in done.text


def test_the_supplier_records_a_paper_declaration_with_its_scan(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    log_in(client, parties.supplier)
    # The field's limits reach the page as attributes, not as escaped text.
    assert 'maxlength="2"' in client.get("/declarations/paper").text
    token = csrf(client, "/declarations/paper")
    form = {
        "csrf_token": token,
        "customer_name": "Fictional Paints Ltd",
        "customer_country": "AT",
        "customer_address": "Farbgasse 3, Wien",
        "substance": "acetone",
        "kind": "single",
        "quantity": "40",
        "unit": "kg",
        "intended_use": "thinner for the production of wall paints",
        "signatory_name": "Max Muster",
        "signatory_position": "Head of purchasing",
        "signed_on": TODAY().isoformat(),
        "valid_until": (TODAY() + timedelta(days=20)).isoformat(),
    }
    bad = client.post(
        "/declarations/paper", data=form, files={"scan": ("scan.pdf", b"GIF89a", "image/gif")}
    )
    assert bad.status_code == 422
    assert "PDF, PNG or JPEG" in bad.text
    assert _stored(session, CustomerDeclaration) == 0
    good = client.post(
        "/declarations/paper", data=form, files={"scan": ("scan.pdf", PDF, "application/pdf")}
    )
    assert good.status_code == 200
    assert "Download the scan" in good.text


def test_customs_and_logistics_check_a_code_on_the_web(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties)
        carrier = make_member(session, make_org(session, OrgKind.logistics, "PL"))
    log_in(client, carrier)
    assert 'href="/declarations/check"' in client.get("/").text
    page = client.get("/declarations/check", params={"code": declaration.code.lower()})
    assert 'data-testid="check-answer"' in page.text
    assert "valid" in page.text
    assert parties.supplier.org.name in page.text
    missing = client.get("/declarations/check", params={"code": "CD-2222-3333-4444"})
    assert "No signed declaration has this code" in missing.text
    # The carrier has no list of declarations, and cannot open one.
    assert client.get(f"/declarations/{declaration.id}").status_code == 404


def test_the_customers_authority_lists_the_declarations_of_its_country(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties)
    log_in(client, parties.authority)
    page = client.get("/declarations", params={"status": "valid", "substance": "acetone"})
    assert page.status_code == 200
    assert "Signed declarations of customers in your country" in page.text
    assert f"/declarations/{declaration.id}" in page.text
    # The substance however it is named: its CAS number, its German name.
    for named in ("67-64-1", "Aceton"):
        by_name = client.get("/declarations", params={"status": "valid", "substance": named})
        assert f"/declarations/{declaration.id}" in by_name.text, named
    assert (
        f"/declarations/{declaration.id}"
        not in client.get("/declarations", params={"substance": "toluene"}).text
    )
    unknown = client.get("/declarations", params={"substance": "unobtainium"})
    assert unknown.status_code == 200
    assert 'data-testid="filter-error"' in unknown.text
    assert "is no substance of the catalog" in unknown.text
    detail = client.get(f"/declarations/{declaration.id}")
    assert "Revoke this declaration" in detail.text  # the licensing authority of the customer
    assert "Record a delivery" not in detail.text


def test_a_russian_page_shows_the_refusal_of_the_signing_form_in_russian(
    session: Session, client: TestClient, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    client.cookies.set("precx_locale", "ru")
    log_in(client, parties.customer)
    token = csrf(client, "/declarations/new")
    too_long = (TODAY() + timedelta(days=500)).isoformat()
    refused = client.post(
        "/declarations/new",
        data={**_sign_form(parties.supplier.org.name, valid_until=too_long), "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    latest = declarations_service.one_year_after(TODAY()).isoformat()
    error = refused.text.split('id="valid_until-error"', 1)[1].split("</small>", 1)[0]
    assert f"не позднее {latest}" in error
    assert "must be on or before" not in refused.text
    assert _stored(session, CustomerDeclaration) == 0
