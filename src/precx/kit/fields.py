"""Validated field types shared by every feature's schemas."""

from __future__ import annotations

from typing import Annotated

import pycountry
from pydantic import AfterValidator, StringConstraints

from precx.kit.i18n import CountryName, Message


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(
            Message("%(value)s is not an ISO 3166-1 alpha-2 country code", value=repr(value))
        )
    return code


CountryCode = Annotated[
    str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country_code)
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Password = Annotated[str, StringConstraints(min_length=12, max_length=200)]


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself; a page shows the name in
    its own language (kit.i18n.CountryName)."""
    country = pycountry.countries.get(alpha_2=code)
    return CountryName(code, str(country.name)) if country else code
