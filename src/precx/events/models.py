"""The outbox table, and the tables of delivery: subscriptions, inbox items, outgoing messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from precx.db import Base, UTCDateTime, utc_now


class OutboxEvent(Base):
    """An event waiting for (or done with) delivery."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    topic: Mapped[str] = mapped_column(String(100), index=True)
    record_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    record_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A failing event waits until then (exponential backoff) instead of failing every round.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Severity(StrEnum):
    """How urgent an event is; a subscription asks for a minimum."""

    low = "low"
    medium = "medium"
    high = "high"


SEVERITY_RANK = {Severity.low: 0, Severity.medium: 1, Severity.high: 2}


class Channel(StrEnum):
    """Where a subscription's deliveries go."""

    inbox = "inbox"
    webhook = "webhook"
    email = "email"


class SubscriptionScope(StrEnum):
    """For the subscribing user only, or for every member of their organisation (inbox)."""

    user = "user"
    organisation = "organisation"


class Subscription(Base):
    """What a user (or their whole organisation) wants to hear about, and where."""

    __tablename__ = "event_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The owner: deliveries to a webhook or mailbox never carry more than this user may read.
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    scope: Mapped[SubscriptionScope] = mapped_column(
        Enum(SubscriptionScope, native_enum=False, length=16), default=SubscriptionScope.user
    )
    name: Mapped[str] = mapped_column(String(120))
    topic_prefix: Mapped[str] = mapped_column(String(100), default="")
    substance: Mapped[str | None] = mapped_column(String(200), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    min_severity: Mapped[Severity] = mapped_column(
        Enum(Severity, native_enum=False, length=8), default=Severity.low
    )
    keywords: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, native_enum=False, length=8), default=Channel.inbox
    )
    webhook_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    webhook_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class InboxItem(Base):
    """One event delivered to one user: their inbox and their SSE stream (by `seq`)."""

    __tablename__ = "inbox_item"
    __table_args__ = (
        UniqueConstraint("user_id", "seq"),
        UniqueConstraint("user_id", "event_id"),
        Index("ix_inbox_item_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    # Per user, without gaps: the SSE event id, so a client resumes with Last-Event-ID.
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(100))
    record_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    record_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(60))
    severity: Mapped[Severity] = mapped_column(Enum(Severity, native_enum=False, length=8))
    url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutboundStatus(StrEnum):
    """Life of a webhook call or e-mail: waiting (or retrying), done, or given up."""

    pending = "pending"
    delivered = "delivered"
    dead = "dead"


class OutboundMessage(Base):
    """A webhook call or e-mail for one subscription, retried with backoff, then dead-lettered."""

    __tablename__ = "outbound_message"
    __table_args__ = (
        UniqueConstraint("subscription_id", "seq"),
        Index("ix_outbound_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("event_subscription.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    channel: Mapped[Channel] = mapped_column(Enum(Channel, native_enum=False, length=8))
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(100))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboundStatus] = mapped_column(
        Enum(OutboundStatus, native_enum=False, length=16), default=OutboundStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
