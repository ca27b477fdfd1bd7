"""A list behind a filter form still lists when its substance filter names no substance."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from precx.kit.problems import InvalidInput
from precx.web.lists import listed_by_substance, without_parameter


@dataclass(frozen=True)
class _Filters:
    q: str | None = None
    substance_id: str | None = None


def _list(filters: _Filters) -> list[str]:
    if filters.q == "bad":
        raise InvalidInput("q is bad", errors=[("q", "q is bad")])
    if filters.substance_id not in (None, "acetone"):
        message = f"{filters.substance_id!r} is no substance of the catalog"
        raise InvalidInput(message, errors=[("substance", message)])
    return [f"q={filters.q}", f"substance={filters.substance_id}"]


def test_a_known_substance_filters_and_no_error_is_shown() -> None:
    listed, filters, error = listed_by_substance(_list, _Filters(q="x", substance_id="acetone"))
    assert listed == ["q=x", "substance=acetone"] and error == ""
    assert filters == _Filters(q="x", substance_id="acetone")


def test_an_unknown_substance_is_dropped_the_rest_kept_and_the_error_given() -> None:
    listed, filters, error = listed_by_substance(_list, _Filters(q="x", substance_id="unobt"))
    assert listed == ["q=x", "substance=None"]
    assert filters == _Filters(q="x", substance_id=None)
    assert error == "'unobt' is no substance of the catalog"


def test_an_error_of_another_filter_is_not_hidden() -> None:
    with pytest.raises(InvalidInput, match="q is bad"):
        listed_by_substance(_list, _Filters(q="bad", substance_id="unobt"))


def test_a_dropped_filter_leaves_the_export_query() -> None:
    query = "q=acme&substance=unobtainium&sort=-score&country="
    assert without_parameter(query, "substance") == "q=acme&sort=-score&country="
