"""Incidents, industry alerts and sightings: written in one transaction with audit and event,
read only through the sharing gate."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.models import User
from precx.accounts.principal import PRIVATE_KINDS, OrgKind, Principal, Role
from precx.audit import service as audit
from precx.audit.models import AuditEntry
from precx.bulletins import service as bulletins_service
from precx.catalog import service as catalog_service
from precx.catalog.models import Country
from precx.db import utc_now
from precx.events import service as events_service
from precx.events.models import OutboxEvent
from precx.incidents.models import (
    AlertRead,
    AlertSighting,
    Incident,
    IncidentAttachment,
    IncidentParty,
    IncidentRouteStop,
    IncidentSubstance,
    IndustryAlert,
    RecordLink,
)
from precx.incidents.schemas import (
    AlertCreate,
    AlertStatus,
    IncidentContent,
    IncidentKind,
    IncidentStatus,
    Link,
    PartyKind,
    SightingCreate,
)
from precx.kit.files import DEFAULT_ATTACHMENT_MAX_BYTES, size_limit_error, sniff_document
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from precx.notifications import service as notifications_service
from precx.reports import service as reports_service
from precx.screening import service as screening_service
from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats.records import ListedEntity
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, Tlp

# --- Links ----------------------------------------------------------------------------------

LinkResolver = Callable[[Session, Principal, int], str]


def _screening_label(session: Session, principal: Principal, record_id: int) -> str:
    found = screening_service.get_screening(session, principal, record_id)
    return f"Screening {found.id}: order {found.order_ref}"


def _bulletin_label(session: Session, principal: Principal, record_id: int) -> str:
    return f"Bulletin: {bulletins_service.get_bulletin(session, principal, record_id).title}"


def _report_label(session: Session, principal: Principal, record_id: int) -> str:
    found = reports_service.get_report(session, principal, record_id)
    return f"Report {found.id}: {reports_service.report_summary(found)}"


def _notification_label(session: Session, principal: Principal, record_id: int) -> str:
    found = notifications_service.get_notification(session, principal, record_id)
    return f"Pre-export notification {found.reference}"


def _incident_label(session: Session, principal: Principal, record_id: int) -> str:
    found = get_incident(session, principal, record_id)
    return f"Incident {found.id}: {found.title}"


# Record types a link may name; each resolver answers a label or raises NotFound when the
# reader may not see the record.
LINK_RESOLVERS: dict[str, LinkResolver] = {
    "screening": _screening_label,
    "bulletin": _bulletin_label,
    "incident": _incident_label,
    "report": _report_label,
    "pre_export_notification": _notification_label,
}


@dataclass(frozen=True)
class ShownLink:
    """A linked record the reader may see."""

    record_type: str
    record_id: int
    label: str


def _check_links(session: Session, principal: Principal, links: Sequence[Link]) -> None:
    for n, link in enumerate(links):
        resolver = LINK_RESOLVERS.get(link.record_type)
        if resolver is None:
            raise InvalidInput(
                Message(
                    "Records of type %(record_type)s cannot be linked.",
                    record_type=repr(link.record_type),
                ),
                errors=[
                    (
                        f"body.links.{n}.record_type",
                        Message("one of %(types)s", types=", ".join(LINK_RESOLVERS)),
                    )
                ],
            )
        try:
            resolver(session, principal, link.record_id)
        except NotFound as exc:
            raise InvalidInput(
                Message(
                    "No %(record_type)s %(record_id)s that you can see.",
                    record_type=link.record_type,
                    record_id=link.record_id,
                ),
                errors=[(f"body.links.{n}.record_id", Message("no such record that you can see"))],
            ) from exc


def _store_links(
    session: Session, from_type: str, from_id: int, links: Sequence[tuple[str, int]]
) -> None:
    existing: set[tuple[str, int]] = set(
        (str(t), int(i))
        for t, i in session.execute(
            select(RecordLink.to_type, RecordLink.to_id).where(
                RecordLink.from_type == from_type, RecordLink.from_id == from_id
            )
        ).all()
    )
    for to_type, to_id in links:
        if (to_type, to_id) not in existing:
            existing.add((to_type, to_id))
            session.add(
                RecordLink(from_type=from_type, from_id=from_id, to_type=to_type, to_id=to_id)
            )
    session.flush()


def visible_links(
    session: Session, principal: Principal, from_type: str, from_id: int
) -> tuple[list[ShownLink], int]:
    """The links of a record that the reader may follow now, and how many are hidden."""
    rows = session.scalars(
        select(RecordLink)
        .where(RecordLink.from_type == from_type, RecordLink.from_id == from_id)
        .order_by(RecordLink.id)
    ).all()
    shown: list[ShownLink] = []
    hidden = 0
    for row in rows:
        resolver = LINK_RESOLVERS.get(row.to_type)
        try:
            if resolver is None:
                raise NotFound("no resolver")
            shown.append(ShownLink(row.to_type, row.to_id, resolver(session, principal, row.to_id)))
        except NotFound:
            hidden += 1
    return shown, hidden


# --- Incidents: who may do what -----------------------------------------------------------

INCIDENT_AUTHORS = frozenset(
    {OrgKind.law_enforcement, OrgKind.customs, OrgKind.licensing_authority}
)
HIGH_KINDS = frozenset(
    {IncidentKind.seizure, IncidentKind.diversion, IncidentKind.illicit_laboratory}
)


def reads_incidents(principal: Principal) -> bool:
    """Industry, logistics and the platform operator never read incidents, whatever the marking."""
    return principal.organisation_kind not in PRIVATE_KINDS | {OrgKind.platform}


def may_create_incident(principal: Principal) -> bool:
    """Police and customs record incidents; licensing authorities may."""
    return principal.organisation_kind in INCIDENT_AUTHORS and principal.can_write


def _incidents(principal: Principal) -> Select[Any]:
    stmt = select(Incident)
    if not reads_incidents(principal):
        return stmt.where(false())
    return sharing.visible(stmt, principal, Incident)


def get_incident(session: Session, principal: Principal, incident_id: int) -> Incident:
    """One incident the caller may read."""
    found: Incident | None = session.scalars(
        _incidents(principal).where(Incident.id == incident_id)
    ).one_or_none()
    if found is None:
        raise NotFound(Message("No incident %(id)s.", id=incident_id))
    return found


def may_complete(session: Session, principal: Principal, incident: Incident) -> bool:
    """The owner edits; while a draft, authority analysts of the owner's country who read it
    may complete it (customs records a seizure, the police add what they found)."""
    if sharing.can_edit(principal, incident):
        return True
    return (
        incident.status == IncidentStatus.draft.value
        and principal.organisation_kind in INCIDENT_AUTHORS
        and principal.role in (Role.admin, Role.analyst)
        and accounts_service.get_organisation(session, incident.owner_organisation_id).country
        == principal.country
    )


def _check_marking(
    session: Session,
    principal: Principal,
    distribution: Distribution,
    tlp: Tlp,
    sharing_group_id: int | None,
) -> None:
    if distribution is Distribution.partnership:
        raise InvalidInput(
            Message(
                "Incidents stay among authorities; publish an industry alert for the partnership."
            ),
            errors=[("body.distribution", Message("partnership is for alerts, not incidents"))],
        )
    sharing.check_marking(session, principal, distribution, tlp, sharing_group_id)


def _country_known(session: Session, code: str) -> bool:
    return session.get(Country, code) is not None


@dataclass(frozen=True)
class _Checked:
    substances: list[IncidentSubstance]
    names: list[str]


def _check_content(session: Session, principal: Principal, data: IncidentContent) -> _Checked:
    errors: list[tuple[str, str]] = []
    if not _country_known(session, data.country):
        errors.append(("body.country", Message("unknown country")))
    for n, party in enumerate(data.parties):
        if party.country and not _country_known(session, party.country):
            errors.append((f"body.parties.{n}.country", Message("unknown country")))
    for n, stop in enumerate(data.route):
        if not _country_known(session, stop.country):
            errors.append((f"body.route.{n}.country", Message("unknown country")))
    catalog = catalog_service.snapshot(session)
    substances: list[IncidentSubstance] = []
    for n, line in enumerate(data.substances):
        text = line.substance
        record = catalog.records.get(text) or (catalog.lookup(text).record if text else None)
        if record is None:
            found = catalog.lookup(text)
            absent = (
                Message(
                    "not in the catalog; nearest: %(nearest)s", nearest=", ".join(found.candidates)
                )
                if found.candidates
                else Message("not in the catalog")
            )
            errors.append((f"body.substances.{n}.substance", absent))
            continue
        substances.append(
            IncidentSubstance(
                substance_id=record.id,
                name=record.name,
                quantity=line.quantity,
                unit=line.unit.value,
                concentration=line.concentration,
                packaging=line.packaging,
            )
        )
    if errors:
        raise InvalidInput(Message("The incident has fields to correct."), errors=errors)
    if data.occurred_on > datetime.now(UTC).date():
        raise InvalidInput(
            Message("An incident cannot happen in the future."),
            errors=[("body.occurred_on", Message("after today"))],
        )
    _check_marking(session, principal, data.distribution, data.tlp, data.sharing_group_id)
    _check_links(session, principal, data.links)
    return _Checked(substances, [s.name for s in substances])


def _apply(session: Session, incident: Incident, data: IncidentContent, checked: _Checked) -> None:
    incident.kind = data.kind.value
    incident.title = data.title
    incident.occurred_on = data.occurred_on
    incident.place = data.place
    incident.country = data.country
    incident.latitude = data.latitude
    incident.longitude = data.longitude
    incident.reporting_agency = data.reporting_agency
    incident.attempted = data.attempted if data.kind is IncidentKind.diversion else None
    incident.concealment = data.concealment
    incident.modus_operandi = data.modus_operandi
    incident.narrative = data.narrative
    incident.distribution = data.distribution
    incident.tlp = data.tlp
    incident.sharing_group_id = data.sharing_group_id
    session.flush()
    for model in (IncidentSubstance, IncidentParty, IncidentRouteStop):
        for row in session.scalars(select(model).where(model.incident_id == incident.id)).all():
            session.delete(row)
    session.flush()
    for line in checked.substances:
        line.incident_id = incident.id
        session.add(line)
    for party in data.parties:
        session.add(
            IncidentParty(
                incident_id=incident.id,
                kind=party.kind.value,
                value=party.value,
                country=party.country,
                role=party.role,
            )
        )
    for position, stop in enumerate(data.route):
        session.add(
            IncidentRouteStop(
                incident_id=incident.id,
                position=position,
                leg=stop.leg.value,
                country=stop.country,
                place=stop.place,
            )
        )
    session.flush()
    _store_links(
        session, "incident", incident.id, [(x.record_type, x.record_id) for x in data.links]
    )


def _severity(kind: str) -> str:
    return "high" if kind in HIGH_KINDS else "medium"


def _record(
    session: Session,
    principal: Principal | None,
    incident: Incident,
    action: str,
    substances: list[str],
    extra: dict[str, Any] | None = None,
) -> None:
    countries = sorted(
        {incident.country}
        | set(
            session.scalars(
                select(IncidentRouteStop.country).where(
                    IncidentRouteStop.incident_id == incident.id
                )
            ).all()
        )
    )
    audit.record_change(
        session,
        principal,
        f"incident.{action}",
        record_type=Incident.record_type,
        record_id=incident.id,
        organisation_id=incident.owner_organisation_id,
        details={
            "title": f"Incident {incident.id} ({incident.kind}, {incident.status}): "
            f"{incident.title}",
            "kind": incident.kind,
            "status": incident.status,
            "version": incident.version,
            "substances": substances,
            "countries": countries,
            "severity": _severity(incident.kind),
            **(extra or {}),
        },
    )


def create_incident(session: Session, principal: Principal, *, data: IncidentContent) -> Incident:
    """Record an incident as a draft of the principal's organisation."""
    if not may_create_incident(principal):
        raise Forbidden(Message("Police, customs and licensing authorities record incidents."))
    checked = _check_content(session, principal, data)
    incident = Incident(
        status=IncidentStatus.draft.value,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        version=1,
    )
    session.add(incident)
    _apply(session, incident, data, checked)
    _record(session, principal, incident, "created", checked.names)
    return incident


