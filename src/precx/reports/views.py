"""Web pages of reports: the list and queue, the form (new, from a screening, draft), one report
with its timeline, messages, feedback and attachments, and the authority's actions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.accounts.principal import OrgKind, Principal
from precx.db import DbSession
from precx.kit.i18n import Message, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError, InvalidInput
from precx.kit.tabular import csv_response, xlsx_response
from precx.kit.uploads import attachment_limit, read_upload
from precx.reports import service as reports_service
from precx.reports.api import Filters, attachment_response
from precx.reports.models import ActionTaken, MessageKind, Outcome, ReportKind, ReportStatus
from precx.reports.schemas import (
    Closure,
    Feedback,
    MessageCreate,
    Referral,
    ReportCreate,
    RoutingSettings,
)
from precx.screening.orders import DeliveryType, PaymentMethod, Unit
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

FormText = Annotated[str, Form(max_length=20_000)]
FormShort = Annotated[str, Form(max_length=600)]
SUBSTANCE_ROWS = 3


def _ack_days(request: Request) -> int:
    return int(request.app.state.settings.report_ack_working_days)


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    filters: Filters,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The reports the user may read: an authority's triage queue, a reporter's own reports."""
    params = PageParams(page=page, per_page=25, sort=sort)
    listed = reports_service.list_reports(session, principal, params, filters)
    rows = reports_service.describe(session, principal, list(listed.items))
    return render(
        request,
        "reports/list.html",
        {
            "reports": listed,
            "rows": rows,
            "filters": filters,
            "sort": sort or "",
            "summary": reports_service.summary_counts(session, principal),
            "statuses": [s for s in ReportStatus],
            "kinds": list(ReportKind),
            "rules": reports_service.red_flag_catalogue(),
            "may_file": principal.organisation_kind in reports_service.REPORTING_KINDS
            and principal.can_write,
            "query": request.url.query,
        },
        principal=principal,
    )


@router.get("/reports/export.csv")
def export_csv(session: DbSession, principal: WebPrincipal, filters: Filters) -> Response:
    """Download the reports listed (with the same filters) as CSV."""
    rows = reports_service.export_rows(session, principal, filters)
    return csv_response("reports.csv", reports_service.EXPORT_COLUMNS, rows)


@router.get("/reports/export.xlsx")
def export_xlsx(session: DbSession, principal: WebPrincipal, filters: Filters) -> Response:
    """Download the reports listed (with the same filters) as XLSX."""
    rows = reports_service.export_rows(session, principal, filters)
    return xlsx_response("reports.xlsx", reports_service.EXPORT_COLUMNS, rows)


# --- The form ---------------------------------------------------------------------------------


def _values_from(data: ReportCreate) -> dict[str, Any]:
    """Form values of a report (prefilled or a draft)."""
    cp = data.counterparty
    order = data.order
    lines = [
        {
            "substance": line.substance,
            "quantity": f"{line.quantity:g}" if line.quantity else "",
            "unit": line.unit.value if line.unit else "",
        }
        for line in data.substances
    ]
    return {
        "kind": data.kind.value,
        "cp_name": cp.name if cp else "",
        "cp_address": cp.address if cp else "",
        "cp_country": (cp.country or "") if cp else "",
        "cp_identifiers": "\n".join(f"{i.type}: {i.value}" for i in cp.identifiers) if cp else "",
        "cp_email": cp.email if cp else "",
        "cp_phone": cp.phone if cp else "",
        "cp_contact_person": cp.contact_person if cp else "",
        "lines": lines,
        "order_ref": order.order_ref,
        "order_date": order.order_date.isoformat() if order.order_date else "",
        "consignment_ref": order.consignment_ref,
        "payment_method": order.payment_method,
        "delivery_type": order.delivery_type,
        "delivery_address": order.delivery_address,
        "delivery_country": order.delivery_country or "",
        "transit_countries": "; ".join(order.transit_countries),
        "transport": order.transport,
        "incident_location": order.incident_location,
        "red_flags": list(data.red_flags),
        "red_flags_other": data.red_flags_other,
        "action_taken": data.action_taken.value if data.action_taken else "",
        "narrative": data.narrative,
        "screening_id": str(data.screening_id or ""),
    }


