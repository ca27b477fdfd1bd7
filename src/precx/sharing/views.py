"""Web pages of sharing groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.db import DbSession
from precx.kit.i18n import Message
from precx.kit.ids import MAX_ID, PathId
from precx.kit.problems import DomainError
from precx.sharing import service as sharing_service
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/sharing-groups", response_class=HTMLResponse)
def groups(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The sharing groups of the user's organisation, with their members."""
    listed = sharing_service.list_sharing_groups(session, principal)
    members = {g.id: sharing_service.group_members(session, principal, g.id) for g in listed}
    candidates = (
        accounts_service.list_organisations(session, principal)
        if principal.is_admin and principal.is_authority
        else []
    )
    return render(
        request,
        "sharing/groups.html",
        {"groups": listed, "members": members, "candidates": candidates},
        principal=principal,
    )


@router.post("/sharing-groups")
def create_group(
    session: DbSession,
    principal: WebPrincipal,
    name: Annotated[str, Form(min_length=3, max_length=120)],
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Create a sharing group."""
    try:
        sharing_service.create_sharing_group(
            session, principal, name=name.strip(), description=description
        )
    except DomainError as exc:
        return redirect("/sharing-groups", exc.detail, "error")
    return redirect("/sharing-groups", Message("The sharing group has been created."), "success")


@router.post("/sharing-groups/{group_id}/members")
def add_member(
    group_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    organisation_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Add a member organisation."""
    try:
        sharing_service.add_group_member(session, principal, group_id, organisation_id)
    except DomainError as exc:
        return redirect("/sharing-groups", exc.detail, "error")
    return redirect("/sharing-groups", Message("The organisation has been added."), "success")


@router.post("/sharing-groups/{group_id}/members/{organisation_id}/remove")
def remove_member(
    group_id: PathId, organisation_id: PathId, session: DbSession, principal: WebPrincipal
) -> Response:
    """Remove a member organisation."""
    try:
        sharing_service.remove_group_member(session, principal, group_id, organisation_id)
    except DomainError as exc:
        return redirect("/sharing-groups", exc.detail, "error")
    return redirect("/sharing-groups", Message("The organisation has been removed."), "success")