def _writable(session: Session, principal: Principal, incident_id: int) -> Incident:
    incident = get_incident(session, principal, incident_id)
    if not may_complete(session, principal, incident) or not principal.can_write:
        raise Forbidden(Message("You may read this incident but not change it."))
    return incident


def update_incident(
    session: Session, principal: Principal, incident_id: int, *, data: IncidentContent
) -> Incident:
    """Replace a draft incident's content; the previous version stays in the timeline."""
    incident = _writable(session, principal, incident_id)
    if incident.status != IncidentStatus.draft.value:
        raise Conflict(Message("Incident %(id)s is final; it cannot be changed.", id=incident.id))
    checked = _check_content(session, principal, data)
    _apply(session, incident, data, checked)
    incident.version += 1
    incident.updated_at = utc_now()
    session.flush()
    _record(session, principal, incident, "updated", checked.names)
    return incident


def finalise_incident(session: Session, principal: Principal, incident_id: int) -> Incident:
    """Mark a draft incident final: the agreed record, no longer edited."""
    incident = _writable(session, principal, incident_id)
    if incident.status != IncidentStatus.draft.value:
        raise Conflict(Message("Incident %(id)s is already final.", id=incident.id))
    incident.status = IncidentStatus.final.value
    incident.finalised_at = utc_now()
    incident.updated_at = incident.finalised_at
    incident.version += 1
    session.flush()
    _record(session, principal, incident, "finalised", substance_names(session, incident.id))
    return incident


