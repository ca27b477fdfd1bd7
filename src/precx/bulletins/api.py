"""REST routes of bulletins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from precx.accounts.auth import ApiPrincipal
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate, BulletinPage, BulletinRead, Count
from precx.db import DbSession
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import problem_responses
from precx.kit.tabular import csv_response

router = APIRouter(prefix="/api/v1/bulletins", tags=["bulletins"])

Search = Annotated[str | None, Query(max_length=200, description="Words in title or body.")]


@router.get("", response_model=BulletinPage, responses=problem_responses(401, 422))
def list_bulletins(
    session: DbSession,
    principal: ApiPrincipal,
    params: Annotated[PageParams, Query()],
    q: Search = None,
) -> BulletinPage:
    """Bulletins the caller may read, newest first; `q` searches, `sort` orders."""
    page = bulletins_service.list_bulletins(session, principal, params, q=q)
    return BulletinPage(
        items=[BulletinRead.model_validate(b) for b in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
    )


@router.get("/count", response_model=Count, responses=problem_responses(401, 422))
def count_bulletins(session: DbSession, principal: ApiPrincipal, q: Search = None) -> Count:
    """How many bulletins the caller may read."""
    return Count(count=bulletins_service.count_bulletins(session, principal, q=q))


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 422)},
)
def export_bulletins(session: DbSession, principal: ApiPrincipal, q: Search = None) -> Response:
    """The bulletins the caller may read as CSV, each row with its TLP marking."""
    rows = bulletins_service.export_rows(session, principal, q=q)
    return csv_response("bulletins.csv", bulletins_service.EXPORT_COLUMNS, rows)


@router.get(
    "/{bulletin_id}", response_model=BulletinRead, responses=problem_responses(401, 404, 422)
)
def get_bulletin(bulletin_id: PathId, session: DbSession, principal: ApiPrincipal) -> BulletinRead:
    """One bulletin; 404 when it does not exist or the caller may not read it."""
    return BulletinRead.model_validate(
        bulletins_service.get_bulletin(session, principal, bulletin_id)
    )


@router.post(
    "", response_model=BulletinRead, status_code=201, responses=problem_responses(401, 403, 422)
)
def post_bulletin(
    data: BulletinCreate, session: DbSession, principal: ApiPrincipal
) -> BulletinRead:
    """Post a bulletin under a distribution and TLP marking."""
    return BulletinRead.model_validate(
        bulletins_service.post_bulletin(session, principal, data=data)
    )
