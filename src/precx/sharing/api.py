"""REST routes of sharing groups."""

from __future__ import annotations

from fastapi import APIRouter, Response

from precx.accounts.auth import ApiPrincipal
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.problems import problem_responses
from precx.sharing import service as sharing_service
from precx.sharing.schemas import MemberAdd, MemberRead, SharingGroupCreate, SharingGroupRead

router = APIRouter(prefix="/api/v1/sharing-groups", tags=["sharing"])


@router.get("", response_model=list[SharingGroupRead], responses=problem_responses(401))
def list_groups(session: DbSession, principal: ApiPrincipal) -> list[SharingGroupRead]:
    """Sharing groups the caller's organisation owns or belongs to."""
    return [
        SharingGroupRead.model_validate(g)
        for g in sharing_service.list_sharing_groups(session, principal)
    ]


@router.post(
    "",
    response_model=SharingGroupRead,
    status_code=201,
    responses=problem_responses(401, 403, 409, 422),
)
def create_group(
    data: SharingGroupCreate, session: DbSession, principal: ApiPrincipal
) -> SharingGroupRead:
    """Create a sharing group (administrators of authorities)."""
    group = sharing_service.create_sharing_group(
        session, principal, name=data.name, description=data.description
    )
    return SharingGroupRead.model_validate(group)


@router.get(
    "/{group_id}/members",
    response_model=list[MemberRead],
    responses=problem_responses(401, 404, 422),
)
def list_members(group_id: PathId, session: DbSession, principal: ApiPrincipal) -> list[MemberRead]:
    """The member organisations of a group."""
    return [
        MemberRead.model_validate(o)
        for o in sharing_service.group_members(session, principal, group_id)
    ]


@router.post(
    "/{group_id}/members", status_code=204, responses=problem_responses(401, 403, 404, 409, 422)
)
def add_member(
    group_id: PathId, data: MemberAdd, session: DbSession, principal: ApiPrincipal
) -> Response:
    """Add an organisation to a group the caller's authority manages."""
    sharing_service.add_group_member(session, principal, group_id, data.organisation_id)
    return Response(status_code=204)


@router.delete(
    "/{group_id}/members/{organisation_id}",
    status_code=204,
    responses=problem_responses(401, 403, 404, 422),
)
def remove_member(
    group_id: PathId, organisation_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """Remove an organisation from a group the caller's authority manages."""
    sharing_service.remove_group_member(session, principal, group_id, organisation_id)
    return Response(status_code=204)
