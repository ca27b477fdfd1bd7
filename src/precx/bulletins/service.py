"""Post bulletins and read those the sharing gate lets the caller see."""

from __future__ import annotations

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.principal import Principal
from precx.audit import service as audit
from precx.bulletins.models import Bulletin
from precx.bulletins.schemas import BulletinCreate
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page, parse_sort
from precx.kit.problems import Forbidden
from precx.sharing import service as sharing
from precx.sharing.models import Tlp

SORT_KEYS = ("created_at", "title", "tlp")
# TLP sorts by how narrowly a record may be passed on, not alphabetically.
# Enum columns store member names (amber_strict), so the keys are names too.
TLP_SEVERITY = case({tlp.name: n for n, tlp in enumerate(Tlp)}, value=Bulletin.tlp)


def post_bulletin(session: Session, principal: Principal, *, data: BulletinCreate) -> Bulletin:
    """Publish a bulletin under the chosen distribution and TLP marking."""
    if not principal.can_write:
        raise Forbidden(Message("Viewers read bulletins; they do not post them."))
    sharing.check_marking(session, principal, data.distribution, data.tlp, data.sharing_group_id)
    bulletin = Bulletin(
        title=data.title,
        body=data.body,
        distribution=data.distribution,
        tlp=data.tlp,
        sharing_group_id=data.sharing_group_id,
        owner_organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
    )
    session.add(bulletin)
    session.flush()
    details = {"title": data.title, "distribution": data.distribution.value, "tlp": data.tlp.value}
    audit.record_change(
        session,
        principal,
        "bulletin.posted",
        record_type="bulletin",
        record_id=bulletin.id,
        organisation_id=principal.organisation_id,
        details=details,
    )
    return bulletin


def _search(principal: Principal, q: str | None) -> Select[Bulletin]:
    stmt = sharing.visible(select(Bulletin), principal, Bulletin)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(Bulletin.title).like(pattern), func.lower(Bulletin.body).like(pattern))
        )
    return stmt


def list_bulletins(
    session: Session, principal: Principal, params: PageParams, *, q: str | None = None
) -> Page[Bulletin]:
    """A page of the bulletins the caller may read, optionally searched and sorted."""
    key, descending = parse_sort(params.sort, SORT_KEYS, "-created_at")
    column = TLP_SEVERITY if key == "tlp" else getattr(Bulletin, key)
    stmt = _search(principal, q).order_by(
        column.desc() if descending else column.asc(), Bulletin.id.desc()
    )
    return fetch_page(session, stmt, params)


def count_bulletins(session: Session, principal: Principal, *, q: str | None = None) -> int:
    """How many bulletins the caller may read (matching a search)."""
    sub = _search(principal, q).with_only_columns(Bulletin.id).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


EXPORT_COLUMNS = ("id", "title", "tlp", "distribution", "from", "posted_at_utc", "text")
EXPORT_LIMIT = 50_000


def export_rows(
    session: Session, principal: Principal, *, q: str | None = None
) -> list[dict[str, object]]:
    """The bulletins the caller may read, as rows for a CSV export, each with its TLP marking."""
    stmt = _search(principal, q).order_by(Bulletin.created_at.desc(), Bulletin.id.desc())
    bulletins = session.scalars(stmt.limit(EXPORT_LIMIT)).all()
    owners = accounts_service.organisation_names(
        session, {b.owner_organisation_id for b in bulletins}
    )
    return [
        {
            "id": b.id,
            "title": b.title,
            "tlp": f"TLP:{b.tlp.value.upper()}",
            "distribution": b.distribution.value,
            "from": owners.get(b.owner_organisation_id, ""),
            "posted_at_utc": b.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "text": b.body,
        }
        for b in bulletins
    ]


def get_bulletin(session: Session, principal: Principal, bulletin_id: int) -> Bulletin:
    """One bulletin the caller may read."""
    return sharing.access_by_id(session, principal, Bulletin, bulletin_id)
