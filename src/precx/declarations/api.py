"""REST routes of customer declarations: sign, record paper, list, read, revoke, deliver, check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from pydantic import ValidationError

from precx.accounts.auth import ApiPrincipal
from precx.config import Settings
from precx.db import DbSession
from precx.declarations import service as declarations_service
from precx.declarations.schemas import (
    CheckAnswer,
    DeclarationPage,
    DeclarationRead,
    DeclarationSign,
    DeliveryCreate,
    DeliveryRead,
    PaperDeclaration,
    RevokeRequest,
)
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import InvalidInput, problem_responses

router = APIRouter(prefix="/api/v1/declarations", tags=["declarations"])
# Outside /declarations/ so that no path of it reads like a declaration's id.
paper_router = APIRouter(prefix="/api/v1/paper-declarations", tags=["declarations"])

PAPER_FIELDS = (
    "customer_organisation_id",
    "customer_name",
    "customer_address",
    "customer_country",
    "licence_number",
    "substance",
    "kind",
    "quantity",
    "unit",
    "intended_use",
    "signatory_name",
    "signatory_position",
    "signed_on",
    "valid_from",
    "valid_until",
)


def invalid_input(exc: ValidationError, prefix: str = "body.") -> InvalidInput:
    """A validation failure as a domain error naming each field at fault."""
    errors = [
        (prefix + ".".join(str(p) for p in e["loc"]) if e["loc"] else prefix.rstrip("."), e["msg"])
        for e in exc.errors()
    ]
    return InvalidInput("; ".join(f"{f}: {m}" for f, m in errors[:5]), errors=errors)


def paper_from_form(
    values: dict[str, str],
    invalid: Callable[[ValidationError], InvalidInput] = invalid_input,
) -> PaperDeclaration:
    """The paper declaration the form fields describe; blank fields count as not given.

    A failure is raised as `invalid` makes it (the pages give their own, in their language)."""
    given = {k: v.strip() for k, v in values.items() if k in PAPER_FIELDS and v and v.strip()}
    try:
        return PaperDeclaration.model_validate(given)
    except ValidationError as exc:
        raise invalid(exc) from exc


def check_rate(request: Request) -> int:
    """Code checks per organisation and minute: the rate set for licence verifications."""
    settings: Settings = request.app.state.settings
    return settings.verify_rate_per_minute


def read_scan(file: UploadFile) -> bytes:
    """The uploaded scan's bytes, refused as soon as it grows beyond the size limit."""
    limit = declarations_service.MAX_SCAN_BYTES
    chunks: list[bytes] = []
    size = 0
    while chunk := file.file.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise InvalidInput(
                f"The scan is larger than {limit // 2**20} MB.", errors=[("scan", "too large")]
            )
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "",
    response_model=DeclarationRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def sign_declaration(
    data: DeclarationSign, session: DbSession, principal: ApiPrincipal
) -> DeclarationRead:
    """The customer signs a declaration addressed to a supplier (or keeps it as a draft)."""
    return declarations_service.describe_one(
        session, declarations_service.sign_declaration(session, principal, data=data)
    )


