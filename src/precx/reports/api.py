"""REST routes of reports: filing, the authority's queue and workflow, messages, attachments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Query, Request, Response, UploadFile

from precx.accounts.auth import ApiPrincipal
from precx.config import Settings
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import problem_responses
from precx.kit.tabular import csv_response, xlsx_response
from precx.kit.uploads import attachment_limit, read_upload
from precx.kit.uploads import attachment_response as download
from precx.reports import service as reports_service
from precx.reports.models import Report, ReportKind, ReportStatus
from precx.reports.schemas import (
    Assignment,
    AttachmentRead,
    Closure,
    Count,
    Feedback,
    MessageCreate,
    MessageRead,
    RedFlagRead,
    Referral,
    ReportBatch,
    ReportBatchRead,
    ReportCreate,
    ReportPage,
    ReportRead,
    RoutingSettings,
    StatusChange,
    Summary,
    TimelineEntry,
)

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


def report_filters(
    status: Annotated[ReportStatus | None, Query()] = None,
    kind: Annotated[ReportKind | None, Query()] = None,
    substance: Annotated[
        str | None, Query(max_length=200, description="Substance id, CAS, HS code or name.")
    ] = None,
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, description="Counterparty's country.")
    ] = None,
    red_flag: Annotated[str | None, Query(max_length=41, description="A rule code.")] = None,
    min_age_days: Annotated[int | None, Query(ge=0, le=36500)] = None,
    max_age_days: Annotated[int | None, Query(ge=0, le=36500)] = None,
    overdue: Annotated[bool | None, Query(description="Past the acknowledgement target.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in name or text.")] = None,
) -> reports_service.ReportFilters:
    """The queue's filters from the query string."""
    return reports_service.ReportFilters(
        status=status.value if status else None,
        kind=kind.value if kind else None,
        substance=substance or None,
        country=country or None,
        red_flag=red_flag or None,
        min_age_days=min_age_days,
        max_age_days=max_age_days,
        overdue=overdue,
        q=q or None,
    )


Filters = Annotated[reports_service.ReportFilters, Depends(report_filters)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _read(session: DbSession, principal: ApiPrincipal, reports: list[Report]) -> list[ReportRead]:
    return [
        ReportRead.model_validate(d) for d in reports_service.describe(session, principal, reports)
    ]


def _one(session: DbSession, principal: ApiPrincipal, report: Report) -> ReportRead:
    return _read(session, principal, [report])[0]


@router.get("", response_model=ReportPage, responses=problem_responses(401, 422))
def list_reports(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    filters: Filters,
) -> ReportPage:
    """Reports the caller may read: an authority's triage queue, a reporter's own list.

    Sort keys: created_at, submitted_at, ack_due_at, status, kind, counterparty_name.
    """
    page = reports_service.list_reports(session, principal, params, filters)
    return ReportPage(
        items=_read(session, principal, list(page.items)),
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/count", response_model=Count, responses=problem_responses(401, 422))
def count_reports(
    session: DbSession,
    principal: ApiPrincipal,
    filters: Filters,
) -> Count:
    """How many reports the caller may read (matching the filters)."""
    return Count(count=reports_service.count_reports(session, principal, filters))


@router.get("/summary", response_model=Summary, responses=problem_responses(401))
def report_summary(session: DbSession, principal: ApiPrincipal) -> Summary:
    """Counts of the caller's readable reports per status and outcome ("my reports")."""
    return Summary.model_validate(reports_service.summary_counts(session, principal))


@router.get("/red-flags", response_model=list[RedFlagRead], responses=problem_responses(401))
def red_flags(principal: ApiPrincipal) -> list[RedFlagRead]:
    """The red flags a report may name: the screening rule catalogue."""
    return [
        RedFlagRead(code=r.code, title=r.title, severity=r.severity.value)
        for r in reports_service.red_flag_catalogue()
    ]


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 422)},
)
def export_csv(session: DbSession, principal: ApiPrincipal, filters: Filters) -> Response:
    """The queue as CSV (same filters as the list), each row with its TLP marking."""
    rows = reports_service.export_rows(session, principal, filters)
    return csv_response("reports.csv", reports_service.EXPORT_COLUMNS, rows)


