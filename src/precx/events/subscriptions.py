"""Subscriptions, the inbox and the dead-letter list: what users and admins do with deliveries."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from precx.accounts.principal import Principal, Role
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.config import Settings
from precx.db import utc_now
from precx.events import mail
from precx.events.models import (
    Channel,
    InboxItem,
    OutboundMessage,
    OutboundStatus,
    Severity,
    Subscription,
    SubscriptionScope,
)
from precx.events.schemas import SubscriptionCreate
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page
from precx.kit.problems import Forbidden, InvalidInput, NotFound

Address = tuple[str, int]
DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


# --- Webhook addresses ------------------------------------------------------------------------


def _host_key(host: str) -> str:
    """One spelling per host; every loopback or wildcard address counts as the same host."""
    host = host.strip("[]").rstrip(".").lower()
    if host in LOOPBACK_NAMES:
        return "loopback"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    return "loopback" if ip.is_loopback or ip.is_unspecified else str(ip)


def address_of(url: str) -> Address | None:
    """The (host, port) an http(s) URL points at, or None when it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return _host_key(parts.hostname), port or DEFAULT_PORTS[parts.scheme]


def own_addresses(
    settings: Settings, request_host: str | None, request_scheme: str
) -> set[Address]:
    """The platform's own addresses: its public URL, where it listens, and the request's host."""
    own: set[Address] = {(_host_key(settings.host), settings.port)}
    if settings.public_url and (public := address_of(settings.public_url)) is not None:
        own.add(public)
    if request_host and (seen := address_of(f"{request_scheme}://{request_host}")) is not None:
        own.add(seen)
    return own


def check_webhook_url(url: str | None, own: Iterable[Address]) -> str:
    """Refuse a URL that is not http(s) or that points at the platform itself."""
    if not url:
        raise InvalidInput(
            Message("A webhook subscription needs a URL."),
            errors=[("body.webhook_url", Message("required"))],
        )
    address = address_of(url)
    if address is None:
        raise InvalidInput(
            Message("A webhook URL must be an http:// or https:// address with a host."),
            errors=[("body.webhook_url", Message("not an http(s) URL"))],
        )
    if address in set(own):
        raise InvalidInput(
            Message("A webhook may not point at this platform itself."),
            errors=[("body.webhook_url", Message("points at the platform itself"))],
        )
    return url


# --- Subscriptions ----------------------------------------------------------------------------


def _check_filters(session: Session, data: SubscriptionCreate) -> str | None:
    if not data.substance:
        return None
    found = catalog_service.identify(session, data.substance)
    if not found.identified:
        raise InvalidInput(
            Message(
                "No single substance %(substance)s in the catalog.",
                substance=repr(data.substance),
            ),
            errors=[("body.substance", Message("unknown or ambiguous substance"))],
        )
    # Events name substances by their catalog name: the filter keeps that name.
    return found.candidates[0].substance.name


def _check_channel(
    principal: Principal, data: SubscriptionCreate, settings: Settings, own: set[Address]
) -> None:
    if data.scope is SubscriptionScope.organisation:
        if not principal.is_admin:
            raise Forbidden(Message("Only administrators subscribe their whole organisation."))
        if data.channel is not Channel.inbox:
            raise InvalidInput(
                Message("An organisation-wide subscription delivers to the inbox."),
                errors=[("body.channel", Message("organisation scope delivers to the inbox"))],
            )
    if data.channel is not Channel.inbox and principal.role not in (Role.admin, Role.analyst):
        raise Forbidden(Message("Webhooks and e-mail are set up by analysts and administrators."))
    if data.channel is Channel.webhook:
        check_webhook_url(data.webhook_url, own)
    elif data.webhook_url:
        raise InvalidInput(
            Message("A webhook URL belongs to a webhook subscription."),
            errors=[("body.webhook_url", Message("only with channel webhook"))],
        )
    if data.channel is Channel.email:
        if not mail.enabled(settings):
            raise InvalidInput(
                Message("E-mail delivery is not configured on this platform."),
                errors=[("body.channel", Message("e-mail delivery is off (no SMTP server)"))],
            )
        if not data.email:
            raise InvalidInput(
                Message("An e-mail subscription needs an address."),
                errors=[("body.email", Message("required"))],
            )


