"""Web pages of screening: upload orders and watch progress, results, one result, watchlists."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.db import DbSession
from precx.kit.i18n import Message, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError, InvalidInput
from precx.screening import service as screening_service
from precx.screening import worker
from precx.screening.api import MAX_UPLOAD_BYTES, import_upload
from precx.screening.schemas import ThresholdSettings
from precx.web.lists import listed_by_substance, without_parameter
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

UPLOAD_DIR = Path(tempfile.gettempdir()) / "precx-orders"
DECISIONS = ("clear", "review", "report")


def _clean(value: str | None, allowed: tuple[str, ...] | None = None) -> str | None:
    if not value:
        return None
    if allowed is not None and value not in allowed:
        return None
    return value


@router.get("/screening", response_class=HTMLResponse)
def screening_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
    decision: Annotated[str | None, Query(max_length=10)] = None,
    substance: Annotated[str | None, Query(max_length=80)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    batch: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Upload a file of orders; the screenings the user may read, filtered, with a chart."""
    filters = screening_service.ScreeningFilters(
        q=_clean(q),
        decision=_clean(decision, DECISIONS),
        substance_id=_clean(substance),
        country=_clean(country.upper() if country else None),
        batch_id=batch,
    )
    params = PageParams(page=page, per_page=25, sort=sort)
    listed, filters, error = listed_by_substance(
        lambda chosen: screening_service.list_screenings(session, principal, params, chosen),
        filters,
    )
    query = request.url.query
    counts = screening_service.decision_counts(
        session, principal, screening_service.ScreeningFilters(batch_id=batch)
    )
    return render(
        request,
        "screening/list.html",
        {
            "screenings": listed,
            "error": error,
            "substance": substance or "",
            "counts": counts,
            "filters": filters,
            "sort": sort or "",
            "thresholds": screening_service.get_thresholds(session, principal),
            "lists": screening_service.list_watchlists(session, principal),
            "query": without_parameter(query, "substance") if error else query,
        },
        principal=principal,
    )


@router.post("/screening/upload", response_class=HTMLResponse)
def upload_orders(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Take a file of orders and screen it in the background; show its progress."""
    name = Path(file.filename or "").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        return redirect("/screening", Message("Upload orders as a .csv or .xlsx file."), "error")
    batch = screening_service.start_batch(session, principal, filename=name)
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    # A folder of its own, so that the file keeps the name the user gave it (errors name the
    # file) and two processes' batches of one number (two databases) never meet.
    target = Path(tempfile.mkdtemp(prefix=f"batch-{batch.id}-", dir=UPLOAD_DIR)) / name
    size = 0
    with target.open("wb") as out:
        while chunk := file.file.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                target.unlink(missing_ok=True)
                raise InvalidInput(
                    Message(
                        "The file is larger than %(size)s MB; split it.",
                        size=MAX_UPLOAD_BYTES // 2**20,
                    ),
                    errors=[("file", Message("too large"))],
                )
            out.write(chunk)
    worker.start(request.app.state.session_factory, principal, batch.id, target)
    return redirect(f"/screening/batches/{batch.id}")


@router.get("/screening/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(
    batch_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """A file being screened: its progress, then where its results are."""
    batch = screening_service.get_batch(session, principal, batch_id)
    return render(
        request,
        "screening/batch.html",
        {"batch": batch, "live": worker.progress(batch.id)},
        principal=principal,
    )


@router.get("/screening/batches/{batch_id}/progress", response_class=HTMLResponse)
def batch_progress(
    batch_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The progress fragment the batch page polls."""
    batch = screening_service.get_batch(session, principal, batch_id)
    return render(
        request,
        "screening/_progress.html",
        {"batch": batch, "live": worker.progress(batch.id)},
        principal=principal,
    )


@router.post("/screening/settings", response_class=HTMLResponse)
def save_thresholds(
    session: DbSession,
    principal: WebPrincipal,
    review_threshold: Annotated[str, Form(max_length=5)] = "",
    report_threshold: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Save the organisation's decision thresholds."""
    try:
        data = ThresholdSettings(
            review_threshold=int(review_threshold) if review_threshold.isdigit() else 0,
            report_threshold=int(report_threshold) if report_threshold.isdigit() else 0,
        )
        screening_service.set_thresholds(session, principal, data=data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = field_message(first)
        if first["loc"]:
            message = Message("%(field)s: %(message)s", field=str(first["loc"][0]), message=message)
        return redirect(
            "/screening", Message("Thresholds not saved: %(message)s", message=message), "error"
        )
    except DomainError as exc:
        return redirect("/screening", exc.detail, "error")
    return redirect("/screening", Message("The thresholds have been saved."), "success")


@router.get("/screening/restricted-hits", response_class=HTMLResponse)
def restricted_hits(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Customers of other organisations that matched the caller's restricted lists."""
    listed = screening_service.list_restricted_hits(
        session, principal, PageParams(page=page, per_page=50)
    )
    names = accounts_service.organisation_names(
        session, {h.screened_by_organisation_id for h in listed.items}
    )
    return render(
        request,
        "screening/restricted_hits.html",
        {"hits": listed, "names": names},
        principal=principal,
    )


@router.get("/screening/{screening_id}", response_class=HTMLResponse)
def screening_detail(
    screening_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One screening with every finding and hit explained."""
    found = screening_service.get_screening(session, principal, screening_id)
    return render(request, "screening/detail.html", {"s": found}, principal=principal)


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The lists screening uses; authorities and the operator import new versions here."""
    may_import = (
        principal.can_write
        and not principal.reads_only_own
        and (principal.is_authority or principal.organisation_kind.value == "platform")
    )
    return render(
        request,
        "screening/watchlists.html",
        {
            "lists": screening_service.list_watchlists(session, principal),
            "may_import": may_import,
            "formats": screening_service.FORMATS,
        },
        principal=principal,
    )


@router.post("/watchlists/import", response_class=HTMLResponse)
def import_watchlist(
    session: DbSession,
    principal: WebPrincipal,
    file: Annotated[UploadFile, File()],
    list_name: Annotated[str, Form(max_length=100)] = "",
    format: Annotated[str, Form(max_length=10)] = "csv",
    restricted: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Import a new version of a list, or say on which line of the file it failed."""
    try:
        version = import_upload(
            session, principal, list_name, file, format, restricted in ("on", "true", "1")
        )
    except DomainError as exc:
        return redirect(
            "/watchlists", Message("Not imported: %(detail)s", detail=exc.detail), "error"
        )
    return redirect(
        f"/watchlists/{list_name}",
        Message(
            "Version %(version)s imported: %(count)s entities.",
            version=version.version,
            count=version.entity_count,
        ),
        "success",
    )


@router.get("/watchlists/{name}", response_class=HTMLResponse)
def watchlist_page(
    name: str,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Annotated[str | None, Query(max_length=200)] = None,
    program: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """A list's entities, searchable, with its version history."""
    params = PageParams(page=page, per_page=50)
    entities = screening_service.list_entities(
        session, principal, name, params, q=q or None, program=program or None
    )
    return render(
        request,
        "screening/watchlist.html",
        {
            "name": name,
            "entities": entities,
            "versions": screening_service.list_versions(session, principal, name),
            "q": q or "",
            "program": program or "",
        },
        principal=principal,
    )
