"""Order screening asks the register: a licence that does not verify is a finding."""

from __future__ import annotations

from sqlalchemy.orm import Session

from precx.licensing import service as licensing_service
from precx.licensing.schemas import StatusChange
from precx.screening import service as screening_service
from precx.screening.orders import Order
from tests.fixtures.licences import issue
from tests.licensing.conftest import Cast


def _order(number: str | None, country: str = "DE") -> Order:
    return Order.model_validate(
        {
            "order_id": "SO-77",
            "customer_name": "Rheinchem Handel GmbH",
            "customer_country": country,
            "substance": "ephedrine",
            "quantity": 20,
            "unit": "kg",
            "customer_since": "2019-01-01",
            "customer_licence_number": number,
            "declared_end_use": "pharmaceutical production",
        }
    )


def _licence_findings(session: Session, cast: Cast, order: Order) -> list[str]:
    with session.begin():
        screened = screening_service.screen_orders(
            session, cast.de_industry.principal, [(1, order)], store=False
        )
    return [f.message for f in screened[0].result.findings if f.code == "LICENCE_MISSING"]


def test_a_suspended_licence_is_a_finding_with_a_plain_message(
    session: Session, cast: Cast
) -> None:
    licence = issue(session, cast.de_authority)
    assert _licence_findings(session, cast, _order("DE-123")) == []
    with session.begin():
        licensing_service.suspend_licence(
            session, cast.de_authority.principal, licence.id, data=StatusChange(reason="Audit")
        )
    messages = _licence_findings(session, cast, _order("DE-123"))
    assert len(messages) == 1
    assert messages[0].startswith("Licence DE-123 is suspended: ")


def test_an_unknown_number_is_a_finding_only_where_the_register_is_kept(
    session: Session, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    assert "not in the register of DE" in _licence_findings(session, cast, _order("DE-999"))[0]
    # No register of France on the platform: nothing to judge the number by.
    assert _licence_findings(session, cast, _order("FR-1", "FR")) == []


def test_a_licence_for_other_substances_is_not_covering(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority, substances=["pseudoephedrine"], quantity_limits={})
    assert "does not cover Ephedrine" in _licence_findings(session, cast, _order("DE-123"))[0]


def test_a_registration_number_is_checked_in_the_register_too(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    order = _order(None).model_copy(
        update={"substance": "phenylacetic acid", "customer_registration_number": "DE-R-404"}
    )
    with session.begin():
        screened = screening_service.screen_orders(
            session, cast.de_industry.principal, [(1, order)], store=False
        )
    found = [f.message for f in screened[0].result.findings if f.code == "REGISTRATION_MISSING"]
    assert found and "DE-R-404 is not in the register of DE" in found[0]
