"""File reports, route them to the competent authority, work them and feed the outcome back."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, String, cast, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from precx.accounts import service as accounts_service
from precx.accounts.models import Organisation, User
from precx.accounts.principal import OrgKind, Principal, Role
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.db import utc_now
from precx.events import service as events
from precx.kit.files import DEFAULT_ATTACHMENT_MAX_BYTES, size_limit_error, sniff_document
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from precx.reports.models import (
    MessageKind,
    Report,
    ReportAttachment,
    ReportKind,
    ReportMessage,
    ReportRoutingSettings,
    ReportStatus,
    ReportStatusChange,
    ReportSubstance,
)
from precx.reports.schemas import (
    Closure,
    Feedback,
    MessageCreate,
    Referral,
    ReportCreate,
    RoutingSettings,
)
from precx.screening import service as screening_service
from precx.screening.rules import Rule, shipped_rules
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, RoutedReader, Tlp

DEFAULT_ACK_WORKING_DAYS = 2
REPORTING_KINDS = frozenset({OrgKind.industry, OrgKind.logistics})
FORWARD_KINDS = frozenset({OrgKind.law_enforcement, OrgKind.customs})

# Allowed moves of the authority workflow; a closed report stays closed.
TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.draft: frozenset({ReportStatus.submitted}),
    ReportStatus.submitted: frozenset(
        {
            ReportStatus.acknowledged,
            ReportStatus.under_review,
            ReportStatus.referred,
            ReportStatus.closed,
        }
    ),
    ReportStatus.acknowledged: frozenset(
        {ReportStatus.under_review, ReportStatus.referred, ReportStatus.closed}
    ),
    ReportStatus.under_review: frozenset({ReportStatus.referred, ReportStatus.closed}),
    ReportStatus.referred: frozenset(
        {ReportStatus.under_review, ReportStatus.referred, ReportStatus.closed}
    ),
    ReportStatus.closed: frozenset(),
}

KIND_LABELS = {
    ReportKind.suspicious_order: Message("Suspicious order or enquiry"),
    ReportKind.suspicious_transaction: Message("Suspicious transaction"),
    ReportKind.loss_theft: Message("Loss or theft"),
    ReportKind.suspicious_consignment: Message("Suspicious consignment"),
}


def _label(value: str) -> Message:
    """A status or kind as its message names it: the value, in the page's language where the
    catalog has it (as the pages' own labels do)."""
    return Message.of(value, value.replace("%", "%%"), {})


# --- Reading helpers --------------------------------------------------------------------------


def red_flag_catalogue() -> list[Rule]:
    """The red flags a report may name: the screening rule catalogue, by code."""
    return sorted(shipped_rules().rules.values(), key=lambda r: r.code)


def report_summary(report: Report) -> str:
    """One line describing a report, for lists, inboxes and correlation."""
    kind = KIND_LABELS.get(ReportKind(report.kind), report.kind)
    who = report.counterparty_name or Message("no counterparty yet")
    country = f" ({report.counterparty_country})" if report.counterparty_country else ""
    # A Message: pages show it in their language; the events' titles built from it are English.
    return Message(
        "%(kind)s #%(id)s: %(who)s%(country)s", kind=kind, id=report.id, who=who, country=country
    )


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    """Submitted, not yet acknowledged, and past its acknowledgement deadline."""
    if report.status != ReportStatus.submitted or report.ack_due_at is None:
        return False
    return (now or utc_now()) > report.ack_due_at


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `start`, at the same time of day."""
    current, added = start, 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def is_reporter_side(principal: Principal, report: Report) -> bool:
    """Whether the principal belongs to the reporting organisation (not an authority reader)."""
    return principal.organisation_id == report.owner_organisation_id


def _insider(principal: Principal, report: Report) -> bool:
    """An authority reading the report, not its reporter: sees internal notes, who wrote what
    and whom the report was referred to."""
    return principal.is_authority and not is_reporter_side(principal, report)


def get_report(session: Session, principal: Principal, report_id: int) -> Report:
    """One report the caller may read; 404 when missing or hidden."""
    return sharing.access_by_id(session, principal, Report, report_id)


def substances_of(session: Session, report_ids: Sequence[int]) -> dict[int, list[ReportSubstance]]:
    """The substances of some reports (already read through the gate), by report."""
    found: dict[int, list[ReportSubstance]] = {i: [] for i in report_ids}
    if not report_ids:
        return found
    stmt = (
        select(ReportSubstance)
        .where(ReportSubstance.report_id.in_(report_ids))
        .order_by(ReportSubstance.report_id, ReportSubstance.position)
    )
    for line in session.scalars(stmt).all():
        found[line.report_id].append(line)
    return found


# --- Filing -----------------------------------------------------------------------------------


def _check_reporter(principal: Principal) -> None:
    if principal.organisation_kind not in REPORTING_KINDS:
        raise Forbidden(Message("Reports are filed by industry and logistics members."))
    if not principal.can_write:
        raise Forbidden(Message("Viewers read reports; they do not file them."))


def _resolve_substances(
    session: Session, data: ReportCreate, prefix: str
) -> list[tuple[str, str, str, float | None, str | None]]:
    snap = catalog_service.snapshot(session)
    resolved = []
    for i, line in enumerate(data.substances):
        found = snap.lookup(line.substance)
        if found.record is None:
            what = (
                Message("could be several substances")
                if found.why == "ambiguous"
                else Message("is not in the catalog")
            )
            given = repr(line.substance)
            message = (
                Message(
                    "%(given)s %(what)s (did you mean %(candidates)s?)",
                    given=given,
                    what=what,
                    candidates=", ".join(found.candidates),
                )
                if found.candidates
                else Message("%(given)s %(what)s", given=given, what=what)
            )
            raise InvalidInput(
                Message("%(message)s. Give its CAS number or its full name.", message=message),
                errors=[(f"{prefix}substances.{i}.substance", message)],
            )
        unit = line.unit.value if line.unit else None
        resolved.append((found.record.id, found.record.name, line.substance, line.quantity, unit))
    return resolved


def _check_red_flags(data: ReportCreate, prefix: str) -> list[str]:
    known = shipped_rules().rules
    codes: list[str] = []
    for i, code in enumerate(data.red_flags):
        clean = code.strip().upper()
        if clean not in known:
            raise InvalidInput(
                Message("%(code)s is not a red flag of the rule catalogue.", code=repr(code)),
                errors=[
                    (f"{prefix}red_flags.{i}", Message("not a red flag of the rule catalogue"))
                ],
            )
        if clean not in codes:
            codes.append(clean)
    return codes


def _check_complete(report: Report, has_substance: bool, prefix: str) -> None:
    """A submitted report names a counterparty (or, for a loss, where) and a substance."""
    if not report.counterparty_name and report.kind != ReportKind.loss_theft:
        raise InvalidInput(
            Message("A report cannot be submitted without a counterparty; save it as a draft."),
            errors=[(f"{prefix}counterparty", Message("required to submit"))],
        )
    if not has_substance:
        raise InvalidInput(
            Message("A report cannot be submitted without a substance; save it as a draft."),
            errors=[
                (f"{prefix}substances", Message("at least one substance is required to submit"))
            ],
        )


def _screening_hits(
    session: Session, principal: Principal, screening_id: int | None, prefix: str
) -> list[dict[str, Any]]:
    if screening_id is None:
        return []
    try:
        screening = screening_service.get_screening(session, principal, screening_id)
    except NotFound as exc:
        raise InvalidInput(
            Message("No screening %(id)s.", id=screening_id),
            errors=[(f"{prefix}screening_id", Message("no such screening"))],
        ) from exc
    return list(screening.hits)


def _apply(
    session: Session, principal: Principal, report: Report, data: ReportCreate, prefix: str
) -> None:
    lines = _resolve_substances(session, data, prefix)
    report.kind = data.kind.value
    cp = data.counterparty
    report.counterparty_name = cp.name if cp else ""
    report.counterparty_country = cp.country if cp else None
    report.counterparty = cp.model_dump(mode="json") if cp else {}
    report.order_details = data.order.model_dump(mode="json")
    report.red_flags = _check_red_flags(data, prefix)
    report.red_flags_other = data.red_flags_other
    report.action_taken = data.action_taken.value if data.action_taken else None
    report.narrative = data.narrative
    if data.screening_id != report.screening_id or not report.hits:
        report.hits = _screening_hits(session, principal, data.screening_id, prefix)
    report.screening_id = data.screening_id
    report.updated_at = utc_now()
    session.flush()
    for old in session.scalars(
        select(ReportSubstance).where(ReportSubstance.report_id == report.id)
    ).all():
        session.delete(old)
    session.flush()
    for position, (sid, name, given, quantity, unit) in enumerate(lines):
        session.add(
            ReportSubstance(
                report_id=report.id,
                position=position,
                substance_id=sid,
                substance_name=name,
                given_as=given,
                quantity=quantity,
                unit=unit,
            )
        )
    session.flush()


def _payload(
    session: Session, report: Report, title: str, severity: str | None = None
) -> dict[str, Any]:
    lines = substances_of(session, [report.id])[report.id]
    owner = session.get(Organisation, report.owner_organisation_id)
    countries = [c for c in (owner.country if owner else None, report.counterparty_country) if c]
    delivery = report.order_details.get("delivery_country")
    if delivery:
        countries.append(delivery)
    if severity is None:
        rules = shipped_rules().rules
        critical = any(
            rules[c].severity.value in ("critical", "high") for c in report.red_flags if c in rules
        )
        severity = "high" if critical or report.kind == ReportKind.loss_theft else "medium"
    return {
        "title": title,
        "kind": report.kind,
        "status": report.status,
        "substances": sorted({line.substance_name for line in lines}),
        "countries": sorted(set(countries)),
        "severity": severity,
    }


def _change(
    session: Session,
    principal: Principal,
    report: Report,
    topic: str,
    *,
    title: str,
    details: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    internal: bool = False,
    severity: str | None = None,
) -> None:
    """The audit entry and the outbox event of one change of a report (rule 3)."""
    audit.record(
        session,
        principal,
        topic,
        record_type=Report.record_type,
        record_id=report.id,
        details={"status": report.status, **(details or {})},
    )
    payload = _payload(session, report, title, severity)
    if internal:
        payload["internal"] = True
    events.emit(
        session,
        topic,
        record_type=Report.record_type,
        record_id=report.id,
        organisation_id=organisation_id or report.owner_organisation_id,
        payload=payload,
    )


def _step(
    session: Session,
    principal: Principal,
    report: Report,
    to: ReportStatus,
    *,
    outcome: str | None = None,
    referred_to_id: int | None = None,
) -> ReportStatus:
    current = ReportStatus(report.status)
    if to not in TRANSITIONS[current]:
        raise Conflict(
            Message(
                "A %(current)s report cannot become %(to)s.",
                current=_label(current.value),
                to=_label(to.value),
            ),
            errors=[
                (
                    "body.status",
                    Message("not allowed from %(current)s", current=_label(current.value)),
                )
            ],
        )
    session.add(
        ReportStatusChange(
            report_id=report.id,
            from_status=current.value,
            to_status=to.value,
            outcome=outcome,
            referred_to_id=referred_to_id,
            actor_organisation_id=principal.organisation_id,
            actor_user_id=principal.user_id,
        )
    )
    report.status = to.value
    report.updated_at = utc_now()
    session.flush()
    return current


def _has_reader(session: Session, report: Report, organisation_id: int) -> bool:
    return (
        session.scalar(
            select(RoutedReader.id).where(
                RoutedReader.record_type == Report.record_type,
                RoutedReader.record_id == report.id,
                RoutedReader.organisation_id == organisation_id,
            )
        )
        is not None
    )


def _add_reader(session: Session, report: Report, organisation_id: int, reason: str) -> bool:
    if _has_reader(session, report, organisation_id):
        return False
    sharing.add_routed_reader(session, report, organisation_id, reason=reason)
    return True


def _active_orgs(session: Session, kind: OrgKind, country: str) -> list[Organisation]:
    stmt = select(Organisation).where(
        Organisation.kind == kind, Organisation.country == country, Organisation.status == "active"
    )
    return list(session.scalars(stmt.order_by(Organisation.id)).all())


def _route(session: Session, report: Report, country: str, default_ack_days: int) -> list[int]:
    """Give the competent authority (and, per its settings, police and customs) read access."""
    routed: list[int] = []
    ack_days: list[int] = []
    for authority in _active_orgs(session, OrgKind.licensing_authority, country):
        if _add_reader(session, report, authority.id, f"competent authority of {country}"):
            routed.append(authority.id)
        prefs = session.get(ReportRoutingSettings, authority.id)
        if prefs is None:
            continue
        if prefs.ack_working_days:
            ack_days.append(prefs.ack_working_days)
        forward = [OrgKind.law_enforcement] if prefs.forward_to_law_enforcement else []
        forward += [OrgKind.customs] if prefs.forward_to_customs else []
        for kind in forward:
            for org in _active_orgs(session, kind, country):
                if _add_reader(session, report, org.id, f"forwarded by {authority.name}"):
                    routed.append(org.id)
    submitted = report.submitted_at or utc_now()
    report.ack_due_at = add_working_days(submitted, min(ack_days or [default_ack_days]))
    return routed


def _submit(
    session: Session, principal: Principal, report: Report, default_ack_days: int, prefix: str
) -> None:
    has_substance = bool(substances_of(session, [report.id])[report.id])
    _check_complete(report, has_substance, prefix)
    _step(session, principal, report, ReportStatus.submitted)
    report.submitted_at = utc_now()
    routed = _route(session, report, principal.country, default_ack_days)
    _change(
        session,
        principal,
        report,
        "report.submitted",
        title=f"New report: {report_summary(report)}",
        details={"routed_to": routed, "ack_due_at": _when(report.ack_due_at)},
    )


def _find_by_key(session: Session, principal: Principal, key: str) -> Report | None:
    return session.scalars(
        select(Report).where(
            Report.owner_organisation_id == principal.organisation_id,
            Report.idempotency_key == key,
        )
    ).one_or_none()


def create_report(
    session: Session,
    principal: Principal,
    *,
    data: ReportCreate,
    idempotency_key: str | None = None,
    default_ack_days: int = DEFAULT_ACK_WORKING_DAYS,
    prefix: str = "body.",
) -> tuple[Report, bool]:
    """File a report (or save a draft); the same idempotency key gives back the same report.

    Returns the report and whether it was created now.
    """
    _check_reporter(principal)
    if idempotency_key:
        earlier = _find_by_key(session, principal, idempotency_key)
        if earlier is not None:
            return earlier, False
    report = Report(
        kind=data.kind.value,
        status=ReportStatus.draft.value,
        counterparty={},
        order_details={},
        red_flags=[],
        hits=[],
        idempotency_key=idempotency_key or None,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
    )
    try:
        # A concurrent retry with the same key may commit first: the unique constraint decides.
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        if idempotency_key:
            earlier = _find_by_key(session, principal, idempotency_key)
            if earlier is not None:
                return earlier, False
        raise
    _apply(session, principal, report, data, prefix)
    session.add(
        ReportStatusChange(
            report_id=report.id,
            from_status=None,
            to_status=ReportStatus.draft.value,
            actor_organisation_id=principal.organisation_id,
            actor_user_id=principal.user_id,
        )
    )
    session.flush()
    audit.record(
        session,
        principal,
        "report.created",
        record_type=Report.record_type,
        record_id=report.id,
        details={"kind": report.kind, "draft": data.draft},
    )
    if not data.draft:
        _submit(session, principal, report, default_ack_days, prefix)
    return report, True


def create_reports(
    session: Session,
    principal: Principal,
    *,
    data: Sequence[ReportCreate],
    default_ack_days: int = DEFAULT_ACK_WORKING_DAYS,
) -> list[Report]:
    """Create several reports, all or nothing; a problem names its index and field."""
    return [
        create_report(
            session,
            principal,
            data=item,
            default_ack_days=default_ack_days,
            prefix=f"body.reports.{i}.",
        )[0]
        for i, item in enumerate(data)
    ]


def _own_draft(session: Session, principal: Principal, report_id: int) -> Report:
    report = get_report(session, principal, report_id)
    if not is_reporter_side(principal, report) or not sharing.can_edit(principal, report):
        raise Forbidden(Message("Only the reporting organisation edits its report."))
    if report.status != ReportStatus.draft:
        raise Conflict(
            Message("A submitted report cannot be changed; send a message instead."),
            errors=[("status", Message("is %(status)s", status=_label(report.status)))],
        )
    return report


def update_report(
    session: Session,
    principal: Principal,
    report_id: int,
    *,
    data: ReportCreate,
    default_ack_days: int = DEFAULT_ACK_WORKING_DAYS,
) -> Report:
    """Change a draft; unless `draft` is set, submit it too."""
    report = _own_draft(session, principal, report_id)
    _apply(session, principal, report, data, "body.")
    audit.record(
        session,
        principal,
        "report.updated",
        record_type=Report.record_type,
        record_id=report.id,
        details={"kind": report.kind},
    )
    if not data.draft:
        _submit(session, principal, report, default_ack_days, "body.")
    return report


def submit_report(
    session: Session,
    principal: Principal,
    report_id: int,
    *,
    default_ack_days: int = DEFAULT_ACK_WORKING_DAYS,
) -> Report:
    """Submit a draft: refused with the missing field named when it is incomplete."""
    report = _own_draft(session, principal, report_id)
    _submit(session, principal, report, default_ack_days, "body.")
    return report


def prefill_from_screening(
    session: Session, principal: Principal, screening_id: int
) -> ReportCreate:
    """A draft report from a screening the caller may read: counterparty, substance, flags."""
    s = screening_service.get_screening(session, principal, screening_id)
    order: dict[str, Any] = dict(s.order)
    identifiers = [
        {"type": kind, "value": order[key]}
        for key, kind in (
            ("customer_licence_number", "licence"),
            ("customer_registration_number", "registration"),
        )
        if order.get(key)
    ]
    known = shipped_rules().rules
    data: dict[str, Any] = {
        "kind": ReportKind.suspicious_order,
        "draft": True,
        "counterparty": {
            "name": s.customer_name,
            "country": s.customer_country,
            "address": order.get("customer_address") or "",
            "email": order.get("customer_email") or "",
            "phone": order.get("customer_phone") or "",
            "identifiers": identifiers,
        },
        "substances": [{"substance": s.substance_id, "quantity": s.quantity, "unit": s.unit}],
        "order": {
            "order_ref": s.order_ref,
            "order_date": s.order_date,
            "payment_method": order.get("payment_method") or "",
            "delivery_type": order.get("delivery_type") or "",
            "delivery_address": order.get("delivery_address") or "",
            "delivery_country": order.get("delivery_country"),
            "transit_countries": order.get("transit_countries") or [],
        },
        "red_flags": [f["code"] for f in s.findings if f.get("code") in known],
        "action_taken": "refused",
        "narrative": "\n".join(str(f.get("message", "")) for f in s.findings if f.get("message")),
        "screening_id": s.id,
    }
    return ReportCreate.model_validate(data)


# --- The queue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    """What the queue is narrowed to."""

    status: str | None = None
    kind: str | None = None
    substance: str | None = None
    country: str | None = None
    red_flag: str | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    overdue: bool | None = None
    q: str | None = None


SORT_KEYS = ("created_at", "submitted_at", "ack_due_at", "status", "kind", "counterparty_name")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,40}$")


def _search(session: Session, principal: Principal, filters: ReportFilters) -> Select[Any]:
    stmt = sharing.visible(select(Report), principal, Report)
    if filters.status:
        stmt = stmt.where(Report.status == filters.status)
    if filters.kind:
        stmt = stmt.where(Report.kind == filters.kind)
    if filters.country:
        stmt = stmt.where(Report.counterparty_country == filters.country.strip().upper())
    if filters.substance:
        text = filters.substance.strip()
        found = catalog_service.snapshot(session).lookup(text)
        condition = (
            ReportSubstance.substance_id == found.record.id
            if found.record is not None
            else func.lower(ReportSubstance.substance_name).like(f"%{text.lower()}%")
        )
        stmt = stmt.where(exists().where(ReportSubstance.report_id == Report.id, condition))
    if filters.red_flag:
        code = filters.red_flag.strip().upper()
        if not _CODE.match(code):
            raise InvalidInput(
                Message("Not a red flag code."), errors=[("query.red_flag", Message("not a code"))]
            )
        # Codes are letters, digits and underscores: safe inside a LIKE over the JSON text.
        stmt = stmt.where(cast(Report.red_flags, String).like(f'%"{code}"%'))
    now = utc_now()
    if filters.min_age_days is not None:
        stmt = stmt.where(Report.created_at <= now - timedelta(days=filters.min_age_days))
    if filters.max_age_days is not None:
        stmt = stmt.where(Report.created_at >= now - timedelta(days=filters.max_age_days))
    if filters.overdue is not None:
        late = (Report.status == ReportStatus.submitted.value) & (Report.ack_due_at < now)
        stmt = stmt.where(late if filters.overdue else ~late)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Report.counterparty_name).like(pattern),
                func.lower(Report.narrative).like(pattern),
            )
        )
    return stmt


def list_reports(
    session: Session, principal: Principal, params: PageParams, filters: ReportFilters
) -> Page[Report]:
    """A page of the reports the caller may read: the authority's queue, the reporter's list."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-created_at")
    column = getattr(Report, key)
    stmt = _search(session, principal, filters).order_by(
        column.desc() if descending else column.asc(), Report.id.desc()
    )
    return fetch_page(session, stmt, params)


