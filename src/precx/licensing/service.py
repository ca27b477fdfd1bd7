"""The licence register, annual legitimate requirements and verification of a licence number."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, String, and_, cast, delete, func, not_, or_, select
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.models import Organisation
from precx.accounts.principal import OrgKind, Principal, Role
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.catalog.schemas import SubstanceRecord
from precx.catalog.snapshot import CatalogSnapshot
from precx.db import utc_now
from precx.kit.i18n import Message, field_message
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from precx.licensing.files import TableFileError, read_table
from precx.licensing.models import (
    AnnualRequirement,
    AnnualRequirementChange,
    Licence,
    LicenceVersion,
    VerificationLogEntry,
)
from precx.licensing.schemas import (
    Activity,
    LicenceAmend,
    LicenceCreate,
    LicenceKind,
    LicenceRenew,
    LicenceStatus,
    LicenceTerms,
    LicenceVerification,
    RequirementSet,
    StatusChange,
    VerificationStatus,
)
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, RoutedReader, Tlp

# Licences are read by every authority (the issuing one edits) and by their holder.
REGISTER_DISTRIBUTION = Distribution.authorities
REGISTER_TLP = Tlp.amber
HOLDER_REASON = "licence holder"
SORT_KEYS = ("number", "holder_name", "valid_from", "valid_until", "created_at", "status", "kind")
# ALR must at least cover these (INCB's list), each with its preparations.
ALR_SUBSTANCES = ("ephedrine", "pseudoephedrine", "p2p", "pmk")
TERM_FIELDS = tuple(LicenceTerms.model_fields)


def today() -> date:
    """The current date in UTC, the one validity is judged against."""
    return datetime.now(UTC).date()


# --- Reading helpers ------------------------------------------------------------------------


def effective_status(licence: Licence, on: date | None = None) -> LicenceStatus:
    """The status as of a date: the authority's decision, or `expired` outside the validity."""
    return LicenceStatus(licence.status_on(on or today()))


def maintains_register(principal: Principal, country: str) -> bool:
    """Whether the principal speaks for the licensing authority of that country."""
    return (
        principal.organisation_kind is OrgKind.licensing_authority
        and principal.country == country
        and principal.role in (Role.admin, Role.analyst)
    )


def reads_register(principal: Principal) -> bool:
    """Authorities read the whole register; others only licences they hold."""
    return principal.is_authority or principal.organisation_kind is OrgKind.international


def _ancestry(catalog: CatalogSnapshot, record: SubstanceRecord) -> list[SubstanceRecord]:
    """The substance and its parents: a licence for ephedrine covers its salts."""
    chain = [record]
    while chain[-1].parent and chain[-1].parent in catalog.records and len(chain) < 10:
        chain.append(catalog.records[chain[-1].parent])
    return chain


def catalog_names(session: Session) -> dict[str, str]:
    """Names of the catalog's substances by id, for pages that list ids."""
    return {i: r.name for i, r in catalog_service.snapshot(session).records.items()}


def _unknown_substance(catalog: CatalogSnapshot, query: str) -> Message:
    found = catalog.lookup(query) if query.strip() else None
    if found and found.candidates:
        return Message(
            "%(query)s is not a substance of the catalog; nearest: %(nearest)s",
            query=repr(query),
            nearest=", ".join(found.candidates),
        )
    return Message("%(query)s is not a substance of the catalog", query=repr(query))


# --- Verification ---------------------------------------------------------------------------


def _find_licence(session: Session, country: str, number: str) -> Licence | None:
    exact = session.scalars(
        select(Licence).where(Licence.country == country, Licence.number == number)
    ).one_or_none()
    if exact is not None:
        return exact
    return session.scalars(
        select(Licence)
        .where(Licence.country == country, func.lower(Licence.number) == number.lower())
        .order_by(Licence.id)
        .limit(1)
    ).one_or_none()


def _covers(
    catalog: CatalogSnapshot, licence: Licence, record: SubstanceRecord
) -> tuple[bool, float | None]:
    """Whether the licence covers the substance, and its quantity limit for it."""
    chain = _ancestry(catalog, record)
    ids = [r.id for r in chain]
    categories = {r.eu_category for r in chain if r.eu_category} | {
        catalog.controlling(record).eu_category
    }
    covered = any(i in licence.substances for i in ids) or bool(
        categories & set(licence.categories)
    )
    limit = next((licence.quantity_limits[i] for i in ids if i in licence.quantity_limits), None)
    return covered, (float(limit) if limit is not None else None)


def verify(
    session: Session,
    principal: Principal,
    *,
    country: str,
    number: str,
    substance: str | None = None,
    activity: str | None = None,
    log: bool = True,
) -> LicenceVerification:
    """Whether a licence number is valid (for a substance and activity): status, holder, dates."""
    licence, record, wanted_activity, answer = _verify(
        session, country=country, number=number, substance=substance, activity=activity
    )
    if log:
        session.add(
            VerificationLogEntry(
                country=country.strip().upper(),
                number=number.strip(),
                substance=record.id if record else "",
                activity=wanted_activity.value if wanted_activity else "",
                answer=answer.status.value,
                licence_id=licence.id if licence else None,
                verified_by_id=principal.user_id,
                verified_by_organisation_id=principal.organisation_id,
            )
        )
        session.flush()
    return answer


