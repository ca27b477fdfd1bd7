"""Pre-export notifications: export applications, sending, answers, deadlines, customs events."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from precx.accounts.models import Organisation, User
from precx.accounts.principal import OrgKind, Principal, Role
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.declarations import service as declarations_service
from precx.events import service as events
from precx.kit.fields import country_name
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from precx.licensing import service as licensing_service
from precx.notifications.models import (
    CustomsEvent,
    ExportApplication,
    NotificationAmendment,
    NotificationResponse,
    PenCountrySetting,
    PreExportNotification,
)
from precx.notifications.schemas import (
    AmendmentRead,
    ApplicationCreate,
    ApplicationRead,
    CheckRead,
    ConsignmentIn,
    CountrySettingIn,
    CountrySettingRead,
    CustomsEventIn,
    CustomsEventRead,
    LineRead,
    NotificationAmend,
    NotificationCreate,
    NotificationRead,
    NotificationStatus,
    NotificationSummary,
    ResponseIn,
    ResponseRead,
    SendFromApplication,
    Withdrawal,
)
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, Tlp

DEFAULT_REPLY_DAYS = 15
REMINDER_DAYS = (3, 1)
NEAR_DAYS = 3
AWAITING = ("sent", "acknowledged")
# Statuses a notification can take; `no_response` only through the deadline sweep.
STATUSES = ("sent", "acknowledged", "cleared", "objected", "no_response", "withdrawn")
# What customs may record, by the country role of the customs office.
EXIT_KINDS = ("dispatched", "released_at_exit")
TRANSIT_KINDS = ("in_transit",)
ENTRY_KINDS = ("arrived", "released_at_entry")
STOP_KINDS = ("stopped", "seized")
# A progress event needs one more of its predecessor than of itself (several shipments under
# a simplified notification each pass the same steps).
PREDECESSOR = {
    "released_at_exit": "dispatched",
    "in_transit": "released_at_exit",
    "arrived": "dispatched",
    "released_at_entry": "arrived",
}
UNIT_TO_KG = {"kg": 1.0, "g": 0.001, "t": 1000.0}
LITRES = {"l": 1.0, "ml": 0.001}
SORT_KEYS = ("reference", "sent_at", "reply_deadline", "dispatch_date", "status", "importer_name")
READER_AUTHORITY = "licensing authority of the importing country"
READER_CUSTOMS_IMPORT = "customs of the importing country"
READER_CUSTOMS_EXPORT = "customs of the exporting country"
READER_TRANSIT = "transit country"
READER_APPLICATION = "licensing authority of the exporter's country"


def today() -> date:
    """The current date in UTC, the one dispatch dates and events are judged against."""
    return datetime.now(UTC).date()


def now() -> datetime:
    """The current time (UTC)."""
    return datetime.now(UTC)


# --- Checking the terms ---------------------------------------------------------------------


def _country(session: Session, code: str, field: str) -> str:
    try:
        return catalog_service.get_country(session, code).iso2
    except NotFound:
        raise InvalidInput(
            Message("%(code)s is not a country of the catalog.", code=repr(code)),
            errors=[(field, Message("unknown country"))],
        ) from None


def _quantity_kg(substance_id: str, quantity: float, unit: str) -> float | None:
    if unit in UNIT_TO_KG:
        return quantity * UNIT_TO_KG[unit]
    return declarations_service.quantity_in_kg(substance_id, quantity * LITRES[unit], "l")


def _lines(session: Session, data: ConsignmentIn, prefix: str = "body") -> list[dict[str, Any]]:
    """The consignment's lines with catalog substances, in kilograms; refused where impossible."""
    catalog = catalog_service.snapshot(session)
    lines: list[dict[str, Any]] = []
    for i, line in enumerate(data.lines):
        field = f"{prefix}.lines.{i}"
        record = catalog.named(line.substance)
        if record is None:
            raise InvalidInput(
                Message(
                    "%(substance)s is not a substance of the catalog.",
                    substance=repr(line.substance),
                ),
                errors=[(f"{field}.substance", Message("unknown substance"))],
            )
        controls = catalog_service.controlling_record(session, record.id)
        if data.kind == "voluntary" and controls.scheduled:
            raise InvalidInput(
                Message(
                    "%(substance)s is scheduled: notify it as a standard or simplified "
                    "notification.",
                    substance=record.name,
                ),
                errors=[
                    (
                        f"{field}.substance",
                        Message("scheduled substance in a voluntary notification"),
                    )
                ],
            )
        if data.kind != "voluntary" and not controls.scheduled:
            if controls.watched or record.watched:
                raise InvalidInput(
                    Message(
                        "%(substance)s is not scheduled: use a voluntary notification.",
                        substance=record.name,
                    ),
                    errors=[
                        (
                            f"{field}.substance",
                            Message("not scheduled: use a voluntary notification"),
                        )
                    ],
                )
            raise InvalidInput(
                Message(
                    "%(substance)s is neither scheduled nor watched: no notification applies.",
                    substance=record.name,
                ),
                errors=[
                    (
                        f"{field}.substance",
                        Message("neither scheduled nor watched: no notification applies"),
                    )
                ],
            )
        if data.kind == "voluntary" and not (controls.watched or record.watched):
            raise InvalidInput(
                Message(
                    "%(substance)s is neither scheduled nor watched: no notification applies.",
                    substance=record.name,
                ),
                errors=[(f"{field}.substance", Message("not a watched substance"))],
            )
        kg = _quantity_kg(record.id, line.quantity, line.unit)
        if kg is None:
            raise InvalidInput(
                Message(
                    "%(substance)s is not traded by volume here (no density known): "
                    "give kg, g or t.",
                    substance=record.name,
                ),
                errors=[(f"{field}.unit", Message("impossible unit for this substance"))],
            )
        lines.append(
            {
                "substance_id": record.id,
                "substance_name": record.name,
                "quantity": line.quantity,
                "unit": line.unit,
                "quantity_kg": round(kg, 6),
                "concentration_percent": line.concentration_percent,
                "packaging": line.packaging,
            }
        )
    ids = [line["substance_id"] for line in lines]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            Message("Each substance appears once; add the quantities up."),
            errors=[(f"{prefix}.lines", Message("a substance appears twice"))],
        )
    return lines


