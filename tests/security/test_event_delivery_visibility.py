"""Delivered events obey the sharing gate: organisation kinds x roles x distributions x record
types, in inboxes, webhook and e-mail queues, and the inbox API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from precx.accounts.principal import AUTHORITY_KINDS, OrgKind, Role
from precx.db import utc_now
from precx.events import fanout
from precx.events import service as events_service
from precx.events.models import Channel, InboxItem, OutboundMessage, OutboxEvent, Subscription
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution
from tests.fixtures.builders import Member, make_member, make_org
from tests.security.shareables import SHAREABLE_TYPES
from tests.security.test_visibility_matrix import ORG_VARIANTS, Record, expected_visible

COUNTRIES = ("DE", "PL")


@pytest.fixture(autouse=True)
def _fan_out_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_service, "_handlers", [("", fanout.fan_out)])


def test_nothing_leaks_through_delivery(session: Session, client: TestClient) -> None:
    with session.begin():
        readers: list[Member] = []
        orgs = {}
        for country in COUNTRIES:
            for kind, vetted in ORG_VARIANTS:
                org = make_org(session, kind, country, vetted=vetted)
                orgs[(country, kind, vetted)] = org
                readers.extend(make_member(session, org, role) for role in Role)
        authority_admin = next(
            r
            for r in readers
            if r.org.kind is OrgKind.licensing_authority
            and r.org.country == "DE"
            and r.principal.role is Role.admin
        )
        group = sharing_service.create_sharing_group(
            session, authority_admin.principal, name="delivery group"
        )
        guest = orgs[("PL", OrgKind.customs, False)]
        sharing_service.add_group_member(session, authority_admin.principal, group.id, guest.id)
        group_members = {authority_admin.org.id, guest.id}
        # Every reader subscribes to everything, in the inbox and with a webhook of their own.
        for reader in readers:
            for channel in (Channel.inbox, Channel.webhook):
                session.add(
                    Subscription(
                        user_id=reader.user.id,
                        organisation_id=reader.org.id,
                        name=f"all {channel.value}",
                        channel=channel,
                        webhook_url="http://127.0.0.1:9/never-called"
                        if channel is Channel.webhook
                        else None,
                        webhook_secret="x" * 32 if channel is Channel.webhook else None,
                    )
                )
        session.flush()
        # Set-up events (organisations, users, the group) are not under test.
        session.execute(update(OutboxEvent).values(delivered_at=utc_now()))
        authors = [
            r
            for r in readers
            if r.org.country == "DE"
            and (r.org.kind, r.org.vetted)
            in ((OrgKind.licensing_authority, False), (OrgKind.industry, True))
            and r.principal.role in (Role.analyst, Role.reporter)
        ]
        records: list[Record] = []
        for rtype in SHAREABLE_TYPES:
            for author in authors:
                for distribution in Distribution:
                    if distribution is Distribution.sharing_group and (
                        author.org.id not in group_members
                    ):
                        continue
                    if (
                        distribution is Distribution.partnership
                        and not author.principal.is_authority
                    ):
                        continue
                    marker = f"d{len(records):03d}x"
                    group_id = group.id if distribution is Distribution.sharing_group else None
                    rid = rtype.make(session, author, distribution, group_id, marker)
                    records.append(Record(rtype, rid, marker, distribution, author))

    with session.begin():
        while events_service.deliver_pending(session, batch=500):
            pass
    with session.begin():
        inbox = session.execute(
            select(InboxItem.user_id, InboxItem.record_type, InboxItem.record_id)
        ).all()
        outbound = session.execute(
            select(Subscription.user_id, OutboundMessage.body).join(
                Subscription, Subscription.id == OutboundMessage.subscription_id
            )
        ).all()

    by_reader: dict[int, set[tuple[str, str]]] = {}
    for user_id, record_type, record_id in inbox:
        by_reader.setdefault(user_id, set()).add((record_type, record_id))
    hooks: dict[int, set[tuple[str, str]]] = {}
    for user_id, body in outbound:
        hooks.setdefault(user_id, set()).add((body["record_type"], body["record_id"]))

    delivered_somewhere = 0
    for reader in readers:
        expected = {
            (r.type.name, str(r.id)) for r in records if expected_visible(reader, r, group_members)
        }
        label = f"{reader.org.country} {reader.org.kind.value} {reader.principal.role.value}"
        assert by_reader.get(reader.user.id, set()) == expected, label
        assert hooks.get(reader.user.id, set()) == expected, label
        delivered_somewhere += len(expected)
    # The matrix is not vacuous: deliveries happened, and some readers got nothing.
    assert delivered_somewhere > 100
    assert any(not by_reader.get(r.user.id) for r in readers)

    # The inbox API shows each reader their own deliveries only.
    sample = [
        r for r in readers if r.principal.role is Role.viewer and r.org.kind in AUTHORITY_KINDS
    ]
    for reader in sample:
        page = client.get(
            "/api/v1/events/inbox", params={"per_page": 200}, headers=reader.headers
        ).json()
        got = {(i["record_type"], i["record_id"]) for i in page["items"]}
        assert got == by_reader.get(reader.user.id, set())
