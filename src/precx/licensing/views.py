"""Web pages of licensing: the register, a licence with its history, ALR, verifying a licence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect, settings_of
from precx.accounts.principal import OrgKind, Principal
from precx.db import DbSession
from precx.kit.i18n import Message, _, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError
from precx.kit.tabular import csv_response, xlsx_response
from precx.licensing import service as licensing_service
from precx.licensing.api import read_upload
from precx.licensing.models import Licence
from precx.licensing.schemas import (
    Activity,
    Category,
    LicenceAmend,
    LicenceCreate,
    LicenceKind,
    LicenceRenew,
    LicenceStatus,
    RequirementSet,
    StatusChange,
    VerificationStatus,
)
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


# Values the pages show through `_(value)`: kinds, activities, statuses, history actions.
LABELS = (
    _("licence"),
    _("registration"),
    _("manufacture"),
    _("possession"),
    _("placing_on_market"),
    _("import"),
    _("export"),
    _("intermediary_trade"),
    _("active"),
    _("expired"),
    _("suspended"),
    _("revoked"),
    _("issued"),
    _("amended"),
    _("renewed"),
    _("reinstated"),
    _("imported"),
)

T = TypeVar("T")
STATUSES = tuple(s.value for s in LicenceStatus)
KINDS = tuple(k.value for k in LicenceKind)


def _clean(value: str | None, allowed: tuple[str, ...] | None = None) -> str | None:
    if not value or not value.strip():
        return None
    if allowed is not None and value not in allowed:
        return None
    return value.strip()


def _in_savepoint(session: DbSession, work: Callable[[], T]) -> T:
    """Run a change so that, when it fails, nothing of it stays in the request's transaction."""
    with session.begin_nested():
        return work()


def _errors(exc: ValidationError | DomainError) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        errors: dict[str, str] = {}
        for e in exc.errors():
            key = str(e["loc"][0]) if e["loc"] else ""
            errors.setdefault(key, field_message(e))
        return errors
    found = {
        e.field.removeprefix("body.").removeprefix("query.").split(".")[0]: e.message
        for e in exc.errors
    }
    return found or {"": exc.detail}


def _lines(value: str) -> list[str]:
    return [p.strip() for p in value.replace(";", "\n").splitlines() if p.strip()]


def _limits(value: str) -> dict[str, str]:
    limits: dict[str, str] = {}
    for part in _lines(value):
        name, _, kg = part.rpartition("=")
        limits[(name or part).strip()] = kg.strip() if name else ""
    return limits


def _holders(session: DbSession, principal: Principal) -> list[Any]:
    return [
        o
        for o in accounts_service.list_organisations(session, principal)
        if o.country == principal.country
        and o.kind in (OrgKind.industry.value, OrgKind.logistics.value)
    ]


# --- The register ---------------------------------------------------------------------------


