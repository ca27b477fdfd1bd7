"""Fixtures of delivery tests: the fan-out as sole handler, organisations, delivering the outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from precx.accounts.principal import OrgKind, Role
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.db import utc_now
from precx.events import fanout
from precx.events import service as events_service
from precx.events.models import InboxItem, OutboxEvent, Subscription
from precx.sharing.models import Distribution, Tlp
from tests.fixtures.builders import Member, make_member, make_org

Deliver = Callable[..., int]


@pytest.fixture(autouse=True)
def _fan_out_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox has exactly one handler in these tests: the fan-out."""
    monkeypatch.setattr(events_service, "_handlers", [("", fanout.fan_out)])


@pytest.fixture
def deliver(factory: sessionmaker[Session]) -> Deliver:
    """Run the dispatcher's delivery once, as the app does after a commit."""

    def run(now: datetime | None = None) -> int:
        with factory() as session, session.begin():
            return events_service.deliver_pending(session, now=now)

    return run


def subscribe(session: Session, member: Member, **fields: object) -> Subscription:
    """An inbox subscription of one user (fields override the defaults)."""
    with session.begin():
        sub = Subscription(
            user_id=member.user.id,
            organisation_id=member.org.id,
            name=str(fields.pop("name", "everything")),
            **fields,
        )
        session.add(sub)
    return sub


def post(
    session: Session,
    author: Member,
    title: str,
    distribution: Distribution = Distribution.authorities,
    group_id: int | None = None,
) -> int:
    """A bulletin, posted and committed (its event waits in the outbox)."""
    with session.begin():
        return bulletins_service.post_bulletin(
            session,
            author.principal,
            data=BulletinCreate(
                title=title,
                body="text",
                distribution=distribution,
                tlp=Tlp.amber,
                sharing_group_id=group_id,
            ),
        ).id


def inbox_titles(session: Session, member: Member) -> list[str]:
    """The titles in a user's inbox, in sequence order."""
    return [title for (title,) in inbox_rows(session, member, "title")]


def inbox_rows(session: Session, member: Member, *fields: str) -> list[tuple[object, ...]]:
    """Some fields (topic, title, url...) of each item in a user's inbox, in sequence order."""
    with session.begin():
        items = session.scalars(
            select(InboxItem).where(InboxItem.user_id == member.user.id).order_by(InboxItem.seq)
        ).all()
        return [tuple(getattr(i, name) for name in fields) for i in items]


def drain(session: Session) -> None:
    """Mark what is in the outbox delivered: tests start from the events they make themselves."""
    with session.begin():
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.delivered_at.is_(None))
            .values(delivered_at=utc_now())
        )


@pytest.fixture
def people(session: Session) -> Iterator[dict[str, Member]]:
    """An authority in Germany (the author), another in Germany, one in France, industry."""
    with session.begin():
        de = make_org(session, OrgKind.licensing_authority, "DE")
        de_police = make_org(session, OrgKind.law_enforcement, "DE")
        fr = make_org(session, OrgKind.customs, "FR")
        industry = make_org(session, OrgKind.industry, "DE", vetted=True)
        members = {
            "author": make_member(session, de, Role.admin),
            "colleague": make_member(session, de, Role.viewer),
            "police": make_member(session, de_police, Role.analyst),
            "customs_fr": make_member(session, fr, Role.analyst),
            "industry": make_member(session, industry, Role.analyst),
        }
    drain(session)
    yield members
