"""Web pages of the catalog: the searchable substance list, a page per substance, countries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.catalog import service as catalog_service
from precx.catalog.schemas import EuCategory, OsceStatus, PenRequirementSet, UnTable
from precx.db import DbSession
from precx.kit.i18n import Message
from precx.kit.problems import DomainError
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/substances", response_class=HTMLResponse)
def substances(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
    un_table: UnTable | None = None,
    eu_category: EuCategory | None = None,
    watched: bool | None = None,
) -> HTMLResponse:
    """Search by CAS number, HS/CN code or name; or browse by table and category."""
    found = catalog_service.identify(session, q) if q and q.strip() else None
    listed = (
        []
        if found
        else catalog_service.list_substances(
            session, un_table=un_table, eu_category=eu_category, watched=watched
        )
    )
    return render(
        request,
        "catalog/substances.html",
        {
            "q": q or "",
            "found": found,
            "substances": listed,
            "un_table": un_table,
            "eu_category": eu_category,
            "watched": watched,
        },
        principal=principal,
    )


@router.get("/substances/{substance_id}", response_class=HTMLResponse)
def substance(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    substance_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")],
    concentration: Annotated[float | None, Query(ge=0, le=100)] = None,
) -> HTMLResponse:
    """Everything the catalog holds on one substance, and a mixture check."""
    found = catalog_service.get_substance(session, substance_id)
    parent = catalog_service.get_substance(session, found.parent) if found.parent else None
    salts = [catalog_service.get_substance(session, s) for s in found.salts_and_isomers]
    assessment = None
    if concentration is not None:
        try:
            assessment = catalog_service.assess_mixture(session, substance_id, concentration)
        except DomainError:
            assessment = None
    return render(
        request,
        "catalog/substance.html",
        {
            "s": found,
            "parent": parent,
            "salts": salts,
            "assessment": assessment,
            "concentration": concentration,
        },
        principal=principal,
    )


@router.get("/countries", response_class=HTMLResponse)
def countries(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    osce_status: OsceStatus | None = None,
) -> HTMLResponse:
    """Countries with their OSCE status and EU membership."""
    listed = catalog_service.list_countries(session, osce_status=osce_status)
    return render(
        request,
        "catalog/countries.html",
        {"countries": listed, "osce_status": osce_status},
        principal=principal,
    )


@router.get("/countries/{code}", response_class=HTMLResponse)
def country(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    code: Annotated[str, Path(min_length=2, max_length=60)],
) -> HTMLResponse:
    """One country and the substances for which it asks for pre-export notifications."""
    found = catalog_service.get_country(session, code)
    maintains = catalog_service.maintains_pen_requirements(principal, found.iso2)
    choices = catalog_service.list_substances(session) if maintains else []
    return render(
        request,
        "catalog/country.html",
        {"c": found, "maintains": maintains, "choices": choices},
        principal=principal,
    )


@router.post("/countries/{code}/pen-requirements")
def set_pen_requirement(
    session: DbSession,
    principal: WebPrincipal,
    code: Annotated[str, Path(min_length=2, max_length=60)],
    substance_id: Annotated[str, Form(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")],
    required: Annotated[bool, Form()],
    note: Annotated[str, Form(max_length=1000)] = "",
    source: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The country's licensing authority records a request for notifications."""
    try:
        result = catalog_service.set_pen_requirement(
            session,
            principal,
            code,
            substance_id,
            data=PenRequirementSet(required=required, note=note, source=source),
        )
    except DomainError as exc:
        return redirect(f"/countries/{code}", exc.detail, "error")
    return redirect(
        f"/countries/{code}",
        Message("Saved for %(substance)s.", substance=result.substance),
        "success",
    )
