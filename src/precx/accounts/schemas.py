"""Organisations, users and tokens in and out of the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from precx.accounts.principal import OrgKind, OrgStatus, Role
from precx.kit.fields import CountryCode, Name, Password
from precx.kit.ids import BodyId


class StrictModel(BaseModel):
    """Input that rejects unknown fields."""

    model_config = ConfigDict(extra="forbid")


class OrganisationCreate(StrictModel):
    """A new organisation."""

    name: Name
    kind: OrgKind
    country: CountryCode
    status: OrgStatus = OrgStatus.active
    vetted: bool = False


class OrganisationRead(BaseModel):
    """An organisation as others see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrgKind
    country: str
    status: OrgStatus
    vetted: bool
    require_2fa: bool


class UserCreate(StrictModel):
    """A new user, made by the platform operator (the CLI or a platform admin)."""

    email: EmailStr = Field(max_length=254)
    name: Name
    role: Role
    organisation_id: BodyId
    password: Password | None = None


class InviteCreate(StrictModel):
    """An invitation an organisation admin sends to a colleague."""

    email: EmailStr = Field(max_length=254)
    name: Name
    role: Role


class RoleChange(StrictModel):
    """The role an organisation admin gives a colleague."""

    role: Role


class UserRead(BaseModel):
    """A user as their organisation's admin sees them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    active: bool
    totp_enabled: bool
    invited: bool = Field(description="Invited and not yet accepted.")
    last_login_at: datetime | None


class MeRead(BaseModel):
    """The caller and their organisation."""

    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    organisation: str
    organisation_kind: OrgKind
    country: str
    vetted: bool
    locale: str


class InvitationCreated(BaseModel):
    """The new user and the one-time link to pass on to them."""

    user: UserRead
    invite_url: str


class PasswordChange(StrictModel):
    """A password change: the current password and the new one."""

    current_password: str = Field(max_length=200)
    new_password: Password


class TokenCreate(StrictModel):
    """A new API token."""

    name: Name
    days: int | None = Field(
        None, ge=1, le=3650, description="Validity in days; PRECX_TOKEN_DAYS when omitted."
    )


class TokenRead(BaseModel):
    """An API token without its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    """A new API token with its secret, shown this once."""

    token: str