def substance_names(session: Session, incident_id: int) -> list[str]:
    """The catalog names of an incident's substances."""
    return list(
        session.scalars(
            select(IncidentSubstance.name)
            .where(IncidentSubstance.incident_id == incident_id)
            .order_by(IncidentSubstance.id)
        ).all()
    )


@dataclass(frozen=True)
class IncidentDetail:
    """An incident with its child rows and the links its reader may follow."""

    incident: Incident
    substances: list[IncidentSubstance]
    parties: list[IncidentParty]
    route: list[IncidentRouteStop]
    links: list[ShownLink]
    hidden_links: int
    attachments: list[IncidentAttachment]


def incident_detail(session: Session, principal: Principal, incident_id: int) -> IncidentDetail:
    """One incident the caller may read, with everything it names."""
    incident = get_incident(session, principal, incident_id)
    links, hidden = visible_links(session, principal, "incident", incident.id)

    def rows(model: Any, order: Any) -> list[Any]:
        return list(
            session.scalars(
                select(model).where(model.incident_id == incident.id).order_by(order)
            ).all()
        )

    return IncidentDetail(
        incident=incident,
        substances=rows(IncidentSubstance, IncidentSubstance.id),
        parties=rows(IncidentParty, IncidentParty.id),
        route=rows(IncidentRouteStop, IncidentRouteStop.position),
        links=links,
        hidden_links=hidden,
        attachments=rows(IncidentAttachment, IncidentAttachment.id),
    )


