"""Customer declarations in and out of the API."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from precx.kit.fields import CountryCode, Name
from precx.kit.ids import BodyId

Kind = Literal["single", "multiple"]
Unit = Literal["kg", "l"]
Quantity = Annotated[float, Field(gt=0, le=1_000_000_000)]
SubstanceText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
LicenceNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
IntendedUse = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)
]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class DeclarationState(StrEnum):
    """What a declaration is worth today, derived from its status, validity and deliveries."""

    draft = "draft"
    valid = "valid"
    expired = "expired"
    revoked = "revoked"
    exhausted = "exhausted"


class CheckStatus(StrEnum):
    """The answer of a code check."""

    valid = "valid"
    expired = "expired"
    revoked = "revoked"
    exhausted = "exhausted"
    not_found = "not_found"


class _DeclarationFields(BaseModel):
    """What every declaration says, however it reached the platform."""

    model_config = ConfigDict(extra="forbid")

    substance: SubstanceText = Field(description="CAS number, CN/HS code or name of the substance.")
    kind: Kind = Field("single", description="One transaction, or several within the validity.")
    quantity: Quantity
    unit: Unit = "kg"
    intended_use: IntendedUse = Field(description="What the customer uses the substance for.")
    customer_address: Address
    licence_number: LicenceNumber | None = Field(
        None, description="The customer's licence or registration number, verified when given."
    )
    signatory_name: Name
    signatory_position: Name
    valid_from: date | None = Field(None, description="First day of validity (default: today).")
    valid_until: date = Field(description="Last day of validity: at most one year after the first.")


class DeclarationSign(_DeclarationFields):
    """A declaration the customer fills in on the platform and addressed to a supplier."""

    supplier_organisation_id: BodyId
    sign: bool = Field(True, description="Sign now; false keeps it as a draft to sign later.")


class PaperDeclaration(_DeclarationFields):
    """A paper declaration the supplier received and records with its scan."""

    customer_organisation_id: BodyId | None = Field(
        None, description="The customer when it is on the platform."
    )
    customer_name: Name | None = Field(None, description="The customer when it is not.")
    customer_country: CountryCode | None = None
    signed_on: date = Field(description="The date the customer signed the paper.")


class DeliveryCreate(BaseModel):
    """A delivery made against a declaration."""

    model_config = ConfigDict(extra="forbid")

    quantity: Quantity
    delivered_on: date | None = Field(None, description="Default: today.")
    reference: Reference = ""


class RevokeRequest(BaseModel):
    """Why a declaration no longer holds."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class DeliveryRead(BaseModel):
    """A recorded delivery."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    quantity: float
    delivered_on: date
    reference: str
    created_at: datetime


class DeclarationRead(BaseModel):
    """A declaration as its customer, its supplier and the customer's authorities see it."""

    id: int
    code: str
    kind: Kind
    source: Literal["platform", "paper"]
    status: Literal["draft", "signed", "revoked"]
    state: DeclarationState
    supplier_organisation_id: int
    supplier_name: str
    customer_organisation_id: int | None
    customer_name: str
    customer_address: str
    customer_country: str
    licence_number: str | None
    licence_status: str | None
    substance_id: str
    substance_name: str
    quantity: float
    unit: Unit
    quantity_delivered: float
    quantity_left: float
    intended_use: str
    signatory_name: str
    signatory_position: str
    signed_at: datetime | None
    valid_from: date
    valid_until: date
    revoked_at: datetime | None
    revoked_reason: str | None
    has_scan: bool
    created_at: datetime


class DeclarationPage(BaseModel):
    """One page of declarations."""

    items: list[DeclarationRead]
    total: int
    page: int
    per_page: int


class CheckAnswer(BaseModel):
    """What a code check reveals, and nothing more."""

    code: str
    status: CheckStatus
    substance_id: str | None = None
    substance_name: str | None = None
    quantity_left: float | None = None
    unit: Unit | None = None
    valid_until: date | None = None
    customer_name: str | None = None
    supplier_name: str | None = None
