"""Report pages: the form with its errors, pre-filling from a screening, the detail page with
the authority's actions, the queue with its filters and exports."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.reports.models import Report
from precx.screening import service as screening_service
from precx.screening.models import Screening
from precx.screening.orders import Order
from tests.fixtures import builders
from tests.fixtures.builders import Member
from tests.reports.helpers import file_report, make_people


def log_in(app: FastAPI, member: Member) -> TestClient:
    return builders.log_in(TestClient(app, base_url="http://testserver"), member)


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _form(token: str, **changes: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "csrf_token": token,
        "kind": "suspicious_order",
        "cp_name": "Romashka Trading LLC",
        "cp_country": "RU",
        "cp_identifiers": "inn: 7701234567",
        "substance": ["acetone", "", ""],
        "quantity": ["500", "", ""],
        "unit": ["l", "", ""],
        "red_flags": ["PAYMENT_UNUSUAL"],
        "action_taken": "refused",
        "narrative": "Cash offered.",
        "action": "submit",
    }
    form.update(changes)
    return form


def _reports(session: Session) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(Report)) or 0


def test_the_form_names_the_missing_field_and_saves_nothing(session: Session, app: FastAPI) -> None:
    people = make_people(session)
    client = log_in(app, people.reporter)
    token = csrf(client, "/reports/new")
    answer = client.post("/reports/new", data=_form(token, cp_name=""))
    assert answer.status_code == 422
    assert 'id="cp_name-error"' in answer.text and "without a counterparty" in answer.text
    assert _reports(session) == 0
    answer = client.post("/reports/new", data=_form(token, substance=["", "", ""]))
    assert answer.status_code == 422 and 'data-testid="substance-error"' in answer.text
    answer = client.post("/reports/new", data=_form(token, cp_country="XX"))
    assert answer.status_code == 422 and 'id="cp_country-error"' in answer.text
    assert _reports(session) == 0


def test_the_form_suggests_payment_and_delivery_as_screening_writes_them(
    session: Session, app: FastAPI
) -> None:
    people = make_people(session)
    page = log_in(app, people.reporter).get("/reports/new").text
    assert 'list="payment-methods"' in page and 'list="delivery-types"' in page
    payments = page.split('<datalist id="payment-methods">', 1)[1].split("</datalist>", 1)[0]
    deliveries = page.split('<datalist id="delivery-types">', 1)[1].split("</datalist>", 1)[0]
    assert '<option value="crypto">' in payments and '<option value="third_party">' in payments
    assert '<option value="freight_forwarder">freight forwarder</option>' in deliveries
    # The attributes a field is given reach the page as attributes, not as escaped text.
    assert 'id="cp_country" name="cp_country" type="text" value="" maxlength="2">' in page


def test_a_draft_is_saved_incomplete_then_edited_and_submitted(
    session: Session, app: FastAPI
) -> None:
    people = make_people(session)
    client = log_in(app, people.reporter)
    token = csrf(client, "/reports/new")
    saved = client.post(
        "/reports/new", data=_form(token, cp_name="", action="draft"), follow_redirects=False
    )
    assert saved.status_code == 303
    path = saved.headers["location"]
    assert "Edit the draft" in client.get(path).text
    edit = client.get(f"{path}/edit").text
    assert 'value="acetone"' in edit
    done = client.post(f"{path}/edit", data=_form(token), follow_redirects=False)
    assert done.status_code == 303
    page = client.get(path).text
    assert 'data-status="submitted"' in page and "Romashka Trading LLC" in page
    # A submitted report is no longer edited.
    assert client.get(f"{path}/edit", follow_redirects=False).headers["location"] == path


def test_a_report_is_prefilled_from_a_screening_the_user_may_read(
    session: Session, app: FastAPI
) -> None:
    people = make_people(session)
    order = Order(
        order_id="SO-77",
        customer_name="Romashka Trading LLC",
        customer_country="RU",
        substance="acetone",
        quantity=900,
        unit="l",  # type: ignore[arg-type]
        payment_method="cash",  # type: ignore[arg-type]
        delivery_type="freight_forwarder",  # type: ignore[arg-type]
        customer_email="buy@romashka.example",
    )
    with session.begin():
        screened = screening_service.screen_orders(
            session, people.reporter.principal, [(2, order)], store=True
        )
    screening_id = screened[0].screening_id
    client = log_in(app, people.reporter)
    page = client.get(f"/reports/new?screening={screening_id}").text
    assert 'value="Romashka Trading LLC"' in page and 'value="buy@romashka.example"' in page
    assert 'value="SO-77"' in page and 'value="900"' in page
    assert 'value="PAYMENT_UNUSUAL" checked' in page
    token = csrf(client, "/reports/new")
    form = _form(token, screening_id=str(screening_id), delivery_type="freight_forwarder")
    done = client.post("/reports/new", data=form, follow_redirects=False)
    with session.begin():
        report = session.scalars(select(Report)).one()
        assert report.screening_id == screening_id
    assert done.headers["location"] == f"/reports/{report.id}"
    # The order's codes read as words on the report.
    order_facts = client.get(f"/reports/{report.id}").text
    assert "<dd>freight forwarder</dd>" in order_facts and "freight_forwarder" not in order_facts
    # Someone who may not read the screening gets no pre-filled form.
    stranger = log_in(app, people.other_company)
    assert stranger.get(f"/reports/new?screening={screening_id}").status_code == 404


def test_the_authority_works_the_report_through_forms(session: Session, app: FastAPI) -> None:
    people = make_people(session)
    client = TestClient(app)
    report = file_report(client, people.reporter)
    authority = log_in(app, people.de_authority)
    path = f"/reports/{report['id']}"
    token = csrf(authority, path)
    page = authority.get(path).text
    assert 'id="acknowledge"' in page and "Assign to" in page
    authority.post(f"{path}/acknowledge", data={"csrf_token": token})
    authority.post(
        f"{path}/messages", data={"csrf_token": token, "body": "End user?", "kind": "request"}
    )
    authority.post(
        f"{path}/messages", data={"csrf_token": token, "body": "Secret note", "kind": "note"}
    )
    authority.post(
        f"{path}/refer", data={"csrf_token": token, "organisation_id": str(people.de_police.org.id)}
    )
    closed = authority.post(
        f"{path}/close",
        data={"csrf_token": token, "outcome": "seizure", "message": "Seized at the border."},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    reporter = log_in(app, people.reporter)
    mine = reporter.get(path).text
    assert 'data-testid="feedback"' in mine and "Seized at the border." in mine
    assert "End user?" in mine and "Secret note" not in mine
    assert people.de_police.org.name not in mine
    assert "Secret note" in authority.get(path).text
    # A bad move is refused with a message, and nothing changes.
    again = authority.post(f"{path}/acknowledge", data={"csrf_token": token})
    assert "cannot become acknowledged" in again.text


def test_the_queue_lists_filters_and_exports(session: Session, app: FastAPI) -> None:
    people = make_people(session)
    client = TestClient(app)
    file_report(client, people.reporter)
    file_report(
        client,
        people.reporter,
        counterparty={"name": "Alpha Paints", "country": "PL"},
        substances=[{"substance": "toluene"}],
    )
    authority = log_in(app, people.de_authority)
    page = authority.get("/reports").text
    assert "Romashka Trading LLC" in page and "Alpha Paints" in page
    assert 'data-chart="report-status"' in page
    filtered = authority.get("/reports?country=PL").text
    assert "Alpha Paints" in filtered and "Romashka Trading LLC" not in filtered
    csv_text = authority.get("/reports/export.csv?country=PL").text
    assert "Alpha Paints" in csv_text and "Romashka" not in csv_text
    assert authority.get("/reports/export.xlsx").content.startswith(b"PK")
    nav = log_in(app, people.reporter).get("/reports").text
    assert 'href="/reports/new"' in nav


def test_the_screening_page_offers_to_file_a_report_when_the_decision_is_report(
    session: Session, app: FastAPI
) -> None:
    people = make_people(session)
    order = Order(
        order_id="SO-88",
        customer_name="Clean Lacquer GmbH",
        customer_country="DE",
        substance="acetone",
        quantity=20,
        unit="l",  # type: ignore[arg-type]
    )
    with session.begin():
        screened = screening_service.screen_orders(
            session, people.reporter.principal, [(2, order)], store=True
        )
    client = log_in(app, people.reporter)
    page = client.get(f"/screening/{screened[0].screening_id}").text
    assert screened[0].result.decision != "report"
    assert 'id="file-report"' not in page
    with session.begin():
        stored = session.get(Screening, screened[0].screening_id)
        assert stored is not None
        stored.decision = "report"
    page = client.get(f"/screening/{screened[0].screening_id}").text
    assert f'href="/reports/new?screening={screened[0].screening_id}"' in page
    assert 'id="file-report"' in page