def _verify(
    session: Session,
    *,
    country: str,
    number: str,
    substance: str | None,
    activity: str | None,
) -> tuple[Licence | None, SubstanceRecord | None, Activity | None, LicenceVerification]:
    country = country.strip().upper()
    number = number.strip()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(
            Message("Give the country as an ISO 3166-1 alpha-2 code."),
            errors=[("query.country", Message("not an ISO 3166-1 alpha-2 code"))],
        )
    if not number or len(number) > 60:
        raise InvalidInput(
            Message("Give the licence or registration number."),
            errors=[("query.number", Message("required, at most 60 characters"))],
        )
    wanted_activity: Activity | None = None
    if activity:
        try:
            wanted_activity = Activity(activity.strip().lower())
        except ValueError:
            allowed = ", ".join(a.value for a in Activity)
            raise InvalidInput(
                Message(
                    "%(activity)s is not an activity; use one of %(allowed)s.",
                    activity=repr(activity),
                    allowed=allowed,
                ),
                errors=[("query.activity", Message("not one of %(allowed)s", allowed=allowed))],
            ) from None
    record: SubstanceRecord | None = None
    catalog = catalog_service.snapshot(session)
    if substance and substance.strip():
        record = catalog.named(substance)
        if record is None:
            message = _unknown_substance(catalog, substance)
            raise InvalidInput(message, errors=[("query.substance", message)])
    licence = _find_licence(session, country, number)
    return licence, record, wanted_activity, _answer(catalog, licence, record, wanted_activity)


def verify_unlogged(
    session: Session,
    *,
    country: str,
    number: str,
    substance: str | None = None,
    activity: str | None = None,
) -> LicenceVerification:
    """The same answer as `verify`, for the operator's CLI: nobody to log it for."""
    return _verify(session, country=country, number=number, substance=substance, activity=activity)[
        3
    ]


def _answer(
    catalog: CatalogSnapshot,
    licence: Licence | None,
    record: SubstanceRecord | None,
    activity: Activity | None,
) -> LicenceVerification:
    if licence is None:
        return LicenceVerification(status=VerificationStatus.not_found)
    limit: float | None = None
    state = effective_status(licence)
    status = VerificationStatus(state.value) if state is not LicenceStatus.active else None
    if record is not None:
        covered, limit = _covers(catalog, licence, record)
        if not covered and status is None:
            status = VerificationStatus.not_covered
    if activity is not None and activity.value not in licence.activities and status is None:
        status = VerificationStatus.not_covered
    return LicenceVerification(
        status=status or VerificationStatus.valid,
        holder_name=licence.holder_name,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        kind=licence.kind,
        quantity_limit_kg=limit,
    )


def check_verify_rate(session: Session, principal: Principal, *, per_minute: int) -> None:
    """Refuse a verification beyond the organisation's rate (counted from the verification log)."""
    since = utc_now() - timedelta(minutes=1)
    done = (
        session.scalar(
            select(func.count(VerificationLogEntry.id)).where(
                VerificationLogEntry.verified_by_organisation_id == principal.organisation_id,
                VerificationLogEntry.verified_at >= since,
            )
        )
        or 0
    )
    if done >= per_minute:
        raise TooManyRequests(
            Message(
                "Your organisation verified %(done)s licences in the last minute; the limit is "
                "%(limit)s. Try again in a minute.",
                done=done,
                limit=per_minute,
            ),
            errors=[("query.number", Message("rate limit reached"))],
        )


def has_register(session: Session, country: str) -> bool:
    """Whether the platform holds a licence register for this country."""
    return session.scalar(select(Licence.id).where(Licence.country == country).limit(1)) is not None


def licence_check_for(session: Session) -> Callable[[Any, SubstanceRecord], str | None]:
    """A check for order screening: a reason when the customer's licence does not verify."""

    def check(order: Any, substance: SubstanceRecord) -> str | None:
        number = getattr(order, "customer_licence_number", None) or getattr(
            order, "customer_registration_number", None
        )
        country = str(getattr(order, "customer_country", "") or "")
        if not number or not country:
            return None
        # Screening files hold many orders: checks are not logged, so they neither flood the
        # authority's log nor count against the organisation's verification rate.
        try:
            _, _, _, answer = _verify(
                session, country=country, number=number, substance=substance.id, activity=None
            )
        except InvalidInput:
            return None  # a malformed number is the order file's problem, reported elsewhere
        return _finding_text(session, answer, country, number, substance)

    return check


def _finding_text(
    session: Session,
    answer: LicenceVerification,
    country: str,
    number: str,
    substance: SubstanceRecord,
) -> str | None:
    status = answer.status
    if status is VerificationStatus.valid:
        return None
    if status is VerificationStatus.not_found:
        if not has_register(session, country):
            return None  # no register of that country on the platform: nothing to judge by
        return (
            f"Licence {number} is not in the register of {country}: ask the customer for a copy "
            "and check it with the licensing authority."
        )
    if status is VerificationStatus.not_covered:
        return (
            f"Licence {number} of {answer.holder_name} does not cover {substance.name}: supply "
            "only what the licence allows."
        )
    until = answer.valid_until.isoformat() if answer.valid_until else ""
    why = {
        VerificationStatus.expired: f"valid only from {answer.valid_from} until {until}",
        VerificationStatus.suspended: "the licensing authority has suspended it",
        VerificationStatus.revoked: "the licensing authority has revoked it",
    }[status]
    return (
        f"Licence {number} is {status.value}: {why}. Do not supply {substance.name} on it; "
        "contact the customer's licensing authority."
    )


