"""REST routes of accounts: the caller, organisations, users and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request

from precx.accounts import service as accounts_service
from precx.accounts.auth import ApiPrincipal, settings_of
from precx.accounts.models import User
from precx.accounts.schemas import (
    InvitationCreated,
    InviteCreate,
    MeRead,
    OrganisationCreate,
    OrganisationRead,
    RoleChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
)
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.problems import problem_responses

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def _user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation_id=user.organisation_id,
        active=user.active,
        totp_enabled=user.totp_enabled,
        invited=user.password_hash is None,
        last_login_at=user.last_login_at,
    )


@router.get("/me", response_model=MeRead, responses=problem_responses(401))
def me(principal: ApiPrincipal) -> MeRead:
    """The caller and their organisation."""
    return MeRead(
        user_id=principal.user_id,
        email=principal.email,
        name=principal.name,
        role=principal.role,
        organisation_id=principal.organisation_id,
        organisation=principal.organisation_name,
        organisation_kind=principal.organisation_kind,
        country=principal.country,
        vetted=principal.vetted,
        locale=principal.locale or "en",
    )


@router.get(
    "/organisations", response_model=list[OrganisationRead], responses=problem_responses(401)
)
def list_organisations(session: DbSession, principal: ApiPrincipal) -> list[OrganisationRead]:
    """Organisations the caller may know of."""
    orgs = accounts_service.list_organisations(session, principal)
    return [OrganisationRead.model_validate(o) for o in orgs]


@router.post(
    "/organisations",
    response_model=OrganisationRead,
    status_code=201,
    responses=problem_responses(401, 403, 409, 422),
)
def create_organisation(
    data: OrganisationCreate, session: DbSession, principal: ApiPrincipal
) -> OrganisationRead:
    """Register an organisation (platform administrators)."""
    org = accounts_service.create_organisation(session, principal, data=data)
    return OrganisationRead.model_validate(org)


@router.get("/users", response_model=list[UserRead], responses=problem_responses(401, 403))
def list_users(session: DbSession, principal: ApiPrincipal) -> list[UserRead]:
    """The users of the caller's organisation."""
    return [_user_read(u) for u in accounts_service.list_users(session, principal)]


@router.post(
    "/users",
    response_model=UserRead,
    status_code=201,
    responses=problem_responses(401, 403, 409, 422),
)
def create_user(data: UserCreate, session: DbSession, principal: ApiPrincipal) -> UserRead:
    """Add a user to any organisation (platform administrators)."""
    return _user_read(accounts_service.create_user(session, principal, data=data))


@router.post(
    "/users/invitations",
    response_model=InvitationCreated,
    status_code=201,
    responses=problem_responses(401, 403, 409, 422),
)
def invite_user(
    data: InviteCreate, request: Request, session: DbSession, principal: ApiPrincipal
) -> InvitationCreated:
    """Invite a colleague into the caller's organisation (organisation admins)."""
    user, raw = accounts_service.invite_user(
        session, principal, data=data, settings=settings_of(request)
    )
    return InvitationCreated(
        user=_user_read(user), invite_url=str(request.url_for("invitation_form", token=raw))
    )


@router.post(
    "/users/{user_id}/invitation",
    response_model=InvitationCreated,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409),
)
def reissue_invitation(
    user_id: PathId, request: Request, session: DbSession, principal: ApiPrincipal
) -> InvitationCreated:
    """A new invitation link for an invited user of the caller's organisation; old links end."""
    user, raw = accounts_service.reissue_invitation(
        session, principal, user_id, settings=settings_of(request)
    )
    return InvitationCreated(
        user=_user_read(user), invite_url=str(request.url_for("invitation_form", token=raw))
    )


@router.post(
    "/users/{user_id}/deactivate",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 422),
)
def deactivate_user(user_id: PathId, session: DbSession, principal: ApiPrincipal) -> UserRead:
    """Deactivate a user of the caller's organisation: their sessions and tokens end."""
    return _user_read(accounts_service.set_user_active(session, principal, user_id, active=False))


@router.post(
    "/users/{user_id}/reactivate",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 422),
)
def reactivate_user(user_id: PathId, session: DbSession, principal: ApiPrincipal) -> UserRead:
    """Reactivate a user of the caller's organisation."""
    return _user_read(accounts_service.set_user_active(session, principal, user_id, active=True))


@router.post(
    "/users/{user_id}/role",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def change_role(
    user_id: PathId, data: RoleChange, session: DbSession, principal: ApiPrincipal
) -> UserRead:
    """Give a user of the caller's organisation another role (organisation admins)."""
    return _user_read(accounts_service.set_user_role(session, principal, user_id, role=data.role))


@router.get("/tokens", response_model=list[TokenRead], responses=problem_responses(401))
def list_tokens(session: DbSession, principal: ApiPrincipal) -> list[TokenRead]:
    """The caller's API tokens (without their secrets)."""
    return [
        TokenRead.model_validate(t) for t in accounts_service.list_api_tokens(session, principal)
    ]


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def create_token(
    data: TokenCreate, request: Request, session: DbSession, principal: ApiPrincipal
) -> TokenCreated:
    """A new API token for the caller; its secret is shown only in this answer."""
    raw, token = accounts_service.issue_own_token(
        session, principal, name=data.name, days=data.days, settings=settings_of(request)
    )
    return TokenCreated(token=raw, **TokenRead.model_validate(token).model_dump())


@router.delete(
    "/tokens/{token_id}", response_model=TokenRead, responses=problem_responses(401, 403, 404)
)
def revoke_token(token_id: PathId, session: DbSession, principal: ApiPrincipal) -> TokenRead:
    """Revoke one of the caller's API tokens."""
    return TokenRead.model_validate(accounts_service.revoke_api_token(session, principal, token_id))
