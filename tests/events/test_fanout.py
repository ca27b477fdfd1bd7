"""Fan-out: an event reaches each matching subscriber who may read its record at delivery time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from precx.accounts.principal import Role
from precx.bulletins.models import Bulletin
from precx.db import utc_now
from precx.events import service as events_service
from precx.events.models import InboxItem, OutboxEvent, Severity, SubscriptionScope
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution
from tests.events.conftest import Deliver, drain, inbox_titles, post, subscribe
from tests.fixtures.builders import Member, make_member


def test_model_for_finds_shareable_classes_by_record_type() -> None:
    assert sharing_service.model_for("bulletin") is Bulletin
    assert sharing_service.model_for("organisation") is None
    assert sharing_service.model_for(None) is None


def test_an_event_reaches_only_subscribers_who_may_read_the_record(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    for member in people.values():
        subscribe(session, member)
    with session.begin():
        group = sharing_service.create_sharing_group(
            session, people["author"].principal, name="Ports DE-FR"
        )
        sharing_service.add_group_member(
            session, people["author"].principal, group.id, people["customs_fr"].org.id
        )
    drain(session)
    post(session, people["author"], "Shared with the group", Distribution.sharing_group, group.id)
    assert deliver() == 1
    assert inbox_titles(session, people["customs_fr"]) == ["Shared with the group"]
    assert inbox_titles(session, people["author"]) == ["Shared with the group"]
    assert inbox_titles(session, people["colleague"]) == ["Shared with the group"]
    assert inbox_titles(session, people["police"]) == []
    assert inbox_titles(session, people["industry"]) == []


def test_the_gate_is_asked_at_delivery_time_not_at_emit_time(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    subscribe(session, people["customs_fr"])
    bulletin_id = post(session, people["author"], "Narrowed before delivery")
    with session.begin():
        # The record is made narrower after its event was committed, before delivery.
        session.execute(
            update(Bulletin)
            .where(Bulletin.id == bulletin_id)
            .values(distribution=Distribution.country_authorities)
        )
    deliver()
    assert inbox_titles(session, people["police"]) == ["Narrowed before delivery"]
    assert inbox_titles(session, people["customs_fr"]) == []


def test_a_deleted_record_is_delivered_to_nobody(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    bulletin_id = post(session, people["author"], "Gone")
    with session.begin():
        session.delete(session.get(Bulletin, bulletin_id))
    deliver()
    assert inbox_titles(session, people["police"]) == []


def test_events_of_records_that_are_not_shareable_stay_in_their_organisation(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["author"])
    subscribe(session, people["police"])
    with session.begin():
        events_service.emit(
            session,
            "user.created",
            record_type="user",
            record_id=people["colleague"].user.id,
            organisation_id=people["author"].org.id,
            payload={"title": "A colleague joined"},
        )
        events_service.emit(session, "platform.notice", payload={"title": "No organisation"})
    deliver()
    assert inbox_titles(session, people["author"]) == ["A colleague joined"]
    assert inbox_titles(session, people["police"]) == []


def test_reporters_hear_only_of_their_own_records(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    with session.begin():
        reporter = make_member(session, people["author"].org, Role.reporter)
    subscribe(session, reporter)
    post(session, people["author"], "Someone else's")
    post(session, reporter, "Mine", Distribution.organisation)
    deliver()
    assert inbox_titles(session, reporter) == ["Mine"]


def test_an_organisation_subscription_fills_every_members_inbox_once(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["author"], scope=SubscriptionScope.organisation)
    # A second, overlapping subscription must not make a second item.
    subscribe(session, people["colleague"], name="mine too")
    post(session, people["police"], "From the police")
    deliver()
    assert inbox_titles(session, people["author"]) == ["From the police"]
    assert inbox_titles(session, people["colleague"]) == ["From the police"]
    assert inbox_titles(session, people["police"]) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"topic_prefix": "bulletin."}, ["acetone low DE", "safrole high NL"]),
        ({"topic_prefix": "incident."}, ["incident medium"]),
        ({"keywords": "SAFROLE high"}, ["safrole high NL"]),
        ({"min_severity": Severity.medium}, ["safrole high NL", "incident medium"]),
        ({"country": "NL"}, ["safrole high NL"]),
        ({"substance": "Safrole"}, ["safrole high NL"]),
        ({}, ["acetone low DE", "safrole high NL", "incident medium"]),
    ],
)
def test_filters_select_by_topic_words_severity_country_and_substance(
    session: Session,
    people: dict[str, Member],
    deliver: Deliver,
    filters: dict[str, object],
    expected: list[str],
) -> None:
    subscribe(session, people["police"], **filters)
    bulletin_id = post(session, people["author"], "The record the events are about")
    drain(session)
    with session.begin():
        for topic, title, payload in [
            ("bulletin.posted", "acetone low DE", {"countries": ["de"], "substances": ["Acetone"]}),
            (
                "bulletin.posted",
                "safrole high NL",
                {"countries": ["NL"], "substances": ["Safrole"], "severity": "high"},
            ),
            ("incident.created", "incident medium", {"severity": "medium", "kind": "seizure"}),
        ]:
            events_service.emit(
                session,
                topic,
                record_type="bulletin",
                record_id=bulletin_id,
                organisation_id=people["author"].org.id,
                payload={"title": title, **payload},
            )
    deliver()
    assert inbox_titles(session, people["police"]) == expected


def test_sequence_numbers_follow_the_outbox_order_without_gaps(
    session: Session, people: dict[str, Member], deliver: Deliver
) -> None:
    subscribe(session, people["police"])
    titles = [f"Bulletin {n}" for n in range(1, 8)]
    for n, title in enumerate(titles):
        post(session, people["author"], title)
        if n == 3:
            deliver()
    deliver()
    with session.begin():
        seqs = session.scalars(
            select(InboxItem.seq)
            .where(InboxItem.user_id == people["police"].user.id)
            .order_by(InboxItem.event_id)
        ).all()
    assert list(seqs) == list(range(1, 8))
    assert inbox_titles(session, people["police"]) == titles


def test_a_failing_event_waits_with_exponential_backoff(
    session: Session, people: dict[str, Member], deliver: Deliver, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(_session: Session, event: OutboxEvent) -> None:
        calls.append(event.id)
        if len(calls) < 3:
            raise RuntimeError("downstream unavailable")

    monkeypatch.setattr(events_service, "_handlers", [("", flaky)])
    post(session, people["author"], "Flaky")
    start = utc_now()
    assert deliver(start) == 0
    # Not retried in the next rounds until its wait (5 s, then 10 s) has passed.
    assert deliver(start + timedelta(seconds=1)) == 0
    assert len(calls) == 1
    assert deliver(start + timedelta(seconds=6)) == 0
    assert len(calls) == 2
    assert deliver(start + timedelta(seconds=12)) == 0
    assert len(calls) == 2
    assert deliver(start + timedelta(seconds=17)) == 1
    with session.begin():
        event = session.scalars(select(OutboxEvent).where(OutboxEvent.id == calls[0])).one()
        assert event.attempts == 3 and event.delivered_at is not None
        assert event.next_attempt_at is None and event.last_error is None


def test_each_batch_reads_the_subscriptions_afresh(
    session: Session, people: dict[str, Member], factory: sessionmaker[Session]
) -> None:
    with factory() as dispatcher_session:
        post(session, people["author"], "Before the subscription")
        with dispatcher_session.begin():
            events_service.deliver_pending(dispatcher_session)
        subscribe(session, people["police"])
        post(session, people["author"], "After the subscription")
        with dispatcher_session.begin():
            events_service.deliver_pending(dispatcher_session)
    assert inbox_titles(session, people["police"]) == ["After the subscription"]