@dataclass(frozen=True)
class IncidentFilters:
    """What a list of incidents may be narrowed to."""

    q: str | None = None
    kind: str | None = None
    status: str | None = None
    country: str | None = None
    substance_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


SORT_KEYS = ("occurred_on", "created_at", "kind", "country", "title", "status")


def _search(session: Session, principal: Principal, filters: IncidentFilters) -> Select[Any]:
    stmt = _incidents(principal)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        named = select(IncidentParty.incident_id).where(
            func.lower(IncidentParty.value).like(pattern)
        )
        stmt = stmt.where(
            or_(
                func.lower(Incident.title).like(pattern),
                func.lower(Incident.place).like(pattern),
                func.lower(Incident.narrative).like(pattern),
                Incident.id.in_(named),
            )
        )
    if filters.kind:
        stmt = stmt.where(Incident.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Incident.status == filters.status)
    if filters.country:
        code = filters.country.upper()
        on_route = select(IncidentRouteStop.incident_id).where(IncidentRouteStop.country == code)
        stmt = stmt.where(or_(Incident.country == code, Incident.id.in_(on_route)))
    if filters.substance_id:
        with_substance = select(IncidentSubstance.incident_id).where(
            IncidentSubstance.substance_id.in_(
                catalog_service.substance_ids_named(session, filters.substance_id)
            )
        )
        stmt = stmt.where(Incident.id.in_(with_substance))
    if filters.date_from:
        stmt = stmt.where(Incident.occurred_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Incident.occurred_on <= filters.date_to)
    return stmt


def list_incidents(
    session: Session, principal: Principal, params: PageParams, filters: IncidentFilters
) -> Page[Incident]:
    """A page of the incidents the caller may read, filtered and sorted."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-occurred_on")
    column = getattr(Incident, key)
    stmt = _search(session, principal, filters).order_by(
        column.desc() if descending else column.asc(), Incident.id.desc()
    )
    return fetch_page(session, stmt, params)


def count_incidents(session: Session, principal: Principal, filters: IncidentFilters) -> int:
    """How many incidents the caller may read (matching the filters)."""
    sub = _search(session, principal, filters).with_only_columns(Incident.id).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


@dataclass(frozen=True)
class MapIncident:
    """What the map draws of one incident: its place and its route's countries."""

    id: int
    title: str
    kind: str
    status: str
    country: str
    latitude: float | None
    longitude: float | None
    route: list[tuple[str, str]]


MAP_LIMIT = 2000


def map_incidents(
    session: Session, principal: Principal, filters: IncidentFilters
) -> list[MapIncident]:
    """The places and routes of the incidents the caller may read (the newest first)."""
    incidents = session.scalars(
        _search(session, principal, filters).order_by(Incident.occurred_on.desc()).limit(MAP_LIMIT)
    ).all()
    ids = [i.id for i in incidents]
    routes: dict[int, list[tuple[str, str]]] = {}
    if ids:
        for stop in session.scalars(
            select(IncidentRouteStop)
            .where(IncidentRouteStop.incident_id.in_(ids))
            .order_by(IncidentRouteStop.incident_id, IncidentRouteStop.position)
        ).all():
            routes.setdefault(stop.incident_id, []).append((stop.leg, stop.country))
    return [
        MapIncident(
            i.id,
            i.title,
            i.kind,
            i.status,
            i.country,
            i.latitude,
            i.longitude,
            routes.get(i.id, []),
        )
        for i in incidents
    ]


EXPORT_COLUMNS = (
    "id",
    "kind",
    "status",
    "title",
    "occurred_on",
    "place",
    "country",
    "latitude",
    "longitude",
    "reporting_agency",
    "substances",
    "route",
    "companies",
    "persons",
    "tlp",
    "distribution",
    "owner",
)
EXPORT_LIMIT = 50_000


