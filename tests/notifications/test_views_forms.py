"""The forms of notifications: an authority notifies by hand and amends; an exporter applies for
several substances; whoever may not use a form finds nothing at its address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, OrgStatus
from precx.notifications import service as notifications_service
from precx.notifications.models import ExportApplication, PreExportNotification
from tests.fixtures.builders import make_org
from tests.notifications.helpers import People, begin, notify, people
from tests.notifications.test_views import _log_in, n_days


def _notification_form(token: str, **changes: Any) -> dict[str, Any]:
    """What an officer of the German authority types to notify two substances to Kazakhstan."""
    form: dict[str, Any] = {
        "csrf_token": token,
        "kind": "standard",
        "exporter_name": "Rheinfeld Chemie GmbH (fictional)",
        "exporter_address": "Industriestr. 5, Köln",
        "importer_name": "Steppe Pharma LLP (fictional)",
        "importer_country": "KZ",
        "importer_address": "Abay ave 1, Almaty",
        "importer_licence_number": "KZ-LIC-7",
        "substance": ["ephedrine", "acetic anhydride"],
        "quantity": ["120", "800"],
        "unit": ["kg", "kg"],
        "concentration_percent": ["100", "99"],
        "packaging": ["6 drums of 20 kg", "4 IBC"],
        "transport_mode": "road",
        "exit_point": "Frankfurt (Oder)",
        "transit_countries": "PL",
        "entry_point": "Khorgos",
        "dispatch_date": n_days(20),
        "export_authorisation_number": "DE-EA-2026-0099",
        "internal_notes": "Checked by phone (internal).",
    }
    form.update(changes)
    return form


def _stored(session: Session, model: Any) -> list[Any]:
    with begin(session):
        # The app changed the rows in its own session: read them afresh.
        query = select(model).order_by(model.id).execution_options(populate_existing=True)
        rows = list(session.scalars(query))
        # Detached, they are read without a new transaction holding the database.
        for row in rows:
            session.expunge(row)
    return rows


def _count(session: Session, model: Any) -> int:
    with begin(session):
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_authority_notifies_two_substances_through_the_form(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    outbox = client.get("/notifications?box=outbox")
    assert 'href="/notifications/new"' in outbox.text
    page = client.get("/notifications/new")
    assert page.status_code == 200 and page.text.count('data-testid="line-row"') == 1

    # Without JavaScript, "Add a substance" submits the form and gets it back with one more row.
    more = client.post(
        "/notifications/new",
        data=_notification_form(
            token, substance="ephedrine", quantity="120", unit="kg", add_line="1"
        ),
    )
    assert more.status_code == 200 and more.text.count('data-testid="line-row"') == 2
    assert 'value="ephedrine"' in more.text and "Steppe Pharma LLP" in more.text
    assert _count(session, PreExportNotification) == 0
    # With htmx, the button fetches the next row, numbered after those already there.
    row = client.get("/export-applications/substance-row", params={"substance": ["a", "b"]})
    assert row.status_code == 200 and 'aria-label="Quantity 3"' in row.text

    sent = client.post("/notifications/new", data=_notification_form(token), follow_redirects=False)
    assert sent.status_code == 303
    (n,) = _stored(session, PreExportNotification)
    assert sent.headers["location"] == f"/notifications/{n.id}"
    assert [(line["substance_name"].lower(), line["quantity"]) for line in n.lines] == [
        ("ephedrine", 120),
        ("acetic anhydride", 800),
    ]
    assert n.lines[1]["concentration_percent"] == 99 and n.lines[1]["packaging"] == "4 IBC"
    assert (n.importer_country, n.transit_countries, n.exporter_country) == ("KZ", ["PL"], "DE")
    assert n.internal_notes == "Checked by phone (internal)." and n.status == "sent"

    shown = client.get(sent.headers["location"])
    assert n.reference in shown.text and f"Notification {n.reference} sent." in shown.text
    assert shown.text.count('<tr><td><a href="/substances/') == 2


@pytest.mark.parametrize(
    ("changes", "error_id", "message"),
    [
        (
            {"substance": ["ephedrine", "unobtainium"]},
            "line-1-substance-error",
            "unknown substance",
        ),
        ({"quantity": ["120", "-5"]}, "line-1-quantity-error", "greater than 0"),
        ({"importer_country": ""}, "importer_country-error", ""),
        ({"dispatch_date": n_days(-2)}, "dispatch_date-error", "in the past"),
        ({"transit_countries": "PL, QQ"}, "transit_countries-error", "country code"),
    ],
)
def test_a_bad_field_shows_its_error_and_stores_nothing(
    session: Session, client: TestClient, changes: dict[str, Any], error_id: str, message: str
) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    refused = client.post("/notifications/new", data=_notification_form(token, **changes))
    assert refused.status_code == 422
    error = re.search(rf'<small id="{error_id}" class="error">([^<]*)</small>', refused.text)
    assert error is not None and message in error.group(1)
    assert f'aria-describedby="{error_id}"' in refused.text
    # What was typed stays in the form.
    assert 'value="Steppe Pharma LLP (fictional)"' in refused.text
    assert 'value="acetic anhydride"' in refused.text or "acetic anhydride" not in str(changes)
    assert _count(session, PreExportNotification) == 0


def test_amending_changes_the_terms_and_the_history_shows_it(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    token = _log_in(client, p.de_authority)
    assert f'href="/notifications/{n.id}/amend"' in client.get(f"/notifications/{n.id}").text
    form = client.get(f"/notifications/{n.id}/amend")
    assert form.status_code == 200 and 'value="Frankfurt (Oder)"' in form.text
    assert "No changes yet." in form.text

    refused = client.post(
        f"/notifications/{n.id}/amend",
        data={
            "csrf_token": token,
            "exit_point": "Świecko",
            "dispatch_date": n.dispatch_date.isoformat(),
        },
    )
    assert refused.status_code == 422 and 'id="reason-error"' in refused.text
    assert 'value="Świecko"' in refused.text

    later = n_days(30)
    done = client.post(
        f"/notifications/{n.id}/amend",
        data={
            "csrf_token": token,
            "dispatch_date": later,
            "transport_mode": "road",
            "exit_point": "Świecko",
            "entry_point": "Khorgos",
            "import_permit_number": "KZ-IP-88",
            "notes": "Tablet production (fictional).",
            "internal_notes": "Watch this importer (internal).",
            "reason": "The carrier changed the border crossing",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    (stored,) = _stored(session, PreExportNotification)
    assert stored.exit_point == "Świecko" and stored.dispatch_date.isoformat() == later
    assert [line["quantity"] for line in stored.lines] == [120]

    detail = client.get(done.headers["location"])
    amendment = re.search(r'<li data-testid="amendment">(.*?)</li>', detail.text, re.S)
    assert amendment is not None
    assert "The carrier changed the border crossing" in amendment.group(1)
    assert "Frankfurt (Oder) → Świecko" in amendment.group(1)
    history = client.get(f"/notifications/{n.id}/amend").text
    assert 'data-testid="amendments"' in history and "Frankfurt (Oder) → Świecko" in history

    # The importing authority reads the change too, without the internal notes.
    _log_in(client, p.kz_customs)
    assert "Frankfurt (Oder) → Świecko" in client.get(f"/notifications/{n.id}").text


def test_whoever_may_not_notify_or_amend_finds_nothing(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    amend_form = {"csrf_token": "", "exit_point": "Elsewhere", "reason": "Trying"}
    for member in (p.exporter, p.kz_authority, p.pl_authority, p.de_customs):
        token = _log_in(client, member)
        page = client.get(f"/notifications/{n.id}")
        assert f"/notifications/{n.id}/amend" not in page.text
        assert client.get(f"/notifications/{n.id}/amend").status_code == 404
        posted = client.post(
            f"/notifications/{n.id}/amend", data={**amend_form, "csrf_token": token}
        )
        assert posted.status_code == 404
    for member in (p.exporter, p.de_customs, p.de_police):
        token = _log_in(client, member)
        assert 'href="/notifications/new"' not in client.get("/notifications").text
        assert client.get("/notifications/new").status_code == 404
        posted = client.post("/notifications/new", data=_notification_form(token))
        assert posted.status_code == 404
    (stored,) = _stored(session, PreExportNotification)
    assert stored.exit_point == "Frankfurt (Oder)"


def test_the_application_form_stores_two_substances(session: Session, client: TestClient) -> None:
    p = people(session)
    token = _log_in(client, p.exporter)
    form = _notification_form(token)
    for name in ("exporter_name", "exporter_address", "internal_notes"):
        del form[name]
    more = client.post("/export-applications/new", data={**form, "add_line": "1"})
    assert more.status_code == 200 and more.text.count('data-testid="line-row"') == 3
    refused = client.post("/export-applications/new", data={**form, "quantity": ["120", "abc"]})
    assert refused.status_code == 422 and 'id="line-1-quantity-error"' in refused.text
    assert _count(session, ExportApplication) == 0

    accepted = client.post("/export-applications/new", data=form, follow_redirects=False)
    assert accepted.status_code == 303
    (application,) = _stored(session, ExportApplication)
    assert [line["quantity"] for line in application.lines] == [120, 800]
    assert len({line["substance_id"] for line in application.lines}) == 2


def _exporter_select(page: str) -> str:
    """The form's "Exporter on the platform" select."""
    select = re.search(r'<select id="exporter_organisation_id"[^>]*>.*?</select>', page, re.S)
    assert select is not None
    return select.group(0)


