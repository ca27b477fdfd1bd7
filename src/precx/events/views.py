"""Web pages of delivery: the inbox (live), subscription settings, and the dead-letter list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts.auth import WebPrincipal, csrf_protect, settings_of
from precx.accounts.principal import Principal
from precx.db import DbSession
from precx.events import mail
from precx.events import subscriptions as delivery
from precx.events.api import own_addresses
from precx.events.models import Channel, Severity, Subscription, SubscriptionScope
from precx.events.schemas import SubscriptionCreate
from precx.kit.i18n import Message, _, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


# Severities and channels (enum values) as the pages show them.
VALUE_LABELS = (
    _("low"),
    _("medium"),
    _("high"),
    _("inbox"),
    _("webhook"),
    _("email"),
    _("yes"),
    _("no"),
)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    unread: Annotated[bool, Query()] = False,
    kind: Annotated[str | None, Query(max_length=60)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The user's inbox; new items arrive without a reload."""
    params = PageParams(page=page, per_page=50)
    listed = delivery.list_inbox(
        session, principal, params, unread=unread, kind=kind or None, q=q or None
    )
    filtered = unread or bool(kind) or bool(q)
    return render(
        request,
        "events/inbox.html",
        {
            "items": listed,
            "unread": unread,
            "kind": kind or "",
            "q": q or "",
            "kinds": delivery.inbox_kinds(session, principal),
            "unread_count": delivery.unread_count(session, principal),
            # The stream replays what arrived after the newest item this page shows.
            "after": delivery.last_seq(session, principal.user_id),
            "live": not filtered and page == 1,
        },
        principal=principal,
    )


