"""Customer declarations: signed or recorded, read under the gate, checked by code, delivered on.

Who sees a declaration (`_visible` is the only place reads are narrowed; it wraps the sharing
gate, `sharing.visibility_clause`, with one reader the gate cannot know of):

- the customer organisation and the supplier organisation see it in full: the one that put it
  on the platform owns it (the customer when it signed here, the supplier when it recorded a
  paper one) and the other reads it as a routed reader once it is signed;
- the authorities (licensing authority, police, customs) of the customer's country see the
  signed declarations of their country's operators;
- nobody else sees it, except through `check_code`, which answers only whether a code is
  valid, expired, revoked or exhausted, for which substance, how much is left, until when, and
  the customer's and the supplier's names. Every check is audited and rate-limited.

Reporters read only the declarations they created themselves, as everywhere on the platform.
Drafts are seen only by the customer that writes them.

Who changes one: the customer signs (or drafts and later signs) on the platform; the supplier
records a paper one with its scan and records deliveries against any declaration addressed to
it; the customer, the licensing authority of the customer's country, or (for a paper one) the
supplier that recorded it revokes it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import segno
import yaml
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.models import Organisation
from precx.accounts.principal import OrgKind, OrgStatus, Principal
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.catalog.schemas import SubstanceRecord
from precx.db import utc_now
from precx.declarations.models import CustomerDeclaration, DeclarationDelivery
from precx.declarations.pdf import PdfDeclaration, render_pdf
from precx.declarations.schemas import (
    CheckAnswer,
    CheckStatus,
    DeclarationRead,
    DeclarationSign,
    DeclarationState,
    DeliveryCreate,
    PaperDeclaration,
    _DeclarationFields,
)
from precx.kit.fields import country_name
from precx.kit.files import sniff_document
from precx.kit.i18n import Message, _
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from precx.licensing import service as licensing_service
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, Tlp

RECORD_TYPE = CustomerDeclaration.record_type
# Human-typable: no 0/O or 1/I to confuse; 12 symbols of 32 are 60 random bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
CODE_PREFIX = "CD"
# EU categories whose customers need a licence (1) or a registration (2A, 2B) to hold them.
LICENSED_CATEGORIES = frozenset({"1", "2A", "2B"})
MAX_SCAN_BYTES = 10 * 1024 * 1024
CHECKS_PER_MINUTE = 60
SORT_KEYS = ("created_at", "signed_at", "valid_until", "substance_name", "customer_name")
# Densities of liquid precursors, kept with the screening rules, to compare litres with kg limits.
DENSITIES_FILE = Path(__file__).resolve().parent.parent / "screening" / "data" / "densities.yaml"
EPSILON = 1e-9
# Why a licence refuses a declaration, by its verified status: the detail, the field's message.
_LICENCE_REFUSALS: dict[str, tuple[str, str]] = {
    "expired": (
        _(
            "Licence %(number)s of %(country)s is expired for %(substance)s: "
            "the declaration cannot be accepted."
        ),
        _("licence expired"),
    ),
    "suspended": (
        _(
            "Licence %(number)s of %(country)s is suspended for %(substance)s: "
            "the declaration cannot be accepted."
        ),
        _("licence suspended"),
    ),
    "revoked": (
        _(
            "Licence %(number)s of %(country)s is revoked for %(substance)s: "
            "the declaration cannot be accepted."
        ),
        _("licence revoked"),
    ),
    "not_covered": (
        _(
            "Licence %(number)s of %(country)s is not covered for %(substance)s: "
            "the declaration cannot be accepted."
        ),
        _("licence not covered"),
    ),
    "not_found": (
        _(
            "Licence %(number)s of %(country)s is not found for %(substance)s: "
            "the declaration cannot be accepted."
        ),
        _("licence not found"),
    ),
}
_LICENCE_REFUSED = (
    _(
        "Licence %(number)s of %(country)s is %(status)s for %(substance)s: "
        "the declaration cannot be accepted."
    ),
    _("licence %(status)s"),
)
# Why no delivery can be made, by the declaration's state.
_NO_DELIVERY: dict[str, str] = {
    "draft": _("The declaration is draft: no delivery can be made against it."),
    "expired": _("The declaration is expired: no delivery can be made against it."),
    "revoked": _("The declaration is revoked: no delivery can be made against it."),
    "exhausted": _("The declaration is exhausted: no delivery can be made against it."),
}
_NO_DELIVERY_ANY = _("The declaration is %(state)s: no delivery can be made against it.")


# --- Codes --------------------------------------------------------------------------------


def new_code() -> str:
    """A fresh random verification code like CD-7KQ4-M2XW-9HTP."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join((CODE_PREFIX, *groups))


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed code (any case, spaces or dashes), or None if it is none."""
    raw = "".join(c for c in text.upper() if c.isalnum())
    if raw.startswith(CODE_PREFIX):
        raw = raw[len(CODE_PREFIX) :]
    if len(raw) != CODE_GROUPS * CODE_GROUP_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return None
    groups = [raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH)]
    return "-".join((CODE_PREFIX, *groups))


def check_url(base_url: str, code: str) -> str:
    """The address of the public check of a code (what the QR code encodes)."""
    return f"{base_url.rstrip('/')}/declarations/check?code={code}"


def qr_svg_data_uri(data: str) -> str:
    """A QR code as an SVG data URI, for an <img> the page's CSP allows."""
    return str(segno.make(data, error="m").svg_data_uri(scale=4))


