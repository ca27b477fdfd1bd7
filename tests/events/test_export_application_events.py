"""A notification made by hand for a registered exporter: the exporter hears of it, nobody else
of industry does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events.models import InboxItem
from tests.events.conftest import Deliver, drain, subscribe
from tests.fixtures.builders import Member
from tests.notifications.helpers import notify, people


def _inbox(session: Session, member: Member) -> list[tuple[str, str | None]]:
    with session.begin():
        items = session.scalars(
            select(InboxItem).where(InboxItem.user_id == member.user.id).order_by(InboxItem.seq)
        ).all()
        return [(i.topic, i.title) for i in items]


def test_the_named_exporter_hears_its_export_was_notified(
    session: Session, deliver: Deliver
) -> None:
    p = people(session)
    for member in (p.exporter, p.other_industry, p.de_authority):
        subscribe(session, member)
    drain(session)
    n = notify(session, p.de_authority, exporter_organisation_id=p.exporter.org.id)
    deliver()
    heard = _inbox(session, p.exporter)
    assert ("export_application.recorded", f"Your export to KZ was notified as {n.reference}") in (
        heard
    )
    # Status only: the notification's own event is the authorities'.
    assert [topic for topic, _ in heard if topic.startswith("notification.")] == []
    assert _inbox(session, p.other_industry) == []
