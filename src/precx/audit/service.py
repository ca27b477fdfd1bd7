"""Record audited actions in a hash chain and verify that nobody edited or deleted one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.accounts.principal import Principal
from precx.audit.models import AuditChainHead, AuditEntry
from precx.db import utc_now
from precx.events import service as events
from precx.kit.i18n import Message
from precx.kit.pagination import Page, PageParams, fetch_page
from precx.kit.problems import Forbidden

GENESIS_HASH = "0" * 64
SECRET_KEYS = frozenset({"password", "token", "secret", "totp_secret", "password_hash"})


def canonical_json(value: Any) -> str:
    """The one serialisation hashes are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _redact(details: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[redacted]" if k in SECRET_KEYS else v) for k, v in details.items()}


def _entry_hash(entry: AuditEntry) -> str:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_user_id": entry.actor_user_id,
        "actor_organisation_id": entry.actor_organisation_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "digest": entry.digest,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def record(
    session: Session,
    principal: Principal | None,
    action: str,
    *,
    record_type: str | None = None,
    record_id: object = None,
    details: dict[str, Any] | None = None,
    actor_label: str | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append an entry for an action, in the caller's transaction.

    Without a principal (logins, the CLI), `organisation_id` says whose audit log shows it.
    """
    if not session.in_transaction():
        raise RuntimeError("audit.record() must run inside the transaction of the change")
    head = session.scalars(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).one_or_none()
    if head is None:
        head = AuditChainHead(id=1, last_seq=0, last_hash=GENESIS_HASH)
        session.add(head)
    clean = _redact(details or {})
    now = utc_now()
    entry = AuditEntry(
        seq=head.last_seq + 1,
        # Truncated to milliseconds so the hash input survives every database's precision.
        at=now.replace(microsecond=now.microsecond // 1000 * 1000),
        actor_user_id=principal.user_id if principal else None,
        actor_organisation_id=principal.organisation_id if principal else organisation_id,
        actor_label=actor_label or (principal.email if principal else "system"),
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        details=clean,
        digest=hashlib.sha256(canonical_json(clean).encode()).hexdigest(),
        prev_hash=head.last_hash,
    )
    entry.entry_hash = _entry_hash(entry)
    head.last_seq = entry.seq
    head.last_hash = entry.entry_hash
    session.add(entry)
    session.flush()
    return entry


def record_change(
    session: Session,
    principal: Principal | None,
    action: str,
    *,
    record_type: str,
    record_id: object,
    organisation_id: int | None,
    details: dict[str, Any] | None = None,
    topic: str | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """The audit entry and the outbox event of one state change, in its transaction (rule 3).

    `organisation_id` is the organisation the record belongs to: the event is addressed from
    it, and without a principal (logins, the CLI) the audit entry is filed under it.
    """
    entry = record(
        session,
        principal,
        action,
        record_type=record_type,
        record_id=record_id,
        details=details,
        actor_label=actor_label,
        organisation_id=organisation_id,
    )
    events.emit(
        session,
        topic or action,
        record_type=record_type,
        record_id=record_id,
        organisation_id=organisation_id,
        payload=entry.details,
    )
    return entry


@dataclass(frozen=True)
class ChainReport:
    """What verification found: intact, or the first entry that does not fit."""

    ok: bool
    entries: int
    problem: str | None = None
    bad_seq: int | None = None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain and report the first edited, inserted or deleted entry."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(
                False, count, f"entry {expected_seq} is missing (next is {entry.seq})", expected_seq
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                False, count, f"entry {entry.seq} does not follow its predecessor", entry.seq
            )
        digest = hashlib.sha256(canonical_json(entry.details).encode()).hexdigest()
        if digest != entry.digest:
            return ChainReport(False, count, f"entry {entry.seq}: details were changed", entry.seq)
        if _entry_hash(entry) != entry.entry_hash:
            return ChainReport(False, count, f"entry {entry.seq}: content was changed", entry.seq)
        prev_hash = entry.entry_hash
        expected_seq += 1
    head = session.get(AuditChainHead, 1)
    last_seq = head.last_seq if head else 0
    if last_seq != expected_seq - 1 or (head and head.last_hash != prev_hash):
        return ChainReport(
            False,
            count,
            f"the chain ends at entry {expected_seq - 1} but its head names "
            f"entry {last_seq}: entries were deleted from the end",
            expected_seq,
        )
    return ChainReport(True, count)


def list_entries(
    session: Session, principal: Principal, params: PageParams, *, action: str | None = None
) -> Page[AuditEntry]:
    """Audit entries an admin may read: those of their own organisation (all, for the platform)."""
    if not principal.is_admin:
        raise Forbidden(
            Message("Only an administrator of your organisation may read its audit log.")
        )
    stmt = select(AuditEntry)
    if not principal.is_platform_admin:
        stmt = stmt.where(AuditEntry.actor_organisation_id == principal.organisation_id)
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action))
    stmt = stmt.order_by(AuditEntry.seq.desc())
    return fetch_page(session, stmt, params)
