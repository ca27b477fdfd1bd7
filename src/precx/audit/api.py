"""REST route of the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from precx.accounts.auth import ApiPrincipal
from precx.audit import service as audit_service
from precx.audit.schemas import AuditEntryRead, AuditPage
from precx.db import DbSession
from precx.kit.pagination import PageParams
from precx.kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage, responses=problem_responses(401, 403, 422))
def list_entries(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    action: Annotated[str | None, Query(max_length=100)] = None,
) -> AuditPage:
    """Audit entries of the caller's organisation, newest first (administrators)."""
    page = audit_service.list_entries(session, principal, params, action=action)
    return AuditPage(
        items=[AuditEntryRead.model_validate(e) for e in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )
