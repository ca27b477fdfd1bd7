"""Declarations against the real licence register: valid, over the limit, suspended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from precx.declarations import service as declarations_service
from precx.kit.problems import InvalidInput
from precx.licensing import service as licensing_service
from precx.licensing.schemas import LicenceCreate, StatusChange
from tests.declarations.helpers import make_parties, sign_data


def test_the_customers_licence_is_verified_in_the_register(session: Session) -> None:
    declarations_service.check_limiter.reset()
    with session.begin():
        parties = make_parties(session)
        licence = licensing_service.issue_licence(
            session,
            parties.authority.principal,
            data=LicenceCreate.model_validate(
                {
                    "kind": "licence",
                    "country": "DE",
                    "number": "DE-L1-TEST-1",
                    "holder_organisation_id": parties.customer.org.id,
                    "holder_name": parties.customer.org.name,
                    "substances": ["ephedrine"],
                    "activities": ["possession", "manufacture"],
                    "valid_from": date(2024, 1, 1),
                    "valid_until": declarations_service.today() + timedelta(days=700),
                    "quantity_limits": {"ephedrine": 50.0},
                }
            ),
        )
    supplier_id = parties.supplier.principal.organisation_id
    customer = parties.customer.principal

    def sign(quantity: float) -> None:
        declarations_service.sign_declaration(
            session,
            customer,
            data=sign_data(
                supplier_id,
                substance="ephedrine",
                quantity=quantity,
                licence_number="DE-L1-TEST-1",
                intended_use="manufacture of nasal decongestant tablets in our plant",
            ),
        )

    with pytest.raises(InvalidInput) as over, session.begin():
        sign(60)
    assert [e.field for e in over.value.errors] == ["body.quantity"]
    with session.begin():
        sign(40)
    with session.begin():
        licensing_service.suspend_licence(
            session,
            parties.authority.principal,
            licence.id,
            data=StatusChange(reason="inspection pending"),
        )
    with pytest.raises(InvalidInput) as suspended, session.begin():
        sign(10)
    assert [e.field for e in suspended.value.errors] == ["body.licence_number"]
    assert "suspended" in suspended.value.detail
