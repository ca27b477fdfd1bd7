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
from precx.screening import service as screening_service
from precx.screening.orders import Order
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


def make_screening(
    session: Session, author: Member, distribution: Distribution, group_id: int | None, marker: str
) -> int:
    order = Order(
        order_id=f"SO-{marker}",
        customer_name="Lackwerk Nord GmbH",
        customer_country="DE",
        substance="acetone",
        quantity=200,
        unit="l",  # type: ignore[arg-type]
    )
    screened = screening_service.screen_orders(
        session,
        author.principal,
        [(2, order)],
        store=True,
        distribution=distribution,
        tlp=Tlp.amber,
        sharing_group_id=group_id,
    )
    assert screened[0].screening_id is not None
    return screened[0].screening_id


SHAREABLE_TYPES = [
    ShareableType("bulletin", "/api/v1/bulletins", make_bulletin, "/api/v1/bulletins/export.csv"),
    ShareableType(
        "screening", "/api/v1/screenings", make_screening, "/api/v1/screenings/export.csv"
    ),
]
