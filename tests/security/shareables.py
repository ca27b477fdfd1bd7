"""Every shareable record type, as the visibility matrix exercises it: one line per type.

To add a record type, write a `make` function that creates one record as `author` with a
distribution (and sharing group), and add a `ShareableType` line to SHAREABLE_TYPES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.sharing.models import Distribution, Tlp
from tests.fixtures.builders import Member

MakeRecord = Callable[[Session, Member, Distribution, int | None, str], int]


@dataclass(frozen=True)
class ShareableType:
    """How to create a record of one type, and where the API lists, counts and fetches it."""

    name: str
    collection: str  # GET lists (?q= searches), GET /count counts, GET /{id} fetches
    make: MakeRecord
    export: str  # GET answers a CSV whose `id` column names every exported record


def make_bulletin(
    session: Session, author: Member, distribution: Distribution, group_id: int | None, marker: str
) -> int:
    data = BulletinCreate(
        title=f"Bulletin {marker}",
        body=f"Text with {marker}",
        distribution=distribution,
        tlp=Tlp.amber,
        sharing_group_id=group_id,
    )
    return bulletins_service.post_bulletin(session, author.principal, data=data).id


SHAREABLE_TYPES = [
    ShareableType("bulletin", "/api/v1/bulletins", make_bulletin, "/api/v1/bulletins/export.csv"),
]