# --- State ----------------------------------------------------------------------------------


def today() -> date:
    """Today's date in UTC, the calendar declarations are valid by."""
    return utc_now().date()


def quantity_left(declaration: CustomerDeclaration) -> float:
    """What can still be delivered: nothing after the one delivery of a single transaction."""
    if declaration.kind == "single" and declaration.delivery_count > 0:
        return 0.0
    return max(0.0, round(declaration.quantity - declaration.quantity_delivered, 6))


def state_of(declaration: CustomerDeclaration, on: date | None = None) -> DeclarationState:
    """What the declaration is worth on a day: draft, valid, expired, revoked or exhausted."""
    if declaration.status == "draft":
        return DeclarationState.draft
    if declaration.status == "revoked":
        return DeclarationState.revoked
    if (on or today()) > declaration.valid_until:
        return DeclarationState.expired
    if quantity_left(declaration) <= EPSILON:
        return DeclarationState.exhausted
    return DeclarationState.valid


def one_year_after(day: date) -> date:
    """The same calendar day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@lru_cache(maxsize=1)
def _densities() -> dict[str, float]:
    data = yaml.safe_load(DENSITIES_FILE.read_text("utf-8"))
    return {str(k): float(v) for k, v in data["kg_per_l"].items()}


def quantity_in_kg(substance_id: str, quantity: float, unit: str) -> float | None:
    """A quantity in kilograms; litres only when the substance's density is known."""
    if unit == "kg":
        return quantity
    density = _densities().get(substance_id)
    return quantity * density if density is not None else None


# --- Visibility -----------------------------------------------------------------------------


def _visibility(principal: Principal) -> ColumnElement[bool]:
    clauses = [sharing.visibility_clause(principal, CustomerDeclaration)]
    if principal.is_authority and not principal.reads_only_own:
        clauses.append(
            and_(
                CustomerDeclaration.customer_country == principal.country,
                CustomerDeclaration.status != "draft",
            )
        )
    return or_(*clauses)


def _visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    return stmt.where(_visibility(principal))


def get_declaration(
    session: Session, principal: Principal, declaration_id: int
) -> CustomerDeclaration:
    """One declaration the caller may read; a hidden one is as absent as a missing one."""
    stmt = _visible(
        select(CustomerDeclaration).where(CustomerDeclaration.id == declaration_id), principal
    )
    found: CustomerDeclaration | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise NotFound(Message("No customer declaration %(id)s.", id=declaration_id))
    return found


# --- Creating -------------------------------------------------------------------------------


def _require_industry_writer(principal: Principal, action: Literal["sign", "record"]) -> None:
    signing = action == "sign"
    if principal.organisation_kind is not OrgKind.industry:
        raise Forbidden(
            Message("Only industry members sign customer declarations.")
            if signing
            else Message("Only industry members record received declarations.")
        )
    if not principal.can_write:
        raise Forbidden(
            Message("Viewers read declarations; they do not sign them.")
            if signing
            else Message("Viewers read declarations; they do not record them.")
        )


def _active_org(session: Session, organisation_id: int, field: str) -> Organisation:
    try:
        org = accounts_service.get_organisation(session, organisation_id)
    except NotFound:
        org = None
    if org is None or org.status != OrgStatus.active:
        raise InvalidInput(
            Message("No active organisation %(id)s on the platform.", id=organisation_id),
            errors=[(field, Message("no such active organisation"))],
        )
    return org


def _substance(session: Session, text: str) -> tuple[SubstanceRecord, SubstanceRecord]:
    snap = catalog_service.snapshot(session)
    found = snap.lookup(text)
    if found.record is None:
        typed, candidates = repr(text), ", ".join(found.candidates)
        if found.why == "ambiguous":
            message = (
                Message(
                    "%(text)s could be several substances (did you mean %(candidates)s?)",
                    text=typed,
                    candidates=candidates,
                )
                if candidates
                else Message("%(text)s could be several substances", text=typed)
            )
        else:
            message = (
                Message(
                    "%(text)s is not in the catalog (did you mean %(candidates)s?)",
                    text=typed,
                    candidates=candidates,
                )
                if candidates
                else Message("%(text)s is not in the catalog", text=typed)
            )
        raise InvalidInput(
            Message("%(message)s. Give its CAS number or its full name.", message=message),
            errors=[("body.substance", message)],
        )
    return found.record, snap.controlling(found.record)


def substance_problem(session: Session, text: str) -> str | None:
    """What is wrong with a typed substance, or None when the catalog knows it (live checks)."""
    try:
        _substance(session, text)
    except InvalidInput as exc:
        return exc.errors[0].message if exc.errors else exc.detail
    return None


