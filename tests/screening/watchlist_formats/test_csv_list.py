"""Our watchlist CSV: entities streamed from the file, every problem placed by line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats import read_watchlist
from precx.screening.watchlist_formats.csv_list import read_csv_list
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

HEADER = "entity_id,name,aliases,entity_type,country,address,identifiers,reason\n"


def write(tmp_path: Path, text: str | bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problem(path: Path) -> WatchlistFileError:
    with pytest.raises(WatchlistFileError) as caught:
        list(read_csv_list(path))
    return caught.value


def where(error: WatchlistFileError) -> tuple[str, int, int | None, str | None]:
    return error.file, error.line, error.column, error.field


def test_a_list_reads_as_entities_with_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "R1,Romashka Trading LLC,ООО «Ромашка»; Romashka Treyding,,ru,"
        '"ul. Lesnaya 5, Moscow",OGRN:1027700132195; INN:7701234567,supplier\n'
        "\n"
        'P1,"PETROV, Ivan",Иван Петров,person,,,,\n'
        "V1,OCEAN STAR,,vessel,PA,,IMO:9187629,\n",
    )
    first, petrov, vessel = read_watchlist(path, "csv")
    assert first == ListedEntity(
        entity_id="R1",
        name="Romashka Trading LLC",
        entity_type=EntityType.company,
        aliases=("ООО «Ромашка»", "Romashka Treyding"),
        country="RU",
        addresses=("ul. Lesnaya 5, Moscow",),
        identifiers=(("OGRN", "1027700132195"), ("INN", "7701234567")),
        reason="supplier",
        source_line=2,
    )
    assert (petrov.name, petrov.entity_type, petrov.source_line) == (
        "PETROV, Ivan",
        EntityType.person,
        4,
    )
    assert (petrov.country, petrov.addresses, petrov.identifiers, petrov.reason) == (
        None,
        (),
        (),
        None,
    )
    assert vessel.entity_type is EntityType.vessel and vessel.identifiers == (("IMO", "9187629"),)


def test_only_the_required_columns_in_any_order_and_case(tmp_path: Path) -> None:
    [entity] = read_csv_list(write(tmp_path, "Name,ENTITY_ID\nAcme GmbH,A1\n"))
    assert (entity.entity_id, entity.name, entity.entity_type) == ("A1", "Acme GmbH", "company")


def test_excel_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    text = "\ufeffentity_id;name;aliases;country\r\nA1;Acme, Inc.;Acme;de\r\n"
    [entity] = read_csv_list(write(tmp_path, text.encode("utf-8")))
    assert (entity.name, entity.aliases, entity.country) == ("Acme, Inc.", ("Acme",), "DE")


def test_a_quoted_line_break_keeps_the_line_numbers_right(tmp_path: Path) -> None:
    path = write(tmp_path, 'entity_id,name,address\nA1,Acme,"Street 1\nBerlin"\nA2,Beta,\nA3,,\n')
    error = problem(path)
    assert where(error) == ("list.csv", 5, 2, "name")


def test_the_file_is_streamed_not_read_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "entity_id,name\nA1,Acme\nA2,Beta\nA3,\n")
    entities = read_csv_list(path)
    assert next(entities).entity_id == "A1"  # the bad line 4 is not reached yet
    assert next(entities).entity_id == "A2"
    with pytest.raises(WatchlistFileError):
        next(entities)


def test_bytes_that_are_not_utf8_are_placed_on_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"entity_id,name\nA1,Acme\nA2,M\xfcller GmbH\n")
    error = problem(path)
    assert (error.file, error.line) == ("list.csv", 3)
    assert "UTF-8" in error.message and "0xfc" in error.message


def test_a_missing_required_column_is_named_on_line_1(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,aliases\nA1,Acme\n"))
    assert where(error) == ("list.csv", 1, None, "name")
    assert "required column 'name'" in error.message


def test_an_unknown_column_is_named_with_the_allowed_ones(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,name,programme\nA1,Acme,SDNTK\n"))
    assert where(error) == ("list.csv", 1, 3, "programme")
    assert "'programme'" in error.message and "identifiers" in error.message


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,name,Name\nA1,Acme,Acme\n"))
    assert where(error) == ("list.csv", 1, 3, "name")


@pytest.mark.parametrize(
    ("row", "column", "field"),
    [(",Acme", 1, "entity_id"), ("A1,  ", 2, "name")],
)
def test_an_empty_required_value(tmp_path: Path, row: str, column: int, field: str) -> None:
    error = problem(write(tmp_path, f"entity_id,name\nA0,Zero\n{row}\n"))
    assert where(error) == ("list.csv", 3, column, field)
    assert f"{field} is required" in error.message


def test_an_unknown_entity_type_lists_the_allowed_ones(tmp_path: Path) -> None:
    error = problem(write(tmp_path, HEADER + "A1,Acme,,spaceship,DE,,,\n"))
    assert where(error) == ("list.csv", 2, 4, "entity_type")
    assert "'spaceship'" in error.message
    assert "company, person, vessel, other" in error.message


@pytest.mark.parametrize("country", ["ZZ", "Germany", "DEU", "D"])
def test_a_country_that_is_no_iso_code(tmp_path: Path, country: str) -> None:
    error = problem(write(tmp_path, HEADER + f"A1,Acme,,company,{country},,,\n"))
    assert where(error) == ("list.csv", 2, 5, "country")
    assert repr(country) in error.message


@pytest.mark.parametrize("identifiers", ["DE123456789", "VAT:DE1;12345", ":123", "VAT: "])
def test_an_identifier_without_its_scheme(tmp_path: Path, identifiers: str) -> None:
    error = problem(write(tmp_path, HEADER + f"A1,Acme,,company,DE,,{identifiers},\n"))
    assert where(error) == ("list.csv", 2, 7, "identifiers")
    assert "SCHEME:value" in error.message


def test_a_duplicate_entity_id_names_the_earlier_line(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,name\nA1,Acme\nB1,Beta\nA1,Acme again\n"))
    assert where(error) == ("list.csv", 4, 1, "entity_id")
    assert "first on line 2" in error.message


def test_a_row_with_too_few_fields(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,name,country,reason\nA1,Acme,DE,x\nA2,Beta\n"))
    assert where(error) == ("list.csv", 3, 3, "country")
    assert "2 fields" in error.message and "4" in error.message


def test_a_row_with_too_many_fields(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "entity_id,name\nA1,Acme,DE\n"))
    assert where(error) == ("list.csv", 2, 3, None)
    assert "3 fields" in error.message


def test_an_unclosed_quote_names_the_line_and_field_where_it_opens(tmp_path: Path) -> None:
    error = problem(write(tmp_path, 'entity_id,name,reason\nA1,Acme,x\nA2,"Beta,y\nA3,C,z\n'))
    assert where(error) == ("list.csv", 3, 2, None)
    assert "never closes" in error.message


def test_an_unnamed_column_must_stay_empty(tmp_path: Path) -> None:
    ok = write(tmp_path, "entity_id,name,,\nA1,Acme,,\n", "ok.csv")
    assert [e.entity_id for e in read_csv_list(ok)] == ["A1"]
    error = problem(write(tmp_path, "entity_id,name,\nA1,Acme,\nA2,Beta,stray\n"))
    assert where(error) == ("list.csv", 3, 3, None)


@pytest.mark.parametrize("text", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file(tmp_path: Path, text: bytes) -> None:
    error = problem(write(tmp_path, text))
    assert where(error) == ("list.csv", 1, None, None)
    assert "empty" in error.message and "entity_id" in error.message


def test_values_longer_than_the_database_keeps_are_refused(tmp_path: Path) -> None:
    error = problem(write(tmp_path, f"entity_id,name\n{'X' * 201},Acme\n"))
    assert where(error) == ("list.csv", 2, 1, "entity_id")


def test_a_missing_file(tmp_path: Path) -> None:
    error = problem(tmp_path / "nowhere.csv")
    assert (error.file, error.line) == ("nowhere.csv", 0)


def test_an_unknown_format_names_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="csv, ofac-sdn, ftm"):
        read_watchlist(tmp_path / "list.xml", "xml")
