"""What the screening API takes and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from precx.kit.i18n import Message
from precx.screening.orders import Order
from precx.sharing.models import Distribution, Tlp

MAX_ORDERS_PER_REQUEST = 1000


class ScreeningRequest(BaseModel):
    """One order or up to 1,000 to screen; stored unless `store` is false."""

    model_config = ConfigDict(extra="forbid")

    orders: list[Order] = Field(min_length=1, max_length=MAX_ORDERS_PER_REQUEST)
    store: bool = True
    distribution: Distribution = Distribution.organisation
    tlp: Tlp = Tlp.amber
    sharing_group_id: int | None = None


class FindingRead(BaseModel):
    """One red flag of an order."""

    code: str
    severity: str
    message: str


class HitRead(BaseModel):
    """One watchlist entity the customer matches (restricted ones reduced to a reference)."""

    list_name: str = Field(alias="list")
    list_version: int
    entity_id: str
    name: str
    matched_name: str
    score: float
    field: str
    why: list[str]
    restricted: bool
    reference: str | None
    programs: list[str] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ScreeningOutcome(BaseModel):
    """The decision on one order, as screened now."""

    order_id: str
    decision: str
    score: int
    substance: dict[str, str]
    findings: list[FindingRead]
    watchlist_hits: list[HitRead]
    rules_version: str
    list_versions: dict[str, int]
    screening_id: int | None = None


class ScreeningResponse(BaseModel):
    """The outcomes of a request, in the order of its orders."""

    results: list[ScreeningOutcome]
    stored: bool


class ScreeningRead(BaseModel):
    """A stored screening."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    batch_id: int | None
    order_ref: str
    customer_name: str
    customer_country: str
    substance_id: str
    substance_name: str
    quantity: float
    unit: str
    order_date: date
    decision: str
    score: int
    findings: list[FindingRead]
    hits: list[HitRead]
    order: dict[str, Any]
    rules_version: str
    list_versions: dict[str, int]
    distribution: Distribution
    tlp: Tlp
    owner_organisation_id: int
    created_at: datetime


class ScreeningPage(BaseModel):
    """A page of stored screenings."""

    items: list[ScreeningRead]
    total: int
    page: int
    per_page: int


class Count(BaseModel):
    """How many records match."""

    count: int


class WatchlistRead(BaseModel):
    """A watchlist and its current version."""

    name: str
    restricted: bool
    format: str
    version: int
    entity_count: int
    alias_count: int
    address_count: int
    imported_at: datetime | None
    owner: str


class WatchlistVersionRead(BaseModel):
    """One import of a watchlist."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    filename: str
    digest: str
    entity_count: int
    alias_count: int
    address_count: int
    imported_at: datetime


class WatchlistEntityRead(BaseModel):
    """One listed entity."""

    model_config = ConfigDict(from_attributes=True)

    entity_id: str
    name: str
    entity_type: str
    aliases: list[str]
    country: str | None
    addresses: list[str]
    identifiers: list[list[str]]
    programs: list[str]
    reason: str | None


class WatchlistEntityPage(BaseModel):
    """A page of a watchlist's entities."""

    items: list[WatchlistEntityRead]
    total: int
    page: int
    per_page: int


class ThresholdSettings(BaseModel):
    """An organisation's decision thresholds (0-100): review from one score, report from another."""

    model_config = ConfigDict(extra="forbid")

    review_threshold: int = Field(ge=1, le=100)
    report_threshold: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdSettings:
        if self.report_threshold <= self.review_threshold:
            raise ValueError(Message("report_threshold must be above review_threshold"))
        return self


class RestrictedHitRead(BaseModel):
    """A restricted hit, as the authority holding the list sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    entity_id: str
    entity_name: str
    score: float
    screened_by_organisation_id: int
    customer_name: str
    customer_country: str
    order_ref: str
    substance_name: str
    created_at: datetime


class BatchRead(BaseModel):
    """A file of orders being screened, with its progress."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    status: str
    total: int
    done: int
    error: str | None
    created_at: datetime
    finished_at: datetime | None
