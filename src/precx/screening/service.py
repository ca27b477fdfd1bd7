"""Screening as a service: watchlists in and out, orders screened and stored under the gate."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.principal import OrgKind, Principal
from precx.audit import service as audit
from precx.catalog import service as catalog_service
from precx.kit.i18n import Message, message_data
from precx.kit.memory import settle_long_lived
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Forbidden, InvalidInput, NotFound
from precx.licensing import service as licensing_service
from precx.screening.history import CustomerHistory, PastOrder, customer_key
from precx.screening.matching import name_parts
from precx.screening.matching.normalize import EntityType
from precx.screening.models import (
    RestrictedHit,
    Screening,
    ScreeningBatch,
    ScreeningSettings,
    Watchlist,
    WatchlistEntity,
    WatchlistVersion,
)
from precx.screening.orders import Order, OrderFileError
from precx.screening.schemas import ThresholdSettings
from precx.screening.screener import (
    DecisionThresholds,
    Screener,
    ScreeningResult,
    UnknownSubstance,
)
from precx.screening.watchlist_formats import read_watchlist
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError
from precx.screening.watchlist_set import ListInfo, WatchlistSet
from precx.sharing import service as sharing
from precx.sharing.models import Distribution, Tlp

FORMATS = ("csv", "ofac-sdn", "ftm")
HISTORY_DAYS = 365
# Entities go to the database in chunks: one statement per chunk, not per entity.
INSERT_CHUNK = 2000


class WatchlistImportError(InvalidInput):
    """A watchlist file that cannot be imported; nothing of it was taken."""

    problem = "watchlist-file"
    title = "Invalid watchlist file"

    def __init__(self, error: WatchlistFileError) -> None:
        where = f"{error.file}:{error.line}" + (f":{error.column}" if error.column else "")
        field = f" ({error.field})" if error.field else ""
        super().__init__(
            Message(
                "%(where)s%(label)s: %(message)s", where=where, label=field, message=error.message
            ),
            errors=[(where, error.message)],
        )


# --- Watchlists --------------------------------------------------------------------------


def _may_import(principal: Principal | None, restricted: bool) -> None:
    if principal is None:  # the operator at the command line
        return
    if not principal.can_write or principal.reads_only_own:
        raise Forbidden(Message("Only analysts and admins import watchlists."))
    if restricted and not principal.is_authority:
        raise Forbidden(
            Message("Restricted lists hold authorities' intelligence; only authorities keep them.")
        )
    if not restricted and not (
        principal.is_authority or principal.organisation_kind is OrgKind.platform
    ):
        raise Forbidden(Message("Public lists are kept by authorities and the platform operator."))


def may_see_list(principal: Principal | None, watchlist: Watchlist) -> bool:
    """Public lists are for everyone; restricted ones for authorities only."""
    if not watchlist.restricted or principal is None:
        return True
    return principal.is_authority


def import_watchlist(
    session: Session,
    principal: Principal | None,
    *,
    path: Path,
    format: str,
    name: str,
    restricted: bool = False,
    owner_organisation_id: int | None = None,
    filename: str | None = None,
) -> WatchlistVersion:
    """Read a whole file, then replace the list's content with it as a new version.

    Nothing is written unless every entity of the file is valid; the switch to the new version
    is one update in the caller's transaction, so screening sees the old list or the new one.
    """
    if format not in FORMATS:
        formats = ", ".join(FORMATS)
        raise InvalidInput(
            Message(
                "Unknown format %(format)s; use one of %(formats)s.",
                format=repr(format),
                formats=formats,
            ),
            errors=[("format", Message("one of %(formats)s", formats=formats))],
        )
    clean_name = name.strip()
    if not clean_name or len(clean_name) > 100:
        raise InvalidInput(
            Message("A list needs a name of 1 to 100 characters."), errors=[("list", "")]
        )
    _may_import(principal, restricted)
    owner = principal.organisation_id if principal else owner_organisation_id
    if owner is None:
        raise InvalidInput(
            Message("Say which organisation keeps the list."),
            errors=[("org", Message("required"))],
        )
    if restricted and principal is None:
        org = accounts_service.get_organisation(session, owner)
        if OrgKind(org.kind) not in (
            OrgKind.licensing_authority,
            OrgKind.law_enforcement,
            OrgKind.customs,
        ):
            raise InvalidInput(
                Message("A restricted list belongs to an authority."),
                errors=[("org", Message("not an authority"))],
            )
    try:
        entities = list(read_watchlist(path, format))
    except WatchlistFileError as exc:
        raise WatchlistImportError(exc) from exc
    if not entities:
        raise InvalidInput(
            Message("%(file)s: the file holds no entities.", file=path.name),
            errors=[("file", Message("empty"))],
        )

    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == clean_name)).first()
    if watchlist is None:
        watchlist = Watchlist(
            name=clean_name, restricted=restricted, owner_organisation_id=owner, format=format
        )
        session.add(watchlist)
        session.flush()
    else:
        if watchlist.owner_organisation_id != owner:
            raise Forbidden(
                Message("The list %(name)s is kept by another organisation.", name=repr(clean_name))
            )
        if watchlist.restricted != restricted:
            if watchlist.restricted:
                raise InvalidInput(
                    Message(
                        "The list %(name)s is restricted; a new version cannot change that.",
                        name=repr(clean_name),
                    ),
                    errors=[("restricted", Message("must stay restricted"))],
                )
            raise InvalidInput(
                Message(
                    "The list %(name)s is public; a new version cannot change that.",
                    name=repr(clean_name),
                ),
                errors=[("restricted", Message("must stay public"))],
            )
    digest = hashlib.sha256(path.read_bytes() if path.is_file() else b"").hexdigest()
    version = WatchlistVersion(
        watchlist_id=watchlist.id,
        version=watchlist.current_version + 1,
        filename=filename or path.name,
        digest=digest,
        entity_count=len(entities),
        alias_count=sum(len(e.aliases) for e in entities),
        address_count=sum(len(e.addresses) for e in entities),
        imported_by_id=principal.user_id if principal else None,
    )
    session.add(version)
    session.flush()
    for start in range(0, len(entities), INSERT_CHUNK):
        session.execute(
            insert(WatchlistEntity),
            [_entity_row(version.id, e) for e in entities[start : start + INSERT_CHUNK]],
        )
    watchlist.current_version = version.version
    watchlist.format = format
    watchlist.updated_at = datetime.now(UTC)
    audit.record_change(
        session,
        principal,
        "watchlist.imported",
        record_type="watchlist",
        record_id=watchlist.id,
        organisation_id=owner,
        details={
            "list": clean_name,
            "version": version.version,
            "entities": version.entity_count,
            "restricted": restricted,
            "digest": digest,
        },
    )
    return version


def add_restricted_entries(
    session: Session, principal: Principal, *, list_name: str, entries: Sequence[ListedEntity]
) -> Watchlist:
    """Add entities to a restricted list of the principal's authority, as a new version.

    The new version holds the current entries and the new ones (an entry whose id is already
    listed is replaced); the list is created when absent. The switch is the same one update as
    an import, so screening sees the old list or the new one, never half of it.
    """
    clean_name = list_name.strip()
    if not clean_name or len(clean_name) > 100:
        raise InvalidInput(
            Message("A list needs a name of 1 to 100 characters."), errors=[("list", "")]
        )
    _may_import(principal, True)
    if not entries:
        raise InvalidInput(
            Message("Nothing to add to the list."), errors=[("entries", Message("empty"))]
        )
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == clean_name)).first()
    if watchlist is None:
        watchlist = Watchlist(
            name=clean_name,
            restricted=True,
            owner_organisation_id=principal.organisation_id,
            format="csv",
        )
        session.add(watchlist)
        session.flush()
    elif watchlist.owner_organisation_id != principal.organisation_id:
        raise Forbidden(
            Message("The list %(name)s is kept by another organisation.", name=repr(clean_name))
        )
    elif not watchlist.restricted:
        raise InvalidInput(
            Message(
                "The list %(name)s is public; intelligence goes to a restricted list.",
                name=repr(clean_name),
            ),
            errors=[("list", Message("must be restricted"))],
        )
    merged: dict[str, ListedEntity] = {}
    if watchlist.current_version > 0:
        rows = session.scalars(
            select(WatchlistEntity)
            .join(WatchlistVersion, WatchlistVersion.id == WatchlistEntity.version_id)
            .where(
                WatchlistVersion.watchlist_id == watchlist.id,
                WatchlistVersion.version == watchlist.current_version,
            )
            .order_by(WatchlistEntity.id)
        ).all()
        merged = {row.entity_id: _listed(row) for row in rows}
    for entry in entries:
        merged[entry.entity_id] = entry
    entities = list(merged.values())
    digest = hashlib.sha256(
        "\n".join(sorted(f"{e.entity_id}|{e.name}|{e.country}" for e in entities)).encode()
    ).hexdigest()
    version = WatchlistVersion(
        watchlist_id=watchlist.id,
        version=watchlist.current_version + 1,
        filename="(added entries)",
        digest=digest,
        entity_count=len(entities),
        alias_count=sum(len(e.aliases) for e in entities),
        address_count=sum(len(e.addresses) for e in entities),
        imported_by_id=principal.user_id,
    )
    session.add(version)
    session.flush()
    for start in range(0, len(entities), INSERT_CHUNK):
        session.execute(
            insert(WatchlistEntity),
            [_entity_row(version.id, e) for e in entities[start : start + INSERT_CHUNK]],
        )
    watchlist.current_version = version.version
    watchlist.updated_at = datetime.now(UTC)
    audit.record_change(
        session,
        principal,
        "watchlist.entries_added",
        record_type="watchlist",
        record_id=watchlist.id,
        organisation_id=principal.organisation_id,
        details={
            "list": clean_name,
            "version": version.version,
            "entities": version.entity_count,
            "added": len(entries),
            "restricted": True,
        },
    )
    return watchlist


def _entity_row(version_id: int, entity: ListedEntity) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "entity_id": entity.entity_id,
        "name": entity.name,
        "entity_type": entity.entity_type.value,
        "aliases": list(entity.aliases),
        "country": entity.country,
        "addresses": list(entity.addresses),
        "identifiers": [list(i) for i in entity.identifiers],
        "programs": list(entity.programs),
        "reason": entity.reason,
    }


@dataclass(frozen=True)
class WatchlistSummary:
    """A list with its current version's figures."""

    name: str
    restricted: bool
    format: str
    version: int
    entity_count: int
    alias_count: int
    address_count: int
    imported_at: datetime | None
    owner: str


