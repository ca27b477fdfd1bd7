"""Chinese names against the Latin letters lists write them in: Hanyu Pinyin and Wade-Giles.

rigour reads Chinese characters in pinyin (叶建国 is Ye Jianguo). Older lists, Taiwan and many
company registers write the same name in Wade-Giles (Yeh Chien-kuo), usually without its
apostrophes and umlauts. pypinyin knows both readings of every character, and the several
readings of a character with more than one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The CJK Unified Ideographs with extension A, and the compatibility ideographs.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _as_listed(reading: str) -> str:
    """A pypinyin reading as Latin lists write it: no apostrophes, ü (pypinyin's v) as u."""
    return reading.replace("'", "").replace("v", "u")


@lru_cache(maxsize=10_000)
def _readings(han: str) -> tuple[frozenset[str], ...]:
    """Each character's readings in pinyin and Wade-Giles as Latin lists write them: no tones,
    no apostrophes, ü as u."""
    # Imported here: its tables take 0.2 s and 57 MB, for processes that meet a Chinese name.
    from pypinyin import Style, pinyin

    readings = []
    for character in han:
        found = {
            _as_listed(reading)
            for style in (Style.NORMAL, Style.WADEGILES)
            for reading in pinyin(character, style=style, heteronym=True)[0]
        }
        readings.append(frozenset(found))
    return tuple(readings)


def wade_giles(name: str) -> str | None:
    """A name written in Chinese characters read in Wade-Giles, a syllable a word ("yeh chien
    kuo"), to look it up among names listed that way; None for a name in other letters."""
    characters = "".join(name.split())
    if not _HAN.fullmatch(characters):
        return None
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(characters, style=Style.WADEGILES)
    return " ".join(_as_listed(s) for s in syllables)


def _spelt(readings: tuple[frozenset[str], ...], latin: str) -> bool:
    """Whether `latin` is one reading of each character after the other."""
    positions = {0}
    for options in readings:
        positions = {p + len(r) for p in positions for r in options if latin.startswith(r, p)}
        if not positions:
            return False
    return len(latin) in positions


def reads_as(han: str, latin: str) -> bool:
    """Whether Latin letters (lower case, run together) read the Chinese characters in pinyin or
    Wade-Giles, the family name first as in Chinese, or last as Western documents put it."""
    if not latin or not _HAN.fullmatch(han):
        return False
    readings = _readings(han)
    if _spelt(readings, latin):
        return True
    # Given name first: the family name is (nearly always) the first character.
    return len(readings) > 1 and _spelt(readings[1:] + readings[:1], latin)