def list_verifications(
    session: Session, principal: Principal, params: PageParams
) -> Page[VerificationLogEntry]:
    """Verifications of the licence numbers of the caller's country, newest first."""
    if principal.organisation_kind is not OrgKind.licensing_authority:
        raise Forbidden(
            Message("Only the licensing authority of a country sees who verified its licences.")
        )
    stmt = (
        select(VerificationLogEntry)
        .where(VerificationLogEntry.country == principal.country)
        .order_by(VerificationLogEntry.verified_at.desc(), VerificationLogEntry.id.desc())
    )
    return fetch_page(session, stmt, params)


def verifier_names(
    session: Session, entries: Sequence[VerificationLogEntry]
) -> tuple[dict[int, str], dict[int, str]]:
    """Organisation names and user e-mail addresses of the verifications' authors."""
    orgs = accounts_service.organisation_names(
        session, {e.verified_by_organisation_id for e in entries}
    )
    from precx.accounts.models import User

    ids = {e.verified_by_id for e in entries}
    users = (
        dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).tuples().all())
        if ids
        else {}
    )
    return orgs, users


# --- Writing the register -------------------------------------------------------------------


@dataclass(frozen=True)
class _Validated:
    substances: list[str]
    quantity_limits: dict[str, float]


def _check_country(session: Session, country: str, field: str) -> None:
    from precx.catalog.models import Country

    if session.get(Country, country) is None:
        raise InvalidInput(
            Message("%(country)s is not a country of the catalog.", country=repr(country)),
            errors=[(field, Message("unknown country"))],
        )


def _require_maintainer(principal: Principal, country: str) -> None:
    if not maintains_register(principal, country):
        raise Forbidden(
            Message(
                "Only analysts and admins of the licensing authority of "
                "%(country)s maintain its licence register.",
                country=country,
            )
        )


def _validate_terms(
    session: Session, catalog: CatalogSnapshot, terms: LicenceTerms, country: str
) -> _Validated:
    substances: list[str] = []
    for position, query in enumerate(terms.substances):
        record = catalog.named(query)
        if record is None:
            message = _unknown_substance(catalog, query)
            raise InvalidInput(message, errors=[(f"body.substances.{position}", message)])
        if record.id not in substances:
            substances.append(record.id)
    limits: dict[str, float] = {}
    for query, kg in terms.quantity_limits.items():
        record = catalog.named(query)
        if record is None:
            message = _unknown_substance(catalog, query)
            raise InvalidInput(message, errors=[(f"body.quantity_limits.{query}", message)])
        if (
            not any(r.id in substances for r in _ancestry(catalog, record))
            and record.eu_category not in terms.categories
        ):
            raise InvalidInput(
                Message(
                    "The licence sets a limit for %(substance)s, which the licence does not cover.",
                    substance=record.name,
                ),
                errors=[
                    (
                        f"body.quantity_limits.{query}",
                        Message(
                            "a limit for %(substance)s, which the licence does not cover",
                            substance=record.name,
                        ),
                    )
                ],
            )
        limits[record.id] = float(kg)
    if terms.holder_organisation_id is not None:
        holder = session.get(Organisation, terms.holder_organisation_id)
        if holder is None or holder.country != country:
            raise InvalidInput(
                Message(
                    "No organisation %(organisation)s in %(country)s on the platform.",
                    organisation=terms.holder_organisation_id,
                    country=country,
                ),
                errors=[
                    (
                        "body.holder_organisation_id",
                        Message("no such organisation in %(country)s", country=country),
                    )
                ],
            )
    return _Validated(substances, limits)


def _holder_clause(terms: LicenceTerms) -> Any:
    if terms.holder_organisation_id is not None:
        return Licence.holder_organisation_id == terms.holder_organisation_id
    same_name = func.lower(Licence.holder_name) == terms.holder_name.lower()
    if terms.holder_registration_number:
        return or_(
            Licence.holder_registration_number == terms.holder_registration_number,
            and_(Licence.holder_registration_number == "", same_name),
        )
    return same_name


def _check_overlap(
    session: Session,
    *,
    country: str,
    kind: str,
    terms: LicenceTerms,
    substances: list[str],
    valid_from: date,
    valid_until: date,
    exclude_id: int | None,
) -> None:
    """Refuse a second active licence of the same holder for the same thing at the same time."""
    stmt = select(Licence).where(
        Licence.country == country,
        Licence.kind == kind,
        Licence.status == LicenceStatus.active.value,
        Licence.valid_from <= valid_until,
        Licence.valid_until >= valid_from,
        _holder_clause(terms),
    )
    if exclude_id is not None:
        stmt = stmt.where(Licence.id != exclude_id)
    activities = {a.value for a in terms.activities}
    for other in session.scalars(stmt.order_by(Licence.id)).all():
        if not activities & set(other.activities):
            continue
        shared = sorted(set(substances) & set(other.substances))
        shared_categories = sorted({c.value for c in terms.categories} & set(other.categories))
        if shared or shared_categories:
            field = "body.substances" if shared else "body.categories"
            values = {
                "number": other.number,
                "what": ", ".join(shared or shared_categories),
                "start": other.valid_from,
                "end": other.valid_until,
            }
            if kind == LicenceKind.registration.value:
                detail = Message(
                    "The registration overlaps active registration %(number)s of the same holder "
                    "for %(what)s (%(start)s to %(end)s).",
                    **values,
                )
                message = Message(
                    "overlaps active registration %(number)s of the same holder for %(what)s "
                    "(%(start)s to %(end)s)",
                    **values,
                )
            else:
                detail = Message(
                    "The licence overlaps active licence %(number)s of the same holder for "
                    "%(what)s (%(start)s to %(end)s).",
                    **values,
                )
                message = Message(
                    "overlaps active licence %(number)s of the same holder for %(what)s "
                    "(%(start)s to %(end)s)",
                    **values,
                )
            raise InvalidInput(detail, errors=[(field, message)])


