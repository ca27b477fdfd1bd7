"""FollowTheMoney JSON lines as OpenSanctions publishes them, read as a watchlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats import read_watchlist
from precx.screening.watchlist_formats.ftm import read_ftm
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

PERSON: dict[str, Any] = {
    "id": "NK-person-1",
    "schema": "Person",
    "properties": {
        "name": ["Ivan Sergeyevich PETROV", "Ivan Petrov"],
        "alias": ["Иван Сергеевич Петров"],
        "weakAlias": ["Vanya"],
        "previousName": ["Иван Сидоров"],
        "nationality": ["ru"],
        "country": ["zz"],  # OpenSanctions' "global": no ISO code, so nationality wins
        "passportNumber": ["717637093"],
        "notes": ["Broker of diverted ephedrine"],
        "topics": ["sanction", "crime.traffick"],
        "birthDate": ["1975-06-14"],
    },
    "datasets": ["us_ofac_sdn"],
    "caption": "Ivan Sergeyevich PETROV",
}
COMPANY: dict[str, Any] = {
    "id": "NK-company-1",
    "schema": "Company",
    "properties": {
        "name": ["Romashka Trading LLC"],
        "alias": ["ООО «Ромашка Трейдинг»"],
        "jurisdiction": ["ru"],
        "registrationNumber": ["1027700132195"],
        "innCode": ["7701234567"],
        "address": ["ul. Lesnaya 5, Moscow"],
        "addressEntity": ["addr-1"],
    },
}
SANCTION: dict[str, Any] = {
    "id": "sanction-1",
    "schema": "Sanction",
    "properties": {
        "entity": ["NK-company-1"],
        "authority": ["Office of Foreign Assets Control"],
        "program": ["SDNTK"],
        "reason": ["Supplier to methamphetamine laboratories"],
    },
}
ADDRESS: dict[str, Any] = {
    "id": "addr-1",
    "schema": "Address",
    "properties": {"full": ["Promyshlennaya 12, 125047 Moscow, Russia"], "country": ["ru"]},
}
VESSEL: dict[str, Any] = {
    "id": "NK-vessel-1",
    "schema": "Vessel",
    "properties": {"name": ["OCEAN STAR"], "imoNumber": ["IMO 9187629"], "flag": ["pa"]},
}


def write(tmp_path: Path, *entities: dict[str, Any] | str, name: str = "entities.ftm.json") -> Path:
    path = tmp_path / name
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entities]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problem(path: Path) -> WatchlistFileError:
    with pytest.raises(WatchlistFileError) as caught:
        list(read_ftm(path))
    return caught.value


def where(error: WatchlistFileError) -> tuple[str, int, int | None, str | None]:
    return error.file, error.line, error.column, error.field


def test_persons_companies_and_vessels_with_what_refers_to_them(tmp_path: Path) -> None:
    # The sanction and the address come after the company they refer to.
    path = write(tmp_path, PERSON, COMPANY, VESSEL, SANCTION, ADDRESS)
    person, company, vessel = read_watchlist(path, "ftm")
    assert person == ListedEntity(
        entity_id="NK-person-1",
        name="Ivan Sergeyevich PETROV",
        entity_type=EntityType.person,
        aliases=("Ivan Petrov", "Иван Сергеевич Петров", "Vanya", "Иван Сидоров"),
        country="RU",
        identifiers=(("passportNumber", "717637093"),),
        reason="Broker of diverted ephedrine; topics: sanction, crime.traffick",
        source_line=1,
    )
    assert person.extra == {"schema": "Person", "topics": "sanction, crime.traffick"}
    assert company == ListedEntity(
        entity_id="NK-company-1",
        name="Romashka Trading LLC",
        entity_type=EntityType.company,
        aliases=("ООО «Ромашка Трейдинг»",),
        country="RU",
        addresses=("ul. Lesnaya 5, Moscow", "Promyshlennaya 12, 125047 Moscow, Russia"),
        identifiers=(("registrationNumber", "1027700132195"), ("innCode", "7701234567")),
        reason="Supplier to methamphetamine laboratories",
        programs=("SDNTK",),
        source_line=2,
    )
    assert (vessel.entity_type, vessel.identifiers, vessel.country) == (
        EntityType.vessel,
        (("imoNumber", "IMO 9187629"),),
        None,  # a flag is not where the vessel's owner is
    )


@pytest.mark.parametrize(("countries", "code"), [(["suhh", "gb-sct"], "GB"), (["zz", "xk"], None)])
def test_countries_that_are_no_iso_code(
    tmp_path: Path, countries: list[str], code: str | None
) -> None:
    entity = {"id": "x1", "schema": "Company", "properties": {"name": ["X"], "country": countries}}
    [listed] = read_ftm(write(tmp_path, entity))
    assert listed.country == code


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ("Organization", EntityType.company),
        ("PublicBody", EntityType.company),
        ("LegalEntity", EntityType.other),
        ("Airplane", EntityType.other),
    ],
)
def test_the_other_listed_schemata(tmp_path: Path, schema: str, kind: EntityType) -> None:
    entity = {"id": "x1", "schema": schema, "properties": {"name": ["Something"]}}
    [listed] = read_ftm(write(tmp_path, entity))
    assert listed.entity_type is kind


def test_links_documents_and_lone_sanctions_are_not_entities(tmp_path: Path) -> None:
    ownership = {
        "id": "own-1",
        "schema": "Ownership",
        "properties": {"owner": ["NK-person-1"], "asset": ["NK-company-1"]},
    }
    passport = {
        "id": "pass-1",
        "schema": "Passport",
        "properties": {"holder": ["NK-person-1"], "number": ["717637093"]},
    }
    elsewhere = {**SANCTION, "properties": {**SANCTION["properties"], "entity": ["not-here"]}}
    path = write(tmp_path, ownership, passport, elsewhere, ADDRESS, PERSON)
    assert [e.entity_id for e in read_ftm(path)] == ["NK-person-1"]


def test_the_nested_export_carries_sanctions_and_addresses_inside(tmp_path: Path) -> None:
    nested = {
        **COMPANY,
        "properties": {
            **COMPANY["properties"],
            "addressEntity": [ADDRESS],
            "sanctions": [{**SANCTION, "properties": {"program": ["SDNT"], "programId": ["US-N"]}}],
        },
    }
    [company] = read_ftm(write(tmp_path, nested))
    assert company.programs == ("SDNT", "US-N")
    assert company.addresses[-1] == "Promyshlennaya 12, 125047 Moscow, Russia"


def test_blank_lines_and_a_byte_order_mark_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(("\ufeff" + json.dumps(VESSEL) + "\n\n").encode("utf-8"))
    assert [e.name for e in read_ftm(path)] == ["OCEAN STAR"]


def test_a_line_that_is_not_json_gives_line_and_column(tmp_path: Path) -> None:
    error = problem(write(tmp_path, PERSON, '{"id": "x", "schema": "Person",, }'))
    assert where(error) == ("entities.ftm.json", 2, 32, None)
    assert "not JSON" in error.message


def test_a_broken_sanction_stops_the_first_pass(tmp_path: Path) -> None:
    error = problem(write(tmp_path, PERSON, COMPANY, json.dumps(SANCTION)[:-5]))
    assert (error.line, error.column is not None) == (3, True)


def test_an_unknown_schema(tmp_path: Path) -> None:
    error = problem(write(tmp_path, PERSON, {**VESSEL, "schema": "Spaceship"}))
    assert where(error) == ("entities.ftm.json", 2, None, "schema")
    assert "'Spaceship'" in error.message


def test_an_entity_without_a_schema(tmp_path: Path) -> None:
    error = problem(write(tmp_path, {"id": "x", "properties": {"name": ["X"]}}))
    assert where(error) == ("entities.ftm.json", 1, None, "schema")


@pytest.mark.parametrize("entity_id", [None, "", "  "])
def test_an_entity_without_an_id(tmp_path: Path, entity_id: str | None) -> None:
    entity = {**COMPANY, "id": entity_id}
    error = problem(write(tmp_path, PERSON, entity))
    assert where(error) == ("entities.ftm.json", 2, None, "id")


def test_an_entity_without_a_name(tmp_path: Path) -> None:
    entity = {"id": "nameless", "schema": "Company", "properties": {"name": [" "]}}
    error = problem(write(tmp_path, PERSON, entity))
    assert where(error) == ("entities.ftm.json", 2, None, "name")
    assert "'nameless'" in error.message


def test_an_id_twice(tmp_path: Path) -> None:
    error = problem(write(tmp_path, PERSON, VESSEL, PERSON))
    assert where(error) == ("entities.ftm.json", 3, None, "id")
    assert "first on line 1" in error.message


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("[1, 2]", None),
        ('{"id": "x", "schema": "Person", "properties": []}', "properties"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "X"}}', "name"),
        ('{"id": "x", "schema": "Person", "properties": {"name": [7]}}', "name"),
    ],
)
def test_json_that_is_no_entity(tmp_path: Path, line: str, field: str | None) -> None:
    error = problem(write(tmp_path, line))
    assert where(error) == ("entities.ftm.json", 1, None, field)


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(VESSEL).encode() + b'\n{"name": "M\xfcller"}\n')
    error = problem(path)
    assert (error.line, "UTF-8" in error.message) == (2, True)


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"\n")
    assert where(problem(path)) == ("empty.json", 1, None, None)