def _check_terms(
    session: Session, data: ConsignmentIn, exporter_country: str, prefix: str = "body"
) -> dict[str, Any]:
    importer = _country(session, data.importer_country, f"{prefix}.importer_country")
    if importer == exporter_country:
        raise InvalidInput(
            Message("A notification is for an export: the importer is in another country."),
            errors=[(f"{prefix}.importer_country", Message("same country as the exporter"))],
        )
    transit = []
    for i, code in enumerate(data.transit_countries):
        iso2 = _country(session, code, f"{prefix}.transit_countries.{i}")
        if iso2 in (importer, exporter_country) or iso2 in transit:
            raise InvalidInput(
                Message("%(country)s cannot be a transit country here.", country=iso2),
                errors=[
                    (
                        f"{prefix}.transit_countries.{i}",
                        Message("exporting, importing or repeated"),
                    )
                ],
            )
        transit.append(iso2)
    if data.dispatch_date < today():
        raise InvalidInput(
            Message("The expected dispatch date is in the past."),
            errors=[(f"{prefix}.dispatch_date", Message("in the past"))],
        )
    if data.kind == "simplified" and data.period_months is None:
        raise InvalidInput(
            Message("A simplified notification covers 6 or 12 months."),
            errors=[(f"{prefix}.period_months", Message("required for a simplified notification"))],
        )
    if data.kind != "simplified" and data.period_months is not None:
        raise InvalidInput(
            Message("Only a simplified notification covers a period."),
            errors=[(f"{prefix}.period_months", Message("only for simplified notifications"))],
        )
    lines = _lines(session, data, prefix)
    return {
        "kind": data.kind,
        "importer_name": data.importer_name,
        "importer_address": data.importer_address,
        "importer_country": importer,
        "importer_licence_number": data.importer_licence_number,
        "consignee_name": data.consignee_name,
        "consignee_address": data.consignee_address,
        "lines": lines,
        "substance_names": ", ".join(line["substance_name"] for line in lines)[:1000],
        "transport_mode": data.transport_mode,
        "exit_point": data.exit_point,
        "transit_countries": transit,
        "entry_point": data.entry_point,
        "dispatch_date": data.dispatch_date,
        "period_months": data.period_months,
        "export_authorisation_number": data.export_authorisation_number,
        "import_permit_number": data.import_permit_number,
        "notes": data.notes,
    }


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


# --- Organisations and readers --------------------------------------------------------------


def _orgs(session: Session, kinds: Iterable[OrgKind], countries: Iterable[str]) -> list[int]:
    stmt = select(Organisation.id).where(
        Organisation.kind.in_(list(kinds)),
        Organisation.country.in_(list(countries)),
        Organisation.status == "active",
    )
    return list(session.scalars(stmt.order_by(Organisation.id)).all())


def _org_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    ).all()
    return {int(i): str(n) for i, n in rows}


def _settings(session: Session, country: str) -> PenCountrySetting | None:
    return session.get(PenCountrySetting, country)


def reply_days_for(session: Session, country: str, default: int = DEFAULT_REPLY_DAYS) -> int:
    """The reply period of an importing country: its own, or the platform's default."""
    row = _settings(session, country)
    return row.reply_days if row is not None and row.reply_days else default


def _add_readers(session: Session, n: PreExportNotification) -> None:
    readers: dict[int, str] = {}
    for org_id in _orgs(session, [OrgKind.licensing_authority], [n.importer_country]):
        readers.setdefault(org_id, READER_AUTHORITY)
    for org_id in _orgs(session, [OrgKind.customs], [n.importer_country]):
        readers.setdefault(org_id, READER_CUSTOMS_IMPORT)
    for org_id in _orgs(session, [OrgKind.customs], [n.exporter_country]):
        readers.setdefault(org_id, READER_CUSTOMS_EXPORT)
    asking = [c for c in n.transit_countries if (s := _settings(session, c)) and s.transit_copies]
    for org_id in _orgs(session, [OrgKind.licensing_authority, OrgKind.customs], asking):
        readers.setdefault(org_id, READER_TRANSIT)
    readers.pop(n.owner_organisation_id, None)
    for org_id, reason in readers.items():
        sharing.add_routed_reader(session, n, org_id, reason=reason)


def _payload(
    n: PreExportNotification | ExportApplication, title: str, kind: str, severity: str = "medium"
) -> dict[str, Any]:
    return {
        "title": title,
        "kind": kind,
        "substances": [line["substance_name"] for line in n.lines],
        "countries": list(
            dict.fromkeys([n.exporter_country, n.importer_country, *n.transit_countries])
        ),
        "severity": severity,
        "reference": getattr(n, "reference", None),
    }


def _emit(
    session: Session,
    principal: Principal | None,
    topic: str,
    n: PreExportNotification,
    title: str,
    *,
    severity: str = "medium",
    details: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    actor_label: str | None = None,
) -> None:
    """The audit entry and the event of one change to a notification, in its transaction."""
    audit.record(
        session,
        principal,
        topic,
        record_type=n.record_type,
        record_id=n.id,
        details={"reference": n.reference, **(details or {})},
        actor_label=actor_label,
        organisation_id=n.owner_organisation_id,
    )
    events.emit(
        session,
        topic,
        record_type=n.record_type,
        record_id=n.id,
        organisation_id=organisation_id or n.owner_organisation_id,
        payload={**_payload(n, title, topic.split(".", 1)[1], severity), **(details or {})},
    )


def _flush(session: Session) -> None:
    """Flush; a notification another transaction changed meanwhile is a conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            Message("The notification was changed by someone else meanwhile; reload it."),
            errors=[("body", Message("changed concurrently"))],
        ) from None


# --- Export applications --------------------------------------------------------------------


def submit_application(
    session: Session, principal: Principal, *, data: ApplicationCreate
) -> ExportApplication:
    """An exporter applies for an export authorisation; its authority reads the application."""
    if principal.organisation_kind is not OrgKind.industry or not principal.can_write:
        raise Forbidden(Message("Exporters (industry) apply for export authorisations."))
    terms = _check_terms(session, data, principal.country)
    exporter = session.get(Organisation, principal.organisation_id)
    application = ExportApplication(
        **terms,
        status="submitted",
        exporter_name=principal.organisation_name,
        exporter_address=getattr(exporter, "address", "") or "",
        exporter_country=principal.country,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
    )
    session.add(application)
    session.flush()
    for org_id in _orgs(session, [OrgKind.licensing_authority], [principal.country]):
        sharing.add_routed_reader(session, application, org_id, reason=READER_APPLICATION)
    title = f"Export application to {application.importer_country}: {application.substance_names}"
    audit.record(
        session,
        principal,
        "export_application.submitted",
        record_type=application.record_type,
        record_id=application.id,
        details={"importer_country": application.importer_country},
    )
    events.emit(
        session,
        "export_application.submitted",
        record_type=application.record_type,
        record_id=application.id,
        organisation_id=principal.organisation_id,
        payload=_payload(application, title, "export_application"),
    )
    return application


def list_applications(
    session: Session, principal: Principal, params: PageParams, *, status: str | None = None
) -> Page[ExportApplication]:
    """Applications the caller may read: its own (exporter) or its country's (authority)."""
    stmt = sharing.visible(select(ExportApplication), principal, ExportApplication)
    if status:
        stmt = stmt.where(ExportApplication.status == status)
    return fetch_page(
        session,
        stmt.order_by(ExportApplication.created_at.desc(), ExportApplication.id.desc()),
        params,
    )


def get_application(
    session: Session, principal: Principal, application_id: int
) -> ExportApplication:
    """One application the caller may read."""
    return sharing.access_by_id(session, principal, ExportApplication, application_id)


def exporter_status(n: PreExportNotification) -> str:
    """The status the exporter sees: sent, cleared, objected, no response, shipped, arrived."""
    if n.status == "withdrawn":
        return "withdrawn"
    if n.shipment_status in ("arrived", "released_at_entry"):
        return "arrived"
    if n.shipment_status in ("stopped", "seized"):
        return "stopped"
    if n.shipment_status:
        return "shipped"
    return "sent" if n.status in AWAITING else n.status


