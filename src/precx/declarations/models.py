"""Tables of customer declarations and the deliveries made against them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from precx.db import Base, UTCDateTime, utc_now
from precx.sharing.models import Shareable


class CustomerDeclaration(Shareable, Base):
    """A customer's signed statement of what a substance it buys from a supplier is for.

    Owned by the organisation that put it on the platform: the customer when it signed here,
    the supplier when it recorded a paper one. The counterparty reads it as a routed reader.
    """

    __tablename__ = "customer_declaration"
    record_type = "customer_declaration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), index=True)
    supplier_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    customer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True, index=True
    )
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_address: Mapped[str] = mapped_column(String(500))
    customer_country: Mapped[str] = mapped_column(String(2), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    licence_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    substance_id: Mapped[str] = mapped_column(String(80), index=True)
    substance_name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(2))
    quantity_delivered: Mapped[float] = mapped_column(Float, default=0.0)
    delivery_count: Mapped[int] = mapped_column(Integer, default=0)
    intended_use: Mapped[str] = mapped_column(Text)
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_position: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    scan_filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    scan_content_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The scan is read only when downloaded, never with the declaration.
    scan: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class DeclarationDelivery(Base):
    """A delivery the supplier made against a declaration, using up part of its quantity."""

    __tablename__ = "declaration_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customer_declaration.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    delivered_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
