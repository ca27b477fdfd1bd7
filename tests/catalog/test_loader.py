"""Bad catalog files are refused whole, naming file, line, column and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.catalog import loader
from precx.catalog import service as catalog_service
from precx.catalog.loader import CatalogFileError
from precx.catalog.models import Substance
from precx.catalog.schemas import cas_check_digit_ok

GOOD = """\
- id: acetone
  name: Acetone
  cas: ["67-64-1"]
  hs_code: "291411"
  un_table: "II"
  eu_category: "3"
  sources: ["1988 UN Convention, Table II"]
  names: {de: Aceton, fr: Acétone, es: Acetona, ru: Ацетон}
- id: ephedrine
  name: Ephedrine
  cas: ["299-42-3"]
  un_table: "I"
  eu_category: "1"
  sources: ["1988 UN Convention, Table I"]
- id: ephedrine-hydrochloride
  name: Ephedrine hydrochloride
  cas: ["50-98-6"]
  parent: ephedrine
  un_table: "I"
  eu_category: "1"
  sources: ["1988 UN Convention, Table I (salts)"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "substances.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> CatalogFileError:
    with pytest.raises(CatalogFileError) as caught:
        loader.read_substances(_write(tmp_path, text))
    return caught.value


def test_a_good_file_reads(tmp_path: Path) -> None:
    records = loader.read_substances(_write(tmp_path, GOOD))
    assert [r.id for r in records] == ["acetone", "ephedrine", "ephedrine-hydrochloride"]


@pytest.mark.parametrize(
    ("cas", "ok"),
    [
        ("108-24-7", True),
        ("67-64-1", True),
        ("7732-18-5", True),
        ("108-24-8", False),
        ("67-64-2", False),
    ],
)
def test_cas_check_digits(cas: str, ok: bool) -> None:
    assert cas_check_digit_ok(cas) is ok


def test_a_wrong_cas_check_digit_names_the_line(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("299-42-3", "299-42-4"))
    assert (error.line, error.column) == (11, 8)
    assert "299-42-4" in error.reason and "check digit" in error.reason
    assert error.detail.startswith("substances.yaml:11:8:")


def test_an_unknown_category_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace('eu_category: "3"', 'eu_category: "5"'))
    assert error.line == 6 and "eu_category" in error.reason


def test_a_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("id: ephedrine-hydrochloride", "id: ephedrine"))
    assert error.line == 15 and "duplicate id 'ephedrine' (first on line 9)" in error.reason


def test_a_duplicate_cas_number_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("50-98-6", "299-42-3"))
    assert "already given to 'ephedrine'" in error.reason


def test_a_dangling_parent_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("parent: ephedrine", "parent: ephedrin"))
    assert error.line == 18 and "parent 'ephedrin'" in error.reason


def test_a_bad_hs_code_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace('"291411"', '"2914.11"'))
    assert error.line == 4 and "6 digits" in error.reason


def test_broken_yaml_names_the_place(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("name: Acetone", "name: [Acetone"))
    assert error.line >= 3 and "not valid YAML" in error.reason


def test_a_bad_file_changes_nothing_in_the_database(tmp_path: Path, session: Session) -> None:
    with session.begin():
        before = session.scalar(select(func.count()).select_from(Substance))
    with pytest.raises(CatalogFileError), session.begin():
        catalog_service.load_catalog(
            session, None, substances_path=_write(tmp_path, GOOD.replace("50-98-6", "50-98-7"))
        )
    with session.begin():
        assert session.scalar(select(func.count()).select_from(Substance)) == before


COUNTRIES = """\
osce_participating_states:
  - "DE"
  - "PL"
eu_members:
  - "DE"
  - NO
alt_names:
  "GB": [United Kingdom, UK]
"""


def test_a_country_code_yaml_reads_as_false_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "countries.yaml"
    path.write_text(COUNTRIES, encoding="utf-8")
    with pytest.raises(CatalogFileError) as caught:
        loader.read_country_extras(path)
    assert (caught.value.line, caught.value.column) == (6, 5)
    assert "eu_members: False is not an ISO 3166-1" in caught.value.reason


def test_alternative_names_that_are_not_a_list_are_refused_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "countries.yaml"
    path.write_text(
        COUNTRIES.replace("  - NO\n", "") + '  "FR": {name: France}\n', encoding="utf-8"
    )
    with pytest.raises(CatalogFileError) as caught:
        loader.read_country_extras(path)
    assert caught.value.line == 8
    assert caught.value.reason.startswith("alt_names.FR:")


def test_a_good_countries_file_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "countries.yaml"
    path.write_text(COUNTRIES.replace("  - NO\n", ""), encoding="utf-8")
    extras = loader.read_country_extras(path)
    assert extras["eu_members"] == ["DE"]
    assert extras["alt_names"]["GB"] == ["United Kingdom", "UK"]