@router.get(
    "/export.xlsx",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **problem_responses(401, 422),
    },
)
def export_xlsx(session: DbSession, principal: ApiPrincipal, filters: Filters) -> Response:
    """The queue as XLSX (same filters as the list)."""
    rows = reports_service.export_rows(session, principal, filters)
    return xlsx_response("reports.xlsx", reports_service.EXPORT_COLUMNS, rows)


@router.get(
    "/routing-settings", response_model=RoutingSettings, responses=problem_responses(401, 403)
)
def get_routing_settings(session: DbSession, principal: ApiPrincipal) -> RoutingSettings:
    """A licensing authority's routing of incoming reports to police and customs."""
    return reports_service.get_routing_settings(session, principal)


@router.put(
    "/routing-settings", response_model=RoutingSettings, responses=problem_responses(401, 403, 422)
)
def set_routing_settings(
    data: RoutingSettings, session: DbSession, principal: ApiPrincipal
) -> RoutingSettings:
    """Change the authority's forwarding and acknowledgement target (its administrators)."""
    return reports_service.set_routing_settings(session, principal, data=data)


@router.post(
    "",
    response_model=ReportRead,
    status_code=201,
    responses={
        200: {"description": "A retry: the report made earlier with this key."},
        **problem_responses(401, 403, 422),
    },
)
def create_report(
    data: ReportCreate,
    request: Request,
    response: Response,
    session: DbSession,
    principal: ApiPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Retries with the same key give back the same report.",
        ),
    ] = None,
) -> ReportRead:
    """File a report (submitted at once unless `draft`); routed to the competent authority."""
    report, created = reports_service.create_report(
        session,
        principal,
        data=data,
        idempotency_key=idempotency_key,
        default_ack_days=_settings(request).report_ack_working_days,
    )
    if not created:
        response.status_code = 200
    return _one(session, principal, report)


