"""What a country's operators declared in a year, against its annual legitimate requirements."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.declarations import service as declarations_service
from precx.kit.problems import Forbidden
from precx.licensing import service as licensing_service
from precx.licensing.schemas import RequirementSet
from tests.declarations.helpers import FakeRegister, make_parties, signed
from tests.fixtures.builders import log_in


def test_declared_quantities_stand_beside_the_requirements(
    session: Session, register: FakeRegister, client: TestClient
) -> None:
    with session.begin():
        parties = make_parties(session)
        licensing_service.set_requirement(
            session,
            parties.authority.principal,
            data=RequirementSet(country="DE", substance="acetone", quantity_kg=120.0),
        )
        licensing_service.set_requirement(
            session,
            parties.authority.principal,
            data=RequirementSet(country="DE", substance="ephedrine", quantity_kg=500.0),
        )
        signed(session, parties, quantity=100.0)
        signed(session, parties, quantity=50.0)
    year = declarations_service.today().year
    with session.begin():
        rows = declarations_service.requirement_use(
            session, parties.authority.principal, country="DE", year=year
        )
    by_id = {r.substance_id: r for r in rows}
    assert by_id["acetone"].declared_kg == 150.0 and by_id["acetone"].share == pytest.approx(1.25)
    assert by_id["ephedrine"].declared_kg == 0.0 and by_id["ephedrine"].share == 0.0
    assert rows[0].substance_id == "acetone"  # the most over its requirement comes first

    page = log_in(client, parties.authority).get("/declarations/alr-use")
    assert page.status_code == 200
    assert 'data-chart="alr-use"' in page.text and "125%" in page.text


def test_only_the_countrys_authorities_see_it(session: Session, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
    year = declarations_service.today().year
    for outsider, country in (
        (parties.customer, "DE"),
        (parties.foreign_authority, "DE"),
    ):
        with pytest.raises(Forbidden), session.begin():
            declarations_service.requirement_use(
                session, outsider.principal, country=country, year=year
            )