def _snapshot(licence: Licence) -> dict[str, Any]:
    return {
        "kind": licence.kind,
        "country": licence.country,
        "number": licence.number,
        "holder_organisation_id": licence.holder_organisation_id,
        "holder_name": licence.holder_name,
        "holder_registration_number": licence.holder_registration_number,
        "holder_address": licence.holder_address,
        "substances": list(licence.substances),
        "categories": list(licence.categories),
        "activities": list(licence.activities),
        "premises": licence.premises,
        "responsible_officer": licence.responsible_officer,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "quantity_limits": dict(licence.quantity_limits),
        "conditions": licence.conditions,
        "status": licence.status,
    }


def _record_version(
    session: Session,
    principal: Principal | None,
    licence: Licence,
    action: str,
    before: dict[str, Any] | None,
    *,
    reason: str = "",
    actor_label: str | None = None,
) -> None:
    after = _snapshot(licence)
    changes = {
        key: [None if before is None else before.get(key), value]
        for key, value in after.items()
        if before is None or before.get(key) != value
    }
    label = actor_label or (principal.email if principal else "system")
    session.add(
        LicenceVersion(
            licence_id=licence.id,
            version=licence.version,
            action=action,
            reason=reason,
            changes=changes,
            snapshot=after,
            changed_by_id=principal.user_id if principal else None,
            changed_by_label=label,
        )
    )
    session.flush()
    audit.record_change(
        session,
        principal,
        f"licence.{action}",
        record_type="licence",
        record_id=licence.id,
        organisation_id=licence.owner_organisation_id,
        details={
            "country": licence.country,
            "number": licence.number,
            "kind": licence.kind,
            "version": licence.version,
            "changed": sorted(changes),
            "reason": reason,
        },
        actor_label=actor_label,
    )


def _set_holder_reader(session: Session, licence: Licence, previous: int | None) -> None:
    if previous == licence.holder_organisation_id:
        return
    if previous is not None:
        session.execute(
            delete(RoutedReader).where(
                RoutedReader.record_type == Licence.record_type,
                RoutedReader.record_id == licence.id,
                RoutedReader.organisation_id == previous,
            )
        )
    if licence.holder_organisation_id is not None:
        sharing.add_routed_reader(
            session, licence, licence.holder_organisation_id, reason=HOLDER_REASON
        )


def _apply_terms(licence: Licence, terms: LicenceTerms, validated: _Validated) -> None:
    licence.holder_organisation_id = terms.holder_organisation_id
    licence.holder_name = terms.holder_name
    licence.holder_registration_number = terms.holder_registration_number
    licence.holder_address = terms.holder_address
    licence.substances = validated.substances
    licence.categories = [c.value for c in terms.categories]
    licence.activities = [a.value for a in terms.activities]
    licence.premises = terms.premises
    licence.responsible_officer = terms.responsible_officer
    licence.valid_from = terms.valid_from
    licence.valid_until = terms.valid_until
    licence.quantity_limits = validated.quantity_limits
    licence.conditions = terms.conditions


def issue_licence(
    session: Session,
    principal: Principal,
    *,
    data: LicenceCreate,
    status: LicenceStatus = LicenceStatus.active,
    action: str = "issued",
) -> Licence:
    """Issue a licence or registration to an operator of the authority's own country."""
    _check_country(session, data.country, "body.country")
    _require_maintainer(principal, data.country)
    catalog = catalog_service.snapshot(session)
    validated = _validate_terms(session, catalog, data, data.country)
    if _find_licence(session, data.country, data.number) is not None:
        raise InvalidInput(
            Message(
                "%(country)s already has a licence or registration numbered %(number)s.",
                country=data.country,
                number=data.number,
            ),
            errors=[("body.number", Message("already used in this country"))],
        )
    if status is LicenceStatus.active:
        _check_overlap(
            session,
            country=data.country,
            kind=data.kind.value,
            terms=data,
            substances=validated.substances,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude_id=None,
        )
    licence = Licence(
        kind=data.kind.value,
        country=data.country,
        number=data.number,
        status=status.value,
        status_reason="",
        version=1,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        distribution=REGISTER_DISTRIBUTION,
        tlp=REGISTER_TLP,
    )
    _apply_terms(licence, data, validated)
    session.add(licence)
    session.flush()
    _set_holder_reader(session, licence, None)
    _record_version(session, principal, licence, action, None)
    return licence


def _editable(session: Session, principal: Principal, licence_id: int) -> Licence:
    licence = sharing.access_by_id(session, principal, Licence, licence_id)
    _require_maintainer(principal, licence.country)
    return licence


