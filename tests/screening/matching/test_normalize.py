"""Folding names word by word gives exactly what transliterating the whole name gives."""

from __future__ import annotations

import re

import pytest
from rigour.text import ascii_text

from precx.screening.matching.normalize import fold, letter_by_letter, to_ascii


def _fold_whole(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_text(text).lower()).split())


@pytest.mark.parametrize(
    "name",
    [
        "Иванов Пётр Сергеевич",
        "ООО «Химпром-Юг»",
        "Παπαδόπουλος Γεώργιος",
        "Müller & Söhne GmbH",
        "Şahin Kimya A.Ş.",
        "Ёлкин Евгений",  # a word beginning with a vowel that transliterates with a Y
        "Արամ Պետրոսյան",
        "ნინო ბერიძე",
        "김 민준",
        "Иванов 李明",  # a script rigour leaves to normality: the whole name goes there
        "Smith\u00a0John\tLtd",
        "ACME Trading LLC",
    ],
)
def test_word_by_word_folding_equals_folding_the_whole_name(name: str) -> None:
    assert fold(name) == _fold_whole(name)


def test_ascii_text_is_returned_untouched() -> None:
    assert to_ascii("Acme  Trading, LLC") == "Acme  Trading, LLC"


def test_a_name_with_a_word_in_another_script_is_transliterated_whole() -> None:
    assert to_ascii("Иванов 李明") == ascii_text("Иванов 李明")


def test_a_greek_word_letter_by_letter_is_as_greek_passports_write_it() -> None:
    assert fold(letter_by_letter("Μπακογιάννης")) == "mpakogiannis"
    assert fold(letter_by_letter("Ντόρα")) == "ntora"
    assert letter_by_letter("Müller") == "Müller"  # other scripts pass through