def export_rows(
    session: Session, principal: Principal, filters: IncidentFilters
) -> list[dict[str, object]]:
    """The incidents the caller may read, as rows for CSV/XLSX, each with its TLP marking."""
    incidents = session.scalars(
        _search(session, principal, filters)
        .order_by(Incident.occurred_on.desc(), Incident.id.desc())
        .limit(EXPORT_LIMIT)
    ).all()
    ids = [i.id for i in incidents]
    subs: dict[int, list[str]] = {}
    parties: dict[tuple[int, str], list[str]] = {}
    route: dict[int, list[str]] = {}
    if ids:
        for s in session.scalars(
            select(IncidentSubstance).where(IncidentSubstance.incident_id.in_(ids))
        ).all():
            amount = f" {s.quantity:g} {s.unit}" if s.quantity is not None else ""
            subs.setdefault(s.incident_id, []).append(f"{s.name}{amount}")
        for p in session.scalars(
            select(IncidentParty).where(IncidentParty.incident_id.in_(ids))
        ).all():
            parties.setdefault((p.incident_id, p.kind), []).append(p.value)
        for r in session.scalars(
            select(IncidentRouteStop)
            .where(IncidentRouteStop.incident_id.in_(ids))
            .order_by(IncidentRouteStop.position)
        ).all():
            route.setdefault(r.incident_id, []).append(f"{r.leg}:{r.country}")
    owners = accounts_service.organisation_names(
        session, {i.owner_organisation_id for i in incidents}
    )
    return [
        {
            "id": i.id,
            "kind": i.kind,
            "status": i.status,
            "title": i.title,
            "occurred_on": i.occurred_on.isoformat(),
            "place": i.place,
            "country": i.country,
            "latitude": i.latitude,
            "longitude": i.longitude,
            "reporting_agency": i.reporting_agency,
            "substances": "; ".join(subs.get(i.id, [])),
            "route": " > ".join(route.get(i.id, [])),
            "companies": "; ".join(parties.get((i.id, PartyKind.company.value), [])),
            "persons": "; ".join(parties.get((i.id, PartyKind.person.value), [])),
            "tlp": f"TLP:{i.tlp.value.upper()}",
            "distribution": i.distribution.value,
            "owner": owners.get(i.owner_organisation_id, ""),
        }
        for i in incidents
    ]


@dataclass(frozen=True)
class TimelineItem:
    """One audited change of an incident."""

    at: datetime
    action: str
    actor: str
    details: dict[str, Any]


def incident_timeline(
    session: Session, principal: Principal, incident_id: int
) -> list[TimelineItem]:
    """The changes of an incident the caller may read, oldest first."""
    incident = get_incident(session, principal, incident_id)
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.record_type == Incident.record_type,
            AuditEntry.record_id == str(incident.id),
        )
        .order_by(AuditEntry.seq)
    ).all()
    return [
        TimelineItem(
            e.at,
            e.action,
            e.actor_label,
            {k: v for k, v in e.details.items() if k in ("status", "version", "list", "filename")},
        )
        for e in entries
    ]


# --- Attachments ----------------------------------------------------------------------------


def sniff_attachment(content: bytes) -> str | None:
    """The content type of an accepted file, from its magic bytes; None when not accepted."""
    found = sniff_document(content)
    return found[0] if found else None


def add_attachment(
    session: Session,
    principal: Principal,
    incident_id: int,
    *,
    filename: str,
    content: bytes,
    max_bytes: int = DEFAULT_ATTACHMENT_MAX_BYTES,
) -> IncidentAttachment:
    """Attach a PDF, PNG or JPEG (at most max_bytes) to an incident the caller may change."""
    incident = _writable(session, principal, incident_id)
    if not content:
        raise InvalidInput(Message("The file is empty."), errors=[("file", Message("empty"))])
    if len(content) > max_bytes:
        raise size_limit_error(max_bytes)
    content_type = sniff_attachment(content)
    if content_type is None:
        raise InvalidInput(
            Message("Attach PDF, PNG or JPEG files only."),
            errors=[("file", Message("not a PDF, PNG or JPEG"))],
        )
    name = "".join(c for c in filename if c.isprintable() and c not in '/\\"')[-150:] or "file"
    attachment = IncidentAttachment(
        incident_id=incident.id,
        filename=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=principal.user_id,
    )
    session.add(attachment)
    session.flush()
    _record(
        session,
        principal,
        incident,
        "attachment_added",
        substance_names(session, incident.id),
        {"filename": name, "attachment_id": attachment.id},
    )
    return attachment


def get_attachment(
    session: Session, principal: Principal, incident_id: int, attachment_id: int
) -> IncidentAttachment:
    """An attachment of an incident the caller may read (by incident and attachment id)."""
    incident = get_incident(session, principal, incident_id)
    found = session.scalars(
        select(IncidentAttachment).where(
            IncidentAttachment.id == attachment_id, IncidentAttachment.incident_id == incident.id
        )
    ).one_or_none()
    if found is None:
        raise NotFound(Message("No attachment %(id)s.", id=attachment_id))
    return found


# --- Restricted watchlist in one step -------------------------------------------------------


@dataclass(frozen=True)
class Restricted:
    """What adding an incident's parties to a restricted list did."""

    list_name: str
    version: int
    added: int


def default_list_name(principal: Principal) -> str:
    """The restricted list an authority's incident parties go to unless it names another."""
    return f"{principal.organisation_name} incidents"[:100]