def _validity(data: _DeclarationFields, signed_on: date) -> tuple[date, date]:
    valid_from = data.valid_from or signed_on
    if valid_from < signed_on:
        raise InvalidInput(
            Message("A declaration cannot be valid before it is signed."),
            errors=[
                (
                    "body.valid_from",
                    Message("must be on or after %(date)s", date=signed_on.isoformat()),
                )
            ],
        )
    if data.valid_until < valid_from:
        raise InvalidInput(
            Message("The validity ends before it starts."),
            errors=[
                (
                    "body.valid_until",
                    Message("must be on or after %(date)s", date=valid_from.isoformat()),
                )
            ],
        )
    latest = one_year_after(valid_from)
    if data.valid_until > latest:
        raise InvalidInput(
            Message(
                "A customer declaration is valid for at most one year "
                "(Regulation 273/2004, Article 4; Regulation 2015/1011, Article 5)."
            ),
            errors=[
                (
                    "body.valid_until",
                    Message("must be on or before %(date)s", date=latest.isoformat()),
                )
            ],
        )
    return valid_from, data.valid_until


def _intended_use(text: str) -> str:
    if len(text.split()) < 3:
        raise InvalidInput(
            Message(
                "Say specifically what the substance is used for, e.g. 'solvent for cleaning "
                "printing presses in our plant'."
            ),
            errors=[
                ("body.intended_use", Message("too vague: say what the customer makes or does"))
            ],
        )
    return text


def _check_licence(
    session: Session,
    principal: Principal,
    data: _DeclarationFields,
    *,
    country: str,
    record: SubstanceRecord,
    controls: SubstanceRecord,
) -> str | None:
    """Verify the customer's licence; the status found, or a refusal naming the field."""
    needs = controls.eu_category in LICENSED_CATEGORIES
    number = (data.licence_number or "").strip()
    if not number:
        if needs:
            raise InvalidInput(
                Message(
                    "%(substance)s (EU category %(category)s) may be supplied only to "
                    "a customer with a licence or registration: give its number.",
                    substance=record.name,
                    category=controls.eu_category,
                ),
                errors=[("body.licence_number", Message("required for this substance"))],
            )
        return None
    try:
        answer = licensing_service.verify(
            session, principal, country=country, number=number, substance=record.id, log=False
        )
    except InvalidInput as exc:
        raise InvalidInput(
            exc.detail, errors=[("body.licence_number", e.message) for e in exc.errors]
        ) from exc
    status = str(answer.status)
    if status != "valid" and (needs or status != "not_covered"):
        refusal, short = _LICENCE_REFUSALS.get(status, _LICENCE_REFUSED)
        words = status.replace("_", " ")
        raise InvalidInput(
            Message(
                refusal,
                number=number,
                country=country_name(country),
                status=words,
                substance=record.name,
            ),
            errors=[("body.licence_number", Message(short, status=words))],
        )
    limit = answer.quantity_limit_kg if status == "valid" else None
    if limit is not None:
        kg = quantity_in_kg(controls.id, data.quantity, data.unit) or quantity_in_kg(
            record.id, data.quantity, data.unit
        )
        if kg is None:
            raise InvalidInput(
                Message(
                    "The licence limits %(substance)s in kilograms; give the quantity in kg.",
                    substance=record.name,
                ),
                errors=[("body.unit", Message("give the quantity in kg"))],
            )
        if kg > limit + EPSILON:
            raise InvalidInput(
                Message(
                    "%(kg)s kg is more than the licence allows (%(limit)s kg).",
                    kg=f"{kg:g}",
                    limit=f"{limit:g}",
                ),
                errors=[
                    (
                        "body.quantity",
                        Message("exceeds the licence limit of %(limit)s kg", limit=f"{limit:g}"),
                    )
                ],
            )
    return status


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    declaration: CustomerDeclaration,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record_change(
        session,
        principal,
        action,
        record_type=RECORD_TYPE,
        record_id=declaration.id,
        organisation_id=declaration.owner_organisation_id,
        details={
            "code": declaration.code,
            "substance": declaration.substance_id,
            "quantity": declaration.quantity,
            "unit": declaration.unit,
            "supplier_organisation_id": declaration.supplier_organisation_id,
            "customer_organisation_id": declaration.customer_organisation_id,
            **(details or {}),
        },
    )


def _unique_code(session: Session) -> str:
    while True:
        code = new_code()
        taken = session.scalar(
            select(CustomerDeclaration.id).where(CustomerDeclaration.code == code)
        )
        if taken is None:
            return code


@dataclass(frozen=True)
class _Checked:
    """What signing found acceptable, ready to be stored."""

    supplier: Organisation
    record: SubstanceRecord
    valid_from: date
    valid_until: date
    use: str
    licence_status: str | None


