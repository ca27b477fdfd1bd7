"""REST routes of delivery: subscriptions, the inbox, the event stream and dead letters."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query, Request, Response

from precx.accounts.auth import ApiPrincipal, api_principal, settings_of
from precx.accounts.principal import Principal
from precx.db import DbSession, unit_of_work
from precx.events import subscriptions as delivery
from precx.events.schemas import (
    InboxItemRead,
    InboxPage,
    MarkRead,
    OutboundMessageRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
    Unread,
)
from precx.events.sse import (
    FETCH_BATCH,
    EventStreamResponse,
    Replay,
    StreamHub,
    StreamItem,
    stream_item,
)
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import InvalidInput, problem_responses

router = APIRouter(prefix="/api/v1/events", tags=["events"])
subscriptions_router = APIRouter(prefix="/api/v1/subscriptions", tags=["events"])


def own_addresses(request: Request) -> set[delivery.Address]:
    """This platform's addresses, as configured and as the caller reached it."""
    return delivery.own_addresses(
        settings_of(request), request.headers.get("host"), request.url.scheme
    )


# --- Subscriptions ----------------------------------------------------------------------------


@subscriptions_router.get(
    "", response_model=list[SubscriptionRead], responses=problem_responses(401)
)
def list_subscriptions(session: DbSession, principal: ApiPrincipal) -> list[SubscriptionRead]:
    """The caller's subscriptions and their organisation's organisation-wide ones."""
    return [
        SubscriptionRead.model_validate(s) for s in delivery.list_subscriptions(session, principal)
    ]