def count_reports(session: Session, principal: Principal, filters: ReportFilters) -> int:
    """How many reports the caller may read (matching the filters)."""
    sub = _search(session, principal, filters).with_only_columns(Report.id).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


def summary_counts(session: Session, principal: Principal) -> dict[str, Any]:
    """Counts of the reports the caller may read, per status and per outcome, and overdue."""
    base = sharing.visible(select(Report), principal, Report).with_only_columns(
        Report.status, Report.outcome
    )
    by_status: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for status, outcome in session.execute(base).all():
        by_status[status] += 1
        if outcome:
            by_outcome[outcome] += 1
    overdue = count_reports(session, principal, ReportFilters(overdue=True))
    return {
        "total": sum(by_status.values()),
        "by_status": {s.value: by_status.get(s.value, 0) for s in ReportStatus},
        "by_outcome": dict(sorted(by_outcome.items())),
        "overdue": overdue,
    }


EXPORT_COLUMNS = (
    "id",
    "kind",
    "status",
    "outcome",
    "reporter",
    "counterparty",
    "counterparty_country",
    "substances",
    "red_flags",
    "action_taken",
    "submitted_at_utc",
    "ack_due_at_utc",
    "overdue",
    "tlp",
)
EXPORT_LIMIT = 50_000


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def export_rows(
    session: Session, principal: Principal, filters: ReportFilters
) -> list[dict[str, object]]:
    """The reports the caller may read, as rows for CSV/XLSX, each with its TLP marking."""
    stmt = _search(session, principal, filters).order_by(Report.created_at.desc(), Report.id.desc())
    reports = session.scalars(stmt.limit(EXPORT_LIMIT)).all()
    lines = substances_of(session, [r.id for r in reports])
    owners = accounts_service.organisation_names(
        session, {r.owner_organisation_id for r in reports}
    )
    now = utc_now()
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "status": r.status,
            "outcome": r.outcome or "",
            "reporter": owners.get(r.owner_organisation_id, ""),
            "counterparty": r.counterparty_name,
            "counterparty_country": r.counterparty_country or "",
            "substances": "; ".join(
                f"{s.substance_name} {s.quantity:g} {s.unit}" if s.quantity else s.substance_name
                for s in lines[r.id]
            ),
            "red_flags": "; ".join(r.red_flags),
            "action_taken": r.action_taken or "",
            "submitted_at_utc": _when(r.submitted_at),
            "ack_due_at_utc": _when(r.ack_due_at),
            "overdue": "yes" if is_overdue(r, now) else "",
            "tlp": f"TLP:{r.tlp.value.upper()}",
        }
        for r in reports
    ]


