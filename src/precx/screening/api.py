"""REST routes of screening: screen orders, read stored screenings, keep watchlists."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from precx.accounts.auth import ApiPrincipal
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import InvalidInput, problem_responses
from precx.kit.tabular import csv_response, xlsx_response
from precx.screening import service as screening_service
from precx.screening.schemas import (
    Count,
    RestrictedHitRead,
    ScreeningOutcome,
    ScreeningPage,
    ScreeningRead,
    ScreeningRequest,
    ScreeningResponse,
    ThresholdSettings,
    WatchlistEntityPage,
    WatchlistEntityRead,
    WatchlistRead,
    WatchlistVersionRead,
)

router = APIRouter(prefix="/api/v1", tags=["screening"])

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@router.post(
    "/screenings",
    response_model=ScreeningResponse,
    responses=problem_responses(401, 403, 422),
)
def screen_orders(
    data: ScreeningRequest, session: DbSession, principal: ApiPrincipal, response: Response
) -> ScreeningResponse:
    """Screen one order or up to 1,000; stored (201) unless `store` is false (200)."""
    screened = screening_service.screen_orders(
        session,
        principal,
        ((n, order) for n, order in enumerate(data.orders)),
        store=data.store,
        filename="orders",
        distribution=data.distribution,
        tlp=data.tlp,
        sharing_group_id=data.sharing_group_id,
    )
    response.status_code = 201 if data.store else 200
    return ScreeningResponse(
        results=[
            ScreeningOutcome(**s.result.to_dict(), screening_id=s.screening_id) for s in screened
        ],
        stored=data.store,
    )


def _filter_args(
    q: str | None,
    decision: str | None,
    substance: str | None,
    country: str | None,
    batch: int | None,
) -> screening_service.ScreeningFilters:
    return screening_service.ScreeningFilters(q, decision, substance, country, batch)


Q = Annotated[str | None, Query(max_length=200, description="Customer name or order id.")]
DecisionQ = Annotated[str | None, Query(pattern="^(clear|review|report)$")]
SubstanceQ = Annotated[
    str | None,
    Query(max_length=80, description="A substance: catalog id, CAS number, HS code or name."),
]
CountryQ = Annotated[str | None, Query(min_length=2, max_length=2)]
BatchQ = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/screenings", response_model=ScreeningPage, responses=problem_responses(401, 422))
def list_screenings(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    q: Q = None,
    decision: DecisionQ = None,
    substance: SubstanceQ = None,
    country: CountryQ = None,
    batch: BatchQ = None,
) -> ScreeningPage:
    """Stored screenings the caller may read, newest first; filters narrow, `sort` orders."""
    page = screening_service.list_screenings(
        session, principal, params, _filter_args(q, decision, substance, country, batch)
    )
    return ScreeningPage(
        items=[ScreeningRead.model_validate(s) for s in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/screenings/count", response_model=Count, responses=problem_responses(401, 422))
def count_screenings(
    session: DbSession,
    principal: ApiPrincipal,
    q: Q = None,
    decision: DecisionQ = None,
    substance: SubstanceQ = None,
    country: CountryQ = None,
    batch: BatchQ = None,
) -> Count:
    """How many screenings the caller may read."""
    filters = _filter_args(q, decision, substance, country, batch)
    return Count(count=screening_service.count_screenings(session, principal, filters))


@router.get(
    "/screenings/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 422)},
)
def export_csv(
    session: DbSession,
    principal: ApiPrincipal,
    q: Q = None,
    decision: DecisionQ = None,
    substance: SubstanceQ = None,
    country: CountryQ = None,
    batch: BatchQ = None,
) -> Response:
    """The screenings the caller may read as CSV, each row with its TLP marking."""
    filters = _filter_args(q, decision, substance, country, batch)
    rows = screening_service.export_rows(session, principal, filters)
    return csv_response("screenings.csv", screening_service.EXPORT_COLUMNS, rows)


@router.get(
    "/screenings/export.xlsx",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **problem_responses(401, 422),
    },
)
def export_xlsx(
    session: DbSession,
    principal: ApiPrincipal,
    q: Q = None,
    decision: DecisionQ = None,
    substance: SubstanceQ = None,
    country: CountryQ = None,
    batch: BatchQ = None,
) -> Response:
    """The screenings the caller may read as an XLSX workbook."""
    filters = _filter_args(q, decision, substance, country, batch)
    rows = screening_service.export_rows(session, principal, filters)
    return xlsx_response("screenings.xlsx", screening_service.EXPORT_COLUMNS, rows)


@router.get(
    "/screenings/settings",
    response_model=ThresholdSettings,
    responses=problem_responses(401),
)
def get_settings(session: DbSession, principal: ApiPrincipal) -> ThresholdSettings:
    """The organisation's decision thresholds."""
    return screening_service.get_thresholds(session, principal)


