"""Incidents, industry alerts and sightings in and out of the API."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from precx.kit.i18n import Message
from precx.kit.ids import BodyId
from precx.sharing.models import Distribution, Tlp

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Iso2 = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]


class IncidentKind(StrEnum):
    """What happened (the incident types of INCB's PICS, plus thefts and losses)."""

    seizure = "seizure"
    stopped_shipment = "stopped_shipment"
    diversion = "diversion"
    illicit_laboratory = "illicit_laboratory"
    equipment = "equipment"
    theft_or_loss = "theft_or_loss"


class IncidentStatus(StrEnum):
    """A draft is still being completed; a final incident is the agreed record."""

    draft = "draft"
    final = "final"


class PartyKind(StrEnum):
    """The kinds of entity an incident names, kept apart so correlation can match them."""

    company = "company"
    person = "person"
    address = "address"
    phone = "phone"
    email = "email"
    vessel = "vessel"
    vehicle = "vehicle"
    transport_document = "transport_document"


class Leg(StrEnum):
    """Where on the route a country lies."""

    origin = "origin"
    transit = "transit"
    destination = "destination"


class Unit(StrEnum):
    """Units of a seized or stopped quantity."""

    kg = "kg"
    g = "g"
    t = "t"
    l = "l"  # noqa: E741  (litre: the unit's own symbol)
    ml = "ml"
    units = "units"


class SubstanceLine(BaseModel):
    """A substance of the incident, named by catalog id, CAS number or name."""

    model_config = ConfigDict(extra="forbid")

    substance: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    quantity: Annotated[float, Field(ge=0, le=1e12)] | None = None
    unit: Unit = Unit.kg
    concentration: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    packaging: Short = ""


class Party(BaseModel):
    """A company, person, address, phone, e-mail, vessel, vehicle or transport document."""

    model_config = ConfigDict(extra="forbid")

    kind: PartyKind
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    country: Iso2 | None = None
    role: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class RouteStop(BaseModel):
    """One country (and place) on the route."""

    model_config = ConfigDict(extra="forbid")

    leg: Leg
    country: Iso2
    place: Short = ""


class Link(BaseModel):
    """A reference to another record: its type and id."""

    model_config = ConfigDict(extra="forbid")

    record_type: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
    ]
    record_id: BodyId


class IncidentContent(BaseModel):
    """What an incident says; the same on creation and on a full update."""

    model_config = ConfigDict(extra="forbid")

    kind: IncidentKind
    title: Title
    occurred_on: date
    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    country: Iso2
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    reporting_agency: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    attempted: bool | None = Field(
        default=None, description="For a diversion: whether it was only attempted."
    )
    substances: Annotated[list[SubstanceLine], Field(max_length=50)] = []
    parties: Annotated[list[Party], Field(max_length=200)] = []
    route: Annotated[list[RouteStop], Field(max_length=20)] = []
    concealment: Long = ""
    modus_operandi: Long = ""
    narrative: Long = ""
    links: Annotated[list[Link], Field(max_length=50)] = []
    distribution: Distribution = Distribution.country_authorities
    tlp: Tlp = Tlp.amber
    sharing_group_id: BodyId | None = None

    @model_validator(mode="after")
    def _coordinates_together(self) -> IncidentContent:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError(Message("give both latitude and longitude, or neither"))
        return self


class SubstanceLineRead(BaseModel):
    """A substance of an incident as stored."""

    model_config = ConfigDict(from_attributes=True)

    substance_id: str
    name: str
    quantity: float | None
    unit: str
    concentration: str
    packaging: str


