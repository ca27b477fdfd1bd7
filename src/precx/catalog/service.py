"""Load the catalog, identify substances, judge mixtures, and answer what a country requires."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import pycountry
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Principal, Role
from precx.audit import service as audit
from precx.catalog import loader
from precx.catalog.identify import SubstanceIndex, is_ambiguous
from precx.catalog.models import CatalogVersion, Country, PenRequirement, Substance
from precx.catalog.schemas import (
    CountryRead,
    Identification,
    MixtureAssessment,
    MixtureRule,
    PenRequirementRead,
    PenRequirementSet,
    SubstanceMatch,
    SubstanceRead,
    SubstanceRecord,
    ThresholdRead,
)
from precx.catalog.snapshot import CatalogSnapshot
from precx.db import utc_now
from precx.kit.i18n import Message
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound

OSCE_GROUPS = {
    "osce_participating_states": "participating_state",
    "osce_asian_partners": "asian_partner",
    "osce_mediterranean_partners": "mediterranean_partner",
}


# --- Loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadReport:
    """What a catalog load changed."""

    substances: int
    added: int
    updated: int
    removed: int
    countries: int
    digest: str
    unchanged: bool


def _digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


def current_version(session: Session) -> CatalogVersion | None:
    """The loaded catalog's digest, or None before the first load."""
    return session.get(CatalogVersion, 1)


def load_catalog(
    session: Session,
    principal: Principal | None,
    *,
    substances_path: Path = loader.SUBSTANCES_FILE,
    countries_path: Path = loader.COUNTRIES_FILE,
    actor_label: str | None = None,
    force: bool = False,
) -> LoadReport:
    """Validate the data files and replace the catalog with them, all or nothing."""
    if principal is not None and not principal.is_platform_admin:
        raise Forbidden(Message("Only platform administrators load the reference catalog."))
    records = loader.read_substances(substances_path)
    extras = loader.read_country_extras(countries_path)
    loader.read_mixture_rules()
    digest = _digest(substances_path, countries_path, loader.MIXTURE_RULES_FILE)
    version = current_version(session)
    if version is not None and version.digest == digest and not force:
        return LoadReport(len(records), 0, 0, 0, 0, digest, unchanged=True)
    added, updated, removed = _replace_substances(session, records)
    countries = _load_countries(session, extras)
    if version is None:
        version = CatalogVersion(id=1, digest=digest, substances=len(records))
        session.add(version)
    version.digest, version.substances, version.loaded_at = digest, len(records), utc_now()
    session.flush()
    audit.record_change(
        session,
        principal,
        "catalog.loaded",
        record_type="catalog",
        record_id=digest[:12],
        organisation_id=None,
        actor_label=actor_label,
        details={
            "substances": len(records),
            "added": added,
            "updated": updated,
            "removed": removed,
            "countries": countries,
            "digest": digest,
        },
    )
    return LoadReport(len(records), added, updated, removed, countries, digest, unchanged=False)


def _replace_substances(session: Session, records: list[SubstanceRecord]) -> tuple[int, int, int]:
    existing = {s.id: s for s in session.scalars(select(Substance)).all()}
    wanted = {r.id for r in records}
    gone = set(existing) - wanted
    if gone:
        used = session.scalars(
            select(PenRequirement.substance_id).where(PenRequirement.substance_id.in_(gone))
        ).all()
        if used:
            raise Conflict(
                Message(
                    "Cannot remove %(ids)s: countries' notification "
                    "requirements refer to them. Withdraw those first.",
                    ids=str(sorted(set(used))),
                )
            )
        session.execute(delete(Substance).where(Substance.id.in_(gone)))
    added = updated = 0
    for record in records:
        data = record.model_dump(mode="json")
        row = existing.get(record.id)
        if row is None:
            session.add(
                Substance(
                    id=record.id,
                    name=record.name,
                    parent_id=record.parent,
                    un_table=record.un_table,
                    eu_category=record.eu_category,
                    watched=record.watched,
                    record=data,
                )
            )
            added += 1
        elif row.record != data:
            row.name, row.parent_id, row.record = record.name, record.parent, data
            row.un_table, row.eu_category, row.watched = (
                record.un_table,
                record.eu_category,
                record.watched,
            )
            row.loaded_at = utc_now()
            updated += 1
    session.flush()
    return added, updated, len(gone)