def _recorded_by_authority(session: Session, application: ExportApplication) -> bool:
    """Whether the authority recorded the application (a notification made by hand for a
    registered exporter) rather than the exporter applying."""
    creator = session.get(User, application.created_by_id) if application.created_by_id else None
    return creator is not None and creator.organisation_id != application.owner_organisation_id


def describe_application(session: Session, application: ExportApplication) -> ApplicationRead:
    """The application with the status (never the internal notes) of its notification."""
    status = None
    if application.notification_id is not None:
        # Loaded by id and by the application it came from, after the application's gate.
        n = session.scalars(
            select(PreExportNotification).where(
                PreExportNotification.id == application.notification_id,
                PreExportNotification.application_id == application.id,
            )
        ).one_or_none()
        if n is not None:
            status = NotificationStatus(
                reference=n.reference,
                status=n.status,
                exporter_status=exporter_status(n),
                response_reason=n.response_reason if n.status == "objected" else "",
                reply_deadline=n.reply_deadline,
            )
    return ApplicationRead(
        id=application.id,
        kind=application.kind,
        status=application.status,
        exporter_name=application.exporter_name,
        exporter_country=application.exporter_country,
        importer_name=application.importer_name,
        importer_country=application.importer_country,
        importer_licence_number=application.importer_licence_number,
        lines=[LineRead(**line) for line in application.lines],
        transport_mode=application.transport_mode,
        exit_point=application.exit_point,
        transit_countries=application.transit_countries,
        entry_point=application.entry_point,
        dispatch_date=application.dispatch_date,
        period_months=application.period_months,
        export_authorisation_number=application.export_authorisation_number,
        import_permit_number=application.import_permit_number,
        notes=application.notes,
        created_at=application.created_at,
        notification=status,
        recorded_by_authority=_recorded_by_authority(session, application),
    )


# --- Sending --------------------------------------------------------------------------------


def may_notify(principal: Principal) -> bool:
    """Whether the principal sends notifications by hand (its country's licensing authority)."""
    return licensing_service.maintains_register(principal, principal.country)


def exporters_for(session: Session, principal: Principal) -> list[Organisation]:
    """The exporters a hand-made notification may name: the active industry organisations of
    the authority's own country, by name; none for whoever does not notify."""
    if not may_notify(principal):
        return []
    stmt = select(Organisation).where(
        Organisation.kind == OrgKind.industry,
        Organisation.country == principal.country,
        Organisation.status == "active",
    )
    return list(session.scalars(stmt.order_by(Organisation.name, Organisation.id)).all())


def _require_exporting_authority(principal: Principal) -> None:
    if not may_notify(principal):
        raise Forbidden(
            Message("Analysts and administrators of a licensing authority send notifications.")
        )


def _next_reference(session: Session, country: str, year: int) -> str:
    prefix = f"PEN-{country}-{year}-"
    last = session.scalar(
        select(func.max(PreExportNotification.reference)).where(
            PreExportNotification.reference.like(prefix + "%")
        )
    )
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def _send(
    session: Session,
    principal: Principal,
    terms: dict[str, Any],
    *,
    exporter_name: str,
    exporter_address: str,
    exporter_organisation_id: int | None,
    internal_notes: str,
    application_id: int | None,
    default_reply_days: int,
) -> PreExportNotification:
    sent_at = now()
    days = reply_days_for(session, terms["importer_country"], default_reply_days)
    n = PreExportNotification(
        **terms,
        reference=_next_reference(session, principal.country, sent_at.year),
        status="sent",
        exporter_name=exporter_name,
        exporter_address=exporter_address,
        exporter_country=principal.country,
        exporter_organisation_id=exporter_organisation_id,
        application_id=application_id,
        internal_notes=internal_notes,
        sent_at=sent_at,
        reply_deadline=sent_at + timedelta(days=days),
        valid_until=_add_months(terms["dispatch_date"], terms["period_months"])
        if terms["period_months"]
        else None,
        quantity_used={},
        shipment_status="",
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
    )
    session.add(n)
    session.flush()
    _add_readers(session, n)
    _emit(
        session,
        principal,
        "notification.sent",
        n,
        f"Pre-export notification {n.reference} from {n.exporter_country} to "
        f"{n.importer_country}: {n.substance_names}",
        details={"reply_deadline": n.reply_deadline.isoformat()},
    )
    return n


def create_notification(
    session: Session,
    principal: Principal,
    *,
    data: NotificationCreate,
    default_reply_days: int = DEFAULT_REPLY_DAYS,
) -> PreExportNotification:
    """The exporting authority notifies a planned export by hand (or from its own system).

    Naming a registered exporter records the export among that exporter's applications, where
    it follows the status (`_record_for_exporter`)."""
    _require_exporting_authority(principal)
    terms = _check_terms(session, data, principal.country)
    exporter_id = data.exporter_organisation_id
    if exporter_id is not None:
        org = session.get(Organisation, exporter_id)
        if org is None or org.kind != OrgKind.industry or org.country != principal.country:
            raise InvalidInput(
                Message("The exporter must be an industry member of your country."),
                errors=[
                    (
                        "body.exporter_organisation_id",
                        Message("not an exporter of your country"),
                    )
                ],
            )
        if org.status != "active":
            # It would be given the export among its applications: not while suspended.
            raise InvalidInput(
                Message("The exporter's organisation is not active on the platform."),
                errors=[
                    (
                        "body.exporter_organisation_id",
                        Message("organisation %(status)s", status=org.status),
                    )
                ],
            )
    n = _send(
        session,
        principal,
        terms,
        exporter_name=data.exporter_name,
        exporter_address=data.exporter_address,
        exporter_organisation_id=exporter_id,
        internal_notes=data.internal_notes,
        application_id=None,
        default_reply_days=default_reply_days,
    )
    if exporter_id is not None:
        _record_for_exporter(session, principal, n, exporter_id)
    return n


# The terms of a consignment that an application and its notification share.
_CONSIGNMENT = (
    "kind",
    "importer_name",
    "importer_address",
    "importer_country",
    "importer_licence_number",
    "consignee_name",
    "consignee_address",
    "lines",
    "substance_names",
    "transport_mode",
    "exit_point",
    "transit_countries",
    "entry_point",
    "dispatch_date",
    "period_months",
    "export_authorisation_number",
    "import_permit_number",
    "notes",
)


def _record_for_exporter(
    session: Session, principal: Principal, n: PreExportNotification, exporter_id: int
) -> ExportApplication:
    """A notification made by hand for a registered exporter joins the exporter's export
    applications, already notified: the exporter follows its status there, as for one it applied
    for, and never reads the notification itself or the authorities' notes."""
    application = ExportApplication(
        **{name: getattr(n, name) for name in _CONSIGNMENT},
        status="notified",
        notification_id=n.id,
        exporter_name=n.exporter_name,
        exporter_address=n.exporter_address,
        exporter_country=n.exporter_country,
        owner_organisation_id=exporter_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
    )
    session.add(application)
    session.flush()
    for org_id in _orgs(session, [OrgKind.licensing_authority], [principal.country]):
        sharing.add_routed_reader(session, application, org_id, reason=READER_APPLICATION)
    n.application_id = application.id
    audit.record(
        session,
        principal,
        "export_application.recorded",
        record_type=application.record_type,
        record_id=application.id,
        details={"notification": n.reference, "exporter_organisation_id": exporter_id},
    )
    events.emit(
        session,
        "export_application.recorded",
        record_type=application.record_type,
        record_id=application.id,
        organisation_id=exporter_id,
        # News for the exporter alone: its authority heard of the notification it sent.
        payload={
            **_payload(
                application,
                f"Your export to {application.importer_country} was notified as {n.reference}",
                "export_application",
            ),
            "internal": True,
        },
    )
    session.flush()
    return application