def list_watchlists(session: Session, principal: Principal | None) -> list[WatchlistSummary]:
    """The lists the caller may know of, with their current version."""
    rows = session.execute(
        select(Watchlist, WatchlistVersion)
        .join(
            WatchlistVersion,
            (WatchlistVersion.watchlist_id == Watchlist.id)
            & (WatchlistVersion.version == Watchlist.current_version),
            isouter=True,
        )
        .order_by(Watchlist.name)
    ).all()
    owners = accounts_service.organisation_names(
        session, {w.owner_organisation_id for w, _ in rows}
    )
    return [
        WatchlistSummary(
            name=w.name,
            restricted=w.restricted,
            format=w.format,
            version=w.current_version,
            entity_count=v.entity_count if v else 0,
            alias_count=v.alias_count if v else 0,
            address_count=v.address_count if v else 0,
            imported_at=v.imported_at if v else None,
            owner=owners.get(w.owner_organisation_id, ""),
        )
        for w, v in rows
        if may_see_list(principal, w)
    ]


def _visible_list(session: Session, principal: Principal | None, name: str) -> Watchlist:
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == name)).first()
    if watchlist is None or not may_see_list(principal, watchlist):
        raise NotFound(Message("No watchlist %(name)s.", name=repr(name)))
    return watchlist


