"""What the pages' forms share: a form's validation failure as a domain error for the page."""

from __future__ import annotations

from pydantic import ValidationError

from precx.kit.i18n import Message, field_message
from precx.kit.problems import InvalidInput


def invalid_form(exc: ValidationError, prefix: str = "body.") -> InvalidInput:
    """A form's validation failure as a domain error naming each field at fault, its messages
    in the page's language (the API's problem details keep pydantic's English)."""
    errors = [
        (
            prefix + ".".join(str(p) for p in e["loc"]) if e["loc"] else prefix.rstrip("."),
            field_message(e),
        )
        for e in exc.errors()
    ]
    parts = [Message("%(field)s: %(message)s", field=f, message=m) for f, m in errors[:5]]
    detail = parts[0] if parts else Message("The form is not valid.")
    for part in parts[1:]:
        detail = Message("%(before)s; %(after)s", before=detail, after=part)
    return InvalidInput(detail, errors=errors)
