"""OFAC's SDN CSV set: the real 2019 list in full, and damaged copies of a few of its lines."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats import read_watchlist
from precx.screening.watchlist_formats.ofac_sdn import (
    identifiers_of,
    ofac_country,
    programs_of,
    read_ofac_sdn,
)
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError
from tests.fixtures.testdata import TESTDATA

OFAC = TESTDATA / "ofac-sdn-2019"
EOF = "\x1a"


@pytest.fixture(scope="module")
def sdn() -> dict[str, ListedEntity]:
    return {e.entity_id: e for e in read_watchlist(OFAC, "ofac-sdn")}


def real_lines(name: str, ent_nums: Iterable[str]) -> list[str]:
    """The lines of one real file that belong to the given ent_nums, as they are."""
    wanted = {f"{n}," for n in ent_nums}
    text = (OFAC / name).read_text("latin-1")
    return [line for line in text.splitlines() if any(line.startswith(w) for w in wanted)]


def sample(tmp_path: Path, **damaged: list[str] | bytes) -> Path:
    """sdn.csv, alt.csv and add.csv of three real entries, each file replaced if given."""
    ents = ("36", "173", "306")
    files: dict[str, list[str] | bytes] = {
        "sdn.csv": real_lines("sdn.csv", ents),
        "alt.csv": real_lines("alt.csv", ents),
        "add.csv": real_lines("add.csv", ents),
    }
    files.update({f"{k}.csv": v for k, v in damaged.items()})
    for name, content in files.items():
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_bytes(("\n".join(content) + "\n").encode("cp1252"))
    return tmp_path / "sdn.csv"


def problem(path: Path) -> WatchlistFileError:
    with pytest.raises(WatchlistFileError) as caught:
        list(read_ofac_sdn(path))
    return caught.value


def where(error: WatchlistFileError) -> tuple[str, int, int | None, str | None]:
    return error.file, error.line, error.column, error.field


# --- The real list --------------------------------------------------------------------------


def test_the_2019_list_reads_whole(sdn: dict[str, ListedEntity]) -> None:
    entities = list(sdn.values())
    assert len(entities) == 7379
    assert sum(len(e.aliases) for e in entities) == 9682
    assert sum(1 for e in entities if e.aliases) == 3196
    # Every entry has a row in add.csv, but 3,365 of them give only a country (or nothing).
    assert sum(1 for e in entities if e.addresses) == 4014
    assert sum(len(e.addresses) for e in entities) == 8111
    assert sum(1 for e in entities if e.country) == 4762
    assert sum(1 for e in entities if "SDNTK" in e.programs) == 1794
    assert sum(1 for e in entities if "SDNT" in e.programs) == 572
    kinds = [e.entity_type for e in entities]
    assert (kinds.count(EntityType.person), kinds.count(EntityType.company)) == (3845, 2994)
    assert (kinds.count(EntityType.vessel), kinds.count(EntityType.other)) == (323, 217)
    assert sum(1 for e in entities if e.identifiers) == 3745


def test_the_2019_list_reads_well_under_two_seconds() -> None:
    started = time.perf_counter()
    count = sum(1 for _ in read_ofac_sdn(OFAC / "sdn.csv"))
    assert count == 7379
    assert time.perf_counter() - started < 2.0


def test_an_entry_with_its_alias_address_and_programme(sdn: dict[str, ListedEntity]) -> None:
    assert sdn["36"] == ListedEntity(
        entity_id="36",
        name="AEROCARIBBEAN AIRLINES",
        entity_type=EntityType.company,
        aliases=("AERO-CARIBBEAN",),
        country="CU",
        addresses=("Havana, Cuba",),
        programs=("CUBA",),
        reason="CUBA",
        source_line=1,
    )


def test_a_person_keeps_last_first_and_gets_documents_from_remarks(
    sdn: dict[str, ListedEntity],
) -> None:
    person = sdn["26235"]
    assert (person.name, person.entity_type) == (
        "MALKEVICH, Alexander Aleksandrovich",
        EntityType.person,
    )
    assert person.identifiers == (("Passport", "717637093"), ("National ID", "781005202108"))
    assert person.programs == ("CYBER2",)
    assert person.reason is not None and person.reason.startswith("CYBER2; DOB 14 Jun 1975;")


def test_vessels_aircraft_and_their_numbers(sdn: dict[str, ListedEntity]) -> None:
    vessel = sdn["25379"]
    assert vessel.entity_type is EntityType.vessel and ("IMO", "9305219") in vessel.identifiers
    assert vessel.extra == {"vess_type": "Bulk Carrier", "vess_flag": "Iran"}
    aircraft = sdn["15431"]
    assert aircraft.entity_type is EntityType.other
    assert aircraft.identifiers == (("MSN", "1023409321"),)


def test_several_countries_give_none_and_weak_akas_are_kept_aside(
    sdn: dict[str, ListedEntity],
) -> None:
    bank = sdn["306"]
    assert bank.country is None and len(bank.addresses) > 3
    assert bank.aliases[0] == "NATIONAL BANK OF CUBA"
    assert bank.extra["weak_aliases"] == "BNC"


def test_reasons_are_cut_at_500_characters(sdn: dict[str, ListedEntity]) -> None:
    remarks = sdn["12300"].reason or ""
    assert 490 < len(remarks) <= 500 and remarks.endswith("…")
    assert all(len(e.reason or "") <= 500 for e in sdn.values())


def test_sdntk_entries_are_filterable(sdn: dict[str, ListedEntity]) -> None:
    kingpins = [e for e in sdn.values() if "SDNTK" in e.programs]
    assert {e.entity_type for e in kingpins} >= {EntityType.person, EntityType.company}


@pytest.mark.parametrize(
    ("cell", "programs"),
    [
        ("[SDNTK] [SDGT]", ("SDNTK", "SDGT")),
        ("SDGT] [SDT] [SYRIA", ("SDGT", "SDT", "SYRIA")),
        ("CUBA", ("CUBA",)),
        ("", ()),
    ],
)
def test_programmes_are_split(cell: str, programs: tuple[str, ...]) -> None:
    assert programs_of(cell) == programs


@pytest.mark.parametrize(
    ("remarks", "identifiers"),
    [
        ("DOB 1960; Passport A123456 (Colombia).", (("Passport", "A123456"),)),
        ("Cedula No. 16247821 (Colombia) issued 1990", (("Cedula", "16247821"),)),
        ("R.F.C. DIB-771110-HQ1 (Mexico); RFC SAEA740214", (("RFC", "DIB-771110-HQ1"),)),
        ("NIT # 800146749-7 (Colombia)", (("NIT", "800146749-7"),)),
        ("Vessel Registration Identification IMO 9187629", (("IMO", "9187629"),)),
        ("Registration ID 14063277", (("Registration", "14063277"),)),
        ("Tax ID No. 100036386 (Serbia)", (("Tax ID", "100036386"),)),
        ("D-U-N-S Number 53-400-4431", (("DUNS", "53-400-4431"),)),
        ("Matricula Mercantil No 181301-1 Cali (Colombia)", (("Registration", "181301-1"),)),
        ("alt. Passport No.: 0310857, Eritrea, Issue Date", (("Passport", "0310857"),)),
        ("DOB 10 Dec 1948; POB Cali, Colombia; Telephone 12345678", ()),
    ],
)
def test_identifiers_from_remarks(remarks: str, identifiers: tuple[tuple[str, str], ...]) -> None:
    found = identifiers_of(remarks)
    assert found[: len(identifiers)] == identifiers
    if not identifiers:
        assert found == ()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russia", "RU"),
        ("Korea, North", "KP"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Germany", "DE"),
        ("Turkey", "TR"),
        ("Kosovo", None),
        ("undetermined", None),
    ],
)
def test_ofac_country_names(name: str, code: str | None) -> None:
    assert ofac_country(name) == code


# --- Copies of a few real lines, damaged -------------------------------------------------------


def test_a_sample_reads_from_the_file_or_its_folder(tmp_path: Path) -> None:
    path = sample(tmp_path)
    assert [e.entity_id for e in read_ofac_sdn(path)] == ["36", "173", "306"]
    assert [e.entity_id for e in read_ofac_sdn(tmp_path)] == ["36", "173", "306"]


def test_the_files_beside_sdn_csv_are_optional(tmp_path: Path) -> None:
    path = sample(tmp_path)
    (tmp_path / "alt.csv").unlink()
    (tmp_path / "add.csv").unlink()
    first = next(read_ofac_sdn(path))
    assert (first.aliases, first.addresses, first.country) == ((), (), None)


def test_the_end_of_file_marker_ends_the_file(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173"])
    alt, add = real_lines("alt.csv", ["36", "173"]), real_lines("add.csv", ["36", "173"])
    path = sample(tmp_path, sdn=[*lines, EOF], alt=[*alt, EOF], add=add)
    assert len(list(read_ofac_sdn(path))) == 2
    error = problem(sample(tmp_path, sdn=[*lines, EOF, lines[0]], alt=alt, add=add))
    assert where(error) == ("sdn.csv", 4, None, None)
    assert "end-of-file marker of line 3" in error.message


def test_comments_continue_the_remarks_mid_word(tmp_path: Path) -> None:
    sdn = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Passport 12"'
    # The real sdn_comments.csv also holds entries the list of the day lacks: they are ignored.
    comments = ['36,"345678 (Cuba)."', '44718,"Passport 731969851 (Russia)."', EOF]
    (tmp_path / "sdn_comments.csv").write_text("\n".join(comments), encoding="ascii")
    [entity] = read_ofac_sdn(sample(tmp_path, sdn=[sdn], alt=[], add=[]))
    assert entity.identifiers == (("Passport", "12345678"),)
    assert entity.reason == "CUBA; Passport 12345678 (Cuba)."


def test_latin1_letters_are_read(tmp_path: Path) -> None:
    line = '36,"MÜLLER HANDELS GMBH",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    [entity] = read_ofac_sdn(sample(tmp_path, sdn=[line], alt=[], add=[]))
    assert entity.name == "MÜLLER HANDELS GMBH"


def test_a_missing_closing_quote(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[1] = lines[1].replace('"ANGLO-CARIBBEAN CO., LTD."', '"ANGLO-CARIBBEAN CO., LTD.')
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 2, 2, None)
    assert "closing quote" in error.message


def test_a_row_cut_inside_a_quoted_field(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[1] = lines[1][:20]  # '173,"ANGLO-CARIBBEAN'; the quote runs on into line 3
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 2, 2, None)
    assert "closing quote" in error.message and "line 3" in error.message


def test_a_quote_that_closes_on_a_later_line(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[0] = lines[0].replace('"CUBA"', '"CUBA')
    lines[1] = '",' + lines[1]
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 1, 4, None)
    assert "closes only on line 2" in error.message


def test_a_last_row_cut_inside_a_quoted_field(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[2] = lines[2][:-10]
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 3, 12, None)
    assert "never closes" in error.message


def test_a_row_cut_short(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[2] = lines[2][:40]  # '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA"'
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 3, 5, "Title")
    assert "4 columns, 12 expected" in error.message


def test_a_row_with_a_column_too_many(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[0] += ",-0- "
    error = problem(sample(tmp_path, sdn=lines))
    assert where(error) == ("sdn.csv", 1, 13, None)
    assert "13 columns" in error.message


def test_an_add_row_with_a_column_missing(tmp_path: Path) -> None:
    lines = real_lines("add.csv", ["36", "173", "306"])
    lines[1] = '173,129,"Ibex House, The Minories","London EC3N 1DY","United Kingdom"'
    error = problem(sample(tmp_path, add=lines))
    assert where(error) == ("add.csv", 2, 6, "add_remarks")


def test_utf16_is_refused_on_line_1(tmp_path: Path) -> None:
    text = "\n".join(real_lines("sdn.csv", ["36"])) + "\n"
    error = problem(sample(tmp_path, sdn=text.encode("utf-16")))
    assert (error.file, error.line) == ("sdn.csv", 1)
    assert "UTF-16" in error.message
    without_bom = problem(sample(tmp_path, sdn=text.encode("utf-16-le")))
    assert (without_bom.line, "UTF-16" in without_bom.message) == (1, True)


def test_an_undecodable_byte_is_placed_on_its_line(tmp_path: Path) -> None:
    lines = [line.encode("ascii") for line in real_lines("sdn.csv", ["36", "173", "306"])]
    lines[2] = lines[2].replace(b"BANCO", b"BAN\x81CO")
    error = problem(sample(tmp_path, sdn=b"\n".join(lines)))
    assert (error.file, error.line) == ("sdn.csv", 3)
    assert "0x81" in error.message


def test_an_alt_row_of_an_unknown_entry(tmp_path: Path) -> None:
    lines = real_lines("alt.csv", ["36", "173", "306"])
    lines.insert(2, '999,1,"aka","NOBODY",-0- ')
    error = problem(sample(tmp_path, alt=lines))
    assert where(error) == ("alt.csv", 3, 1, "ent_num")
    assert "ent_num 999 is not in sdn.csv" in error.message


def test_an_add_row_of_an_unknown_entry(tmp_path: Path) -> None:
    lines = [*real_lines("add.csv", ["36"]), '998,1,-0- ,"Minsk","Belarus",-0- ']
    error = problem(sample(tmp_path, add=lines))
    assert where(error) == ("add.csv", 2, 1, "ent_num")


@pytest.mark.parametrize("ent_num", ["3a6", "", "-36", "١٧٣"])
def test_an_ent_num_that_is_no_number(tmp_path: Path, ent_num: str) -> None:
    lines = real_lines("sdn.csv", ["36", "173", "306"])
    lines[1] = ent_num + lines[1].removeprefix("173")
    # Written as UTF-8, which a line that is valid UTF-8 is read as (Arabic-Indic digits here).
    error = problem(sample(tmp_path, sdn="\n".join(lines).encode("utf-8")))
    assert where(error) == ("sdn.csv", 2, 1, "ent_num")
    assert "not a number" in error.message


def test_an_alt_num_that_is_no_number(tmp_path: Path) -> None:
    lines = real_lines("alt.csv", ["36"])
    error = problem(sample(tmp_path, alt=[lines[0].replace(",12,", ",twelve,")]))
    assert where(error) == ("alt.csv", 1, 2, "alt_num")


def test_an_ent_num_twice(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36", "173"])
    error = problem(sample(tmp_path, sdn=[*lines, lines[0]]))
    assert where(error) == ("sdn.csv", 3, 1, "ent_num")
    assert "first on line 1" in error.message


def test_an_unknown_sdn_type_and_alt_type(tmp_path: Path) -> None:
    lines = real_lines("sdn.csv", ["36"])
    error = problem(sample(tmp_path, sdn=[lines[0].replace(",-0- ,", ',"spaceship",', 1)]))
    assert where(error) == ("sdn.csv", 1, 3, "SDN_Type")
    alt = real_lines("alt.csv", ["36"])
    error = problem(sample(tmp_path, alt=[alt[0].replace('"aka"', '"xyz"')]))
    assert where(error) == ("alt.csv", 1, 3, "alt_type")
    assert "aka, fka, nka" in error.message


def test_a_missing_sdn_csv(tmp_path: Path) -> None:
    error = problem(tmp_path)
    assert (error.file, error.line) == ("sdn.csv", 0)