def restrict_parties(
    session: Session, principal: Principal, incident_id: int, *, list_name: str = ""
) -> Restricted:
    """Put an incident's companies and persons on a restricted list of the caller's authority,
    so screening answers a restricted hit that names only a reference."""
    incident = get_incident(session, principal, incident_id)
    if not principal.is_authority or principal.role not in (Role.admin, Role.analyst):
        raise Forbidden(Message("Analysts and admins of authorities keep restricted lists."))
    parties = session.scalars(
        select(IncidentParty)
        .where(
            IncidentParty.incident_id == incident.id,
            IncidentParty.kind.in_([PartyKind.company.value, PartyKind.person.value]),
        )
        .order_by(IncidentParty.id)
    ).all()
    if not parties:
        raise InvalidInput(
            Message("The incident names no company or person."),
            errors=[("parties", Message("none to add"))],
        )
    entries = [
        ListedEntity(
            # Opaque: the list's readers must not learn which incident an entry came from.
            entity_id="X-"
            + hashlib.sha256(f"incident|{incident.id}|{p.kind}|{p.value}".encode())
            .hexdigest()[:12]
            .upper(),
            name=p.value,
            entity_type=EntityType.company if p.kind == "company" else EntityType.person,
            country=p.country,
        )
        for p in parties
    ]
    name = list_name.strip() or default_list_name(principal)
    watchlist = screening_service.add_restricted_entries(
        session, principal, list_name=name, entries=entries
    )
    audit.record(
        session,
        principal,
        "incident.parties_restricted",
        record_type=Incident.record_type,
        record_id=incident.id,
        details={"list": name, "entries": len(entries)},
    )
    return Restricted(name, watchlist.current_version, len(entries))


# --- A customs stop or seizure drafts an incident --------------------------------------------


def draft_from_customs_event(session: Session, event: OutboxEvent) -> Incident | None:
    """Create the incident draft of a customs stop or seizure, once per customs event."""
    payload = event.payload
    key = f"customs_event:{payload['customs_event_id']}"
    if session.scalar(select(Incident.id).where(Incident.source_key == key)) is not None:
        return None
    user = session.get(User, int(payload["recorded_by_user_id"]))
    if user is None or event.organisation_id is None:
        raise ValueError(f"outbox event {event.id}: unknown recorder or organisation")
    org = accounts_service.get_organisation(session, event.organisation_id)
    principal = accounts_service.principal_for(user, org)
    seized = payload.get("kind") == "seized"
    catalog = catalog_service.snapshot(session)
    substances: list[IncidentSubstance] = []
    for line in payload.get("substance_lines", []):
        record = catalog.records.get(str(line.get("substance_id", "")))
        try:
            quantity: float | None = float(line.get("quantity"))
        except (TypeError, ValueError):
            quantity = None
        substances.append(
            IncidentSubstance(
                substance_id=record.id if record else str(line.get("substance_id", ""))[:80],
                name=record.name if record else str(line.get("name", ""))[:500],
                quantity=quantity,
                unit=str(line.get("unit", ""))[:8],
            )
        )
    reference = str(payload.get("reference", ""))
    country = str(payload.get("country", org.country))[:2].upper()
    occurred = payload.get("occurred_on")
    incident = Incident(
        kind=(IncidentKind.seizure if seized else IncidentKind.stopped_shipment).value,
        status=IncidentStatus.draft.value,
        title=f"{'Seizure' if seized else 'Stopped shipment'} under notification {reference}"[:200],
        occurred_on=date.fromisoformat(occurred) if occurred else datetime.now(UTC).date(),
        place=str(payload.get("place", ""))[:200] or country,
        country=country,
        reporting_agency=org.name[:200],
        narrative=f"Drafted from customs event {payload['customs_event_id']} on notification "
        f"{reference}; complete and finalise.",
        source_key=key,
        owner_organisation_id=org.id,
        created_by_id=user.id,
        distribution=Distribution.country_authorities,
        tlp=Tlp.amber,
        version=1,
    )
    session.add(incident)
    session.flush()
    for line in substances:
        line.incident_id = incident.id
        session.add(line)
    for role in ("exporter", "importer"):
        party = payload.get(role) or {}
        if party.get("name"):
            session.add(
                IncidentParty(
                    incident_id=incident.id,
                    kind=PartyKind.company.value,
                    value=str(party["name"])[:300],
                    country=(str(party.get("country") or "")[:2].upper() or None),
                    role=role,
                )
            )
    for leg, party_role in (("origin", "exporter"), ("destination", "importer")):
        party = payload.get(party_role) or {}
        if party.get("country"):
            session.add(
                IncidentRouteStop(
                    incident_id=incident.id,
                    position=0 if leg == "origin" else 1,
                    leg=leg,
                    country=str(party["country"])[:2].upper(),
                )
            )
    session.flush()
    _store_links(
        session,
        "incident",
        incident.id,
        [("pre_export_notification", int(payload["notification_id"]))],
    )
    _record(session, principal, incident, "created", [s.name for s in substances])
    return incident


def _on_consignment_stopped(session: Session, event: OutboxEvent) -> None:
    draft_from_customs_event(session, event)


events_service.register_handler("notification.consignment_stopped", _on_consignment_stopped)


# --- Industry alerts -----------------------------------------------------------------------

# Until published, an alert is read by the authorities of its author's country (who approve).
DRAFT_DISTRIBUTION = Distribution.country_authorities


def _may_draft_alert(principal: Principal) -> bool:
    return principal.is_authority and principal.role in (Role.admin, Role.analyst)


def _alerts(principal: Principal) -> Select[Any]:
    stmt = sharing.visible(select(IndustryAlert), principal, IndustryAlert)
    if not principal.is_authority:
        # Only published alerts reach anyone outside the authorities, whatever the marking.
        stmt = stmt.where(IndustryAlert.status == AlertStatus.published.value)
    return stmt


