"""Customer declarations as a service: signing, paper records, licences, deliveries, checks."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.audit.models import AuditEntry
from precx.declarations import service as declarations_service
from precx.declarations.models import CustomerDeclaration, DeclarationDelivery
from precx.declarations.schemas import CheckStatus, DeclarationState, DeliveryCreate
from precx.events.models import OutboxEvent
from precx.kit.pagination import PageParams
from precx.kit.problems import Conflict, Forbidden, InvalidInput, TooManyRequests
from tests.declarations.helpers import (
    PDF,
    PNG,
    FakeRegister,
    make_parties,
    paper_data,
    sign_data,
    signed,
)

TODAY = declarations_service.today


def _count(session: Session, model: type[object]) -> int:
    if session.in_transaction():
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]
    with session.begin():
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def _fields(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [e.field for e in exc.value.errors]


def test_codes_are_random_typable_and_forgive_how_they_are_typed() -> None:
    codes = {declarations_service.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"CD-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
    code = next(iter(codes))
    assert declarations_service.normalise_code(code.lower().replace("-", " ")) == code
    assert declarations_service.normalise_code(code[3:]) == code
    assert declarations_service.normalise_code("CD-0000-1111-IIII") is None


def test_a_customer_signs_and_the_supplier_receives_it(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties)
        assert declaration.status == "signed"
        assert declaration.substance_id == "acetone"
        assert declaration.customer_name == parties.customer.org.name
        assert declaration.customer_country == "DE"
    with session.begin():
        received = declarations_service.list_declarations(
            session,
            parties.supplier.principal,
            PageParams(),
            declarations_service.DeclarationFilters(direction="received"),
        )
        given = declarations_service.list_declarations(
            session,
            parties.customer.principal,
            PageParams(),
            declarations_service.DeclarationFilters(direction="given"),
        )
        assert [d.id for d in received.items] == [declaration.id]
        assert [d.id for d in given.items] == [declaration.id]
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "declaration.signed")
        ).one()
        assert entry.record_id == str(declaration.id)
        assert session.scalars(
            select(OutboxEvent).where(OutboxEvent.topic == "declaration.signed")
        ).one()


def test_a_draft_is_the_customers_alone_until_signed(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        draft = signed(session, parties, sign=False)
        assert draft.status == "draft"
        assert (
            declarations_service.list_declarations(
                session, parties.supplier.principal, PageParams()
            ).items
            == []
        )
        answer = declarations_service.check_code(session, parties.supplier.principal, draft.code)
        assert answer.status is CheckStatus.not_found
        declarations_service.sign_draft(session, parties.customer.principal, draft.id)
        assert [
            d.id
            for d in declarations_service.list_declarations(
                session, parties.supplier.principal, PageParams()
            ).items
        ] == [draft.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_until_days": 400}, "body.valid_until"),
        ({"valid_until_days": -1}, "body.valid_until"),
        ({"substance": "no such chemical xyz"}, "body.substance"),
        ({"intended_use": "production."}, "body.intended_use"),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_stored(
    session: Session, register: FakeRegister, changes: dict[str, object], field: str
) -> None:
    with session.begin():
        parties = make_parties(session)
    days = changes.pop("valid_until_days", None)
    if days is not None:
        changes["valid_until"] = TODAY() + timedelta(days=int(str(days)))
    with pytest.raises(InvalidInput) as refused, session.begin():
        signed(session, parties, **changes)
    assert _fields(refused) == [field]
    assert _count(session, CustomerDeclaration) == 0


def test_validity_of_exactly_one_year_is_allowed(session: Session, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
        start = TODAY()
        declaration = signed(
            session, parties, valid_until=declarations_service.one_year_after(start)
        )
        assert declaration.valid_from == start


def test_a_substance_needing_a_licence_needs_a_valid_one(
    session: Session, register: FakeRegister
) -> None:
    register.add("DE-1-OK", "valid")
    register.add("DE-1-SUSP", "suspended")
    with session.begin():
        parties = make_parties(session)
    with pytest.raises(InvalidInput) as missing, session.begin():
        signed(session, parties, substance="ephedrine")
    assert _fields(missing) == ["body.licence_number"]
    for number in ("DE-1-SUSP", "DE-UNKNOWN"):
        with pytest.raises(InvalidInput) as refused, session.begin():
            signed(session, parties, substance="ephedrine", licence_number=number)
        assert _fields(refused) == ["body.licence_number"]
    assert _count(session, CustomerDeclaration) == 0
    with session.begin():
        declaration = signed(session, parties, substance="ephedrine", licence_number="DE-1-OK")
        assert declaration.licence_status == "valid"
    assert register.calls[-1] == {
        "country": "DE",
        "number": "DE-1-OK",
        "substance": "ephedrine",
        "log": False,
    }


def test_a_quantity_above_the_licence_limit_is_refused(
    session: Session, register: FakeRegister
) -> None:
    register.add("DE-1-LIM", "valid", limit=10.0)
    with session.begin():
        parties = make_parties(session)
    with pytest.raises(InvalidInput) as refused, session.begin():
        signed(session, parties, substance="ephedrine", licence_number="DE-1-LIM", quantity=10.5)
    assert _fields(refused) == ["body.quantity"]
    assert _count(session, CustomerDeclaration) == 0
    with session.begin():
        signed(session, parties, substance="ephedrine", licence_number="DE-1-LIM", quantity=10)


def test_litres_are_compared_with_a_kg_limit_through_the_density(
    session: Session, register: FakeRegister
) -> None:
    register.add("DE-2A", "valid", limit=100.0)
    with session.begin():
        parties = make_parties(session)
    # 95 l of acetic anhydride weigh about 102.6 kg.
    with pytest.raises(InvalidInput) as refused, session.begin():
        signed(
            session,
            parties,
            substance="acetic-anhydride",
            licence_number="DE-2A",
            quantity=95,
            unit="l",
        )
    assert _fields(refused) == ["body.quantity"]


def test_the_supplier_records_a_paper_declaration_with_its_scan(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = declarations_service.record_paper_declaration(
            session, parties.supplier.principal, data=paper_data(), scan=PNG, filename="page"
        )
        assert declaration.source == "paper"
        assert declaration.customer_country == "AT"
        assert declaration.owner_organisation_id == parties.supplier.org.id
    with session.begin():
        name, content_type, content = declarations_service.get_scan(
            session, parties.supplier.principal, declaration.id
        )
        assert (name, content_type, content) == ("page.png", "image/png", PNG)


@pytest.mark.parametrize(
    "scan", [b"", b"GIF89a....", b"<html>%PDF-", PDF[:3]], ids=["empty", "gif", "html", "cut"]
)
def test_a_scan_that_is_not_pdf_png_or_jpeg_is_refused(
    session: Session, register: FakeRegister, scan: bytes
) -> None:
    with session.begin():
        parties = make_parties(session)
    with pytest.raises(InvalidInput) as refused, session.begin():
        declarations_service.record_paper_declaration(
            session, parties.supplier.principal, data=paper_data(), scan=scan, filename="x.pdf"
        )
    assert _fields(refused) == ["scan"]
    assert _count(session, CustomerDeclaration) == 0


def test_a_paper_declaration_names_an_external_customer_fully(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
    with pytest.raises(InvalidInput) as refused, session.begin():
        declarations_service.record_paper_declaration(
            session,
            parties.supplier.principal,
            data=paper_data(customer_name=None, customer_country=None),
            scan=PDF,
            filename="x.pdf",
        )
    assert _fields(refused) == ["body.customer_name", "body.customer_country"]


def test_deliveries_use_up_a_multiple_declaration_and_none_goes_beyond(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties, quantity=100)
        for quantity in (40, 60):
            declarations_service.record_delivery(
                session,
                parties.supplier.principal,
                declaration.id,
                data=DeliveryCreate(quantity=quantity, reference=f"DN-{quantity}"),
            )
        assert declarations_service.state_of(declaration) is DeclarationState.exhausted
    with pytest.raises(Conflict), session.begin():
        declarations_service.record_delivery(
            session,
            parties.supplier.principal,
            declaration.id,
            data=DeliveryCreate(quantity=1),
        )
    assert _count(session, DeclarationDelivery) == 2
    answer = declarations_service.check_code(session, parties.outsider.principal, declaration.code)
    assert answer.status is CheckStatus.exhausted
    assert answer.quantity_left == 0


def test_a_delivery_beyond_what_is_left_is_refused_and_nothing_is_stored(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties, quantity=100)
        declarations_service.record_delivery(
            session, parties.supplier.principal, declaration.id, data=DeliveryCreate(quantity=70)
        )
    with pytest.raises(InvalidInput) as refused, session.begin():
        declarations_service.record_delivery(
            session, parties.supplier.principal, declaration.id, data=DeliveryCreate(quantity=31)
        )
    assert _fields(refused) == ["body.quantity"]
    session.expire_all()
    with session.begin():
        again = declarations_service.get_declaration(
            session, parties.supplier.principal, declaration.id
        )
        assert again.quantity_delivered == 70
        assert declarations_service.quantity_left(again) == 30
        assert _count(session, DeclarationDelivery) == 1


def test_a_single_transaction_declaration_covers_one_delivery(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties, kind="single", quantity=100)
        declarations_service.record_delivery(
            session, parties.supplier.principal, declaration.id, data=DeliveryCreate(quantity=20)
        )
        assert declarations_service.state_of(declaration) is DeclarationState.exhausted


def test_only_the_supplier_records_deliveries(session: Session, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties)
    with pytest.raises(Forbidden), session.begin():
        declarations_service.record_delivery(
            session, parties.customer.principal, declaration.id, data=DeliveryCreate(quantity=1)
        )


def test_each_check_answer(session: Session, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
        valid = signed(session, parties)
        revoked = signed(session, parties)
        declarations_service.revoke_declaration(
            session, parties.customer.principal, revoked.id, reason="order cancelled"
        )
        expired = signed(session, parties, valid_until=TODAY())
        expired.valid_until = TODAY() - timedelta(days=1)
        exhausted = signed(session, parties, quantity=5)
        declarations_service.record_delivery(
            session, parties.supplier.principal, exhausted.id, data=DeliveryCreate(quantity=5)
        )
    checker = parties.outsider.principal
    with session.begin():
        answers = {
            d.code: declarations_service.check_code(session, checker, d.code).status
            for d in (valid, revoked, expired, exhausted)
        }
        assert answers == {
            valid.code: CheckStatus.valid,
            revoked.code: CheckStatus.revoked,
            expired.code: CheckStatus.expired,
            exhausted.code: CheckStatus.exhausted,
        }
        missing = declarations_service.check_code(session, checker, "CD-2222-3333-4444")
        assert missing.status is CheckStatus.not_found
        assert missing.substance_name is None and missing.customer_name is None
        answer = declarations_service.check_code(session, checker, valid.code.lower())
        assert answer.substance_id == "acetone"
        assert answer.quantity_left == 100
        assert answer.customer_name == parties.customer.org.name
        assert answer.supplier_name == parties.supplier.org.name
    logged = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "declaration.checked")
    ).all()
    assert len(logged) == 6
    assert {e.actor_organisation_id for e in logged} == {parties.outsider.org.id}


def test_checks_are_rate_limited_per_organisation(session: Session, register: FakeRegister) -> None:
    with session.begin():
        parties = make_parties(session)
    limit = declarations_service.CHECKS_PER_MINUTE
    with session.begin():
        for _ in range(limit):
            declarations_service.check_code(session, parties.outsider.principal, "CD-2222")
    with pytest.raises(TooManyRequests), session.begin():
        declarations_service.check_code(session, parties.outsider.principal, "CD-2222")
    with session.begin():
        declarations_service.check_code(session, parties.supplier.principal, "CD-2222")


def test_revocation_by_customer_or_its_authority_only(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        first = signed(session, parties)
        second = signed(session, parties)
    with pytest.raises(Forbidden), session.begin():
        declarations_service.revoke_declaration(
            session, parties.supplier.principal, first.id, reason="not mine to revoke"
        )
    with session.begin():
        declarations_service.revoke_declaration(
            session, parties.authority.principal, first.id, reason="licence withdrawn"
        )
        declarations_service.revoke_declaration(
            session, parties.customer.principal, second.id, reason="no longer needed"
        )
    with pytest.raises(Conflict), session.begin():
        declarations_service.revoke_declaration(
            session, parties.customer.principal, second.id, reason="twice"
        )


def test_the_pdf_carries_the_code_and_a_qr_code_of_the_check_address(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties, customer_address="Straße 1, Köln")
        name, content = declarations_service.declaration_pdf(
            session, parties.supplier.principal, declaration.id, base_url="https://precx.example/"
        )
    assert name == f"declaration-{declaration.code}.pdf"
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert declaration.code.encode() in text
    assert f"https://precx.example/declarations/check?code={declaration.code}".encode() in text
    # The QR code is drawn as filled rectangles: many more than the page's text needs.
    assert text.count(b" re f") > 50 or text.count(b"re\nf") > 50 or text.count(b" re") > 50


def _pdf_text(content: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated.

    Each stream is inflated from its start until zlib says it ends: cutting it at the next
    "endstream" by pattern would drop a last byte that happens to be a carriage return (about
    one PDF in a hundred), and the stream would not inflate.
    """
    out = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            out.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_declared_quantities_per_substance_for_the_customers_authority(
    session: Session, register: FakeRegister
) -> None:
    with session.begin():
        parties = make_parties(session)
        signed(session, parties, quantity=100)
        signed(session, parties, quantity=20, unit="l")  # acetone, 0.79 kg/l
        revoked = signed(session, parties, quantity=1000)
        declarations_service.revoke_declaration(
            session, parties.customer.principal, revoked.id, reason="cancelled order"
        )
        year = TODAY().year
        totals = declarations_service.declared_quantities(
            session, parties.authority.principal, country="DE", year=year
        )
        assert totals == {"acetone": pytest.approx(115.8)}
        assert (
            declarations_service.declared_quantities(
                session, parties.authority.principal, country="DE", year=year - 1
            )
            == {}
        )
    with pytest.raises(Forbidden):
        declarations_service.declared_quantities(
            session, parties.customer.principal, country="DE", year=year
        )
    with pytest.raises(Forbidden):
        declarations_service.declared_quantities(
            session, parties.foreign_authority.principal, country="DE", year=year
        )


def test_sign_data_defaults_hold() -> None:
    data = sign_data(1)
    assert data.sign is True
    assert data.valid_from is None
