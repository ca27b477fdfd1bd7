"""Licensing pages: the register, issuing in the form, a licence's actions, verify, ALR."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.licensing.models import Licence, LicenceVersion
from tests.fixtures.builders import Member, log_in
from tests.fixtures.licences import TODAY, issue
from tests.licensing.conftest import Cast


def csrf(client: TestClient, path: str = "/verify") -> str:
    page = client.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _as(client: TestClient, member: Member) -> TestClient:
    return log_in(client, member)


def test_the_authority_issues_a_licence_in_the_form(
    session: Session, client: TestClient, cast: Cast
) -> None:
    web = _as(client, cast.de_authority)
    assert "Licences" in web.get("/").text
    form = {
        "csrf_token": csrf(web, "/licences/new"),
        "kind": "licence",
        "number": "DE-777",
        "holder_organisation_id": str(cast.de_industry.org.id),
        "holder_name": "Rheinchem Handel GmbH",
        "substances": "ephedrine\n90-82-4",
        "activities": ["possession", "import"],
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY - timedelta(days=1)).isoformat(),
        "quantity_limits": "ephedrine=100",
    }
    refused = web.post("/licences/new", data=form)
    assert refused.status_code == 422
    assert "valid_until must not be before valid_from" in refused.text
    form["valid_until"] = (TODAY + timedelta(days=365)).isoformat()
    answer = web.post("/licences/new", data=form, follow_redirects=True)
    assert answer.status_code == 200, answer.text
    assert 'data-testid="licence-status"' in answer.text and "DE-777" in answer.text
    with session.begin():
        licence = session.scalars(select(Licence)).one()
    assert licence.substances == ["ephedrine", "pseudoephedrine"]
    page = web.post(
        f"/licences/{licence.id}/status",
        data={"csrf_token": csrf(web, "/licences"), "action": "suspend", "reason": "Audit"},
        follow_redirects=True,
    )
    assert "suspended" in page.text
    assert "Audit" in web.get(f"/licences/{licence.id}").text
    listed = web.get("/licences", params={"status": "suspended"}).text
    assert "DE-777" in listed
    assert "DE-777" not in web.get("/licences", params={"status": "active"}).text


def test_the_register_names_substances_and_categories_as_the_catalog_does(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    issue(
        session,
        cast.de_authority,
        kind="registration",
        number="DE-REG-2B-9",
        substances=[],
        categories=["2B"],
        quantity_limits={},
    )
    listed = _as(client, cast.de_authority).get("/licences").text
    # The catalog's names, not its ids (p2p), which a licensing officer does not know.
    assert "Ephedrine, 1-Phenyl-2-propanone" in listed
    assert ">ephedrine, p2p<" not in listed
    assert "category 2B" in listed


def test_industry_verifies_a_counterparty_and_sees_only_the_answer(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    web = _as(client, cast.other_industry)
    assert "Verify a licence" in web.get("/").text
    page = web.post(
        "/verify",
        data={"csrf_token": csrf(web), "country": "DE", "number": "DE-123", "substance": "P-2-P"},
    )
    assert 'data-status="valid"' in page.text
    assert "Rheinchem Handel GmbH (fictional)" in page.text
    assert "locked cage" not in page.text and "Warehouse 3" not in page.text
    unknown = web.post(
        "/verify", data={"csrf_token": csrf(web), "country": "DE", "number": "DE-404"}
    )
    assert 'data-status="not_found"' in unknown.text
    assert "DE-123" not in web.get("/licences").text


def test_the_authority_sees_the_verification_log_and_alr(
    session: Session, client: TestClient, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    industry = _as(client, cast.other_industry)
    industry.post(
        "/verify", data={"csrf_token": csrf(industry), "country": "DE", "number": "DE-123"}
    )
    industry.cookies.clear()
    web = _as(client, cast.de_authority)
    log = web.get("/licences/verifications").text
    assert "Other Chem AG" in log and "DE-123" in log
    saved = web.post(
        "/alr/set",
        data={"csrf_token": csrf(web, "/alr"), "substance": "ephedrine", "quantity_kg": "1,500"},
        follow_redirects=True,
    )
    assert "1,500" in saved.text
    imported = web.post(
        "/alr/import",
        files={"file": ("alr.csv", b"country,substance,quantity_kg\nDE,nothing,1\n", "text/csv")},
        data={"csrf_token": csrf(web, "/alr")},
        follow_redirects=True,
    )
    assert "alr.csv:2:2" in imported.text
    registered = web.post(
        "/licences/import",
        files={"file": ("r.csv", b"kind,country,number\nlicence,DE,X\n", "text/csv")},
        data={"csrf_token": csrf(web, "/licences")},
        follow_redirects=True,
    )
    assert "required column" in registered.text


def test_amend_and_renew_in_the_forms(session: Session, client: TestClient, cast: Cast) -> None:
    licence = issue(session, cast.de_authority)
    web = _as(client, cast.de_authority)
    form_page = web.get(f"/licences/{licence.id}/amend").text
    assert "Storage in a locked cage." in form_page
    token = csrf(web, "/licences")
    answer = web.post(
        f"/licences/{licence.id}/amend",
        data={
            "csrf_token": token,
            "holder_name": "Rheinchem Handel GmbH (fictional)",
            "substances": "ephedrine",
            "activities": ["possession", "import"],
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat(),
            "quantity_limits": "ephedrine=100",
            "reason": "Lower limit",
        },
        follow_redirects=True,
    )
    assert "has been amended" in answer.text and "Lower limit" in answer.text
    renewed = web.post(
        f"/licences/{licence.id}/renew",
        data={"csrf_token": token, "valid_until": (TODAY + timedelta(days=2000)).isoformat()},
        follow_redirects=True,
    )
    assert "is valid until" in renewed.text
    too_early = web.post(
        f"/licences/{licence.id}/renew",
        data={"csrf_token": token, "valid_until": TODAY.isoformat()},
        follow_redirects=True,
    )
    assert "Not renewed" in too_early.text
    with session.begin():
        versions = [
            v.action
            for v in session.scalars(select(LicenceVersion).order_by(LicenceVersion.version))
        ]
    assert versions == ["issued", "amended", "renewed"]
