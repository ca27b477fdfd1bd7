"""The one gate for visibility: every read of a shareable record goes through `visible()`."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from precx.accounts.models import Organisation
from precx.accounts.principal import AUTHORITY_KINDS, PRIVATE_KINDS, OrgKind, Principal
from precx.audit import service as audit
from precx.db import Base
from precx.kit.i18n import Message
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from precx.sharing.models import (
    Distribution,
    RoutedReader,
    Shareable,
    SharingGroup,
    SharingGroupMember,
    Tlp,
)

S = TypeVar("S", bound=Shareable)

# TLP:RED is for named recipients only: never for a broad distribution.
NARROW_DISTRIBUTIONS = frozenset({Distribution.organisation, Distribution.sharing_group})


def visibility_clause(principal: Principal, model: type[Shareable]) -> ColumnElement[bool]:
    """The condition under which `principal` may read rows of `model`.

    Each branch stands on its own line so coverage shows that every case is tested.
    """
    kind = principal.organisation_kind
    own_org = model.owner_organisation_id == principal.organisation_id
    if principal.reads_only_own:
        return and_(own_org, model.created_by_id == principal.user_id)
    clauses: list[ColumnElement[bool]] = [own_org]
    routed = select(RoutedReader.record_id).where(
        RoutedReader.record_type == model.record_type,
        RoutedReader.organisation_id == principal.organisation_id,
    )
    clauses.append(model.id.in_(routed))
    member_of = select(SharingGroupMember.sharing_group_id).where(
        SharingGroupMember.organisation_id == principal.organisation_id
    )
    clauses.append(
        and_(
            model.distribution == Distribution.sharing_group, model.sharing_group_id.in_(member_of)
        )
    )
    if kind in AUTHORITY_KINDS:
        same_country = select(Organisation.id).where(Organisation.country == principal.country)
        clauses.append(
            and_(
                model.distribution == Distribution.country_authorities,
                model.owner_organisation_id.in_(same_country),
            )
        )
    if kind in AUTHORITY_KINDS or kind is OrgKind.international:
        clauses.append(model.distribution.in_([Distribution.authorities, Distribution.partnership]))
    if kind in PRIVATE_KINDS and principal.vetted:
        clauses.append(model.distribution == Distribution.partnership)
    return or_(*clauses)


def visible(stmt: Select[Any], principal: Principal, model: type[Shareable]) -> Select[Any]:
    """Restrict a statement over `model` to the rows `principal` may read."""
    return stmt.where(visibility_clause(principal, model))


def model_for(record_type: str | None) -> type[Shareable] | None:
    """The mapped Shareable class whose `record_type` is this one, found in the mapper registry."""
    if not record_type:
        return None
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, Shareable) and getattr(cls, "record_type", None) == record_type:
            return cls
    return None


def access_by_id(session: Session, principal: Principal, model: type[S], record_id: int) -> S:
    """Load one record the principal may read; a hidden record is as absent as a missing one."""
    stmt = visible(select(model).where(model.id == record_id), principal, model)
    record: S | None = session.scalars(stmt).one_or_none()
    if record is None:
        raise NotFound(
            Message(
                "No %(record)s %(id)s.", record=model.record_type.replace("_", " "), id=record_id
            )
        )
    return record


def can_read(session: Session, principal: Principal, record: Shareable) -> bool:
    """Whether the principal may read this record now (re-checked at delivery time)."""
    model = type(record)
    stmt = visible(select(model.id).where(model.id == record.id), principal, model)
    return session.scalar(stmt) is not None


def can_edit(principal: Principal, record: Shareable) -> bool:
    """Owners edit: analysts and admins of the owner organisation, and the record's creator."""
    if record.owner_organisation_id != principal.organisation_id:
        return False
    return principal.role.value in {"admin", "analyst"} or record.created_by_id == principal.user_id


def check_marking(
    session: Session,
    principal: Principal,
    distribution: Distribution,
    tlp: Tlp,
    sharing_group_id: int | None,
) -> None:
    """Refuse a distribution, TLP and sharing group that do not fit together."""
    if distribution is Distribution.sharing_group:
        if sharing_group_id is None:
            raise InvalidInput(
                Message("A sharing group distribution needs a sharing group."),
                errors=[
                    (
                        "body.sharing_group_id",
                        Message("required when distribution is sharing_group"),
                    )
                ],
            )
        if sharing_group_id not in {g.id for g in list_sharing_groups(session, principal)}:
            raise InvalidInput(
                Message("You can share only with a sharing group your organisation belongs to."),
                errors=[
                    ("body.sharing_group_id", Message("not a sharing group of your organisation"))
                ],
            )
    elif sharing_group_id is not None:
        raise InvalidInput(
            Message("A sharing group is set only with the sharing_group distribution."),
            errors=[("body.sharing_group_id", Message("must be empty for this distribution"))],
        )
    if distribution is Distribution.partnership and not principal.is_authority:
        raise InvalidInput(
            Message(
                "Only authorities publish to the partnership (sanitised warnings to industry)."
            ),
            errors=[("body.distribution", Message("partnership is for authorities"))],
        )
    if tlp is Tlp.red and distribution not in NARROW_DISTRIBUTIONS:
        raise InvalidInput(
            Message(
                "TLP:RED records are for named recipients: use organisation or a sharing group."
            ),
            errors=[("body.tlp", Message("red needs distribution organisation or sharing_group"))],
        )


