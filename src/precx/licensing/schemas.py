"""Licences, verifications and annual legitimate requirements in and out of the API."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from precx.kit.fields import CountryCode
from precx.kit.i18n import Message
from precx.kit.ids import BodyId

LicenceNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]
HolderName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Officer = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
SubstanceId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)]
Kg = Annotated[float, Field(gt=0, le=1e12)]


class LicenceKind(StrEnum):
    """A licence (category 1 substances) or a registration (2A, 2B, exporters of 3)."""

    licence = "licence"
    registration = "registration"


class Activity(StrEnum):
    """What the holder may do with the substances."""

    manufacture = "manufacture"
    possession = "possession"
    placing_on_market = "placing_on_market"
    import_ = "import"
    export = "export"
    intermediary_trade = "intermediary_trade"


class Category(StrEnum):
    """EU precursor categories a licence or registration may cover as a whole."""

    c1 = "1"
    c2a = "2A"
    c2b = "2B"
    c3 = "3"
    c4 = "4"


class LicenceStatus(StrEnum):
    """What the issuing authority decided; `expired` is derived from the validity dates."""

    active = "active"
    suspended = "suspended"
    revoked = "revoked"
    expired = "expired"


class VerificationStatus(StrEnum):
    """The answer of a verification, and nothing more."""

    valid = "valid"
    expired = "expired"
    suspended = "suspended"
    revoked = "revoked"
    not_covered = "not_covered"
    not_found = "not_found"


class LicenceVerification(BaseModel):
    """What anyone may learn about a licence number: its status, holder and validity only."""

    status: VerificationStatus
    holder_name: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    kind: str | None = None
    quantity_limit_kg: float | None = Field(
        None, description="The licence's limit for the asked substance, if it sets one."
    )


class LicenceTerms(BaseModel):
    """What a licence allows: the fields an amendment may change."""

    model_config = ConfigDict(extra="forbid")

    holder_organisation_id: BodyId | None = Field(
        None, description="The holder when it is an organisation on the platform."
    )
    holder_name: HolderName
    holder_registration_number: Line = ""
    holder_address: Line = ""
    substances: list[SubstanceId] = Field(
        default_factory=list, max_length=200, description="Catalog ids, CAS numbers or names."
    )
    categories: list[Category] = Field(default_factory=list, max_length=5)
    activities: list[Activity] = Field(min_length=1, max_length=6)
    premises: Text = ""
    responsible_officer: Officer = ""
    valid_from: date
    valid_until: date
    quantity_limits: dict[SubstanceId, Kg] = Field(
        default_factory=dict, max_length=200, description="Kilograms per substance."
    )
    conditions: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> LicenceTerms:
        if self.valid_until < self.valid_from:
            raise ValueError(Message("valid_until must not be before valid_from"))
        if not self.substances and not self.categories:
            raise ValueError(Message("name at least one substance or category"))
        return self


class LicenceCreate(LicenceTerms):
    """A new licence or registration of the caller's country."""

    kind: LicenceKind
    country: CountryCode
    number: LicenceNumber


class LicenceAmend(LicenceTerms):
    """New terms of a licence and why they changed."""

    reason: Reason = ""


class StatusChange(BaseModel):
    """Why a licence is suspended, revoked or reinstated."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(min_length=1)


class LicenceRenew(BaseModel):
    """A new validity end for a licence (and optionally a new start)."""

    model_config = ConfigDict(extra="forbid")

    valid_until: date
    valid_from: date | None = None
    reason: Reason = ""


class LicenceRead(BaseModel):
    """A licence as an authority (or its holder) sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    country: str
    number: str
    holder_organisation_id: int | None
    holder_name: str
    holder_registration_number: str
    holder_address: str
    substances: list[str]
    categories: list[str]
    activities: list[str]
    premises: str
    responsible_officer: str
    valid_from: date
    valid_until: date
    quantity_limits: dict[str, float]
    conditions: str
    status: str
    effective_status: str
    status_reason: str
    version: int
    owner_organisation_id: int
    created_at: datetime
    updated_at: datetime


class LicencePage(BaseModel):
    """One page of the register."""

    items: list[LicenceRead]
    total: int
    page: int
    per_page: int


class LicenceVersionRead(BaseModel):
    """One change in a licence's history."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    action: str
    reason: str
    changes: dict[str, list[object]]
    changed_by_label: str
    changed_at: datetime


class VerificationLogRead(BaseModel):
    """One verification of a licence of the authority's country."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    country: str
    number: str
    substance: str
    activity: str
    answer: str
    verified_by_organisation: str
    verified_by: str
    verified_at: datetime


class RequirementSet(BaseModel):
    """A country's annual legitimate requirement of one substance."""

    model_config = ConfigDict(extra="forbid")

    country: CountryCode
    substance: SubstanceId = Field(description="Catalog id, CAS number or name.")
    quantity_kg: Annotated[float, Field(ge=0, le=1e12)]
    note: Line = ""


class RequirementRead(BaseModel):
    """An annual legitimate requirement, in kilograms per year."""

    model_config = ConfigDict(from_attributes=True)

    country: str
    substance_id: str
    substance_name: str
    quantity_kg: float
    note: str
    updated_at: datetime


class RequirementChangeRead(BaseModel):
    """One change of an annual legitimate requirement."""

    model_config = ConfigDict(from_attributes=True)

    country: str
    substance_id: str
    old_quantity_kg: float | None
    new_quantity_kg: float | None
    note: str
    changed_by_label: str
    changed_at: datetime


class ImportReport(BaseModel):
    """What an import stored."""

    filename: str
    created: int
    updated: int
