"""Who sees the licence register: authorities read it, its own authority edits, industry sees
only licences it holds and otherwise only the verification answer."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind
from tests.fixtures.builders import Member, make_member, make_org
from tests.fixtures.licences import TODAY, issue


def _people(session: Session) -> dict[str, Member]:
    with session.begin():
        orgs = {
            "de_authority": make_org(session, OrgKind.licensing_authority, "DE"),
            "pl_authority": make_org(session, OrgKind.licensing_authority, "PL"),
            "de_customs": make_org(session, OrgKind.customs, "DE"),
            "de_police": make_org(session, OrgKind.law_enforcement, "DE"),
            "holder": make_org(session, OrgKind.industry, "DE", vetted=True),
            "stranger": make_org(session, OrgKind.industry, "DE", vetted=True),
            "carrier": make_org(session, OrgKind.logistics, "DE", vetted=True),
        }
        return {name: make_member(session, org) for name, org in orgs.items()}


def test_industry_sees_only_its_own_licences_and_the_verify_answer(
    session: Session, client: TestClient
) -> None:
    people = _people(session)
    held = issue(session, people["de_authority"], holder_organisation_id=people["holder"].org.id)
    other = issue(
        session,
        people["de_authority"],
        number="DE-900",
        holder_name="Someone Else GmbH",
        holder_registration_number="HRB 9",
    )
    holder, stranger = people["holder"].headers, people["stranger"].headers
    assert [
        i["number"] for i in client.get("/api/v1/licences", headers=holder).json()["items"]
    ] == ["DE-123"]
    assert client.get(f"/api/v1/licences/{held.id}", headers=holder).status_code == 200
    assert client.get(f"/api/v1/licences/{other.id}", headers=holder).status_code == 404
    for who in (stranger, people["carrier"].headers):
        assert client.get("/api/v1/licences", headers=who).json()["total"] == 0
        assert client.get(f"/api/v1/licences/{held.id}", headers=who).status_code == 404
        assert client.get(f"/api/v1/licences/{held.id}/history", headers=who).status_code == 404
        exported = client.get("/api/v1/licences/export.csv", headers=who).text
        assert "DE-123" not in exported and "DE-900" not in exported
        answer = client.get(
            "/api/v1/licences/verify", params={"country": "DE", "number": "DE-123"}, headers=who
        ).json()
        assert answer["status"] == "valid"
        assert "conditions" not in answer and "premises" not in answer


def test_a_licensing_authority_edits_only_its_own_countrys_licences(
    session: Session, client: TestClient
) -> None:
    people = _people(session)
    pl_licence = issue(session, people["pl_authority"], country="PL", number="PL-1")
    de = people["de_authority"].headers
    assert client.get(f"/api/v1/licences/{pl_licence.id}", headers=de).status_code == 200
    for path, body in (
        ("suspend", {"reason": "x"}),
        ("revoke", {"reason": "x"}),
        ("renew", {"valid_until": (TODAY + timedelta(days=2000)).isoformat()}),
    ):
        answer = client.post(f"/api/v1/licences/{pl_licence.id}/{path}", json=body, headers=de)
        assert answer.status_code == 403, path
    amended = client.put(
        f"/api/v1/licences/{pl_licence.id}",
        json={
            "holder_name": "Hijacked",
            "substances": ["ephedrine"],
            "activities": ["import"],
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + timedelta(days=10)).isoformat(),
        },
        headers=de,
    )
    assert amended.status_code == 403
    pl_in_de = {
        "kind": "licence",
        "country": "PL",
        "number": "PL-2",
        "holder_name": "x",
        "substances": ["ephedrine"],
        "activities": ["import"],
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=10)).isoformat(),
    }
    assert client.post("/api/v1/licences", json=pl_in_de, headers=de).status_code == 403


def test_customs_and_police_read_but_do_not_edit(session: Session, client: TestClient) -> None:
    people = _people(session)
    licence = issue(session, people["de_authority"])
    for name in ("de_customs", "de_police"):
        headers = people[name].headers
        assert client.get(f"/api/v1/licences/{licence.id}", headers=headers).status_code == 200
        assert client.get("/api/v1/licences", headers=headers).json()["total"] == 1
        answer = client.post(
            f"/api/v1/licences/{licence.id}/suspend", json={"reason": "x"}, headers=headers
        )
        assert answer.status_code == 403
        log = client.get("/api/v1/licences/verifications", headers=headers)
        assert log.status_code == 403
