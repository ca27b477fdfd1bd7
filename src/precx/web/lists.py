"""Lists behind filter forms: a filter the catalog cannot read is shown as an error, not a 422."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlencode

from precx.kit.problems import InvalidInput

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Filters = TypeVar("Filters", bound="DataclassInstance")
Listed = TypeVar("Listed")


def listed_by_substance(
    list_them: Callable[[Filters], Listed], filters: Filters
) -> tuple[Listed, Filters, str]:
    """The list under `filters`; if their `substance_id` names no substance of the catalog, the
    list without it, with the error to show above it, so the page still lists and says why."""
    try:
        return list_them(filters), filters, ""
    except InvalidInput as exc:
        if not any(e.field == "substance" for e in exc.errors):
            raise  # another filter's error is not this function's to hide
        unfiltered = replace(filters, substance_id=None)
        return list_them(unfiltered), unfiltered, exc.detail


def without_parameter(query: str, name: str) -> str:
    """A query string without one parameter: the export links of a list whose filter was
    dropped export what the list shows, not the error."""
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != name])