def _load_countries(session: Session, extras: dict[str, object]) -> int:
    status: dict[str, str] = {}
    for group, value in OSCE_GROUPS.items():
        for code in extras.get(group, []) or []:  # type: ignore[attr-defined]
            status[str(code)] = value
    eu = {str(c) for c in extras.get("eu_members", []) or []}  # type: ignore[attr-defined]
    alt: dict[str, list[str]] = extras.get("alt_names") or {}  # type: ignore[assignment]
    existing = {c.iso2: c for c in session.scalars(select(Country)).all()}
    for iso in pycountry.countries:
        code = iso.alpha_2
        row = existing.get(code) or Country(iso2=code)
        row.iso3 = iso.alpha_3
        row.name = getattr(iso, "common_name", None) or iso.name
        row.official_name = getattr(iso, "official_name", None)
        names = [iso.name, *(alt.get(code) or [])]
        row.alt_names = sorted({n for n in names if n != row.name})
        row.osce_status = status.get(code)
        row.eu_member = code in eu
        if code not in existing:
            session.add(row)
    session.flush()
    return len(pycountry.countries)


# --- The in-memory index -------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    digest: str
    index: SubstanceIndex
    records: dict[str, SubstanceRecord]
    children: dict[str, list[str]]


_cache: _Loaded | None = None
_cache_lock = threading.Lock()


def _loaded(session: Session) -> _Loaded:
    """The index of the loaded catalog, rebuilt only when another load changed it."""
    global _cache
    version = current_version(session)
    digest = version.digest if version else ""
    cached = _cache
    if cached is not None and cached.digest == digest:
        return cached
    with _cache_lock:
        rows = session.scalars(select(Substance)).all()
        records = {r.id: SubstanceRecord.model_validate(r.record) for r in rows}
        children: dict[str, list[str]] = {}
        for record in records.values():
            if record.parent:
                children.setdefault(record.parent, []).append(record.id)
        _cache = _Loaded(digest, SubstanceIndex.build(records.values()), records, children)
        return _cache


def snapshot(session: Session) -> CatalogSnapshot:
    """The loaded catalog as an in-memory value, for work that must not query per lookup."""
    loaded = _loaded(session)
    return CatalogSnapshot(loaded.digest, loaded.records, loaded.index)


def _read(loaded: _Loaded, record: SubstanceRecord) -> SubstanceRead:
    return SubstanceRead(
        id=record.id,
        name=record.name,
        iupac=record.iupac,
        cas=record.cas,
        hs_code=record.hs_code,
        hs_codes=record.hs_codes,
        cn_code=record.cn_code,
        un_table=record.un_table,
        eu_category=record.eu_category,
        other_lists=record.other_lists,
        watched=record.watched,
        parent=record.parent,
        salts_and_isomers=sorted(loaded.children.get(record.id, [])),
        synonyms=record.synonyms,
        names=record.names,
        thresholds=[ThresholdRead(**t.model_dump()) for t in record.thresholds],
        sources=record.sources,
    )


# --- Reading -------------------------------------------------------------------------------


def identify(session: Session, query: str) -> Identification:
    """Ranked candidates for a CAS number, HS/CN code or name, each with why it matched."""
    loaded = _loaded(session)
    hits = loaded.index.identify(query)
    candidates = [
        SubstanceMatch(
            substance=_read(loaded, loaded.records[h.substance_id]),
            score=h.score,
            field=h.field,
            matched=h.matched,
            why=h.why,
        )
        for h in hits
    ]
    ambiguous = is_ambiguous(hits, loaded.index.parents)
    return Identification(
        query=query,
        identified=bool(hits) and not ambiguous,
        ambiguous=ambiguous,
        candidates=candidates,
    )