def list_versions(
    session: Session, principal: Principal | None, name: str
) -> list[WatchlistVersion]:
    """Every import of a list, newest first."""
    watchlist = _visible_list(session, principal, name)
    stmt = (
        select(WatchlistVersion)
        .where(WatchlistVersion.watchlist_id == watchlist.id)
        .order_by(WatchlistVersion.version.desc())
    )
    return list(session.scalars(stmt).all())


def list_entities(
    session: Session,
    principal: Principal | None,
    name: str,
    params: PageParams,
    *,
    q: str | None = None,
    program: str | None = None,
) -> Page[WatchlistEntity]:
    """A page of the current version's entities; `q` searches names, `program` filters."""
    watchlist = _visible_list(session, principal, name)
    current = select(WatchlistVersion.id).where(
        WatchlistVersion.watchlist_id == watchlist.id,
        WatchlistVersion.version == watchlist.current_version,
    )
    stmt = select(WatchlistEntity).where(WatchlistEntity.version_id.in_(current.scalar_subquery()))
    if q:
        stmt = stmt.where(func.lower(WatchlistEntity.name).like(f"%{q.strip().lower()}%"))
    entities_page = fetch_page(session, stmt.order_by(WatchlistEntity.id), params)
    if program:
        # Programmes live in a JSON list; filtering in Python keeps the query portable.
        wanted = program.strip().upper()
        all_rows = session.scalars(stmt.order_by(WatchlistEntity.id)).all()
        chosen = [e for e in all_rows if wanted in (e.programs or [])]
        items = chosen[params.offset : params.offset + params.per_page]
        return Page(items, len(chosen), params.page, params.per_page)
    return entities_page


