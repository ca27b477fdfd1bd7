"""REST routes of licensing: the register, its import and export, verification and ALR."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from precx.accounts.auth import ApiPrincipal, settings_of
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import InvalidInput, problem_responses
from precx.kit.tabular import csv_response, xlsx_response
from precx.licensing import service as licensing_service
from precx.licensing.schemas import (
    ImportReport,
    LicenceAmend,
    LicenceCreate,
    LicencePage,
    LicenceRead,
    LicenceRenew,
    LicenceVerification,
    LicenceVersionRead,
    RequirementChangeRead,
    RequirementRead,
    RequirementSet,
    StatusChange,
    VerificationLogRead,
)

router = APIRouter(prefix="/api/v1", tags=["licensing"])

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

Q = Annotated[str | None, Query(max_length=200, description="Words in number or holder name.")]
StatusQ = Annotated[
    str | None, Query(pattern="^(active|expired|suspended|revoked)$", description="Status today.")
]
KindQ = Annotated[str | None, Query(pattern="^(licence|registration)$")]
SubstanceQ = Annotated[
    str | None, Query(max_length=200, description="Catalog id, CAS number or name.")
]
HolderQ = Annotated[str | None, Query(max_length=200, description="Holder name or number.")]
CountryQ = Annotated[str | None, Query(min_length=2, max_length=2)]


def _filters(
    q: str | None,
    status: str | None,
    kind: str | None,
    substance: str | None,
    holder: str | None,
    country: str | None,
) -> licensing_service.RegisterFilter:
    return licensing_service.RegisterFilter(
        q=q or None,
        status=status or None,
        kind=kind or None,
        substance=substance or None,
        holder=holder or None,
        country=country or None,
    )


def read_upload(file: UploadFile) -> tuple[str, bytes]:
    """The name and bytes of an uploaded table, refused beyond the size limit."""
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.",
            errors=[("file", "too large")],
        )
    return file.filename or "upload.csv", content


@router.get(
    "/licences/verify",
    response_model=LicenceVerification,
    responses=problem_responses(401, 422, 429),
)
def verify_licence(
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
    country: Annotated[str, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")],
    number: Annotated[str, Query(min_length=1, max_length=60)],
    substance: SubstanceQ = None,
    activity: Annotated[str | None, Query(max_length=40)] = None,
) -> LicenceVerification:
    """Whether a licence or registration is valid: status, holder, validity and nothing more."""
    licensing_service.check_verify_rate(
        session, principal, per_minute=settings_of(request).verify_rate_per_minute
    )
    return licensing_service.verify(
        session,
        principal,
        country=country,
        number=number,
        substance=substance or None,
        activity=activity or None,
    )


@router.get(
    "/licences/verifications",
    response_model=list[VerificationLogRead],
    responses=problem_responses(401, 403, 422),
)
def list_verifications(
    session: DbSession, principal: ApiPrincipal, params: Annotated[PageParams, Query()]
) -> list[VerificationLogRead]:
    """Who verified the licence numbers of the caller's country (licensing authorities only)."""
    page = licensing_service.list_verifications(session, principal, params)
    orgs, users = licensing_service.verifier_names(session, page.items)
    return [
        VerificationLogRead(
            id=e.id,
            country=e.country,
            number=e.number,
            substance=e.substance,
            activity=e.activity,
            answer=e.answer,
            verified_by_organisation=orgs.get(e.verified_by_organisation_id, ""),
            verified_by=users.get(e.verified_by_id, ""),
            verified_at=e.verified_at,
        )
        for e in page.items
    ]