# --- Authority workflow -----------------------------------------------------------------------


def _authority_report(session: Session, principal: Principal, report_id: int) -> Report:
    """A report the principal works on as an authority (after the gate: 404 when hidden)."""
    report = get_report(session, principal, report_id)
    if (
        is_reporter_side(principal, report)
        or not principal.is_authority
        or principal.role not in (Role.admin, Role.analyst)
    ):
        raise Forbidden(Message("Only analysts of an authority the report reached work on it."))
    return report


def acknowledge_report(session: Session, principal: Principal, report_id: int) -> Report:
    """Confirm to the reporter that the report has arrived and is being looked at."""
    report = _authority_report(session, principal, report_id)
    _step(session, principal, report, ReportStatus.acknowledged)
    report.acknowledged_at = utc_now()
    _change(
        session,
        principal,
        report,
        "report.acknowledged",
        title=f"Report acknowledged: {report_summary(report)}",
        severity="low",
    )
    return report


def change_status(
    session: Session, principal: Principal, report_id: int, *, status: ReportStatus
) -> Report:
    """Move a report into review (acknowledge, refer and close have their own actions)."""
    report = _authority_report(session, principal, report_id)
    if status is not ReportStatus.under_review:
        raise InvalidInput(
            Message("Use the %(status)s action for this status.", status=_label(status.value)),
            errors=[("body.status", Message("only under_review is set directly"))],
        )
    before = _step(session, principal, report, status)
    if report.acknowledged_at is None:
        report.acknowledged_at = utc_now()
    _change(
        session,
        principal,
        report,
        "report.status_changed",
        title=f"Report under review: {report_summary(report)}",
        details={"from": before.value},
        severity="low",
    )
    return report


