"""REST routes of the catalog: identify substances, judge mixtures, read countries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from precx.accounts.auth import ApiPrincipal
from precx.catalog import service as catalog_service
from precx.catalog.schemas import (
    CountryRead,
    CountrySummary,
    EuCategory,
    MixtureAssessment,
    OsceStatus,
    PenRequirementRead,
    PenRequirementSet,
    SubstanceRead,
    SubstanceSearch,
    UnTable,
)
from precx.db import DbSession
from precx.kit.problems import problem_responses

router = APIRouter(prefix="/api/v1", tags=["catalog"])

SubstanceId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")]
CountryCode = Annotated[str, Path(min_length=2, max_length=60)]


@router.get("/substances", response_model=SubstanceSearch, responses=problem_responses(401, 422))
def substances(
    session: DbSession,
    principal: ApiPrincipal,
    q: Annotated[str | None, Query(max_length=200, description="CAS, HS/CN code or name.")] = None,
    un_table: UnTable | None = None,
    eu_category: EuCategory | None = None,
    watched: bool | None = None,
) -> SubstanceSearch:
    """Identify a substance (`q`), or list the catalog filtered by table, category or watch."""
    if q is not None and q.strip():
        found = catalog_service.identify(session, q)
        return SubstanceSearch(
            query=q,
            identified=found.identified,
            ambiguous=found.ambiguous,
            candidates=found.candidates,
        )
    items = catalog_service.list_substances(
        session, un_table=un_table, eu_category=eu_category, watched=watched
    )
    return SubstanceSearch(items=items)


@router.get(
    "/substances/{substance_id}",
    response_model=SubstanceRead,
    responses=problem_responses(401, 404, 422),
)
def substance(
    substance_id: SubstanceId, session: DbSession, principal: ApiPrincipal
) -> SubstanceRead:
    """One substance with its codes, names, controls, thresholds and sources."""
    return catalog_service.get_substance(session, substance_id)


@router.get(
    "/substances/{substance_id}/mixture",
    response_model=MixtureAssessment,
    responses=problem_responses(401, 404, 422),
)
def mixture(
    substance_id: SubstanceId,
    session: DbSession,
    principal: ApiPrincipal,
    concentration: Annotated[float, Query(ge=0, le=100, description="Percent by weight.")],
) -> MixtureAssessment:
    """Whether a mixture with this concentration of the substance is controlled, and why."""
    return catalog_service.assess_mixture(session, substance_id, concentration)


@router.get("/countries", response_model=list[CountrySummary], responses=problem_responses(401))
def countries(
    session: DbSession, principal: ApiPrincipal, osce_status: OsceStatus | None = None
) -> list[CountrySummary]:
    """Every ISO 3166-1 country, or those of one OSCE status."""
    return [
        CountrySummary.model_validate(c)
        for c in catalog_service.list_countries(session, osce_status=osce_status)
    ]


@router.get(
    "/countries/{code}", response_model=CountryRead, responses=problem_responses(401, 404, 422)
)
def country(code: CountryCode, session: DbSession, principal: ApiPrincipal) -> CountryRead:
    """A country by ISO alpha-2, alpha-3 or name."""
    return catalog_service.get_country(session, code)


@router.put(
    "/countries/{code}/pen-requirements/{substance_id}",
    response_model=PenRequirementRead,
    responses=problem_responses(401, 403, 404, 422),
)
def set_pen_requirement(
    code: CountryCode,
    substance_id: SubstanceId,
    data: PenRequirementSet,
    session: DbSession,
    principal: ApiPrincipal,
) -> PenRequirementRead:
    """The country's licensing authority records whether it asks for pre-export notifications."""
    return catalog_service.set_pen_requirement(session, principal, code, substance_id, data=data)