def _identifiers(text: str) -> list[dict[str, str]]:
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        kind, _, value = line.partition(":")
        if not value:
            kind, value = "identifier", kind
        found.append({"type": kind.strip(), "value": value.strip()})
    return found


def _data_from(values: dict[str, Any], draft: bool) -> dict[str, Any]:
    """The report the form describes; blank fields count as not given."""
    counterparty = None
    if values["cp_name"].strip():
        counterparty = {
            "name": values["cp_name"],
            "address": values["cp_address"],
            "country": values["cp_country"] or None,
            "identifiers": _identifiers(values["cp_identifiers"]),
            "email": values["cp_email"],
            "phone": values["cp_phone"],
            "contact_person": values["cp_contact_person"],
        }
    substances = [
        {
            "substance": line["substance"],
            "quantity": line["quantity"] or None,
            "unit": line["unit"] or None,
        }
        for line in values["lines"]
        if line["substance"].strip()
    ]
    transit = [c.strip() for c in values["transit_countries"].replace(",", ";").split(";")]
    return {
        "kind": values["kind"] or ReportKind.suspicious_order.value,
        "draft": draft,
        "counterparty": counterparty,
        "substances": substances,
        "order": {
            "order_ref": values["order_ref"],
            "order_date": values["order_date"] or None,
            "consignment_ref": values["consignment_ref"],
            "payment_method": values["payment_method"],
            "delivery_type": values["delivery_type"],
            "delivery_address": values["delivery_address"],
            "delivery_country": values["delivery_country"] or None,
            "transit_countries": [c for c in transit if c],
            "transport": values["transport"],
            "incident_location": values["incident_location"],
        },
        "red_flags": values["red_flags"],
        "red_flags_other": values["red_flags_other"],
        "action_taken": values["action_taken"] or None,
        "narrative": values["narrative"],
        "screening_id": int(values["screening_id"]) if values["screening_id"].isdigit() else None,
    }


def _field_key(loc: list[str]) -> str:
    """The form field a problem's location points at."""
    parts = [p for p in loc if p != "body"]
    if not parts:
        return ""
    head = parts[0]
    if head == "counterparty":
        sub = parts[1] if len(parts) > 1 else "name"
        return "cp_" + sub
    if head == "substances":
        return "substance"
    if head == "order":
        return parts[1] if len(parts) > 1 else "order_ref"
    return head


def _form(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    action: str,
    status: int = 200,
) -> HTMLResponse:
    lines = list(values.get("lines", []))
    while len(lines) < SUBSTANCE_ROWS:
        lines.append({"substance": "", "quantity": "", "unit": ""})
    return render(
        request,
        "reports/form.html",
        {
            "values": {**values, "lines": lines},
            "errors": errors,
            "action": action,
            "kinds": list(ReportKind),
            "actions": list(ActionTaken),
            "units": list(Unit),
            # Suggested as the order screening writes them; a report may say something else.
            "payment_methods": [m.value for m in PaymentMethod],
            "delivery_types": [d.value for d in DeliveryType],
            "rules": reports_service.red_flag_catalogue(),
        },
        principal=principal,
        status_code=status,
    )


async def _posted(request: Request) -> tuple[dict[str, Any], bool]:
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value[:20_000] if isinstance(value, str) else ""

    def many(name: str) -> list[str]:
        return [v[:600] for v in form.getlist(name) if isinstance(v, str)]

    substances, quantities, units = many("substance"), many("quantity"), many("unit")
    lines = [
        {
            "substance": s,
            "quantity": quantities[i] if i < len(quantities) else "",
            "unit": units[i] if i < len(units) else "",
        }
        for i, s in enumerate(substances[:20])
    ]
    names = [
        "kind",
        "cp_name",
        "cp_address",
        "cp_country",
        "cp_identifiers",
        "cp_email",
        "cp_phone",
        "cp_contact_person",
        "order_ref",
        "order_date",
        "consignment_ref",
        "payment_method",
        "delivery_type",
        "delivery_address",
        "delivery_country",
        "transit_countries",
        "transport",
        "incident_location",
        "red_flags_other",
        "action_taken",
        "narrative",
        "screening_id",
    ]
    values: dict[str, Any] = {n: text(n) for n in names}
    values["lines"] = lines
    values["red_flags"] = many("red_flags")[:40]
    return values, text("action") != "submit"