def get_alert(session: Session, principal: Principal, alert_id: int) -> IndustryAlert:
    """One alert the caller may read."""
    found: IndustryAlert | None = session.scalars(
        _alerts(principal).where(IndustryAlert.id == alert_id)
    ).one_or_none()
    if found is None:
        raise NotFound(Message("No industry alert %(id)s.", id=alert_id))
    return found


def _alert_details(alert: IndustryAlert, **extra: Any) -> dict[str, Any]:
    return {
        "title": f"Industry alert: {alert.title}",
        "kind": "industry_alert",
        "status": alert.status,
        "substances": list(alert.substances),
        "countries": list(alert.countries),
        "severity": alert.severity,
        **extra,
    }


def draft_alert(session: Session, principal: Principal, *, data: AlertCreate) -> IndustryAlert:
    """Draft an industry alert; it stays among authorities until a second officer approves."""
    if not _may_draft_alert(principal):
        raise Forbidden(Message("Analysts and admins of authorities draft industry alerts."))
    if data.expires_on <= datetime.now(UTC).date():
        raise InvalidInput(
            Message("An alert must expire after today."),
            errors=[("body.expires_on", Message("not after today"))],
        )
    if data.distribution is Distribution.organisation:
        raise InvalidInput(
            Message("An alert is for others: choose a wider distribution."),
            errors=[("body.distribution", Message("organisation is not for alerts"))],
        )
    sharing.check_marking(session, principal, data.distribution, data.tlp, data.sharing_group_id)
    catalog = catalog_service.snapshot(session)
    names: list[str] = []
    errors: list[tuple[str, str]] = []
    for n, text in enumerate(data.substances):
        record = catalog.records.get(text.strip()) or catalog.lookup(text.strip()).record
        if record is None:
            errors.append((f"body.substances.{n}", Message("not in the catalog")))
        elif record.name not in names:
            names.append(record.name)
    for n, code in enumerate(data.countries):
        if not _country_known(session, code):
            errors.append((f"body.countries.{n}", Message("unknown country")))
    if errors:
        raise InvalidInput(Message("The alert has fields to correct."), errors=errors)
    _check_links(session, principal, data.links)
    alert = IndustryAlert(
        status=AlertStatus.draft.value,
        title=data.title,
        watch_for=data.watch_for,
        substances=names,
        countries=sorted(set(data.countries)),
        indicators=[i.model_dump(mode="json") for i in data.indicators],
        severity=data.severity.value,
        expires_on=data.expires_on,
        target_distribution=data.distribution.value,
        target_sharing_group_id=data.sharing_group_id,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=DRAFT_DISTRIBUTION,
        tlp=data.tlp,
        sharing_group_id=None,
    )
    session.add(alert)
    session.flush()
    _store_links(
        session, "industry_alert", alert.id, [(x.record_type, x.record_id) for x in data.links]
    )
    audit.record(
        session,
        principal,
        "alert.drafted",
        record_type=IndustryAlert.record_type,
        record_id=alert.id,
        details=_alert_details(alert),
    )
    return alert


def submit_alert(session: Session, principal: Principal, alert_id: int) -> IndustryAlert:
    """Ask a second officer to approve a draft alert."""
    alert = get_alert(session, principal, alert_id)
    if not sharing.can_edit(principal, alert) or not _may_draft_alert(principal):
        raise Forbidden(Message("The author's organisation submits its alerts."))
    if alert.status != AlertStatus.draft.value:
        raise Conflict(
            Message(
                "Alert %(id)s is %(status)s; only drafts are submitted.",
                id=alert.id,
                status=alert.status,
            )
        )
    alert.status = AlertStatus.submitted.value
    alert.submitted_at = utc_now()
    alert.updated_at = alert.submitted_at
    session.flush()
    audit.record_change(
        session,
        principal,
        "alert.submitted",
        record_type=IndustryAlert.record_type,
        record_id=alert.id,
        organisation_id=alert.owner_organisation_id,
        details=_alert_details(alert),
    )
    return alert


def approve_alert(session: Session, principal: Principal, alert_id: int) -> IndustryAlert:
    """Approve and publish a submitted alert: a second officer, never its author (four eyes)."""
    alert = get_alert(session, principal, alert_id)
    if not _may_draft_alert(principal):
        raise Forbidden(Message("Analysts and admins of authorities approve industry alerts."))
    if alert.created_by_id == principal.user_id:
        raise Forbidden(
            Message("Four eyes: a second officer approves an alert, not its author."),
            errors=[("approver", Message("the author cannot approve their own alert"))],
        )
    if alert.status != AlertStatus.submitted.value:
        raise Conflict(
            Message(
                "Alert %(id)s is %(status)s; only a submitted alert can be approved.",
                id=alert.id,
                status=alert.status,
            )
        )
    now = utc_now()
    alert.status = AlertStatus.published.value
    alert.approved_by_id = principal.user_id
    alert.published_at = now
    alert.updated_at = now
    alert.distribution = Distribution(alert.target_distribution)
    alert.sharing_group_id = alert.target_sharing_group_id
    session.flush()
    audit.record_change(
        session,
        principal,
        "alert.published",
        record_type=IndustryAlert.record_type,
        record_id=alert.id,
        organisation_id=alert.owner_organisation_id,
        details=_alert_details(alert, approved_by=principal.email),
    )
    return alert


