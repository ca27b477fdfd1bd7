"""Pages and sort orders of long lists, the same in the API and on web pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PER_PAGE = 200


class PageParams(BaseModel):
    """Which page of a list, and in which order."""

    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    sort: str | None = Field(None, max_length=40, description="A sort key; `-key` for descending.")

    @property
    def offset(self) -> int:
        """Rows to skip before this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the total it comes from."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages in the whole list (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        """Whether a page follows this one."""
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        """Whether a page comes before this one."""
        return self.page > 1


def parse_sort(sort: str | None, allowed: Sequence[str], default: str) -> tuple[str, bool]:
    """The sort key and whether it is descending; unknown keys fall back to the default."""
    value = sort or default
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in allowed:
        key, descending = default.lstrip("-"), default.startswith("-")
    return key, descending


def fetch_page(session: Session, stmt: Select[T], params: PageParams) -> Page[T]:
    """Run an ordered statement for one page, with the total count of the whole list."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.limit(params.per_page).offset(params.offset)).all()
    return Page(items=rows, total=total, page=params.page, per_page=params.per_page)