def send_from_application(
    session: Session,
    principal: Principal,
    application_id: int,
    *,
    data: SendFromApplication,
    default_reply_days: int = DEFAULT_REPLY_DAYS,
) -> PreExportNotification:
    """The exporting authority authorises an application and sends its notification."""
    application = get_application(session, principal, application_id)
    _require_exporting_authority(principal)
    if application.exporter_country != principal.country:
        raise Forbidden(
            Message("Only the authority of the exporter's country sends its notification.")
        )
    if application.status != "submitted":
        raise Conflict(
            Message(
                "The application is %(status)s, not waiting to be sent.",
                status=application.status,
            ),
            errors=[("application_id", application.status)],
        )
    if application.dispatch_date < today():
        raise InvalidInput(
            Message("The application's dispatch date has passed; the exporter applies anew."),
            errors=[("body.dispatch_date", Message("in the past"))],
        )
    terms = {name: getattr(application, name) for name in _CONSIGNMENT}
    if data.export_authorisation_number:
        terms["export_authorisation_number"] = data.export_authorisation_number
    n = _send(
        session,
        principal,
        terms,
        exporter_name=application.exporter_name,
        exporter_address=application.exporter_address,
        exporter_organisation_id=application.owner_organisation_id,
        internal_notes=data.internal_notes,
        application_id=application.id,
        default_reply_days=default_reply_days,
    )
    application.status = "notified"
    application.notification_id = n.id
    application.export_authorisation_number = n.export_authorisation_number
    session.flush()
    return n


# --- Reading --------------------------------------------------------------------------------


def get_notification(
    session: Session, principal: Principal, notification_id: int
) -> PreExportNotification:
    """One notification the caller may read; hidden ones are as absent as missing ones."""
    return sharing.access_by_id(session, principal, PreExportNotification, notification_id)


@dataclass(frozen=True)
class NotificationFilters:
    """How to narrow a list of notifications."""

    box: str | None = None  # outbox: sent by us; inbox: sent to us
    status: str | None = None
    q: str | None = None


def _filtered(principal: Principal, filters: NotificationFilters) -> Select[Any]:
    stmt = sharing.visible(select(PreExportNotification), principal, PreExportNotification)
    if filters.box == "outbox":
        stmt = stmt.where(PreExportNotification.owner_organisation_id == principal.organisation_id)
    elif filters.box == "inbox":
        stmt = stmt.where(PreExportNotification.owner_organisation_id != principal.organisation_id)
    if filters.status in STATUSES:
        stmt = stmt.where(PreExportNotification.status == filters.status)
    if filters.q and filters.q.strip():
        stmt = stmt.where(_search_clause(filters.q))
    return stmt


def _search_clause(q: str) -> Any:
    text = q.strip()
    words = [w for w in text.replace(",", " ").split() if w][:6]
    by_words = and_(
        *[
            or_(
                PreExportNotification.exporter_name.ilike(f"%{w}%"),
                PreExportNotification.importer_name.ilike(f"%{w}%"),
                PreExportNotification.substance_names.ilike(f"%{w}%"),
                cast(PreExportNotification.lines, String).ilike(f"%{w}%"),
            )
            for w in words
        ]
    )
    return or_(
        PreExportNotification.reference == text.upper(),
        PreExportNotification.export_authorisation_number == text,
        by_words,
    )