@paper_router.post(
    "",
    response_model=DeclarationRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def record_paper_declaration(
    session: DbSession,
    principal: ApiPrincipal,
    scan: Annotated[UploadFile, File(description="The signed paper: PDF, PNG or JPEG.")],
    substance: Annotated[str, Form(max_length=200)],
    quantity: Annotated[str, Form(max_length=40)],
    intended_use: Annotated[str, Form(max_length=2000)],
    customer_address: Annotated[str, Form(max_length=500)],
    signatory_name: Annotated[str, Form(max_length=200)],
    signatory_position: Annotated[str, Form(max_length=200)],
    signed_on: Annotated[str, Form(max_length=10)],
    valid_until: Annotated[str, Form(max_length=10)],
    unit: Annotated[str, Form(max_length=2)] = "kg",
    kind: Annotated[str, Form(max_length=8)] = "single",
    valid_from: Annotated[str, Form(max_length=10)] = "",
    licence_number: Annotated[str, Form(max_length=60)] = "",
    customer_organisation_id: Annotated[str, Form(max_length=12)] = "",
    customer_name: Annotated[str, Form(max_length=200)] = "",
    customer_country: Annotated[str, Form(max_length=2)] = "",
) -> DeclarationRead:
    """The supplier records a paper declaration it received, with the scan (multipart form)."""
    data = paper_from_form(
        {
            "substance": substance,
            "quantity": quantity,
            "unit": unit,
            "kind": kind,
            "intended_use": intended_use,
            "customer_address": customer_address,
            "signatory_name": signatory_name,
            "signatory_position": signatory_position,
            "signed_on": signed_on,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "licence_number": licence_number,
            "customer_organisation_id": customer_organisation_id,
            "customer_name": customer_name,
            "customer_country": customer_country,
        }
    )
    declaration = declarations_service.record_paper_declaration(
        session, principal, data=data, scan=read_scan(scan), filename=scan.filename or "scan"
    )
    return declarations_service.describe_one(session, declaration)


Direction = Annotated[
    str | None,
    Query(pattern="^(given|received)$", description="given: as customer; received: as supplier."),
]
Status = Annotated[
    str | None,
    Query(
        pattern="^(draft|valid|expired|revoked|exhausted)$",
        description="What the declaration is worth today.",
    ),
]
SubstanceQ = Annotated[
    str | None,
    Query(max_length=80, description="A substance: catalog id, CAS number, HS code or name."),
]
Counterparty = Annotated[
    str | None, Query(max_length=200, description="Words in the other party's name.")
]


@router.get("", response_model=DeclarationPage, responses=problem_responses(401, 422))
def list_declarations(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    direction: Direction = None,
    status: Status = None,
    substance: SubstanceQ = None,
    counterparty: Counterparty = None,
) -> DeclarationPage:
    """Declarations the caller may read, newest first; filters narrow, `sort` orders."""
    filters = declarations_service.DeclarationFilters(
        direction=direction, substance_id=substance, state=status, counterparty=counterparty
    )
    page = declarations_service.list_declarations(session, principal, params, filters)
    return DeclarationPage(
        items=declarations_service.describe(session, page.items),
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/check", response_model=CheckAnswer, responses=problem_responses(401, 422, 429))
def check_code(
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
    code: Annotated[str, Query(min_length=1, max_length=40, description="CD-XXXX-XXXX-XXXX")],
) -> CheckAnswer:
    """Whether a declaration code holds, for which substance, how much is left, until when."""
    return declarations_service.check_code(session, principal, code, per_minute=check_rate(request))


@router.get(
    "/{declaration_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 404, 422)},
)
def declaration_pdf(
    declaration_id: PathId, request: Request, session: DbSession, principal: ApiPrincipal
) -> Response:
    """The declaration as a PDF with its verification code and a QR code to check it."""
    name, content = declarations_service.declaration_pdf(
        session, principal, declaration_id, base_url=str(request.base_url)
    )
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/{declaration_id}", response_model=DeclarationRead, responses=problem_responses(401, 404, 422)
)
def get_declaration(
    declaration_id: PathId, session: DbSession, principal: ApiPrincipal
) -> DeclarationRead:
    """One declaration; 404 when it does not exist or the caller may not read it."""
    return declarations_service.describe_one(
        session, declarations_service.get_declaration(session, principal, declaration_id)
    )


@router.get(
    "/{declaration_id}/scan",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}},
        **problem_responses(401, 404, 422),
    },
)
def declaration_scan(
    declaration_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """The scan of a paper declaration."""
    name, content_type, content = declarations_service.get_scan(session, principal, declaration_id)
    return Response(
        content,
        media_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/{declaration_id}/sign",
    response_model=DeclarationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def sign_draft(
    declaration_id: PathId, session: DbSession, principal: ApiPrincipal
) -> DeclarationRead:
    """The customer signs its draft; the supplier sees it from then on."""
    return declarations_service.describe_one(
        session, declarations_service.sign_draft(session, principal, declaration_id)
    )


@router.post(
    "/{declaration_id}/revoke",
    response_model=DeclarationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def revoke_declaration(
    declaration_id: PathId, data: RevokeRequest, session: DbSession, principal: ApiPrincipal
) -> DeclarationRead:
    """The customer (or its licensing authority) withdraws a declaration."""
    declaration = declarations_service.revoke_declaration(
        session, principal, declaration_id, reason=data.reason
    )
    return declarations_service.describe_one(session, declaration)


@router.post(
    "/{declaration_id}/deliveries",
    response_model=DeliveryRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def record_delivery(
    declaration_id: PathId, data: DeliveryCreate, session: DbSession, principal: ApiPrincipal
) -> DeliveryRead:
    """The supplier records a delivery; refused beyond the quantity left."""
    delivery = declarations_service.record_delivery(session, principal, declaration_id, data=data)
    return DeliveryRead.model_validate(delivery)


@router.get(
    "/{declaration_id}/deliveries",
    response_model=list[DeliveryRead],
    responses=problem_responses(401, 404, 422),
)
def list_deliveries(
    declaration_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[DeliveryRead]:
    """The deliveries made against a declaration, oldest first."""
    return [
        DeliveryRead.model_validate(d)
        for d in declarations_service.list_deliveries(session, principal, declaration_id)
    ]
