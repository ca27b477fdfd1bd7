"""Tables of licensing: licences and registrations with their history, verifications, ALR."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from precx.db import Base, UTCDateTime, utc_now
from precx.sharing.models import Shareable


class Licence(Shareable, Base):
    """A licence (category 1) or registration (2A/2B, exporters of 3) a licensing authority issued.

    Owned by the issuing authority; the holder organisation (when on the platform) reads it as a
    routed reader. `status` is what the authority decided; `expired` is derived from the dates.
    """

    __tablename__ = "licence"
    __table_args__ = (UniqueConstraint("country", "number"),)
    record_type = "licence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    number: Mapped[str] = mapped_column(String(60))
    holder_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True, index=True
    )
    holder_name: Mapped[str] = mapped_column(String(300), index=True)
    holder_registration_number: Mapped[str] = mapped_column(String(100), default="")
    holder_address: Mapped[str] = mapped_column(String(500), default="")
    substances: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    activities: Mapped[list[str]] = mapped_column(JSON)
    premises: Mapped[str] = mapped_column(Text, default="")
    responsible_officer: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    quantity_limits: Mapped[dict[str, float]] = mapped_column(JSON)
    conditions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    def status_on(self, when: date) -> str:
        """The status on a date: the authority's decision, or `expired` outside the validity."""
        if self.status != "active":
            return self.status
        return "active" if self.valid_from <= when <= self.valid_until else "expired"

    @property
    def effective_status(self) -> str:
        """The status today (UTC)."""
        return self.status_on(datetime.now(UTC).date())


class LicenceVersion(Base):
    """One change of a licence: who made it, when, what changed, and the licence after it."""

    __tablename__ = "licence_version"
    __table_args__ = (UniqueConstraint("licence_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licence.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    changed_by_label: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class VerificationLogEntry(Base):
    """That someone verified a licence number: for the licensing authority of its country."""

    __tablename__ = "licence_verification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    number: Mapped[str] = mapped_column(String(60))
    substance: Mapped[str] = mapped_column(String(200), default="")
    activity: Mapped[str] = mapped_column(String(40), default="")
    answer: Mapped[str] = mapped_column(String(16))
    licence_id: Mapped[int | None] = mapped_column(
        ForeignKey("licence.id"), nullable=True, index=True
    )
    verified_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    verified_by_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class AnnualRequirement(Base):
    """A country's annual legitimate requirement of one substance (kg per year), public."""

    __tablename__ = "annual_requirement"
    __table_args__ = (UniqueConstraint("country", "substance_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    substance_id: Mapped[str] = mapped_column(String(80), index=True)
    quantity_kg: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AnnualRequirementChange(Base):
    """One change of an annual legitimate requirement: the quantity before and after."""

    __tablename__ = "annual_requirement_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    substance_id: Mapped[str] = mapped_column(String(80))
    old_quantity_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    new_quantity_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    changed_by_label: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