def list_notifications(
    session: Session, principal: Principal, params: PageParams, filters: NotificationFilters
) -> Page[PreExportNotification]:
    """Notifications the caller may read (inbox, outbox or both), newest first by default."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-sent_at")
    column = getattr(PreExportNotification, key)
    order = column.desc() if descending else column.asc()
    stmt = _filtered(principal, filters).order_by(order, PreExportNotification.id.desc())
    return fetch_page(session, stmt, params)


def lookup(
    session: Session, principal: Principal, q: str, *, limit: int = 20
) -> list[PreExportNotification]:
    """Customs' one search box: a reference, an export authorisation number, or names and a
    substance; exact references answer first."""
    text = q.strip()
    if not text:
        return []
    if len(text) > 200:
        raise InvalidInput(
            Message("The search is too long."),
            errors=[("query.q", Message("at most 200 characters"))],
        )
    stmt = sharing.visible(select(PreExportNotification), principal, PreExportNotification)
    exact = session.scalars(
        stmt.where(
            or_(
                PreExportNotification.reference == text.upper(),
                PreExportNotification.export_authorisation_number == text,
            )
        ).limit(limit)
    ).all()
    if exact:
        return list(exact)
    return list(
        session.scalars(
            stmt.where(_search_clause(text))
            .order_by(PreExportNotification.sent_at.desc())
            .limit(limit)
        ).all()
    )


def deadline_state(
    n: PreExportNotification, at: datetime | None = None
) -> Literal["", "near", "overdue"]:
    """`overdue` past the deadline with no answer, `near` within three days, else empty."""
    if n.status not in AWAITING:
        return ""
    moment = at or now()
    if moment >= n.reply_deadline:
        return "overdue"
    return "near" if moment >= n.reply_deadline - timedelta(days=NEAR_DAYS) else ""


def summarise(n: PreExportNotification) -> NotificationSummary:
    """One line of a list."""
    return NotificationSummary(
        id=n.id,
        reference=n.reference,
        kind=n.kind,
        status=n.status,
        shipment_status=n.shipment_status,
        exporter_name=n.exporter_name,
        exporter_country=n.exporter_country,
        importer_name=n.importer_name,
        importer_country=n.importer_country,
        substances=n.substance_names,
        dispatch_date=n.dispatch_date,
        sent_at=n.sent_at,
        reply_deadline=n.reply_deadline,
        deadline_state=deadline_state(n),
    )


def sees_internal_notes(principal: Principal) -> bool:
    """Licensing authorities that read a notification see its internal notes; nobody else."""
    return (
        principal.organisation_kind is OrgKind.licensing_authority and not principal.reads_only_own
    )


def _check(check: str, outcome: Literal["ok", "warning", "unknown"], message: str) -> CheckRead:
    """A check whose message stays a kit.i18n.Message for the page (validating the model would
    make it a plain str); the API sends its English."""
    return CheckRead.model_construct(check=check, outcome=outcome, message=message)


def checks(session: Session, n: PreExportNotification) -> list[CheckRead]:
    """The importer's licence, the importing country's ALR and its notification requirements."""
    found: list[CheckRead] = []
    country = country_name(n.importer_country)
    for line in n.lines:
        name, substance_id = line["substance_name"], line["substance_id"]
        if n.importer_licence_number:
            try:
                answer = licensing_service.verify_unlogged(
                    session,
                    country=n.importer_country,
                    number=n.importer_licence_number,
                    substance=substance_id,
                    activity="import",
                )
                status = answer.status.value
                holder = f" ({answer.holder_name})" if answer.holder_name else ""
                found.append(
                    _check(
                        "licence",
                        "ok" if status == "valid" else "warning",
                        Message(
                            "Importer's licence %(number)s for %(substance)s: %(status)s%(holder)s",
                            number=n.importer_licence_number,
                            substance=name,
                            status=Message(status),
                            holder=holder,
                        ),
                    )
                )
            except DomainError as exc:
                found.append(_check("licence", "unknown", exc.detail))
        elif licensing_service.has_register(session, n.importer_country):
            found.append(
                _check(
                    "licence",
                    "warning",
                    Message(
                        "No importer's licence number given for %(substance)s.", substance=name
                    ),
                )
            )
        else:
            found.append(
                _check(
                    "licence",
                    "unknown",
                    Message("%(country)s keeps no register on the platform.", country=country),
                )
            )
        requirement = next(
            iter(
                licensing_service.list_requirements(
                    session, country=n.importer_country, substance=substance_id
                )
            ),
            None,
        )
        if requirement is None:
            found.append(
                _check(
                    "alr",
                    "unknown",
                    Message(
                        "%(country)s has no annual legitimate requirement for %(substance)s.",
                        country=country,
                        substance=name,
                    ),
                )
            )
        else:
            cleared = cleared_kg(
                session, n.importer_country, substance_id, n.sent_at.year, exclude_id=n.id
            )
            this = float(line.get("quantity_kg") or 0.0)
            total = cleared + this
            over = total > requirement.quantity_kg
            values = {
                "substance": name,
                "total": f"{total:,.1f}",
                "cleared": f"{cleared:,.1f}",
                "alr": f"{requirement.quantity_kg:,.1f}",
            }
            found.append(
                _check(
                    "alr",
                    "warning" if over else "ok",
                    Message(
                        "%(substance)s: %(total)s kg with the year's cleared notifications "
                        "(%(cleared)s kg) against an ALR of %(alr)s kg — over the requirement",
                        **values,
                    )
                    if over
                    else Message(
                        "%(substance)s: %(total)s kg with the year's cleared notifications "
                        "(%(cleared)s kg) against an ALR of %(alr)s kg",
                        **values,
                    ),
                )
            )
        required = _pen_required(session, n.importer_country, substance_id)
        if required:
            requirement_message = Message(
                "%(country)s requires notifications for %(substance)s.",
                country=country,
                substance=name,
            )
        elif required is False and n.kind == "voluntary":
            requirement_message = Message(
                "%(country)s does not require notifications for %(substance)s (voluntary).",
                country=country,
                substance=name,
            )
        elif required is False:
            requirement_message = Message(
                "%(country)s does not require notifications for %(substance)s.",
                country=country,
                substance=name,
            )
        else:
            requirement_message = Message(
                "Not known whether %(country)s requires notifications for %(substance)s.",
                country=country,
                substance=name,
            )
        found.append(
            _check(
                "pen_requirement", "ok" if required is not None else "unknown", requirement_message
            )
        )
    return found


def _pen_required(session: Session, country: str, substance_id: str) -> bool | None:
    try:
        country_read = catalog_service.get_country(session, country)
    except NotFound:
        return None
    wanted = {substance_id, catalog_service.controlling_record(session, substance_id).id}
    for req in country_read.pen_requirements:
        if req.substance_id in wanted:
            return req.required
    return None


def cleared_kg(
    session: Session, country: str, substance_id: str, year: int, *, exclude_id: int | None = None
) -> float:
    """Kilograms of a substance in the year's cleared notifications to a country (for the ALR)."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    stmt = select(PreExportNotification.id, PreExportNotification.lines).where(
        PreExportNotification.importer_country == country,
        PreExportNotification.status == "cleared",
        PreExportNotification.sent_at >= start,
        PreExportNotification.sent_at < start.replace(year=year + 1),
    )
    total = 0.0
    for nid, lines in session.execute(stmt).all():
        if nid == exclude_id:
            continue
        total += sum(
            float(line.get("quantity_kg") or 0.0)
            for line in lines
            if line["substance_id"] == substance_id
        )
    return total


def _children(session: Session, model: Any, n: PreExportNotification) -> list[Any]:
    # Children are loaded by their parent's id only after the parent passed the gate.
    return list(
        session.scalars(select(model).where(model.notification_id == n.id).order_by(model.id)).all()
    )


def describe(session: Session, principal: Principal, n: PreExportNotification) -> NotificationRead:
    """The notification with its checks and timeline, as this reader may see it."""
    responses = _children(session, NotificationResponse, n)
    amendments = _children(session, NotificationAmendment, n)
    customs = _children(session, CustomsEvent, n)
    names = _org_names(
        session,
        [
            n.owner_organisation_id,
            *(r.organisation_id for r in responses),
            *(c.organisation_id for c in customs),
        ],
    )
    used = n.quantity_used or {}
    return NotificationRead(
        id=n.id,
        reference=n.reference,
        kind=n.kind,
        status=n.status,
        shipment_status=n.shipment_status,
        exporting_authority=names.get(n.owner_organisation_id, ""),
        exporter_name=n.exporter_name,
        exporter_address=n.exporter_address,
        exporter_country=n.exporter_country,
        importer_name=n.importer_name,
        importer_address=n.importer_address,
        importer_country=n.importer_country,
        importer_licence_number=n.importer_licence_number,
        consignee_name=n.consignee_name,
        consignee_address=n.consignee_address,
        lines=[
            LineRead(
                **line,
                quantity_used_kg=used.get(line["substance_id"], 0.0)
                if n.kind == "simplified"
                else None,
            )
            for line in n.lines
        ],
        transport_mode=n.transport_mode,
        exit_point=n.exit_point,
        transit_countries=n.transit_countries,
        entry_point=n.entry_point,
        dispatch_date=n.dispatch_date,
        period_months=n.period_months,
        valid_until=n.valid_until,
        export_authorisation_number=n.export_authorisation_number,
        import_permit_number=n.import_permit_number,
        notes=n.notes,
        internal_notes=n.internal_notes if sees_internal_notes(principal) else None,
        sent_at=n.sent_at,
        reply_deadline=n.reply_deadline,
        responded_at=n.responded_at,
        response_reason=n.response_reason,
        version=n.version,
        checks=checks(session, n) if principal.is_authority else [],
        responses=[
            ResponseRead(
                answer=r.answer,
                reason=r.reason,
                organisation=names.get(r.organisation_id, ""),
                created_at=r.created_at,
            )
            for r in responses
        ],
        amendments=[
            AmendmentRead(
                action=a.action, reason=a.reason, changes=a.changes, changed_at=a.changed_at
            )
            for a in amendments
            if sees_internal_notes(principal) or "internal_notes" not in a.changes
        ],
        customs_events=[
            CustomsEventRead(
                id=c.id,
                kind=c.kind,
                place=c.place,
                occurred_on=c.occurred_on,
                country=c.country,
                organisation=names.get(c.organisation_id, ""),
                quantities=c.quantities,
                note=c.note,
                created_at=c.created_at,
            )
            for c in customs
        ],
    )