def substance_ids_named(
    session: Session, query: str, *, field: str = "substance"
) -> tuple[str, ...]:
    """The catalog ids a list filtered by a substance should show, from whatever the user typed
    (its id, a CAS number, an HS/CN code, a name or synonym in any of the catalog's languages):
    the substance and its salts (ephedrine takes in ephedrine hydrochloride), as records name
    what was actually traded. A name that is no substance, or several, is an error naming
    `field` and the nearest substances."""
    catalog = snapshot(session)
    record = catalog.named(query)
    if record is None:
        found = catalog.lookup(query.strip())
        hint = (
            Message("; nearest: %(names)s", names=", ".join(found.candidates))
            if found.candidates
            else ""
        )
        message = (
            Message(
                "%(query)s could be several substances of the catalog%(hint)s",
                query=repr(query),
                hint=hint,
            )
            if found.why == "ambiguous"
            else Message(
                "%(query)s is no substance of the catalog%(hint)s", query=repr(query), hint=hint
            )
        )
        raise InvalidInput(message, errors=[(field, message)])
    return (record.id, *_salts_of(catalog, record.id))


def _salts_of(catalog: CatalogSnapshot, substance_id: str) -> list[str]:
    """The records whose parent, or a parent's parent, is this substance."""
    children = [r.id for r in catalog.records.values() if r.parent == substance_id]
    return children + [g for child in children for g in _salts_of(catalog, child)]


def list_substances(
    session: Session,
    *,
    un_table: str | None = None,
    eu_category: str | None = None,
    watched: bool | None = None,
) -> list[SubstanceRead]:
    """Every substance of the catalog, optionally filtered, by name."""
    loaded = _loaded(session)
    chosen = [
        r
        for r in loaded.records.values()
        if (un_table is None or r.un_table == un_table)
        and (eu_category is None or r.eu_category == eu_category)
        and (watched is None or r.watched == watched)
    ]
    return [_read(loaded, r) for r in sorted(chosen, key=lambda r: r.name.casefold())]


def get_substance(session: Session, substance_id: str) -> SubstanceRead:
    """One substance by its id."""
    loaded = _loaded(session)
    record = loaded.records.get(substance_id)
    if record is None:
        raise NotFound(Message("No substance %(id)s in the catalog.", id=repr(substance_id)))
    return _read(loaded, record)


def controlling_record(session: Session, substance_id: str) -> SubstanceRecord:
    """The record whose controls apply: a salt or isomer follows its parent's."""
    loaded = _loaded(session)
    record = loaded.records.get(substance_id)
    if record is None:
        raise NotFound(Message("No substance %(id)s in the catalog.", id=repr(substance_id)))
    while record.parent and record.parent in loaded.records and not record.scheduled:
        record = loaded.records[record.parent]
    return record


def assess_mixture(
    session: Session,
    substance_id: str,
    concentration_percent: float,
    rules: list[MixtureRule] | None = None,
) -> MixtureAssessment:
    """Whether a mixture with this share of a substance is controlled under the catalog's rules."""
    if not 0 <= concentration_percent <= 100:
        raise InvalidInput(
            Message("The concentration is a percentage from 0 to 100."),
            errors=[("concentration", Message("between 0 and 100"))],
        )
    substance = get_substance(session, substance_id)
    record = controlling_record(session, substance_id)
    reasons: list[str] = []
    if record.id != substance.id:
        reasons.append(f"{substance.name} follows the controls of {record.name}.")
    if concentration_percent == 0:
        return MixtureAssessment(
            substance=substance.name,
            concentration_percent=0,
            controlled=False,
            reasons=[*reasons, "The mixture does not contain it."],
        )
    controlled = False
    for rule in rules if rules is not None else loader.read_mixture_rules():
        listed = (record.un_table in rule.un_tables) or (record.eu_category in rule.eu_categories)
        if not listed:
            continue
        if concentration_percent > rule.min_percent:
            controlled = True
            reasons.append(f"{rule.jurisdiction}: {rule.rule} ({rule.source})")
    if not controlled:
        if record.watched:
            reasons.append(
                f"{record.name} is not scheduled; authorities watch it, so report "
                "suspicious orders voluntarily."
            )
        else:
            reasons.append(f"{record.name} is not scheduled under the rules the catalog holds.")
    return MixtureAssessment(
        substance=substance.name,
        concentration_percent=concentration_percent,
        controlled=controlled,
        reasons=reasons,
    )


