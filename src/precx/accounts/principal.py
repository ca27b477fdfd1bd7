"""Who is acting: the organisation kinds, roles and the Principal every service takes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrgKind(StrEnum):
    """What an organisation is; decides what it may see and do."""

    licensing_authority = "licensing_authority"
    law_enforcement = "law_enforcement"
    customs = "customs"
    industry = "industry"
    logistics = "logistics"
    international = "international"
    platform = "platform"


class Role(StrEnum):
    """A user's role inside their organisation."""

    admin = "admin"
    analyst = "analyst"
    reporter = "reporter"
    viewer = "viewer"


class OrgStatus(StrEnum):
    """Life cycle of an organisation on the platform."""

    pending = "pending"
    active = "active"
    suspended = "suspended"


# Government bodies of one country: what `country_authorities` reaches.
AUTHORITY_KINDS = frozenset({OrgKind.licensing_authority, OrgKind.law_enforcement, OrgKind.customs})
# Private members that may join the partnership once vetted.
PRIVATE_KINDS = frozenset({OrgKind.industry, OrgKind.logistics})


@dataclass(frozen=True)
class Principal:
    """An authenticated user acting for their organisation."""

    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    organisation_name: str
    organisation_kind: OrgKind
    country: str
    vetted: bool = False
    locale: str | None = None

    @property
    def is_authority(self) -> bool:
        """A licensing authority, police or customs body."""
        return self.organisation_kind in AUTHORITY_KINDS

    @property
    def is_admin(self) -> bool:
        """Manages the users of their organisation."""
        return self.role is Role.admin

    @property
    def is_platform_admin(self) -> bool:
        """Operates the instance."""
        return self.role is Role.admin and self.organisation_kind is OrgKind.platform

    @property
    def reads_only_own(self) -> bool:
        """Reporters create records and read only their own."""
        return self.role is Role.reporter

    @property
    def can_write(self) -> bool:
        """May create records (viewers only read)."""
        return self.role is not Role.viewer
