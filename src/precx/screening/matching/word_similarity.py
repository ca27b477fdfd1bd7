"""How alike two words of names are, and in what way: spelling, sound, script, initial."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import OSA

from precx.screening.matching.name_parts import Role, Word


class Kind(StrEnum):
    """Why two words count as alike, or not; the wording of the explanations."""

    same = "same"
    case = "case"
    diacritics = "diacritics"
    transliteration = "transliteration"
    variant = "name variant"
    nickname = "nickname"
    sound = "sounds alike"
    typo = "one letter differs"
    spelling = "two letters differ"
    letters = "a few letters differ"
    initial = "initial"
    truncated = "cut short"
    acronym = "acronym"
    joined = "written together"
    gender = "other gender"
    number = "numbers differ"
    different = "different"


# Similarities by kind: the evidence a human would give the pair of words.
TRANSLITERATION = 0.95
VARIANT = 0.95
NICKNAME = 0.85
SOUND = 0.85
ONE_EDIT = 0.9
TWO_EDITS = 0.8
INITIAL = 0.85
TRUNCATED = 0.9
ACRONYM = 0.9
GENDER = 0.5
NUMBER_DIFFERS = 0.8
# Arabic script against Latin letters with the same consonants: the vowels Arabic leaves
# unwritten may differ (كريم is Karim; Karam is كرم, with the same consonants but for the long i).
CONSONANTS = 0.85


@dataclass(frozen=True)
class Likeness:
    """A similarity from 0 to 1 and its kind."""

    score: float
    kind: Kind


# Spellings that transliteration systems (BGN, German, Polish, French, ICAO) use for one sound,
# mapped to one skeleton: Jaroslawa = Yaroslava, Petroff = Petrov, Saporischschja = Zaporizhzhia.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ye", "e"),  # before ae: Khuzhayev is Khuzhaev
        (r"ae", "a"),
        (r"oe", "o"),
        (r"ue", "u"),
        (r"shch|tsch|sch|tch|dzh|sh|ch|dj|zh|s|z", "S"),
        (r"kh|ck|q|k", "K"),
        (r"ts|tz|cz|c", "C"),
        (r"ph|ff$|w|v|f", "V"),
        (r"x", "KS"),
        (r"j", "y"),
        (r"ye", "e"),  # е written ye or e (Yevgenyevna, Evgenevna), ье ye or e
        (r"ou|oo|u", "U"),
        (r"ee|ie|ei|ey|iy|yi|ii|y|i", "I"),
        (r"h", ""),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=50_000)
def skeleton(key: str) -> str:
    """The word with the spellings of transliteration systems made one."""
    for pattern, replacement in _SKELETON_RULES:
        key = pattern.sub(replacement, key)
    return key


# Kazakhstan's Latin alphabet (2021) and Uzbekistan's write ж as j and қ as q; Kazakh writes х
# as h and Uzbek as x: Jaqsylyqov is Zhaksylykov, Mūhametjanov is Mukhametzhanov, Xolmatov is
# Kholmatov. rigour writes х as h too (Технохим is Tekhnohim to it, Tekhnokhim in a passport).
# Not in the skeleton itself, where j is y (German and Polish Jaroslawa), x is ks (Alexandra)
# and h is silent: tried besides it, on words long enough not to meet others by chance (Jan and
# San would), and only against the passport spelling of the same letter (a j against a zh, an x
# or an h against a kh).
_TURKIC_LATIN = (("j", "zh"), ("q", "k"), ("x", "kh"))
_TURKIC_H = re.compile(r"(?<![sczkgtp])h")
_TURKIC_FROM = 5


def turkic_skeleton(key: str) -> str:
    """The skeleton of the word read as Kazakh or Uzbek Latin (j for ж, q for қ, h or x for х)."""
    for letter, sound in _TURKIC_LATIN:
        key = key.replace(letter, sound)
    return skeleton(_TURKIC_H.sub("kh", key))


def _same_turkic_skeleton(short: str, long: str) -> bool:
    """Whether one word is the other in Kazakh or Uzbek Latin. A j must meet a zh, and an x or
    an h a kh, in the other word: the skeleton makes z and zh one, and Jasinski is not Zasinski."""
    if len(short) < _TURKIC_FROM:
        return False
    for turkic, other in ((short, long), (long, short)):
        h = _TURKIC_H.search(turkic) is not None
        written = h or any(letter in turkic for letter in "jqx")
        if ("j" in turkic and "zh" not in other) or ((h or "x" in turkic) and "kh" not in other):
            written = False
        if written and turkic_skeleton(turkic) == skeleton(other):
            return True
    return False


_DOUBLED = re.compile(r"(.)\1+")
# Kinds of likeness that, between two scripts, are the transliteration systems' doing.
_SPELLING_KINDS = frozenset({Kind.typo, Kind.spelling, Kind.letters, Kind.sound, Kind.diacritics})
# Endings that make a woman's name of a man's: Aleksandr/Aleksandra, Petrov/Petrova,
# Željko/Željka, François/Françoise, Viktor/Viktoriia.
_FEMININE_ENDINGS = (("", "a"), ("", "ia"), ("", "iia"), ("o", "a"), ("s", "se"))


def is_feminine_form(a: str, b: str) -> bool:
    """Whether one of two words is the other with a feminine ending."""
    if abs(len(a) - len(b)) > 3 or a[:3] != b[:3]:
        return False
    for short, long in ((a, b), (b, a)):
        for masculine, feminine in _FEMININE_ENDINGS:
            stem = short[: len(short) - len(masculine)]
            if len(stem) >= 3 and short.endswith(masculine) and long == stem + feminine:
                return True
    return False


def _kind_of_equal(a: Word, b: Word) -> Kind:
    if a.text == b.text:
        return Kind.same
    if a.latin_script != b.latin_script or a.dense or b.dense:
        return Kind.transliteration
    if a.text.casefold() == b.text.casefold():
        return Kind.case
    return Kind.diacritics


# Arabic script leaves short vowels unwritten (كريم is krym to rigour, Kareem or Karim in Latin
# letters) and writes the article joined (الرشيد, al-Rasheed): such a word and a Latin one are
# compared on their consonants, the article and the long vowels (y, w) left out, from this many
# consonants (fewer meet by chance).
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_ARTICLE = re.compile(r"^(?:al|el)(?=.{3})")
_NOT_CONSONANT = re.compile(r"[aeiou]|(?<=.)[yw]")
_CONSONANTS_FROM = 3


def consonants(key: str) -> str:
    """The consonants of a word as Arabic script writes them: no article, no vowels, no long
    vowels after the first letter, no doubled letters (Muhammad is mhmd, al-Rasheed rshd)."""
    return _DOUBLED.sub(r"\1", _NOT_CONSONANT.sub("", _ARTICLE.sub("", key)))


def _same_consonants(a: Word, b: Word) -> bool:
    """Whether a word in Arabic script and one in Latin letters have the same consonants."""
    arabic, latin = (a, b) if _ARABIC.search(a.native) else (b, a)
    if not _ARABIC.search(arabic.native) or not latin.latin_script:
        return False
    written = consonants(arabic.key)
    return len(written) >= _CONSONANTS_FROM and written == consonants(latin.key)


def word_likeness(a: Word, b: Word, persons: bool) -> Likeness:
    """How alike two words are, by spelling, sound and form; in two scripts, by the closer of
    the transliterations, and then the likeness is one of transliteration. Latin words with a
    second form (Uzbek oʻ read as u) are compared by the closer of their forms too."""
    found = _likeness(a, b, a.key, b.key, persons)
    if found.score >= 1.0:
        return found
    second_forms = a.alt_key != a.key or b.alt_key != b.key
    if a.latin_script == b.latin_script and not (a.latin_script and second_forms):
        return found
    # Between two scripts, or by a second form, a difference is the transliteration's doing.
    transliterated = a.latin_script != b.latin_script
    for left, right in ((a.alt_key, b.key), (a.key, b.alt_key), (a.alt_key, b.alt_key)):
        if (left, right) != (a.key, b.key):
            other = _likeness(a, b, left, right, persons)
            if other.score > found.score:
                found, transliterated = other, True
    if found.score < CONSONANTS and _same_consonants(a, b):
        return Likeness(CONSONANTS, Kind.transliteration)
    if transliterated and found.kind in _SPELLING_KINDS:
        return Likeness(found.score, Kind.transliteration)
    return found


def _undoubled(key: str) -> str:
    return _DOUBLED.sub(r"\1", key)


def _likeness(a: Word, b: Word, a_key: str, b_key: str, persons: bool) -> Likeness:
    if a.dense and b.dense:
        # A character of Han, Kana or Hangul is a syllable: one of them changed is another name.
        if a.native == b.native:
            return Likeness(1.0, _kind_of_equal(a, b))
        return Likeness(0.0, Kind.different)
    if a_key == b_key:
        return Likeness(1.0, _kind_of_equal(a, b))
    if a.number is not None and b.number is not None:
        if a.number == b.number:
            return Likeness(1.0, Kind.same)
        return Likeness(NUMBER_DIFFERS, Kind.number)
    if a.number is not None or b.number is not None:
        return Likeness(0.0, Kind.different)
    if a.initialism or b.initialism:
        # Each letter of N.A.B.C. is a word of its own: no letter of it can be a slip.
        return Likeness(0.0, Kind.different)
    short, long = (a_key, b_key) if len(a_key) <= len(b_key) else (b_key, a_key)
    if a.role is Role.initial or b.role is Role.initial or len(short) == 1:
        # One letter, in Latin letters one or several (Greek χ is ch, Cyrillic Ж zh).
        initial = a if len(a_key) <= len(b_key) else b
        if long.startswith(short) and (len(short) == 1 or len(initial.text) == 1):
            return Likeness(INITIAL, Kind.initial)
        return Likeness(0.0, Kind.different)
    if persons and is_feminine_form(a_key, b_key):
        return Likeness(GENDER, Kind.gender)
    edits = OSA.distance(a_key, b_key)
    score = 1.0 - edits / len(long)
    kind = Kind.different
    # One slip in a word of three letters or more, two in one of four or more, is a misspelling;
    # more, in a long word, is one when most of the word is left.
    if edits == 1 and len(short) >= 3:
        score, kind = max(score, ONE_EDIT), Kind.typo
    elif edits == 2 and len(short) >= 4:
        score, kind = max(score, TWO_EDITS), Kind.spelling
    elif score >= TWO_EDITS:
        kind = Kind.letters
    if edits == 1 and _undoubled(a_key) == _undoubled(b_key):
        return Likeness(ONE_EDIT, Kind.typo)  # a doubled letter, not another spelling system
    if score < TRANSLITERATION and (
        skeleton(a_key) == skeleton(b_key) or _same_turkic_skeleton(short, long)
    ):
        return Likeness(TRANSLITERATION, Kind.transliteration)
    if 0.5 <= score < SOUND and len(short) >= 4 and a.metaphone == b.metaphone != "":
        return Likeness(SOUND, Kind.sound)
    return Likeness(score, kind)