def _check_signing(session: Session, principal: Principal, data: DeclarationSign) -> _Checked:
    _require_industry_writer(principal, "sign")
    supplier = _active_org(session, data.supplier_organisation_id, "body.supplier_organisation_id")
    if supplier.id == principal.organisation_id:
        raise InvalidInput(
            Message("A declaration is addressed to another organisation, the supplier."),
            errors=[("body.supplier_organisation_id", Message("your own organisation"))],
        )
    if supplier.kind is not OrgKind.industry:
        raise InvalidInput(
            Message("%(name)s is not a supplier (an industry member).", name=supplier.name),
            errors=[("body.supplier_organisation_id", Message("not an industry member"))],
        )
    record, controls = _substance(session, data.substance)
    valid_from, valid_until = _validity(data, today())
    use = _intended_use(data.intended_use)
    licence_status = _check_licence(
        session, principal, data, country=principal.country, record=record, controls=controls
    )
    return _Checked(supplier, record, valid_from, valid_until, use, licence_status)


def validate_signing(session: Session, principal: Principal, *, data: DeclarationSign) -> None:
    """Refuse what signing would refuse, storing nothing (the form's live check)."""
    _check_signing(session, principal, data)


def sign_declaration(
    session: Session, principal: Principal, *, data: DeclarationSign
) -> CustomerDeclaration:
    """The customer fills in a declaration addressed to a supplier and signs it (or drafts it)."""
    checked = _check_signing(session, principal, data)
    supplier, record = checked.supplier, checked.record
    valid_from, valid_until = checked.valid_from, checked.valid_until
    use, licence_status = checked.use, checked.licence_status
    now = utc_now()
    declaration = CustomerDeclaration(
        code=_unique_code(session),
        kind=data.kind,
        source="platform",
        status="signed" if data.sign else "draft",
        supplier_organisation_id=supplier.id,
        customer_organisation_id=principal.organisation_id,
        customer_name=principal.organisation_name,
        customer_address=data.customer_address,
        customer_country=principal.country,
        licence_number=(data.licence_number or "").strip() or None,
        licence_status=licence_status,
        substance_id=record.id,
        substance_name=record.name,
        quantity=data.quantity,
        unit=data.unit,
        quantity_delivered=0.0,
        delivery_count=0,
        intended_use=use,
        signatory_name=data.signatory_name,
        signatory_position=data.signatory_position,
        signed_at=now if data.sign else None,
        valid_from=valid_from,
        valid_until=valid_until,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
        created_at=now,
        updated_at=now,
    )
    session.add(declaration)
    session.flush()
    if data.sign:
        sharing.add_routed_reader(session, declaration, supplier.id, reason="supplier")
    _audit(
        session,
        principal,
        "declaration.signed" if data.sign else "declaration.drafted",
        declaration,
    )
    return declaration


def sign_draft(session: Session, principal: Principal, declaration_id: int) -> CustomerDeclaration:
    """The customer signs a draft it wrote; the supplier sees it from then on."""
    declaration = get_declaration(session, principal, declaration_id)
    _require_industry_writer(principal, "sign")
    if declaration.customer_organisation_id != principal.organisation_id:
        raise Forbidden(Message("Only the customer signs its declaration."))
    if declaration.status != "draft":
        raise Conflict(
            Message("This declaration is already signed."),
            errors=[("status", declaration.status)],
        )
    if declaration.valid_from < today():
        raise InvalidInput(
            Message("The draft's validity started in the past; write a new declaration."),
            errors=[("valid_from", Message("in the past"))],
        )
    now = utc_now()
    declaration.status = "signed"
    declaration.signed_at = now
    declaration.updated_at = now
    sharing.add_routed_reader(
        session, declaration, declaration.supplier_organisation_id, reason="supplier"
    )
    session.flush()
    _audit(session, principal, "declaration.signed", declaration)
    return declaration


