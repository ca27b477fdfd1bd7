"""Web pages of pre-export notifications: inbox and outbox, one notification, the exporter's
applications, the customs lookup, statistics and the country's settings."""

from __future__ import annotations

from datetime import date
from itertools import zip_longest
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.datastructures import FormData
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.accounts.principal import OrgKind, Principal
from precx.db import DbSession
from precx.kit.i18n import Message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError, Forbidden, InvalidInput, NotFound
from precx.kit.tabular import csv_response, xlsx_response
from precx.licensing import service as licensing_service
from precx.notifications import service as notifications_service
from precx.notifications.api import reply_days
from precx.notifications.models import PreExportNotification
from precx.notifications.pdf import render_pdf
from precx.notifications.schemas import (
    ApplicationCreate,
    ConsignmentIn,
    CountrySettingIn,
    CustomsEventIn,
    NotificationAmend,
    NotificationCreate,
    ResponseIn,
    SendFromApplication,
    Withdrawal,
)
from precx.web.forms import invalid_form
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

APPLICATION_FIELDS = (
    "kind",
    "importer_name",
    "importer_address",
    "importer_country",
    "importer_licence_number",
    "consignee_name",
    "transport_mode",
    "exit_point",
    "transit_countries",
    "entry_point",
    "dispatch_date",
    "period_months",
    "import_permit_number",
    "notes",
)
NOTIFICATION_FIELDS = (
    "exporter_organisation_id",
    "exporter_name",
    "exporter_address",
    *APPLICATION_FIELDS,
    "consignee_address",
    "export_authorisation_number",
    "internal_notes",
)
# One row of the substances table: the form repeats each name once per row.
LINE_FIELDS = ("substance", "quantity", "unit", "concentration_percent", "packaging")
MAX_LINES = 20
AMEND_FIELDS = notifications_service.AMENDABLE
CUSTOMS_KINDS = (
    "dispatched",
    "released_at_exit",
    "in_transit",
    "arrived",
    "released_at_entry",
    "stopped",
    "seized",
)


def _errors(exc: DomainError) -> dict[str, str]:
    """Form errors by field name (the last named part of each field's path)."""
    found: dict[str, str] = {}
    for e in exc.errors:
        parts = [p for p in e.field.split(".") if not p.isdigit()]
        found[parts[-1] if parts else ""] = e.message
    # The whole sentence first: a field's short message alone does not say what to do.
    return {"": exc.detail, **found}


def _form_errors(exc: DomainError) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
    """Form errors by field name, and those of the substance rows by row and field."""
    found: dict[str, str] = {"": exc.detail}
    rows: dict[int, dict[str, str]] = {}
    for e in exc.errors:
        parts = e.field.split(".")
        if parts and parts[0] == "body":
            parts = parts[1:]
        if len(parts) >= 3 and parts[0] == "lines" and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = e.message
            continue
        named = [p for p in parts if not p.isdigit()]
        if named:
            found.setdefault(named[0], e.message)
    return found, rows


def _line_rows(form: FormData) -> list[dict[str, str]]:
    """The substance rows of a form, blank rows left out."""
    columns = [[str(v)[:200] for v in form.getlist(name)] for name in LINE_FIELDS]
    rows = [
        dict(zip(LINE_FIELDS, (v or "" for v in row), strict=True))
        for row in zip_longest(*columns, fillvalue="")
    ]
    return [r for r in rows if r["substance"].strip() or r["quantity"].strip()][:MAX_LINES]


def _blank_line() -> dict[str, str]:
    return {"substance": "", "quantity": "", "unit": "kg", "concentration_percent": "100"}


Consignment = TypeVar("Consignment", bound=ConsignmentIn)


def _consignment(
    model: type[Consignment], values: dict[str, str], rows: list[dict[str, str]]
) -> Consignment:
    """The model the form's fields and substance rows describe; blank fields count as not given."""
    given: dict[str, Any] = {k: v.strip() for k, v in values.items() if v.strip()}
    given["lines"] = [{k: v.strip() for k, v in row.items() if v.strip()} for row in rows]
    given["transit_countries"] = [
        c.strip()
        for c in given.get("transit_countries", "").replace(";", ",").split(",")
        if c.strip()
    ]
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        raise invalid_form(exc) from exc


