"""Web pages of customer declarations: lists, the signing and paper forms, one, the code check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.accounts.principal import OrgKind
from precx.db import DbSession
from precx.declarations import service as declarations_service
from precx.declarations.api import check_rate, paper_from_form
from precx.declarations.schemas import (
    DeclarationSign,
    DeliveryCreate,
    RevokeRequest,
)
from precx.kit.i18n import Message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError, InvalidInput
from precx.web.forms import invalid_form
from precx.web.lists import listed_by_substance
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

STATES = ("valid", "expired", "revoked", "exhausted", "draft")
SIGN_FIELDS = (
    "supplier_name",
    "substance",
    "kind",
    "quantity",
    "unit",
    "intended_use",
    "customer_address",
    "licence_number",
    "signatory_name",
    "signatory_position",
    "valid_from",
    "valid_until",
)


def _errors(exc: DomainError) -> dict[str, str]:
    """Form errors by field name (the last part of each field's path)."""
    return {e.field.split(".")[-1]: e.message for e in exc.errors} or {"": exc.detail}


def _read_scan(file: UploadFile) -> bytes:
    """The uploaded scan's bytes, read no further than one byte beyond the size limit (so the
    service refuses a larger one, in the page's language)."""
    content: bytes = file.file.read(declarations_service.MAX_SCAN_BYTES + 1)
    return content


@router.get("/declarations", response_class=HTMLResponse)
def declarations_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    direction: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=10)] = None,
    substance: Annotated[str | None, Query(max_length=80)] = None,
    counterparty: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Declarations received (as supplier) and given (as customer), filtered."""
    is_industry = principal.organisation_kind is OrgKind.industry
    if direction not in ("given", "received"):
        direction = "received" if is_industry else None
    filters = declarations_service.DeclarationFilters(
        direction=direction,
        substance_id=substance or None,
        state=status if status in STATES else None,
        counterparty=counterparty or None,
    )
    params = PageParams(page=page, per_page=25, sort=sort)
    listed, filters, error = listed_by_substance(
        lambda chosen: declarations_service.list_declarations(session, principal, params, chosen),
        filters,
    )
    return render(
        request,
        "declarations/list.html",
        {
            "error": error,
            "substance": substance or "",
            "declarations": listed,
            "rows": declarations_service.describe(session, listed.items),
            "filters": filters,
            "direction": direction,
            "is_industry": is_industry,
            "states": STATES,
            "sort": sort or "",
        },
        principal=principal,
    )


def _sign_form(
    request: Request,
    principal: WebPrincipal,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "declarations/sign.html",
        {"values": values, "errors": errors, "max_until": _max_until()},
        principal=principal,
        status_code=status,
    )


def _max_until() -> str:
    return declarations_service.one_year_after(declarations_service.today()).isoformat()


def _sign_data(
    session: DbSession, principal: WebPrincipal, values: dict[str, str], *, sign: bool
) -> DeclarationSign:
    supplier_id = declarations_service.find_industry_member(
        session, principal, values.get("supplier_name", "")
    )
    if supplier_id is None:
        raise InvalidInput(
            Message("No industry member of that exact name is on the platform."),
            errors=[
                (
                    "supplier_name",
                    Message("no industry member of that exact name on the platform"),
                )
            ],
        )
    given = {
        k: v.strip()
        for k, v in values.items()
        if k in SIGN_FIELDS and k != "supplier_name" and v.strip()
    }
    try:
        return DeclarationSign.model_validate(
            {**given, "supplier_organisation_id": supplier_id, "sign": sign}
        )
    except ValidationError as exc:
        raise invalid_form(exc) from exc


@router.get("/declarations/new", response_class=HTMLResponse)
def new_declaration(request: Request, principal: WebPrincipal) -> HTMLResponse:
    """The form a customer fills in and signs."""
    values = {
        "kind": "multiple",
        "unit": "kg",
        "signatory_name": principal.name,
        "valid_from": declarations_service.today().isoformat(),
        "valid_until": _max_until(),
    }
    return _sign_form(request, principal, values, {})


@router.post("/declarations/new/check", response_class=HTMLResponse)
async def check_declaration_form(
    request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The live check of the signing form: what is wrong so far, nothing stored."""
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in SIGN_FIELDS}
    errors: dict[str, str] = {}
    try:
        data = _sign_data(session, principal, values, sign=True)
        declarations_service.validate_signing(session, principal, data=data)
    except DomainError as exc:
        errors = _errors(exc)
        # Until every field parses the service cannot judge the whole; judge the substance alone.
        if values["substance"].strip() and "substance" not in errors:
            problem = declarations_service.substance_problem(session, values["substance"])
            if problem:
                errors["substance"] = problem
    # Only fields the user has filled in are judged, so an empty form is not all red.
    shown = {k: v for k, v in errors.items() if not k or values.get(k, "").strip()}
    return render(request, "declarations/_live.html", {"errors": shown}, principal=principal)