def scan_type(content: bytes) -> tuple[str, str]:
    """The content type and file suffix a scan's first bytes prove, or a refusal."""
    if not content:
        raise InvalidInput(Message("The scan is empty."), errors=[("scan", Message("empty file"))])
    if len(content) > MAX_SCAN_BYTES:
        raise InvalidInput(
            Message("The scan is larger than %(mb)s MB.", mb=MAX_SCAN_BYTES // 2**20),
            errors=[("scan", Message("too large"))],
        )
    document = sniff_document(content)
    if document is not None:
        return document
    raise InvalidInput(
        Message("The scan must be a PDF, PNG or JPEG file."),
        errors=[("scan", Message("not a PDF, PNG or JPEG file"))],
    )


def record_paper_declaration(
    session: Session,
    principal: Principal,
    *,
    data: PaperDeclaration,
    scan: bytes,
    filename: str,
) -> CustomerDeclaration:
    """The supplier records a paper declaration it received, with the scan of the signed page."""
    _require_industry_writer(principal, "record")
    content_type, suffix = scan_type(scan)
    customer_org: Organisation | None = None
    if data.customer_organisation_id is not None:
        customer_org = _active_org(
            session, data.customer_organisation_id, "body.customer_organisation_id"
        )
        if customer_org.id == principal.organisation_id:
            raise InvalidInput(
                Message("The customer is another organisation than the supplier."),
                errors=[("body.customer_organisation_id", Message("your own organisation"))],
            )
        if data.customer_country and data.customer_country != customer_org.country:
            raise InvalidInput(
                Message(
                    "%(name)s is in %(country)s.",
                    name=customer_org.name,
                    country=country_name(customer_org.country),
                ),
                errors=[
                    (
                        "body.customer_country",
                        Message("must be %(code)s", code=customer_org.country),
                    )
                ],
            )
        customer_name, country = customer_org.name, customer_org.country
    else:
        missing = [
            (f"body.{name}", Message("required when the customer is not on the platform"))
            for name in ("customer_name", "customer_country")
            if not getattr(data, name)
        ]
        if missing:
            raise InvalidInput(
                Message("Say who the customer is and in which country."), errors=missing
            )
        customer_name, country = str(data.customer_name), str(data.customer_country)
    if data.signed_on > today():
        raise InvalidInput(
            Message("The paper cannot have been signed in the future."),
            errors=[("body.signed_on", Message("in the future"))],
        )
    record, controls = _substance(session, data.substance)
    valid_from, valid_until = _validity(data, data.signed_on)
    use = _intended_use(data.intended_use)
    licence_status = _check_licence(
        session, principal, data, country=country, record=record, controls=controls
    )
    now = utc_now()
    name = Path(filename or "scan").name[:150] or "scan"
    declaration = CustomerDeclaration(
        code=_unique_code(session),
        kind=data.kind,
        source="paper",
        status="signed",
        supplier_organisation_id=principal.organisation_id,
        customer_organisation_id=customer_org.id if customer_org else None,
        customer_name=customer_name,
        customer_address=data.customer_address,
        customer_country=country,
        licence_number=(data.licence_number or "").strip() or None,
        licence_status=licence_status,
        substance_id=record.id,
        substance_name=record.name,
        quantity=data.quantity,
        unit=data.unit,
        quantity_delivered=0.0,
        delivery_count=0,
        intended_use=use,
        signatory_name=data.signatory_name,
        signatory_position=data.signatory_position,
        signed_at=datetime.combine(data.signed_on, datetime.min.time(), tzinfo=UTC),
        valid_from=valid_from,
        valid_until=valid_until,
        scan_filename=name if name.lower().endswith(suffix) else f"{name}{suffix}",
        scan_content_type=content_type,
        scan=scan,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
        created_at=now,
        updated_at=now,
    )
    session.add(declaration)
    session.flush()
    if customer_org is not None:
        sharing.add_routed_reader(session, declaration, customer_org.id, reason="customer")
    _audit(
        session,
        principal,
        "declaration.recorded",
        declaration,
        {"scan_bytes": len(scan), "scan_type": content_type},
    )
    return declaration


# --- Changing -------------------------------------------------------------------------------


def may_revoke(principal: Principal, declaration: CustomerDeclaration) -> bool:
    """The customer, its country's licensing authority, or the supplier that recorded the paper."""
    if not principal.can_write or declaration.status != "signed":
        return False
    if declaration.customer_organisation_id == principal.organisation_id:
        return True
    if (
        principal.organisation_kind is OrgKind.licensing_authority
        and principal.country == declaration.customer_country
    ):
        return True
    return (
        declaration.source == "paper"
        and declaration.supplier_organisation_id == principal.organisation_id
    )


def revoke_declaration(
    session: Session, principal: Principal, declaration_id: int, *, reason: str
) -> CustomerDeclaration:
    """Withdraw a signed declaration; checks of its code answer `revoked` from now on."""
    declaration = get_declaration(session, principal, declaration_id)
    if declaration.status == "revoked":
        raise Conflict(
            Message("This declaration is already revoked."), errors=[("status", "revoked")]
        )
    if declaration.status == "draft":
        raise Conflict(Message("A draft is not in force; there is nothing to revoke."), errors=[])
    if not may_revoke(principal, declaration):
        raise Forbidden(
            Message(
                "A declaration is revoked by its customer or the licensing authority of the "
                "customer's country."
            )
        )
    now = utc_now()
    declaration.status = "revoked"
    declaration.revoked_at = now
    declaration.revoked_reason = reason
    declaration.updated_at = now
    session.flush()
    _audit(session, principal, "declaration.revoked", declaration, {"reason": reason})
    return declaration


def may_deliver(principal: Principal, declaration: CustomerDeclaration) -> bool:
    """The supplier records deliveries against a valid declaration addressed to it."""
    return (
        principal.can_write
        and principal.organisation_id == declaration.supplier_organisation_id
        and state_of(declaration) is DeclarationState.valid
    )


def record_delivery(
    session: Session, principal: Principal, declaration_id: int, *, data: DeliveryCreate
) -> DeclarationDelivery:
    """The supplier records a delivery; refused beyond the quantity left or the validity."""
    declaration = get_declaration(session, principal, declaration_id)
    if declaration.supplier_organisation_id != principal.organisation_id:
        raise Forbidden(Message("Only the supplier records deliveries against a declaration."))
    if not principal.can_write:
        raise Forbidden(Message("Viewers read declarations; they do not record deliveries."))
    # Lock the row so two deliveries at once cannot both take the last of the quantity.
    locked = session.scalars(
        select(CustomerDeclaration)
        .where(CustomerDeclaration.id == declaration.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    state = state_of(locked)
    if state is not DeclarationState.valid:
        raise Conflict(
            Message(_NO_DELIVERY.get(state.value, _NO_DELIVERY_ANY), state=state.value),
            errors=[("state", state.value)],
        )
    delivered_on = data.delivered_on or today()
    if delivered_on > today():
        raise InvalidInput(
            Message("Record a delivery once it is made."),
            errors=[("body.delivered_on", Message("in the future"))],
        )
    if not locked.valid_from <= delivered_on <= locked.valid_until:
        raise InvalidInput(
            Message("The delivery date is outside the declaration's validity."),
            errors=[
                (
                    "body.delivered_on",
                    Message(
                        "must be between %(first)s and %(last)s",
                        first=str(locked.valid_from),
                        last=str(locked.valid_until),
                    ),
                )
            ],
        )
    left = quantity_left(locked)
    if data.quantity > left + EPSILON:
        raise InvalidInput(
            Message(
                "Only %(left)s %(unit)s are left on this declaration.",
                left=f"{left:g}",
                unit=locked.unit,
            ),
            errors=[
                (
                    "body.quantity",
                    Message(
                        "more than the %(left)s %(unit)s left", left=f"{left:g}", unit=locked.unit
                    ),
                )
            ],
        )
    delivery = DeclarationDelivery(
        declaration_id=locked.id,
        quantity=data.quantity,
        delivered_on=delivered_on,
        reference=data.reference,
        recorded_by_id=principal.user_id,
        created_at=utc_now(),
    )
    session.add(delivery)
    locked.quantity_delivered = round(locked.quantity_delivered + data.quantity, 6)
    locked.delivery_count += 1
    locked.updated_at = utc_now()
    session.flush()
    _audit(
        session,
        principal,
        "declaration.delivery_recorded",
        locked,
        {
            "delivery_id": delivery.id,
            "delivered": data.quantity,
            "left": quantity_left(locked),
            "reference": data.reference,
        },
    )
    return delivery


def list_deliveries(
    session: Session, principal: Principal, declaration_id: int
) -> list[DeclarationDelivery]:
    """The deliveries made against a declaration the caller may read, oldest first."""
    declaration = get_declaration(session, principal, declaration_id)
    stmt = (
        select(DeclarationDelivery)
        .where(DeclarationDelivery.declaration_id == declaration.id)
        .order_by(DeclarationDelivery.delivered_on, DeclarationDelivery.id)
    )
    return list(session.scalars(stmt).all())


def get_scan(session: Session, principal: Principal, declaration_id: int) -> tuple[str, str, bytes]:
    """The file name, content type and bytes of a paper declaration's scan."""
    declaration = get_declaration(session, principal, declaration_id)
    content = session.scalar(
        select(CustomerDeclaration.scan).where(CustomerDeclaration.id == declaration.id)
    )
    if not content or not declaration.scan_content_type:
        raise NotFound(Message("Customer declaration %(id)s has no scan.", id=declaration_id))
    return declaration.scan_filename or "scan", declaration.scan_content_type, content


# --- Lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationFilters:
    """How a list of declarations is narrowed."""

    direction: str | None = None  # given (as customer) | received (as supplier)
    substance_id: str | None = None
    state: str | None = None
    counterparty: str | None = None  # words in the other party's name


def _search(session: Session, principal: Principal, filters: DeclarationFilters) -> Select[Any]:
    stmt = _visible(select(CustomerDeclaration), principal)
    if filters.direction == "given":
        stmt = stmt.where(CustomerDeclaration.customer_organisation_id == principal.organisation_id)
    elif filters.direction == "received":
        stmt = stmt.where(CustomerDeclaration.supplier_organisation_id == principal.organisation_id)
    if filters.substance_id:
        named = catalog_service.substance_ids_named(session, filters.substance_id)
        stmt = stmt.where(CustomerDeclaration.substance_id.in_(named))
    if filters.state:
        stmt = stmt.where(_state_clause(filters.state))
    if filters.counterparty:
        pattern = f"%{filters.counterparty.strip().lower()}%"
        supplier_ids = select(Organisation.id).where(func.lower(Organisation.name).like(pattern))
        if filters.direction == "given":
            stmt = stmt.where(CustomerDeclaration.supplier_organisation_id.in_(supplier_ids))
        elif filters.direction == "received":
            stmt = stmt.where(func.lower(CustomerDeclaration.customer_name).like(pattern))
        else:
            stmt = stmt.where(
                or_(
                    func.lower(CustomerDeclaration.customer_name).like(pattern),
                    CustomerDeclaration.supplier_organisation_id.in_(supplier_ids),
                )
            )
    return stmt


def _state_clause(state: str) -> ColumnElement[bool]:
    day = today()
    left = CustomerDeclaration.quantity - CustomerDeclaration.quantity_delivered
    used_up = or_(
        left <= EPSILON,
        and_(CustomerDeclaration.kind == "single", CustomerDeclaration.delivery_count > 0),
    )
    signed = CustomerDeclaration.status == "signed"
    if state == "draft":
        return CustomerDeclaration.status == "draft"
    if state == "revoked":
        return CustomerDeclaration.status == "revoked"
    if state == "expired":
        return and_(signed, CustomerDeclaration.valid_until < day)
    if state == "exhausted":
        return and_(signed, CustomerDeclaration.valid_until >= day, used_up)
    if state == "valid":
        return and_(signed, CustomerDeclaration.valid_until >= day, ~used_up)
    raise InvalidInput(
        Message("Unknown state %(state)s.", state=repr(state)),
        errors=[
            (
                "state",
                Message("one of %(states)s", states=", ".join(s.value for s in DeclarationState)),
            )
        ],
    )


def list_declarations(
    session: Session,
    principal: Principal,
    params: PageParams,
    filters: DeclarationFilters = DeclarationFilters(),
) -> Page[CustomerDeclaration]:
    """A page of the declarations the caller may read, filtered and sorted."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-created_at")
    column = getattr(CustomerDeclaration, key)
    stmt = _search(session, principal, filters).order_by(
        column.desc() if descending else column.asc(), CustomerDeclaration.id.desc()
    )
    return fetch_page(session, stmt, params)


def describe(
    session: Session, declarations: Sequence[CustomerDeclaration]
) -> list[DeclarationRead]:
    """The declarations as their readers see them, with the parties' names and their state."""
    names = accounts_service.organisation_names(
        session, {d.supplier_organisation_id for d in declarations}
    )
    day = today()
    return [
        DeclarationRead(
            id=d.id,
            code=d.code,
            kind=d.kind,
            source=d.source,
            status=d.status,
            state=state_of(d, day),
            supplier_organisation_id=d.supplier_organisation_id,
            supplier_name=names.get(d.supplier_organisation_id, ""),
            customer_organisation_id=d.customer_organisation_id,
            customer_name=d.customer_name,
            customer_address=d.customer_address,
            customer_country=d.customer_country,
            licence_number=d.licence_number,
            licence_status=d.licence_status,
            substance_id=d.substance_id,
            substance_name=d.substance_name,
            quantity=d.quantity,
            unit=d.unit,
            quantity_delivered=d.quantity_delivered,
            quantity_left=quantity_left(d),
            intended_use=d.intended_use,
            signatory_name=d.signatory_name,
            signatory_position=d.signatory_position,
            signed_at=d.signed_at,
            valid_from=d.valid_from,
            valid_until=d.valid_until,
            revoked_at=d.revoked_at,
            revoked_reason=d.revoked_reason,
            has_scan=d.scan_content_type is not None,
            created_at=d.created_at,
        )
        for d in declarations
    ]


def describe_one(session: Session, declaration: CustomerDeclaration) -> DeclarationRead:
    """One declaration as its readers see it."""
    return describe(session, [declaration])[0]


def declaration_pdf(
    session: Session, principal: Principal, declaration_id: int, *, base_url: str
) -> tuple[str, bytes]:
    """The file name and bytes of a declaration's PDF, with its code and QR code."""
    declaration = get_declaration(session, principal, declaration_id)
    view = describe(session, [declaration])[0]
    signed = view.signed_at.strftime("%Y-%m-%d") if view.signed_at else "not signed (draft)"
    licence = view.licence_number or "-"
    if view.licence_status:
        licence += f" (verified {view.licence_status} when recorded)"
    doc = PdfDeclaration(
        code=view.code,
        check_url=check_url(base_url, view.code),
        state=view.state.value,
        kind="single transaction" if view.kind == "single" else "multiple transactions",
        customer=view.customer_name,
        customer_address=view.customer_address,
        customer_country=country_name(view.customer_country),
        licence=licence,
        supplier=view.supplier_name,
        substance=f"{view.substance_name} ({view.substance_id})",
        quantity=f"{view.quantity:g} {view.unit}",
        quantity_left=f"{view.quantity_left:g} {view.unit}",
        intended_use=view.intended_use,
        signatory=f"{view.signatory_name}, {view.signatory_position}",
        signed=signed,
        validity=f"{view.valid_from.isoformat()} to {view.valid_until.isoformat()}",
        source="signed on the platform"
        if view.source == "platform"
        else "paper original, scan kept",
    )
    return f"declaration-{view.code}.pdf", render_pdf(doc)


# --- Code checks ----------------------------------------------------------------------------


class _RateLimiter:
    """At most `limit` events per organisation in any sliding minute, in this process."""

    def __init__(self, window_seconds: float = 60.0) -> None:
        self.window = window_seconds
        self._events: dict[int, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: int, limit: int) -> bool:
        """Count one event for `key`; False when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= limit:
                return False
            events.append(now)
            return True

    def reset(self) -> None:
        """Forget every count (for tests)."""
        with self._lock:
            self._events.clear()


check_limiter = _RateLimiter()


def check_code(
    session: Session, principal: Principal, code: str, *, per_minute: int = CHECKS_PER_MINUTE
) -> CheckAnswer:
    """Whether a declaration code holds: its state and the few facts a checker may know.

    `per_minute` is the organisation's rate (the routes pass `PRECX_VERIFY_RATE_PER_MINUTE`,
    the rate of licence verifications, which a code check is the sibling of).
    """
    if not check_limiter.allow(principal.organisation_id, per_minute):
        raise TooManyRequests(
            Message(
                "Your organisation checked more than %(limit)s codes in a minute; wait a moment.",
                limit=per_minute,
            ),
            errors=[("query.code", Message("rate limit reached"))],
        )
    canonical = normalise_code(code)
    found: CustomerDeclaration | None = None
    if canonical is not None:
        found = session.scalars(
            select(CustomerDeclaration).where(CustomerDeclaration.code == canonical)
        ).one_or_none()
    if found is None or found.status == "draft":
        answer = CheckAnswer(code=canonical or code.strip()[:40], status=CheckStatus.not_found)
    else:
        supplier = accounts_service.organisation_names(session, {found.supplier_organisation_id})
        answer = CheckAnswer(
            code=found.code,
            status=CheckStatus(state_of(found).value),
            substance_id=found.substance_id,
            substance_name=found.substance_name,
            quantity_left=quantity_left(found),
            unit=found.unit,
            valid_until=found.valid_until,
            customer_name=found.customer_name,
            supplier_name=supplier.get(found.supplier_organisation_id, ""),
        )
    audit.record(
        session,
        principal,
        "declaration.checked",
        record_type=RECORD_TYPE,
        record_id=found.id if found is not None and answer.status != "not_found" else None,
        details={"code": answer.code, "answer": answer.status.value},
    )
    return answer


# --- Figures for authorities ----------------------------------------------------------------


def declared_quantities(
    session: Session, principal: Principal, *, country: str, year: int
) -> dict[str, float]:
    """Kilograms per substance id that operators of a country declared (signed) in a year.

    For authorities of that country (the ALR chart). Revoked declarations and drafts do not
    count; litres count when the substance's density is known.
    """
    if not principal.is_authority:
        raise Forbidden(Message("Declared quantities are for authorities."))
    country = country.strip().upper()
    if country != principal.country:
        raise Forbidden(
            Message("Authorities see the declarations of their own country's operators.")
        )
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    stmt = (
        select(
            CustomerDeclaration.substance_id,
            CustomerDeclaration.unit,
            func.sum(CustomerDeclaration.quantity),
        )
        .where(
            _visibility(principal),
            CustomerDeclaration.customer_country == country,
            CustomerDeclaration.status == "signed",
            CustomerDeclaration.signed_at >= start,
            CustomerDeclaration.signed_at < end,
        )
        .group_by(CustomerDeclaration.substance_id, CustomerDeclaration.unit)
    )
    totals: dict[str, float] = {}
    for substance_id, unit, quantity in session.execute(stmt).all():
        kg = quantity_in_kg(str(substance_id), float(quantity or 0.0), str(unit))
        if kg is not None:
            totals[str(substance_id)] = round(totals.get(str(substance_id), 0.0) + kg, 6)
    return totals


def find_industry_member(session: Session, principal: Principal, name: str) -> int | None:
    """The id of the active industry member with exactly this name (any case), not one's own.

    Forms name the counterparty as the customer knows it; no directory of members is shown.
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    for org in accounts_service.list_organisations(session, None):
        if (
            org.name.casefold() == wanted
            and org.kind is OrgKind.industry
            and org.status == OrgStatus.active
            and org.id != principal.organisation_id
        ):
            return org.id
    return None


@dataclass(frozen=True)
class RequirementUse:
    """One substance of a country's ALR beside what its operators declared in a year."""

    substance_id: str
    substance_name: str
    requirement_kg: float | None  # None: declared, but the country has set no ALR for it
    declared_kg: float

    @property
    def share(self) -> float | None:
        """Declared as a share of the requirement (1.0 = all of it)."""
        if not self.requirement_kg:
            return None
        return self.declared_kg / self.requirement_kg


def requirement_use(
    session: Session, principal: Principal, *, country: str, year: int
) -> list[RequirementUse]:
    """A country's annual legitimate requirements against the quantities its operators declared.

    Declared quantities above the requirement are the signal INCB asks authorities to look at
    (ALR are estimates of licit need; more than that is either growth or diversion).
    """
    declared = declared_quantities(session, principal, country=country, year=year)
    requirements = licensing_service.list_requirements(session, country=country)
    catalog = catalog_service.snapshot(session)
    rows = [
        RequirementUse(
            r.substance_id, r.substance_name, r.quantity_kg, declared.get(r.substance_id, 0.0)
        )
        for r in requirements
    ]
    listed = {r.substance_id for r in requirements}
    for substance_id, kg in sorted(declared.items()):
        if substance_id not in listed:
            record = catalog.records.get(substance_id)
            name = record.name if record else substance_id
            rows.append(RequirementUse(substance_id, name, None, kg))
    return sorted(rows, key=lambda r: (-(r.share or 0.0), r.substance_name))
