"""REST routes of incidents, industry alerts and sightings."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from precx.accounts.auth import ApiPrincipal
from precx.accounts.principal import Principal
from precx.db import DbSession
from precx.incidents import service as incidents_service
from precx.incidents.models import IndustryAlert
from precx.incidents.schemas import (
    AlertCreate,
    AlertPage,
    AlertRead,
    AttachmentRead,
    Count,
    IncidentContent,
    IncidentKind,
    IncidentPage,
    IncidentRead,
    IncidentStatus,
    IncidentSummary,
    LinkRead,
    PartyRead,
    RestrictRequest,
    RestrictResult,
    RouteStopRead,
    SightingCreate,
    SightingRead,
    SubstanceLineRead,
    TimelineEntry,
)
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import problem_responses
from precx.kit.tabular import csv_response, xlsx_response
from precx.kit.uploads import attachment_limit, attachment_response, read_upload

router = APIRouter(prefix="/api/v1/incidents", tags=["incidents"])
alerts_router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
sightings_router = APIRouter(prefix="/api/v1/alert-sightings", tags=["alerts"])

Search = Annotated[str | None, Query(max_length=200, description="Words in title, place, text.")]
KindFilter = Annotated[IncidentKind | None, Query(description="Only this kind.")]
StatusFilter = Annotated[IncidentStatus | None, Query(description="draft or final.")]
CountryFilter = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z]{2}$", description="Incident country or any country of its route."),
]
SubstanceFilter = Annotated[
    str | None,
    Query(max_length=80, description="A substance: catalog id, CAS number, HS code or name."),
]
DateFrom = Annotated[date | None, Query(description="Occurred on or after.")]
DateTo = Annotated[date | None, Query(description="Occurred on or before.")]


def _filters(
    q: str | None,
    kind: IncidentKind | None,
    status: IncidentStatus | None,
    country: str | None,
    substance: str | None,
    date_from: date | None,
    date_to: date | None,
) -> incidents_service.IncidentFilters:
    return incidents_service.IncidentFilters(
        q=q,
        kind=kind.value if kind else None,
        status=status.value if status else None,
        country=country,
        substance_id=substance,
        date_from=date_from,
        date_to=date_to,
    )


def incident_read(detail: incidents_service.IncidentDetail) -> IncidentRead:
    """The API form of an incident with what its reader may see of its links."""
    i = detail.incident
    return IncidentRead(
        id=i.id,
        kind=i.kind,
        status=i.status,
        title=i.title,
        occurred_on=i.occurred_on,
        place=i.place,
        country=i.country,
        latitude=i.latitude,
        longitude=i.longitude,
        reporting_agency=i.reporting_agency,
        attempted=i.attempted,
        concealment=i.concealment,
        modus_operandi=i.modus_operandi,
        narrative=i.narrative,
        distribution=i.distribution,
        tlp=i.tlp,
        sharing_group_id=i.sharing_group_id,
        owner_organisation_id=i.owner_organisation_id,
        version=i.version,
        created_at=i.created_at,
        updated_at=i.updated_at,
        finalised_at=i.finalised_at,
        substances=[SubstanceLineRead.model_validate(s) for s in detail.substances],
        parties=[PartyRead.model_validate(p) for p in detail.parties],
        route=[RouteStopRead.model_validate(r) for r in detail.route],
        links=[LinkRead(**vars(link)) for link in detail.links],
        hidden_links=detail.hidden_links,
    )


@router.get("", response_model=IncidentPage, responses=problem_responses(401, 422))
def list_incidents(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    q: Search = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    country: CountryFilter = None,
    substance: SubstanceFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> IncidentPage:
    """Incidents the caller may read (never industry's), filtered; `sort` orders."""
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    page = incidents_service.list_incidents(session, principal, params, filters)
    return IncidentPage(
        items=[IncidentSummary.model_validate(i) for i in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/count", response_model=Count, responses=problem_responses(401, 422))
def count_incidents(
    session: DbSession,
    principal: ApiPrincipal,
    q: Search = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    country: CountryFilter = None,
    substance: SubstanceFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Count:
    """How many incidents the caller may read."""
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    return Count(count=incidents_service.count_incidents(session, principal, filters))


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 422)},
)
def export_incidents_csv(
    session: DbSession,
    principal: ApiPrincipal,
    q: Search = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    country: CountryFilter = None,
    substance: SubstanceFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Response:
    """The incidents the caller may read as CSV, each row with its TLP marking."""
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    rows = incidents_service.export_rows(session, principal, filters)
    return csv_response("incidents.csv", incidents_service.EXPORT_COLUMNS, rows)


@router.get(
    "/export.xlsx",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **problem_responses(401, 422),
    },
)
def export_incidents_xlsx(
    session: DbSession,
    principal: ApiPrincipal,
    q: Search = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    country: CountryFilter = None,
    substance: SubstanceFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Response:
    """The incidents the caller may read as XLSX, each row with its TLP marking."""
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    rows = incidents_service.export_rows(session, principal, filters)
    return xlsx_response("incidents.xlsx", incidents_service.EXPORT_COLUMNS, rows)


@router.post(
    "", response_model=IncidentRead, status_code=201, responses=problem_responses(401, 403, 422)
)
def create_incident(
    data: IncidentContent, session: DbSession, principal: ApiPrincipal
) -> IncidentRead:
    """Record an incident (a draft); police, customs and licensing authorities only."""
    incident = incidents_service.create_incident(session, principal, data=data)
    return incident_read(incidents_service.incident_detail(session, principal, incident.id))


@router.get(
    "/{incident_id:int}", response_model=IncidentRead, responses=problem_responses(401, 404, 422)
)
def get_incident(incident_id: PathId, session: DbSession, principal: ApiPrincipal) -> IncidentRead:
    """One incident; 404 when it does not exist or the caller may not read it."""
    return incident_read(incidents_service.incident_detail(session, principal, incident_id))


@router.put(
    "/{incident_id:int}",
    response_model=IncidentRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def update_incident(
    incident_id: PathId, data: IncidentContent, session: DbSession, principal: ApiPrincipal
) -> IncidentRead:
    """Replace a draft incident's content (its owner, or an authority analyst of its country
    completing it); links given are added to the existing ones, none is removed."""
    incidents_service.update_incident(session, principal, incident_id, data=data)
    return incident_read(incidents_service.incident_detail(session, principal, incident_id))


@router.post(
    "/{incident_id:int}/finalise",
    response_model=IncidentRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def finalise_incident(
    incident_id: PathId, session: DbSession, principal: ApiPrincipal
) -> IncidentRead:
    """Mark a draft final."""
    incidents_service.finalise_incident(session, principal, incident_id)
    return incident_read(incidents_service.incident_detail(session, principal, incident_id))


@router.get(
    "/{incident_id:int}/timeline",
    response_model=list[TimelineEntry],
    responses=problem_responses(401, 404, 422),
)
def incident_timeline(
    incident_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[TimelineEntry]:
    """The incident's changes, oldest first."""
    return [
        TimelineEntry(**vars(item))
        for item in incidents_service.incident_timeline(session, principal, incident_id)
    ]


@router.post(
    "/{incident_id:int}/restrict",
    response_model=RestrictResult,
    responses=problem_responses(401, 403, 404, 422),
)
def restrict_parties(
    incident_id: PathId, data: RestrictRequest, session: DbSession, principal: ApiPrincipal
) -> RestrictResult:
    """Add the incident's companies and persons to a restricted list of the caller's authority."""
    done = incidents_service.restrict_parties(
        session, principal, incident_id, list_name=data.list_name
    )
    return RestrictResult(list_name=done.list_name, version=done.version, added=done.added)


@router.get(
    "/{incident_id:int}/attachments",
    response_model=list[AttachmentRead],
    responses=problem_responses(401, 404, 422),
)
def list_attachments(
    incident_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[AttachmentRead]:
    """The attachments of an incident the caller may read."""
    detail = incidents_service.incident_detail(session, principal, incident_id)
    return [AttachmentRead.model_validate(a) for a in detail.attachments]


@router.post(
    "/{incident_id:int}/attachments",
    response_model=AttachmentRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def add_attachment(
    incident_id: PathId,
    file: Annotated[
        UploadFile, File(description="PDF, PNG or JPEG, at most PRECX_ATTACHMENT_MAX_BYTES.")
    ],
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
) -> AttachmentRead:
    """Attach a file to an incident the caller may change."""
    limit = attachment_limit(request)
    return AttachmentRead.model_validate(
        incidents_service.add_attachment(
            session,
            principal,
            incident_id,
            filename=file.filename or "file",
            content=read_upload(file, limit),
            max_bytes=limit,
        )
    )


@router.get(
    "/{incident_id:int}/attachments/{attachment_id:int}",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problem_responses(401, 404, 422),
    },
)
def download_attachment(
    incident_id: PathId, attachment_id: PathId, session: DbSession, principal: ApiPrincipal
) -> Response:
    """Download an attachment (always as a file, never shown inline)."""
    found = incidents_service.get_attachment(session, principal, incident_id, attachment_id)
    return attachment_response(found.filename, found.content_type, found.content)


# --- Alerts ---------------------------------------------------------------------------------


def alert_read(session: DbSession, principal: Principal, alert: IndustryAlert) -> AlertRead:
    """The API form of an alert, with the links its reader may follow."""
    links, _hidden = incidents_service.visible_links(session, principal, "industry_alert", alert.id)
    read = alert.id in incidents_service.read_alert_ids(session, principal, [alert.id])
    return AlertRead(
        id=alert.id,
        status=alert.status,
        title=alert.title,
        watch_for=alert.watch_for,
        substances=list(alert.substances),
        countries=list(alert.countries),
        indicators=list(alert.indicators),
        severity=alert.severity,
        expires_on=alert.expires_on,
        distribution=alert.distribution,
        tlp=alert.tlp,
        owner_organisation_id=alert.owner_organisation_id,
        created_at=alert.created_at,
        published_at=alert.published_at,
        read=read,
        links=[LinkRead(**vars(link)) for link in links],
    )


@alerts_router.get("", response_model=AlertPage, responses=problem_responses(401, 422))
def list_alerts(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    all: Annotated[
        bool, Query(description="Authorities: also drafts, submitted and expired alerts.")
    ] = False,
    q: Search = None,
) -> AlertPage:
    """The feed: published, unexpired alerts the caller may read, newest first."""
    filters = incidents_service.AlertFilters(feed=not all, q=q)
    page = incidents_service.list_alerts(session, principal, params, filters)
    return AlertPage(
        items=[alert_read(session, principal, a) for a in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@alerts_router.get("/unread", response_model=Count, responses=problem_responses(401))
def unread_alerts(session: DbSession, principal: ApiPrincipal) -> Count:
    """How many alerts of the feed the user has not marked read."""
    return Count(count=incidents_service.unread_count(session, principal))


@alerts_router.post(
    "", response_model=AlertRead, status_code=201, responses=problem_responses(401, 403, 422)
)
def draft_alert(data: AlertCreate, session: DbSession, principal: ApiPrincipal) -> AlertRead:
    """Draft an industry alert (authorities); a second officer approves it before publication."""
    alert = incidents_service.draft_alert(session, principal, data=data)
    return alert_read(session, principal, alert)


@alerts_router.get(
    "/{alert_id:int}", response_model=AlertRead, responses=problem_responses(401, 404, 422)
)
def get_alert(alert_id: PathId, session: DbSession, principal: ApiPrincipal) -> AlertRead:
    """One alert; drafts exist only for authorities."""
    return alert_read(session, principal, incidents_service.get_alert(session, principal, alert_id))


@alerts_router.post(
    "/{alert_id:int}/submit",
    response_model=AlertRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def submit_alert(alert_id: PathId, session: DbSession, principal: ApiPrincipal) -> AlertRead:
    """Ask a second officer to approve the draft."""
    return alert_read(
        session, principal, incidents_service.submit_alert(session, principal, alert_id)
    )


@alerts_router.post(
    "/{alert_id:int}/approve",
    response_model=AlertRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def approve_alert(alert_id: PathId, session: DbSession, principal: ApiPrincipal) -> AlertRead:
    """Approve and publish (a second officer; the author is refused)."""
    return alert_read(
        session, principal, incidents_service.approve_alert(session, principal, alert_id)
    )


@alerts_router.post(
    "/{alert_id:int}/read", status_code=204, responses=problem_responses(401, 404, 422)
)
def mark_read(alert_id: PathId, session: DbSession, principal: ApiPrincipal) -> Response:
    """Mark the alert read for the caller."""
    incidents_service.mark_alert_read(session, principal, alert_id)
    return Response(status_code=204)


@alerts_router.post(
    "/{alert_id:int}/sightings",
    response_model=SightingRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def record_sighting(
    alert_id: PathId, data: SightingCreate, session: DbSession, principal: ApiPrincipal
) -> SightingRead:
    """ "We saw this": tells the alert's authority only."""
    return SightingRead.model_validate(
        incidents_service.record_sighting(session, principal, alert_id, data=data)
    )


@alerts_router.get(
    "/{alert_id:int}/sightings",
    response_model=list[SightingRead],
    responses=problem_responses(401, 404, 422),
)
def alert_sightings(
    alert_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[SightingRead]:
    """Sightings of an alert the caller may read: its own, or all of its authority's alert."""
    alert = incidents_service.get_alert(session, principal, alert_id)
    return [
        SightingRead.model_validate(s)
        for s in incidents_service.list_sightings(session, principal, alert_id=alert.id)
    ]


@sightings_router.get(
    "/{sighting_id:int}", response_model=SightingRead, responses=problem_responses(401, 404, 422)
)
def get_sighting(sighting_id: PathId, session: DbSession, principal: ApiPrincipal) -> SightingRead:
    """One sighting: its organisation's and the alert authority's only."""
    return SightingRead.model_validate(
        incidents_service.get_sighting(session, principal, sighting_id)
    )