# --- The screener of this process --------------------------------------------------------

_sets_lock = threading.Lock()
_set_cache: tuple[tuple[Any, ...], WatchlistSet] | None = None


def warm_up(factory: Callable[[], Session]) -> None:
    """Load what the first screening of a process would otherwise wait for: rigour's name
    taggers (7 to 16 seconds) and the index of the current watchlists."""
    name_parts.preload()
    try:
        with factory() as session:
            current_watchlists(session)
    except SQLAlchemyError:  # not migrated yet: the first screening builds the index instead
        logging.getLogger(__name__).warning("watchlists not indexed at start", exc_info=True)
    settle_long_lived()


def current_watchlists(session: Session) -> WatchlistSet:
    """The current versions of all lists, indexed once per process and version."""
    global _set_cache
    lists = session.scalars(
        select(Watchlist).where(Watchlist.current_version > 0).order_by(Watchlist.id)
    ).all()
    key = tuple((w.id, w.current_version, w.restricted, w.owner_organisation_id) for w in lists)
    cached = _set_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    with _sets_lock:
        cached = _set_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        contents: list[tuple[ListInfo, list[ListedEntity]]] = []
        for watchlist in lists:
            rows = session.scalars(
                select(WatchlistEntity)
                .join(WatchlistVersion, WatchlistVersion.id == WatchlistEntity.version_id)
                .where(
                    WatchlistVersion.watchlist_id == watchlist.id,
                    WatchlistVersion.version == watchlist.current_version,
                )
            ).all()
            info = ListInfo(
                watchlist.name,
                watchlist.current_version,
                watchlist.restricted,
                watchlist.owner_organisation_id,
            )
            contents.append((info, [_listed(r) for r in rows]))
        built = WatchlistSet(contents)
        _set_cache = (key, built)
        return built


def _listed(row: WatchlistEntity) -> ListedEntity:
    return ListedEntity(
        entity_id=row.entity_id,
        name=row.name,
        entity_type=EntityType(row.entity_type),
        aliases=tuple(row.aliases or ()),
        country=row.country,
        addresses=tuple(row.addresses or ()),
        identifiers=tuple((i[0], i[1]) for i in (row.identifiers or ())),
        reason=row.reason,
        programs=tuple(row.programs or ()),
    )


def thresholds_for(session: Session, organisation_id: int | None) -> DecisionThresholds:
    """The organisation's decision thresholds, or the defaults."""
    if organisation_id is None:
        return DecisionThresholds()
    row = session.get(ScreeningSettings, organisation_id)
    if row is None:
        return DecisionThresholds()
    return DecisionThresholds(review=row.review_threshold, report=row.report_threshold)


def get_thresholds(session: Session, principal: Principal) -> ThresholdSettings:
    """The caller's organisation's thresholds."""
    current = thresholds_for(session, principal.organisation_id)
    return ThresholdSettings(review_threshold=current.review, report_threshold=current.report)


def set_thresholds(
    session: Session, principal: Principal, *, data: ThresholdSettings
) -> ThresholdSettings:
    """Set the organisation's thresholds (its admins only)."""
    if not principal.is_admin:
        raise Forbidden(Message("Only your organisation's admins set its screening thresholds."))
    row = session.get(ScreeningSettings, principal.organisation_id)
    if row is None:
        row = ScreeningSettings(organisation_id=principal.organisation_id)
        session.add(row)
    row.review_threshold = data.review_threshold
    row.report_threshold = data.report_threshold
    row.updated_at = datetime.now(UTC)
    session.flush()
    audit.record_change(
        session,
        principal,
        "screening.thresholds_set",
        record_type="organisation",
        record_id=principal.organisation_id,
        organisation_id=principal.organisation_id,
        details=data.model_dump(),
    )
    return data