def _save(
    request: Request,
    session: DbSession,
    principal: Principal,
    values: dict[str, Any],
    draft: bool,
    report_id: int | None,
) -> Response:
    action = f"/reports/{report_id}/edit" if report_id else "/reports/new"
    try:
        data = ReportCreate.model_validate(_data_from(values, draft))
        if report_id is None:
            report, _ = reports_service.create_report(
                session, principal, data=data, default_ack_days=_ack_days(request)
            )
        else:
            report = reports_service.update_report(
                session, principal, report_id, data=data, default_ack_days=_ack_days(request)
            )
    except ValidationError as exc:
        errors: dict[str, str] = {
            _field_key([str(p) for p in e["loc"]]): field_message(e) for e in exc.errors()
        }
        return _form(request, principal, values, errors, action=action, status=422)
    except DomainError as exc:
        errors = {_field_key(e.field.split(".")): e.message for e in exc.errors}
        errors[""] = exc.detail
        session.rollback()
        return _form(request, principal, values, errors, action=action, status=exc.status)
    message = (
        Message("The draft has been saved.") if draft else Message("The report has been submitted.")
    )
    return redirect(f"/reports/{report.id}", message, "success")


@router.get("/reports/new", response_class=HTMLResponse)
def new_report(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    screening: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> HTMLResponse:
    """The form for a new report, pre-filled from a screening when one is named."""
    data = (
        reports_service.prefill_from_screening(session, principal, screening)
        if screening
        else ReportCreate(draft=True)
    )
    return _form(request, principal, _values_from(data), {}, action="/reports/new")


@router.post("/reports/new", response_class=HTMLResponse)
async def post_report(request: Request, session: DbSession, principal: WebPrincipal) -> Response:
    """Save the draft or submit the report, or show the form again with what is wrong."""
    values, draft = await _posted(request)
    return _save(request, session, principal, values, draft, None)


@router.get("/reports/settings", response_class=HTMLResponse)
def routing_settings(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """A licensing authority's routing of incoming reports."""
    prefs = reports_service.get_routing_settings(session, principal)
    return render(request, "reports/settings.html", {"prefs": prefs}, principal=principal)


@router.post("/reports/settings", response_class=HTMLResponse)
def post_routing_settings(
    session: DbSession,
    principal: WebPrincipal,
    forward_to_law_enforcement: Annotated[str, Form(max_length=10)] = "",
    forward_to_customs: Annotated[str, Form(max_length=10)] = "",
    ack_working_days: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Save the routing settings."""
    try:
        data = RoutingSettings(
            forward_to_law_enforcement=bool(forward_to_law_enforcement),
            forward_to_customs=bool(forward_to_customs),
            ack_working_days=int(ack_working_days) if ack_working_days.isdigit() else None,
        )
        reports_service.set_routing_settings(session, principal, data=data)
    except ValidationError as exc:
        return redirect("/reports/settings", field_message(exc.errors()[0]), "error")
    return redirect(
        "/reports/settings", Message("The routing settings have been saved."), "success"
    )


@router.get("/reports/{report_id:int}/edit", response_class=HTMLResponse)
def edit_report(
    report_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """The form of a draft."""
    report = reports_service.get_report(session, principal, report_id)
    if report.status != ReportStatus.draft or not reports_service.is_reporter_side(
        principal, report
    ):
        return redirect(
            f"/reports/{report_id}",
            Message("Only a draft of your organisation can be edited."),
            "error",
        )
    info = reports_service.describe(session, principal, [report])[0]
    values = _values_from(ReportCreate(draft=True))
    values.update(
        {
            "kind": report.kind,
            "red_flags": list(report.red_flags),
            "red_flags_other": report.red_flags_other,
            "action_taken": report.action_taken or "",
            "narrative": report.narrative,
            "screening_id": str(report.screening_id or ""),
        }
    )
    cp = report.counterparty
    values.update(
        {
            "cp_name": cp.get("name", ""),
            "cp_address": cp.get("address", ""),
            "cp_country": cp.get("country") or "",
            "cp_identifiers": "\n".join(
                f"{i['type']}: {i['value']}" for i in cp.get("identifiers", [])
            ),
            "cp_email": cp.get("email", ""),
            "cp_phone": cp.get("phone", ""),
            "cp_contact_person": cp.get("contact_person", ""),
            "lines": [
                {
                    "substance": s.given_as,
                    "quantity": f"{s.quantity:g}" if s.quantity else "",
                    "unit": s.unit or "",
                }
                for s in info["substances"]
            ],
        }
    )
    order = report.order_details
    for key in (
        "order_ref",
        "consignment_ref",
        "payment_method",
        "delivery_type",
        "delivery_address",
        "transport",
        "incident_location",
    ):
        values[key] = order.get(key) or ""
    values["order_date"] = order.get("order_date") or ""
    values["delivery_country"] = order.get("delivery_country") or ""
    values["transit_countries"] = "; ".join(order.get("transit_countries") or [])
    return _form(request, principal, values, {}, action=f"/reports/{report_id}/edit")


@router.post("/reports/{report_id:int}/edit", response_class=HTMLResponse)
async def post_edit_report(
    report_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Save or submit a draft."""
    values, draft = await _posted(request)
    return _save(request, session, principal, values, draft, report_id)


# --- One report -------------------------------------------------------------------------------


@router.get("/reports/{report_id:int}", response_class=HTMLResponse)
def report_page(
    report_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One report with its timeline, messages, feedback, attachments and the actions allowed."""
    report = reports_service.get_report(session, principal, report_id)
    info = reports_service.describe(session, principal, [report])[0]
    reporter = reports_service.is_reporter_side(principal, report)
    authority = principal.is_authority and not reporter
    status = ReportStatus(report.status)
    officers = reports_service.officers(session, principal) if authority else []
    assigned = next((o.name for o in officers if o.id == report.assigned_to_id), None)
    targets = reports_service.referral_targets(session, principal) if authority else []
    return render(
        request,
        "reports/detail.html",
        {
            "r": report,
            "info": info,
            "reporter_side": reporter,
            "authority": authority and principal.role.value in ("admin", "analyst"),
            "next": reports_service.TRANSITIONS[status],
            "timeline": reports_service.timeline(session, principal, report.id),
            "messages": reports_service.list_messages(session, principal, report.id),
            "attachments": reports_service.list_attachments(session, principal, report.id),
            "names": accounts_service.organisation_names(
                session, {report.owner_organisation_id, principal.organisation_id}
            ),
            "officers": officers,
            "assigned": assigned,
            "targets": targets,
            "outcomes": list(Outcome),
            "rules": {r.code: r for r in reports_service.red_flag_catalogue()},
            "OrgKind": OrgKind,
            "MessageKind": MessageKind,
        },
        principal=principal,
    )


def _problem(exc: DomainError) -> str:
    """The error's detail followed by its fields at fault, each a translatable message."""
    if not exc.errors:
        return exc.detail
    listed: str = ""
    for e in exc.errors:
        listed = (
            Message(
                "%(before)s; %(field)s: %(message)s",
                before=listed,
                field=e.field,
                message=e.message,
            )
            if listed
            else Message("%(field)s: %(message)s", field=e.field, message=e.message)
        )
    return Message("%(detail)s (%(errors)s)", detail=exc.detail, errors=listed)


def _act(report_id: int, done: str, action: Any) -> Response:
    try:
        action()
    except DomainError as exc:
        return redirect(f"/reports/{report_id}", _problem(exc), "error")
    return redirect(f"/reports/{report_id}", done, "success")


@router.post("/reports/{report_id:int}/submit")
def submit_report(
    report_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """Submit a draft as it is."""
    return _act(
        report_id,
        Message("The report has been submitted."),
        lambda: reports_service.submit_report(
            session, principal, report_id, default_ack_days=_ack_days(request)
        ),
    )


@router.post("/reports/{report_id:int}/acknowledge")
def acknowledge_report(report_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Acknowledge the report."""
    return _act(
        report_id,
        Message("The report has been acknowledged."),
        lambda: reports_service.acknowledge_report(session, principal, report_id),
    )


@router.post("/reports/{report_id:int}/review")
def review_report(report_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Put the report under review."""
    return _act(
        report_id,
        Message("The report is under review."),
        lambda: reports_service.change_status(
            session, principal, report_id, status=ReportStatus.under_review
        ),
    )


@router.post("/reports/{report_id:int}/assign")
def assign_report(
    report_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    user_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Assign the report to an officer."""
    return _act(
        report_id,
        Message("The assignment has been saved."),
        lambda: reports_service.assign_report(
            session, principal, report_id, user_id=int(user_id) if user_id.isdigit() else None
        ),
    )


@router.post("/reports/{report_id:int}/refer")
def refer_report(
    report_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    organisation_id: Annotated[str, Form(max_length=12)] = "",
    reason: FormShort = "",
) -> Response:
    """Refer the report to law enforcement or customs."""

    def refer() -> None:
        try:
            data = Referral(organisation_id=int(organisation_id or 0), reason=reason)
        except (ValidationError, ValueError) as exc:
            raise InvalidInput(
                Message("Choose whom to refer the report to."),
                errors=[("organisation_id", Message("required"))],
            ) from exc
        reports_service.refer_report(session, principal, report_id, data=data)

    return _act(report_id, Message("The report has been referred."), refer)


@router.post("/reports/{report_id:int}/close")
def close_report(
    report_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    outcome: Annotated[str, Form(max_length=40)] = "",
    message: FormText = "",
) -> Response:
    """Close the report with an outcome."""

    def close() -> None:
        if outcome not in {o.value for o in Outcome}:
            raise InvalidInput(
                Message("Choose the outcome."), errors=[("outcome", Message("required"))]
            )
        data = Closure(outcome=Outcome(outcome), message=message)
        reports_service.close_report(session, principal, report_id, data=data)

    return _act(report_id, Message("The report has been closed."), close)


@router.post("/reports/{report_id:int}/feedback")
def give_feedback(
    report_id: PathId, session: DbSession, principal: WebPrincipal, message: FormText = ""
) -> Response:
    """Send feedback to the reporter."""

    def feedback() -> None:
        if not message.strip():
            raise InvalidInput(
                Message("Write the feedback."), errors=[("message", Message("required"))]
            )
        reports_service.give_feedback(session, principal, report_id, data=Feedback(message=message))

    return _act(report_id, Message("The feedback has been sent."), feedback)


@router.post("/reports/{report_id:int}/messages")
def post_message(
    report_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    body: FormText = "",
    kind: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Send a message (or, for authorities, an internal note)."""

    def send() -> None:
        if not body.strip():
            raise InvalidInput(
                Message("Write the message."), errors=[("body", Message("required"))]
            )
        chosen = MessageKind(kind) if kind in {k.value for k in MessageKind} else None
        reports_service.post_message(
            session, principal, report_id, data=MessageCreate(body=body, kind=chosen)
        )

    return _act(report_id, Message("The message has been sent."), send)


@router.post("/reports/{report_id:int}/attachments")
def add_attachment(
    report_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Attach a file to one's own report."""
    limit = attachment_limit(request)

    def attach() -> None:
        reports_service.add_attachment(
            session,
            principal,
            report_id,
            filename=file.filename or "attachment",
            content=read_upload(file, limit),
            max_bytes=limit,
        )

    return _act(report_id, Message("The file has been attached."), attach)


@router.get("/reports/{report_id:int}/attachments/{attachment_id:int}")
def download_attachment(
    report_id: PathId, attachment_id: PathId, session: DbSession, principal: WebPrincipal
) -> Response:
    """Download an attachment (never shown inline)."""
    return attachment_response(session, principal, report_id, attachment_id)


@router.get("/reports/{report_id:int}/pdf")
def report_pdf(report_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """The report as a PDF."""
    name, content = reports_service.report_pdf(session, principal, report_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