def _apply(
    session: Session, subscription: Subscription, data: SubscriptionCreate, substance: str | None
) -> None:
    subscription.name = data.name
    subscription.scope = data.scope
    subscription.topic_prefix = data.topic_prefix
    subscription.substance = substance
    subscription.country = data.country
    subscription.min_severity = data.min_severity
    subscription.keywords = data.keywords
    subscription.channel = data.channel
    subscription.webhook_url = data.webhook_url if data.channel is Channel.webhook else None
    subscription.email = str(data.email) if data.channel is Channel.email else None
    subscription.active = data.active
    if data.channel is Channel.webhook:
        subscription.webhook_secret = (
            data.webhook_secret or subscription.webhook_secret or secrets.token_urlsafe(32)
        )
    else:
        subscription.webhook_secret = None


def _audit(session: Session, principal: Principal, action: str, sub: Subscription) -> None:
    audit.record_change(
        session,
        principal,
        action,
        record_type="subscription",
        record_id=sub.id,
        organisation_id=principal.organisation_id,
        details={
            "title": f"Subscription {sub.name!r} ({sub.channel.value})",
            "kind": "subscription",
            "name": sub.name,
            "channel": sub.channel.value,
            "scope": sub.scope.value,
        },
    )


def create_subscription(
    session: Session,
    principal: Principal,
    *,
    data: SubscriptionCreate,
    settings: Settings,
    own: set[Address],
) -> Subscription:
    """Subscribe the caller (or, for an admin, their organisation) to matching events."""
    _check_channel(principal, data, settings, own)
    substance = _check_filters(session, data)
    subscription = Subscription(
        user_id=principal.user_id, organisation_id=principal.organisation_id
    )
    _apply(session, subscription, data, substance)
    session.add(subscription)
    session.flush()
    _audit(session, principal, "subscription.created", subscription)
    return subscription


def _readable(principal: Principal) -> Select[Subscription]:
    return select(Subscription).where(
        or_(
            Subscription.user_id == principal.user_id,
            (Subscription.organisation_id == principal.organisation_id)
            & (Subscription.scope == SubscriptionScope.organisation),
        )
    )


def list_subscriptions(session: Session, principal: Principal) -> list[Subscription]:
    """The caller's subscriptions and their organisation's organisation-wide ones."""
    return list(session.scalars(_readable(principal).order_by(Subscription.id)).all())


def get_subscription(session: Session, principal: Principal, subscription_id: int) -> Subscription:
    """One subscription the caller owns or receives through their organisation."""
    found = session.scalars(
        _readable(principal).where(Subscription.id == subscription_id)
    ).one_or_none()
    if found is None:
        raise NotFound(Message("No subscription %(id)s.", id=subscription_id))
    return found


def _editable(session: Session, principal: Principal, subscription_id: int) -> Subscription:
    sub = get_subscription(session, principal, subscription_id)
    if sub.user_id != principal.user_id and not principal.is_admin:
        raise Forbidden(Message("Only the owner or an administrator changes this subscription."))
    return sub


def update_subscription(
    session: Session,
    principal: Principal,
    subscription_id: int,
    *,
    data: SubscriptionCreate,
    settings: Settings,
    own: set[Address],
) -> Subscription:
    """Replace a subscription's filters and channel (the webhook secret stays unless given)."""
    sub = _editable(session, principal, subscription_id)
    _check_channel(principal, data, settings, own)
    substance = _check_filters(session, data)
    _apply(session, sub, data, substance)
    session.flush()
    _audit(session, principal, "subscription.updated", sub)
    return sub


def delete_subscription(session: Session, principal: Principal, subscription_id: int) -> None:
    """Stop a subscription; its pending webhook calls and e-mails go with it."""
    sub = _editable(session, principal, subscription_id)
    _audit(session, principal, "subscription.deleted", sub)
    session.delete(sub)
    session.flush()


# --- Inbox ------------------------------------------------------------------------------------


def _inbox(
    principal: Principal, *, unread: bool, kind: str | None, q: str | None
) -> Select[InboxItem]:
    stmt = select(InboxItem).where(InboxItem.user_id == principal.user_id)
    if unread:
        stmt = stmt.where(InboxItem.read_at.is_(None))
    if kind:
        stmt = stmt.where(InboxItem.kind == kind)
    if q:
        stmt = stmt.where(func.lower(InboxItem.title).like(f"%{q.strip().lower()}%"))
    return stmt