def amend_licence(
    session: Session, principal: Principal, licence_id: int, *, data: LicenceAmend
) -> Licence:
    """Change a licence's terms (not its number, country or kind); the old terms stay in history."""
    licence = _editable(session, principal, licence_id)
    if licence.status == LicenceStatus.revoked.value:
        raise Conflict(
            Message(
                "Licence %(number)s is revoked; issue a new one instead.", number=licence.number
            )
        )
    catalog = catalog_service.snapshot(session)
    validated = _validate_terms(session, catalog, data, licence.country)
    if licence.status == LicenceStatus.active.value:
        _check_overlap(
            session,
            country=licence.country,
            kind=licence.kind,
            terms=data,
            substances=validated.substances,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude_id=licence.id,
        )
    before = _snapshot(licence)
    previous_holder = licence.holder_organisation_id
    _apply_terms(licence, data, validated)
    if _snapshot(licence) == before:
        return licence
    licence.version += 1
    licence.updated_at = utc_now()
    session.flush()
    _set_holder_reader(session, licence, previous_holder)
    _record_version(session, principal, licence, "amended", before, reason=data.reason)
    return licence


_STATUS_WORDS = {
    LicenceStatus.active: Message("active"),
    LicenceStatus.suspended: Message("suspended"),
    LicenceStatus.revoked: Message("revoked"),
    LicenceStatus.expired: Message("expired"),
}


def _refused(action: str, number: str, current: LicenceStatus) -> Message:
    """Why a licence in this status cannot be suspended, reinstated or (else) revoked."""
    status = _STATUS_WORDS[current]
    if action == "suspended":
        return Message(
            "Licence %(number)s is %(status)s; it cannot be suspended.",
            number=number,
            status=status,
        )
    if action == "reinstated":
        return Message(
            "Licence %(number)s is %(status)s; it cannot be reinstated.",
            number=number,
            status=status,
        )
    return Message(
        "Licence %(number)s is %(status)s; it cannot be revoked.", number=number, status=status
    )


def _change_status(
    session: Session,
    principal: Principal,
    licence_id: int,
    *,
    to: LicenceStatus,
    action: str,
    allowed_from: set[LicenceStatus],
    reason: str,
) -> Licence:
    licence = _editable(session, principal, licence_id)
    current = LicenceStatus(licence.status)
    if current not in allowed_from:
        raise Conflict(_refused(action, licence.number, current))
    if to is LicenceStatus.active:
        terms = LicenceTerms.model_validate(
            {k: v for k, v in _snapshot(licence).items() if k in TERM_FIELDS}
        )
        _check_overlap(
            session,
            country=licence.country,
            kind=licence.kind,
            terms=terms,
            substances=list(licence.substances),
            valid_from=licence.valid_from,
            valid_until=licence.valid_until,
            exclude_id=licence.id,
        )
    before = _snapshot(licence)
    licence.status = to.value
    licence.status_reason = reason
    licence.version += 1
    licence.updated_at = utc_now()
    session.flush()
    _record_version(session, principal, licence, action, before, reason=reason)
    return licence


def suspend_licence(
    session: Session, principal: Principal, licence_id: int, *, data: StatusChange
) -> Licence:
    """Suspend an active licence; verification answers `suspended` until it is reinstated."""
    return _change_status(
        session,
        principal,
        licence_id,
        to=LicenceStatus.suspended,
        action="suspended",
        allowed_from={LicenceStatus.active},
        reason=data.reason,
    )


def reinstate_licence(
    session: Session, principal: Principal, licence_id: int, *, data: StatusChange
) -> Licence:
    """Lift a suspension."""
    return _change_status(
        session,
        principal,
        licence_id,
        to=LicenceStatus.active,
        action="reinstated",
        allowed_from={LicenceStatus.suspended},
        reason=data.reason,
    )


def revoke_licence(
    session: Session, principal: Principal, licence_id: int, *, data: StatusChange
) -> Licence:
    """Revoke a licence for good."""
    return _change_status(
        session,
        principal,
        licence_id,
        to=LicenceStatus.revoked,
        action="revoked",
        allowed_from={LicenceStatus.active, LicenceStatus.suspended},
        reason=data.reason,
    )


def renew_licence(
    session: Session, principal: Principal, licence_id: int, *, data: LicenceRenew
) -> Licence:
    """Extend a licence's validity (an expired one becomes valid again)."""
    licence = _editable(session, principal, licence_id)
    if licence.status == LicenceStatus.revoked.value:
        raise Conflict(
            Message(
                "Licence %(number)s is revoked; issue a new one instead.", number=licence.number
            )
        )
    valid_from = data.valid_from or licence.valid_from
    if data.valid_until <= licence.valid_until:
        raise InvalidInput(
            Message("A renewal ends later than the current validity."),
            errors=[
                (
                    "body.valid_until",
                    Message("must be after %(date)s", date=licence.valid_until.isoformat()),
                )
            ],
        )
    if data.valid_until < valid_from:
        raise InvalidInput(
            Message("The validity cannot end before it starts."),
            errors=[("body.valid_until", Message("must not be before valid_from"))],
        )
    terms = LicenceTerms.model_validate(
        {**{k: v for k, v in _snapshot(licence).items() if k in TERM_FIELDS}}
        | {"valid_from": valid_from, "valid_until": data.valid_until}
    )
    if licence.status == LicenceStatus.active.value:
        _check_overlap(
            session,
            country=licence.country,
            kind=licence.kind,
            terms=terms,
            substances=list(licence.substances),
            valid_from=valid_from,
            valid_until=data.valid_until,
            exclude_id=licence.id,
        )
    before = _snapshot(licence)
    licence.valid_from = valid_from
    licence.valid_until = data.valid_until
    licence.version += 1
    licence.updated_at = utc_now()
    session.flush()
    _record_version(session, principal, licence, "renewed", before, reason=data.reason)
    return licence