def _require_pen_reader(principal: Principal) -> None:
    if principal.organisation_kind not in (OrgKind.licensing_authority, OrgKind.customs):
        raise Forbidden(Message("Notifications are for licensing authorities and customs."))


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    box: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Inbox (sent to us) and outbox (sent by us), deadlines highlighted."""
    _require_pen_reader(principal)
    if box not in ("inbox", "outbox"):
        box = "outbox" if principal.organisation_kind is OrgKind.licensing_authority else "inbox"
    filters = notifications_service.NotificationFilters(
        box=box, status=status if status in notifications_service.STATUSES else None, q=q or None
    )
    listed = notifications_service.list_notifications(
        session, principal, PageParams(page=page, per_page=25, sort=sort), filters
    )
    return render(
        request,
        "notifications/list.html",
        {
            "listed": listed,
            "rows": [notifications_service.summarise(n) for n in listed.items],
            "box": box,
            "filters": filters,
            "statuses": notifications_service.STATUSES,
            "sort": sort or "",
            "is_authority": principal.organisation_kind is OrgKind.licensing_authority,
            "may_notify": notifications_service.may_notify(principal),
        },
        principal=principal,
    )


def _export_rows(
    session: DbSession, principal: Principal, box: str | None, status: str | None, q: str | None
) -> Any:
    _require_pen_reader(principal)
    filters = notifications_service.NotificationFilters(
        box=box if box in ("inbox", "outbox") else None,
        status=status if status in notifications_service.STATUSES else None,
        q=q or None,
    )
    return notifications_service.export_rows(session, principal, filters)


@router.get("/notifications/export.csv")
def export_csv(
    session: DbSession,
    principal: WebPrincipal,
    box: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The list as CSV."""
    rows = _export_rows(session, principal, box, status, q)
    return csv_response("notifications.csv", notifications_service.EXPORT_COLUMNS, rows)