def refer_report(
    session: Session, principal: Principal, report_id: int, *, data: Referral
) -> Report:
    """Refer a report to law enforcement or customs (any country): they read it from now on."""
    report = _authority_report(session, principal, report_id)
    target = session.get(Organisation, data.organisation_id)
    if target is None or target.status != "active" or target.kind not in FORWARD_KINDS:
        raise InvalidInput(
            Message("A report is referred to an active law enforcement or customs organisation."),
            errors=[
                (
                    "body.organisation_id",
                    Message("not an active law enforcement or customs body"),
                )
            ],
        )
    _step(session, principal, report, ReportStatus.referred, referred_to_id=target.id)
    if report.acknowledged_at is None:
        report.acknowledged_at = utc_now()
    _add_reader(session, report, target.id, f"referred by {principal.organisation_name}")
    _change(
        session,
        principal,
        report,
        "report.referred",
        title=f"Report referred: {report_summary(report)}",
        details={"referred_to": target.id, "reason": data.reason},
    )
    return report


def close_report(
    session: Session, principal: Principal, report_id: int, *, data: Closure
) -> Report:
    """Close a report with its outcome; the reporter sees the outcome and the message."""
    report = _authority_report(session, principal, report_id)
    _step(session, principal, report, ReportStatus.closed, outcome=data.outcome.value)
    now = utc_now()
    report.outcome = data.outcome.value
    report.closed_at = now
    report.acknowledged_at = report.acknowledged_at or now
    if data.message:
        _feedback(session, principal, report, data.message)
    _change(
        session,
        principal,
        report,
        "report.closed",
        title=f"Report closed ({data.outcome.value}): {report_summary(report)}",
        details={"outcome": data.outcome.value},
    )
    return report


