"""Web pages of incidents (list, map, form, page with timeline) and of industry alerts (feed,
drafting, approval, sightings)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from precx.accounts import service as accounts_service
from precx.accounts.auth import WebPrincipal, csrf_protect
from precx.accounts.principal import Principal
from precx.db import DbSession
from precx.incidents import service as incidents_service
from precx.incidents.schemas import (
    AlertCreate,
    IncidentContent,
    IncidentKind,
    IncidentStatus,
    Indicator,
    IndicatorType,
    Leg,
    PartyKind,
    SightingCreate,
    Unit,
)
from precx.kit.i18n import Message, field_message
from precx.kit.ids import PathId
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError, NotFound
from precx.kit.tabular import csv_response, xlsx_response
from precx.kit.uploads import attachment_limit, attachment_response, read_upload
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution, Tlp
from precx.web.lists import listed_by_substance, without_parameter
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

Text200 = Annotated[str, Form(max_length=300)]
TextLong = Annotated[str, Form(max_length=25_000)]


def _require_reader(principal: Principal) -> None:
    if not incidents_service.reads_incidents(principal):
        raise NotFound(Message("There is nothing at this address."))


# --- Incident list, exports, map ------------------------------------------------------------


def _filters(
    q: str | None,
    kind: str | None,
    status: str | None,
    country: str | None,
    substance: str | None,
    date_from: str | None,
    date_to: str | None,
) -> incidents_service.IncidentFilters:
    def day(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    return incidents_service.IncidentFilters(
        q=q or None,
        kind=kind if kind in {k.value for k in IncidentKind} else None,
        status=status if status in {s.value for s in IncidentStatus} else None,
        country=country.strip().upper()[:2] if country and country.strip() else None,
        substance_id=substance or None,
        date_from=day(date_from),
        date_to=day(date_to),
    )


Q = Annotated[str | None, Query(max_length=200)]
Short = Annotated[str | None, Query(max_length=80)]


@router.get("/incidents", response_class=HTMLResponse)
def incidents(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Q = None,
    kind: Short = None,
    status: Short = None,
    country: Short = None,
    substance: Short = None,
    date_from: Short = None,
    date_to: Short = None,
    sort: Short = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Incidents the user may read, filtered and sorted."""
    _require_reader(principal)
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    params = PageParams(page=page, per_page=25, sort=sort)
    listed, filters, error = listed_by_substance(
        lambda chosen: incidents_service.list_incidents(session, principal, params, chosen),
        filters,
    )
    owners = accounts_service.organisation_names(
        session, {i.owner_organisation_id for i in listed.items}
    )
    query = without_parameter(request.url.query, "substance") if error else request.url.query
    return render(
        request,
        "incidents/list.html",
        {
            "incidents": listed,
            "owners": owners,
            "f": {
                "q": q or "",
                "kind": kind or "",
                "status": status or "",
                "country": country or "",
                "substance": substance or "",
                "date_from": date_from or "",
                "date_to": date_to or "",
            },
            "sort": sort or "",
            "kinds": list(IncidentKind),
            "statuses": list(IncidentStatus),
            "query": query,
            "may_create": incidents_service.may_create_incident(principal),
            "error": error,
        },
        principal=principal,
    )


@router.get("/incidents/export.csv")
def export_csv(
    session: DbSession,
    principal: WebPrincipal,
    q: Q = None,
    kind: Short = None,
    status: Short = None,
    country: Short = None,
    substance: Short = None,
    date_from: Short = None,
    date_to: Short = None,
) -> Response:
    """Download the incidents (matching the filters) as CSV."""
    _require_reader(principal)
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    rows = incidents_service.export_rows(session, principal, filters)
    return csv_response("incidents.csv", incidents_service.EXPORT_COLUMNS, rows)


