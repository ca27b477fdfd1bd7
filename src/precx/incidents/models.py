"""Tables of incidents (with their substances, parties, route, links, attachments), industry
alerts, who read them, and sightings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
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


class Incident(Shareable, Base):
    """A seizure, stopped shipment, diversion, illicit laboratory, equipment or loss case."""

    __tablename__ = "incident"
    record_type = "incident"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    reporting_agency: Mapped[str] = mapped_column(String(200))
    attempted: Mapped[bool | None] = mapped_column(nullable=True)
    concealment: Mapped[str] = mapped_column(Text, default="")
    modus_operandi: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    # Set when the incident was drafted from an outside event (a customs stop): at most once.
    source_key: Mapped[str | None] = mapped_column(String(80), nullable=True, unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IncidentSubstance(Base):
    """A substance of an incident: one row each, so lists filter by substance."""

    __tablename__ = "incident_substance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    substance_id: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(8), default="")
    concentration: Mapped[str] = mapped_column(String(100), default="")
    packaging: Mapped[str] = mapped_column(String(200), default="")


class IncidentParty(Base):
    """A company, person, address, phone, e-mail, vessel/vehicle or transport document."""

    __tablename__ = "incident_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24), index=True)
    value: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    role: Mapped[str] = mapped_column(String(100), default="")


class IncidentRouteStop(Base):
    """A country (and place) the goods came from, passed through or went to."""

    __tablename__ = "incident_route_stop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    leg: Mapped[str] = mapped_column(String(12))
    country: Mapped[str] = mapped_column(String(2), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")


class RecordLink(Base):
    """A link from an incident or alert to another record (re-checked under the gate on read)."""

    __tablename__ = "record_link"
    __table_args__ = (UniqueConstraint("from_type", "from_id", "to_type", "to_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_type: Mapped[str] = mapped_column(String(40))
    from_id: Mapped[int] = mapped_column(Integer, index=True)
    to_type: Mapped[str] = mapped_column(String(40))
    to_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class IncidentAttachment(Base):
    """A file of an incident; served for download only, never inline."""

    __tablename__ = "incident_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class IndustryAlert(Shareable, Base):
    """A sanitised warning to the partnership; published only after a second officer approves.

    Until publication the gate's `distribution` is `country_authorities` (the officers who may
    approve); `target_distribution` is what the author chose for the published alert.
    """

    __tablename__ = "industry_alert"
    record_type = "industry_alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(String(200))
    watch_for: Mapped[str] = mapped_column(Text)
    substances: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    severity: Mapped[str] = mapped_column(String(8), default="medium")
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    target_distribution: Mapped[str] = mapped_column(String(32))
    target_sharing_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("sharing_group.id"), nullable=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AlertRead(Base):
    """That a user marked an alert read."""

    __tablename__ = "alert_read"
    __table_args__ = (UniqueConstraint("alert_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("industry_alert.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AlertSighting(Shareable, Base):
    """ "We saw this": a member's report that an alert matched something; read by the member
    and, as a routed reader, the alert's authority."""

    __tablename__ = "alert_sighting"
    record_type = "alert_sighting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("industry_alert.id"), index=True)
    seen_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