def _feedback(session: Session, principal: Principal, report: Report, message: str) -> None:
    session.add(
        ReportMessage(
            report_id=report.id,
            kind=MessageKind.feedback.value,
            body=message,
            author_organisation_id=principal.organisation_id,
            author_user_id=principal.user_id,
        )
    )
    report.feedback_message = message
    report.feedback_at = utc_now()
    session.flush()
    _change(
        session,
        principal,
        report,
        "report.feedback",
        title=f"Feedback on your report: {report_summary(report)}",
        severity="low",
    )


def give_feedback(
    session: Session, principal: Principal, report_id: int, *, data: Feedback
) -> Report:
    """Tell the reporter what became of its report."""
    report = _authority_report(session, principal, report_id)
    if report.status == ReportStatus.draft:
        raise Conflict(Message("A draft has no feedback."), errors=[("status", Message("draft"))])
    _feedback(session, principal, report, data.message)
    return report


def officers(session: Session, principal: Principal) -> list[User]:
    """Active analysts and admins of the principal's authority, to assign reports to."""
    if not principal.is_authority:
        return []
    stmt = (
        select(User)
        .where(
            User.organisation_id == principal.organisation_id,
            User.active.is_(True),
            User.role.in_([Role.admin, Role.analyst]),
        )
        .order_by(User.name)
    )
    return list(session.scalars(stmt).all())


