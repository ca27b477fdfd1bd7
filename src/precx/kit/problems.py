"""Domain errors and their rendering as RFC 9457 problem details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from precx.kit.i18n import Message

PROBLEM_BASE = "https://precx.example/problems/"


class FieldError(BaseModel):
    """One field at fault: where it is and what is wrong."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="Dotted path of the field, e.g. `body.country`.")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem details document."""

    model_config = ConfigDict(extra="forbid")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class DomainError(Exception):
    """A failure the caller can act on; rendered as a problem document."""

    status = 400
    problem = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        # Constructed, not validated: validating a str field makes a Message a plain str, and a
        # page shows a Message in its reader's language (kit.i18n).
        self.errors = [FieldError.model_construct(field=f, message=m) for f, m in errors]

    def to_problem(self, instance: str | None = None) -> Problem:
        """The problem document for this error."""
        return Problem(
            type=PROBLEM_BASE + self.problem,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=self.errors,
        )


class InvalidInput(DomainError):
    """Input that is well-formed but not acceptable."""

    status = 422
    problem = "invalid-input"
    title = "Invalid input"


class FileInputError(InvalidInput):
    """An uploaded or imported file that cannot be used; names the file, line, column and field.

    Each kind of file subclasses it with its own `problem` and `title`.
    """

    def __init__(
        self, file: str, line: int, message: str, *, column: int | None = None, field: str = ""
    ) -> None:
        self.file, self.line, self.column, self.field, self.message = (
            file,
            line,
            column,
            field,
            message,
        )
        where = f"{file}:{line}" + (f":{column}" if column else "")
        label = f" ({field})" if field else ""
        super().__init__(
            Message("%(where)s%(label)s: %(message)s", where=where, label=label, message=message),
            errors=[(field or where, message)],
        )


class NotAuthenticated(DomainError):
    """No valid credentials were given."""

    status = 401
    problem = "not-authenticated"
    title = "Not authenticated"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status = 403
    problem = "forbidden"
    title = "Forbidden"


class NotFound(DomainError):
    """No such record, or one the caller may not see: the two are never told apart."""

    status = 404
    problem = "not-found"
    title = "Not found"


class Conflict(DomainError):
    """The change clashes with the current state (a duplicate, a stale version)."""

    status = 409
    problem = "conflict"
    title = "Conflict"


class TooManyRequests(DomainError):
    """The caller must slow down."""

    status = 429
    problem = "too-many-requests"
    title = "Too many requests"


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring the problem documents a route may answer."""
    return {
        status: {"model": Problem, "content": {"application/problem+json": {}}}
        for status in statuses
    }