def _history_loader(session: Session, organisation_id: int) -> Callable[[str], list[PastOrder]]:
    since = datetime.now(UTC).date() - timedelta(days=HISTORY_DAYS)

    def load(key: str) -> list[PastOrder]:
        # A customer's history is the organisation's own orders, never what others shared.
        rows = session.execute(
            select(
                Screening.order_ref,
                Screening.order_date,
                Screening.substance_id,
                Screening.quantity_kg,
            )
            .where(
                Screening.owner_organisation_id == organisation_id,
                Screening.customer_key == key,
                Screening.order_date >= since,
            )
            .order_by(Screening.order_date, Screening.id)
        ).all()
        return [PastOrder(r[0], r[1], r[2], r[3]) for r in rows]

    return load


def screener_for(session: Session, principal: Principal | None, *, with_history: bool) -> Screener:
    """A screener with the current catalog, lists and thresholds (and the org's history)."""
    organisation_id = principal.organisation_id if principal else None
    history = (
        CustomerHistory(_history_loader(session, organisation_id))
        if with_history and organisation_id is not None
        else CustomerHistory()
    )
    return Screener(
        catalog_service.snapshot(session),
        current_watchlists(session),
        thresholds=thresholds_for(session, organisation_id),
        history=history,
        licence_check=licensing_service.licence_check_for(session),
    )


# --- Screening orders --------------------------------------------------------------------


@dataclass(frozen=True)
class Screened:
    """A result and, once stored, its id."""

    result: ScreeningResult
    screening_id: int | None = None


def screen_orders(
    session: Session,
    principal: Principal | None,
    orders: Iterable[tuple[int, Order]],
    *,
    store: bool,
    filename: str = "orders",
    distribution: Distribution = Distribution.organisation,
    tlp: Tlp = Tlp.amber,
    sharing_group_id: int | None = None,
    batch_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Screened]:
    """Screen every order, then store them all or none (when `store` and a principal is given).

    Results shown to industry and logistics carry restricted hits only as a reference.
    """
    if store:
        if principal is None:
            raise InvalidInput(Message("Stored screenings belong to a user's organisation."))
        if not principal.can_write:
            raise Forbidden(Message("Viewers read screenings; they do not screen orders."))
        sharing.check_marking(session, principal, distribution, tlp, sharing_group_id)
    screener = screener_for(session, principal, with_history=store)
    results: list[ScreeningResult] = []
    line = 0  # of the order being screened, for an error naming it

    def numbered() -> Iterator[Order]:
        nonlocal line
        for line, order in orders:  # noqa: B007 (the loop variable is the error's line)
            yield order

    try:
        # One batch through screen_all, as the benchmark measures it (collector paused).
        results.extend(screener.screen_all(numbered(), progress))
    except UnknownSubstance as exc:
        raise OrderFileError(filename, line, str(exc.detail), field="substance") from exc
    if not store or principal is None:
        return [Screened(_for(principal, r)) for r in results]
    return [
        Screened(_for(principal, r), row_id)
        for r, row_id in zip(
            results,
            _store(session, principal, results, distribution, tlp, sharing_group_id, batch_id),
            strict=True,
        )
    ]


def _for(principal: Principal | None, result: ScreeningResult) -> ScreeningResult:
    if principal is not None and principal.is_authority:
        return result
    return result.for_industry()


def _store(
    session: Session,
    principal: Principal,
    results: Sequence[ScreeningResult],
    distribution: Distribution,
    tlp: Tlp,
    sharing_group_id: int | None,
    batch_id: int | None,
) -> list[int]:
    today = datetime.now(UTC).date()
    rows = []
    for result in results:
        shown = _for(principal, result)
        order = result.order
        rows.append(
            Screening(
                owner_organisation_id=principal.organisation_id,
                created_by_id=principal.user_id,
                distribution=distribution,
                tlp=tlp,
                sharing_group_id=sharing_group_id,
                batch_id=batch_id,
                order_ref=order.order_id,
                customer_name=order.customer_name,
                customer_country=order.customer_country,
                customer_key=customer_key(order.customer_name, order.customer_country),
                substance_id=result.substance_id,
                substance_name=result.substance_name,
                quantity=order.quantity,
                unit=order.unit.value,
                quantity_kg=result.quantity_kg,
                order_date=order.order_date or today,
                decision=result.decision.value,
                score=result.score,
                # Beside each finding's English, its message as a page translates it.
                findings=[
                    {**f.to_dict(), "text": message_data(f.message)} for f in result.findings
                ],
                hits=[h.to_dict() for h in shown.hits],
                order=order.model_dump(mode="json", exclude_none=True),
                rules_version=result.rules_version,
                list_versions=shown.list_versions,
            )
        )
    session.add_all(rows)
    session.flush()
    for row, result in zip(rows, results, strict=True):
        for hit in result.hits:
            if hit.restricted:
                _notify_authority(session, principal, row, result, hit)
    decisions = {
        d: sum(1 for r in results if r.decision.value == d) for d in ("clear", "review", "report")
    }
    audit.record_change(
        session,
        principal,
        "screening.stored",
        record_type="screening",
        record_id=rows[0].id if rows else None,
        organisation_id=principal.organisation_id,
        details={"count": len(rows), "first_id": rows[0].id if rows else None, **decisions},
    )
    return [r.id for r in rows]


