"""Bulletins in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from precx.kit.ids import BodyId
from precx.sharing.models import Distribution, Tlp

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class BulletinCreate(BaseModel):
    """A new bulletin and who may read it."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    body: Body
    distribution: Distribution = Distribution.organisation
    tlp: Tlp = Tlp.amber
    sharing_group_id: BodyId | None = None


class BulletinRead(BaseModel):
    """A bulletin with its marking and its author organisation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    distribution: Distribution
    tlp: Tlp
    sharing_group_id: int | None
    owner_organisation_id: int
    created_at: datetime


class BulletinPage(BaseModel):
    """One page of bulletins."""

    items: list[BulletinRead]
    total: int
    page: int
    per_page: int


class Count(BaseModel):
    """How many records match."""

    count: int