class PartyRead(BaseModel):
    """A party of an incident as stored."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    value: str
    country: str | None
    role: str


class RouteStopRead(BaseModel):
    """A route stop as stored."""

    model_config = ConfigDict(from_attributes=True)

    leg: str
    country: str
    place: str


class LinkRead(BaseModel):
    """A linked record the reader may see, with a label; hidden ones are not listed."""

    record_type: str
    record_id: int
    label: str


class IncidentRead(BaseModel):
    """An incident with everything it names."""

    id: int
    kind: str
    status: str
    title: str
    occurred_on: date
    place: str
    country: str
    latitude: float | None
    longitude: float | None
    reporting_agency: str
    attempted: bool | None
    concealment: str
    modus_operandi: str
    narrative: str
    distribution: Distribution
    tlp: Tlp
    sharing_group_id: int | None
    owner_organisation_id: int
    version: int
    created_at: datetime
    updated_at: datetime
    finalised_at: datetime | None
    substances: list[SubstanceLineRead]
    parties: list[PartyRead]
    route: list[RouteStopRead]
    links: list[LinkRead]
    hidden_links: int = Field(description="Linked records the reader may not see.")


class IncidentSummary(BaseModel):
    """An incident in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str
    title: str
    occurred_on: date
    place: str
    country: str
    latitude: float | None
    longitude: float | None
    distribution: Distribution
    tlp: Tlp
    owner_organisation_id: int
    created_at: datetime


class IncidentPage(BaseModel):
    """One page of incidents."""

    items: list[IncidentSummary]
    total: int
    page: int
    per_page: int


class Count(BaseModel):
    """How many records match."""

    count: int


class AttachmentRead(BaseModel):
    """An attachment's facts (the content is downloaded separately)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class TimelineEntry(BaseModel):
    """One change of an incident."""

    at: datetime
    action: str
    actor: str
    details: dict[str, Any]


class RestrictRequest(BaseModel):
    """Which list the incident's companies and persons go to (default: the organisation's)."""

    model_config = ConfigDict(extra="forbid")

    list_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class RestrictResult(BaseModel):
    """What the one step added."""

    list_name: str
    version: int
    added: int


# --- Alerts ------------------------------------------------------------------------------


class IndicatorType(StrEnum):
    """Machine-readable indicators an alert may carry."""

    substance = "substance"
    company_name = "company_name"
    person_name = "person_name"
    country = "country"
    route = "route"
    packaging = "packaging"
    quantity = "quantity"
    payment_method = "payment_method"
    delivery_method = "delivery_method"
    email_domain = "email_domain"
    phone_prefix = "phone_prefix"
    keyword = "keyword"


class Indicator(BaseModel):
    """One indicator: what kind and its value."""

    model_config = ConfigDict(extra="forbid")

    type: IndicatorType
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class AlertStatus(StrEnum):
    """Draft -> submitted for approval -> published (by a second officer)."""

    draft = "draft"
    submitted = "submitted"
    published = "published"


class Severity(StrEnum):
    """How urgent an alert is."""

    low = "low"
    medium = "medium"
    high = "high"


class AlertCreate(BaseModel):
    """A new industry alert: sanitised text of its own, never the source records' details."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    watch_for: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=20_000)
    ]
    substances: Annotated[list[str], Field(max_length=30)] = []
    countries: Annotated[list[Iso2], Field(max_length=60)] = []
    indicators: Annotated[list[Indicator], Field(max_length=100)] = []
    severity: Severity = Severity.medium
    expires_on: date
    links: Annotated[list[Link], Field(max_length=20)] = []
    distribution: Distribution = Distribution.partnership
    tlp: Tlp = Tlp.green
    sharing_group_id: BodyId | None = None


class AlertRead(BaseModel):
    """An alert as its reader may see it."""

    id: int
    status: str
    title: str
    watch_for: str
    substances: list[str]
    countries: list[str]
    indicators: list[dict[str, Any]]
    severity: str
    expires_on: date
    distribution: Distribution
    tlp: Tlp
    owner_organisation_id: int
    created_at: datetime
    published_at: datetime | None
    read: bool
    links: list[LinkRead]


class AlertPage(BaseModel):
    """One page of alerts."""

    items: list[AlertRead]
    total: int
    page: int
    per_page: int


class SightingCreate(BaseModel):
    """ "We saw this": when and what."""

    model_config = ConfigDict(extra="forbid")

    seen_on: date
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]


class SightingRead(BaseModel):
    """A sighting of an alert."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    alert_id: int
    seen_on: date
    note: str
    owner_organisation_id: int
    created_at: datetime