def _notify_authority(
    session: Session,
    principal: Principal,
    row: Screening,
    result: ScreeningResult,
    hit: Any,
) -> None:
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == hit.list)).one()
    notice = RestrictedHit(
        owner_organisation_id=watchlist.owner_organisation_id,
        created_by_id=principal.user_id,
        distribution=Distribution.organisation,
        tlp=Tlp.amber,
        reference=hit.reference,
        watchlist_id=watchlist.id,
        entity_id=hit.entity_id,
        entity_name=hit.name,
        score=hit.score,
        screening_id=row.id,
        screened_by_organisation_id=principal.organisation_id,
        customer_name=result.order.customer_name,
        customer_country=result.order.customer_country,
        order_ref=result.order.order_id,
        substance_name=result.substance_name,
    )
    session.add(notice)
    session.flush()
    audit.record_change(
        session,
        principal,
        "screening.restricted_hit",
        record_type="restricted_hit",
        record_id=notice.id,
        organisation_id=watchlist.owner_organisation_id,
        details={"reference": hit.reference},
    )


# --- Reading stored screenings -----------------------------------------------------------

SORT_KEYS = ("created_at", "score", "decision", "customer_name", "order_date")


@dataclass(frozen=True)
class ScreeningFilters:
    """What a list of screenings may be narrowed to."""

    q: str | None = None
    decision: str | None = None
    substance_id: str | None = None
    country: str | None = None
    batch_id: int | None = None


def _search(session: Session, principal: Principal, filters: ScreeningFilters) -> Select[Any]:
    stmt = sharing.visible(select(Screening), principal, Screening)
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Screening.customer_name).like(pattern),
                func.lower(Screening.order_ref).like(pattern),
            )
        )
    if filters.decision:
        stmt = stmt.where(Screening.decision == filters.decision)
    if filters.substance_id:
        named = catalog_service.substance_ids_named(session, filters.substance_id)
        stmt = stmt.where(Screening.substance_id.in_(named))
    if filters.country:
        stmt = stmt.where(Screening.customer_country == filters.country.upper())
    if filters.batch_id is not None:
        stmt = stmt.where(Screening.batch_id == filters.batch_id)
    return stmt