def assign_report(
    session: Session, principal: Principal, report_id: int, *, user_id: int | None
) -> Report:
    """Assign the report to an officer of the principal's authority (internal to it)."""
    report = _authority_report(session, principal, report_id)
    if user_id is not None and user_id not in {u.id for u in officers(session, principal)}:
        raise InvalidInput(
            Message("Assign to an analyst or admin of your own authority."),
            errors=[("body.user_id", Message("not an officer of your authority"))],
        )
    report.assigned_to_id = user_id
    report.updated_at = utc_now()
    session.flush()
    _change(
        session,
        principal,
        report,
        "report.assigned",
        title=f"Report assigned: {report_summary(report)}",
        details={"assigned_to": user_id},
        organisation_id=principal.organisation_id,
        internal=True,
        severity="low",
    )
    return report


# --- Messages, timeline, attachments ----------------------------------------------------------


def post_message(
    session: Session, principal: Principal, report_id: int, *, data: MessageCreate
) -> ReportMessage:
    """A request for information, an answer, or an internal note of authorities."""
    report = get_report(session, principal, report_id)
    if not principal.can_write:
        raise Forbidden(Message("Viewers read messages; they do not send them."))
    reporter = is_reporter_side(principal, report)
    kind = data.kind or (MessageKind.answer if reporter else MessageKind.request)
    allowed = {MessageKind.answer} if reporter else {MessageKind.request, MessageKind.note}
    if kind not in allowed or not (reporter or principal.is_authority):
        raise InvalidInput(
            Message("You cannot send a %(kind)s message on this report.", kind=_label(kind.value)),
            errors=[
                (
                    "body.kind",
                    Message(
                        "allowed: %(kinds)s", kinds=", ".join(sorted(k.value for k in allowed))
                    ),
                )
            ],
        )
    if report.status == ReportStatus.draft:
        raise Conflict(
            Message("Submit the report before sending messages."),
            errors=[("status", Message("draft"))],
        )
    message = ReportMessage(
        report_id=report.id,
        kind=kind.value,
        body=data.body,
        author_organisation_id=principal.organisation_id,
        author_user_id=principal.user_id,
    )
    session.add(message)
    session.flush()
    internal = kind is MessageKind.note
    title = {
        MessageKind.request: f"Request for information: {report_summary(report)}",
        MessageKind.answer: f"Answer from the reporter: {report_summary(report)}",
        MessageKind.note: f"Internal note: {report_summary(report)}",
    }[kind]
    _change(
        session,
        principal,
        report,
        "report.note_added" if internal else "report.message_posted",
        title=title,
        details={"message_id": message.id, "kind": kind.value},
        organisation_id=principal.organisation_id if internal else None,
        internal=internal,
        severity="low" if internal else "medium",
    )
    return message


def list_messages(session: Session, principal: Principal, report_id: int) -> list[ReportMessage]:
    """The messages of a report the caller may read; internal notes only for authorities."""
    return _messages(session, principal, get_report(session, principal, report_id))


def _messages(session: Session, principal: Principal, report: Report) -> list[ReportMessage]:
    stmt = select(ReportMessage).where(ReportMessage.report_id == report.id)
    if not _insider(principal, report):
        stmt = stmt.where(ReportMessage.kind != MessageKind.note.value)
    return list(session.scalars(stmt.order_by(ReportMessage.created_at, ReportMessage.id)).all())


