"""The people of incident tests: DE customs, police, two licensing officers; PL police;
DE industry (vetted) and another company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind
from precx.db import utc_now
from tests.fixtures.builders import Member, make_member, make_org

YESTERDAY = (utc_now() - timedelta(days=1)).date()
NEXT_MONTH = (utc_now() + timedelta(days=30)).date()


@dataclass
class Cast:
    """Who acts in an incident test."""

    customs: Member
    police: Member
    officer: Member
    second_officer: Member
    pl_police: Member
    industry: Member
    other_industry: Member


@pytest.fixture
def cast(session: Session) -> Cast:
    with session.begin():
        customs = make_org(session, OrgKind.customs, "DE", name="Zoll Hamburg (test)")
        police = make_org(session, OrgKind.law_enforcement, "DE", name="BKA (test)")
        authority = make_org(session, OrgKind.licensing_authority, "DE", name="BfArM (test)")
        pl_police = make_org(session, OrgKind.law_enforcement, "PL")
        industry = make_org(session, OrgKind.industry, "DE", vetted=True, name="Rheinchem GmbH")
        other = make_org(session, OrgKind.industry, "DE", vetted=True, name="Other Chem AG")
        return Cast(
            make_member(session, customs),
            make_member(session, police),
            make_member(session, authority),
            make_member(session, authority),
            make_member(session, pl_police),
            make_member(session, industry),
            make_member(session, other),
        )


def seizure(**changes: Any) -> dict[str, Any]:
    """The body of a seizure incident at the port of Hamburg."""
    body: dict[str, Any] = {
        "kind": "seizure",
        "title": "Acetic anhydride in drums declared as solvent",
        "occurred_on": YESTERDAY.isoformat(),
        "place": "Port of Hamburg",
        "country": "DE",
        "latitude": 53.54,
        "longitude": 9.97,
        "reporting_agency": "Zoll Hamburg",
        "substances": [
            {
                "substance": "acetic anhydride",
                "quantity": 2400,
                "unit": "l",
                "concentration": "99%",
                "packaging": "12 blue drums of 200 l",
            }
        ],
        "parties": [
            {
                "kind": "company",
                "value": "Nordwind Trading FZE",
                "country": "AE",
                "role": "consignee",
            },
            {"kind": "person", "value": "Jan Kowalski", "country": "PL"},
            {"kind": "phone", "value": "+971 4 555 0100"},
            {"kind": "vessel", "value": "MV Baltic Star"},
        ],
        "route": [
            {"leg": "origin", "country": "CN", "place": "Tianjin"},
            {"leg": "transit", "country": "DE", "place": "Hamburg"},
            {"leg": "destination", "country": "NL"},
        ],
        "concealment": "Declared as industrial solvent",
        "modus_operandi": "Front company ordering through a forwarder",
        "narrative": "Drums found during a risk-targeted inspection (fictional).",
        "distribution": "country_authorities",
        "tlp": "amber",
    }
    body.update(changes)
    return body