@subscriptions_router.post(
    "",
    response_model=SubscriptionCreated,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def create_subscription(
    data: SubscriptionCreate, request: Request, session: DbSession, principal: ApiPrincipal
) -> SubscriptionCreated:
    """Subscribe to events; a webhook's secret is in this answer only."""
    sub = delivery.create_subscription(
        session, principal, data=data, settings=settings_of(request), own=own_addresses(request)
    )
    return SubscriptionCreated.model_validate(sub)


@subscriptions_router.get(
    "/{subscription_id}",
    response_model=SubscriptionRead,
    responses=problem_responses(401, 404, 422),
)
def get_subscription(
    subscription_id: PathId, session: DbSession, principal: ApiPrincipal
) -> SubscriptionRead:
    """One subscription of the caller (or of their organisation)."""
    return SubscriptionRead.model_validate(
        delivery.get_subscription(session, principal, subscription_id)
    )


@subscriptions_router.put(
    "/{subscription_id}",
    response_model=SubscriptionRead,
    responses=problem_responses(401, 403, 404, 422),
)
def update_subscription(
    subscription_id: PathId,
    data: SubscriptionCreate,
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
) -> SubscriptionRead:
    """Replace a subscription's filters and channel."""
    sub = delivery.update_subscription(
        session,
        principal,
        subscription_id,
        data=data,
        settings=settings_of(request),
        own=own_addresses(request),
    )
    return SubscriptionRead.model_validate(sub)


@subscriptions_router.delete(
    "/{subscription_id}", status_code=204, responses=problem_responses(401, 403, 404, 422)
)
def delete_subscription(
    subscription_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """Stop a subscription."""
    delivery.delete_subscription(session, principal, subscription_id)
    return Response(status_code=204)


# --- Inbox ------------------------------------------------------------------------------------


@router.get("/inbox", response_model=InboxPage, responses=problem_responses(401, 422))
def list_inbox(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    unread: Annotated[bool, Query(description="Only unread items.")] = False,
    kind: Annotated[str | None, Query(max_length=60, description="Only items of a kind.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title.")] = None,
) -> InboxPage:
    """The caller's inbox, newest first."""
    page = delivery.list_inbox(session, principal, params, unread=unread, kind=kind, q=q)
    return InboxPage(
        items=[InboxItemRead.model_validate(i) for i in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        unread=delivery.unread_count(session, principal),
    )


@router.get("/inbox/unread", response_model=Unread, responses=problem_responses(401))
def unread_count(session: DbSession, principal: ApiPrincipal) -> Unread:
    """How many inbox items are unread."""
    return Unread(unread=delivery.unread_count(session, principal))


@router.post("/inbox/read", response_model=Unread, responses=problem_responses(401, 422))
def mark_read(data: MarkRead, session: DbSession, principal: ApiPrincipal) -> Unread:
    """Mark items (or, with `all`, every item) read; answers the unread count left."""
    delivery.mark_read(session, principal, ids=data.ids, everything=data.all)
    return Unread(unread=delivery.unread_count(session, principal))


# --- Stream -----------------------------------------------------------------------------------


def _authenticate(request: Request) -> Principal:
    # A stream lives for minutes: it holds no database session, only this short one.
    with unit_of_work(request.app.state.session_factory) as session:
        return api_principal(request, session)


def _newest(request: Request, user_id: int) -> int:
    with unit_of_work(request.app.state.session_factory) as session:
        return delivery.last_seq(session, user_id)


def _replay_for(request: Request, user_id: int) -> Replay:
    factory = request.app.state.session_factory

    def replay(after: int) -> list[StreamItem]:
        with unit_of_work(factory) as session:
            items = delivery.inbox_after(session, user_id, after, limit=FETCH_BATCH)
            return [stream_item(i) for i in items]

    return replay


def _parse_after(last_event_id: str | None, after: int | None) -> int | None:
    if last_event_id is None:
        return after
    value = last_event_id.strip()
    if not value.isdigit() or len(value) > 10:
        raise InvalidInput(
            "Last-Event-ID must be the sequence number of an event received.",
            errors=[("header.last-event-id", "not a sequence number")],
        )
    return int(value)


@router.get(
    "/stream",
    response_class=Response,
    # A stream never ends: it stays out of the generated schema that the fuzzer calls.
    include_in_schema=False,
)
async def stream(
    request: Request,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2_147_483_647, description="Replay after this sequence.")
    ] = None,
) -> Response:
    """Server-Sent Events of the caller's inbox: `id` is the caller's sequence number; send it
    back as `Last-Event-ID` (or `?after=`) to replay what was missed."""
    start = _parse_after(last_event_id, after)
    principal = await anyio.to_thread.run_sync(_authenticate, request)
    hub: StreamHub = request.app.state.stream_hub
    # In this order nothing falls between the hub's starting point and the stream's: what the
    # hub pushes and the replay also sent is skipped by its sequence number.
    await hub.start()
    conn = hub.connect(principal.user_id)
    try:
        if start is None:
            start = await anyio.to_thread.run_sync(_newest, request, principal.user_id)
    except BaseException:
        hub.disconnect(conn)
        raise
    settings = settings_of(request)
    replay = _replay_for(request, principal.user_id)
    return EventStreamResponse(
        hub,
        conn,
        after=start,
        replay=replay,
        heartbeat_seconds=settings.sse_heartbeat_seconds,
        send_timeout_seconds=settings.sse_send_timeout_seconds,
        max_lifetime_seconds=settings.sse_max_connection_seconds,
    )


# --- Dead letters -----------------------------------------------------------------------------


@router.get(
    "/dead-letters",
    response_model=list[OutboundMessageRead],
    responses=problem_responses(401, 403),
)
def list_dead_letters(session: DbSession, principal: ApiPrincipal) -> list[OutboundMessageRead]:
    """Webhook calls and e-mails of the caller's organisation that were given up (admins)."""
    return [
        OutboundMessageRead.model_validate(m)
        for m in delivery.list_dead_letters(session, principal)
    ]


@router.post(
    "/dead-letters/{message_id}/replay",
    response_model=OutboundMessageRead,
    responses=problem_responses(401, 403, 404, 422),
)
def replay_dead_letter(
    message_id: PathId, session: DbSession, principal: ApiPrincipal
) -> OutboundMessageRead:
    """Send a dead letter again (admins)."""
    return OutboundMessageRead.model_validate(
        delivery.replay_dead_letter(session, principal, message_id)
    )
