"""Organisations most licensing tests need: DE and PL authorities, DE industry, DE customs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind
from tests.fixtures.builders import Member, make_member, make_org


@dataclass
class Cast:
    """The people of a licensing test."""

    de_authority: Member
    pl_authority: Member
    de_customs: Member
    de_industry: Member
    other_industry: Member


@pytest.fixture
def cast(session: Session) -> Cast:
    with session.begin():
        de_auth = make_org(session, OrgKind.licensing_authority, "DE", name="BfArM (test)")
        pl_auth = make_org(session, OrgKind.licensing_authority, "PL")
        customs = make_org(session, OrgKind.customs, "DE")
        industry = make_org(session, OrgKind.industry, "DE", name="Rheinchem Handel GmbH")
        other = make_org(session, OrgKind.industry, "DE", name="Other Chem AG")
        return Cast(
            make_member(session, de_auth),
            make_member(session, pl_auth),
            make_member(session, customs),
            make_member(session, industry),
            make_member(session, other),
        )