# --- Reading the register -------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    """What the register list is narrowed to."""

    q: str | None = None
    status: str | None = None
    kind: str | None = None
    substance: str | None = None
    holder: str | None = None
    country: str | None = None


def _search(session: Session, principal: Principal | None, filters: RegisterFilter) -> Select[Any]:
    stmt = select(Licence)
    if principal is not None:
        stmt = sharing.visible(stmt, principal, Licence)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Licence.number).like(pattern),
                func.lower(Licence.holder_name).like(pattern),
            )
        )
    if filters.holder:
        pattern = f"%{filters.holder.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Licence.holder_name).like(pattern),
                func.lower(Licence.holder_registration_number).like(pattern),
            )
        )
    if filters.kind:
        stmt = stmt.where(Licence.kind == filters.kind)
    if filters.country:
        stmt = stmt.where(Licence.country == filters.country.upper())
    if filters.status:
        now = today()
        in_dates = and_(Licence.valid_from <= now, Licence.valid_until >= now)
        if filters.status == LicenceStatus.expired.value:
            stmt = stmt.where(Licence.status == LicenceStatus.active.value, not_(in_dates))
        elif filters.status == LicenceStatus.active.value:
            stmt = stmt.where(Licence.status == LicenceStatus.active.value, in_dates)
        else:
            stmt = stmt.where(Licence.status == filters.status)
    if filters.substance:
        catalog = catalog_service.snapshot(session)
        record = catalog.named(filters.substance)
        if record is None:
            message = _unknown_substance(catalog, filters.substance)
            raise InvalidInput(message, errors=[("query.substance", message)])
        ids = [r.id for r in _ancestry(catalog, record)]
        text = cast(Licence.substances, String)
        stmt = stmt.where(or_(*(text.like(f'%"{i}"%') for i in ids)))
    return stmt


