"""Subscriptions, inbox items and dead letters in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from precx.events.models import Channel, OutboundStatus, Severity, SubscriptionScope
from precx.kit.fields import CountryCode

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Secret = Annotated[str, StringConstraints(min_length=16, max_length=200)]


class SubscriptionCreate(BaseModel):
    """What to hear about (all filters optional) and where to receive it."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    scope: SubscriptionScope = Field(
        SubscriptionScope.user,
        description="`organisation` puts matching events in every member's inbox (admins only).",
    )
    topic_prefix: Short = Field(
        "", description="Topic prefix (`bulletin.`), record type or kind; empty for all."
    )
    substance: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = (
        Field(None, description="A catalog substance name or id the event must name.")
    )
    country: CountryCode | None = Field(None, description="ISO alpha-2 code the event must name.")
    min_severity: Severity = Severity.low
    keywords: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = Field(
        "", description="Words that must all appear in the event's title."
    )
    channel: Channel = Channel.inbox
    webhook_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = (
        None
    )
    webhook_secret: Secret | None = Field(
        None, description="HMAC key of the signatures; generated when left out."
    )
    email: EmailStr | None = None
    active: bool = True


class SubscriptionRead(BaseModel):
    """A subscription, without its webhook secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    organisation_id: int
    scope: SubscriptionScope
    name: str
    topic_prefix: str
    substance: str | None
    country: str | None
    min_severity: Severity
    keywords: str
    channel: Channel
    webhook_url: str | None
    email: str | None
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    """A new subscription; the webhook secret is shown this once."""

    webhook_secret: str | None


class InboxItemRead(BaseModel):
    """One event delivered to the caller."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int
    topic: str
    record_type: str | None
    record_id: str | None
    title: str
    kind: str
    severity: Severity
    url: str | None
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    """One page of the inbox, with the number of unread items."""

    items: list[InboxItemRead]
    total: int
    page: int
    per_page: int
    unread: int


class MarkRead(BaseModel):
    """Inbox items to mark read; `all` marks every one."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=1000
    )
    all: bool = False


class Unread(BaseModel):
    """How many inbox items are unread."""

    unread: int


class OutboundMessageRead(BaseModel):
    """A webhook call or e-mail, with its attempts and last error."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int
    channel: Channel
    seq: int
    event_id: int
    topic: str
    status: OutboundStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    body: dict[str, Any]
