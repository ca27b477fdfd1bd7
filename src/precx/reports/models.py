"""Tables of reports: the report, its substances, status history, messages, attachments, and
each authority's routing settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from precx.db import Base, UTCDateTime, utc_now
from precx.sharing.models import Shareable


class ReportKind(StrEnum):
    """What is being reported."""

    suspicious_order = "suspicious_order"
    suspicious_transaction = "suspicious_transaction"
    loss_theft = "loss_theft"
    suspicious_consignment = "suspicious_consignment"


class ReportStatus(StrEnum):
    """Where a report stands; `draft` is the reporter's own until submitted."""

    draft = "draft"
    submitted = "submitted"
    acknowledged = "acknowledged"
    under_review = "under_review"
    referred = "referred"
    closed = "closed"


class Outcome(StrEnum):
    """What became of a closed report: the category fed back to the reporter."""

    no_further_action = "no_further_action"
    confirmed_legitimate = "confirmed_legitimate"
    intelligence_used = "intelligence_used"
    investigation_opened = "investigation_opened"
    shipment_stopped = "shipment_stopped"
    seizure = "seizure"


class ActionTaken(StrEnum):
    """What the reporter did about the order or stock."""

    refused = "refused"
    delayed = "delayed"
    supplied_under_observation = "supplied_under_observation"
    supplied = "supplied"
    not_applicable = "not_applicable"


class MessageKind(StrEnum):
    """A message on a report: to the reporter, from it, or for authorities only."""

    request = "request"  # request for information, authority -> reporter
    answer = "answer"  # reporter -> authority
    feedback = "feedback"  # what became of the report, authority -> reporter
    note = "note"  # internal note of authorities; never shown to the reporter


class Report(Shareable, Base):
    """A suspicious order/transaction/consignment or a loss/theft, owned by the reporter's org."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("owner_organisation_id", "idempotency_key"),)
    record_type = "report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    counterparty_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    counterparty_country: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    # Address, identifiers and contact data, structured so correlation can use them later.
    counterparty: Mapped[dict[str, Any]] = mapped_column(JSON)
    order_details: Mapped[dict[str, Any]] = mapped_column(JSON)
    red_flags: Mapped[list[str]] = mapped_column(JSON)
    red_flags_other: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str | None] = mapped_column(String(32), nullable=True)
    narrative: Mapped[str] = mapped_column(Text, default="")
    screening_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening.id"), nullable=True, index=True
    )
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Internal to authorities: never shown to the reporter.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    feedback_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    ack_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReportSubstance(Base):
    """One substance of a report, resolved through the catalog, with its quantity."""

    __tablename__ = "report_substance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    substance_id: Mapped[str] = mapped_column(String(80), index=True)
    substance_name: Mapped[str] = mapped_column(String(500))
    given_as: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(4), nullable=True)


class ReportStatusChange(Base):
    """One step of a report's timeline."""

    __tablename__ = "report_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Whom a referral went to: shown to authorities, not to the reporter.
    referred_to_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True)
    actor_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReportMessage(Base):
    """A message on a report between the authority and the reporter (or an internal note)."""

    __tablename__ = "report_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    author_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    author_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class ReportAttachment(Base):
    """A document or image attached by the reporter; served only as a download."""

    __tablename__ = "report_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Read only when downloaded, never with the list.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReportRoutingSettings(Base):
    """A licensing authority's choices for incoming reports."""

    __tablename__ = "report_routing_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    forward_to_law_enforcement: Mapped[bool] = mapped_column(Boolean, default=False)
    forward_to_customs: Mapped[bool] = mapped_column(Boolean, default=False)
    ack_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