# --- Countries -----------------------------------------------------------------------------


def _country(session: Session, code: str) -> Country:
    code = code.strip()
    row = session.get(Country, code.upper()) if len(code) == 2 else None
    if row is None and len(code) == 3:
        row = session.scalars(select(Country).where(Country.iso3 == code.upper())).one_or_none()
    if row is None:
        wanted = code.casefold()
        for candidate in session.scalars(select(Country)).all():
            names = [candidate.name, candidate.official_name or "", *candidate.alt_names]
            if wanted in (n.casefold() for n in names):
                row = candidate
                break
    if row is None:
        raise NotFound(
            Message(
                "No country %(code)s: give an ISO 3166-1 code or a country's name.",
                code=repr(code),
            )
        )
    return row


def get_country(session: Session, code: str) -> CountryRead:
    """A country by ISO alpha-2, alpha-3 or name, with its notification requests."""
    row = _country(session, code)
    loaded = _loaded(session)
    requirements = session.scalars(
        select(PenRequirement)
        .where(PenRequirement.country_iso2 == row.iso2)
        .order_by(PenRequirement.substance_id)
    ).all()
    return CountryRead(
        iso2=row.iso2,
        iso3=row.iso3,
        name=row.name,
        official_name=row.official_name,
        alt_names=row.alt_names,
        osce_status=row.osce_status,
        eu_member=row.eu_member,
        pen_requirements=[
            PenRequirementRead(
                substance_id=p.substance_id,
                substance=loaded.records[p.substance_id].name
                if p.substance_id in loaded.records
                else p.substance_id,
                required=p.required,
                note=p.note,
                source=p.source,
            )
            for p in requirements
        ],
    )


def list_countries(session: Session, *, osce_status: str | None = None) -> list[Country]:
    """Countries by name, optionally only those of one OSCE status."""
    stmt = select(Country).order_by(Country.name)
    if osce_status:
        stmt = stmt.where(Country.osce_status == osce_status)
    return list(session.scalars(stmt).all())


def maintains_pen_requirements(principal: Principal, iso2: str) -> bool:
    """Whether the principal speaks for the country's licensing authority."""
    return (
        principal.organisation_kind is OrgKind.licensing_authority
        and principal.country == iso2
        and principal.role in (Role.admin, Role.analyst)
    )


def set_pen_requirement(
    session: Session,
    principal: Principal,
    iso2: str,
    substance_id: str,
    *,
    data: PenRequirementSet,
) -> PenRequirementRead:
    """The licensing authority of a country records whether it asks for notifications."""
    country = _country(session, iso2)
    if not maintains_pen_requirements(principal, country.iso2):
        raise Forbidden(
            Message(
                "Only the licensing authority of %(country)s maintains its "
                "notification requirements.",
                country=country.name,
            )
        )
    substance = get_substance(session, substance_id)
    row = session.scalars(
        select(PenRequirement).where(
            PenRequirement.country_iso2 == country.iso2, PenRequirement.substance_id == substance.id
        )
    ).one_or_none()
    if row is None:
        row = PenRequirement(country_iso2=country.iso2, substance_id=substance.id)
        session.add(row)
    row.required, row.note, row.source = data.required, data.note, data.source
    row.updated_at, row.updated_by_organisation_id = utc_now(), principal.organisation_id
    session.flush()
    audit.record_change(
        session,
        principal,
        "pen_requirement.set",
        record_type="pen_requirement",
        record_id=row.id,
        organisation_id=principal.organisation_id,
        details={"country": country.iso2, "substance": substance.id, "required": data.required},
    )
    return PenRequirementRead(
        substance_id=substance.id,
        substance=substance.name,
        required=row.required,
        note=row.note,
        source=row.source,
    )