@router.get("/licences", response_model=LicencePage, responses=problem_responses(401, 422))
def list_licences(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    q: Q = None,
    status: StatusQ = None,
    kind: KindQ = None,
    substance: SubstanceQ = None,
    holder: HolderQ = None,
    country: CountryQ = None,
) -> LicencePage:
    """The register: every licence for authorities, the caller's own licences for others."""
    filters = _filters(q, status, kind, substance, holder, country)
    page = licensing_service.list_licences(session, principal, params, filters)
    return LicencePage(
        items=[LicenceRead.model_validate(licence) for licence in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get(
    "/licences/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 422)},
)
def export_csv(
    session: DbSession,
    principal: ApiPrincipal,
    q: Q = None,
    status: StatusQ = None,
    kind: KindQ = None,
    substance: SubstanceQ = None,
    holder: HolderQ = None,
    country: CountryQ = None,
) -> Response:
    """The licences the caller may read as CSV, in the columns an import takes."""
    filters = _filters(q, status, kind, substance, holder, country)
    rows = licensing_service.export_rows(session, principal, filters)
    return csv_response("licences.csv", licensing_service.EXPORT_COLUMNS, rows)


@router.get(
    "/licences/export.xlsx",
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
    status: StatusQ = None,
    kind: KindQ = None,
    substance: SubstanceQ = None,
    holder: HolderQ = None,
    country: CountryQ = None,
) -> Response:
    """The licences the caller may read as an XLSX workbook."""
    filters = _filters(q, status, kind, substance, holder, country)
    rows = licensing_service.export_rows(session, principal, filters)
    return xlsx_response("licences.xlsx", licensing_service.EXPORT_COLUMNS, rows)


@router.post(
    "/licences/import",
    response_model=ImportReport,
    responses=problem_responses(401, 403, 422),
)
def import_licences(
    session: DbSession,
    principal: ApiPrincipal,
    file: Annotated[UploadFile, File(description="A CSV or XLSX table of the register.")],
) -> ImportReport:
    """Create or amend licences from a table, all or nothing; errors name line and column."""
    filename, content = read_upload(file)
    created, updated = licensing_service.import_register_file(
        session, principal, filename=filename, content=content
    )
    return ImportReport(filename=filename, created=created, updated=updated)


@router.post(
    "/licences",
    response_model=LicenceRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def issue_licence(data: LicenceCreate, session: DbSession, principal: ApiPrincipal) -> LicenceRead:
    """Issue a licence or registration (licensing authority of the licence's country)."""
    return LicenceRead.model_validate(
        licensing_service.issue_licence(session, principal, data=data)
    )


@router.get(
    "/licences/{licence_id:int}",
    response_model=LicenceRead,
    responses=problem_responses(401, 404, 422),
)
def get_licence(licence_id: PathId, session: DbSession, principal: ApiPrincipal) -> LicenceRead:
    """One licence; 404 when it does not exist or the caller may not read it."""
    return LicenceRead.model_validate(licensing_service.get_licence(session, principal, licence_id))


@router.get(
    "/licences/{licence_id:int}/history",
    response_model=list[LicenceVersionRead],
    responses=problem_responses(401, 404, 422),
)
def licence_history(
    licence_id: PathId, session: DbSession, principal: ApiPrincipal
) -> list[LicenceVersionRead]:
    """Every change of a licence, oldest first: who, when, what."""
    return [
        LicenceVersionRead.model_validate(v)
        for v in licensing_service.licence_history(session, principal, licence_id)
    ]


@router.put(
    "/licences/{licence_id:int}",
    response_model=LicenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def amend_licence(
    licence_id: PathId, data: LicenceAmend, session: DbSession, principal: ApiPrincipal
) -> LicenceRead:
    """Amend a licence's terms."""
    return LicenceRead.model_validate(
        licensing_service.amend_licence(session, principal, licence_id, data=data)
    )


@router.post(
    "/licences/{licence_id:int}/suspend",
    response_model=LicenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def suspend_licence(
    licence_id: PathId, data: StatusChange, session: DbSession, principal: ApiPrincipal
) -> LicenceRead:
    """Suspend an active licence."""
    return LicenceRead.model_validate(
        licensing_service.suspend_licence(session, principal, licence_id, data=data)
    )


@router.post(
    "/licences/{licence_id:int}/reinstate",
    response_model=LicenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def reinstate_licence(
    licence_id: PathId, data: StatusChange, session: DbSession, principal: ApiPrincipal
) -> LicenceRead:
    """Lift a licence's suspension."""
    return LicenceRead.model_validate(
        licensing_service.reinstate_licence(session, principal, licence_id, data=data)
    )


@router.post(
    "/licences/{licence_id:int}/revoke",
    response_model=LicenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def revoke_licence(
    licence_id: PathId, data: StatusChange, session: DbSession, principal: ApiPrincipal
) -> LicenceRead:
    """Revoke a licence for good."""
    return LicenceRead.model_validate(
        licensing_service.revoke_licence(session, principal, licence_id, data=data)
    )


@router.post(
    "/licences/{licence_id:int}/renew",
    response_model=LicenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def renew_licence(
    licence_id: PathId, data: LicenceRenew, session: DbSession, principal: ApiPrincipal
) -> LicenceRead:
    """Extend a licence's validity."""
    return LicenceRead.model_validate(
        licensing_service.renew_licence(session, principal, licence_id, data=data)
    )


@router.get("/alr", response_model=list[RequirementRead], responses=problem_responses(401, 422))
def list_requirements(
    session: DbSession,
    principal: ApiPrincipal,
    country: CountryQ = None,
    substance: SubstanceQ = None,
) -> list[RequirementRead]:
    """Annual legitimate requirements in kg per year (public INCB figures)."""
    return [
        RequirementRead.model_validate(r)
        for r in licensing_service.list_requirements(
            session, country=country or None, substance=substance or None
        )
    ]


@router.get(
    "/alr/history",
    response_model=list[RequirementChangeRead],
    responses=problem_responses(401, 422),
)
def requirement_history(
    session: DbSession, principal: ApiPrincipal, country: CountryQ = None
) -> list[RequirementChangeRead]:
    """Changes of annual legitimate requirements, newest first."""
    return [
        RequirementChangeRead.model_validate(c)
        for c in licensing_service.requirement_history(session, country=country or None)
    ]


@router.put(
    "/alr",
    response_model=list[RequirementRead],
    responses=problem_responses(401, 403, 422),
)
def set_requirement(
    data: RequirementSet, session: DbSession, principal: ApiPrincipal
) -> list[RequirementRead]:
    """Set a country's requirement of a substance (its licensing authority only)."""
    licensing_service.set_requirement(session, principal, data=data)
    return [
        RequirementRead.model_validate(r)
        for r in licensing_service.list_requirements(
            session, country=data.country, substance=data.substance
        )
    ]


@router.post(
    "/alr/import",
    response_model=ImportReport,
    responses=problem_responses(401, 403, 422),
)
def import_requirements(
    session: DbSession,
    principal: ApiPrincipal,
    file: Annotated[UploadFile, File(description="CSV or XLSX: country, substance, quantity_kg.")],
) -> ImportReport:
    """Load a table of annual legitimate requirements, all or nothing."""
    filename, content = read_upload(file)
    changed = licensing_service.import_requirements(
        session, principal, filename=filename, content=content
    )
    return ImportReport(filename=filename, created=0, updated=changed)
