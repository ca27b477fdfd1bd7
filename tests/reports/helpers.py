"""Who takes part in the report tests, and a report body to start from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import Member, make_member, make_org


@dataclass
class People:
    """A reporter in DE, its country's authorities, and outsiders."""

    reporter: Member  # an analyst of the reporting company
    colleague_reporter: Member  # a reporter-role user of the same company
    de_authority: Member
    de_police: Member
    de_customs: Member
    pl_authority: Member
    pl_police: Member
    other_company: Member
    carrier: Member


def make_people(session: Session) -> People:
    with session.begin():
        company = make_org(session, OrgKind.industry, "DE", vetted=True)
        authority = make_org(session, OrgKind.licensing_authority, "DE")
        return People(
            reporter=make_member(session, company),
            colleague_reporter=make_member(session, company, Role.reporter),
            de_authority=make_member(session, authority),
            de_police=make_member(session, make_org(session, OrgKind.law_enforcement, "DE")),
            de_customs=make_member(session, make_org(session, OrgKind.customs, "DE")),
            pl_authority=make_member(session, make_org(session, OrgKind.licensing_authority, "PL")),
            pl_police=make_member(session, make_org(session, OrgKind.law_enforcement, "PL")),
            other_company=make_member(
                session, make_org(session, OrgKind.industry, "DE", vetted=True)
            ),
            carrier=make_member(session, make_org(session, OrgKind.logistics, "DE", vetted=True)),
        )


def report_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "suspicious_order",
        "counterparty": {
            "name": "Romashka Trading LLC",
            "country": "RU",
            "address": "ul. Lenina 1, Moscow",
            "identifiers": [{"type": "inn", "value": "7701234567"}],
            "email": "buy@romashka.example",
            "phone": "+7 495 000 00 00",
        },
        "substances": [{"substance": "acetone", "quantity": 500, "unit": "l"}],
        "order": {"order_ref": "SO-1", "payment_method": "cash", "delivery_country": "KZ"},
        "red_flags": ["PAYMENT_UNUSUAL", "DELIVERY_COUNTRY_DIFFERS"],
        "red_flags_other": "Insisted on unmarked drums.",
        "action_taken": "refused",
        "narrative": "First-time buyer asked for 500 l acetone, cash, delivery via a forwarder.",
    }
    body.update(changes)
    return body


def file_report(client: TestClient, member: Member, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/reports", json=report_body(**changes), headers=member.headers)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result