@router.get("/inbox/badge", response_class=HTMLResponse)
def inbox_badge(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The unread count next to the user's name (loaded by every page)."""
    return render(
        request,
        "events/_badge.html",
        {"unread_count": delivery.unread_count(session, principal)},
        principal=principal,
    )


@router.post("/inbox/read")
def mark_read(
    session: DbSession,
    principal: WebPrincipal,
    item_id: Annotated[str, Form(max_length=12)] = "",
    everything: Annotated[str, Form(alias="all", max_length=5)] = "",
) -> Response:
    """Mark one item, or all, read."""
    ids = [int(item_id)] if item_id.isdigit() and int(item_id) < 2**31 else []
    changed = delivery.mark_read(session, principal, ids=ids, everything=everything == "1")
    message = (
        Message("All items are marked read.") if everything == "1" else Message("Marked read.")
    )
    return redirect("/inbox", message if changed else None, "success")


# --- Subscriptions ----------------------------------------------------------------------------


def _values(sub: Subscription | None) -> dict[str, str]:
    if sub is None:
        return {"channel": "inbox", "scope": "user", "min_severity": "low", "active": "1"}
    return {
        "name": sub.name,
        "scope": sub.scope.value,
        "topic_prefix": sub.topic_prefix,
        "substance": sub.substance or "",
        "country": sub.country or "",
        "min_severity": sub.min_severity.value,
        "keywords": sub.keywords,
        "channel": sub.channel.value,
        "webhook_url": sub.webhook_url or "",
        "email": sub.email or "",
        "active": "1" if sub.active else "",
    }


def _page(
    request: Request,
    session: DbSession,
    principal: Principal,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    editing: int | None = None,
    secret: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "events/subscriptions.html",
        {
            "subscriptions": delivery.list_subscriptions(session, principal),
            "values": values,
            "errors": errors,
            "editing": editing,
            "secret": secret,
            "channels": list(Channel),
            "scopes": list(SubscriptionScope),
            "severities": list(Severity),
            "email_enabled": mail.enabled(settings_of(request)),
        },
        principal=principal,
        status_code=status,
    )


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(
    request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The user's subscriptions and the form for a new one."""
    return _page(request, session, principal, values=_values(None), errors={})


@router.get("/subscriptions/{subscription_id}/edit", response_class=HTMLResponse)
def edit_subscription_page(
    subscription_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The form filled with one subscription."""
    sub = delivery.get_subscription(session, principal, subscription_id)
    return _page(
        request, session, principal, values=_values(sub), errors={}, editing=subscription_id
    )


def _save(
    request: Request,
    session: DbSession,
    principal: Principal,
    form: dict[str, str],
    subscription_id: int | None,
) -> Response:
    try:
        data = SubscriptionCreate(
            name=form["name"],
            scope=form["scope"] or "user",
            topic_prefix=form["topic_prefix"],
            substance=form["substance"] or None,
            country=form["country"] or None,
            min_severity=form["min_severity"] or "low",
            keywords=form["keywords"],
            channel=form["channel"] or "inbox",
            webhook_url=form["webhook_url"] or None,
            webhook_secret=form["webhook_secret"] or None,
            email=form["email"] or None,
            active=form["active"] == "1",
        )
        settings, own = settings_of(request), own_addresses(request)
        if subscription_id is None:
            sub = delivery.create_subscription(
                session, principal, data=data, settings=settings, own=own
            )
        else:
            sub = delivery.update_subscription(
                session, principal, subscription_id, data=data, settings=settings, own=own
            )
    except ValidationError as exc:
        errors: dict[str, str] = {str(e["loc"][0]): field_message(e) for e in exc.errors()}
        return _page(
            request,
            session,
            principal,
            values=form,
            errors=errors,
            editing=subscription_id,
            status=422,
        )
    except DomainError as exc:
        errors = {e.field.split(".")[-1]: e.message for e in exc.errors} or {"": exc.detail}
        return _page(
            request,
            session,
            principal,
            values=form,
            errors=errors,
            editing=subscription_id,
            status=exc.status,
        )
    if subscription_id is None and sub.channel is Channel.webhook:
        # The secret is shown once, on the page that answers the creation.
        return _page(
            request, session, principal, values=_values(None), errors={}, secret=sub.webhook_secret
        )
    return redirect("/subscriptions", Message("The subscription has been saved."), "success")


SubscriptionForm = dict[str, str]


def _form(
    name: Annotated[str, Form(max_length=300)] = "",
    scope: Annotated[str, Form(max_length=20)] = "user",
    topic_prefix: Annotated[str, Form(max_length=200)] = "",
    substance: Annotated[str, Form(max_length=300)] = "",
    country: Annotated[str, Form(max_length=10)] = "",
    min_severity: Annotated[str, Form(max_length=10)] = "low",
    keywords: Annotated[str, Form(max_length=300)] = "",
    channel: Annotated[str, Form(max_length=10)] = "inbox",
    webhook_url: Annotated[str, Form(max_length=600)] = "",
    webhook_secret: Annotated[str, Form(max_length=300)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
) -> SubscriptionForm:
    return {
        "name": name,
        "scope": scope,
        "topic_prefix": topic_prefix,
        "substance": substance,
        "country": country,
        "min_severity": min_severity,
        "keywords": keywords,
        "channel": channel,
        "webhook_url": webhook_url,
        "webhook_secret": webhook_secret,
        "email": email,
        "active": active,
    }


@router.post("/subscriptions/new", response_class=HTMLResponse)
def create_subscription(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    form: Annotated[SubscriptionForm, Depends(_form)],
) -> Response:
    """Create a subscription, or show the form again with what is wrong."""
    return _save(request, session, principal, form, None)


@router.post("/subscriptions/{subscription_id}/edit", response_class=HTMLResponse)
def update_subscription(
    subscription_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    form: Annotated[SubscriptionForm, Depends(_form)],
) -> Response:
    """Save a changed subscription."""
    return _save(request, session, principal, form, subscription_id)


@router.post("/subscriptions/{subscription_id}/delete")
def delete_subscription(
    subscription_id: PathId, session: DbSession, principal: WebPrincipal
) -> Response:
    """Delete a subscription."""
    delivery.delete_subscription(session, principal, subscription_id)
    return redirect("/subscriptions", Message("The subscription has been deleted."), "success")


# --- Dead letters -----------------------------------------------------------------------------


@router.get("/dead-letters", response_class=HTMLResponse)
def dead_letters(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """Webhook calls and e-mails that were given up, for the organisation's administrators."""
    return render(
        request,
        "events/dead_letters.html",
        {"messages": delivery.list_dead_letters(session, principal)},
        principal=principal,
    )


@router.post("/dead-letters/{message_id}/replay")
def replay_dead_letter(message_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Send a dead letter again."""
    delivery.replay_dead_letter(session, principal, message_id)
    return redirect("/dead-letters", Message("It will be sent again now."), "success")