@router.put(
    "/screenings/settings",
    response_model=ThresholdSettings,
    responses=problem_responses(401, 403, 422),
)
def put_settings(
    data: ThresholdSettings, session: DbSession, principal: ApiPrincipal
) -> ThresholdSettings:
    """Set the organisation's decision thresholds (admins)."""
    return screening_service.set_thresholds(session, principal, data=data)


@router.get(
    "/screenings/{screening_id}",
    response_model=ScreeningRead,
    responses=problem_responses(401, 404, 422),
)
def get_screening(
    screening_id: PathId, session: DbSession, principal: ApiPrincipal
) -> ScreeningRead:
    """One stored screening; 404 when it does not exist or the caller may not read it."""
    return ScreeningRead.model_validate(
        screening_service.get_screening(session, principal, screening_id)
    )


@router.get(
    "/restricted-hits",
    response_model=list[RestrictedHitRead],
    responses=problem_responses(401, 422),
)
def restricted_hits(
    session: DbSession, principal: ApiPrincipal, params: Annotated[PageParams, Query()]
) -> list[RestrictedHitRead]:
    """Restricted hits on the caller's lists (authorities keeping restricted lists)."""
    page = screening_service.list_restricted_hits(session, principal, params)
    return [RestrictedHitRead.model_validate(h) for h in page.items]


# --- Watchlists ----------------------------------------------------------------------------

ListName = Annotated[str, Query(min_length=1, max_length=100)]


@router.get("/watchlists", response_model=list[WatchlistRead], responses=problem_responses(401))
def list_watchlists(session: DbSession, principal: ApiPrincipal) -> list[WatchlistRead]:
    """The lists the caller may know of, with their current version."""
    return [
        WatchlistRead(**w.__dict__) for w in screening_service.list_watchlists(session, principal)
    ]


@router.get(
    "/watchlists/{name}/versions",
    response_model=list[WatchlistVersionRead],
    responses=problem_responses(401, 404),
)
def list_versions(
    name: str, session: DbSession, principal: ApiPrincipal
) -> list[WatchlistVersionRead]:
    """Every import of a list, newest first."""
    return [
        WatchlistVersionRead.model_validate(v)
        for v in screening_service.list_versions(session, principal, name)
    ]


@router.get(
    "/watchlists/{name}/entities",
    response_model=WatchlistEntityPage,
    responses=problem_responses(401, 404, 422),
)
def list_entities(
    name: str,
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    q: Annotated[str | None, Query(max_length=200)] = None,
    program: Annotated[str | None, Query(max_length=40, description="e.g. SDNTK")] = None,
) -> WatchlistEntityPage:
    """A page of a list's current entities; `program` keeps one sanctions programme."""
    page = screening_service.list_entities(session, principal, name, params, q=q, program=program)
    return WatchlistEntityPage(
        items=[WatchlistEntityRead.model_validate(e) for e in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.post(
    "/watchlists/{name}/import",
    response_model=WatchlistVersionRead,
    status_code=201,
    responses=problem_responses(401, 403, 413, 422),
)
def import_watchlist(
    name: str,
    session: DbSession,
    principal: ApiPrincipal,
    file: Annotated[UploadFile, File(description="The list file (csv or ftm JSON lines).")],
    format: Annotated[str, Form(pattern="^(csv|ftm|ofac-sdn)$")] = "csv",
    restricted: Annotated[bool, Form()] = False,
) -> WatchlistVersionRead:
    """Replace a list's content with a file, as a new version (all or nothing)."""
    return import_upload(session, principal, name, file, format, restricted)


def import_upload(
    session: DbSession,
    principal: ApiPrincipal,
    name: str,
    file: UploadFile,
    format: str,
    restricted: bool,
) -> WatchlistVersionRead:
    """Spool an uploaded list to a temporary file and import it (shared with the web page)."""
    filename = Path(file.filename or "upload").name
    with tempfile.TemporaryDirectory(prefix="precx-watchlist-") as folder:
        target = Path(folder) / (filename if format != "ofac-sdn" else "sdn.csv")
        size = 0
        with target.open("wb") as out:
            while chunk := file.file.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise InvalidInput(
                        f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.",
                        errors=[("file", "too large")],
                    )
                out.write(chunk)
        version = screening_service.import_watchlist(
            session,
            principal,
            path=target,
            format=format,
            name=name,
            restricted=restricted,
            filename=filename,
        )
        return WatchlistVersionRead.model_validate(version)