def list_screenings(
    session: Session, principal: Principal, params: PageParams, filters: ScreeningFilters
) -> Page[Screening]:
    """A page of the screenings the caller may read."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-created_at")
    column = getattr(Screening, key)
    stmt = _search(session, principal, filters).order_by(
        column.desc() if descending else column.asc(), Screening.id.desc()
    )
    return fetch_page(session, stmt, params)


def count_screenings(session: Session, principal: Principal, filters: ScreeningFilters) -> int:
    """How many screenings the caller may read (matching the filters)."""
    sub = _search(session, principal, filters).with_only_columns(Screening.id).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


def decision_counts(
    session: Session, principal: Principal, filters: ScreeningFilters
) -> dict[str, int]:
    """How many visible screenings ended in each decision (for the chart)."""
    sub = _search(session, principal, filters).subquery()
    rows = session.execute(select(sub.c.decision, func.count()).group_by(sub.c.decision)).all()
    counts = {"clear": 0, "review": 0, "report": 0}
    counts.update({str(r[0]): int(r[1]) for r in rows})
    return counts


def get_screening(session: Session, principal: Principal, screening_id: int) -> Screening:
    """One screening the caller may read."""
    return sharing.access_by_id(session, principal, Screening, screening_id)


EXPORT_COLUMNS = (
    "id",
    "order_id",
    "decision",
    "score",
    "customer_name",
    "customer_country",
    "substance",
    "quantity",
    "unit",
    "order_date",
    "findings",
    "watchlist_hits",
    "tlp",
    "screened_at_utc",
)
EXPORT_LIMIT = 50_000


def export_rows(
    session: Session, principal: Principal, filters: ScreeningFilters
) -> list[dict[str, object]]:
    """The screenings the caller may read, as rows for CSV/XLSX, each with its TLP marking."""
    stmt = _search(session, principal, filters).order_by(
        Screening.created_at.desc(), Screening.id.desc()
    )
    return [
        {
            "id": s.id,
            "order_id": s.order_ref,
            "decision": s.decision,
            "score": s.score,
            "customer_name": s.customer_name,
            "customer_country": s.customer_country,
            "substance": s.substance_name,
            "quantity": s.quantity,
            "unit": s.unit,
            "order_date": s.order_date.isoformat(),
            "findings": "; ".join(f"{f['code']}: {f['message']}" for f in s.findings),
            "watchlist_hits": "; ".join(_hit_text(h) for h in s.hits),
            "tlp": f"TLP:{s.tlp.value.upper()}",
            "screened_at_utc": s.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        }
        for s in session.scalars(stmt.limit(EXPORT_LIMIT)).all()
    ]


def _hit_text(hit: dict[str, Any]) -> str:
    if hit.get("restricted"):
        return f"restricted hit, reference {hit.get('reference')}"
    return f"{hit['list']} {hit['entity_id']} {hit['name']} ({hit['score']:.0%})"


RESULT_COLUMNS = ("order_id", "decision", "score", "substance", "findings", "watchlist_hits")


def result_rows(results: Iterable[ScreeningResult]) -> Iterator[dict[str, object]]:
    """Results as flat rows for a CSV or XLSX file (the CLI's --out)."""
    for r in results:
        data = r.to_dict()
        yield {
            "order_id": r.order.order_id,
            "decision": r.decision.value,
            "score": r.score,
            "substance": r.substance_name,
            "findings": "; ".join(f"{f['code']}: {f['message']}" for f in data["findings"]),
            "watchlist_hits": "; ".join(_hit_text(h) for h in data["watchlist_hits"]),
        }


# --- Restricted hits (for the authority holding the list) --------------------------------


def list_restricted_hits(
    session: Session, principal: Principal, params: PageParams
) -> Page[RestrictedHit]:
    """Restricted hits on the caller's lists, newest first."""
    stmt = sharing.visible(select(RestrictedHit), principal, RestrictedHit).order_by(
        RestrictedHit.created_at.desc(), RestrictedHit.id.desc()
    )
    return fetch_page(session, stmt, params)


# --- Batches (files screened in the background, with progress) ---------------------------


def start_batch(session: Session, principal: Principal, *, filename: str) -> ScreeningBatch:
    """Record that a file is being screened, so its progress can be watched."""
    if not principal.can_write:
        raise Forbidden(Message("Viewers read screenings; they do not screen orders."))
    batch = ScreeningBatch(
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        filename=filename[:300],
    )
    session.add(batch)
    session.flush()
    return batch


def get_batch(session: Session, principal: Principal, batch_id: int) -> ScreeningBatch:
    """A batch of the caller's organisation (batches are not shared)."""
    batch = session.get(ScreeningBatch, batch_id)
    if batch is None or batch.owner_organisation_id != principal.organisation_id:
        raise NotFound(Message("No screening batch %(id)s.", id=batch_id))
    return batch


def set_batch_progress(
    session: Session,
    batch_id: int,
    *,
    done: int,
    total: int | None = None,
    status: str | None = None,
    error: str | None = None,
) -> None:
    """Move a batch's progress on (in its own short transaction, by the worker)."""
    batch = session.get(ScreeningBatch, batch_id)
    if batch is None:
        return
    batch.done = done
    if total is not None:
        batch.total = total
    if status is not None:
        batch.status = status
        if status in ("done", "failed"):
            batch.finished_at = datetime.now(UTC)
    if error is not None:
        batch.error = error[:2000]
        batch.error_message = message_data(error) if isinstance(error, Message) else None


def drop_screenings_of_batch(session: Session, batch_id: int) -> None:
    """Remove what a failed batch stored (never called for a finished one)."""
    session.execute(delete(Screening).where(Screening.batch_id == batch_id))
