"""REST routes of export applications, pre-export notifications and customs checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from precx.accounts.auth import ApiPrincipal
from precx.config import Settings
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import problem_responses
from precx.kit.tabular import csv_response, xlsx_response
from precx.notifications import service as notifications_service
from precx.notifications.pdf import render_pdf
from precx.notifications.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    CountrySettingIn,
    CountrySettingRead,
    CustomsEventIn,
    CustomsEventRead,
    NotificationAmend,
    NotificationCreate,
    NotificationPage,
    NotificationRead,
    NotificationSummary,
    ResponseIn,
    SendFromApplication,
    Withdrawal,
)

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
applications_router = APIRouter(prefix="/api/v1/export-applications", tags=["notifications"])
customs_router = APIRouter(prefix="/api/v1/customs", tags=["notifications"])

Box = Annotated[
    str | None,
    Query(pattern="^(inbox|outbox)$", description="outbox: sent by you; inbox: sent to you."),
]
StatusQ = Annotated[
    str | None,
    Query(pattern="^(sent|acknowledged|cleared|objected|no_response|withdrawn)$"),
]
Search = Annotated[
    str | None,
    Query(
        max_length=200,
        description="A reference, an export authorisation number, or words "
        "of the exporter's or importer's name and a substance.",
    ),
]


def reply_days(request: Request) -> int:
    """The platform's default reply period (PRECX_PEN_REPLY_DAYS)."""
    settings: Settings = request.app.state.settings
    return settings.pen_reply_days


def _read(session: DbSession, principal: ApiPrincipal, notification_id: int) -> NotificationRead:
    n = notifications_service.get_notification(session, principal, notification_id)
    return notifications_service.describe(session, principal, n)


# --- Applications ---------------------------------------------------------------------------


@applications_router.post(
    "", response_model=ApplicationRead, status_code=201, responses=problem_responses(401, 403, 422)
)
def submit_application(
    data: ApplicationCreate, session: DbSession, principal: ApiPrincipal
) -> ApplicationRead:
    """An exporter applies for an export authorisation (and so a notification)."""
    application = notifications_service.submit_application(session, principal, data=data)
    return notifications_service.describe_application(session, application)


