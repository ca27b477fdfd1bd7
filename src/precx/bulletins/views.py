"""Web pages of bulletins: the list with search, sort and paging, the form, one bulletin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.db import DbSession
from precx.kit.i18n import Message, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError
from precx.kit.tabular import csv_response
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution, Tlp
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/bulletins", response_class=HTMLResponse)
def bulletins(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Bulletins the user may read."""
    params = PageParams(page=page, per_page=25, sort=sort)
    listed = bulletins_service.list_bulletins(session, principal, params, q=q or None)
    owners = accounts_service.organisation_names(
        session, {b.owner_organisation_id for b in listed.items}
    )
    return render(
        request,
        "bulletins/list.html",
        {"bulletins": listed, "owners": owners, "q": q or "", "sort": sort or ""},
        principal=principal,
    )


def _form(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    groups = sharing_service.list_sharing_groups(session, principal)
    return render(
        request,
        "bulletins/form.html",
        {
            "values": values,
            "errors": errors,
            "groups": groups,
            "distributions": list(Distribution),
            "tlps": list(Tlp),
        },
        principal=principal,
        status_code=status,
    )


@router.get("/bulletins/export.csv")
def export_bulletins(
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Download the bulletins the user may read (matching the search) as CSV."""
    rows = bulletins_service.export_rows(session, principal, q=q or None)
    return csv_response("bulletins.csv", bulletins_service.EXPORT_COLUMNS, rows)


@router.get("/bulletins/new", response_class=HTMLResponse)
def new_bulletin(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The form for a new bulletin."""
    return _form(request, session, principal, {"distribution": "organisation", "tlp": "amber"}, {})


@router.post("/bulletins/new", response_class=HTMLResponse)
def post_bulletin(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    title: Annotated[str, Form(max_length=300)] = "",
    body: Annotated[str, Form(max_length=25_000)] = "",
    distribution: Annotated[str, Form(max_length=40)] = "organisation",
    tlp: Annotated[str, Form(max_length=20)] = "amber",
    sharing_group_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Post the bulletin, or show the form again with what is wrong."""
    values = {
        "title": title,
        "body": body,
        "distribution": distribution,
        "tlp": tlp,
        "sharing_group_id": sharing_group_id,
    }
    try:
        data = BulletinCreate(
            title=title,
            body=body,
            distribution=distribution,
            tlp=tlp,
            sharing_group_id=int(sharing_group_id) if sharing_group_id.isdigit() else None,
        )
        bulletin = bulletins_service.post_bulletin(session, principal, data=data)
    except ValidationError as exc:
        errors: dict[str, str] = {str(e["loc"][0]): field_message(e) for e in exc.errors()}
        return _form(request, session, principal, values, errors, 422)
    except DomainError as exc:
        errors = {e.field.split(".")[-1]: e.message for e in exc.errors} or {"": exc.detail}
        return _form(request, session, principal, values, errors, exc.status)
    return redirect(
        f"/bulletins/{bulletin.id}", Message("The bulletin has been posted."), "success"
    )


@router.get("/bulletins/{bulletin_id}", response_class=HTMLResponse)
def bulletin(
    bulletin_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One bulletin with its marking."""
    found = bulletins_service.get_bulletin(session, principal, bulletin_id)
    owners = accounts_service.organisation_names(session, {found.owner_organisation_id})
    return render(
        request, "bulletins/detail.html", {"bulletin": found, "owners": owners}, principal=principal
    )
