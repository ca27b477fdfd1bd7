"""Sharing groups in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from precx.kit.ids import BodyId

GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]


class SharingGroupCreate(BaseModel):
    """A new sharing group."""

    model_config = ConfigDict(extra="forbid")

    name: GroupName
    description: Annotated[str, StringConstraints(max_length=2000)] = ""


class MemberAdd(BaseModel):
    """An organisation to add to a sharing group."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: BodyId


class SharingGroupRead(BaseModel):
    """A sharing group."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    owner_organisation_id: int
    created_at: datetime


class MemberRead(BaseModel):
    """A member organisation of a sharing group."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    country: str
