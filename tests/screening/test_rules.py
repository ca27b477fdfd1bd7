"""The red-flag rules are data: the shipped file is valid and a broken one says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from precx.catalog.loader import CatalogFileError
from precx.screening.rules import KNOWN_CODES, RULES_FILE, TITLES, read_rules, shipped_rules


def test_the_shipped_rules_define_every_check_with_its_guideline() -> None:
    rules = shipped_rules()
    assert set(rules.rules) == KNOWN_CODES
    assert rules.version
    assert all(r.guideline and r.description for r in rules.rules.values())


def test_every_rule_title_is_marked_for_translation() -> None:
    """Pages show a rule by its title in their language: the catalog extracts rules.TITLES."""
    assert {r.title for r in shipped_rules().rules.values()} == set(TITLES)


def _broken(tmp_path: Path, old: str, new: str) -> CatalogFileError:
    text = RULES_FILE.read_text("utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(CatalogFileError) as caught:
        read_rules(path)
    return caught.value


def test_a_bad_severity_names_its_line_and_column(tmp_path: Path) -> None:
    error = _broken(tmp_path, "severity: low", "severity: tiny")
    lines = (tmp_path / "rules.yaml").read_text("utf-8").splitlines()
    assert "severity: tiny" in lines[error.line - 1]
    assert error.column == lines[error.line - 1].index("tiny") + 1


def test_an_unknown_rule_code_is_refused(tmp_path: Path) -> None:
    error = _broken(tmp_path, "code: NEW_CUSTOMER", "code: NEW_CUSTOMR")
    assert "NEW_CUSTOMR" in error.reason


def test_broken_yaml_is_refused_with_its_place(tmp_path: Path) -> None:
    error = _broken(tmp_path, "rules:\n", "rules: [\n")
    assert error.line > 0 and "YAML" in error.reason