@router.get("/licences", response_class=HTMLResponse)
def register(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    substance: Annotated[str | None, Query(max_length=200)] = None,
    holder: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The register (authorities), or the licences the user's organisation holds."""
    filters = licensing_service.RegisterFilter(
        q=_clean(q),
        status=_clean(status, STATUSES),
        kind=_clean(kind, KINDS),
        substance=_clean(substance),
        holder=_clean(holder),
    )
    params = PageParams(page=page, per_page=25, sort=sort)
    error = ""
    try:
        listed = licensing_service.list_licences(session, principal, params, filters)
    except DomainError as exc:
        error = exc.detail
        filters = licensing_service.RegisterFilter(q=filters.q, status=filters.status)
        listed = licensing_service.list_licences(session, principal, params, filters)
    return render(
        request,
        "licensing/list.html",
        {
            "licences": listed,
            "filters": filters,
            "sort": sort or "",
            "statuses": STATUSES,
            "kinds": KINDS,
            "error": error,
            "is_register": licensing_service.reads_register(principal),
            "maintains": licensing_service.maintains_register(principal, principal.country),
            "query": request.url.query,
            "names": licensing_service.catalog_names(session),
        },
        principal=principal,
    )


@router.get("/licences/export.csv")
def export_csv(session: DbSession, principal: WebPrincipal) -> Response:
    """Download the licences the user may read as CSV (the columns an import takes)."""
    rows = licensing_service.export_rows(session, principal)
    return csv_response("licences.csv", licensing_service.EXPORT_COLUMNS, rows)


@router.get("/licences/export.xlsx")
def export_xlsx(session: DbSession, principal: WebPrincipal) -> Response:
    """Download the licences the user may read as XLSX."""
    rows = licensing_service.export_rows(session, principal)
    return xlsx_response("licences.xlsx", licensing_service.EXPORT_COLUMNS, rows)


@router.post("/licences/import", response_class=HTMLResponse)
def import_register(
    session: DbSession, principal: WebPrincipal, file: Annotated[UploadFile, File()]
) -> Response:
    """Load a register file, or say on which line and column it failed (nothing is stored)."""
    try:
        filename, content = read_upload(file)
        created, updated = _in_savepoint(
            session,
            lambda: licensing_service.import_register_file(
                session, principal, filename=filename, content=content
            ),
        )
    except DomainError as exc:
        return redirect(
            "/licences", Message("Nothing imported: %(detail)s", detail=exc.detail), "error"
        )
    return redirect(
        "/licences",
        Message(
            "Imported %(file)s: %(created)s new, %(updated)s updated.",
            file=filename,
            created=created,
            updated=updated,
        ),
        "success",
    )


@router.get("/licences/verifications", response_class=HTMLResponse)
def verifications(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Who verified the licence numbers of the authority's country."""
    listed = licensing_service.list_verifications(
        session, principal, PageParams(page=page, per_page=50)
    )
    orgs, users = licensing_service.verifier_names(session, listed.items)
    return render(
        request,
        "licensing/verifications.html",
        {"entries": listed, "orgs": orgs, "users": users},
        principal=principal,
    )


def _licence_form(
    request: Request,
    session: DbSession,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    licence: Licence | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "licensing/form.html",
        {
            "values": values,
            "errors": errors,
            "licence": licence,
            "kinds": KINDS,
            "activities": [a.value for a in Activity],
            "categories": [c.value for c in Category],
            "holders": _holders(session, principal),
        },
        principal=principal,
        status_code=status,
    )


def _terms(
    holder_organisation_id: str,
    holder_name: str,
    holder_registration_number: str,
    holder_address: str,
    substances: str,
    categories: list[str],
    activities: list[str],
    premises: str,
    responsible_officer: str,
    valid_from: str,
    valid_until: str,
    quantity_limits: str,
    conditions: str,
) -> dict[str, Any]:
    return {
        "holder_organisation_id": int(holder_organisation_id)
        if holder_organisation_id.isdigit()
        else None,
        "holder_name": holder_name,
        "holder_registration_number": holder_registration_number,
        "holder_address": holder_address,
        "substances": _lines(substances),
        "categories": categories,
        "activities": activities,
        "premises": premises,
        "responsible_officer": responsible_officer,
        "valid_from": valid_from or None,
        "valid_until": valid_until or None,
        "quantity_limits": _limits(quantity_limits),
        "conditions": conditions,
    }


Text300 = Annotated[str, Form(max_length=300)]
Text600 = Annotated[str, Form(max_length=600)]
LongForm = Annotated[str, Form(max_length=20_000)]
Checks = Annotated[list[str], Form(max_length=10)]


@router.get("/licences/new", response_class=HTMLResponse)
def new_licence(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The form to issue a licence or registration."""
    today = licensing_service.today()
    values = {
        "kind": "licence",
        "country": principal.country,
        "valid_from": today.isoformat(),
        "valid_until": today.replace(year=today.year + 3).isoformat(),
        "activities": [],
        "categories": [],
    }
    return _licence_form(request, session, principal, values, {})


@router.post("/licences/new", response_class=HTMLResponse)
def post_licence(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    kind: Annotated[str, Form(max_length=20)] = "licence",
    number: Annotated[str, Form(max_length=100)] = "",
    holder_organisation_id: Annotated[str, Form(max_length=20)] = "",
    holder_name: Text300 = "",
    holder_registration_number: Text300 = "",
    holder_address: Text600 = "",
    substances: LongForm = "",
    categories: Checks = [],  # noqa: B006 - FastAPI copies form defaults
    activities: Checks = [],  # noqa: B006
    premises: LongForm = "",
    responsible_officer: Text300 = "",
    valid_from: Annotated[str, Form(max_length=20)] = "",
    valid_until: Annotated[str, Form(max_length=20)] = "",
    quantity_limits: LongForm = "",
    conditions: LongForm = "",
) -> Response:
    """Issue the licence, or show the form again with what is wrong."""
    terms = _terms(
        holder_organisation_id,
        holder_name,
        holder_registration_number,
        holder_address,
        substances,
        categories,
        activities,
        premises,
        responsible_officer,
        valid_from,
        valid_until,
        quantity_limits,
        conditions,
    )
    values: dict[str, Any] = {
        **terms,
        "kind": kind,
        "number": number,
        "country": principal.country,
        "substances": substances,
        "quantity_limits": quantity_limits,
        "holder_organisation_id": holder_organisation_id,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    try:
        data = LicenceCreate.model_validate(
            {**terms, "kind": kind, "number": number, "country": principal.country}
        )
        licence = _in_savepoint(
            session, lambda: licensing_service.issue_licence(session, principal, data=data)
        )
    except (ValidationError, DomainError) as exc:
        code = exc.status if isinstance(exc, DomainError) else 422
        return _licence_form(request, session, principal, values, _errors(exc), status=code)
    return redirect(
        f"/licences/{licence.id}",
        Message("%(number)s has been issued.", number=licence.number),
        "success",
    )


@router.get("/licences/{licence_id:int}", response_class=HTMLResponse)
def licence_page(
    licence_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One licence with its history and, for its authority, the actions on it."""
    licence = licensing_service.get_licence(session, principal, licence_id)
    history = licensing_service.licence_history(session, principal, licence_id)
    catalog = licensing_service.catalog_names(session)
    return render(
        request,
        "licensing/detail.html",
        {
            "licence": licence,
            "history": history,
            "names": catalog,
            "maintains": licensing_service.maintains_register(principal, licence.country),
        },
        principal=principal,
    )


@router.get("/licences/{licence_id:int}/amend", response_class=HTMLResponse)
def amend_form(
    licence_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The form to amend a licence, filled with its current terms."""
    licence = licensing_service.get_licence(session, principal, licence_id)
    values = {
        "kind": licence.kind,
        "number": licence.number,
        "country": licence.country,
        "holder_organisation_id": str(licence.holder_organisation_id or ""),
        "holder_name": licence.holder_name,
        "holder_registration_number": licence.holder_registration_number,
        "holder_address": licence.holder_address,
        "substances": "\n".join(licence.substances),
        "categories": licence.categories,
        "activities": licence.activities,
        "premises": licence.premises,
        "responsible_officer": licence.responsible_officer,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "quantity_limits": "\n".join(f"{k}={v:g}" for k, v in licence.quantity_limits.items()),
        "conditions": licence.conditions,
    }
    return _licence_form(request, session, principal, values, {}, licence=licence)


@router.post("/licences/{licence_id:int}/amend", response_class=HTMLResponse)
def post_amend(
    licence_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    holder_organisation_id: Annotated[str, Form(max_length=20)] = "",
    holder_name: Text300 = "",
    holder_registration_number: Text300 = "",
    holder_address: Text600 = "",
    substances: LongForm = "",
    categories: Checks = [],  # noqa: B006
    activities: Checks = [],  # noqa: B006
    premises: LongForm = "",
    responsible_officer: Text300 = "",
    valid_from: Annotated[str, Form(max_length=20)] = "",
    valid_until: Annotated[str, Form(max_length=20)] = "",
    quantity_limits: LongForm = "",
    conditions: LongForm = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Amend the licence, or show the form again with what is wrong."""
    licence = licensing_service.get_licence(session, principal, licence_id)
    terms = _terms(
        holder_organisation_id,
        holder_name,
        holder_registration_number,
        holder_address,
        substances,
        categories,
        activities,
        premises,
        responsible_officer,
        valid_from,
        valid_until,
        quantity_limits,
        conditions,
    )
    values: dict[str, Any] = {
        **terms,
        "kind": licence.kind,
        "number": licence.number,
        "country": licence.country,
        "substances": substances,
        "quantity_limits": quantity_limits,
        "holder_organisation_id": holder_organisation_id,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "reason": reason,
    }
    try:
        data = LicenceAmend.model_validate({**terms, "reason": reason})
        _in_savepoint(
            session,
            lambda: licensing_service.amend_licence(session, principal, licence_id, data=data),
        )
    except (ValidationError, DomainError) as exc:
        code = exc.status if isinstance(exc, DomainError) else 422
        return _licence_form(
            request, session, principal, values, _errors(exc), licence=licence, status=code
        )
    return redirect(
        f"/licences/{licence_id}",
        Message("%(number)s has been amended.", number=licence.number),
        "success",
    )


ACTIONS: dict[str, tuple[Callable[..., Licence], str]] = {
    "suspend": (licensing_service.suspend_licence, "suspended"),
    "reinstate": (licensing_service.reinstate_licence, "reinstated"),
    "revoke": (licensing_service.revoke_licence, "revoked"),
}


def _done(done: str, number: str) -> Message:
    """What the flash says after a licence was suspended, reinstated or (else) revoked."""
    if done == "suspended":
        return Message("%(number)s has been suspended.", number=number)
    if done == "reinstated":
        return Message("%(number)s has been reinstated.", number=number)
    return Message("%(number)s has been revoked.", number=number)


@router.post("/licences/{licence_id:int}/status", response_class=HTMLResponse)
def change_status(
    licence_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    action: Annotated[str, Form(pattern="^(suspend|reinstate|revoke)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Suspend, reinstate or revoke a licence, with the reason."""
    call, done = ACTIONS[action]
    try:
        data = StatusChange(reason=reason)
        licence = _in_savepoint(session, lambda: call(session, principal, licence_id, data=data))
    except ValidationError:
        return redirect(f"/licences/{licence_id}", Message("Give the reason."), "error")
    except DomainError as exc:
        return redirect(f"/licences/{licence_id}", exc.detail, "error")
    return redirect(f"/licences/{licence_id}", _done(done, licence.number), "success")


@router.post("/licences/{licence_id:int}/renew", response_class=HTMLResponse)
def renew(
    licence_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    valid_until: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Extend a licence's validity."""
    try:
        data = LicenceRenew.model_validate({"valid_until": valid_until or None, "reason": reason})
        licence = _in_savepoint(
            session,
            lambda: licensing_service.renew_licence(session, principal, licence_id, data=data),
        )
    except ValidationError:
        return redirect(
            f"/licences/{licence_id}", Message("Give the new end of validity."), "error"
        )
    except DomainError as exc:
        message = exc.errors[0].message if exc.errors else exc.detail
        return redirect(
            f"/licences/{licence_id}", Message("Not renewed: %(message)s", message=message), "error"
        )
    return redirect(
        f"/licences/{licence_id}",
        Message(
            "%(number)s is valid until %(until)s.",
            number=licence.number,
            until=licence.valid_until.isoformat(),
        ),
        "success",
    )


# --- Verification ---------------------------------------------------------------------------


def _verify_page(
    request: Request,
    principal: Principal,
    values: dict[str, str],
    *,
    answer: Any = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "licensing/verify.html",
        {
            "values": values,
            "answer": answer,
            "errors": errors or {},
            "activities": [a.value for a in Activity],
            "valid": VerificationStatus.valid,
        },
        principal=principal,
        status_code=status,
    )


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request, principal: WebPrincipal) -> HTMLResponse:
    """The form to verify a counterparty's licence or registration."""
    return _verify_page(request, principal, {})


@router.post("/verify", response_class=HTMLResponse)
def verify(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    country: Annotated[str, Form(max_length=10)] = "",
    number: Annotated[str, Form(max_length=100)] = "",
    substance: Annotated[str, Form(max_length=200)] = "",
    activity: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    """The answer: status, holder and validity, nothing more."""
    values = {"country": country, "number": number, "substance": substance, "activity": activity}
    try:
        licensing_service.check_verify_rate(
            session, principal, per_minute=settings_of(request).verify_rate_per_minute
        )
        answer = licensing_service.verify(
            session,
            principal,
            country=country,
            number=number,
            substance=substance or None,
            activity=activity or None,
        )
    except DomainError as exc:
        errors = _errors(exc)
        errors.setdefault("", exc.detail)
        return _verify_page(request, principal, values, errors=errors, status=exc.status)
    return _verify_page(request, principal, values, answer=answer)


# --- Annual legitimate requirements ---------------------------------------------------------


@router.get("/alr", response_class=HTMLResponse)
def alr(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    """Annual legitimate requirements by country and substance, with their changes."""
    chosen = _clean(country.upper() if country else None)
    return render(
        request,
        "licensing/alr.html",
        {
            "requirements": licensing_service.list_requirements(session, country=chosen),
            "history": licensing_service.requirement_history(session, country=chosen, limit=50),
            "country": chosen or "",
            "maintains": licensing_service.maintains_register(principal, principal.country),
            "names": licensing_service.catalog_names(session),
            "suggested": licensing_service.ALR_SUBSTANCES,
        },
        principal=principal,
    )


def _joined(exc: ValidationError | DomainError) -> str:
    """The errors of a form as one message: `field: message; field: message`."""
    joined: str = ""
    for key, value in _errors(exc).items():
        part = Message("%(field)s: %(message)s", field=key, message=value) if key else value
        joined = Message("%(earlier)s; %(more)s", earlier=joined, more=part) if joined else part
    return joined


@router.post("/alr/set", response_class=HTMLResponse)
def set_alr(
    session: DbSession,
    principal: WebPrincipal,
    substance: Annotated[str, Form(max_length=200)] = "",
    quantity_kg: Annotated[str, Form(max_length=30)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Set one requirement of the authority's country."""
    try:
        data = RequirementSet.model_validate(
            {
                "country": principal.country,
                "substance": substance,
                "quantity_kg": quantity_kg.replace(",", "") or None,
                "note": note,
            }
        )
        _in_savepoint(
            session, lambda: licensing_service.set_requirement(session, principal, data=data)
        )
    except (ValidationError, DomainError) as exc:
        return redirect("/alr", Message("Not saved: %(message)s", message=_joined(exc)), "error")
    return redirect(
        f"/alr?country={principal.country}", Message("The requirement is saved."), "success"
    )


@router.post("/alr/import", response_class=HTMLResponse)
def import_alr(
    session: DbSession, principal: WebPrincipal, file: Annotated[UploadFile, File()]
) -> Response:
    """Load a table of requirements, or say on which line and column it failed."""
    try:
        filename, content = read_upload(file)
        changed = _in_savepoint(
            session,
            lambda: licensing_service.import_requirements(
                session, principal, filename=filename, content=content
            ),
        )
    except DomainError as exc:
        return redirect("/alr", Message("Nothing imported: %(detail)s", detail=exc.detail), "error")
    return redirect(
        "/alr",
        Message(
            "Imported %(file)s: %(changed)s requirements changed.", file=filename, changed=changed
        ),
        "success",
    )
