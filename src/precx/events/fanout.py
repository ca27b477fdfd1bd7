"""Fan-out: each outbox event becomes inbox items and outgoing messages for its allowed readers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, or_, select, text
from sqlalchemy.orm import Session, SessionTransaction

from precx.accounts.models import Organisation, User
from precx.accounts.principal import OrgKind, OrgStatus, Principal, Role
from precx.db import utc_now
from precx.events import service as events_service
from precx.events.models import (
    SEVERITY_RANK,
    Channel,
    InboxItem,
    OutboundMessage,
    OutboundStatus,
    OutboxEvent,
    Severity,
    Subscription,
    SubscriptionScope,
)
from precx.sharing import service as sharing
from precx.sharing.models import Shareable

# Workers serving event streams LISTEN here: a commit of new inbox items wakes every one of them.
DELIVERY_CHANNEL = "precx_delivery"

# Changes to subscriptions are audited, not delivered: a subscription would hear of itself.
SILENT_TOPICS = ("subscription.",)

# Pages of records, by record type; an event may also name its page in payload["url"].
RECORD_PAGES = {
    "bulletin": "/bulletins/{id}",
    "screening": "/screening/{id}",
    "licence": "/licences/{id}",
    "customer_declaration": "/declarations/{id}",
    "report": "/reports/{id}",
    "pre_export_notification": "/notifications/{id}",
    "export_application": "/export-applications/{id}",
    "incident": "/incidents/{id}",
    "industry_alert": "/alerts/{id}",
}


@dataclass(frozen=True)
class EventInfo:
    """The fields of an event that subscribers filter on and read, normalised from its payload."""

    title: str
    kind: str
    substances: tuple[str, ...]
    countries: tuple[str, ...]
    severity: Severity
    url: str | None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if v is not None)
    return ()


def _default_title(event: OutboxEvent) -> str:
    # Emitters that give no title still get a line a reader understands: "Licence 4: issued".
    what = (event.record_type or event.topic.split(".", 1)[0]).replace("_", " ")
    verb = event.topic.rsplit(".", 1)[-1].replace("_", " ")
    number = f" {event.record_id}" if event.record_id else ""
    return f"{what.capitalize()}{number}: {verb}"


def describe(event: OutboxEvent) -> EventInfo:
    """What an event says, with defaults for emitters that leave keys out."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    title = str(payload.get("title") or _default_title(event))
    kind = str(payload.get("kind") or event.record_type or event.topic.split(".", 1)[0])
    try:
        severity = Severity(str(payload.get("severity", "low")))
    except ValueError:
        severity = Severity.low
    url = payload.get("url")
    if not (isinstance(url, str) and url.startswith("/") and not url.startswith("//")):
        page = RECORD_PAGES.get(event.record_type or "")
        url = page.format(id=event.record_id) if page and event.record_id else None
    return EventInfo(
        title=" ".join(title.split())[:300],
        kind=kind[:60],
        substances=_strings(payload.get("substances")),
        countries=tuple(c.upper() for c in _strings(payload.get("countries"))),
        severity=severity,
        url=url,
    )


def matches(subscription: Any, event: OutboxEvent, info: EventInfo) -> bool:
    """Whether an event passes a subscription's filters (visibility is checked separately).

    `subscription` is a Subscription or a row of its columns.
    """
    prefix = subscription.topic_prefix
    if prefix and not (event.topic.startswith(prefix) or prefix in (event.record_type, info.kind)):
        return False
    if subscription.substance and subscription.substance.casefold() not in {
        s.casefold() for s in info.substances
    }:
        return False
    if subscription.country and subscription.country.upper() not in info.countries:
        return False
    if SEVERITY_RANK[info.severity] < SEVERITY_RANK[subscription.min_severity]:
        return False
    title = info.title.casefold()
    return all(word in title for word in subscription.keywords.casefold().split())


class Gate:
    """The sharing gate for one event, asked once per organisation (and per reporter)."""

    def __init__(self, session: Session, event: OutboxEvent) -> None:
        self.session = session
        self.event = event
        self.model = sharing.model_for(event.record_type)
        self.record: Shareable | None = None
        if self.model is not None and event.record_id and event.record_id.isdigit():
            self.record = session.get(self.model, int(event.record_id))
        self._answers: dict[tuple[int, int | None], bool] = {}
        self.internal = bool((event.payload or {}).get("internal"))

    def may_read(self, principal: Principal) -> bool:
        """Whether the principal may read the event's record now."""
        if self.internal and principal.organisation_id != self.event.organisation_id:
            # An authority's internal step on a shared record (an assignment, a note) is news
            # only for that authority, not for everyone who reads the record.
            return False
        # What a principal sees depends on its organisation, and for reporters on the user.
        key = (principal.organisation_id, principal.user_id if principal.reads_only_own else None)
        if key not in self._answers:
            self._answers[key] = self._ask(principal)
        return self._answers[key]

    def _ask(self, principal: Principal) -> bool:
        if self.model is None:
            # Not a shareable record: only the organisation it belongs to hears of it.
            return (
                self.event.organisation_id is not None
                and principal.organisation_id == self.event.organisation_id
                and not principal.reads_only_own
            )
        if self.record is None:
            return False
        return sharing.can_read(self.session, principal, self.record)


