"""Tables of the catalog: substances, countries and countries' requests for notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from precx.db import Base, UTCDateTime, utc_now


class Substance(Base):
    """A controlled or watched chemical, salt or isomer, as loaded from substances.yaml."""

    __tablename__ = "substance"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    parent_id: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    un_table: Mapped[str | None] = mapped_column(String(4), nullable=True, index=True)
    eu_category: Mapped[str | None] = mapped_column(String(4), nullable=True, index=True)
    watched: Mapped[bool] = mapped_column(Boolean, default=False)
    # The whole validated record (codes, names, thresholds, sources), as in the data file.
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class CatalogVersion(Base):
    """The digest of the loaded data files: processes rebuild their index when it changes."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    substances: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Country(Base):
    """An ISO 3166-1 country with its OSCE status and EU membership."""

    __tablename__ = "country"

    iso2: Mapped[str] = mapped_column(String(2), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    official_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    alt_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    osce_status: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    eu_member: Mapped[bool] = mapped_column(Boolean, default=False)


class PenRequirement(Base):
    """A country's request to receive pre-export notifications for a substance
    (1988 Convention, art. 12(10)(a)); maintained by that country's authorities."""

    __tablename__ = "pen_requirement"
    __table_args__ = (UniqueConstraint("country_iso2", "substance_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_iso2: Mapped[str] = mapped_column(ForeignKey("country.iso2"), index=True)
    substance_id: Mapped[str] = mapped_column(ForeignKey("substance.id"), index=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_by_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True
    )
