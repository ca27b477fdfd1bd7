"""Web page of the audit log, for organisation admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.audit import service as audit_service
from precx.db import DbSession
from precx.kit.pagination import PageParams
from precx.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    action: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    """What the organisation's users did, newest first."""
    entries = audit_service.list_entries(
        session, principal, PageParams(page=page, per_page=50), action=action or None
    )
    return render(
        request, "audit/log.html", {"entries": entries, "action": action or ""}, principal=principal
    )