@router.post(
    "/batch",
    response_model=ReportBatchRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def create_reports(
    data: ReportBatch, request: Request, session: DbSession, principal: ApiPrincipal
) -> ReportBatchRead:
    """Create several reports: all or none, a problem naming the index and field at fault."""
    reports = reports_service.create_reports(
        session,
        principal,
        data=data.reports,
        default_ack_days=_settings(request).report_ack_working_days,
    )
    return ReportBatchRead(items=_read(session, principal, reports))


@router.get(
    "/{report_id:int}", response_model=ReportRead, responses=problem_responses(401, 404, 422)
)
def get_report(report_id: PathId, session: DbSession, principal: ApiPrincipal) -> ReportRead:
    """One report; 404 when it does not exist or the caller may not read it."""
    return _one(session, principal, reports_service.get_report(session, principal, report_id))


@router.put(
    "/{report_id:int}",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def update_report(
    report_id: PathId,
    data: ReportCreate,
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
) -> ReportRead:
    """Change a draft (and submit it unless `draft` is set)."""
    report = reports_service.update_report(
        session,
        principal,
        report_id,
        data=data,
        default_ack_days=_settings(request).report_ack_working_days,
    )
    return _one(session, principal, report)


@router.post(
    "/{report_id:int}/submit",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def submit_report(
    report_id: PathId, request: Request, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Submit a draft; refused with the missing field named when it is incomplete."""
    report = reports_service.submit_report(
        session, principal, report_id, default_ack_days=_settings(request).report_ack_working_days
    )
    return _one(session, principal, report)


WORKFLOW_ERRORS = problem_responses(401, 403, 404, 409, 422)


@router.post("/{report_id:int}/acknowledge", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def acknowledge_report(
    report_id: PathId, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """The authority confirms the report arrived."""
    return _one(
        session, principal, reports_service.acknowledge_report(session, principal, report_id)
    )


@router.post("/{report_id:int}/status", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def change_status(
    report_id: PathId, data: StatusChange, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Move a report into review; a move the workflow does not allow is a 409."""
    report = reports_service.change_status(session, principal, report_id, status=data.status)
    return _one(session, principal, report)


@router.post("/{report_id:int}/refer", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def refer_report(
    report_id: PathId, data: Referral, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Refer the report to law enforcement or customs, who read it from then on."""
    return _one(
        session, principal, reports_service.refer_report(session, principal, report_id, data=data)
    )


@router.post("/{report_id:int}/close", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def close_report(
    report_id: PathId, data: Closure, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Close the report with an outcome the reporter sees."""
    return _one(
        session, principal, reports_service.close_report(session, principal, report_id, data=data)
    )


@router.post("/{report_id:int}/feedback", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def give_feedback(
    report_id: PathId, data: Feedback, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Tell the reporter what became of the report."""
    return _one(
        session, principal, reports_service.give_feedback(session, principal, report_id, data=data)
    )


@router.post("/{report_id:int}/assign", response_model=ReportRead, responses=WORKFLOW_ERRORS)
def assign_report(
    report_id: PathId, data: Assignment, session: DbSession, principal: ApiPrincipal
) -> ReportRead:
    """Assign the report to an officer of the caller's authority."""
    report = reports_service.assign_report(session, principal, report_id, user_id=data.user_id)
    return _one(session, principal, report)


@router.get(
    "/{report_id:int}/messages",
    response_model=list[MessageRead],
    responses=problem_responses(401, 404, 422),
)
def list_messages(
    report_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[MessageRead]:
    """The messages of a report (internal notes only for authorities). The reporter sees an
    authority's message without its author (`author_organisation_id` null)."""
    return [
        MessageRead.model_validate(m)
        for m in reports_service.messages_as_read(session, principal, report_id)
    ]


@router.post(
    "/{report_id:int}/messages",
    response_model=MessageRead,
    status_code=201,
    responses=WORKFLOW_ERRORS,
)
def post_message(
    report_id: PathId, data: MessageCreate, session: DbSession, principal: ApiPrincipal
) -> MessageRead:
    """A request for information, the reporter's answer, or an authority's internal note."""
    return MessageRead.model_validate(
        reports_service.post_message(session, principal, report_id, data=data)
    )


@router.get(
    "/{report_id:int}/timeline",
    response_model=list[TimelineEntry],
    responses=problem_responses(401, 404, 422),
)
def report_timeline(
    report_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[TimelineEntry]:
    """The report's status changes."""
    return [
        TimelineEntry.model_validate(s.__dict__)
        for s in reports_service.timeline(session, principal, report_id)
    ]


@router.get(
    "/{report_id:int}/attachments",
    response_model=list[AttachmentRead],
    responses=problem_responses(401, 404, 422),
)
def list_attachments(
    report_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[AttachmentRead]:
    """The attachments of a report."""
    return [
        AttachmentRead.model_validate(a)
        for a in reports_service.list_attachments(session, principal, report_id)
    ]


@router.post(
    "/{report_id:int}/attachments",
    response_model=AttachmentRead,
    status_code=201,
    responses=WORKFLOW_ERRORS,
)
def add_attachment(
    report_id: PathId,
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, plain text, XLSX or DOCX.")],
) -> AttachmentRead:
    """Attach a document or image to one's own report (multipart form, field `file`)."""
    limit = attachment_limit(request)
    attachment = reports_service.add_attachment(
        session,
        principal,
        report_id,
        filename=file.filename or "attachment",
        content=read_upload(file, limit),
        max_bytes=limit,
    )
    return AttachmentRead.model_validate(attachment)


def attachment_response(
    session: DbSession, principal: ApiPrincipal, report_id: int, attachment_id: int
) -> Response:
    """An attachment as a download: never inline, never sniffed."""
    found = reports_service.get_attachment(session, principal, report_id, attachment_id)
    return download(found.filename, found.content_type, found.content)


@router.get(
    "/{report_id:int}/attachments/{attachment_id:int}",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problem_responses(401, 404, 422),
    },
)
def download_attachment(
    report_id: PathId, attachment_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """An attachment's content, always as a download."""
    return attachment_response(session, principal, report_id, attachment_id)


@router.get(
    "/{report_id:int}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(401, 404, 422)},
)
def report_pdf(report_id: PathId, session: DbSession, principal: ApiPrincipal) -> Response:
    """The report as a PDF for case files."""
    name, content = reports_service.report_pdf(session, principal, report_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
