"""Chinese characters read in the romanisations lists use."""

from __future__ import annotations

from precx.screening.matching.chinese import reads_as, wade_giles


def test_characters_read_in_pinyin_and_in_wade_giles() -> None:
    assert reads_as("叶建国", "yejianguo")  # pinyin
    assert reads_as("叶建国", "yehchienkuo")  # Wade-Giles, apostrophes and hyphens dropped
    assert reads_as("袁雪梅", "yuanhsuehmei")  # Wade-Giles ü written u
    assert reads_as("习近平", "hsichinping")


def test_the_family_name_may_come_last() -> None:
    assert reads_as("毛泽东", "tsetungmao")


def test_other_letters_or_other_scripts_do_not_read_as_the_characters() -> None:
    assert not reads_as("叶建国", "yehchienming")
    assert not reads_as("叶建国", "yehchien")  # a character left unread
    assert not reads_as("김민준", "kimminjun")  # Hangul is not read here
    assert not reads_as("", "")


def test_a_name_in_characters_is_looked_up_in_wade_giles_too() -> None:
    assert wade_giles("叶建国") == "yeh chien kuo"
    assert wade_giles("袁 雪梅") == "yuan hsueh mei"
    assert wade_giles("Ye Jianguo") is None