@router.post("/declarations/new", response_class=HTMLResponse)
async def sign_declaration(
    request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Sign (or save as a draft) the declaration, or show the form again with what is wrong."""
    form = await request.form()
    values = {k: str(form.get(k, ""))[:2000] for k in SIGN_FIELDS}
    sign = str(form.get("action", "sign")) != "draft"
    try:
        data = _sign_data(session, principal, values, sign=sign)
        declaration = declarations_service.sign_declaration(session, principal, data=data)
    except DomainError as exc:
        return _sign_form(request, principal, values, _errors(exc), exc.status)
    message = Message("The declaration is signed.") if sign else Message("The draft is saved.")
    return redirect(f"/declarations/{declaration.id}", message, "success")


def _paper_form(
    request: Request,
    principal: WebPrincipal,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "declarations/paper.html",
        {
            "values": values,
            "errors": errors,
            "max_mb": declarations_service.MAX_SCAN_BYTES // 2**20,
        },
        principal=principal,
        status_code=status,
    )


@router.get("/declarations/paper", response_class=HTMLResponse)
def new_paper_declaration(request: Request, principal: WebPrincipal) -> HTMLResponse:
    """The form for a received paper declaration and its scan."""
    values = {"kind": "single", "unit": "kg", "signed_on": declarations_service.today().isoformat()}
    return _paper_form(request, principal, values, {})


@router.post("/declarations/paper", response_class=HTMLResponse)
async def record_paper_declaration(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    scan: Annotated[UploadFile, File()],
) -> Response:
    """Record the paper declaration, or show the form again with what is wrong."""
    form = await request.form()
    fields = (
        "customer_party",
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
    values = {k: str(form.get(k, ""))[:2000] for k in fields}
    try:
        given = dict(values)
        party = values["customer_party"].strip()
        if party:
            party_id = declarations_service.find_industry_member(session, principal, party)
            if party_id is None:
                raise InvalidInput(
                    Message("No industry member of that exact name is on the platform."),
                    errors=[("customer_party", Message("no industry member of that exact name"))],
                )
            given["customer_organisation_id"] = str(party_id)
        data = paper_from_form(given, invalid=invalid_form)
        declaration = declarations_service.record_paper_declaration(
            session, principal, data=data, scan=_read_scan(scan), filename=scan.filename or "scan"
        )
    except DomainError as exc:
        return _paper_form(request, principal, values, _errors(exc), exc.status)
    return redirect(
        f"/declarations/{declaration.id}", Message("The paper declaration is recorded."), "success"
    )


@router.get("/declarations/alr-use", response_class=HTMLResponse)
def requirement_use_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    """An authority's country: quantities declared in a year against its ALR, as a chart."""
    chosen = year or declarations_service.today().year
    rows = declarations_service.requirement_use(
        session, principal, country=principal.country, year=chosen
    )
    chart = {
        "names": [r.substance_name for r in rows],
        "requirement": [r.requirement_kg for r in rows],
        "declared": [r.declared_kg for r in rows],
    }
    return render(
        request,
        "declarations/alr_use.html",
        {"rows": rows, "year": chosen, "chart": chart},
        principal=principal,
    )


@router.get("/declarations/check", response_class=HTMLResponse)
def check_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    code: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    """Check a declaration code (typed, or from the QR code on its PDF)."""
    answer = None
    error = ""
    if code and code.strip():
        try:
            answer = declarations_service.check_code(
                session, principal, code, per_minute=check_rate(request)
            )
        except DomainError as exc:
            error = exc.detail
    return render(
        request,
        "declarations/check.html",
        {"code": code or "", "answer": answer, "error": error},
        principal=principal,
    )


@router.get("/declarations/{declaration_id}.pdf")
def declaration_pdf(
    declaration_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Download the declaration as a PDF with its code and QR code."""
    name, content = declarations_service.declaration_pdf(
        session, principal, declaration_id, base_url=str(request.base_url)
    )
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/declarations/{declaration_id}/scan")
def declaration_scan(
    declaration_id: PathId, session: DbSession, principal: WebPrincipal
) -> Response:
    """Download the scan of a paper declaration."""
    name, content_type, content = declarations_service.get_scan(session, principal, declaration_id)
    return Response(
        content,
        media_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _detail(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    declaration_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    declaration = declarations_service.get_declaration(session, principal, declaration_id)
    view = declarations_service.describe_one(session, declaration)
    url = declarations_service.check_url(str(request.base_url), view.code)
    return render(
        request,
        "declarations/detail.html",
        {
            "d": view,
            "check_url": url,
            "qr": declarations_service.qr_svg_data_uri(url),
            "deliveries": declarations_service.list_deliveries(session, principal, declaration_id),
            "may_deliver": declarations_service.may_deliver(principal, declaration),
            "may_revoke": declarations_service.may_revoke(principal, declaration),
            "may_sign": view.status == "draft"
            and view.customer_organisation_id == principal.organisation_id
            and principal.can_write,
            "today": declarations_service.today().isoformat(),
            "errors": errors or {},
        },
        principal=principal,
        status_code=status,
    )


@router.get("/declarations/{declaration_id}", response_class=HTMLResponse)
def declaration_page(
    declaration_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One declaration: its terms, QR code, PDF, deliveries and what the user may do."""
    return _detail(request, session, principal, declaration_id)


@router.post("/declarations/{declaration_id}/deliveries", response_class=HTMLResponse)
def record_delivery(
    declaration_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    quantity: Annotated[str, Form(max_length=40)] = "",
    delivered_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Record a delivery against the declaration."""
    given = {"quantity": quantity, "delivered_on": delivered_on, "reference": reference}
    try:
        try:
            data = DeliveryCreate.model_validate({k: v for k, v in given.items() if v.strip()})
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        declarations_service.record_delivery(session, principal, declaration_id, data=data)
    except DomainError as exc:
        # The refused change rolled back with nothing stored; show the page with the reason.
        return _detail(request, session, principal, declaration_id, _errors(exc), exc.status)
    return redirect(
        f"/declarations/{declaration_id}", Message("The delivery is recorded."), "success"
    )


@router.post("/declarations/{declaration_id}/revoke", response_class=HTMLResponse)
def revoke_declaration(
    declaration_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Revoke the declaration."""
    try:
        try:
            data = RevokeRequest(reason=reason)
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        declarations_service.revoke_declaration(
            session, principal, declaration_id, reason=data.reason
        )
    except DomainError as exc:
        return _detail(request, session, principal, declaration_id, _errors(exc), exc.status)
    return redirect(
        f"/declarations/{declaration_id}", Message("The declaration is revoked."), "success"
    )


@router.post("/declarations/{declaration_id}/sign", response_class=HTMLResponse)
def sign_draft(
    declaration_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Sign a draft."""
    try:
        declarations_service.sign_draft(session, principal, declaration_id)
    except DomainError as exc:
        return _detail(request, session, principal, declaration_id, _errors(exc), exc.status)
    return redirect(
        f"/declarations/{declaration_id}", Message("The declaration is signed."), "success"
    )
