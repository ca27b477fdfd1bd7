"""Reports in and out of the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from precx.kit.fields import CountryCode
from precx.kit.ids import BodyId
from precx.reports.models import ActionTaken, MessageKind, Outcome, ReportKind, ReportStatus
from precx.screening.orders import Unit

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
MessageBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
]


class Identifier(BaseModel):
    """One identifier of the counterparty: VAT, company register, licence, EORI, passport..."""

    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Counterparty(BaseModel):
    """The reported party: who, where, how to reach them (all structured for correlation)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    address: Short = ""
    country: CountryCode | None = None
    identifiers: list[Identifier] = Field(default_factory=list, max_length=20)
    email: Short = ""
    phone: Short = ""
    website: Short = ""
    contact_person: Short = ""


class SubstanceLine(BaseModel):
    """A substance as the reporter names it (CAS, HS code or name) and how much."""

    model_config = ConfigDict(extra="forbid")

    substance: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    quantity: float | None = Field(None, gt=0, le=10_000_000, allow_inf_nan=False)
    unit: Unit | None = None


class OrderDetails(BaseModel):
    """The order, transaction or consignment the report is about (or where stock went missing)."""

    model_config = ConfigDict(extra="forbid")

    order_ref: Short = ""
    order_date: date | None = None
    consignment_ref: Short = ""
    payment_method: Short = ""
    delivery_type: Short = ""
    delivery_address: Short = ""
    delivery_country: CountryCode | None = None
    transit_countries: list[CountryCode] = Field(default_factory=list, max_length=20)
    transport: Short = ""
    incident_location: Short = ""


class ReportCreate(BaseModel):
    """A report as the reporter writes it; `draft` keeps it unsubmitted (and incomplete)."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind = ReportKind.suspicious_order
    draft: bool = Field(False, description="Save without submitting; a draft may lack anything.")
    counterparty: Counterparty | None = None
    substances: list[SubstanceLine] = Field(default_factory=list, max_length=20)
    order: OrderDetails = Field(default_factory=OrderDetails)
    red_flags: list[str] = Field(
        default_factory=list, max_length=40, description="Codes of the screening rule catalogue."
    )
    red_flags_other: Text = ""
    action_taken: ActionTaken | None = None
    narrative: Text = ""
    screening_id: BodyId | None = None


class ReportBatch(BaseModel):
    """Several reports created together: all of them, or none."""

    model_config = ConfigDict(extra="forbid")

    reports: list[ReportCreate] = Field(min_length=1, max_length=100)


class SubstanceRead(BaseModel):
    """A substance of a report as the catalog resolved it."""

    model_config = ConfigDict(from_attributes=True)

    substance_id: str
    substance_name: str
    given_as: str
    quantity: float | None
    unit: str | None


class ReportRead(BaseModel):
    """A report as its reader may see it (assignment only for authorities)."""

    id: int
    kind: ReportKind
    status: ReportStatus
    outcome: Outcome | None
    summary: str
    reporter_organisation: str
    owner_organisation_id: int
    counterparty: dict[str, Any]
    substances: list[SubstanceRead]
    order: dict[str, Any]
    red_flags: list[str]
    red_flags_other: str
    action_taken: ActionTaken | None
    narrative: str
    screening_id: int | None
    hits: list[dict[str, Any]]
    submitted_at: datetime | None
    ack_due_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    feedback_message: str | None
    feedback_at: datetime | None
    assigned_to_id: int | None = Field(None, description="Authorities only.")
    created_at: datetime
    updated_at: datetime


class ReportPage(BaseModel):
    """One page of reports."""

    items: list[ReportRead]
    total: int
    page: int
    per_page: int


class ReportBatchRead(BaseModel):
    """The reports a batch created, in order."""

    items: list[ReportRead]


class Count(BaseModel):
    """How many reports match."""

    count: int


class Summary(BaseModel):
    """Counts of the reports the caller may read, per status and per outcome."""

    total: int
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    overdue: int


class StatusChange(BaseModel):
    """Move a report on (here: into review)."""

    model_config = ConfigDict(extra="forbid")

    status: ReportStatus


class Referral(BaseModel):
    """Refer a report to a law enforcement or customs organisation, here or abroad."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: BodyId
    reason: Short = ""


class Closure(BaseModel):
    """Close a report with its outcome, and optionally tell the reporter more."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    message: Text = ""


class Feedback(BaseModel):
    """A message to the reporter about what became of the report."""

    model_config = ConfigDict(extra="forbid")

    message: MessageBody


class Assignment(BaseModel):
    """The officer of the authority who handles the report (none to unassign)."""

    model_config = ConfigDict(extra="forbid")

    user_id: BodyId | None


class MessageCreate(BaseModel):
    """A message on a report: authorities send `request` or `note`, reporters `answer`."""

    model_config = ConfigDict(extra="forbid")

    body: MessageBody
    kind: MessageKind | None = Field(
        None, description="Default: `request` from an authority, `answer` from the reporter."
    )


class MessageRead(BaseModel):
    """A message as its reader sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: MessageKind
    body: str
    author_organisation_id: int | None = Field(
        description="The writing organisation; null for the reporter when an authority wrote "
        "(the reporter learns only that the competent authority asks)."
    )
    created_at: datetime


class TimelineEntry(BaseModel):
    """One status change of a report."""

    from_status: ReportStatus | None
    to_status: ReportStatus
    outcome: Outcome | None
    referred_to: str | None = Field(None, description="Authorities only.")
    by_organisation: str
    at: datetime


class AttachmentRead(BaseModel):
    """An attachment's description (its content is downloaded separately)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class RoutingSettings(BaseModel):
    """A licensing authority's routing of incoming reports."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    forward_to_law_enforcement: bool = False
    forward_to_customs: bool = False
    ack_working_days: int | None = Field(
        None, ge=1, le=60, description="Empty means the platform default."
    )


class RedFlagRead(BaseModel):
    """A red flag a report may name: one rule of the screening catalogue."""

    code: str
    title: str
    severity: str