def add_routed_reader(
    session: Session, record: Shareable, organisation_id: int, *, reason: str
) -> RoutedReader:
    """Give one organisation read access to a record because of what the record is."""
    reader = RoutedReader(
        record_type=record.record_type,
        record_id=record.id,
        organisation_id=organisation_id,
        reason=reason,
    )
    session.add(reader)
    session.flush()
    return reader


# --- Sharing groups -------------------------------------------------------------------------


def list_sharing_groups(session: Session, principal: Principal) -> list[SharingGroup]:
    """Groups the principal's organisation owns or belongs to."""
    member_of = select(SharingGroupMember.sharing_group_id).where(
        SharingGroupMember.organisation_id == principal.organisation_id
    )
    stmt = (
        select(SharingGroup)
        .where(
            or_(
                SharingGroup.owner_organisation_id == principal.organisation_id,
                SharingGroup.id.in_(member_of),
            )
        )
        .order_by(SharingGroup.name)
    )
    return list(session.scalars(stmt).all())


def group_members(session: Session, principal: Principal, group_id: int) -> list[Organisation]:
    """The member organisations of a group the principal's organisation is part of."""
    group = get_sharing_group(session, principal, group_id)
    stmt = (
        select(Organisation)
        .join(SharingGroupMember, SharingGroupMember.organisation_id == Organisation.id)
        .where(SharingGroupMember.sharing_group_id == group.id)
        .order_by(Organisation.country, Organisation.name)
    )
    return list(session.scalars(stmt).all())


def get_sharing_group(session: Session, principal: Principal, group_id: int) -> SharingGroup:
    """One group the principal's organisation owns or belongs to."""
    for group in list_sharing_groups(session, principal):
        if group.id == group_id:
            return group
    raise NotFound(Message("No sharing group %(id)s.", id=group_id))


def _require_group_manager(principal: Principal) -> None:
    if not (principal.is_admin and principal.is_authority):
        raise Forbidden(Message("Sharing groups are managed by administrators of authorities."))


def _managed_group(session: Session, principal: Principal, group_id: int) -> SharingGroup:
    _require_group_manager(principal)
    group = get_sharing_group(session, principal, group_id)
    if group.owner_organisation_id != principal.organisation_id:
        raise Forbidden(Message("Only the organisation that created a sharing group manages it."))
    return group


def create_sharing_group(
    session: Session, principal: Principal, *, name: str, description: str = ""
) -> SharingGroup:
    """Create a sharing group owned by (and containing) the principal's authority."""
    _require_group_manager(principal)
    if session.scalar(select(SharingGroup.id).where(SharingGroup.name == name)) is not None:
        raise Conflict(
            Message("A sharing group named %(name)s exists.", name=repr(name)),
            errors=[("body.name", Message("taken"))],
        )
    group = SharingGroup(
        name=name, description=description, owner_organisation_id=principal.organisation_id
    )
    session.add(group)
    session.flush()
    session.add(
        SharingGroupMember(sharing_group_id=group.id, organisation_id=principal.organisation_id)
    )
    session.flush()
    audit.record_change(
        session,
        principal,
        "sharing_group.created",
        record_type="sharing_group",
        record_id=group.id,
        organisation_id=principal.organisation_id,
        details={"name": name},
    )
    return group


def add_group_member(
    session: Session, principal: Principal, group_id: int, organisation_id: int
) -> SharingGroupMember:
    """Add an active organisation to a group the principal's authority manages."""
    group = _managed_group(session, principal, group_id)
    org = session.get(Organisation, organisation_id)
    if org is None or org.status != "active":
        raise InvalidInput(
            Message("No active organisation %(id)s.", id=organisation_id),
            errors=[("body.organisation_id", Message("no such active organisation"))],
        )
    exists = session.scalar(
        select(SharingGroupMember.id).where(
            SharingGroupMember.sharing_group_id == group.id,
            SharingGroupMember.organisation_id == organisation_id,
        )
    )
    if exists is not None:
        raise Conflict(
            Message("%(organisation)s is already a member.", organisation=org.name),
            errors=[("body.organisation_id", Message("already a member"))],
        )
    member = SharingGroupMember(sharing_group_id=group.id, organisation_id=organisation_id)
    session.add(member)
    session.flush()
    audit.record_change(
        session,
        principal,
        "sharing_group.member_added",
        record_type="sharing_group",
        record_id=group.id,
        organisation_id=principal.organisation_id,
        details={"organisation_id": organisation_id},
    )
    return member


def remove_group_member(
    session: Session, principal: Principal, group_id: int, organisation_id: int
) -> None:
    """Remove an organisation from a managed group; the owner stays a member."""
    group = _managed_group(session, principal, group_id)
    if organisation_id == group.owner_organisation_id:
        raise InvalidInput(
            Message("The owner of a sharing group cannot leave it."),
            errors=[("organisation_id", Message("owner of the group"))],
        )
    member = session.scalars(
        select(SharingGroupMember).where(
            SharingGroupMember.sharing_group_id == group.id,
            SharingGroupMember.organisation_id == organisation_id,
        )
    ).one_or_none()
    if member is None:
        raise NotFound(
            Message("Organisation %(id)s is not a member of this group.", id=organisation_id)
        )
    session.delete(member)
    session.flush()
    audit.record_change(
        session,
        principal,
        "sharing_group.member_removed",
        record_type="sharing_group",
        record_id=group.id,
        organisation_id=principal.organisation_id,
        details={"organisation_id": organisation_id},
    )