@router.get("/incidents/export.xlsx")
def export_xlsx(
    session: DbSession,
    principal: WebPrincipal,
    q: Q = None,
    kind: Short = None,
    status: Short = None,
    country: Short = None,
    substance: Short = None,
    date_from: Short = None,
    date_to: Short = None,
) -> Response:
    """Download the incidents (matching the filters) as XLSX."""
    _require_reader(principal)
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    rows = incidents_service.export_rows(session, principal, filters)
    return xlsx_response("incidents.xlsx", incidents_service.EXPORT_COLUMNS, rows)


def _map_csp(tile_url: str) -> str:
    # Tiles come from the configured server only; without one the page loads nothing outside.
    origin = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        origin = f" {parts.scheme}://{host}"
    return (
        f"default-src 'self'; img-src 'self' data:{origin}; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )


@router.get("/incidents/map", response_class=HTMLResponse)
def incidents_map(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    q: Q = None,
    kind: Short = None,
    status: Short = None,
    country: Short = None,
    substance: Short = None,
    date_from: Short = None,
    date_to: Short = None,
) -> HTMLResponse:
    """A map of incident places and routes (country outlines without a tile server)."""
    _require_reader(principal)
    filters = _filters(q, kind, status, country, substance, date_from, date_to)
    points, filters, error = listed_by_substance(
        lambda chosen: incidents_service.map_incidents(session, principal, chosen), filters
    )
    data = [
        {
            "id": p.id,
            "title": p.title,
            "kind": p.kind,
            "status": p.status,
            "country": p.country,
            "lat": p.latitude,
            "lon": p.longitude,
            "route": [c for _leg, c in p.route],
        }
        for p in points
    ]
    tile_url: str = request.app.state.settings.map_tile_url
    response = render(
        request,
        "incidents/map.html",
        {
            "points": json.dumps(data),
            "count": len(data),
            "located": sum(1 for p in points if p.latitude is not None),
            "tile_url": tile_url,
            "query": without_parameter(request.url.query, "substance")
            if error
            else request.url.query,
            "error": error,
        },
        principal=principal,
    )
    response.headers["Content-Security-Policy"] = _map_csp(tile_url)
    return response


# --- Incident form ----------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split(";")]


class FormError(ValueError):
    """A line of a form's text area that cannot be read."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_substances(text: str) -> list[dict[str, Any]]:
    """Lines `substance; quantity; unit; concentration; packaging` (all but the first optional)."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate(_lines(text), start=1):
        cells = _cells(line) + [""] * 5
        entry: dict[str, Any] = {"substance": cells[0]}
        if cells[1]:
            try:
                entry["quantity"] = float(cells[1].replace(",", "."))
            except ValueError as exc:
                raise FormError(
                    "substances",
                    Message(
                        "line %(line)s: %(value)s is not a number", line=n, value=repr(cells[1])
                    ),
                ) from exc
        if cells[2]:
            entry["unit"] = cells[2].lower()
        entry["concentration"] = cells[3]
        entry["packaging"] = cells[4]
        out.append(entry)
    return out


def parse_parties(text: str) -> list[dict[str, Any]]:
    """Lines `kind: value; country; role`, e.g. `company: Nordwind FZE; AE; consignee`."""
    out: list[dict[str, Any]] = []
    kinds = {k.value for k in PartyKind}
    for n, line in enumerate(_lines(text), start=1):
        kind, sep, rest = line.partition(":")
        if not sep or kind.strip().lower() not in kinds:
            raise FormError(
                "parties",
                Message(
                    "line %(line)s: start with one of %(kinds)s:",
                    line=n,
                    kinds=", ".join(sorted(kinds)),
                ),
            )
        cells = _cells(rest) + ["", ""]
        out.append(
            {
                "kind": kind.strip().lower(),
                "value": cells[0],
                "country": cells[1] or None,
                "role": cells[2],
            }
        )
    return out


def parse_route(text: str) -> list[dict[str, Any]]:
    """Lines `leg: country; place`, e.g. `origin: CN; Tianjin`."""
    out: list[dict[str, Any]] = []
    legs = {leg.value for leg in Leg}
    for n, line in enumerate(_lines(text), start=1):
        leg, sep, rest = line.partition(":")
        if not sep or leg.strip().lower() not in legs:
            raise FormError(
                "route",
                Message("line %(line)s: start with origin:, transit: or destination:", line=n),
            )
        cells = _cells(rest) + [""]
        out.append({"leg": leg.strip().lower(), "country": cells[0], "place": cells[1]})
    return out


def parse_links(text: str) -> list[dict[str, Any]]:
    """Lines `record_type id`, e.g. `bulletin 12`."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate(_lines(text), start=1):
        parts = line.replace(":", " ").split()
        if len(parts) != 2 or not parts[1].isdigit():
            raise FormError(
                "links", Message("line %(line)s: write the record type and its number", line=n)
            )
        out.append({"record_type": parts[0], "record_id": int(parts[1])})
    return out


def _on_line(message: str, index: str | None) -> str:
    """The message, with the line of a text area it is about (an item's 0-based index)."""
    if index is None or not index.isdigit():
        return message
    return Message("%(message)s (line %(line)s)", message=message, line=int(index) + 1)


def _errors_of(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for e in exc.errors():
        loc = [str(x) for x in e["loc"]]
        key = loc[0] if loc else ""
        errors.setdefault(key, _on_line(field_message(e), loc[1] if len(loc) > 1 else None))
    return errors


def _domain_errors(exc: DomainError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for e in exc.errors:
        parts = e.field.split(".")
        key = parts[1] if parts[0] == "body" and len(parts) > 1 else parts[-1]
        errors.setdefault(key, _on_line(e.message, parts[2] if len(parts) > 2 else None))
    return errors or {"": exc.detail}


def _incident_form(
    request: Request,
    session: DbSession,
    principal: Principal,
    values: dict[str, str],
    errors: dict[str, str],
    action: str,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "incidents/form.html",
        {
            "values": values,
            "errors": errors,
            "action": action,
            "kinds": list(IncidentKind),
            "units": [u.value for u in Unit],
            "groups": sharing_service.list_sharing_groups(session, principal),
            "distributions": [d for d in Distribution if d is not Distribution.partnership],
            "tlps": list(Tlp),
        },
        principal=principal,
        status_code=status,
    )


def _content(values: dict[str, str]) -> IncidentContent:
    lat, lon = values["latitude"].strip(), values["longitude"].strip()
    group = values["sharing_group_id"]
    return IncidentContent.model_validate(
        {
            "kind": values["kind"],
            "title": values["title"],
            "occurred_on": values["occurred_on"],
            "place": values["place"],
            "country": values["country"],
            "latitude": lat.replace(",", ".") if lat else None,
            "longitude": lon.replace(",", ".") if lon else None,
            "reporting_agency": values["reporting_agency"],
            "attempted": {"yes": True, "no": False}.get(values["attempted"]),
            "substances": parse_substances(values["substances"]),
            "parties": parse_parties(values["parties"]),
            "route": parse_route(values["route"]),
            "concealment": values["concealment"],
            "modus_operandi": values["modus_operandi"],
            "narrative": values["narrative"],
            "links": parse_links(values["links"]),
            "distribution": values["distribution"],
            "tlp": values["tlp"],
            "sharing_group_id": int(group) if group.isdigit() else None,
        }
    )


def _values_of(detail: incidents_service.IncidentDetail) -> dict[str, str]:
    i = detail.incident

    def amount(q: float | None) -> str:
        return "" if q is None else f"{q:g}"

    return {
        "kind": i.kind,
        "title": i.title,
        "occurred_on": i.occurred_on.isoformat(),
        "place": i.place,
        "country": i.country,
        "latitude": "" if i.latitude is None else str(i.latitude),
        "longitude": "" if i.longitude is None else str(i.longitude),
        "reporting_agency": i.reporting_agency,
        "attempted": {True: "yes", False: "no"}.get(i.attempted, ""),  # type: ignore[arg-type]
        "substances": "\n".join(
            f"{s.name}; {amount(s.quantity)}; {s.unit}; {s.concentration}; {s.packaging}"
            for s in detail.substances
        ),
        "parties": "\n".join(
            f"{p.kind}: {p.value}; {p.country or ''}; {p.role}" for p in detail.parties
        ),
        "route": "\n".join(f"{r.leg}: {r.country}; {r.place}" for r in detail.route),
        "concealment": i.concealment,
        "modus_operandi": i.modus_operandi,
        "narrative": i.narrative,
        "links": "\n".join(f"{link.record_type} {link.record_id}" for link in detail.links),
        "distribution": i.distribution.value,
        "tlp": i.tlp.value,
        "sharing_group_id": str(i.sharing_group_id or ""),
    }


def _form_values(
    kind: str,
    title: str,
    occurred_on: str,
    place: str,
    country: str,
    latitude: str,
    longitude: str,
    reporting_agency: str,
    attempted: str,
    substances: str,
    parties: str,
    route: str,
    concealment: str,
    modus_operandi: str,
    narrative: str,
    links: str,
    distribution: str,
    tlp: str,
    sharing_group_id: str,
) -> dict[str, str]:
    return dict(locals())


IncidentForm = dict[str, str]


def incident_form_values(
    kind: Annotated[str, Form(max_length=40)] = "",
    title: Text200 = "",
    occurred_on: Annotated[str, Form(max_length=20)] = "",
    place: Text200 = "",
    country: Annotated[str, Form(max_length=10)] = "",
    latitude: Annotated[str, Form(max_length=30)] = "",
    longitude: Annotated[str, Form(max_length=30)] = "",
    reporting_agency: Text200 = "",
    attempted: Annotated[str, Form(max_length=5)] = "",
    substances: TextLong = "",
    parties: TextLong = "",
    route: TextLong = "",
    concealment: TextLong = "",
    modus_operandi: TextLong = "",
    narrative: TextLong = "",
    links: TextLong = "",
    distribution: Annotated[str, Form(max_length=40)] = "country_authorities",
    tlp: Annotated[str, Form(max_length=20)] = "amber",
    sharing_group_id: Annotated[str, Form(max_length=20)] = "",
) -> IncidentForm:
    """The incident form's fields as posted."""
    return _form_values(
        kind,
        title,
        occurred_on,
        place,
        country,
        latitude,
        longitude,
        reporting_agency,
        attempted,
        substances,
        parties,
        route,
        concealment,
        modus_operandi,
        narrative,
        links,
        distribution,
        tlp,
        sharing_group_id,
    )


@router.get("/incidents/new", response_class=HTMLResponse)
def new_incident(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The form for a new incident."""
    _require_reader(principal)
    values = {
        "kind": "seizure",
        "distribution": "country_authorities",
        "tlp": "amber",
        "reporting_agency": principal.organisation_name,
        "country": principal.country,
    }
    return _incident_form(request, session, principal, values, {}, "/incidents/new")


@router.post("/incidents/new", response_class=HTMLResponse)
def post_incident(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    values: Annotated[IncidentForm, Depends(incident_form_values)],
) -> Response:
    """Record the incident as a draft, or show the form again with what is wrong."""
    _require_reader(principal)
    try:
        incident = incidents_service.create_incident(session, principal, data=_content(values))
    except FormError as exc:
        return _incident_form(
            request, session, principal, values, {exc.field: exc.message}, "/incidents/new", 422
        )
    except ValidationError as exc:
        errors = _errors_of(exc)
        return _incident_form(request, session, principal, values, errors, "/incidents/new", 422)
    except DomainError as exc:
        errors = _domain_errors(exc)
        return _incident_form(
            request, session, principal, values, errors, "/incidents/new", exc.status
        )
    return redirect(
        f"/incidents/{incident.id}", Message("The incident is recorded as a draft."), "success"
    )


@router.get("/incidents/{incident_id:int}/edit", response_class=HTMLResponse)
def edit_incident(
    incident_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """The form to complete a draft incident."""
    detail = incidents_service.incident_detail(session, principal, incident_id)
    action = f"/incidents/{incident_id}/edit"
    return _incident_form(request, session, principal, _values_of(detail), {}, action)


@router.post("/incidents/{incident_id:int}/edit", response_class=HTMLResponse)
def post_edit_incident(
    incident_id: PathId,
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    values: Annotated[IncidentForm, Depends(incident_form_values)],
) -> Response:
    """Save the completed draft, or show the form again with what is wrong."""
    action = f"/incidents/{incident_id}/edit"
    try:
        incidents_service.update_incident(session, principal, incident_id, data=_content(values))
    except FormError as exc:
        return _incident_form(
            request, session, principal, values, {exc.field: exc.message}, action, 422
        )
    except ValidationError as exc:
        return _incident_form(request, session, principal, values, _errors_of(exc), action, 422)
    except NotFound:
        raise
    except DomainError as exc:
        errors = _domain_errors(exc)
        return _incident_form(request, session, principal, values, errors, action, exc.status)
    return redirect(
        f"/incidents/{incident_id}", Message("The incident has been updated."), "success"
    )


# --- Incident page and its actions -----------------------------------------------------------


@router.get("/incidents/{incident_id:int}", response_class=HTMLResponse)
def incident(
    incident_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One incident with its substances, parties, route, links, attachments and timeline."""
    detail = incidents_service.incident_detail(session, principal, incident_id)
    timeline = incidents_service.incident_timeline(session, principal, incident_id)
    owners = accounts_service.organisation_names(session, {detail.incident.owner_organisation_id})
    return render(
        request,
        "incidents/detail.html",
        {
            "d": detail,
            "i": detail.incident,
            "timeline": timeline,
            "owners": owners,
            "may_change": principal.can_write
            and incidents_service.may_complete(session, principal, detail.incident)
            and detail.incident.status == "draft",
            "may_restrict": principal.is_authority and principal.role.value in ("admin", "analyst"),
            "list_name": incidents_service.default_list_name(principal),
        },
        principal=principal,
    )


@router.post("/incidents/{incident_id:int}/finalise")
def finalise(incident_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Mark the draft final."""
    try:
        incidents_service.finalise_incident(session, principal, incident_id)
    except NotFound:
        raise
    except DomainError as exc:
        return redirect(f"/incidents/{incident_id}", exc.detail, "error")
    return redirect(f"/incidents/{incident_id}", Message("The incident is final."), "success")


@router.post("/incidents/{incident_id:int}/restrict")
def restrict(
    incident_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    list_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Put the incident's companies and persons on the authority's restricted list."""
    try:
        done = incidents_service.restrict_parties(
            session, principal, incident_id, list_name=list_name
        )
    except NotFound:
        raise
    except DomainError as exc:
        return redirect(f"/incidents/{incident_id}", exc.detail, "error")
    return redirect(
        f"/incidents/{incident_id}",
        Message(
            "Names added to the restricted list %(list_name)s (version %(version)s): "
            "%(added)s. Screening now answers a restricted hit for them.",
            list_name=done.list_name,
            version=done.version,
            added=done.added,
        ),
        "success",
    )


@router.post("/incidents/{incident_id:int}/attachments")
def upload(
    incident_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    file: Annotated[UploadFile, File()],
    request: Request,
) -> Response:
    """Attach a PDF, PNG or JPEG."""
    limit = attachment_limit(request)
    try:
        incidents_service.add_attachment(
            session,
            principal,
            incident_id,
            filename=file.filename or "file",
            content=read_upload(file, limit),
            max_bytes=limit,
        )
    except NotFound:
        raise
    except DomainError as exc:
        return redirect(f"/incidents/{incident_id}", exc.detail, "error")
    return redirect(f"/incidents/{incident_id}", Message("The file is attached."), "success")


@router.get("/incidents/{incident_id:int}/attachments/{attachment_id:int}")
def download(
    incident_id: PathId, attachment_id: PathId, session: DbSession, principal: WebPrincipal
) -> Response:
    """Download an attachment (never shown inline)."""
    found = incidents_service.get_attachment(session, principal, incident_id, attachment_id)
    return attachment_response(found.filename, found.content_type, found.content)


# --- Alerts --------------------------------------------------------------------------------


def _feed_context(session: DbSession, principal: Principal) -> dict[str, Any]:
    feed = incidents_service.list_alerts(
        session, principal, PageParams(page=1, per_page=50), incidents_service.AlertFilters()
    )
    read = incidents_service.read_alert_ids(session, principal, [a.id for a in feed.items])
    pending: list[Any] = []
    if principal.is_authority:
        pending = [
            a
            for a in incidents_service.list_alerts(
                session,
                principal,
                PageParams(page=1, per_page=50),
                incidents_service.AlertFilters(feed=False),
            ).items
            if a.status != "published"
        ]
    owners = accounts_service.organisation_names(
        session, {a.owner_organisation_id for a in [*feed.items, *pending]}
    )
    return {"alerts": feed.items, "read": read, "pending": pending, "owners": owners}


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The alert feed; it refreshes itself every few seconds."""
    return render(
        request, "incidents/alerts.html", _feed_context(session, principal), principal=principal
    )


@router.get("/alerts/feed", response_class=HTMLResponse)
def alerts_feed(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The feed's list alone, for the page's polling."""
    return render(
        request, "incidents/_feed.html", _feed_context(session, principal), principal=principal
    )


def _alert_form(
    request: Request,
    session: DbSession,
    principal: Principal,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "incidents/alert_form.html",
        {
            "values": values,
            "errors": errors,
            "indicator_types": [t.value for t in IndicatorType],
            "groups": sharing_service.list_sharing_groups(session, principal),
            "distributions": [d for d in Distribution if d is not Distribution.organisation],
            "tlps": [t for t in Tlp if t is not Tlp.red],
        },
        principal=principal,
        status_code=status,
    )


@router.get("/alerts/new", response_class=HTMLResponse)
def new_alert(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    incident: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> HTMLResponse:
    """The form for a new alert, started from an incident when one is given."""
    values = {"distribution": "partnership", "tlp": "green", "severity": "medium", "links": ""}
    if incident is not None:
        found = incidents_service.get_incident(session, principal, incident)
        values["links"] = f"incident {found.id}"
        values["substances"] = "\n".join(incidents_service.substance_names(session, found.id))
    return _alert_form(request, session, principal, values, {})


def parse_indicators(text: str) -> list[Indicator]:
    """Lines `type: value`, e.g. `packaging: 200 l blue drums`."""
    out: list[Indicator] = []
    types = {t.value for t in IndicatorType}
    for n, line in enumerate(_lines(text), start=1):
        kind, sep, value = line.partition(":")
        if not sep or kind.strip() not in types:
            raise FormError(
                "indicators",
                Message(
                    "line %(line)s: start with one of %(kinds)s:",
                    line=n,
                    kinds=", ".join(sorted(types)),
                ),
            )
        out.append(Indicator(type=IndicatorType(kind.strip()), value=value.strip()))
    return out


@router.post("/alerts/new", response_class=HTMLResponse)
def post_alert(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    title: Text200 = "",
    watch_for: TextLong = "",
    substances: TextLong = "",
    countries: Annotated[str, Form(max_length=500)] = "",
    indicators: TextLong = "",
    severity: Annotated[str, Form(max_length=10)] = "medium",
    expires_on: Annotated[str, Form(max_length=20)] = "",
    links: TextLong = "",
    distribution: Annotated[str, Form(max_length=40)] = "partnership",
    tlp: Annotated[str, Form(max_length=20)] = "green",
    sharing_group_id: Annotated[str, Form(max_length=20)] = "",
    submit: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Draft the alert (and submit it for approval when asked), or show what is wrong."""
    values = {
        "title": title,
        "watch_for": watch_for,
        "substances": substances,
        "countries": countries,
        "indicators": indicators,
        "severity": severity,
        "expires_on": expires_on,
        "links": links,
        "distribution": distribution,
        "tlp": tlp,
        "sharing_group_id": sharing_group_id,
    }
    try:
        data = AlertCreate.model_validate(
            {
                "title": title,
                "watch_for": watch_for,
                "substances": _lines(substances),
                "countries": [
                    c.strip() for c in countries.replace(";", ",").split(",") if c.strip()
                ],
                "indicators": [i.model_dump() for i in parse_indicators(indicators)],
                "severity": severity,
                "expires_on": expires_on,
                "links": parse_links(links),
                "distribution": distribution,
                "tlp": tlp,
                "sharing_group_id": int(sharing_group_id) if sharing_group_id.isdigit() else None,
            }
        )
        alert = incidents_service.draft_alert(session, principal, data=data)
        if submit:
            incidents_service.submit_alert(session, principal, alert.id)
    except FormError as exc:
        return _alert_form(request, session, principal, values, {exc.field: exc.message}, 422)
    except ValidationError as exc:
        return _alert_form(request, session, principal, values, _errors_of(exc), 422)
    except DomainError as exc:
        return _alert_form(request, session, principal, values, _domain_errors(exc), exc.status)
    message = (
        Message("The alert awaits a second officer's approval.")
        if submit
        else Message("The alert is drafted.")
    )
    return redirect(f"/alerts/{alert.id}", message, "success")


@router.get("/alerts/{alert_id:int}", response_class=HTMLResponse)
def alert(
    alert_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> HTMLResponse:
    """One alert: its text, indicators, links its reader may follow, and sightings."""
    found = incidents_service.get_alert(session, principal, alert_id)
    links, hidden = incidents_service.visible_links(session, principal, "industry_alert", found.id)
    sightings = incidents_service.list_sightings(session, principal, alert_id=found.id)
    owners = accounts_service.organisation_names(
        session, {found.owner_organisation_id, *(s.owner_organisation_id for s in sightings)}
    )
    return render(
        request,
        "incidents/alert.html",
        {
            "a": found,
            "links": links,
            "hidden": hidden,
            "sightings": sightings,
            "owners": owners,
            "read": found.id in incidents_service.read_alert_ids(session, principal, [found.id]),
            "is_author_org": found.owner_organisation_id == principal.organisation_id,
            "is_author": found.created_by_id == principal.user_id,
        },
        principal=principal,
    )


def _alert_action(alert_id: int, principal: Principal, session: DbSession, action: str) -> Response:
    steps = {
        "submit": (
            incidents_service.submit_alert,
            Message("The alert awaits a second officer's approval."),
        ),
        "approve": (incidents_service.approve_alert, Message("The alert is published.")),
    }
    run, message = steps[action]
    try:
        run(session, principal, alert_id)
    except NotFound:
        raise
    except DomainError as exc:
        return redirect(f"/alerts/{alert_id}", exc.detail, "error")
    return redirect(f"/alerts/{alert_id}", message, "success")


@router.post("/alerts/{alert_id:int}/submit")
def submit(alert_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Submit the draft for approval."""
    return _alert_action(alert_id, principal, session, "submit")


@router.post("/alerts/{alert_id:int}/approve")
def approve(alert_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Approve and publish (a second officer)."""
    return _alert_action(alert_id, principal, session, "approve")


@router.post("/alerts/{alert_id:int}/read")
def mark_read(alert_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Mark the alert read."""
    incidents_service.mark_alert_read(session, principal, alert_id)
    return redirect("/alerts", Message("Marked as read."), "success")


@router.post("/alerts/{alert_id:int}/sightings")
def sighting(
    alert_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    seen_on: Annotated[str, Form(max_length=20)] = "",
    note: TextLong = "",
) -> Response:
    """Record "we saw this"; only the alert's authority is told."""
    try:
        data = SightingCreate.model_validate({"seen_on": seen_on, "note": note})
        incidents_service.record_sighting(session, principal, alert_id, data=data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = Message(
            "%(field)s: %(message)s", field=first["loc"][0], message=field_message(first)
        )
        return redirect(f"/alerts/{alert_id}", message, "error")
    except NotFound:
        raise
    except DomainError as exc:
        return redirect(f"/alerts/{alert_id}", exc.detail, "error")
    return redirect(
        f"/alerts/{alert_id}",
        Message("Thank you: the authority that issued the alert is told."),
        "success",
    )