def list_inbox(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    unread: bool = False,
    kind: str | None = None,
    q: str | None = None,
) -> Page[InboxItem]:
    """A page of the caller's inbox, newest first: all, unread only, of one kind, or searched."""
    stmt = _inbox(principal, unread=unread, kind=kind, q=q).order_by(InboxItem.seq.desc())
    return fetch_page(session, stmt, params)


def unread_count(session: Session, principal: Principal) -> int:
    """How many of the caller's inbox items are unread (the badge in the navigation)."""
    stmt = select(func.count()).where(
        InboxItem.user_id == principal.user_id, InboxItem.read_at.is_(None)
    )
    return session.scalar(stmt) or 0


def inbox_kinds(session: Session, principal: Principal) -> list[str]:
    """The kinds of item in the caller's inbox (for the filter)."""
    stmt = (
        select(InboxItem.kind)
        .where(InboxItem.user_id == principal.user_id)
        .distinct()
        .order_by(InboxItem.kind)
    )
    return list(session.scalars(stmt).all())


def mark_read(
    session: Session, principal: Principal, *, ids: list[int], everything: bool = False
) -> int:
    """Mark some (or all) of the caller's inbox items read; return how many changed."""
    stmt = update(InboxItem).where(
        InboxItem.user_id == principal.user_id, InboxItem.read_at.is_(None)
    )
    if not everything:
        if not ids:
            return 0
        stmt = stmt.where(InboxItem.id.in_(ids))
    result = session.execute(stmt.values(read_at=utc_now()))
    return int(getattr(result, "rowcount", 0) or 0)


def inbox_after(session: Session, user_id: int, seq: int, *, limit: int) -> list[InboxItem]:
    """A user's items after a sequence number, oldest first (an event stream resuming)."""
    stmt = (
        select(InboxItem)
        .where(InboxItem.user_id == user_id, InboxItem.seq > seq)
        .order_by(InboxItem.seq)
        .limit(limit)
    )
    return list(session.scalars(stmt).all())


def inbox_items_since(session: Session, item_id: int, *, limit: int) -> list[Any]:
    """Every user's items committed after an item id, in id order (what streams push).

    Rows of columns with the attributes of InboxItem: thousands come at once, and ORM objects
    would cost more than the rest of the push.
    """
    stmt = (
        select(*InboxItem.__table__.c)
        .where(InboxItem.id > item_id)
        .order_by(InboxItem.id)
        .limit(limit)
    )
    return list(session.execute(stmt).all())


def last_inbox_item_id(session: Session) -> int:
    """The newest item id: a stream hub starts pushing after it."""
    return session.scalar(select(func.max(InboxItem.id))) or 0


def last_seq(session: Session, user_id: int) -> int:
    """The user's newest sequence number (0 before any delivery)."""
    return session.scalar(select(func.max(InboxItem.seq)).where(InboxItem.user_id == user_id)) or 0


# --- Dead letters -----------------------------------------------------------------------------


def _require_org_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden(Message("The dead-letter list is for administrators of the organisation."))


def list_dead_letters(session: Session, principal: Principal) -> list[OutboundMessage]:
    """Webhook calls and e-mails of the caller's organisation that were given up."""
    _require_org_admin(principal)
    stmt = (
        select(OutboundMessage)
        .where(
            OutboundMessage.organisation_id == principal.organisation_id,
            OutboundMessage.status == OutboundStatus.dead,
        )
        .order_by(OutboundMessage.id.desc())
        .limit(1000)
    )
    return list(session.scalars(stmt).all())


def replay_dead_letter(
    session: Session, principal: Principal, message_id: int, *, now: datetime | None = None
) -> OutboundMessage:
    """Send a dead letter again: it is due at once, with a fresh count of attempts."""
    _require_org_admin(principal)
    message = session.get(OutboundMessage, message_id)
    if (
        message is None
        or message.organisation_id != principal.organisation_id
        or message.status is not OutboundStatus.dead
    ):
        raise NotFound(Message("No dead letter %(id)s.", id=message_id))
    message.status = OutboundStatus.pending
    message.attempts = 0
    message.next_attempt_at = now or utc_now()
    session.flush()
    audit.record(
        session,
        principal,
        "dead_letter.replayed",
        record_type="outbound_message",
        record_id=message.id,
        organisation_id=principal.organisation_id,
        details={"subscription_id": message.subscription_id, "topic": message.topic},
    )
    return message


def severity_choices() -> list[str]:
    """The severities, lowest first (for forms)."""
    return [s.value for s in Severity]
