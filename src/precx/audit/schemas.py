"""Audit entries out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    """One audited action."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor_label: str
    action: str
    record_type: str | None
    record_id: str | None
    details: dict[str, Any]
    entry_hash: str


class AuditPage(BaseModel):
    """One page of audit entries."""

    items: list[AuditEntryRead]
    total: int
    page: int
    per_page: int
