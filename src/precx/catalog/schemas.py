"""The catalog's data-file rows and what the API answers about substances and countries."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from precx.kit.i18n import LocalName, Message

UnTable = Literal["I", "II"]
EuCategory = Literal["1", "2A", "2B", "3", "4"]
OsceStatus = Literal["participating_state", "asian_partner", "mediterranean_partner"]
Unit = Literal["kg", "g", "L"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LANGUAGES = ("de", "fr", "es", "ru")
CAS_PATTERN = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def cas_check_digit_ok(cas: str) -> bool:
    """Whether a hyphenated CAS number's last digit is its check digit (CAS rule)."""
    match = CAS_PATTERN.match(cas)
    if match is None:
        return False
    digits = (match.group(1) + match.group(2))[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(match.group(3))


class Threshold(BaseModel):
    """A quantity from which (or below which) a legal obligation applies."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: Text
    obligation: Text
    quantity: float = Field(gt=0)
    unit: Unit
    source: Text


class SubstanceRecord(BaseModel):
    """One row of substances.yaml: a substance, salt or isomer and how it is controlled."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Text
    iupac: Text | None = None
    cas: list[str] = Field(default_factory=list)
    hs_code: str | None = None
    hs_codes: list[str] = Field(default_factory=list)
    cn_code: str | None = None
    un_table: UnTable | None = None
    eu_category: EuCategory | None = None
    other_lists: dict[str, Text] = Field(default_factory=dict)
    watched: bool = False
    parent: Slug | None = None
    synonyms: list[Text] = Field(default_factory=list)
    names: dict[str, Text] = Field(default_factory=dict)
    thresholds: list[Threshold] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)

    def shown_name(self) -> str:
        """The name, which a page shows in its language where the catalog has one (LocalName)."""
        return LocalName(self.name, self.names)

    @field_validator("cas")
    @classmethod
    def _cas(cls, values: list[str]) -> list[str]:
        for cas in values:
            if not CAS_PATTERN.match(cas):
                raise ValueError(
                    Message("%(cas)s is not a CAS number like 108-24-7", cas=repr(cas))
                )
            if not cas_check_digit_ok(cas):
                raise ValueError(Message("CAS number %(cas)s has a wrong check digit", cas=cas))
        return values

    @field_validator("hs_code")
    @classmethod
    def _hs(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{6}", value):
            raise ValueError(
                Message("HS code %(code)s must be 6 digits (HS 2022 subheading)", code=repr(value))
            )
        return value

    @field_validator("hs_codes")
    @classmethod
    def _hs_list(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.fullmatch(r"\d{6}", value):
                raise ValueError(
                    Message(
                        "HS code %(code)s must be 6 digits (HS 2022 subheading)", code=repr(value)
                    )
                )
        return values

    @field_validator("cn_code")
    @classmethod
    def _cn(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{8}", value):
            raise ValueError(Message("CN code %(code)s must be 8 digits", code=repr(value)))
        return value

    @field_validator("names")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise ValueError(
                Message(
                    "unknown language(s) %(unknown)s; use %(languages)s",
                    unknown=str(sorted(unknown)),
                    languages=str(list(LANGUAGES)),
                )
            )
        return value

    @property
    def scheduled(self) -> bool:
        """Listed in a UN table or an EU category."""
        return self.un_table is not None or self.eu_category is not None


class MixtureRule(BaseModel):
    """One row of mixture_rules.yaml: when a mixture is controlled in a jurisdiction."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    jurisdiction: Text
    un_tables: list[UnTable] = Field(default_factory=list)
    eu_categories: list[EuCategory] = Field(default_factory=list)
    min_percent: float = Field(ge=0, lt=100)
    rule: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    source: Text


class CountryExtra(BaseModel):
    """What countries.yaml adds to the ISO data: alternative names."""

    model_config = ConfigDict(extra="forbid")

    alt_names: list[Text] = Field(default_factory=list)


class ThresholdRead(BaseModel):
    """A threshold as the API shows it."""

    jurisdiction: str
    obligation: str
    quantity: float
    unit: str
    source: str


class SubstanceRead(BaseModel):
    """A substance with everything the catalog knows about it."""

    id: str
    name: str
    iupac: str | None
    cas: list[str]
    hs_code: str | None
    hs_codes: list[str]
    cn_code: str | None
    un_table: UnTable | None
    eu_category: EuCategory | None
    other_lists: dict[str, str]
    watched: bool
    parent: str | None
    salts_and_isomers: list[str]
    synonyms: list[str]
    names: dict[str, str]
    thresholds: list[ThresholdRead]
    sources: list[str]


class SubstanceMatch(BaseModel):
    """A candidate for a query, with why it matched."""

    substance: SubstanceRead
    score: float = Field(description="0-100; 100 is an exact match of a code or name.")
    field: str = Field(description="What matched: cas, hs_code, cn_code, name, synonym, name:ru…")
    matched: str = Field(description="The catalog value that matched.")
    why: str


class Identification(BaseModel):
    """The answer to a query: ranked candidates, and whether the best one is unambiguous."""

    query: str
    identified: bool
    ambiguous: bool
    candidates: list[SubstanceMatch]


class MixtureAssessment(BaseModel):
    """Whether a mixture with a given concentration of a substance is controlled, and why."""

    substance: str
    concentration_percent: float
    controlled: bool
    reasons: list[str]


class PenRequirementRead(BaseModel):
    """A country's request to receive pre-export notifications for a substance."""

    substance_id: str
    substance: str
    required: bool
    note: str
    source: str


class CountryRead(BaseModel):
    """A country with its OSCE status, EU membership and pre-export notification requests."""

    iso2: str
    iso3: str
    name: str
    official_name: str | None
    alt_names: list[str]
    osce_status: OsceStatus | None
    eu_member: bool
    pen_requirements: list[PenRequirementRead]


class PenRequirementSet(BaseModel):
    """An authority records (or withdraws) its country's request for notifications."""

    model_config = ConfigDict(extra="forbid")

    required: bool
    note: Annotated[str, StringConstraints(max_length=1000)] = ""
    source: Annotated[str, StringConstraints(max_length=500)] = ""


class SubstanceSearch(BaseModel):
    """Substances: identified from a query (`candidates`), or listed with filters (`items`)."""

    query: str | None = None
    identified: bool | None = None
    ambiguous: bool | None = None
    candidates: list[SubstanceMatch] = Field(default_factory=list)
    items: list[SubstanceRead] = Field(default_factory=list)


class CountrySummary(BaseModel):
    """A country in a list."""

    model_config = ConfigDict(from_attributes=True)

    iso2: str
    iso3: str
    name: str
    osce_status: OsceStatus | None
    eu_member: bool
