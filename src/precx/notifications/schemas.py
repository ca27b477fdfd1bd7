"""What the API takes and answers about export applications, notifications and customs events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from precx.kit.fields import CountryCode, LongText, Name, ShortText

Kind = Literal["standard", "voluntary", "simplified"]
Unit = Literal["kg", "g", "t", "l", "ml"]
TransportMode = Literal["road", "rail", "sea", "air", "post", "multimodal"]
Answer = Literal["acknowledged", "cleared", "objected"]
CustomsKind = Literal[
    "dispatched",
    "released_at_exit",
    "in_transit",
    "arrived",
    "released_at_entry",
    "stopped",
    "seized",
]
Number = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class LineIn(BaseModel):
    """One substance of the consignment."""

    model_config = ConfigDict(extra="forbid")

    substance: str = Field(min_length=1, max_length=200, description="Name, CAS or catalog id.")
    quantity: float = Field(gt=0, le=1e9)
    unit: Unit = "kg"
    concentration_percent: float = Field(100.0, gt=0, le=100)
    packaging: ShortText = ""


class ConsignmentIn(BaseModel):
    """The planned export, as the exporter applies for it or the authority notifies it."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = "standard"
    importer_name: Name
    importer_address: ShortText = ""
    importer_country: CountryCode
    importer_licence_number: Number = ""
    consignee_name: ShortText = ""
    consignee_address: ShortText = ""
    lines: list[LineIn] = Field(min_length=1, max_length=20)
    transport_mode: TransportMode = "road"
    exit_point: ShortText = ""
    transit_countries: list[CountryCode] = Field(default_factory=list, max_length=10)
    entry_point: ShortText = ""
    dispatch_date: date
    period_months: Literal[6, 12] | None = Field(
        None, description="Simplified notifications: how long they cover shipments."
    )
    export_authorisation_number: Number = ""
    import_permit_number: Number = ""
    notes: LongText = ""


class ApplicationCreate(ConsignmentIn):
    """An exporter applies; the exporter is the caller's organisation."""


class NotificationCreate(ConsignmentIn):
    """The exporting authority notifies by hand, naming the exporter."""

    exporter_name: Name
    exporter_address: ShortText = ""
    exporter_organisation_id: int | None = Field(None, ge=1, le=2_147_483_647)
    internal_notes: LongText = ""


class SendFromApplication(BaseModel):
    """The exporting authority turns an application into a notification."""

    model_config = ConfigDict(extra="forbid")

    export_authorisation_number: Number = ""
    internal_notes: LongText = ""


class NotificationAmend(BaseModel):
    """Fields the exporting authority may change after sending; each change is kept."""

    model_config = ConfigDict(extra="forbid")

    reason: ShortText = Field(min_length=1)
    dispatch_date: date | None = None
    exit_point: ShortText | None = None
    entry_point: ShortText | None = None
    transport_mode: TransportMode | None = None
    import_permit_number: Number | None = None
    notes: LongText | None = None
    internal_notes: LongText | None = None


class Withdrawal(BaseModel):
    """Why the exporting authority withdraws a notification."""

    model_config = ConfigDict(extra="forbid")

    reason: ShortText = Field(min_length=1)


class ResponseIn(BaseModel):
    """The importing authority's answer; an objection needs a reason."""

    model_config = ConfigDict(extra="forbid")

    answer: Answer
    reason: ShortText = ""


class QuantityFound(BaseModel):
    """A quantity customs found of one substance."""

    model_config = ConfigDict(extra="forbid")

    substance: str = Field(min_length=1, max_length=200)
    quantity: float = Field(ge=0, le=1e9)
    unit: Unit = "kg"


class CustomsEventIn(BaseModel):
    """What customs records about the consignment."""

    model_config = ConfigDict(extra="forbid")

    kind: CustomsKind
    place: Place
    occurred_on: date
    quantities: list[QuantityFound] = Field(default_factory=list, max_length=20)
    note: ShortText = ""