@router.get("/notifications/export.xlsx")
def export_xlsx(
    session: DbSession,
    principal: WebPrincipal,
    box: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The list as XLSX."""
    rows = _export_rows(session, principal, box, status, q)
    return xlsx_response("notifications.xlsx", notifications_service.EXPORT_COLUMNS, rows)


@router.get("/notifications/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    """Monthly statistics with charts: by outcome, substance, country; response times."""
    _require_pen_reader(principal)
    stats = notifications_service.statistics(
        session, principal, year or notifications_service.today().year
    )
    chart = {
        "months": stats.months,
        "by_month": stats.by_month,
        "mean_response_days": stats.mean_response_days,
        "substances": [list(p) for p in stats.by_substance],
        "countries": [list(p) for p in stats.by_country],
    }
    return render(
        request,
        "notifications/statistics.html",
        {"stats": stats, "chart": chart},
        principal=principal,
    )


@router.get("/notifications/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The country's reply period and transit copies (its licensing authority edits them)."""
    _require_pen_reader(principal)
    current = notifications_service.get_country_setting(
        session, principal.country, reply_days(request)
    )
    return render(
        request,
        "notifications/settings.html",
        {"current": current, "default_days": reply_days(request), "errors": {}},
        principal=principal,
    )


@router.post("/notifications/settings", response_class=HTMLResponse)
async def save_settings(request: Request, session: DbSession, principal: WebPrincipal) -> Response:
    """Save the country's settings."""
    form = await request.form()
    raw_days = str(form.get("reply_days", "")).strip()
    try:
        if raw_days and not raw_days.isdigit():
            raise InvalidInput(
                Message("Give the reply period in whole days."),
                errors=[("reply_days", Message("not a whole number"))],
            )
        try:
            data = CountrySettingIn(
                reply_days=int(raw_days) if raw_days else None,
                transit_copies=form.get("transit_copies") == "on",
            )
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        notifications_service.set_country_setting(
            session, principal, data=data, default_reply_days=reply_days(request)
        )
    except DomainError as exc:
        current = notifications_service.get_country_setting(
            session, principal.country, reply_days(request)
        )
        return render(
            request,
            "notifications/settings.html",
            {"current": current, "default_days": reply_days(request), "errors": _errors(exc)},
            principal=principal,
            status_code=exc.status,
        )
    return redirect("/notifications/settings", Message("The settings are saved."), "success")


@router.get("/customs/lookup", response_class=HTMLResponse)
def customs_lookup(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """One search box for a border post: reference, authorisation number, or names and substance."""
    _require_pen_reader(principal)
    found = notifications_service.lookup(session, principal, q or "") if q else []
    return render(
        request,
        "notifications/lookup.html",
        {"q": q or "", "rows": [notifications_service.summarise(n) for n in found]},
        principal=principal,
    )


# --- Notifying by hand, amending -------------------------------------------------------------


def _require_notifier(principal: Principal) -> None:
    if not notifications_service.may_notify(principal):
        raise NotFound(Message("There is nothing at this address."))


def _lines_form(
    template: str,
    request: Request,
    principal: Principal,
    values: dict[str, str],
    rows: list[dict[str, str]],
    errors: tuple[dict[str, str], dict[int, dict[str, str]]] = ({}, {}),
    status: int = 200,
    exporters: dict[str, str] | None = None,
) -> HTMLResponse:
    """A form with substance lines (a notification or an application), errors by field and line;
    `exporters`, by id, are the registered exporters a notification may name."""
    return render(
        request,
        template,
        {
            "values": values,
            "rows": rows or [_blank_line()],
            "errors": errors[0],
            "line_errors": errors[1],
            "max_lines": MAX_LINES,
            "exporters": exporters or {},
        },
        principal=principal,
        status_code=status,
    )


def _in_days(days: int) -> str:
    return date.fromordinal(notifications_service.today().toordinal() + days).isoformat()


def _exporters(session: DbSession, principal: Principal) -> dict[str, str]:
    """The registered exporters the notifying authority may name: names by id, by name."""
    return {str(o.id): o.name for o in notifications_service.exporters_for(session, principal)}


@router.get("/notifications/new", response_class=HTMLResponse)
def new_notification(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The exporting authority's form to notify an export without an application."""
    _require_notifier(principal)
    values = {"kind": "standard", "transport_mode": "road", "dispatch_date": _in_days(20)}
    return _lines_form(
        "notifications/new.html",
        request,
        principal,
        values,
        [_blank_line()],
        exporters=_exporters(session, principal),
    )


@router.post("/notifications/new", response_class=HTMLResponse)
async def submit_notification(
    request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Send the notification, or show the form again with what is wrong."""
    _require_notifier(principal)
    form = await request.form()
    values = {k: str(form.get(k, ""))[:20_000] for k in NOTIFICATION_FIELDS}
    values["exporter_organisation_id"] = values["exporter_organisation_id"].strip()
    rows = _line_rows(form)
    exporters = _exporters(session, principal)
    if form.get("add_line"):
        return _lines_form(
            "notifications/new.html",
            request,
            principal,
            values,
            [*rows, _blank_line()][:MAX_LINES],
            exporters=exporters,
        )
    # A registered exporter chosen and no name typed: the organisation's name, not typed twice.
    chosen = exporters.get(values["exporter_organisation_id"])
    if chosen is not None and not values["exporter_name"].strip():
        values["exporter_name"] = chosen
    try:
        data = _consignment(NotificationCreate, values, rows)
        n = notifications_service.create_notification(
            session, principal, data=data, default_reply_days=reply_days(request)
        )
    except DomainError as exc:
        return _lines_form(
            "notifications/new.html",
            request,
            principal,
            values,
            rows,
            _form_errors(exc),
            exc.status,
            exporters=exporters,
        )
    return redirect(
        f"/notifications/{n.id}",
        Message("Notification %(reference)s sent.", reference=n.reference),
        "success",
    )


@router.get("/export-applications/substance-row", response_class=HTMLResponse)
def substance_row(
    request: Request,
    principal: WebPrincipal,
    substance: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    """One more empty row of a substances table (htmx), numbered after the rows there."""
    index = len(substance or [])
    if index >= MAX_LINES:
        return HTMLResponse("")
    return render(
        request,
        "notifications/_line_row.html",
        {"i": index, "row": _blank_line(), "row_errors": {}, "focus": True},
        principal=principal,
    )


def _amendable(
    session: DbSession, principal: Principal, notification_id: int
) -> PreExportNotification:
    n = notifications_service.get_notification(session, principal, notification_id)
    if not notifications_service.may_amend(principal, n):
        raise NotFound(Message("There is nothing at this address."))
    return n


def _amend_form(
    request: Request,
    session: DbSession,
    principal: Principal,
    n: PreExportNotification,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    read = notifications_service.describe(session, principal, n)
    current = {name: str(getattr(read, name) or "") for name in AMEND_FIELDS}
    return render(
        request,
        "notifications/amend.html",
        {"n": read, "values": values or current, "errors": errors or {}},
        principal=principal,
        status_code=status,
    )


@router.get("/notifications/{notification_id}/amend", response_class=HTMLResponse)
def amend_page(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> HTMLResponse:
    """The exporting authority's form to change a notification, with its history."""
    n = _amendable(session, principal, notification_id)
    return _amend_form(request, session, principal, n)


@router.post("/notifications/{notification_id}/amend", response_class=HTMLResponse)
async def amend(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> Response:
    """Record the change, or show the form again with what is wrong."""
    n = _amendable(session, principal, notification_id)
    form = await request.form()
    values = {k: str(form.get(k, ""))[:20_000] for k in (*AMEND_FIELDS, "reason")}
    given: dict[str, Any] = {k: v.strip() for k, v in values.items()}
    if not given["dispatch_date"]:
        del given["dispatch_date"]
    try:
        try:
            data = NotificationAmend.model_validate(given)
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        notifications_service.amend_notification(session, principal, notification_id, data=data)
    except DomainError as exc:
        return _amend_form(request, session, principal, n, values, _errors(exc), exc.status)
    return redirect(
        f"/notifications/{notification_id}", Message("The notification is amended."), "success"
    )


def _detail(
    request: Request,
    session: DbSession,
    principal: Principal,
    notification_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    n = notifications_service.get_notification(session, principal, notification_id)
    read = notifications_service.describe(session, principal, n)
    may_answer = licensing_service.maintains_register(principal, n.importer_country)
    owner = n.owner_organisation_id == principal.organisation_id and principal.can_write
    return render(
        request,
        "notifications/detail.html",
        {
            "n": read,
            "deadline_state": notifications_service.deadline_state(n),
            "may_answer": may_answer and n.status in notifications_service.AWAITING,
            "may_withdraw": owner and n.status != "withdrawn" and not n.shipment_status,
            "may_amend": notifications_service.may_amend(principal, n),
            "is_customs": principal.organisation_kind is OrgKind.customs and principal.can_write,
            "customs_kinds": CUSTOMS_KINDS,
            "today": notifications_service.today().isoformat(),
            "errors": errors or {},
        },
        principal=principal,
        status_code=status,
    )


@router.get("/notifications/{notification_id}", response_class=HTMLResponse)
def notification_page(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> HTMLResponse:
    """One notification: its terms, the checks, and its timeline."""
    return _detail(request, session, principal, notification_id)


@router.get("/notifications/{notification_id}/pdf")
def notification_pdf(
    session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> Response:
    """The notification as a PDF."""
    n = notifications_service.get_notification(session, principal, notification_id)
    read = notifications_service.describe(session, principal, n)
    return Response(
        render_pdf(read),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{read.reference}.pdf"'},
    )


@router.post("/notifications/{notification_id}/respond", response_class=HTMLResponse)
async def respond(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> Response:
    """The importing authority's answer."""
    form = await request.form()
    try:
        try:
            data = ResponseIn.model_validate(
                {"answer": str(form.get("answer", "")), "reason": str(form.get("reason", ""))[:500]}
            )
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        notifications_service.respond(session, principal, notification_id, data=data)
    except DomainError as exc:
        return _detail(request, session, principal, notification_id, _errors(exc), exc.status)
    return redirect(
        f"/notifications/{notification_id}",
        Message("Answer recorded: %(answer)s.", answer=data.answer),
        "success",
    )


@router.post("/notifications/{notification_id}/withdraw", response_class=HTMLResponse)
async def withdraw(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> Response:
    """The exporting authority withdraws the notification."""
    form = await request.form()
    try:
        try:
            data = Withdrawal(reason=str(form.get("reason", ""))[:500])
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        notifications_service.withdraw_notification(session, principal, notification_id, data=data)
    except DomainError as exc:
        return _detail(request, session, principal, notification_id, _errors(exc), exc.status)
    return redirect(
        f"/notifications/{notification_id}", Message("The notification is withdrawn."), "success"
    )


@router.post("/notifications/{notification_id}/customs-events", response_class=HTMLResponse)
async def record_customs_event(
    request: Request, session: DbSession, principal: WebPrincipal, notification_id: PathId
) -> Response:
    """Customs record what happened to the consignment."""
    form = await request.form()
    quantities = []
    if str(form.get("quantity", "")).strip():
        quantities.append(
            {
                "substance": str(form.get("substance", ""))[:200],
                "quantity": str(form.get("quantity", ""))[:40],
                "unit": str(form.get("unit", "kg"))[:2],
            }
        )
    try:
        try:
            data = CustomsEventIn.model_validate(
                {
                    "kind": str(form.get("kind", "")),
                    "place": str(form.get("place", ""))[:200],
                    "occurred_on": str(form.get("occurred_on", ""))[:10],
                    "note": str(form.get("note", ""))[:500],
                    "quantities": quantities,
                }
            )
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        notifications_service.record_customs_event(session, principal, notification_id, data=data)
    except DomainError as exc:
        return _detail(request, session, principal, notification_id, _errors(exc), exc.status)
    return redirect(
        f"/notifications/{notification_id}",
        Message("Recorded: %(kind)s.", kind=data.kind.replace("_", " ")),
        "success",
    )


# --- Export applications --------------------------------------------------------------------


@router.get("/export-applications", response_class=HTMLResponse)
def applications_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The exporter's applications with their notifications' status (or an authority's queue)."""
    listed = notifications_service.list_applications(
        session, principal, PageParams(page=page, per_page=25)
    )
    return render(
        request,
        "notifications/applications.html",
        {
            "listed": listed,
            "rows": [notifications_service.describe_application(session, a) for a in listed.items],
            "is_industry": principal.organisation_kind is OrgKind.industry,
        },
        principal=principal,
    )


@router.get("/export-applications/new", response_class=HTMLResponse)
def new_application(request: Request, principal: WebPrincipal) -> HTMLResponse:
    """The exporter's application form: one row per substance."""
    values = {"kind": "standard", "transport_mode": "road", "dispatch_date": _in_days(20)}
    return _lines_form("notifications/apply.html", request, principal, values, [_blank_line()])


@router.post("/export-applications/new", response_class=HTMLResponse)
async def submit_application(
    request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Submit the application, or show the form again with what is wrong."""
    form = await request.form()
    values = {k: str(form.get(k, ""))[:2000] for k in APPLICATION_FIELDS}
    rows = _line_rows(form)
    if form.get("add_line"):
        return _lines_form(
            "notifications/apply.html",
            request,
            principal,
            values,
            [*rows, _blank_line()][:MAX_LINES],
        )
    try:
        data = _consignment(ApplicationCreate, values, rows)
        application = notifications_service.submit_application(session, principal, data=data)
    except DomainError as exc:
        return _lines_form(
            "notifications/apply.html",
            request,
            principal,
            values,
            rows,
            _form_errors(exc),
            exc.status,
        )
    return redirect(
        f"/export-applications/{application.id}",
        Message("The application is submitted."),
        "success",
    )


@router.get("/export-applications/{application_id}", response_class=HTMLResponse)
def application_page(
    request: Request, session: DbSession, principal: WebPrincipal, application_id: PathId
) -> HTMLResponse:
    """One application and, once sent, its notification's status (no internal notes)."""
    application = notifications_service.get_application(session, principal, application_id)
    read = notifications_service.describe_application(session, application)
    may_send = (
        licensing_service.maintains_register(principal, application.exporter_country)
        and application.status == "submitted"
    )
    return render(
        request,
        "notifications/application.html",
        {"a": read, "may_send": may_send, "notification_id": application.notification_id},
        principal=principal,
    )


@router.post("/export-applications/{application_id}/notify", response_class=HTMLResponse)
async def notify_application(
    request: Request, session: DbSession, principal: WebPrincipal, application_id: PathId
) -> Response:
    """The exporting authority sends the application's notification."""
    form = await request.form()
    try:
        try:
            data = SendFromApplication(
                export_authorisation_number=str(form.get("export_authorisation_number", ""))[:60],
                internal_notes=str(form.get("internal_notes", ""))[:20_000],
            )
        except ValidationError as exc:
            raise invalid_form(exc) from exc
        n = notifications_service.send_from_application(
            session, principal, application_id, data=data, default_reply_days=reply_days(request)
        )
    except DomainError as exc:
        return redirect(f"/export-applications/{application_id}", exc.detail, "error")
    return redirect(
        f"/notifications/{n.id}",
        Message("Notification %(reference)s sent.", reference=n.reference),
        "success",
    )
