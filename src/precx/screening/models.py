"""Tables of screening: watchlists with their versions and entities, screenings and batches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from precx.db import Base, UTCDateTime, utc_now
from precx.kit.i18n import message_from_data
from precx.sharing.models import Shareable


class Watchlist(Base):
    """A named list of entities to screen against: public (sanctions) or restricted (intelligence).

    Re-importing replaces its content with a new version; `current_version` says which one
    screening uses, so the switch is one update inside the import's transaction.
    """

    __tablename__ = "watchlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    format: Mapped[str] = mapped_column(String(16))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class WatchlistVersion(Base):
    """One import of a watchlist: when, by whom, from which file, how many entities."""

    __tablename__ = "watchlist_version"
    __table_args__ = (UniqueConstraint("watchlist_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))
    digest: Mapped[str] = mapped_column(String(64))
    entity_count: Mapped[int] = mapped_column(Integer)
    alias_count: Mapped[int] = mapped_column(Integer)
    address_count: Mapped[int] = mapped_column(Integer)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class WatchlistEntity(Base):
    """One listed entity of one version of a watchlist."""

    __tablename__ = "watchlist_entity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_version.id"), index=True)
    entity_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(1000))
    entity_type: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    addresses: Mapped[list[str]] = mapped_column(JSON)
    identifiers: Mapped[list[list[str]]] = mapped_column(JSON)
    programs: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ScreeningBatch(Base):
    """A file of orders being screened: its progress while it runs, its outcome after."""

    __tablename__ = "screening_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="running")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The error as kit.i18n.message_data keeps it, for a page in the reader's language.
    error_message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def shown_error(self) -> str | None:
        """Why nothing was stored, translatable where the error was a Message."""
        if self.error_message:
            return message_from_data(self.error_message)
        return self.error


class Screening(Shareable, Base):
    """The stored result of screening one order, with the versions it was decided under."""

    __tablename__ = "screening"
    record_type = "screening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_batch.id"), nullable=True, index=True
    )
    order_ref: Mapped[str] = mapped_column(String(100), index=True)
    customer_name: Mapped[str] = mapped_column(String(300))
    customer_country: Mapped[str] = mapped_column(String(2), index=True)
    # The customer across spellings (country and name comparison form): its order history.
    customer_key: Mapped[str] = mapped_column(String(400), index=True)
    substance_id: Mapped[str] = mapped_column(String(80), index=True)
    substance_name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(4))
    quantity_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    order_date: Mapped[date] = mapped_column(Date, index=True)
    decision: Mapped[str] = mapped_column(String(8), index=True)
    score: Mapped[int] = mapped_column(Integer, index=True)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    order: Mapped[dict[str, Any]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(40))
    list_versions: Mapped[dict[str, int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class RestrictedHit(Shareable, Base):
    """That an organisation's customer matched restricted intelligence: for the list's authority.

    Owned by the authority that holds the list, so the sharing gate shows it to that authority
    and never to the organisation that screened (which sees only the reference).
    """

    __tablename__ = "restricted_hit"
    record_type = "restricted_hit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), index=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"), index=True)
    entity_id: Mapped[str] = mapped_column(String(200))
    entity_name: Mapped[str] = mapped_column(String(1000))
    score: Mapped[float] = mapped_column(Float)
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening.id"), nullable=True)
    screened_by_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    customer_name: Mapped[str] = mapped_column(String(300))
    customer_country: Mapped[str] = mapped_column(String(2))
    order_ref: Mapped[str] = mapped_column(String(100))
    substance_name: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class ScreeningSettings(Base):
    """An organisation's own decision thresholds."""

    __tablename__ = "screening_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    review_threshold: Mapped[int] = mapped_column(Integer)
    report_threshold: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