def _exporter_options(page: str) -> dict[str, str]:
    """The options of the exporter select: names by value."""
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', _exporter_select(page))
    return {value: name.strip() for value, name in options}


def _selected_exporter(page: str) -> str | None:
    """The value of the exporter select's chosen option, if one is."""
    chosen = re.findall(r'<option value="([^"]*)" selected>', _exporter_select(page))
    assert len(chosen) <= 1
    return chosen[0] if chosen else None


def _notify_linking_the_exporter(
    session: Session, client: TestClient, p: People
) -> PreExportNotification:
    """The German authority notifies by hand, choosing the registered exporter, name left empty."""
    token = _log_in(client, p.de_authority)
    exporter_id = str(p.exporter.org.id)
    assert exporter_id in _exporter_options(client.get("/notifications/new").text)
    sent = client.post(
        "/notifications/new",
        data=_notification_form(token, exporter_organisation_id=exporter_id, exporter_name=""),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (n,) = _stored(session, PreExportNotification)
    assert sent.headers["location"] == f"/notifications/{n.id}"
    return n


def test_an_authority_links_a_registered_exporter_through_the_form(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    n = _notify_linking_the_exporter(session, client, p)
    assert n.exporter_organisation_id == p.exporter.org.id
    # The name left empty: the chosen organisation's name is taken, not typed twice.
    assert n.exporter_name == p.exporter.org.name


def test_the_linked_exporter_follows_the_status_and_another_company_sees_nothing(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    n = _notify_linking_the_exporter(session, client, p)
    client.cookies.clear()
    # The export joins the exporter's applications, already notified; the status is all it shows.
    (mine,) = client.get("/api/v1/export-applications", headers=p.exporter.headers).json()["items"]
    assert mine["status"] == "notified"
    seen = client.get(f"/api/v1/export-applications/{mine['id']}", headers=p.exporter.headers)
    assert seen.json()["notification"]["reference"] == n.reference
    assert seen.json()["notification"]["exporter_status"] == "sent"
    assert seen.json()["recorded_by_authority"] is True
    assert "Checked by phone" not in seen.text  # the authority's internal notes
    # The notification itself stays the authorities' (status only, as for an application).
    assert (
        client.get(f"/api/v1/notifications/{n.id}", headers=p.exporter.headers).status_code == 404
    )
    objected = client.post(
        f"/api/v1/notifications/{n.id}/responses",
        json={"answer": "objected", "reason": "Importer not licensed"},
        headers=p.kz_authority.headers,
    )
    assert objected.status_code == 200
    again = client.get(f"/api/v1/export-applications/{mine['id']}", headers=p.exporter.headers)
    assert again.json()["notification"]["exporter_status"] == "objected"
    # Another company of the same country sees neither the application nor the notification.
    other = p.other_industry.headers
    assert client.get("/api/v1/export-applications", headers=other).json()["items"] == []
    assert client.get(f"/api/v1/export-applications/{mine['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/notifications/{n.id}", headers=other).status_code == 404


def test_a_notification_without_a_registered_exporter_links_none(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    sent = client.post(
        "/notifications/new",
        data=_notification_form(token, exporter_organisation_id=""),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (n,) = _stored(session, PreExportNotification)
    assert n.exporter_organisation_id is None
    assert n.exporter_name == "Rheinfeld Chemie GmbH (fictional)"
    client.cookies.clear()
    seen = client.get(f"/api/v1/notifications/{n.id}", headers=p.exporter.headers)
    assert seen.status_code == 404


def test_the_form_offers_only_the_companies_of_the_authoritys_country(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    with begin(session):
        # Registered last, first by name (in any collation); and a suspended company.
        first = make_org(session, OrgKind.industry, "DE", name="Aachen Feinchemie AG (fictional)")
        suspended = make_org(session, OrgKind.industry, "DE", name="Bonn Solvents (fictional)")
        suspended.status = OrgStatus.suspended
        first_id, suspended_id = str(first.id), str(suspended.id)
    token = _log_in(client, p.de_authority)
    page = client.get("/notifications/new")
    options = _exporter_options(page.text)
    # The empty choice first, then the active German companies by name.
    assert list(options.items())[:2] == [
        ("", "Not on the platform"),
        (first_id, "Aachen Feinchemie AG (fictional)"),
    ]
    assert set(list(options)[2:]) == {str(p.exporter.org.id), str(p.other_industry.org.id)}
    assert options[str(p.exporter.org.id)] == "Rheinfeld Chemie GmbH (fictional)"
    for outsider in (p.kz_importer, p.de_authority, p.de_customs, p.de_police, p.kz_authority):
        assert str(outsider.org.id) not in options
        assert outsider.org.name not in options.values()
    assert suspended_id not in options
    assert _selected_exporter(page.text) is None
    # Whoever does not notify is offered no exporters at all.
    for member in (p.exporter, p.de_customs, p.de_police):
        assert notifications_service.exporters_for(session, member.principal) == []

    # The list comes back with the form after "Add a substance", the choice kept.
    more = client.post(
        "/notifications/new",
        data=_notification_form(
            token, exporter_organisation_id=str(p.other_industry.org.id), add_line="1"
        ),
    )
    assert more.status_code == 200 and _exporter_options(more.text) == options
    assert _selected_exporter(more.text) == str(p.other_industry.org.id)

    # Another country's authority is offered its own companies.
    _log_in(client, p.kz_authority)
    kz = _exporter_options(client.get("/notifications/new").text)
    assert kz == {"": "Not on the platform", str(p.kz_importer.org.id): p.kz_importer.org.name}


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("kz_importer", "not an exporter of your country"),
        ("de_customs", "not an exporter of your country"),
        ("999999", "not an exporter of your country"),
        ("abc", "valid integer"),
        ("0", "greater than or equal to 1"),
    ],
)
def test_an_exporter_the_authority_may_not_name_is_refused_beside_the_select(
    session: Session, client: TestClient, choice: str, message: str
) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    member = getattr(p, choice, None)
    value = str(member.org.id) if member is not None else choice
    refused = client.post(
        "/notifications/new", data=_notification_form(token, exporter_organisation_id=value)
    )
    assert refused.status_code == 422
    error = re.search(
        r'<small id="exporter_organisation_id-error" class="error">([^<]*)</small>', refused.text
    )
    assert error is not None and message in error.group(1)
    assert 'aria-describedby="exporter_organisation_id-error"' in refused.text
    # The rest of what was typed stays; nothing is stored.
    assert 'value="Steppe Pharma LLP (fictional)"' in refused.text
    assert 'value="Rheinfeld Chemie GmbH (fictional)"' in refused.text
    assert _count(session, PreExportNotification) == 0


def test_a_choice_is_kept_when_another_field_is_wrong(session: Session, client: TestClient) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    exporter_id = str(p.exporter.org.id)
    refused = client.post(
        "/notifications/new",
        data=_notification_form(
            token, exporter_organisation_id=exporter_id, exporter_name="", importer_country=""
        ),
    )
    assert refused.status_code == 422 and 'id="importer_country-error"' in refused.text
    assert _selected_exporter(refused.text) == exporter_id
    assert 'id="exporter_organisation_id-error"' not in refused.text
    assert _count(session, PreExportNotification) == 0