def _principals(
    session: Session, user_ids: set[int], organisation_ids: set[int]
) -> dict[int, Principal]:
    if not user_ids and not organisation_ids:
        return {}
    # Columns, not ORM objects: an event may reach thousands of users, within a second.
    rows = session.execute(
        select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.locale,
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.country,
            Organisation.vetted,
        )
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            or_(User.id.in_(user_ids), User.organisation_id.in_(organisation_ids)),
            User.active.is_(True),
            Organisation.status == OrgStatus.active,
        )
    ).all()
    return {
        r[0]: Principal(
            user_id=r[0],
            email=r[1],
            name=r[2],
            role=Role(r[3]),
            locale=r[4],
            organisation_id=r[5],
            organisation_name=r[6],
            organisation_kind=OrgKind(r[7]),
            country=r[8],
            vetted=bool(r[9]),
        )
        for r in rows
    }


def _next_seqs(session: Session, column: Any, key: Any, keys: Iterable[int]) -> dict[int, int]:
    wanted = list(keys)
    rows = session.execute(select(key, func.max(column)).where(key.in_(wanted)).group_by(key))
    found: dict[int, int | None] = {k: v for k, v in rows.all()}
    return {k: int(found.get(k) or 0) + 1 for k in wanted}


def event_body(event: OutboxEvent, info: EventInfo, seq: int) -> dict[str, Any]:
    """The JSON a webhook or e-mail carries: the event's public fields, never its raw payload."""
    return {
        "id": event.id,
        "seq": seq,
        "topic": event.topic,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "organisation_id": event.organisation_id,
        "title": info.title,
        "kind": info.kind,
        "severity": info.severity.value,
        "substances": list(info.substances),
        "countries": list(info.countries),
        "url": info.url,
        "created_at": event.created_at.isoformat(),
    }


class _Batch:
    """What every event of one dispatcher batch shares: the active subscriptions and their
    users. Loaded once per batch, so a backlog of events does not reload them for each event;
    visibility and sequence numbers are still read per event."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.subscriptions = session.execute(
            select(*Subscription.__table__.c)
            .where(Subscription.active.is_(True))
            .order_by(Subscription.id)
        ).all()
        whole_orgs = {
            s.organisation_id
            for s in self.subscriptions
            if s.channel is Channel.inbox and s.scope is SubscriptionScope.organisation
        }
        self.principals = _principals(session, {s.user_id for s in self.subscriptions}, whole_orgs)


_BATCH_KEY = "precx_fanout_batch"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_batch(session: Session, transaction: SessionTransaction) -> None:
    # A batch ends with its transaction: the next one reads subscriptions afresh.
    if transaction.parent is None:
        session.info.pop(_BATCH_KEY, None)


def _batch(session: Session) -> _Batch:
    # The dispatcher opens one session per batch: its `info` lives exactly as long as the batch.
    batch = session.info.get(_BATCH_KEY)
    if not isinstance(batch, _Batch):
        batch = _Batch(session)
        session.info[_BATCH_KEY] = batch
    return batch


def fan_out(session: Session, event: OutboxEvent) -> None:
    """Deliver one event to every matching subscriber who may read its record at this moment."""
    if event.topic.startswith(SILENT_TOPICS):
        return
    _fan_out(session, event)


def _fan_out(session: Session, event: OutboxEvent) -> None:
    info = describe(event)
    batch = _batch(session)
    subscriptions = [s for s in batch.subscriptions if matches(s, event, info)]
    if not subscriptions:
        return
    principals = batch.principals
    gate = Gate(session, event)

    readers: set[int] = set()
    outbound: list[Any] = []
    for sub in subscriptions:
        owner = principals.get(sub.user_id)
        if sub.channel is not Channel.inbox:
            # A webhook or mailbox never gets more than its owner may read.
            if (
                owner is not None
                and owner.organisation_id == sub.organisation_id
                and gate.may_read(owner)
            ):
                outbound.append(sub)
            continue
        if sub.scope is SubscriptionScope.organisation:
            members = [p for p in principals.values() if p.organisation_id == sub.organisation_id]
        else:
            members = [owner] if owner is not None else []
        readers.update(p.user_id for p in members if gate.may_read(p))

    now = utc_now()
    if readers:
        seqs = _next_seqs(session, InboxItem.seq, InboxItem.user_id, sorted(readers))
        # A bulk insert: ORM objects would cost more than everything else here together.
        session.execute(
            insert(InboxItem),
            [
                {
                    "user_id": user_id,
                    "seq": seqs[user_id],
                    "event_id": event.id,
                    "topic": event.topic,
                    "record_type": event.record_type,
                    "record_id": event.record_id,
                    "title": info.title,
                    "kind": info.kind,
                    "severity": info.severity,
                    "url": info.url,
                    "created_at": now,
                }
                for user_id in sorted(readers)
            ],
        )
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_notify(:c, '')"), {"c": DELIVERY_CHANNEL})
    if outbound:
        seqs = _next_seqs(
            session,
            OutboundMessage.seq,
            OutboundMessage.subscription_id,
            [s.id for s in outbound],
        )
        session.execute(
            insert(OutboundMessage),
            [
                {
                    "subscription_id": sub.id,
                    "organisation_id": sub.organisation_id,
                    "channel": sub.channel,
                    "seq": seqs[sub.id],
                    "event_id": event.id,
                    "topic": event.topic,
                    "body": event_body(event, info, seqs[sub.id]),
                    "status": OutboundStatus.pending,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for sub in outbound
            ],
        )
    session.flush()


def register() -> None:
    """Have the outbox dispatcher fan out every event."""
    events_service.register_handler("", fan_out)
