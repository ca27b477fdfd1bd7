"""Distribution and TLP enums, the columns every shareable record carries, and sharing groups."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from precx.db import Base, UTCDateTime, utc_now


class Distribution(StrEnum):
    """How far a record travels (adapted from MISP's distribution levels)."""

    organisation = "organisation"
    country_authorities = "country_authorities"
    authorities = "authorities"
    partnership = "partnership"
    sharing_group = "sharing_group"


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 marking: how readers may pass the record on."""

    clear = "clear"
    green = "green"
    amber = "amber"
    amber_strict = "amber+strict"
    red = "red"


class Shareable:
    """Mixin of the columns the sharing gate reads; every shareable table uses it."""

    # The name of the record type in routed readers, audit entries and events.
    record_type: ClassVar[str]

    id: Mapped[int]

    @declared_attr
    def owner_organisation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisation.id"), index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("app_user.id"), index=True)

    @declared_attr
    def distribution(cls) -> Mapped[Distribution]:
        return mapped_column(Enum(Distribution, native_enum=False, length=32), index=True)

    @declared_attr
    def tlp(cls) -> Mapped[Tlp]:
        return mapped_column(Enum(Tlp, native_enum=False, length=16))

    @declared_attr
    def sharing_group_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("sharing_group.id"), nullable=True, index=True)


class SharingGroup(Base):
    """An explicit list of organisations that a record may be shared with."""

    __tablename__ = "sharing_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class SharingGroupMember(Base):
    """An organisation's membership of a sharing group."""

    __tablename__ = "sharing_group_member"
    __table_args__ = (UniqueConstraint("sharing_group_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sharing_group_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_group.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class RoutedReader(Base):
    """An organisation that reads a record because of what the record is, not its distribution
    (a report goes to the reporter's competent authority; a notification to the importer's)."""

    __tablename__ = "routed_reader"
    __table_args__ = (UniqueConstraint("record_type", "record_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
