"""Tables of export applications, pre-export notifications, their responses, amendments and
the customs events of the consignments they announce."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from precx.db import Base, UTCDateTime, utc_now
from precx.sharing.models import Shareable


class ConsignmentTerms:
    """What an application and a notification both say about the planned export."""

    kind: Mapped[str] = mapped_column(String(12), index=True)
    exporter_name: Mapped[str] = mapped_column(String(200), index=True)
    exporter_address: Mapped[str] = mapped_column(String(500), default="")
    exporter_country: Mapped[str] = mapped_column(String(2), index=True)
    importer_name: Mapped[str] = mapped_column(String(200), index=True)
    importer_address: Mapped[str] = mapped_column(String(500), default="")
    importer_country: Mapped[str] = mapped_column(String(2), index=True)
    importer_licence_number: Mapped[str] = mapped_column(String(60), default="")
    consignee_name: Mapped[str] = mapped_column(String(200), default="")
    consignee_address: Mapped[str] = mapped_column(String(500), default="")
    # [{"substance_id", "substance_name", "quantity", "unit", "quantity_kg",
    #   "concentration_percent", "packaging"}]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    substance_names: Mapped[str] = mapped_column(String(1000), default="")
    transport_mode: Mapped[str] = mapped_column(String(12))
    exit_point: Mapped[str] = mapped_column(String(200), default="")
    transit_countries: Mapped[list[str]] = mapped_column(JSON)
    entry_point: Mapped[str] = mapped_column(String(200), default="")
    dispatch_date: Mapped[date] = mapped_column(Date, index=True)
    period_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    export_authorisation_number: Mapped[str] = mapped_column(String(60), default="", index=True)
    import_permit_number: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ExportApplication(ConsignmentTerms, Shareable, Base):
    """An exporter's request for an export authorisation and the notification that follows.

    Owned by the exporter; the licensing authorities of its country read it as routed readers.
    """

    __tablename__ = "export_application"
    record_type = "export_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("pre_export_notification.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


class PreExportNotification(ConsignmentTerms, Shareable, Base):
    """A pre-export notification from the exporting country's authority to the importing one's.

    Owned by the exporting licensing authority; the importing authority and customs, the transit
    countries' (where they asked) and the exporting country's customs read it as routed readers.
    `version` is checked in every UPDATE: of two concurrent responses exactly one is recorded.
    """

    __tablename__ = "pre_export_notification"
    record_type = "pre_export_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    exporter_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True, index=True
    )
    application_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # The authorities' own remarks: never shown to the exporter.
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    reply_deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminded_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    response_reason: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Kilograms dispatched so far per substance (simplified notifications).
    quantity_used: Mapped[dict[str, float]] = mapped_column(JSON)
    shipment_status: Mapped[str] = mapped_column(String(20), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    __mapper_args__ = {"version_id_col": version}


class NotificationResponse(Base):
    """An answer of the importing authority: acknowledged, cleared or objected."""

    __tablename__ = "notification_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("pre_export_notification.id"), index=True
    )
    answer: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    responded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class NotificationAmendment(Base):
    """One change of a notification by the exporting authority: what changed and why."""

    __tablename__ = "notification_amendment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("pre_export_notification.id"), index=True
    )
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class CustomsEvent(Base):
    """What customs recorded about the consignment; read only through its notification."""

    __tablename__ = "customs_event"
    record_type = "customs_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("pre_export_notification.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    # [{"substance_id", "quantity", "unit", "quantity_kg"}]
    quantities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PenCountrySetting(Base):
    """An importing country's reply period, and whether it wants copies as a transit country."""

    __tablename__ = "pen_country_setting"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    reply_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    transit_copies: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