@dataclass(frozen=True)
class MessageAsRead:
    """A message as its reader sees it: the reporter is not told which authority wrote, as the
    timeline does not tell it whom the report was referred to (a police request would tip off)."""

    id: int
    kind: str
    body: str
    author_organisation_id: int | None  # None: "the competent authority", to the reporter
    created_at: datetime


def messages_as_read(session: Session, principal: Principal, report_id: int) -> list[MessageAsRead]:
    """list_messages with each author as the caller may know it."""
    report = get_report(session, principal, report_id)
    insider = _insider(principal, report)
    return [
        MessageAsRead(
            id=m.id,
            kind=m.kind,
            body=m.body,
            author_organisation_id=m.author_organisation_id
            if insider or m.author_organisation_id == principal.organisation_id
            else None,
            created_at=m.created_at,
        )
        for m in _messages(session, principal, report)
    ]


@dataclass(frozen=True)
class TimelineStep:
    """One status change as the reader may see it."""

    from_status: str | None
    to_status: str
    outcome: str | None
    referred_to: str | None
    by_organisation: str
    at: datetime


def timeline(session: Session, principal: Principal, report_id: int) -> list[TimelineStep]:
    """The report's status changes; whom it was referred to only for authorities."""
    report = get_report(session, principal, report_id)
    changes = session.scalars(
        select(ReportStatusChange)
        .where(ReportStatusChange.report_id == report.id)
        .order_by(ReportStatusChange.at, ReportStatusChange.id)
    ).all()
    insider = _insider(principal, report)
    names = accounts_service.organisation_names(
        session,
        {c.actor_organisation_id for c in changes}
        | {c.referred_to_id for c in changes if c.referred_to_id},
    )
    steps = []
    for c in changes:
        by = names.get(c.actor_organisation_id, "")
        if not insider and c.actor_organisation_id != report.owner_organisation_id:
            by = "competent authority"
        steps.append(
            TimelineStep(
                from_status=c.from_status,
                to_status=c.to_status,
                outcome=c.outcome,
                referred_to=names.get(c.referred_to_id) if insider and c.referred_to_id else None,
                by_organisation=by,
                at=c.at,
            )
        )
    return steps


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TEXT = Message("PDF, PNG, JPEG, plain text, XLSX or DOCX")


def attachment_type(content: bytes) -> tuple[str, str]:
    """The content type and suffix the file's own bytes prove, or a refusal naming the types."""
    document = sniff_document(content)
    if document is not None:
        return document
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX, ".xlsx"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX, ".docx"
    elif b"\x00" not in content:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        # Markup is refused even as text: nothing that a browser could render as a page.
        if text is not None and not text.lstrip().startswith("<"):
            return "text/plain; charset=utf-8", ".txt"
    raise InvalidInput(
        Message("An attachment must be a %(types)s file.", types=ALLOWED_TEXT),
        errors=[("file", Message("not a %(types)s file", types=ALLOWED_TEXT))],
    )