def list_licences(
    session: Session,
    principal: Principal,
    params: PageParams,
    filters: RegisterFilter | None = None,
) -> Page[Licence]:
    """A page of the register: all of it for authorities, the caller's own licences otherwise."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "number")
    column = getattr(Licence, key)
    stmt = _search(session, principal, filters or RegisterFilter()).order_by(
        column.desc() if descending else column.asc(), Licence.id.asc()
    )
    return fetch_page(session, stmt, params)


def get_licence(session: Session, principal: Principal, licence_id: int) -> Licence:
    """One licence the caller may read (an authority's, or one the caller's organisation holds)."""
    return sharing.access_by_id(session, principal, Licence, licence_id)


def licence_history(
    session: Session, principal: Principal, licence_id: int
) -> list[LicenceVersion]:
    """The changes of a licence, oldest first."""
    licence = get_licence(session, principal, licence_id)
    return list(
        session.scalars(
            select(LicenceVersion)
            .where(LicenceVersion.licence_id == licence.id)
            .order_by(LicenceVersion.version)
        ).all()
    )


# --- Import and export ----------------------------------------------------------------------

EXPORT_COLUMNS = (
    "kind",
    "country",
    "number",
    "holder_name",
    "holder_registration_number",
    "holder_address",
    "holder_organisation_id",
    "substances",
    "categories",
    "activities",
    "premises",
    "responsible_officer",
    "valid_from",
    "valid_until",
    "quantity_limits",
    "conditions",
    "status",
)
REQUIRED_COLUMNS = (
    "kind",
    "country",
    "number",
    "holder_name",
    "activities",
    "valid_from",
    "valid_until",
)
EXPORT_LIMIT = 100_000
IMPORT_STATUSES = (LicenceStatus.active, LicenceStatus.suspended, LicenceStatus.revoked)


def _licence_row(licence: Licence) -> dict[str, object]:
    return {
        "kind": licence.kind,
        "country": licence.country,
        "number": licence.number,
        "holder_name": licence.holder_name,
        "holder_registration_number": licence.holder_registration_number,
        "holder_address": licence.holder_address,
        "holder_organisation_id": licence.holder_organisation_id or "",
        "substances": "; ".join(licence.substances),
        "categories": "; ".join(licence.categories),
        "activities": "; ".join(licence.activities),
        "premises": licence.premises,
        "responsible_officer": licence.responsible_officer,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "quantity_limits": "; ".join(f"{k}={v:g}" for k, v in licence.quantity_limits.items()),
        "conditions": licence.conditions,
        "status": licence.status,
    }


def export_rows(
    session: Session, principal: Principal | None, filters: RegisterFilter | None = None
) -> list[dict[str, object]]:
    """The licences the caller may read as rows, in the columns an import takes.

    Without a principal (the operator's CLI, which holds the database anyway) the whole register.
    """
    stmt = _search(session, principal, filters or RegisterFilter()).order_by(
        Licence.country, Licence.number
    )
    return [_licence_row(licence) for licence in session.scalars(stmt.limit(EXPORT_LIMIT)).all()]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _limits(value: str) -> dict[str, str]:
    limits: dict[str, str] = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(Message("%(part)s is not substance=kg", part=repr(part.strip())))
        name, kg = part.rsplit("=", 1)
        limits[name.strip()] = kg.strip()
    return limits


def _field_of(error_field: str) -> str:
    """The column of a dotted error path (`body.substances.0` is column `substances`)."""
    parts = error_field.split(".")
    if parts and parts[0] in ("body", "query"):
        parts = parts[1:]
    return parts[0] if parts else ""


def import_register(
    session: Session,
    principal: Principal,
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    filename: str,
    columns: dict[str, int],
) -> tuple[int, int]:
    """Create or amend licences from a table's rows, all or nothing; (created, updated)."""
    created = updated = 0
    for line, values in rows:
        try:
            created_now = _import_row(session, principal, values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            message: str = field_message(first)
            raise TableFileError(
                filename, line, message, column=columns.get(field), field=field
            ) from exc
        except (InvalidInput, Conflict, Forbidden) as exc:
            field = _field_of(exc.errors[0].field) if exc.errors else ""
            message = exc.errors[0].message if exc.errors else exc.detail
            raise TableFileError(
                filename, line, message, column=columns.get(field), field=field
            ) from exc
        except ValueError as exc:
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
            raise TableFileError(
                filename,
                line,
                cause,
                column=columns.get("quantity_limits"),
                field="quantity_limits",
            ) from exc
        if created_now:
            created += 1
        else:
            updated += 1
    audit.record_change(
        session,
        principal,
        "licence.register_imported",
        record_type="organisation",
        record_id=principal.organisation_id,
        organisation_id=principal.organisation_id,
        details={"filename": filename, "created": created, "updated": updated},
    )
    return created, updated


def _import_row(session: Session, principal: Principal, values: dict[str, str]) -> bool:
    raw: dict[str, Any] = {
        "kind": values.get("kind", "").strip().lower(),
        "country": values.get("country", "").strip(),
        "number": values.get("number", ""),
        "holder_name": values.get("holder_name", ""),
        "holder_registration_number": values.get("holder_registration_number", ""),
        "holder_address": values.get("holder_address", ""),
        "holder_organisation_id": values.get("holder_organisation_id", "").strip() or None,
        "substances": _split(values.get("substances", "")),
        "categories": _split(values.get("categories", "")),
        "activities": [a.lower() for a in _split(values.get("activities", ""))],
        "premises": values.get("premises", ""),
        "responsible_officer": values.get("responsible_officer", ""),
        "valid_from": values.get("valid_from", "").strip(),
        "valid_until": values.get("valid_until", "").strip(),
        "quantity_limits": _limits(values.get("quantity_limits", "")),
        "conditions": values.get("conditions", ""),
    }
    status_text = (values.get("status", "") or "active").strip().lower()
    try:
        status = LicenceStatus(status_text)
    except ValueError:
        status = LicenceStatus.expired
    if status not in IMPORT_STATUSES:
        raise InvalidInput(
            Message(
                "%(status)s is not a status to import; use active, suspended or revoked.",
                status=repr(status_text),
            ),
            errors=[("body.status", Message("not one of active, suspended, revoked"))],
        )
    data = LicenceCreate.model_validate(raw)
    existing = _find_licence(session, data.country, data.number)
    if existing is None:
        issue_licence(session, principal, data=data, status=status, action="imported")
        return True
    _require_maintainer(principal, existing.country)
    if existing.kind != data.kind.value:
        if existing.kind == LicenceKind.registration.value:
            detail = Message(
                "%(number)s is a registration in the register; the kind cannot change.",
                number=data.number,
            )
            message = Message("is registration in the register")
        else:
            detail = Message(
                "%(number)s is a licence in the register; the kind cannot change.",
                number=data.number,
            )
            message = Message("is licence in the register")
        raise InvalidInput(detail, errors=[("body.kind", message)])
    amend = LicenceAmend.model_validate(
        {k: v for k, v in raw.items() if k in TERM_FIELDS} | {"reason": "imported"}
    )
    amend_licence(session, principal, existing.id, data=amend)
    if existing.status != status.value:
        before = _snapshot(existing)
        existing.status = status.value
        existing.version += 1
        session.flush()
        _record_version(session, principal, existing, "imported", before, reason="imported")
    return False


def import_register_file(
    session: Session, principal: Principal, *, filename: str, content: bytes
) -> tuple[int, int]:
    """Load a CSV or XLSX register file, all or nothing; errors name the line and column."""
    table = read_table(filename, content, known=EXPORT_COLUMNS, required=REQUIRED_COLUMNS)
    return import_register(
        session, principal, table.rows, filename=table.filename, columns=table.columns
    )


# --- Annual legitimate requirements ---------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """An annual legitimate requirement with its substance's name."""

    country: str
    substance_id: str
    substance_name: str
    quantity_kg: float
    note: str
    updated_at: datetime


def list_requirements(
    session: Session, *, country: str | None = None, substance: str | None = None
) -> list[Requirement]:
    """Annual legitimate requirements (public INCB figures), by country and substance."""
    catalog = catalog_service.snapshot(session)
    stmt = select(AnnualRequirement).order_by(
        AnnualRequirement.country, AnnualRequirement.substance_id
    )
    if country:
        stmt = stmt.where(AnnualRequirement.country == country.strip().upper())
    if substance:
        record = catalog.named(substance)
        if record is None:
            message = _unknown_substance(catalog, substance)
            raise InvalidInput(message, errors=[("query.substance", message)])
        stmt = stmt.where(AnnualRequirement.substance_id == record.id)
    return [
        Requirement(
            country=r.country,
            substance_id=r.substance_id,
            substance_name=catalog.records[r.substance_id].name
            if r.substance_id in catalog.records
            else r.substance_id,
            quantity_kg=r.quantity_kg,
            note=r.note,
            updated_at=r.updated_at,
        )
        for r in session.scalars(stmt).all()
    ]


def requirement_history(
    session: Session, *, country: str | None = None, limit: int = 200
) -> list[AnnualRequirementChange]:
    """Changes of annual legitimate requirements, newest first."""
    stmt = select(AnnualRequirementChange).order_by(
        AnnualRequirementChange.changed_at.desc(), AnnualRequirementChange.id.desc()
    )
    if country:
        stmt = stmt.where(AnnualRequirementChange.country == country.strip().upper())
    return list(session.scalars(stmt.limit(limit)).all())


def _set_requirement(
    session: Session, principal: Principal, catalog: CatalogSnapshot, data: RequirementSet
) -> AnnualRequirementChange | None:
    _check_country(session, data.country, "body.country")
    if not maintains_register(principal, data.country):
        raise Forbidden(
            Message(
                "Only the licensing authority of %(country)s maintains its annual legitimate "
                "requirements.",
                country=data.country,
            )
        )
    record = catalog.named(data.substance)
    if record is None:
        message = _unknown_substance(catalog, data.substance)
        raise InvalidInput(message, errors=[("body.substance", message)])
    row = session.scalars(
        select(AnnualRequirement).where(
            AnnualRequirement.country == data.country,
            AnnualRequirement.substance_id == record.id,
        )
    ).one_or_none()
    old = row.quantity_kg if row else None
    if row is not None and row.quantity_kg == data.quantity_kg and row.note == data.note:
        return None
    if row is None:
        row = AnnualRequirement(country=data.country, substance_id=record.id)
        session.add(row)
    row.quantity_kg = data.quantity_kg
    row.note = data.note
    row.updated_by_id = principal.user_id
    row.updated_at = utc_now()
    change = AnnualRequirementChange(
        country=data.country,
        substance_id=record.id,
        old_quantity_kg=old,
        new_quantity_kg=data.quantity_kg,
        note=data.note,
        changed_by_id=principal.user_id,
        changed_by_label=principal.email,
    )
    session.add(change)
    session.flush()
    return change


def set_requirement(
    session: Session, principal: Principal, *, data: RequirementSet
) -> AnnualRequirementChange | None:
    """Set a country's annual legitimate requirement of a substance (kg per year)."""
    change = _set_requirement(session, principal, catalog_service.snapshot(session), data)
    if change is not None:
        audit.record_change(
            session,
            principal,
            "alr.set",
            record_type="annual_requirement",
            record_id=f"{change.country}:{change.substance_id}",
            organisation_id=principal.organisation_id,
            details={
                "country": change.country,
                "substance": change.substance_id,
                "old_kg": change.old_quantity_kg,
                "new_kg": change.new_quantity_kg,
            },
        )
    return change


ALR_COLUMNS = ("country", "substance", "quantity_kg", "note")
ALR_REQUIRED = ("country", "substance", "quantity_kg")


def import_requirements(
    session: Session, principal: Principal, *, filename: str, content: bytes
) -> int:
    """Load a table of annual legitimate requirements, all or nothing; how many changed."""
    table = read_table(filename, content, known=ALR_COLUMNS, required=ALR_REQUIRED)
    catalog = catalog_service.snapshot(session)
    changed: list[AnnualRequirementChange] = []
    for line, values in table.rows:
        try:
            data = RequirementSet.model_validate(
                {
                    "country": values.get("country", "").strip(),
                    "substance": values.get("substance", ""),
                    "quantity_kg": values.get("quantity_kg", "").strip().replace(",", ""),
                    "note": values.get("note", ""),
                }
            )
            change = _set_requirement(session, principal, catalog, data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            message: str = field_message(first)
            raise TableFileError(
                table.filename, line, message, column=table.columns.get(field), field=field
            ) from exc
        except (InvalidInput, Forbidden) as exc:
            field = _field_of(exc.errors[0].field) if exc.errors else "country"
            message = exc.errors[0].message if exc.errors else exc.detail
            raise TableFileError(
                table.filename, line, message, column=table.columns.get(field), field=field
            ) from exc
        if change is not None:
            changed.append(change)
    audit.record_change(
        session,
        principal,
        "alr.imported",
        record_type="organisation",
        record_id=principal.organisation_id,
        organisation_id=principal.organisation_id,
        details={
            "filename": table.filename,
            "changed": [f"{c.country}:{c.substance_id}" for c in changed],
        },
    )
    return len(changed)


def alr_rows(session: Session, country: str | None = None) -> Iterator[dict[str, object]]:
    """Annual legitimate requirements as table rows, in the columns an import takes."""
    for r in list_requirements(session, country=country):
        yield {
            "country": r.country,
            "substance": r.substance_id,
            "quantity_kg": r.quantity_kg,
            "note": r.note,
        }


__all__ = ["LicenceKind", "NotFound", "TableFileError", "TooManyRequests", "verify"]