class CountrySettingIn(BaseModel):
    """An importing authority's reply period and transit copies."""

    model_config = ConfigDict(extra="forbid")

    reply_days: int | None = Field(None, ge=1, le=90, strict=True)
    transit_copies: bool = Field(False, strict=True)


class CountrySettingRead(BaseModel):
    """A country's notification settings, with the period actually used."""

    country: str
    reply_days: int
    custom: bool
    transit_copies: bool


class LineRead(BaseModel):
    """One substance of a notification."""

    substance_id: str
    substance_name: str
    quantity: float
    unit: str
    quantity_kg: float | None
    concentration_percent: float
    packaging: str
    quantity_used_kg: float | None = None


class CheckRead(BaseModel):
    """One check shown to both authorities: what was checked and what came out."""

    check: str
    outcome: Literal["ok", "warning", "unknown"]
    message: str


class ResponseRead(BaseModel):
    """A recorded answer."""

    answer: str
    reason: str
    organisation: str
    created_at: datetime


class AmendmentRead(BaseModel):
    """One change of a notification."""

    action: str
    reason: str
    changes: dict[str, object]
    changed_at: datetime


class CustomsEventRead(BaseModel):
    """One customs event."""

    id: int
    kind: str
    place: str
    occurred_on: date
    country: str
    organisation: str
    quantities: list[dict[str, object]]
    note: str
    created_at: datetime


class NotificationRead(BaseModel):
    """A notification as authorities and customs read it."""

    id: int
    reference: str
    kind: str
    status: str
    shipment_status: str
    exporting_authority: str
    exporter_name: str
    exporter_address: str
    exporter_country: str
    importer_name: str
    importer_address: str
    importer_country: str
    importer_licence_number: str
    consignee_name: str
    consignee_address: str
    lines: list[LineRead]
    transport_mode: str
    exit_point: str
    transit_countries: list[str]
    entry_point: str
    dispatch_date: date
    period_months: int | None
    valid_until: date | None
    export_authorisation_number: str
    import_permit_number: str
    notes: str
    internal_notes: str | None = Field(
        None, description="Only for the authorities that read the notification."
    )
    sent_at: datetime
    reply_deadline: datetime
    responded_at: datetime | None
    response_reason: str
    version: int
    checks: list[CheckRead] = Field(default_factory=list)
    responses: list[ResponseRead] = Field(default_factory=list)
    amendments: list[AmendmentRead] = Field(default_factory=list)
    customs_events: list[CustomsEventRead] = Field(default_factory=list)


class NotificationSummary(BaseModel):
    """A line of a list of notifications."""

    id: int
    reference: str
    kind: str
    status: str
    shipment_status: str
    exporter_name: str
    exporter_country: str
    importer_name: str
    importer_country: str
    substances: str
    dispatch_date: date
    sent_at: datetime
    reply_deadline: datetime
    deadline_state: Literal["", "near", "overdue"]


class NotificationPage(BaseModel):
    """One page of notifications."""

    items: list[NotificationSummary]
    total: int
    page: int
    per_page: int


class NotificationStatus(BaseModel):
    """What the exporter learns of the notification made from its application."""

    reference: str
    status: str
    exporter_status: str
    response_reason: str
    reply_deadline: datetime


class ApplicationRead(BaseModel):
    """An export application and, once sent, its notification's status."""

    id: int
    kind: str
    status: str
    exporter_name: str
    exporter_country: str
    importer_name: str
    importer_country: str
    importer_licence_number: str
    lines: list[LineRead]
    transport_mode: str
    exit_point: str
    transit_countries: list[str]
    entry_point: str
    dispatch_date: date
    period_months: int | None
    export_authorisation_number: str
    import_permit_number: str
    notes: str
    created_at: datetime
    notification: NotificationStatus | None = None
    recorded_by_authority: bool = Field(
        False,
        description="Recorded by the exporting authority when it notified an export authorised "
        "outside the platform; the exporter did not apply here.",
    )


class ApplicationPage(BaseModel):
    """One page of applications."""

    items: list[ApplicationRead]
    total: int
    page: int
    per_page: int


class SweepRead(BaseModel):
    """What one deadline sweep did."""

    reminders: int
    no_response: int