def _safe_filename(name: str, suffix: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", base.rsplit(".", 1)[0]).strip("._") or "attachment"
    return stem[:80] + suffix


def add_attachment(
    session: Session,
    principal: Principal,
    report_id: int,
    *,
    filename: str,
    content: bytes,
    max_bytes: int = DEFAULT_ATTACHMENT_MAX_BYTES,
) -> ReportAttachment:
    """Attach a document or image to one's own report; type proven by its bytes, size limited."""
    report = get_report(session, principal, report_id)
    if not is_reporter_side(principal, report) or not principal.can_write:
        raise Forbidden(Message("Only the reporting organisation attaches files to its report."))
    if report.status == ReportStatus.closed:
        raise Conflict(Message("The report is closed."), errors=[("status", Message("closed"))])
    if len(content) > max_bytes:
        raise size_limit_error(max_bytes)
    if not content:
        raise InvalidInput(Message("The file is empty."), errors=[("file", Message("empty file"))])
    content_type, suffix = attachment_type(content)
    attachment = ReportAttachment(
        report_id=report.id,
        filename=_safe_filename(filename, suffix),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=principal.user_id,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        principal,
        "report.attachment_added",
        record_type=Report.record_type,
        record_id=report.id,
        details={"attachment_id": attachment.id, "filename": attachment.filename},
    )
    return attachment


def list_attachments(
    session: Session, principal: Principal, report_id: int
) -> list[ReportAttachment]:
    """The attachments of a report the caller may read."""
    report = get_report(session, principal, report_id)
    stmt = (
        select(ReportAttachment)
        .where(ReportAttachment.report_id == report.id)
        .order_by(ReportAttachment.id)
    )
    return list(session.scalars(stmt).all())


def get_attachment(
    session: Session, principal: Principal, report_id: int, attachment_id: int
) -> ReportAttachment:
    """One attachment with its content, loaded by id and report after the gate let the report."""
    report = get_report(session, principal, report_id)
    found = session.scalars(
        select(ReportAttachment)
        .options(undefer(ReportAttachment.content))
        .where(ReportAttachment.id == attachment_id, ReportAttachment.report_id == report.id)
    ).one_or_none()
    if found is None:
        raise NotFound(Message("No attachment %(id)s.", id=attachment_id))
    return found


# --- Routing settings -------------------------------------------------------------------------


def get_routing_settings(session: Session, principal: Principal) -> RoutingSettings:
    """The principal's licensing authority's routing of incoming reports."""
    if principal.organisation_kind is not OrgKind.licensing_authority:
        raise Forbidden(Message("Routing settings belong to licensing authorities."))
    prefs = session.get(ReportRoutingSettings, principal.organisation_id)
    return RoutingSettings.model_validate(prefs) if prefs else RoutingSettings()


def set_routing_settings(
    session: Session, principal: Principal, *, data: RoutingSettings
) -> RoutingSettings:
    """Change the authority's forwarding to police/customs and its acknowledgement target."""
    if principal.organisation_kind is not OrgKind.licensing_authority or not principal.is_admin:
        raise Forbidden(
            Message("An administrator of the licensing authority sets its report routing.")
        )
    prefs = session.get(ReportRoutingSettings, principal.organisation_id)
    if prefs is None:
        prefs = ReportRoutingSettings(organisation_id=principal.organisation_id)
        session.add(prefs)
    prefs.forward_to_law_enforcement = data.forward_to_law_enforcement
    prefs.forward_to_customs = data.forward_to_customs
    prefs.ack_working_days = data.ack_working_days
    prefs.updated_at = utc_now()
    session.flush()
    audit.record(
        session,
        principal,
        "report.routing_settings_changed",
        record_type="report_routing_settings",
        record_id=principal.organisation_id,
        details=data.model_dump(),
    )
    return data


def referral_targets(session: Session, principal: Principal) -> list[Organisation]:
    """Law enforcement and customs organisations a report may be referred to."""
    if not principal.is_authority:
        return []
    stmt = (
        select(Organisation)
        .where(Organisation.kind.in_(list(FORWARD_KINDS)), Organisation.status == "active")
        .order_by(Organisation.country, Organisation.name)
    )
    return list(session.scalars(stmt).all())


# --- Reading a report for output --------------------------------------------------------------


def describe(
    session: Session, principal: Principal, reports: Sequence[Report]
) -> list[dict[str, Any]]:
    """Reports as their reader may see them (assignment hidden from the reporter side)."""
    lines = substances_of(session, [r.id for r in reports])
    owners = accounts_service.organisation_names(
        session, {r.owner_organisation_id for r in reports}
    )
    now = utc_now()
    described = []
    for r in reports:
        insider = principal.is_authority and not is_reporter_side(principal, r)
        described.append(
            {
                "id": r.id,
                "kind": r.kind,
                "status": r.status,
                "outcome": r.outcome,
                "summary": report_summary(r),
                "reporter_organisation": owners.get(r.owner_organisation_id, ""),
                "owner_organisation_id": r.owner_organisation_id,
                "counterparty": r.counterparty,
                "substances": lines[r.id],
                "order": r.order_details,
                "red_flags": r.red_flags,
                "red_flags_other": r.red_flags_other,
                "action_taken": r.action_taken,
                "narrative": r.narrative,
                "screening_id": r.screening_id,
                "hits": r.hits,
                "submitted_at": r.submitted_at,
                "ack_due_at": r.ack_due_at,
                "acknowledged_at": r.acknowledged_at,
                "closed_at": r.closed_at,
                "overdue": is_overdue(r, now),
                "feedback_message": r.feedback_message,
                "feedback_at": r.feedback_at,
                "assigned_to_id": r.assigned_to_id if insider else None,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
            }
        )
    return described


def report_pdf(session: Session, principal: Principal, report_id: int) -> tuple[str, bytes]:
    """The report as a PDF for case files: its filename and bytes."""
    from precx.reports.pdf import PdfReport, render_pdf

    report = get_report(session, principal, report_id)
    info = describe(session, principal, [report])[0]
    rules = shipped_rules().rules
    cp = report.counterparty
    identifiers = "; ".join(f"{i['type']}: {i['value']}" for i in cp.get("identifiers", []))
    order = {k: v for k, v in report.order_details.items() if v}
    doc = PdfReport(
        title=report_summary(report),
        status=report.status + (f" ({report.outcome})" if report.outcome else ""),
        reporter=info["reporter_organisation"],
        submitted=_when(report.submitted_at) or "not submitted",
        ack_due=_when(report.ack_due_at),
        counterparty="\n".join(
            v
            for v in (
                cp.get("name", ""),
                cp.get("address", ""),
                cp.get("country") or "",
                identifiers,
                cp.get("email", ""),
                cp.get("phone", ""),
            )
            if v
        ),
        substances="\n".join(
            f"{s.substance_name} ({s.substance_id})"
            + (f": {s.quantity:g} {s.unit}" if s.quantity else "")
            for s in info["substances"]
        ),
        order="\n".join(
            f"{k.replace('_', ' ')}: {'; '.join(v) if isinstance(v, list) else v}"
            for k, v in order.items()
        ),
        red_flags="\n".join(f"{c}: {rules[c].title}" if c in rules else c for c in report.red_flags)
        + (f"\n{report.red_flags_other}" if report.red_flags_other else ""),
        action_taken=report.action_taken or "",
        narrative=report.narrative,
        feedback=report.feedback_message or "",
        timeline=[
            f"{_when(s.at)} UTC  {s.to_status}"
            + (f" ({s.outcome})" if s.outcome else "")
            + (f" to {s.referred_to}" if s.referred_to else "")
            + f"  by {s.by_organisation}"
            for s in timeline(session, principal, report.id)
        ],
        messages=[
            f"{_when(m.created_at)} UTC  [{m.kind}] {m.body}"
            for m in _messages(session, principal, report)
        ],
    )
    return f"report-{report.id}.pdf", render_pdf(doc)