# --- Answers, amendments, withdrawal ---------------------------------------------------------


def respond(
    session: Session, principal: Principal, notification_id: int, *, data: ResponseIn
) -> PreExportNotification:
    """The importing authority acknowledges, clears or objects; one decision is recorded."""
    n = get_notification(session, principal, notification_id)
    if not licensing_service.maintains_register(principal, n.importer_country):
        raise Forbidden(
            Message(
                "Analysts and administrators of the importing country's licensing "
                "authority answer a notification."
            )
        )
    if n.status == "withdrawn":
        raise InvalidInput(
            Message("The notification was withdrawn: there is nothing to answer."),
            errors=[("body.answer", Message("notification withdrawn"))],
        )
    if n.status not in AWAITING or (data.answer == "acknowledged" and n.status != "sent"):
        raise Conflict(
            Message("The notification is already %(status)s.", status=n.status),
            errors=[("body.answer", Message("already %(status)s", status=n.status))],
        )
    if data.answer == "objected" and not data.reason.strip():
        raise InvalidInput(
            Message("An objection needs a reason."),
            errors=[("body.reason", Message("required for an objection"))],
        )
    moment = now()
    n.status = data.answer
    n.updated_at = moment
    if data.answer != "acknowledged":
        n.responded_at = moment
        n.response_reason = data.reason
    _flush(session)
    session.add(
        NotificationResponse(
            notification_id=n.id,
            answer=data.answer,
            reason=data.reason,
            organisation_id=principal.organisation_id,
            responded_by_id=principal.user_id,
        )
    )
    session.flush()
    severity = "high" if data.answer == "objected" else "medium"
    _emit(
        session,
        principal,
        f"notification.{data.answer}",
        n,
        f"{n.importer_country} {data.answer} {n.reference}",
        severity=severity,
        details={"answer": data.answer},
    )
    return n


AMENDABLE = (
    "dispatch_date",
    "exit_point",
    "entry_point",
    "transport_mode",
    "import_permit_number",
    "notes",
    "internal_notes",
)


def _owns(principal: Principal, n: PreExportNotification) -> bool:
    return n.owner_organisation_id == principal.organisation_id and principal.role in (
        Role.admin,
        Role.analyst,
    )


def may_amend(principal: Principal, n: PreExportNotification) -> bool:
    """Whether the principal may amend the notification now (its authority, not withdrawn)."""
    return _owns(principal, n) and n.status != "withdrawn"


def _owned(session: Session, principal: Principal, notification_id: int) -> PreExportNotification:
    n = get_notification(session, principal, notification_id)
    if not _owns(principal, n):
        raise Forbidden(Message("Only the exporting authority changes its notification."))
    if n.status == "withdrawn":
        raise InvalidInput(
            Message("The notification was withdrawn."),
            errors=[("body", Message("notification withdrawn"))],
        )
    return n


def amend_notification(
    session: Session, principal: Principal, notification_id: int, *, data: NotificationAmend
) -> PreExportNotification:
    """The exporting authority changes a notification; the change is kept in its history."""
    n = _owned(session, principal, notification_id)
    changes: dict[str, Any] = {}
    for name in AMENDABLE:
        value = getattr(data, name)
        if value is None or value == getattr(n, name):
            continue
        if name == "dispatch_date" and value < today():
            raise InvalidInput(
                Message("The expected dispatch date is in the past."),
                errors=[("body.dispatch_date", Message("in the past"))],
            )
        old = getattr(n, name)
        changes[name] = {"from": str(old), "to": str(value)}
        setattr(n, name, value)
    if not changes:
        raise InvalidInput(
            Message("Nothing to change."), errors=[("body", Message("no field changes"))]
        )
    n.updated_at = now()
    _flush(session)
    session.add(
        NotificationAmendment(
            notification_id=n.id,
            action="amended",
            reason=data.reason,
            changes=changes,
            changed_by_id=principal.user_id,
        )
    )
    session.flush()
    public = sorted(k for k in changes if k != "internal_notes")
    _emit(
        session,
        principal,
        "notification.amended",
        n,
        f"{n.reference} amended",
        details={"fields": public},
    )
    return n


def withdraw_notification(
    session: Session, principal: Principal, notification_id: int, *, data: Withdrawal
) -> PreExportNotification:
    """The exporting authority withdraws a notification before the goods leave."""
    n = _owned(session, principal, notification_id)
    if n.shipment_status:
        raise Conflict(
            Message("Customs already recorded the consignment; it cannot be withdrawn."),
            errors=[("body", Message("consignment under way"))],
        )
    n.status = "withdrawn"
    n.updated_at = now()
    _flush(session)
    session.add(
        NotificationAmendment(
            notification_id=n.id,
            action="withdrawn",
            reason=data.reason,
            changes={"status": "withdrawn"},
            changed_by_id=principal.user_id,
        )
    )
    session.flush()
    _emit(
        session,
        principal,
        "notification.withdrawn",
        n,
        f"{n.reference} withdrawn",
        details={"reason": data.reason},
    )
    return n


# --- Deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    """What one sweep of the reply deadlines did."""

    reminders: int
    no_response: int


def sweep_deadlines(session: Session, *, now: datetime) -> SweepResult:
    """Remind before each reply deadline and mark `no_response` once it passed (clock given)."""
    reminders = lapsed = 0
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    due = session.scalars(
        select(PreExportNotification)
        .where(
            PreExportNotification.status.in_(AWAITING),
            PreExportNotification.reply_deadline <= horizon,
        )
        .order_by(PreExportNotification.id)
        .with_for_update(skip_locked=True)
    ).all()
    for n in due:
        if now >= n.reply_deadline:
            n.status = "no_response"
            n.updated_at = now
            _flush(session)
            _emit(
                session,
                None,
                "notification.no_response",
                n,
                f"No answer to {n.reference} from {n.importer_country} by the deadline",
                severity="high",
                actor_label="deadline sweep",
            )
            lapsed += 1
            continue
        left = n.reply_deadline - now
        # The nearest reminder step already reached, sent once.
        step = min((d for d in REMINDER_DAYS if left <= timedelta(days=d)), default=None)
        if step is None or (n.reminded_days is not None and n.reminded_days <= step):
            continue
        n.reminded_days = step
        _flush(session)
        for org_id in _orgs(session, [OrgKind.licensing_authority], [n.importer_country]):
            _emit(
                session,
                None,
                "notification.reminder",
                n,
                f"{n.reference}: answer due within {step} day(s)",
                details={"days_left": step, "reply_deadline": n.reply_deadline.isoformat()},
                organisation_id=org_id,
                actor_label="deadline sweep",
            )
        reminders += 1
    return SweepResult(reminders=reminders, no_response=lapsed)


def get_country_setting(
    session: Session, country: str, default_reply_days: int = DEFAULT_REPLY_DAYS
) -> CountrySettingRead:
    """A country's reply period and transit copies."""
    row = _settings(session, country)
    return CountrySettingRead(
        country=country,
        reply_days=row.reply_days if row and row.reply_days else default_reply_days,
        custom=bool(row and row.reply_days),
        transit_copies=bool(row and row.transit_copies),
    )