@applications_router.get("", response_model=ApplicationPage, responses=problem_responses(401, 422))
def list_applications(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    status: Annotated[str | None, Query(pattern="^(submitted|notified)$")] = None,
) -> ApplicationPage:
    """Applications the caller may read, newest first."""
    page = notifications_service.list_applications(session, principal, params, status=status)
    return ApplicationPage(
        items=[notifications_service.describe_application(session, a) for a in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@applications_router.get(
    "/{application_id}", response_model=ApplicationRead, responses=problem_responses(401, 404, 422)
)
def get_application(
    application_id: PathId, session: DbSession, principal: ApiPrincipal
) -> ApplicationRead:
    """One application, with its notification's status once sent."""
    application = notifications_service.get_application(session, principal, application_id)
    return notifications_service.describe_application(session, application)


@applications_router.post(
    "/{application_id}/notify",
    response_model=NotificationRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def notify_application(
    application_id: PathId,
    data: SendFromApplication,
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
) -> NotificationRead:
    """The exporting authority sends the notification of an application."""
    n = notifications_service.send_from_application(
        session, principal, application_id, data=data, default_reply_days=reply_days(request)
    )
    return notifications_service.describe(session, principal, n)


# --- Notifications --------------------------------------------------------------------------


@router.post(
    "", response_model=NotificationRead, status_code=201, responses=problem_responses(401, 403, 422)
)
def create_notification(
    data: NotificationCreate, request: Request, session: DbSession, principal: ApiPrincipal
) -> NotificationRead:
    """The exporting authority sends a notification (by hand or from its national system)."""
    n = notifications_service.create_notification(
        session, principal, data=data, default_reply_days=reply_days(request)
    )
    return notifications_service.describe(session, principal, n)


def _filters(
    box: str | None, status: str | None, q: str | None
) -> notifications_service.NotificationFilters:
    return notifications_service.NotificationFilters(box=box, status=status, q=q)


@router.get("", response_model=NotificationPage, responses=problem_responses(401, 422))
def list_notifications(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    box: Box = None,
    status: StatusQ = None,
    q: Search = None,
) -> NotificationPage:
    """Notifications the caller may read, newest first; `sort` by reference, sent_at,
    reply_deadline, dispatch_date, status or importer_name."""
    page = notifications_service.list_notifications(
        session, principal, params, _filters(box, status, q)
    )
    return NotificationPage(
        items=[notifications_service.summarise(n) for n in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/count", responses=problem_responses(401, 422))
def count_notifications(
    session: DbSession,
    principal: ApiPrincipal,
    box: Box = None,
    status: StatusQ = None,
    q: Search = None,
) -> dict[str, int]:
    """How many notifications the caller may read."""
    page = notifications_service.list_notifications(
        session, principal, PageParams(per_page=1), _filters(box, status, q)
    )
    return {"count": page.total}


@router.get("/export.csv", response_class=Response, responses=problem_responses(401, 422))
def export_csv(
    session: DbSession,
    principal: ApiPrincipal,
    box: Box = None,
    status: StatusQ = None,
    q: Search = None,
) -> Response:
    """The notifications the caller may read, as CSV."""
    rows = notifications_service.export_rows(session, principal, _filters(box, status, q))
    return csv_response("notifications.csv", notifications_service.EXPORT_COLUMNS, rows)


@router.get("/export.xlsx", response_class=Response, responses=problem_responses(401, 422))
def export_xlsx(
    session: DbSession,
    principal: ApiPrincipal,
    box: Box = None,
    status: StatusQ = None,
    q: Search = None,
) -> Response:
    """The notifications the caller may read, as XLSX."""
    rows = notifications_service.export_rows(session, principal, _filters(box, status, q))
    return xlsx_response("notifications.xlsx", notifications_service.EXPORT_COLUMNS, rows)


@router.get("/statistics", responses=problem_responses(401, 422))
def statistics(
    session: DbSession,
    principal: ApiPrincipal,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> dict[str, object]:
    """Notifications of a year the caller may read: by month and outcome, substance, country;
    mean response time in days per month."""
    stats = notifications_service.statistics(session, principal, year)
    return {
        "year": stats.year,
        "total": stats.total,
        "months": stats.months,
        "by_month": stats.by_month,
        "by_substance": dict(stats.by_substance),
        "by_country": dict(stats.by_country),
        "by_outcome": dict(stats.by_outcome),
        "mean_response_days": stats.mean_response_days,
    }


Country = Annotated[str, Path(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.")]


@router.get(
    "/settings/{country}", response_model=CountrySettingRead, responses=problem_responses(401, 422)
)
def get_country_setting(
    country: Country, request: Request, session: DbSession, principal: ApiPrincipal
) -> CountrySettingRead:
    """A country's reply period and whether it wants copies as a transit country."""
    return notifications_service.get_country_setting(session, country.upper(), reply_days(request))


@router.get("/settings", response_model=CountrySettingRead, responses=problem_responses(401))
def get_own_country_setting(
    request: Request, session: DbSession, principal: ApiPrincipal
) -> CountrySettingRead:
    """The caller's country's reply period and transit copies."""
    return notifications_service.get_country_setting(
        session, principal.country, reply_days(request)
    )


@router.put(
    "/settings", response_model=CountrySettingRead, responses=problem_responses(401, 403, 422)
)
def set_country_setting(
    data: CountrySettingIn, request: Request, session: DbSession, principal: ApiPrincipal
) -> CountrySettingRead:
    """The licensing authority sets its own country's reply period and transit copies."""
    return notifications_service.set_country_setting(
        session, principal, data=data, default_reply_days=reply_days(request)
    )


@router.get(
    "/{notification_id}",
    response_model=NotificationRead,
    responses=problem_responses(401, 404, 422),
)
def get_notification(
    notification_id: PathId, session: DbSession, principal: ApiPrincipal
) -> NotificationRead:
    """One notification with its checks and timeline."""
    return _read(session, principal, notification_id)


@router.get(
    "/{notification_id}/pdf",
    response_class=Response,
    responses={**problem_responses(401, 404, 422), 200: {"content": {"application/pdf": {}}}},
)
def notification_pdf(
    notification_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """The notification as a PDF."""
    read = _read(session, principal, notification_id)
    return Response(
        render_pdf(read),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{read.reference}.pdf"'},
    )


@router.post(
    "/{notification_id}/responses",
    response_model=NotificationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def respond(
    notification_id: PathId, data: ResponseIn, session: DbSession, principal: ApiPrincipal
) -> NotificationRead:
    """The importing authority acknowledges, clears or objects (with a reason)."""
    n = notifications_service.respond(session, principal, notification_id, data=data)
    return notifications_service.describe(session, principal, n)


@router.post(
    "/{notification_id}/amendments",
    response_model=NotificationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def amend(
    notification_id: PathId, data: NotificationAmend, session: DbSession, principal: ApiPrincipal
) -> NotificationRead:
    """The exporting authority changes the notification; the change is kept."""
    n = notifications_service.amend_notification(session, principal, notification_id, data=data)
    return notifications_service.describe(session, principal, n)


@router.post(
    "/{notification_id}/withdraw",
    response_model=NotificationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def withdraw(
    notification_id: PathId, data: Withdrawal, session: DbSession, principal: ApiPrincipal
) -> NotificationRead:
    """The exporting authority withdraws the notification."""
    n = notifications_service.withdraw_notification(session, principal, notification_id, data=data)
    return notifications_service.describe(session, principal, n)


@router.post(
    "/{notification_id}/customs-events",
    response_model=CustomsEventRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def record_customs_event(
    notification_id: PathId, data: CustomsEventIn, session: DbSession, principal: ApiPrincipal
) -> CustomsEventRead:
    """Customs record a step of the consignment: dispatched ... released at entry, or a stop."""
    event = notifications_service.record_customs_event(
        session, principal, notification_id, data=data
    )
    n = notifications_service.get_notification(session, principal, notification_id)
    read = notifications_service.describe(session, principal, n)
    return next(e for e in read.customs_events if e.id == event.id)


# --- Customs --------------------------------------------------------------------------------


@customs_router.get(
    "/lookup", response_model=list[NotificationSummary], responses=problem_responses(401, 422)
)
def customs_lookup(
    session: DbSession,
    principal: ApiPrincipal,
    q: Annotated[str, Query(min_length=1, max_length=200)],
) -> list[NotificationSummary]:
    """One search box: a reference, an export authorisation number, or names and a substance."""
    found = notifications_service.lookup(session, principal, q)
    return [notifications_service.summarise(n) for n in found]
