"""`precx names compare`, run as a compliance officer would: one pair, or a file of pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from precx.screening.matching.compare import OPERATING_THRESHOLD
from precx.screening.names_cli import names_app

runner = CliRunner()


def _ok(args: list[str]) -> str:
    result = runner.invoke(names_app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _refused(args: list[str]) -> str:
    result = runner.invoke(names_app, args)
    assert result.exit_code == 2, result.output
    return " ".join(result.stderr.split())


def _pairs(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_names_are_scored_with_the_reasons() -> None:
    out = _ok(["compare", "ООО «Ромашка»", "Romashka LLC", "--type", "company"])
    assert "score 1.00" in out and "MATCH" in out
    assert "names agree: 'ромашка' ~ 'romashka' (transliteration)" in out
    assert "legal forms agree: llc / llc (limited liability)" in out


def test_a_decoy_is_no_match() -> None:
    out = _ok(["compare", "Ivan Petrov", "Ivan Petrenko", "--type", "person"])
    assert "NO MATCH" in out and "surnames differ: 'petrov' ≠ 'petrenko'" in out


def test_json_answers_one_object_with_the_threshold() -> None:
    args = ["compare", "Petrov Ivan", "Ivan Petrov", "--type", "person", "--json"]
    answer = json.loads(_ok(args))
    assert answer == {
        "name1": "Petrov Ivan",
        "name2": "Ivan Petrov",
        "type": "person",
        "score": 1.0,
        "match": True,
        "threshold": OPERATING_THRESHOLD,
        "explanation": ["same words: 'petrov', 'ivan'"],
    }


def test_the_type_defaults_to_other_and_must_be_known() -> None:
    assert json.loads(_ok(["compare", "Almaty Chem TOO", "Almaty Chem LLP", "--json"]))["match"]
    result = runner.invoke(names_app, ["compare", "a", "b", "--type", "ship"])
    assert result.exit_code == 2


def test_a_file_of_pairs_answers_one_object_per_row_with_its_line(tmp_path: Path) -> None:
    path = _pairs(
        tmp_path,
        "name1,name2,schema\n"
        "TOO Almaty Chem,Almaty Chem LLP,Company\n"
        "\n"
        "Ivan Petrov,Ivan Petrenko,Person\n"
        "MV Hellenic Spirit,Hellenic Spirit,Vessel\n",
    )
    rows = json.loads(_ok(["compare", "--file", str(path), "--json"]))
    assert [(r["line"], r["schema"], r["match"]) for r in rows] == [
        (2, "Company", True),
        (4, "Person", False),
        (5, "Vessel", True),
    ]
    assert set(rows[0]) == {"line", "name1", "name2", "schema", "score", "match"}
    assert rows[1]["score"] == 0.5


def test_a_file_of_pairs_reads_for_humans_too(tmp_path: Path) -> None:
    path = _pairs(tmp_path, "schema,name1,name2\nPerson,Petrov Ivan,Ivan Petrov\n")
    out = _ok(["compare", "--file", str(path)])
    assert "2: Petrov Ivan ~ Ivan Petrov (Person): 1.00 match" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name1,name2\nA,B\n", "pairs.csv:1 (schema): no column 'schema' (columns: name1, name2)"),
        (
            "name1,name2,schema\nA,B,Persn\n",
            "pairs.csv:2:3 (schema): unknown schema 'Persn' (one of Person, Company, "
            "Organization, LegalEntity, Vessel)",
        ),
        ("name1,name2,schema\nA,B,Person\nC,D\n", "pairs.csv:3:3 (schema): missing value"),
        ("", "pairs.csv:1 (name1): no column 'name1' (columns: none)"),
    ],
)
def test_a_bad_file_is_refused_naming_file_line_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    assert message in _refused(["compare", "--file", str(_pairs(tmp_path, text))])


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    assert f"{missing}: cannot be read" in _refused(["compare", "--file", str(missing)])


def test_names_and_a_file_together_or_one_name_alone_are_refused(tmp_path: Path) -> None:
    path = _pairs(tmp_path, "name1,name2,schema\nA,B,Person\n")
    assert "not both" in _refused(["compare", "A", "B", "--file", str(path)])
    assert "give two names" in _refused(["compare", "A"])