def set_country_setting(
    session: Session,
    principal: Principal,
    *,
    data: CountrySettingIn,
    default_reply_days: int = DEFAULT_REPLY_DAYS,
) -> CountrySettingRead:
    """The licensing authority sets its country's reply period and transit copies."""
    if not catalog_service.maintains_pen_requirements(principal, principal.country):
        raise Forbidden(
            Message(
                "Analysts and administrators of a licensing authority set its country's "
                "notification settings."
            )
        )
    row = _settings(session, principal.country)
    if row is None:
        row = PenCountrySetting(country=principal.country)
        session.add(row)
    row.reply_days, row.transit_copies = data.reply_days, data.transit_copies
    row.updated_by_id, row.updated_at = principal.user_id, now()
    session.flush()
    audit.record_change(
        session,
        principal,
        "notification.settings_changed",
        record_type="pen_country_setting",
        record_id=principal.country,
        organisation_id=principal.organisation_id,
        details={
            "reply_days": data.reply_days,
            "transit_copies": data.transit_copies,
            "title": f"Notification settings of {principal.country} changed",
            "kind": "settings",
            "substances": [],
            "countries": [principal.country],
            "severity": "low",
        },
    )
    return get_country_setting(session, principal.country, default_reply_days)


# --- Customs --------------------------------------------------------------------------------


def _found_quantities(
    session: Session, n: PreExportNotification, data: CustomsEventIn
) -> list[dict[str, Any]]:
    catalog = catalog_service.snapshot(session)
    in_notification = {line["substance_id"] for line in n.lines}
    found: list[dict[str, Any]] = []
    for i, q in enumerate(data.quantities):
        field = f"body.quantities.{i}"
        record = catalog.named(q.substance)
        if record is None:
            raise InvalidInput(
                Message(
                    "%(substance)s is not a substance of the catalog.",
                    substance=repr(q.substance),
                ),
                errors=[(f"{field}.substance", Message("unknown substance"))],
            )
        kg = _quantity_kg(record.id, q.quantity, q.unit)
        if kg is None:
            raise InvalidInput(
                Message(
                    "%(substance)s is not measured in litres here: give kg, g or t.",
                    substance=record.name,
                ),
                errors=[(f"{field}.unit", Message("impossible unit for this substance"))],
            )
        if record.id not in in_notification and data.kind not in STOP_KINDS:
            raise InvalidInput(
                Message("%(substance)s is not in the notification.", substance=record.name),
                errors=[(f"{field}.substance", Message("not in the notification"))],
            )
        found.append(
            {
                "substance_id": record.id,
                "substance_name": record.name,
                "quantity": q.quantity,
                "unit": q.unit,
                "quantity_kg": round(kg, 6),
            }
        )
    return found


def _check_customs_role(principal: Principal, n: PreExportNotification, kind: str) -> None:
    if principal.organisation_kind is not OrgKind.customs or not principal.can_write:
        raise Forbidden(Message("Customs officers record what happened to a consignment."))
    allowed = {
        n.exporter_country: EXIT_KINDS,
        n.importer_country: ENTRY_KINDS,
        **{c: TRANSIT_KINDS for c in n.transit_countries},
    }.get(principal.country, ())
    if kind not in STOP_KINDS and kind not in allowed:
        raise InvalidInput(
            Message(
                "Customs of %(country)s do not record %(kind)s for this consignment.",
                country=principal.country,
                kind=kind,
            ),
            errors=[
                (
                    "body.kind",
                    Message("not recorded by customs of %(country)s", country=principal.country),
                )
            ],
        )


def _check_order(
    n: PreExportNotification, previous: Sequence[CustomsEvent], data: CustomsEventIn
) -> None:
    counts = Counter(e.kind for e in previous)
    if counts["seized"]:
        raise InvalidInput(
            Message("The consignment was seized; nothing follows a seizure."),
            errors=[("body.kind", Message("consignment seized"))],
        )
    if data.occurred_on > today():
        raise InvalidInput(
            Message("The event's date is in the future."),
            errors=[("body.occurred_on", Message("in the future"))],
        )
    last = max((e.occurred_on for e in previous), default=None)
    if last is not None and data.occurred_on < last:
        raise InvalidInput(
            Message(
                "The event's date is before the last recorded event (%(last)s).", last=str(last)
            ),
            errors=[("body.occurred_on", Message("before %(last)s", last=str(last)))],
        )
    if data.occurred_on < n.sent_at.date() and data.kind not in STOP_KINDS:
        raise InvalidInput(
            Message("The event's date is before the notification was sent."),
            errors=[("body.occurred_on", Message("before the notification"))],
        )
    kind = data.kind
    if kind == "dispatched":
        if n.status == "objected":
            raise InvalidInput(
                Message("The importing country objected: the goods may not leave."),
                errors=[("body.kind", Message("notification objected"))],
            )
        if n.status == "withdrawn":
            raise InvalidInput(
                Message("The notification was withdrawn."),
                errors=[("body.kind", Message("notification withdrawn"))],
            )
        if n.status not in ("cleared", "no_response"):
            raise InvalidInput(
                Message("The importing country has not cleared the export yet."),
                errors=[("body.kind", Message("notification %(status)s", status=n.status))],
            )
        if n.kind != "simplified" and counts["dispatched"]:
            raise InvalidInput(
                Message("The consignment was already dispatched."),
                errors=[("body.kind", Message("already dispatched"))],
            )
        if n.valid_until is not None and data.occurred_on > n.valid_until:
            raise InvalidInput(
                Message(
                    "The simplified notification covered shipments until %(until)s.",
                    until=str(n.valid_until),
                ),
                errors=[("body.occurred_on", Message("after %(until)s", until=str(n.valid_until)))],
            )
        return
    predecessor = PREDECESSOR.get(kind)
    if predecessor is not None and counts[predecessor] <= counts[kind]:
        raise InvalidInput(
            Message(
                "%(kind)s cannot come before %(predecessor)s.",
                kind=kind.replace("_", " "),
                predecessor=predecessor.replace("_", " "),
            ),
            errors=[
                (
                    "body.kind",
                    Message("%(kind)s before %(predecessor)s", kind=kind, predecessor=predecessor),
                )
            ],
        )


def _consume(n: PreExportNotification, found: list[dict[str, Any]]) -> None:
    """A dispatch under a simplified notification uses up part of its quantities."""
    if not found:
        raise InvalidInput(
            Message("Give the quantities dispatched under a simplified notification."),
            errors=[("body.quantities", Message("required for a simplified dispatch"))],
        )
    allowed = {line["substance_id"]: float(line["quantity_kg"] or 0.0) for line in n.lines}
    used = dict(n.quantity_used or {})
    for i, q in enumerate(found):
        total = used.get(q["substance_id"], 0.0) + q["quantity_kg"]
        if total > allowed[q["substance_id"]] + 1e-9:
            left = allowed[q["substance_id"]] - used.get(q["substance_id"], 0.0)
            raise InvalidInput(
                Message(
                    "Only %(left)s kg of %(substance)s are left on this notification.",
                    left=f"{left:g}",
                    substance=q["substance_name"],
                ),
                errors=[
                    (
                        f"body.quantities.{i}.quantity",
                        Message("more than the %(left)s kg left", left=f"{left:g}"),
                    )
                ],
            )
        used[q["substance_id"]] = round(total, 6)
    n.quantity_used = used


