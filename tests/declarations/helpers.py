"""Builders of declarations for the tests: parties, a stand-in licence register, valid data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Principal
from precx.declarations import service as declarations_service
from precx.declarations.models import CustomerDeclaration
from precx.declarations.schemas import DeclarationSign, PaperDeclaration
from precx.licensing.schemas import LicenceVerification, VerificationStatus
from tests.fixtures.builders import Member, make_member, make_org

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake scan\n"


@dataclass
class FakeRegister:
    """Licence numbers and what verifying them answers, in place of the licence register."""

    answers: dict[str, LicenceVerification] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self, number: str, status: str = "valid", limit: float | None = None
    ) -> LicenceVerification:
        answer = LicenceVerification(
            status=VerificationStatus(status),
            holder_name="holder",
            valid_from=date(2020, 1, 1),
            valid_until=date(2099, 1, 1),
            kind="licence",
            quantity_limit_kg=limit,
        )
        self.answers[number] = answer
        return answer

    def verify(
        self,
        session: Session,
        principal: Principal,
        *,
        country: str,
        number: str,
        substance: str | None = None,
        activity: str | None = None,
        log: bool = True,
    ) -> LicenceVerification:
        self.calls.append(
            {"country": country, "number": number, "substance": substance, "log": log}
        )
        return self.answers.get(number, LicenceVerification(status=VerificationStatus.not_found))


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> FakeRegister:
    fake = FakeRegister()
    monkeypatch.setattr(declarations_service.licensing_service, "verify", fake.verify)
    declarations_service.check_limiter.reset()
    return fake


@dataclass
class Parties:
    """A customer and a supplier in Germany, and a licensing authority of each country."""

    customer: Member
    supplier: Member
    authority: Member
    foreign_authority: Member
    outsider: Member


def make_parties(session: Session) -> Parties:
    return Parties(
        customer=make_member(session, make_org(session, OrgKind.industry, "DE")),
        supplier=make_member(session, make_org(session, OrgKind.industry, "FR")),
        authority=make_member(session, make_org(session, OrgKind.licensing_authority, "DE")),
        foreign_authority=make_member(
            session, make_org(session, OrgKind.licensing_authority, "FR")
        ),
        outsider=make_member(session, make_org(session, OrgKind.industry, "DE")),
    )


def sign_data(supplier_id: int, **changes: Any) -> DeclarationSign:
    values: dict[str, Any] = {
        "supplier_organisation_id": supplier_id,
        "substance": "acetone",
        "kind": "multiple",
        "quantity": 100.0,
        "unit": "kg",
        "intended_use": "solvent for cleaning printing presses in our plant",
        "customer_address": "Industriestr. 1, 10115 Berlin",
        "signatory_name": "Erika Mustermann",
        "signatory_position": "Managing director",
        "valid_until": declarations_service.today() + timedelta(days=300),
    }
    values.update(changes)
    return DeclarationSign.model_validate(values)


def paper_data(**changes: Any) -> PaperDeclaration:
    values: dict[str, Any] = {
        "customer_name": "Fictional Paints Ltd",
        "customer_country": "AT",
        "customer_address": "Farbgasse 3, 1010 Wien",
        "substance": "acetone",
        "kind": "single",
        "quantity": 50.0,
        "unit": "kg",
        "intended_use": "thinner for the production of wall paints",
        "signatory_name": "Max Muster",
        "signatory_position": "Head of purchasing",
        "signed_on": declarations_service.today(),
        "valid_until": declarations_service.today() + timedelta(days=30),
    }
    values.update(changes)
    return PaperDeclaration.model_validate(values)


def signed(session: Session, parties: Parties, **changes: Any) -> CustomerDeclaration:
    return declarations_service.sign_declaration(
        session,
        parties.customer.principal,
        data=sign_data(parties.supplier.principal.organisation_id, **changes),
    )