@dataclass(frozen=True)
class AlertFilters:
    """Which alerts a list shows."""

    feed: bool = True  # published and not expired only
    status: str | None = None
    q: str | None = None


def _alert_search(principal: Principal, filters: AlertFilters) -> Select[Any]:
    stmt = _alerts(principal)
    if filters.feed:
        stmt = stmt.where(
            IndustryAlert.status == AlertStatus.published.value,
            IndustryAlert.expires_on >= datetime.now(UTC).date(),
        )
    if filters.status:
        stmt = stmt.where(IndustryAlert.status == filters.status)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(IndustryAlert.title).like(pattern),
                func.lower(IndustryAlert.watch_for).like(pattern),
            )
        )
    return stmt


def list_alerts(
    session: Session, principal: Principal, params: PageParams, filters: AlertFilters
) -> Page[IndustryAlert]:
    """A page of alerts the caller may read, newest first."""
    stmt = _alert_search(principal, filters).order_by(
        func.coalesce(IndustryAlert.published_at, IndustryAlert.created_at).desc(),
        IndustryAlert.id.desc(),
    )
    return fetch_page(session, stmt, params)


def read_alert_ids(session: Session, principal: Principal, alert_ids: Sequence[int]) -> set[int]:
    """Which of these alerts the user has marked read."""
    if not alert_ids:
        return set()
    return set(
        session.scalars(
            select(AlertRead.alert_id).where(
                AlertRead.user_id == principal.user_id, AlertRead.alert_id.in_(list(alert_ids))
            )
        ).all()
    )


def unread_count(session: Session, principal: Principal) -> int:
    """Published, unexpired alerts the user has not marked read."""
    read = select(AlertRead.alert_id).where(AlertRead.user_id == principal.user_id)
    sub = (
        _alert_search(principal, AlertFilters())
        .where(IndustryAlert.id.not_in(read))
        .with_only_columns(IndustryAlert.id)
        .subquery()
    )
    return session.scalar(select(func.count()).select_from(sub)) or 0


def mark_alert_read(session: Session, principal: Principal, alert_id: int) -> None:
    """Mark an alert read for the user (once)."""
    alert = get_alert(session, principal, alert_id)
    if (
        session.scalar(
            select(AlertRead.id).where(
                AlertRead.alert_id == alert.id, AlertRead.user_id == principal.user_id
            )
        )
        is None
    ):
        session.add(AlertRead(alert_id=alert.id, user_id=principal.user_id))
        session.flush()


def record_sighting(
    session: Session, principal: Principal, alert_id: int, *, data: SightingCreate
) -> AlertSighting:
    """ "We saw this": tell the alert's authority, and nobody else, that the alert matched."""
    alert = get_alert(session, principal, alert_id)
    if alert.status != AlertStatus.published.value:
        raise Conflict(Message("Sightings are recorded on published alerts."))
    if not principal.can_write:
        raise Forbidden(Message("Viewers read alerts; they do not record sightings."))
    if data.seen_on > datetime.now(UTC).date():
        raise InvalidInput(
            Message("A sighting cannot be in the future."),
            errors=[("body.seen_on", Message("after today"))],
        )
    sighting = AlertSighting(
        alert_id=alert.id,
        seen_on=data.seen_on,
        note=data.note,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
    )
    session.add(sighting)
    session.flush()
    if alert.owner_organisation_id != principal.organisation_id:
        sharing.add_routed_reader(
            session, sighting, alert.owner_organisation_id, reason="authority of the alert"
        )
    audit.record_change(
        session,
        principal,
        "alert.sighted",
        record_type=AlertSighting.record_type,
        record_id=sighting.id,
        organisation_id=principal.organisation_id,
        details={
            "title": f"{principal.organisation_name} saw alert {alert.id}: {alert.title}",
            "kind": "alert_sighting",
            "alert_id": alert.id,
            "authority_organisation_id": alert.owner_organisation_id,
            "substances": list(alert.substances),
            "countries": list(alert.countries),
            "severity": alert.severity,
        },
    )
    return sighting


def list_sightings(
    session: Session, principal: Principal, *, alert_id: int | None = None
) -> list[AlertSighting]:
    """Sightings the caller may read: its own organisation's, and those of its alerts."""
    stmt = sharing.visible(select(AlertSighting), principal, AlertSighting)
    if alert_id is not None:
        stmt = stmt.where(AlertSighting.alert_id == alert_id)
    return list(session.scalars(stmt.order_by(AlertSighting.created_at.desc())).all())


def get_sighting(session: Session, principal: Principal, sighting_id: int) -> AlertSighting:
    """One sighting the caller may read."""
    return sharing.access_by_id(session, principal, AlertSighting, sighting_id)