def record_customs_event(
    session: Session, principal: Principal, notification_id: int, *, data: CustomsEventIn
) -> CustomsEvent:
    """Customs record a step of the consignment; a stop or seizure alerts both authorities."""
    n = get_notification(session, principal, notification_id)
    _check_customs_role(principal, n, data.kind)
    previous = _children(session, CustomsEvent, n)
    _check_order(n, previous, data)
    found = _found_quantities(session, n, data)
    if data.kind == "dispatched":
        if n.kind == "simplified":
            _consume(n, found)
        elif not found:
            found = [
                {
                    k: line[k]
                    for k in ("substance_id", "substance_name", "quantity", "unit", "quantity_kg")
                }
                for line in n.lines
            ]
    n.shipment_status = data.kind
    n.updated_at = now()
    _flush(session)
    event = CustomsEvent(
        notification_id=n.id,
        kind=data.kind,
        place=data.place,
        occurred_on=data.occurred_on,
        country=principal.country,
        quantities=found,
        note=data.note,
        organisation_id=principal.organisation_id,
        recorded_by_id=principal.user_id,
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        principal,
        f"customs_event.{data.kind}",
        record_type=CustomsEvent.record_type,
        record_id=event.id,
        details={
            "notification_id": n.id,
            "reference": n.reference,
            "place": data.place,
            "occurred_on": data.occurred_on.isoformat(),
        },
    )
    stop = data.kind in STOP_KINDS
    severity = "high" if stop else "low"
    title = f"{n.reference}: {data.kind.replace('_', ' ')} at {data.place} ({principal.country})"
    details = {
        "customs_event_id": event.id,
        "event": data.kind,
        "place": data.place,
        "occurred_on": data.occurred_on.isoformat(),
    }
    events.emit(
        session,
        "notification.customs_event",
        record_type=n.record_type,
        record_id=n.id,
        organisation_id=principal.organisation_id,
        payload={**_payload(n, title, data.kind, severity), **details},
    )
    if stop:
        authorities = [
            n.owner_organisation_id,
            *_orgs(session, [OrgKind.licensing_authority], [n.importer_country]),
        ]
        for org_id in dict.fromkeys(authorities):
            events.emit(
                session,
                "notification.alert",
                record_type=n.record_type,
                record_id=n.id,
                organisation_id=org_id,
                payload={**_payload(n, title, data.kind, "high"), **details},
            )
        events.emit(
            session,
            "notification.consignment_stopped",
            record_type=n.record_type,
            record_id=n.id,
            organisation_id=principal.organisation_id,
            payload=stopped_payload(n, event, principal),
        )
    return event


def stopped_payload(
    n: PreExportNotification, event: CustomsEvent, principal: Principal
) -> dict[str, Any]:
    """The payload of `notification.consignment_stopped` (incidents open a draft from it)."""
    lines = event.quantities or [
        {k: line[k] for k in ("substance_id", "substance_name", "quantity", "unit")}
        for line in n.lines
    ]
    return {
        "title": f"Consignment {event.kind} at {event.place} ({event.country}): {n.reference}",
        "kind": event.kind,
        "notification_id": n.id,
        "reference": n.reference,
        "customs_event_id": event.id,
        "place": event.place,
        "country": event.country,
        "occurred_on": event.occurred_on.isoformat(),
        "substances": [line["substance_name"] for line in n.lines],
        "substance_lines": [
            {
                "substance_id": q["substance_id"],
                "name": q["substance_name"],
                "quantity": f"{float(q['quantity']):g}",
                "unit": q["unit"],
            }
            for q in lines
        ],
        "exporter": {"name": n.exporter_name, "country": n.exporter_country},
        "importer": {"name": n.importer_name, "country": n.importer_country},
        "countries": list(
            dict.fromkeys([n.exporter_country, *n.transit_countries, n.importer_country])
        ),
        "severity": "high",
        "recorded_by_user_id": principal.user_id,
    }


# --- Exports and statistics -----------------------------------------------------------------

EXPORT_COLUMNS = (
    "id",
    "reference",
    "kind",
    "status",
    "shipment_status",
    "exporter_name",
    "exporter_country",
    "importer_name",
    "importer_country",
    "substances",
    "quantities",
    "dispatch_date",
    "sent_at",
    "reply_deadline",
    "export_authorisation_number",
)


def export_rows(
    session: Session, principal: Principal, filters: NotificationFilters, *, limit: int = 50_000
) -> Iterator[dict[str, object]]:
    """Rows of the notifications the caller may read, for CSV and XLSX."""
    stmt = _filtered(principal, filters).order_by(PreExportNotification.sent_at.desc()).limit(limit)
    for n in session.scalars(stmt).all():
        yield {
            "id": n.id,
            "reference": n.reference,
            "kind": n.kind,
            "status": n.status,
            "shipment_status": n.shipment_status,
            "exporter_name": n.exporter_name,
            "exporter_country": n.exporter_country,
            "importer_name": n.importer_name,
            "importer_country": n.importer_country,
            "substances": n.substance_names,
            "quantities": "; ".join(f"{line['quantity']:g} {line['unit']}" for line in n.lines),
            "dispatch_date": n.dispatch_date.isoformat(),
            "sent_at": n.sent_at.isoformat(),
            "reply_deadline": n.reply_deadline.isoformat(),
            "export_authorisation_number": n.export_authorisation_number,
        }


@dataclass(frozen=True)
class Statistics:
    """Notifications of one year the caller may read, by month, substance, country, outcome."""

    year: int
    months: list[str]
    by_month: dict[str, list[int]]  # outcome -> count per month
    by_substance: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    mean_response_days: list[float | None]
    total: int


def statistics(session: Session, principal: Principal, year: int) -> Statistics:
    """Monthly statistics: counts by outcome, substance and country; mean response time."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    stmt = sharing.visible(
        select(PreExportNotification).where(
            PreExportNotification.sent_at >= start,
            PreExportNotification.sent_at < start.replace(year=year + 1),
        ),
        principal,
        PreExportNotification,
    )
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    by_month: dict[str, list[int]] = {s: [0] * 12 for s in STATUSES}
    substances: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    waits: dict[int, list[float]] = defaultdict(list)
    total = 0
    for n in session.scalars(stmt).all():
        total += 1
        month = n.sent_at.month - 1
        by_month[n.status][month] += 1
        outcomes[n.status] += 1
        countries[f"{n.exporter_country} → {n.importer_country}"] += 1
        for line in n.lines:
            substances[line["substance_name"]] += 1
        if n.responded_at is not None:
            waits[month].append((n.responded_at - n.sent_at).total_seconds() / 86400)
    return Statistics(
        year=year,
        months=months,
        by_month=by_month,
        by_substance=substances.most_common(15),
        by_country=countries.most_common(15),
        by_outcome=sorted(outcomes.items()),
        mean_response_days=[
            round(sum(waits[m]) / len(waits[m]), 1) if waits[m] else None for m in range(12)
        ],
        total=total,
    )
