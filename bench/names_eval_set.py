"""A seeded, labelled set of name pairs from the precursor trade for benchmarking name matching."""

# How the set is built
# --------------------
# Every pair is made from one underlying identity (a person from a national name pool, or a
# company from a pool of chemical, pharma and trading firms). True pairs write that one identity
# in two ways that differ in exactly one respect, the category:
#
#   transliteration      Cyrillic, Greek, Arabic or Chinese script against a Latin rendering, or
#                        two Latin renderings by different systems (BGN, ICAO passports, German
#                        Duden, French, Czech; KMU 2010 for Ukrainian; Uzbek and Kazakh Latin;
#                        ELOT 743 and ISO 843 for Greek; pinyin and Wade-Giles).
#   legal_form           the legal form translated (OOO = LLC), re-spelt (Sp. z o.o. = spółka
#                        z ograniczoną odpowiedzialnością), renamed by a reform (ZAO -> AO) or
#                        dropped.
#   diacritics           marks stripped (Dvořák/Dvorak), German/ICAO umlaut spelling (Müller/
#                        Mueller), Serbian Đ as Dj, Romanian cedilla against comma (Ştefan/Ștefan).
#   word_order           given name first against surname first, with or without a comma.
#   typo                 one or two keyboard slips: a neighbouring key, a dropped, added, doubled,
#                        undoubled or swapped letter; never the first or the last letter of a word
#                        (a last letter is where Petrov/Petrova differ) and never making another
#                        name of the pools.
#   middle_and_initials  a patronymic, father's or second given name as an initial or dropped;
#                        the given name as an initial (J. Smith / John Smith).
#
# False pairs are different entities that a human analyst would call different:
#
#   decoy                shared words: same surname and another given name; same given name and
#                        another (often similar) surname; a man and a woman of one family
#                        (Aleksandr Petrov / Aleksandra Petrova); another patronymic (another
#                        father); father and son (Ivan Petrovich / Petr Ivanovich); companies that
#                        differ in one distinctive word (place, brand, sector or activity).
#   unrelated            two random names of the same schema with no word in common.
#
# Name pools hold no variant spellings of one name (no Stephen and Steven, no Ion and Ionuț), so a
# decoy never pairs two spellings of one name. Everything random comes from one random.Random and
# iterates lists, never sets, so a seed gives the same pairs in every process.

from __future__ import annotations

import csv
import difflib
import random
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

Schema = Literal["Person", "Company"]
Made = tuple[Schema, str, str] | None

TRUE_CATEGORIES: tuple[str, ...] = (
    "transliteration",
    "legal_form",
    "diacritics",
    "word_order",
    "typo",
    "middle_and_initials",
)
FALSE_CATEGORIES: tuple[str, ...] = ("decoy", "unrelated")
CATEGORIES: tuple[str, ...] = TRUE_CATEGORIES + FALSE_CATEGORIES
PAIRS_PER_CATEGORY = 175
SEED = 2026


@dataclass(frozen=True)
class EvalPair:
    """Two names and whether they are one entity; the category says how they differ."""

    category: str
    schema: Schema
    name1: str
    name2: str
    is_match: bool


# --------------------------------------------------------------------------------------------
# Transliteration of Cyrillic (Russian, Ukrainian, Kazakh, Uzbek)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _System:
    """A transliteration system: letters, plus the contexts in which they are written otherwise."""

    letters: Mapping[str, str]
    # Written so at the start of a word (and after a vowel or a sign when soft_after_vowel).
    soft: Mapping[str, str] = field(default_factory=dict)
    soft_after_vowel: bool = True
    groups: Mapping[str, str] = field(default_factory=dict)  # letter groups, anywhere in a word
    endings: Mapping[str, str] = field(default_factory=dict)  # word endings
    between_vowels: Mapping[str, str] = field(default_factory=dict)  # German and French с = ss


_CYR_VOWELS = "аеёиоуыэюяіїєәөұүў"
_CYR_SIGNS = "ъь"

_RU_COMMON: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_UK_COMMON: dict[str, str] = {
    **_RU_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "й": "i", "є": "ie",
    "ю": "iu", "я": "ia",
}  # fmt: skip
_KK_PLAIN: dict[str, str] = {
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_UZ_LATIN: dict[str, str] = {
    **_RU_COMMON, "ғ": "gʻ", "ё": "yo", "ж": "j", "й": "y", "қ": "q", "ў": "oʻ", "х": "x",
    "ҳ": "h", "ъ": "ʼ",
}  # fmt: skip
_AFTER_HUSHER_RU = {"жё": "zho", "чё": "cho", "шё": "sho", "щё": "shcho"}

_SYSTEMS: dict[str, _System] = {
    # Russian. BGN/PCGN 1947 without its apostrophes.
    "bgn": _System({**_RU_COMMON, "ё": "ë"}, soft={"е": "ye", "ё": "yë"}),
    # ICAO Doc 9303, in Russian passports since 2013.
    "icao": _System({**_RU_COMMON, "й": "i", "ю": "iu", "я": "ia", "ъ": "ie"}),
    # Informal English spelling (Yulia, Dmitry, Alexey, Scherbakov).
    "popular": _System(
        {**_RU_COMMON, "ё": "yo", "щ": "sch"},
        groups={"кс": "x", "ье": "ye", "ьё": "yo", **_AFTER_HUSHER_RU, "щё": "scho"},
        endings={"ий": "y", "ый": "y", "ия": "ia"},
    ),
    # German (Duden): Schtscherbakow, Julija, Jewgeni.
    "german": _System(
        {
            **_RU_COMMON,
            "в": "w",
            "ё": "jo",
            "ж": "sch",
            "з": "s",
            "й": "i",
            "х": "ch",
            "ц": "z",
            "ч": "tsch",
            "ш": "sch",
            "щ": "schtsch",
            "ю": "ju",
            "я": "ja",
        },
        soft={"е": "je", "ё": "jo"},
        groups={"кс": "x", "жё": "scho", "чё": "tscho", "шё": "scho", "щё": "schtscho"},
        endings={"ий": "i", "ый": "y"},
        between_vowels={"с": "ss"},
    ),  # fmt: skip
    # French: Chtcherbakov, Ioulia, Sergueï.
    "french": _System(
        {
            **_RU_COMMON,
            "ё": "io",
            "ж": "j",
            "й": "ï",
            "у": "ou",
            "ч": "tch",
            "ш": "ch",
            "щ": "chtch",
            "ю": "iou",
            "я": "ia",
        },
        groups={
            "кс": "x",
            "ге": "gue",
            "ги": "gui",
            "жё": "jo",
            "чё": "tcho",
            "шё": "cho",
            "щё": "chtcho",
        },
        endings={"ий": "i", "ый": "y", "ия": "ia", "ин": "ine", "ын": "yne"},
        between_vowels={"с": "ss"},
    ),  # fmt: skip
    # Czech: Ščerbakov, Julija, Sergejevič.
    "czech": _System(
        {
            **_RU_COMMON,
            "ё": "jo",
            "ж": "ž",
            "й": "j",
            "х": "ch",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "šč",
            "ю": "ju",
            "я": "ja",
        },
        soft={"е": "je", "ё": "jo"},
    ),  # fmt: skip
    # Ukrainian. KMU 2010, the national standard: є ї й ю я differ only at a word's start.
    "kmu": _System(
        _UK_COMMON,
        soft={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
        soft_after_vowel=False,
        groups={"зг": "zgh"},
    ),
    # Informal English spelling of Ukrainian names (Andriy, Yulia, Serhiy).
    "popular_uk": _System(
        {**_UK_COMMON, "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
        endings={"ія": "ia"},
    ),
    # German (Duden) for Ukrainian: Schewtschenko, Andrij.
    "german_uk": _System(
        {
            **_UK_COMMON,
            "в": "w",
            "є": "je",
            "ж": "sch",
            "з": "s",
            "ї": "ji",
            "й": "j",
            "х": "ch",
            "ц": "z",
            "ч": "tsch",
            "ш": "sch",
            "щ": "schtsch",
            "ю": "ju",
            "я": "ja",
        },
        between_vowels={"с": "ss"},
    ),  # fmt: skip
    # Scholarly transliteration of Ukrainian: Ševčenko, Andrij.
    "scholarly_uk": _System(
        {
            **_UK_COMMON,
            "є": "je",
            "ж": "ž",
            "ї": "ï",
            "й": "j",
            "х": "ch",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "šč",
            "ю": "ju",
            "я": "ja",
        }
    ),  # fmt: skip
    # Kazakh. Passports (ICAO-like, Kazakh letters plain): Zhumabaev, Kairat.
    "kz_passport": _System({**_RU_COMMON, **_KK_PLAIN, "й": "i", "ю": "iu", "я": "ia"}),
    # Russian-style BGN: Yerlan, Kayrat, Zhumabayev.
    "kz_bgn": _System({**_RU_COMMON, **_KK_PLAIN}, soft={"е": "ye"}),
    # Close to Kazakhstan's 2021 Latin alphabet: Jūmabaev, Qairat, Äsem.
    "kz_latin": _System(
        {
            **_RU_COMMON,
            "ә": "ä",
            "ғ": "ğ",
            "қ": "q",
            "ң": "ñ",
            "ө": "ö",
            "ұ": "ū",
            "ү": "ü",
            "һ": "h",
            "і": "i",
            "ж": "j",
            "ш": "ş",
            "ч": "ç",
            "х": "h",
            "й": "i",
            "ю": "iu",
            "я": "ia",
            "ё": "io",
        }
    ),  # fmt: skip
    # Uzbek. The official Latin alphabet (Gʻulomov, Joʻrayev), and as typed with apostrophes.
    "uz_latin": _System(_UZ_LATIN, soft={"е": "ye"}),
    "uz_ascii": _System({**_UZ_LATIN, "ғ": "g'", "ў": "o'", "ъ": "'"}, soft={"е": "ye"}),
    # Russian-style, as in older passports: Kholmatov, Zhuraev.
    "uz_russian": _System({**_RU_COMMON, "ғ": "g", "қ": "k", "ҳ": "kh", "ў": "u", "ё": "yo"}),
}

_GREEK_SYSTEMS = ("elot", "phonetic", "iso843")
_CHINESE_SYSTEMS = ("pinyin", "wade_giles", "wade_giles_plain")


def _by_length(table: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(table.items(), key=lambda item: -len(item[0]))


def _between_vowels(before: str, after: str) -> bool:
    return bool(before and after) and before in _CYR_VOWELS and after in _CYR_VOWELS


def _cyrillic_word(word: str, system: _System) -> str:
    full = word.lower()
    core, tail = full, ""
    for source, target in _by_length(system.endings):
        if full.endswith(source) and len(full) > len(source) + 1:
            core, tail = full[: -len(source)], target
            break
    groups = _by_length(system.groups)
    out: list[str] = []
    i = 0
    while i < len(core):
        for source, target in groups:
            if core.startswith(source, i):
                out.append(target)
                i += len(source)
                break
        else:
            letter = core[i]
            before = full[i - 1] if i else ""
            after = full[i + 1] if i + 1 < len(full) else ""
            soft_here = i == 0 or (system.soft_after_vowel and before in _CYR_VOWELS + _CYR_SIGNS)
            if letter in system.soft and soft_here:
                out.append(system.soft[letter])
            elif letter in system.between_vowels and _between_vowels(before, after):
                out.append(system.between_vowels[letter])
            else:
                out.append(system.letters.get(letter, letter))
            i += 1
    return "".join(out) + tail


_GR_BASE: dict[str, str] = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_GR_LETTERS: dict[str, dict[str, str]] = {
    "elot": _GR_BASE,  # ELOT 743, Greek passports
    "phonetic": {**_GR_BASE, "υ": "i", "χ": "h"},  # as Greeks abroad write: Hristos, Eftihia
    "iso843": {**_GR_BASE, "η": "ē", "ω": "ō"},  # ISO 843 transliteration: Geōrgios
}
# Before these, αυ and ευ are written av and ev; before the others af and ef.
_GR_VOICED = "αεηιουωβγδζλμνρ"


def _greek_word(word: str, system: str) -> str:
    letters: list[str] = []
    diaeresis: list[bool] = []  # a diaeresis splits a digraph (Νικολαΐδης)
    for char in unicodedata.normalize("NFD", word.lower()):
        if char == "\u0308" and letters:
            diaeresis[-1] = True
        elif not unicodedata.combining(char):
            letters.append(char)
            diaeresis.append(False)
    table = _GR_LETTERS[system]
    out: list[str] = []
    i = 0
    while i < len(letters):
        letter = letters[i]
        second = letters[i + 1] if i + 1 < len(letters) and not diaeresis[i + 1] else ""
        after = letters[i + 2] if i + 2 < len(letters) else ""
        pair = letter + second
        step, written = 2, ""
        if pair in ("αυ", "ευ", "ηυ"):
            if system == "iso843":
                written = table[letter] + "u"
            else:
                written = table[letter] + ("v" if after and after in _GR_VOICED else "f")
        elif pair == "ου":
            written = "ou"
        elif system == "phonetic" and pair in ("αι", "ει", "οι"):
            written = "e" if letter == "α" else "i"
        elif pair == "μπ" and i == 0 and system != "iso843":
            written = "b"
        elif pair == "ντ" and i == 0 and system == "phonetic":
            written = "d"
        elif pair == "γγ":
            written = "ng"
        elif pair == "γκ":
            written = {"elot": "gk", "iso843": "nk"}.get(system, "g" if i == 0 else "ng")
        elif pair == "γξ":
            written = "nx"
        elif pair == "γχ":
            written = "nh" if system == "phonetic" else "nch"
        else:
            step, written = 1, table.get(letter, letter)
        out.append(written)
        i += step
    return "".join(out)


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _recase(source: str, written: str) -> str:
    if len(source) > 1 and source.isupper():
        return written.upper()
    if source[:1].isupper():
        return written[:1].upper() + written[1:]
    return written


def transliterate(text: str, system: str) -> str:
    """Text in Cyrillic or Greek script written in Latin by one of the systems above."""
    if system in _GREEK_SYSTEMS:

        def word(match: re.Match[str]) -> str:
            return _recase(match.group(), _greek_word(match.group(), system))

    else:
        table = _SYSTEMS[system]

        def word(match: re.Match[str]) -> str:
            return _recase(match.group(), _cyrillic_word(match.group(), table))

    return _LETTER_RUN.sub(word, text)


# --------------------------------------------------------------------------------------------
# Diacritics
# --------------------------------------------------------------------------------------------

_NOT_DECOMPOSING = {
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "ı": "i", "ø": "o", "Ø": "O",
    "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ʻ": "'", "ʼ": "'",
}  # fmt: skip
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_SERBIAN = {"đ": "dj", "Đ": "Dj"}
_CEDILLA_COMMA = {"ş": "ș", "ș": "ş", "ţ": "ț", "ț": "ţ", "Ş": "Ș", "Ș": "Ş", "Ţ": "Ț", "Ț": "Ţ"}


def strip_marks(text: str) -> str:
    """Text without diacritics (Łódź -> Lodz, Dvořák -> Dvorak, Weiß -> Weiss)."""
    text = "".join(_NOT_DECOMPOSING.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _respell(table: Mapping[str, str]) -> Callable[[str], str]:
    def respell(text: str) -> str:
        return strip_marks("".join(table.get(char, char) for char in text))

    return respell


def _swap_cedilla(text: str) -> str:
    return "".join(_CEDILLA_COMMA.get(char, char) for char in text)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", strip_marks(text).lower()).split())


# --------------------------------------------------------------------------------------------
# Name pools
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Culture:
    """The names of one language: given names, surnames and how a middle name is formed."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # masculine or invariant forms
    middle: Literal["patronymic", "father", "second", "none"]
    # (father's given name, son's patronymic, daughter's patronymic)
    fathers: tuple[tuple[str, str, str], ...] = ()
    female_surnames: tuple[str, ...] = ()  # when only some surnames suit women (Greek genitives)
    gender_pairs: tuple[tuple[str, str], ...] = ()  # Aleksandr/Aleksandra: different people
    native: bool = False  # written in a script of its own; rendered in Latin by _Renderer
    everyday: tuple[str, ...] = ()  # transliteration systems used outside that category
    systems: tuple[str, ...] = ()  # every transliteration system of the language


_RU_FATHERS = (
    ("Александр", "Александрович", "Александровна"), ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"), ("Анатолий", "Анатольевич", "Анатольевна"),
    ("Борис", "Борисович", "Борисовна"), ("Василий", "Васильевич", "Васильевна"),
    ("Виктор", "Викторович", "Викторовна"), ("Владимир", "Владимирович", "Владимировна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"), ("Григорий", "Григорьевич", "Григорьевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"), ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Иван", "Иванович", "Ивановна"), ("Игорь", "Игоревич", "Игоревна"),
    ("Константин", "Константинович", "Константиновна"), ("Михаил", "Михайлович", "Михайловна"),
    ("Николай", "Николаевич", "Николаевна"), ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"), ("Пётр", "Петрович", "Петровна"),
    ("Сергей", "Сергеевич", "Сергеевна"), ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Юрий", "Юрьевич", "Юрьевна"), ("Валерий", "Валерьевич", "Валерьевна"),
)  # fmt: skip
_UK_FATHERS = (
    ("Олександр", "Олександрович", "Олександрівна"), ("Андрій", "Андрійович", "Андріївна"),
    ("Сергій", "Сергійович", "Сергіївна"), ("Володимир", "Володимирович", "Володимирівна"),
    ("Юрій", "Юрійович", "Юріївна"), ("Олег", "Олегович", "Олегівна"),
    ("Микола", "Миколайович", "Миколаївна"), ("Василь", "Васильович", "Василівна"),
    ("Іван", "Іванович", "Іванівна"), ("Михайло", "Михайлович", "Михайлівна"),
    ("Петро", "Петрович", "Петрівна"), ("Богдан", "Богданович", "Богданівна"),
    ("Віктор", "Вікторович", "Вікторівна"), ("Григорій", "Григорович", "Григорівна"),
    ("Ярослав", "Ярославович", "Ярославівна"), ("Степан", "Степанович", "Степанівна"),
    ("Тарас", "Тарасович", "Тарасівна"), ("Ігор", "Ігорович", "Ігорівна"),
)  # fmt: skip
# Kazakh patronymics in the Kazakh form (-ұлы "son of", -қызы "daughter of").
_KK_FATHERS = tuple(
    (name, name + "ұлы", name + "қызы")
    for name in (
        "Серік", "Ержан", "Асхат", "Нұрлан", "Бауыржан", "Мұрат", "Қайрат", "Талғат",
        "Ерболат", "Дәурен", "Арман", "Ғалым",
    )
)  # fmt: skip
# Uzbek documents in Cyrillic use Russian-style patronymics.
_UZ_FATHERS = tuple(
    (name, name + "ович", name + "овна")
    for name in (
        "Карим", "Рустам", "Алишер", "Бахтиёр", "Фарҳод", "Шерзод", "Азиз", "Отабек",
        "Улуғбек", "Дилшод", "Жамшид", "Ойбек",
    )
)  # fmt: skip

_CULTURES: dict[str, _Culture] = {
    "ru": _Culture(
        male=tuple(f for f, _, _ in _RU_FATHERS) + (
            "Артём", "Вадим", "Владислав", "Вячеслав", "Илья", "Кирилл", "Максим", "Никита",
            "Роман", "Станислав", "Степан", "Тимофей", "Яков", "Леонид", "Аркадий", "Эдуард",
            "Валентин", "Ярослав",
        ),
        female=(
            "Анастасия", "Анна", "Валентина", "Вера", "Галина", "Дарья", "Евгения", "Екатерина",
            "Елена", "Ирина", "Ксения", "Людмила", "Марина", "Мария", "Наталья", "Надежда",
            "Ольга", "Светлана", "Татьяна", "Юлия", "Алёна", "Виктория", "Софья", "Лариса",
            "Полина", "Жанна", "Александра", "Ярослава",
        ),
        surnames=(
            "Щербаков", "Иванов", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов",
            "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
            "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев",
            "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев",
            "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков",
            "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
            "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов",
            "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов",
            "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
            "Казаков", "Афанасьев", "Данилов", "Тимофеев", "Фомин", "Чернов", "Щукин",
            "Голубев", "Шестаков", "Чернышёв", "Журавлёв", "Хохлов", "Цветков", "Ершов",
            "Островский", "Покровский", "Вишневский", "Троицкий", "Петров", "Юдин",
        ),
        middle="patronymic",
        fathers=_RU_FATHERS,
        gender_pairs=(
            ("Александр", "Александра"), ("Евгений", "Евгения"), ("Валентин", "Валентина"),
            ("Виктор", "Виктория"), ("Ярослав", "Ярослава"),
        ),
        native=True,
        everyday=("bgn", "icao", "popular"),
        systems=("bgn", "icao", "popular", "german", "french", "czech"),
    ),
    "uk": _Culture(
        male=tuple(f for f, _, _ in _UK_FATHERS) + (
            "Дмитро", "Остап", "Євген", "Максим", "Роман", "Віталій", "Анатолій", "Леонід",
        ),
        female=(
            "Олена", "Наталія", "Тетяна", "Оксана", "Ірина", "Юлія", "Ольга", "Людмила",
            "Світлана", "Галина", "Катерина", "Марія", "Анна", "Надія", "Вікторія", "Яна",
            "Христина", "Софія", "Лариса", "Олександра", "Ярослава", "Богдана",
        ),
        surnames=(
            "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Коваль", "Олійник",
            "Шевчук", "Поліщук", "Бойко", "Мельник", "Ткачук", "Савченко", "Руденко",
            "Марченко", "Лисенко", "Мороз", "Петренко", "Кравчук", "Гончаренко", "Левченко",
            "Харченко", "Литвиненко", "Павленко", "Іваненко", "Мельничук", "Головко",
            "Захарченко", "Приходько", "Гриценко", "Федоренко", "Яковенко", "Остапчук",
            "Ковальчук", "Зінченко", "Кучер", "Пономаренко", "Вовк", "Стасюк", "Сидоренко",
            "Гуменюк", "Онищенко",
        ),
        middle="patronymic",
        fathers=_UK_FATHERS,
        gender_pairs=(
            ("Олександр", "Олександра"), ("Ярослав", "Ярослава"), ("Богдан", "Богдана"),
            ("Віктор", "Вікторія"),
        ),
        native=True,
        everyday=("kmu", "popular_uk"),
        systems=("kmu", "popular_uk", "german_uk", "scholarly_uk"),
    ),
    "kk": _Culture(
        male=tuple(f for f, _, _ in _KK_FATHERS) + (
            "Нұрсұлтан", "Айдос", "Данияр", "Мақсат", "Жандос", "Бекзат", "Әлібек", "Ерлан",
        ),
        female=(
            "Айгүл", "Жанар", "Әсем", "Гүлнар", "Ақмарал", "Динара", "Жұлдыз", "Сәуле",
            "Мөлдір", "Аружан", "Гүлмира", "Назерке", "Айжан", "Қарлығаш",
        ),
        surnames=(
            "Нұрланов", "Сейітов", "Жұмабаев", "Әбдіров", "Төлеуов", "Тоқтаров", "Омаров",
            "Сәрсенбаев", "Қасымов", "Ахметов", "Байжанов", "Есенов", "Мұхаметжанов",
            "Оспанов", "Бекмұхамбетов", "Жақсылықов", "Ысқақов", "Ермеков", "Серікбаев",
            "Тұрсынов",
        ),
        middle="patronymic",
        fathers=_KK_FATHERS,
        native=True,
        everyday=("kz_passport", "kz_bgn"),
        systems=("kz_passport", "kz_bgn", "kz_latin"),
    ),
    "uz": _Culture(
        male=tuple(f for f, _, _ in _UZ_FATHERS) + (
            "Шаҳзод", "Ғайрат", "Ўткир", "Муҳаммад", "Санжар", "Шоҳруҳ", "Бобур",
        ),
        female=(
            "Нодира", "Зарина", "Гулнора", "Дилноза", "Малика", "Феруза", "Мадина", "Шаҳноза",
            "Юлдуз", "Ўғилой", "Гулчеҳра", "Севара",
        ),
        surnames=(
            "Каримов", "Тошматов", "Юсупов", "Раҳимов", "Усмонов", "Холматов", "Эргашев",
            "Абдуллаев", "Қодиров", "Ғуломов", "Мирзаев", "Султонов", "Турсунов", "Ҳамидов",
            "Назаров", "Жўраев", "Хўжаев", "Исмоилов", "Раҳмонов", "Саидов", "Норматов",
            "Қосимов", "Ўринбоев", "Йўлдошев",
        ),
        middle="patronymic",
        fathers=_UZ_FATHERS,
        native=True,
        everyday=("uz_latin", "uz_russian"),
        systems=("uz_latin", "uz_ascii", "uz_russian"),
    ),
    "el": _Culture(
        male=(
            "Γεώργιος", "Κωνσταντίνος", "Ιωάννης", "Δημήτριος", "Νικόλαος", "Παναγιώτης",
            "Βασίλειος", "Χρήστος", "Αθανάσιος", "Μιχαήλ", "Ευάγγελος", "Σπυρίδων", "Αντώνιος",
            "Θεόδωρος", "Ανδρέας", "Ηλίας", "Στυλιανός", "Εμμανουήλ", "Σταύρος", "Αλέξανδρος",
        ),
        female=(
            "Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Ευαγγελία",
            "Δήμητρα", "Γεωργία", "Ιουλία", "Χριστίνα", "Ευτυχία", "Κωνσταντίνα", "Αντωνία",
            "Παρασκευή", "Ειρήνη",
        ),
        surnames=(
            "Παπαδόπουλος", "Παπαδάκης", "Νικολαΐδης", "Χατζηδάκης", "Καραγιάννης", "Μαυρίδης",
            "Κωνσταντινίδης", "Ιωαννίδης", "Λαμπράκης", "Σταματόπουλος", "Μπακογιάννης",
            "Γεωργίου", "Οικονόμου", "Βασιλείου", "Αθανασίου", "Δημητρίου", "Παπανικολάου",
            "Αντωνίου", "Ευαγγέλου", "Ζαχαρίου", "Αλεξίου",
        ),
        middle="father",
        # Genitive surnames are the same for women; -ος and -ης ones are not.
        female_surnames=(
            "Γεωργίου", "Οικονόμου", "Βασιλείου", "Αθανασίου", "Δημητρίου", "Παπανικολάου",
            "Αντωνίου", "Ευαγγέλου", "Ζαχαρίου", "Αλεξίου",
        ),
        gender_pairs=(
            ("Γεώργιος", "Γεωργία"), ("Βασίλειος", "Βασιλική"), ("Κωνσταντίνος", "Κωνσταντίνα"),
            ("Δημήτριος", "Δήμητρα"), ("Ευάγγελος", "Ευαγγελία"), ("Αντώνιος", "Αντωνία"),
        ),
        native=True,
        everyday=("elot",),
        systems=_GREEK_SYSTEMS,
    ),
    "zh": _Culture(
        male=(
            "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
            "明", "超", "秀英", "建华", "志强", "晓明", "海涛", "国庆", "文军", "红梅", "东升",
            "春华", "玉兰", "鹏飞", "浩然", "新宇", "金平", "振华", "雪梅", "建国", "志明",
            "晓东", "海燕", "德明", "宇航",
        ),
        female=(),
        surnames=(
            "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱",
            "胡", "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓",
            "曹", "彭", "曾", "田", "董", "潘", "袁", "蔡", "蒋", "杜", "叶", "程",
        ),
        middle="none",
        native=True,
        everyday=("pinyin",),
        systems=_CHINESE_SYSTEMS,
    ),
    "ar": _Culture(
        male=(
            "محمد", "أحمد", "علي", "حسين", "حسن", "خالد", "يوسف", "إبراهيم", "مصطفى", "عمر",
            "سعيد", "محمود", "عبد الله", "عبد الرحمن", "طارق", "كريم", "ياسر", "فيصل", "جمال",
            "هشام",
        ),
        female=("فاطمة", "عائشة", "مريم", "ليلى", "نور", "زينب", "خديجة", "سارة", "هدى", "رانيا"),
        surnames=(
            "المصري", "الحسيني", "الحداد", "الشامي", "النجار", "الخطيب", "القاسم", "الرشيد",
            "الزين", "منصور", "عثمان", "صالح", "جابر", "ناصر", "حمدان", "الأنصاري", "العمري",
            "التميمي", "الشمري", "البغدادي",
        ),
        middle="father",
        native=True,
    ),
    "pl": _Culture(
        male=(
            "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz",
            "Jakub", "Stanisław", "Wojciech", "Grzegorz", "Mariusz", "Józef", "Zbigniew",
            "Jarosław", "Mirosław", "Bolesław", "Przemysław", "Rafał", "Maciej", "Dariusz",
            "Jan", "Bogdan",
        ),
        female=(
            "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa",
            "Elżbieta", "Zofia", "Krystyna", "Magdalena", "Joanna", "Grażyna", "Bożena",
            "Żaneta", "Jolanta", "Urszula", "Halina", "Teresa", "Danuta", "Beata", "Dorota",
            "Iwona", "Łucja", "Jadwiga", "Stanisława", "Józefa", "Bogdana",
        ),
        surnames=(
            "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
            "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
            "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski",
            "Król", "Wróbel", "Jabłoński", "Majewski", "Olszewski", "Stępień", "Malinowski",
            "Górski", "Rutkowski", "Sikora", "Baran", "Szewczyk", "Ostrowski", "Tomaszewski",
            "Pietrzak", "Marciniak", "Wróblewski", "Zając", "Jakubowski", "Zawadzki", "Bąk",
            "Chmielewski", "Włodarczyk", "Czarnecki", "Sawicki", "Sokołowski", "Kubiak",
            "Szczepański", "Kaźmierczak", "Cieślak", "Głowacki", "Kołodziej", "Ziółkowski",
            "Przybylski", "Nowakowski",
        ),
        middle="second",
        gender_pairs=(("Stanisław", "Stanisława"), ("Józef", "Józefa"), ("Bogdan", "Bogdana")),
    ),
    "cs": _Culture(
        male=(
            "Jiří", "Jan", "Petr", "Josef", "Pavel", "Jaroslav", "Martin", "Tomáš", "Miroslav",
            "František", "Zdeněk", "Václav", "Michal", "Karel", "Milan", "Vojtěch", "Lukáš",
            "Ondřej", "Radek", "Stanislav", "Jakub", "David", "Luboš", "Bořivoj",
        ),
        female=(
            "Marie", "Jana", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra",
            "Alena", "Petra", "Jaroslava", "Ludmila", "Helena", "Zdeňka", "Veronika", "Jitka",
            "Markéta", "Dagmar", "Božena", "Růžena",
        ),
        surnames=(
            "Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý",
            "Horák", "Němec", "Pokorný", "Marek", "Pospíšil", "Hájek", "Jelínek", "Král",
            "Růžička", "Beneš", "Fiala", "Sedláček", "Doležal", "Zeman", "Kolář", "Navrátil",
            "Čermák", "Urban", "Vaněk", "Blažek", "Kříž", "Kovář", "Bartoš", "Vlček",
            "Šťastný", "Štěpánek",
        ),
        middle="second",
        gender_pairs=(("Jan", "Jana"), ("Petr", "Petra"), ("Jaroslav", "Jaroslava")),
    ),
    "tr": _Culture(
        male=(
            "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail",
            "Osman", "Yusuf", "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Mahmut",
            "Recep", "Salih", "Fatih", "Kadir", "Emre", "Burak", "Gökhan", "Serkan", "Uğur",
            "Barış", "Çağrı", "Onur", "Tuğrul", "Şükrü", "Özgür",
        ),
        female=(
            "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra",
            "Sultan", "Hanife", "Merve", "Özlem", "Gülşen", "Büşra", "Esra", "Tuğba", "Şeyma",
            "Çiğdem", "Gülay", "Sevgi", "Dilek", "Ebru", "Songül", "Hülya",
        ),
        surnames=(
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk",
            "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Çetin", "Kara", "Koç", "Kurt",
            "Özkan", "Şimşek", "Polat", "Özer", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Acar",
            "Aktaş", "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal", "Turan",
            "İnce", "Tekin", "Karataş", "Kaplan", "Avcı", "Işık", "Tunç", "Uysal", "Akgül",
            "Köse", "Uçar", "Aksoy", "Ateş",
        ),
        middle="second",
    ),
    "de": _Culture(
        male=(
            "Jürgen", "Günter", "Klaus", "Björn", "Sören", "Hans-Jürgen", "Dietmar", "Lukas",
            "Matthias", "Uwe", "Wolfgang", "Stefan", "Andreas", "Thomas", "Michael",
            "Christian", "Daniel", "Paul", "Karl-Heinz", "Hans-Peter", "Frank", "Ralf",
            "Dieter", "Helmut",
        ),
        female=(
            "Brigitte", "Käthe", "Jutta", "Bärbel", "Ursula", "Monika", "Gisela", "Dörte",
            "Anke", "Sabine", "Hannelore", "Renate", "Petra", "Claudia", "Susanne", "Andrea",
            "Michaela", "Christiane", "Daniela", "Paula", "Anne-Marie", "Heike", "Gudrun",
        ),
        surnames=(
            "Müller", "Schröder", "Schäfer", "Köhler", "Böhm", "Jäger", "Krüger", "Günther",
            "Löffler", "Hoffmann", "Weiß", "Groß", "Strauß", "Schütz", "Förster", "Kühn",
            "Möller", "Dörfler", "Wächter", "Schmitz", "Fischer", "Weber", "Becker", "Wagner",
            "Schulz", "Koch", "Richter", "Bauer", "Klein", "Wolf", "Neumann", "Schwarz",
            "Zimmermann", "Braun", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Schmidt",
            "Schneider", "Meyer",
        ),
        middle="second",
        gender_pairs=(
            ("Michael", "Michaela"), ("Christian", "Christiane"), ("Daniel", "Daniela"),
            ("Paul", "Paula"),
        ),
    ),
    "fr": _Culture(
        male=(
            "François", "Jérôme", "Benoît", "Noël", "Loïc", "Joël", "Raphaël", "Stéphane",
            "Frédéric", "Sébastien", "Jean-François", "Jean-Pierre", "Michel", "Daniel", "Jean",
            "Philippe", "Nicolas", "Julien", "Mathieu", "Olivier", "Thierry", "Éric", "Gaël",
        ),
        female=(
            "Hélène", "Céline", "Amélie", "Gaëlle", "Michèle", "Thérèse", "Géraldine", "Cécile",
            "Élodie", "Aurélie", "Léa", "Anaïs", "Françoise", "Danielle", "Jeanne", "Sophie",
            "Isabelle", "Nathalie", "Chloé", "Margaux", "Béatrice", "Marie-Claire",
        ),
        surnames=(
            "Lefèvre", "Bérenger", "Dupré", "Fréchette", "Ménard", "Deschênes", "Lemaître",
            "Mercier", "Rousseau", "Chevalier", "Lévêque", "Boileau", "Prévost", "Bélanger",
            "Côté", "Thériault", "Gagné", "Pâquet", "Hébert", "Séguin", "Lafontaine", "Moreau",
            "Girard", "Faure", "Rémy", "Dubois", "Lambert", "Fontaine", "Leroy", "Bonnet",
            "Durand", "Lefort",
        ),
        middle="second",
        gender_pairs=(
            ("Michel", "Michèle"), ("François", "Françoise"), ("Daniel", "Danielle"),
            ("Jean", "Jeanne"), ("Gaël", "Gaëlle"),
        ),
    ),
    "ro": _Culture(
        male=(
            "Ștefan", "Mihai", "Andrei", "Ion", "Gheorghe", "Constantin", "Răzvan", "Cătălin",
            "Bogdan", "Florin", "Adrian", "Marius", "Vasile", "Dumitru", "Sorin", "Tudor",
        ),
        female=(
            "Ioana", "Elena", "Mădălina", "Ștefania", "Cristina", "Roxana", "Andreea", "Larisa",
            "Corina", "Alina", "Simona", "Irina", "Raluca", "Gabriela", "Georgiana",
        ),
        surnames=(
            "Popescu", "Ionescu", "Dumitrescu", "Stănescu", "Rădulescu", "Constantinescu",
            "Ștefănescu", "Munteanu", "Țurcanu", "Mărginean", "Lăzărescu", "Bălan", "Preda",
            "Niță", "Tănase", "Dincă", "Sârbu", "Vlăduț", "Ciobanu", "Moldovan", "Răducanu",
            "Pîrvu", "Țăranu", "Șerban",
        ),
        middle="second",
        gender_pairs=(("Ștefan", "Ștefania"), ("Andrei", "Andreea")),
    ),
    "hr": _Culture(
        male=(
            "Đorđe", "Dušan", "Miloš", "Željko", "Goran", "Dražen", "Nikola", "Bojan",
            "Božidar", "Zoran", "Tomislav", "Zdravko", "Marko", "Ivan", "Stjepan", "Luka",
            "Dejan", "Darko", "Slaven", "Predrag", "Dragan",
        ),
        female=(
            "Marija", "Ivana", "Jelena", "Snežana", "Vesna", "Mirjana", "Ljiljana", "Đurđica",
            "Ana", "Maja", "Tijana", "Dragana", "Gordana", "Biljana", "Sanja", "Milica",
            "Željka",
        ),
        surnames=(
            "Đorđević", "Jovanović", "Petrović", "Nikolić", "Marković", "Đukić", "Kovačević",
            "Babić", "Šimić", "Horvat", "Jurić", "Knežević", "Vuković", "Matić", "Tomić",
            "Pavlović", "Božić", "Blažević", "Grgić", "Perić", "Živković", "Stanković", "Ćosić",
            "Šarić", "Radić", "Lukić", "Popović", "Mlađenović", "Jovičić", "Petković", "Marić",
        ),
        middle="second",
        gender_pairs=(("Ivan", "Ivana"), ("Željko", "Željka"), ("Dragan", "Dragana")),
    ),
    "en": _Culture(
        male=(
            "John", "James", "Robert", "Michael", "William", "David", "Richard", "Thomas",
            "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Paul", "Steven",
            "Andrew", "Kenneth", "George", "Edward", "Peter", "Simon", "Gregory", "Harold",
        ),
        female=(
            "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
            "Sarah", "Karen", "Nancy", "Margaret", "Emily", "Helen", "Rachel", "Catherine",
            "Victoria", "Rebecca", "Alice",
        ),
        surnames=(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Taylor", "Anderson", "Jackson", "White", "Harris", "Thompson", "Robinson", "Clark",
            "Lewis", "Walker", "Hall", "Young", "Wright", "Hughes", "Green", "Baker", "Turner",
            "Cooper", "Ward", "Morgan", "Bennett", "Carter", "Fletcher", "Whitaker", "Holloway",
            "Pemberton",
        ),
        middle="second",
    ),
}  # fmt: skip

# Czech women's surnames are their own words (Dvořák -> Dvořáková, Černý -> Černá).
_CS_FEMININE: dict[str, str] = {
    "Novák": "Nováková", "Svoboda": "Svobodová", "Novotný": "Novotná", "Dvořák": "Dvořáková",
    "Černý": "Černá", "Procházka": "Procházková", "Kučera": "Kučerová", "Veselý": "Veselá",
    "Horák": "Horáková", "Němec": "Němcová", "Pokorný": "Pokorná", "Marek": "Marková",
    "Pospíšil": "Pospíšilová", "Hájek": "Hájková", "Jelínek": "Jelínková", "Král": "Králová",
    "Růžička": "Růžičková", "Beneš": "Benešová", "Fiala": "Fialová", "Sedláček": "Sedláčková",
    "Doležal": "Doležalová", "Zeman": "Zemanová", "Kolář": "Kolářová", "Navrátil": "Navrátilová",
    "Čermák": "Čermáková", "Urban": "Urbanová", "Vaněk": "Vaňková", "Blažek": "Blažková",
    "Kříž": "Křížová", "Kovář": "Kovářová", "Bartoš": "Bartošová", "Vlček": "Vlčková",
    "Šťastný": "Šťastná", "Štěpánek": "Štěpánková",
}  # fmt: skip

# Greek fathers' names in the genitive, as Greek documents give them.
_EL_FATHERS = (
    "Γεωργίου", "Κωνσταντίνου", "Ιωάννου", "Δημητρίου", "Νικολάου", "Βασιλείου", "Χρήστου",
    "Αθανασίου", "Ευαγγέλου", "Αντωνίου", "Θεοδώρου", "Ανδρέα", "Σταύρου", "Αλεξάνδρου",
)  # fmt: skip

# Chinese characters: (pinyin, Wade-Giles).
_HANZI: dict[str, tuple[str, str]] = {
    "王": ("wang", "wang"), "李": ("li", "li"), "张": ("zhang", "chang"), "刘": ("liu", "liu"),
    "陈": ("chen", "ch'en"), "杨": ("yang", "yang"), "黄": ("huang", "huang"),
    "赵": ("zhao", "chao"), "周": ("zhou", "chou"), "吴": ("wu", "wu"), "徐": ("xu", "hsü"),
    "孙": ("sun", "sun"), "马": ("ma", "ma"), "朱": ("zhu", "chu"), "胡": ("hu", "hu"),
    "郭": ("guo", "kuo"), "何": ("he", "ho"), "林": ("lin", "lin"), "高": ("gao", "kao"),
    "罗": ("luo", "lo"), "郑": ("zheng", "cheng"), "梁": ("liang", "liang"),
    "谢": ("xie", "hsieh"), "宋": ("song", "sung"), "唐": ("tang", "t'ang"), "韩": ("han", "han"),
    "冯": ("feng", "feng"), "邓": ("deng", "teng"), "曹": ("cao", "ts'ao"),
    "彭": ("peng", "p'eng"), "曾": ("zeng", "tseng"), "田": ("tian", "t'ien"),
    "董": ("dong", "tung"), "潘": ("pan", "p'an"), "袁": ("yuan", "yüan"), "蔡": ("cai", "ts'ai"),
    "蒋": ("jiang", "chiang"), "杜": ("du", "tu"), "叶": ("ye", "yeh"), "程": ("cheng", "ch'eng"),
    "伟": ("wei", "wei"), "芳": ("fang", "fang"), "娜": ("na", "na"), "敏": ("min", "min"),
    "静": ("jing", "ching"), "丽": ("li", "li"), "强": ("qiang", "ch'iang"), "磊": ("lei", "lei"),
    "军": ("jun", "chün"), "洋": ("yang", "yang"), "勇": ("yong", "yung"), "艳": ("yan", "yen"),
    "杰": ("jie", "chieh"), "涛": ("tao", "t'ao"), "明": ("ming", "ming"),
    "超": ("chao", "ch'ao"), "秀": ("xiu", "hsiu"), "英": ("ying", "ying"),
    "建": ("jian", "chien"), "华": ("hua", "hua"), "志": ("zhi", "chih"),
    "晓": ("xiao", "hsiao"), "海": ("hai", "hai"), "国": ("guo", "kuo"), "庆": ("qing", "ch'ing"),
    "文": ("wen", "wen"), "红": ("hong", "hung"), "梅": ("mei", "mei"), "东": ("dong", "tung"),
    "升": ("sheng", "sheng"), "春": ("chun", "ch'un"), "玉": ("yu", "yü"), "兰": ("lan", "lan"),
    "鹏": ("peng", "p'eng"), "飞": ("fei", "fei"), "浩": ("hao", "hao"), "然": ("ran", "jan"),
    "新": ("xin", "hsin"), "宇": ("yu", "yü"), "金": ("jin", "chin"), "平": ("ping", "p'ing"),
    "振": ("zhen", "chen"), "雪": ("xue", "hsüeh"), "德": ("de", "te"), "燕": ("yan", "yen"),
    "航": ("hang", "hang"),
}  # fmt: skip

# Arabic names and the Latin spellings they are found under.
_ARABIC: dict[str, tuple[str, ...]] = {
    "محمد": ("Muhammad", "Mohammed", "Mohamed", "Mohammad"),
    "أحمد": ("Ahmad", "Ahmed"),
    "علي": ("Ali",),
    "حسين": ("Hussein", "Husayn", "Hussain", "Husein"),
    "حسن": ("Hassan", "Hasan"),
    "خالد": ("Khalid", "Khaled"),
    "يوسف": ("Yusuf", "Youssef", "Yousef"),
    "إبراهيم": ("Ibrahim", "Ebrahim"),
    "مصطفى": ("Mustafa", "Moustafa", "Mostafa"),
    "عمر": ("Omar", "Umar"),
    "سعيد": ("Said", "Saeed", "Saied"),
    "محمود": ("Mahmoud", "Mahmud"),
    "عبد الله": ("Abdullah", "Abdallah", "Abd Allah"),
    "عبد الرحمن": ("Abdulrahman", "Abdel Rahman", "Abd al-Rahman", "Abdurrahman"),
    "طارق": ("Tariq", "Tarek", "Tarik"),
    "كريم": ("Karim", "Kareem"),
    "ياسر": ("Yasser", "Yasir"),
    "فيصل": ("Faisal", "Faysal"),
    "جمال": ("Jamal", "Gamal"),
    "هشام": ("Hisham", "Hesham"),
    "فاطمة": ("Fatima", "Fatma", "Fatimah"),
    "عائشة": ("Aisha", "Aysha", "Aicha"),
    "مريم": ("Maryam", "Mariam"),
    "ليلى": ("Layla", "Leila", "Laila"),
    "نور": ("Nour", "Noor", "Nur"),
    "زينب": ("Zainab", "Zeinab", "Zaynab"),
    "خديجة": ("Khadija", "Khadidja", "Khadijah"),
    "سارة": ("Sara", "Sarah"),
    "هدى": ("Huda", "Hoda"),
    "رانيا": ("Rania", "Ranya"),
    "المصري": ("al-Masri", "El Masry", "Al-Masri", "Almasri"),
    "الحسيني": ("al-Husseini", "El Husseini", "Al Husayni"),
    "الحداد": ("al-Haddad", "El Haddad", "Al Haddad"),
    "الشامي": ("al-Shami", "Al Shami", "El Chami"),
    "النجار": ("al-Najjar", "Al Najjar", "El Naggar"),
    "الخطيب": ("al-Khatib", "El Khatib", "Al-Khateeb"),
    "القاسم": ("al-Qasim", "Al Kasim", "El Kassem"),
    "الرشيد": ("al-Rashid", "Al Rasheed", "Al-Rachid"),
    "الزين": ("al-Zein", "El Zein", "Al Zain"),
    "منصور": ("Mansour", "Mansur"),
    "عثمان": ("Othman", "Osman", "Uthman"),
    "صالح": ("Saleh", "Salih"),
    "جابر": ("Jaber", "Jabir"),
    "ناصر": ("Nasser", "Nasir", "Naser"),
    "حمدان": ("Hamdan",),
    "الأنصاري": ("al-Ansari", "Al Ansari", "El Ansary"),
    "العمري": ("al-Omari", "Al Omari", "El Omary"),
    "التميمي": ("al-Tamimi", "Al Tamimi", "Al-Tamimi"),
    "الشمري": ("al-Shammari", "Al Shammari", "Alshammari"),
    "البغدادي": ("al-Baghdadi", "Al Baghdadi", "El Baghdady"),
}

# How often each culture is drawn: the region's trade first, then its partners.
_CULTURE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("ru", 14), ("uk", 8), ("kk", 6), ("uz", 6), ("el", 6), ("zh", 8), ("ar", 9), ("pl", 7),
    ("cs", 6), ("tr", 8), ("de", 8), ("fr", 6), ("ro", 3), ("hr", 4), ("en", 5),
)  # fmt: skip
_CYRILLIC = ("ru", "uk", "kk", "uz")


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _words(name: str) -> list[str]:
    return _fold(name.replace("-", " ")).split()


def _disjoint(a: str, b: str) -> bool:
    return not set(_words(a)) & set(_words(b))


# --------------------------------------------------------------------------------------------
# Persons
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    culture: str
    given: str
    surname: str
    middle: str = ""  # patronymic, father's name or second given name
    female: bool = False
    native: bool = False  # still in the culture's own script


def _feminine(culture: str, surname: str) -> str:
    if culture in ("ru", "kk", "uz"):
        for masculine, feminine in (("ский", "ская"), ("цкий", "цкая")):
            if surname.endswith(masculine):
                return surname[: -len(masculine)] + feminine
        if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return surname + "а"
    if culture == "pl":
        for masculine, feminine in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if surname.endswith(masculine):
                return surname[: -len(masculine)] + feminine
    if culture == "cs":
        return _CS_FEMININE[surname]
    return surname


def _middle_name(rng: random.Random, culture: str, given: str, female: bool) -> str:
    pool = _CULTURES[culture]
    if pool.middle == "patronymic":
        _, son, daughter = rng.choice(pool.fathers)
        return daughter if female else son
    if pool.middle == "father":
        if culture == "el":
            return rng.choice(_EL_FATHERS)
        return rng.choice([name for name in pool.male if name != given])
    if pool.middle == "second":
        names = pool.female if female else pool.male
        return rng.choice([name for name in names if _disjoint(name, given)])
    return ""


def _person(
    rng: random.Random, culture: str, *, middle: bool = False, female: bool | None = None
) -> _Person:
    pool = _CULTURES[culture]
    if female is None:
        female = bool(pool.female) and rng.random() < 0.4
    given = rng.choice(pool.female if female else pool.male)
    if female:
        surname = _feminine(culture, rng.choice(pool.female_surnames or pool.surnames))
    else:
        surname = rng.choice(pool.surnames)
    return _Person(
        culture,
        given,
        surname,
        _middle_name(rng, culture, given, female) if middle else "",
        female,
        pool.native,
    )


class _Renderer:
    """One way of writing a culture's names in Latin script, kept for both names of a pair."""

    def __init__(self, rng: random.Random, culture: str, system: str | None = None) -> None:
        everyday = _CULTURES[culture].everyday
        self.rng = rng
        self.culture = culture
        self.system = system or (rng.choice(everyday) if everyday else "")
        self._chosen: dict[str, str] = {}  # one spelling per Arabic name within a pair

    def word(self, text: str) -> str:
        if not text or not _CULTURES[self.culture].native:
            return text
        if self.culture == "ar":
            if text not in self._chosen:
                self._chosen[text] = self.rng.choice(_ARABIC[text])
            return self._chosen[text]
        if self.culture == "zh":
            syllables = [_HANZI[char][0 if self.system == "pinyin" else 1] for char in text]
            written = "".join(syllables) if self.system == "pinyin" else "-".join(syllables)
            if self.system == "wade_giles_plain":
                written = written.replace("'", "").replace("ü", "u")
            return written[:1].upper() + written[1:]
        return transliterate(text, self.system)

    def person(self, person: _Person) -> _Person:
        if not person.native:
            return person
        return replace(
            person,
            given=self.word(person.given),
            surname=self.word(person.surname),
            middle=self.word(person.middle),
            native=False,
        )


def _full(
    person: _Person, order: str = "given", *, upper_surname: bool = False, middle: bool = True
) -> str:
    """A person's name: given first, surname first, or "SURNAME, Given"."""
    if person.native and person.culture == "zh":
        return person.surname + person.given
    surname = person.surname.upper() if upper_surname else person.surname
    head = [person.given] + ([person.middle] if person.middle and middle else [])
    if order == "given":
        return " ".join([*head, surname])
    if order == "surname":
        return " ".join([surname, *head])
    return f"{surname}, {' '.join(head)}"


def _initial(name: str) -> str:
    """J. for John, H.-J. for Hans-Jürgen, A. for Abd al-Rahman."""
    return "-".join(part[:1] + "." for part in name.split(" ")[0].split("-"))


def _render_native_or_latin(
    rng: random.Random, people: Sequence[_Person], native_chance: float
) -> list[_Person]:
    """The people of one pair in their own script (sometimes) or in one Latin rendering."""
    culture = people[0].culture
    if culture in (*_CYRILLIC, "el") and rng.random() < native_chance:
        return list(people)
    renderer = _Renderer(rng, culture)
    return [renderer.person(p) for p in people]


# --------------------------------------------------------------------------------------------
# Companies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Jurisdiction:
    """Company names of one country and the spellings of each of its legal forms."""

    names: tuple[str, ...]
    latin_forms: tuple[tuple[str, ...], ...]  # groups of templates naming one legal form
    cyrillic_forms: tuple[tuple[str, ...], ...] = ()
    latin_system: str = ""  # how the (Cyrillic) names are written in Latin registers
    # Transliteration systems for the transliteration category; not French, whose endings
    # (Poutine, Iline) are for surnames, not brands.
    systems: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()  # Cyrillic abbreviations, transliterated in _ABBR_LATIN


_ABBR_LATIN = {
    "ООО": "OOO", "АО": "AO", "ПАО": "PAO", "ЗАО": "ZAO", "ТОО": "TOO", "ТОВ": "TOV",
    "ПрАТ": "PrAT", "МЧЖ": "MChJ", "АЖ": "AJ",
}  # fmt: skip

_JURISDICTIONS: dict[str, _Jurisdiction] = {
    "ru": _Jurisdiction(
        names=(
            "Химснаб", "Уралхимреактив", "Волга Химпром", "Сибфарм Трейд", "Промсинтез",
            "Реахим", "Химтрейд", "Фармсервис", "Нева Реактив", "Технохим", "Балтхим",
            "Камхимпром", "Оргсинтез Казань", "Химпродукт", "Донхимснаб", "Енисей Реагент",
            "Химические Системы", "Медфарм Логистик", "Полимерснаб", "Спектр-Хим",
            "Химкомплект", "Реактив-Сервис", "Кубаньхим", "Байкал Химпром", "Щёлково Агрохим",
        ),
        cyrillic_forms=(
            ("ООО «{}»", "Общество с ограниченной ответственностью «{}»", 'ООО "{}"'),
            # The 2014 reform renamed every ZAO an AO and every OAO a PAO: one company.
            ("АО «{}»", "ЗАО «{}»", "Акционерное общество «{}»"),
            ("ПАО «{}»", "ОАО «{}»", "Публичное акционерное общество «{}»"),
        ),
        latin_forms=(
            ('OOO "{}"', "{} LLC", 'LLC "{}"', "{}, OOO", "{} Limited Liability Company"),
            ('AO "{}"', 'ZAO "{}"', "{} JSC", 'JSC "{}"', "{} AO", "{} CJSC"),
            ('PAO "{}"', 'OAO "{}"', "{} PJSC", 'PJSC "{}"', "{} OJSC"),
        ),
        latin_system="icao",
        systems=("bgn", "icao", "popular", "german"),
        abbreviations=("ООО", "АО", "ПАО", "ЗАО"),
    ),
    "kz": _Jurisdiction(
        names=(
            "Алматы Химпром", "Караганда Реактив", "Шымкент Фарм", "Актобе Химснаб",
            "Каспий Кемикал", "Степь Химия", "Алтын Фарм", "Павлодар Оргсинтез",
            "Атырау Химтрейд", "Есиль Фарм", "Жетысу Химия", "Тараз Химснаб",
            "Костанай Агрохим", "Кызылорда Реагент",
        ),
        cyrillic_forms=(
            ("ТОО «{}»", "Товарищество с ограниченной ответственностью «{}»", "«{}» ТОО"),
            ("АО «{}»", "Акционерное общество «{}»"),
        ),
        latin_forms=(
            ('TOO "{}"', "{} TOO", "{} LLP", 'LLP "{}"', "{} Limited Liability Partnership"),
            ('AO "{}"', "{} JSC", 'JSC "{}"', "{} AO"),
        ),
        latin_system="icao",
        systems=("bgn", "icao", "popular", "german"),
        abbreviations=("ТОО", "АО"),
    ),
    "ua": _Jurisdiction(
        names=(
            "Дніпро Хімпром", "Харків Фармпостач", "Одеса Реактив", "Львів Хімтрейд",
            "Запоріжжя Азот", "Київхімснаб", "Черкаси Хімреактив", "Полтава Фармація",
            "Вінниця Хімпродукт", "Житомир Лабсервіс", "Суми Хімпром", "Таврія Хім",
            "Карпати Фарм",
        ),
        cyrillic_forms=(
            ("ТОВ «{}»", "Товариство з обмеженою відповідальністю «{}»"),
            ("ПрАТ «{}»", "Приватне акціонерне товариство «{}»"),
        ),
        latin_forms=(
            ('TOV "{}"', "{} LLC", 'LLC "{}"', "{} TOV", "{} Limited Liability Company"),
            ('PrAT "{}"', "{} PrJSC", "{} Private JSC", 'PrJSC "{}"'),
        ),
        latin_system="kmu",
        systems=("kmu", "popular_uk", "german_uk"),
        abbreviations=("ТОВ", "ПрАТ"),
    ),
    "uz": _Jurisdiction(
        names=(
            "Тошкент Кимё Савдо", "Самарқанд Фарм", "Навоий Кимё", "Фарғона Реактив",
            "Бухоро Фарм Савдо", "Андижон Кимё Таъминот", "Наманган Кимё", "Хоразм Фарм",
            "Қарши Кимё Савдо", "Чирчиқ Кимё",
        ),
        cyrillic_forms=(
            # Uzbek companies register as МЧЖ and are as often written with the Russian ООО.
            ("МЧЖ «{}»", "«{}» МЧЖ", "ООО «{}»", "«{}» масъулияти чекланган жамияти"),
            ("АЖ «{}»", "«{}» АЖ", "АО «{}»", "«{}» акциядорлик жамияти"),
        ),
        latin_forms=(
            (
                '"{}" MChJ', "{} MChJ", "{} LLC", 'OOO "{}"', 'LLC "{}"',
                '"{}" masʼuliyati cheklangan jamiyati',
            ),
            ('"{}" AJ', "{} JSC", 'AO "{}"', '"{}" aksiyadorlik jamiyati'),
        ),
        latin_system="uz_latin",
        systems=("uz_latin", "uz_ascii", "uz_russian"),
        abbreviations=("МЧЖ", "ООО", "АЖ"),
    ),
    "de": _Jurisdiction(
        names=(
            "Rheinchemie Handels", "Weser Labortechnik", "Brandt Pharma Vertrieb",
            "Hoffmann Chemikalienhandel", "Elbe Reagenzien", "Schwarzwald Synthese",
            "Nordchem Logistik", "Main Feinchemie", "Isar Pharmahandel", "Lahn Analytik",
            "Kessler Chemie", "Vogel Spezialchemie",
        ),
        latin_forms=(
            ("{} GmbH", "{} Gesellschaft mit beschränkter Haftung", "{} Ges.m.b.H.",
             "{} G.m.b.H."),
            ("{} AG", "{} Aktiengesellschaft"),
            ("{} GmbH & Co. KG", "{} GmbH & Co KG"),
        ),
    ),
    "pl": _Jurisdiction(
        names=(
            "Chemipol Trading", "Polchem Dystrybucja", "Wisła Farmacja", "Bałtyk Odczynniki",
            "Synteza Kraków", "Odra Chemikalia", "Mazowsze Laboratoria",
            "Pomorska Hurtownia Chemiczna", "Warta Pharma", "Tatra Chem",
        ),
        latin_forms=(
            (
                "{} Sp. z o.o.", "{} sp. z o.o.", "{} Spółka z ograniczoną odpowiedzialnością",
                "{} Sp.z o.o.", "{} Sp. z o. o.", "{} spółka z o.o.",
            ),
            ("{} S.A.", "{} SA", "{} Spółka Akcyjna"),
        ),
    ),
    "cz": _Jurisdiction(
        names=(
            "Chemapol Brno", "Vltava Reagencie", "Lachema Trade", "Moravia Pharma Distribuce",
            "Labochem Praha", "Bohemia Chemikálie", "Ostrava Synthesis", "Šumava Farm",
        ),
        latin_forms=(
            ("{} s.r.o.", "{} spol. s r.o.", "{} společnost s ručením omezeným", "{}, s.r.o.",
             "{} s. r. o."),
            ("{} a.s.", "{}, a.s.", "{} akciová společnost"),
        ),
    ),
    "yu": _Jurisdiction(
        names=(
            "Kemika Zagreb", "Sava Farmacija", "Jadran Hemija", "Dunav Hem Trade",
            "Kemofarm Ljubljana", "Morava Hemikalije", "Drina Lab", "Neretva Kem",
        ),
        latin_forms=(
            ("{} d.o.o.", "{} doo", "{} D.O.O.", "{} d. o. o.",
             "{} društvo s ograničenom odgovornošću"),
            ("{} d.d.", "{} dioničko društvo"),
        ),
    ),
    "fr": _Jurisdiction(
        names=(
            "Chimie Rhône Distribution", "Laboratoires Garonne", "Sud Réactifs",
            "Provence Synthèse", "Normandie Pharma Négoce", "Loire Chimie", "Alsace Solvants",
            "Atlantique Réactifs",
        ),
        latin_forms=(
            ("{} SARL", "{} S.A.R.L.", "{} Société à responsabilité limitée", "SARL {}"),
            ("{} SAS", "{} S.A.S.", "{} Société par actions simplifiée", "SAS {}"),
            ("{} SA", "{} S.A.", "{} Société anonyme"),
        ),
    ),
    "tr": _Jurisdiction(
        names=(
            "Anadolu Kimya", "Ege Kimya Ticaret", "Marmara Reaktif", "Kapadokya Kimya",
            "Boğaziçi İlaç Hammaddeleri", "Trakya Laboratuvar", "Karadeniz Kimyevi Maddeler",
            "Toros Kimya Sanayi",
        ),
        latin_forms=(
            ("{} Ltd. Şti.", "{} Limited Şirketi", "{} Ltd Şti"),
            ("{} A.Ş.", "{} Anonim Şirketi", "{} AŞ"),
        ),
    ),
    "gr": _Jurisdiction(
        names=(
            "Chimika Attikis", "Aigaion Pharma", "Thessaloniki Chemicals", "Kriti Reagents",
            "Olympos Chemical Trading",
        ),
        latin_forms=(("{} A.E.", "{} S.A.", "{} AE", "{} Anonymi Etaireia"),),
    ),
    "cn": _Jurisdiction(
        names=(
            "Shandong Huayang Chemical", "Jiangsu Tianma Pharmaceutical",
            "Hubei Xinyuan Chemical Trading", "Zhejiang Hengda Fine Chemicals",
            "Hebei Longteng Chemical", "Shanghai Dongfang Reagents",
            "Guangzhou Jinhui Pharmaceutical", "Tianjin Haiyang Chemical Industry",
            "Wuhan Kaiyuan Biotech", "Sichuan Hongtai Chemical",
        ),
        latin_forms=(
            ("{} Co., Ltd.", "{} Company Limited", "{} Co. Ltd", "{} Co.,Ltd.", "{} Co Ltd"),
        ),
    ),
    "ae": _Jurisdiction(
        names=(
            "Gulf Chemicals Trading", "Al Noor Pharma", "Emirates Reagents",
            "Al Fajr Chemical Trading", "Jebel Ali Solvents", "Al Waha Laboratory Supplies",
            "Desert Rose Chemicals",
        ),
        latin_forms=(
            ("{} LLC", "{} L.L.C.", "{} Limited Liability Company", "{} L.L.C"),
            ("{} FZE", "{} F.Z.E.", "{} Free Zone Establishment"),
            ("{} FZCO", "{} FZ Co", "{} Free Zone Company"),
        ),
    ),
    "gb": _Jurisdiction(
        names=(
            "Thames Chemical Supplies", "Pennine Reagents", "Clyde Pharma Logistics",
            "Severn Fine Chemicals", "Mercia Laboratory Supplies",
        ),
        latin_forms=(
            ("{} Ltd", "{} Limited", "{} Ltd.", "{} LTD"),
            ("{} PLC", "{} plc", "{} Public Limited Company"),
        ),
    ),
}  # fmt: skip
_CIS = ("ru", "kz", "ua", "uz")


def _latin_name(key: str, name: str) -> str:
    system = _JURISDICTIONS[key].latin_system
    return transliterate(name, system) if system else name


@dataclass(frozen=True)
class _Family:
    """Made-up company names from slots (place, brand, sector...) and the forms they carry."""

    pattern: tuple[str, ...]
    forms: tuple[str, ...]


# Slot values within one slot are different words to an analyst (no Pharma and Pharmacy, no
# Chemical and Petrochemical, no Trade and Trading), so changing one slot makes another company.
_SLOTS: dict[str, tuple[str, ...]] = {
    "place": (
        "Almaty", "Astana", "Karaganda", "Shymkent", "Tashkent", "Samarkand", "Bukhara",
        "Volga", "Ural", "Siberia", "Baltic", "Caspian", "Danube", "Rhine", "Baikal", "Dnipro",
        "Kharkiv", "Odesa", "Ankara", "Izmir", "Bursa", "Gdansk", "Poznan", "Brno", "Ostrava",
        "Lyon", "Marseille", "Hamburg", "Bremen", "Leipzig", "Dubai", "Sharjah", "Athens",
        "Piraeus", "Zagreb", "Belgrade",
    ),
    "brand": (
        "Alpha", "Delta", "Orion", "Vega", "Sirius", "Atlas", "Titan", "Zenith", "Polaris",
        "Meridian", "Vector", "Summit", "Horizon", "Pinnacle", "Crystal", "Phoenix", "Aurora",
        "Falcon", "Granit", "Fortuna", "Oasis", "Lotus", "Cedar", "Amber", "Cobalt", "Helix",
        "Quantum",
    ),
    "sector": (
        "Chemical", "Pharma", "Polymer", "Solvents", "Fertilizer", "Paints", "Plastics",
        "Biotech", "Cosmetics", "Agro", "Metals", "Glass", "Textile", "Reagents",
    ),
    "activity": (
        "Trading", "Logistics", "Distribution", "Manufacturing", "Engineering", "Research",
        "Consulting", "Packaging", "Import", "Export", "Services", "Holding", "Industries",
    ),
    "place_cis": (
        "Almaty", "Karaganda", "Volga", "Ural", "Sibir", "Kama", "Don", "Kuban", "Baikal",
        "Neva", "Amur", "Tula", "Samara", "Kazan", "Shymkent", "Aktobe", "Pavlodar", "Atyrau",
    ),
    "compound": (
        "Khimprom", "Khimsnab", "Khimtrade", "Farmsnab", "Reaktiv", "Orgsintez", "Azot",
        "Polimer", "Lakokraska", "Khimservis", "Farmtorg", "Agrokhim", "Medsnab",
    ),
    "place_tr": (
        "Anadolu", "Ege", "Marmara", "Karadeniz", "Trakya", "Toros", "Akdeniz", "Kapadokya",
        "Boğaziçi", "Çukurova", "İzmir", "Bursa", "Konya", "Kocaeli",
    ),
    "sector_tr": (
        "Kimya", "Boya", "İlaç", "Plastik", "Gübre", "Tekstil", "Gıda", "Ambalaj",
        "Laboratuvar", "Metal",
    ),
    "place_de": (
        "Rhein", "Main", "Elbe", "Weser", "Isar", "Ruhr", "Saar", "Harz", "Spree", "Neckar",
        "Mosel", "Donau",
    ),
    "sector_de": (
        "Chemie", "Pharma", "Kunststoffe", "Lacke", "Düngemittel", "Reagenzien", "Laborbedarf",
        "Metallhandel", "Verpackung",
    ),
    "place_pl": (
        "Wisła", "Odra", "Warta", "Bałtyk", "Mazowsze", "Śląsk", "Pomorze", "Tatry", "Karpaty",
        "Kraków", "Poznań", "Gdańsk",
    ),
    "sector_pl": ("Chemia", "Farmacja", "Tworzywa", "Nawozy", "Odczynniki", "Farby", "Opakowania"),
    "province": (
        "Shandong", "Jiangsu", "Zhejiang", "Hubei", "Hebei", "Shanghai", "Guangdong", "Tianjin",
        "Sichuan", "Anhui", "Henan", "Fujian",
    ),
    "brand_zh": (
        "Huayang", "Tianma", "Xinyuan", "Hengda", "Longteng", "Dongfang", "Jinhui", "Haiyang",
        "Kaiyuan", "Hongtai", "Ruitai", "Jiahe", "Shengda", "Zhongxin", "Yongsheng", "Tianyu",
        "Fuxing", "Huaxin",
    ),
    "industry": (
        "Chemical", "Pharmaceutical", "Biotechnology", "New Materials", "Plastics", "Pigments",
        "Fertilizer", "Textile",
    ),
    "brand_ae": (
        "Al Noor", "Al Fajr", "Al Waha", "Al Amal", "Al Rawda", "Al Safa", "Gulf", "Emirates",
        "Desert Rose", "Al Baraka", "Al Hilal", "Jebel Ali",
    ),
}  # fmt: skip
_EN_FORMS = (
    "{} LLC", "{} Ltd", "{} GmbH", "{} LLP", "{} FZE", "{} Sp. z o.o.", "{} s.r.o.", "{} d.o.o.",
    "{} SARL", "{} TOO", "{} A.Ş.", "{} S.A.",
)  # fmt: skip
_FAMILIES: tuple[tuple[_Family, float], ...] = (
    (_Family(("place", "sector", "activity"), _EN_FORMS), 3),
    (_Family(("brand", "sector"), _EN_FORMS), 2),
    (_Family(("brand", "sector", "activity"), _EN_FORMS), 2),
    (_Family(("place_cis", "compound"), ("{} TOO", "{} LLP", 'OOO "{}"', "{} LLC", 'TOO "{}"')), 3),
    (_Family(("place_tr", "sector_tr"), ("{} Ltd. Şti.", "{} A.Ş.")), 1.5),
    (_Family(("place_de", "sector_de"), ("{} GmbH", "{} AG", "{} GmbH & Co. KG")), 1.5),
    (_Family(("place_pl", "sector_pl"), ("{} Sp. z o.o.", "{} S.A.")), 1),
    (_Family(("province", "brand_zh", "industry"), ("{} Co., Ltd.",)), 2),
    (_Family(("brand_ae", "sector", "activity"), ("{} LLC", "{} FZE", "{} FZCO")), 1.5),
)
# Words that say what a company does or what it is, not which company it is.
_GENERIC_SLOTS = ("sector", "activity", "sector_tr", "sector_de", "sector_pl", "industry")
_GENERIC_EXTRA = (
    "al", "el", "co", "ltd", "llc", "llp", "too", "ooo", "gmbh", "ag", "kg", "sp", "z", "o",
    "s", "a", "r", "d", "sa", "as", "sti", "fze", "fzco", "sarl", "jsc", "and", "limited",
    "company", "trading", "chemical", "chemicals", "pharma", "kimya", "chemie",
)  # fmt: skip


def _family_company(rng: random.Random) -> tuple[str, str]:
    """A made-up company: (name without legal form, template with its legal form)."""
    families = [family for family, _ in _FAMILIES]
    family = rng.choices(families, weights=[w for _, w in _FAMILIES])[0]
    core = " ".join(rng.choice(_SLOTS[slot]) for slot in family.pattern)
    return core, rng.choice(family.forms)


def _registered_company(rng: random.Random) -> tuple[str, str]:
    """A company of the legal-form pools, in Latin: (name, template with its legal form)."""
    key = rng.choice(list(_JURISDICTIONS))
    jurisdiction = _JURISDICTIONS[key]
    core = _latin_name(key, rng.choice(jurisdiction.names))
    return core, rng.choice(rng.choice(jurisdiction.latin_forms))


def _company(rng: random.Random) -> tuple[str, str]:
    return _registered_company(rng) if rng.random() < 0.4 else _family_company(rng)


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    words = {w for slot in _GENERIC_SLOTS for value in _SLOTS[slot] for w in _words(value)}
    return frozenset(words | set(_GENERIC_EXTRA))


def _distinctive(name: str) -> set[str]:
    return set(_words(name)) - _generic_words()


# --------------------------------------------------------------------------------------------
# Typing slips
# --------------------------------------------------------------------------------------------

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(letter: str) -> str:
    for row_index, row in enumerate(_KEYBOARD):
        column = row.find(letter)
        if column < 0:
            continue
        near = [row[c] for c in (column - 1, column + 1) if 0 <= c < len(row)]
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_KEYBOARD):
                near += [_KEYBOARD[other][c] for c in (column, column + 1)
                         if 0 <= c < len(_KEYBOARD[other])]  # fmt: skip
        return "".join(near)
    return ""


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Every word the pools can write, so that a slip never turns a name into another one."""
    words: set[str] = set()
    for key, pool in _CULTURES.items():
        names = [*pool.male, *pool.female, *pool.surnames, *pool.female_surnames]
        names += [_feminine(key, s) for s in pool.surnames]
        names += [middle for _, son, daughter in pool.fathers for middle in (son, daughter)]
        if key == "el":
            names += _EL_FATHERS
        if key == "ar":
            names = [spelling for name in names for spelling in _ARABIC[name]]
        elif key == "zh":
            names = ["".join(_HANZI[char][0] for char in name) for name in names]
        elif pool.native:
            names = [transliterate(n, system) for n in names for system in pool.systems]
        for name in names:
            words.update(_words(name))
    for values in _SLOTS.values():
        for value in values:
            words.update(_words(value))
    return frozenset(words)


def _slip(rng: random.Random, word: str) -> str | None:
    """The word with one slip away from its first and last letters, or None when none fits."""
    inner = range(1, len(word) - 1)
    operation = rng.choice(("neighbour", "drop", "add", "swap", "double", "undouble"))
    i = rng.choice(inner)
    lower = word[i].lower()
    if operation == "neighbour":
        near = _neighbours(lower)
        if not near:
            return None
        new = rng.choice(near)
        return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    if operation == "drop":
        return word[:i] + word[i + 1 :]
    if operation == "add":
        near = _neighbours(lower)
        return word[: i + 1] + rng.choice(near) + word[i + 1 :] if near else None
    if operation == "swap":
        if i + 1 >= len(word) - 1 or word[i] == word[i + 1]:
            return None
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if operation == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    doubles = [j for j in range(1, len(word) - 2) if word[j] == word[j + 1]]
    if not doubles:
        return None
    j = rng.choice(doubles)
    return word[:j] + word[j + 1 :]


def _with_slips(rng: random.Random, text: str, count: int) -> str | None:
    pieces = re.split(r"(\s+)", text)
    candidates = [i for i, piece in enumerate(pieces) if piece.isalpha() and len(piece) >= 4]
    if not candidates:
        return None
    places = rng.sample(candidates, min(count, len(candidates)))
    if len(places) < count:
        if len(pieces[places[0]]) < 8:
            return None
        places = places * count  # two slips in one long word
    for place in places:
        for _ in range(10):
            slipped = _slip(rng, pieces[place])
            if slipped and _fold(slipped) not in _vocabulary():
                pieces[place] = slipped
                break
        else:
            return None
    return "".join(pieces)


# --------------------------------------------------------------------------------------------
# The categories
# --------------------------------------------------------------------------------------------


def _transliteration(rng: random.Random) -> Made:
    kind = _weighted(
        rng,
        (("ru", 30), ("uk", 14), ("kk", 11), ("uz", 10), ("el", 12), ("ar", 8), ("zh", 6),
         ("company", 12)),
    )  # fmt: skip
    if kind == "company":
        return _transliterated_company(rng)
    pool = _CULTURES[kind]
    person = _person(rng, kind, middle=kind in _CYRILLIC and rng.random() < 0.35)
    # Russian-speaking registers put the surname first; Chinese names are surname-first.
    order = "surname" if kind == "zh" or (kind in _CYRILLIC and rng.random() < 0.3) else "given"
    upper = rng.random() < 0.15  # passport style: PETROV IVAN
    # The original script against a Latin rendering, or two Latin renderings (for Arabic: two
    # independent choices of the usual spellings of each name).
    native = rng.random() < 0.45
    if native:
        one = _full(person, order)
        two = _full(_Renderer(rng, kind, rng.choice(pool.systems or ("",))).person(person), order)
    else:
        first, second = rng.sample(pool.systems, 2) if pool.systems else ("", "")
        one = _full(_Renderer(rng, kind, first).person(person), order)
        two = _full(_Renderer(rng, kind, second).person(person), order)
        # Renderings that differ only in marks (Fëdorov, Fedorov) belong to diacritics.
        if _fold(one) == _fold(two):
            return None
    if upper:
        two = two.upper()
    return "Person", one, two


def _transliterated_company(rng: random.Random) -> Made:
    key = rng.choice(_CIS)
    jurisdiction = _JURISDICTIONS[key]
    name = rng.choice(jurisdiction.names)
    abbreviation = rng.choice(jurisdiction.abbreviations)
    latin_abbreviation = _ABBR_LATIN[abbreviation]
    templates = ('{a} "{n}"', "{n} {a}", "{a} {n}")
    if rng.random() < 0.6:
        one = f"{abbreviation} «{name}»"
        latin = transliterate(name, rng.choice(jurisdiction.systems))
        two = rng.choice(templates).format(a=latin_abbreviation, n=latin)
    else:
        first, second = rng.sample(jurisdiction.systems, 2)
        template = rng.choice(templates)
        one = template.format(a=latin_abbreviation, n=transliterate(name, first))
        two = template.format(a=latin_abbreviation, n=transliterate(name, second))
        if one.casefold() == two.casefold():
            return None
    return "Company", one, two


def _legal_form(rng: random.Random) -> Made:
    keys = list(_JURISDICTIONS)
    key = rng.choices(keys, weights=[2 if k in _CIS else 1 for k in keys])[0]
    jurisdiction = _JURISDICTIONS[key]
    name = rng.choice(jurisdiction.names)
    if jurisdiction.cyrillic_forms and rng.random() < 0.35:
        groups = jurisdiction.cyrillic_forms
    else:
        groups, name = jurisdiction.latin_forms, _latin_name(key, name)
    group = rng.choice(groups)
    if rng.random() < 0.25:
        return "Company", rng.choice(group).format(name), name  # the form dropped
    first, second = rng.sample(group, 2)
    return "Company", first.format(name), second.format(name)


_DIACRITIC_COMPANIES: dict[str, tuple[str, ...]] = {
    "pl": (
        "Chemia Łódź Sp. z o.o.", "Odczynniki Gdańsk Sp. z o.o.", "Farmacja Wrocław S.A.",
        "Hurtownia Chemiczna Śląsk Sp. z o.o.", "Łódzkie Odczynniki Sp. z o.o.",
        "Zakłady Chemiczne Bełchatów S.A.",
    ),
    "cs": (
        "Chemické Závody Přerov a.s.", "Lékárenská Distribuce Plzeň s.r.o.",
        "Činidla Brno s.r.o.", "Labochem Ústí s.r.o.", "Chemikálie Třebíč s.r.o.",
    ),
    "tr": (
        "Boğaziçi Kimya A.Ş.", "Güneş İlaç Ltd. Şti.", "Çukurova Kimya Ticaret A.Ş.",
        "Özgür Kimyevi Maddeler Ltd. Şti.", "İzmir Laboratuvar Malzemeleri Ltd. Şti.",
        "Doğuş Kimya A.Ş.", "Ünal Boya Sanayi Ltd. Şti.",
    ),
    "de": (
        "Chemiehandel Müller GmbH", "Grünwald Feinchemie GmbH", "Lösungsmittel Köln GmbH",
        "Süddeutsche Reagenzien AG", "Bärenwald Pharma GmbH",
        "Gebrüder Schröder Chemikalien KG", "Jäger & Söhne Laborbedarf GmbH",
    ),
    "fr": (
        "Société Chimique du Rhône SA", "Réactifs de Lyon SARL",
        "Chimie Générale de l'Isère SAS", "Pharmacie Centrale d'Évry SARL",
        "Négoce Chimique Méditerranée SAS", "Laboratoires Hélène Bérard SARL",
    ),
    "ro": (
        "Chimica Ștefănești SRL", "Farmaceutica Brașov SA", "Reactivi Timișoara SRL",
        "Chimpex Mărășești SRL",
    ),
    "hr": (
        "Hemija Đakovo d.o.o.", "Kemikalije Šibenik d.o.o.", "Laboratorija Čačak d.o.o.",
        "Kemija Požega d.o.o.", "Đurđevac Kem d.o.o.",
    ),
}  # fmt: skip
# The ways a name with marks is found written without them, by language.
_PLAIN_SPELLINGS: dict[str, tuple[Callable[[str], str], ...]] = {
    "de": (strip_marks, _respell(_GERMAN)),  # Müller: Muller, Mueller
    "tr": (strip_marks, _respell(_GERMAN)),  # passports' machine-readable zone: OEZTUERK
    "hr": (strip_marks, _respell(_SERBIAN)),  # Đorđević: Dordevic, Djordjevic
    "ro": (strip_marks, _swap_cedilla),  # Ștefan: Stefan, and Ştefan with the old cedilla
}


def _diacritics(rng: random.Random) -> Made:
    culture = _weighted(
        rng,
        (("pl", 16), ("cs", 16), ("tr", 18), ("de", 16), ("fr", 12), ("ro", 10), ("hr", 10),
         ("kk", 4)),
    )  # fmt: skip
    schema: Schema
    if culture != "kk" and rng.random() < 0.3:
        schema, name = "Company", rng.choice(_DIACRITIC_COMPANIES[culture])
    elif culture == "kk":
        # Kazakh Latin (Jūmabaev, Äsem) against the same letters plain.
        person = _Renderer(rng, "kk", "kz_latin").person(_person(rng, "kk"))
        schema, name = "Person", _full(person)
    else:
        person = _person(rng, culture, middle=rng.random() < 0.1)
        schema, name = "Person", _full(person, rng.choice(("given", "given", "surname")))
    if strip_marks(name) == name:
        return None
    spellings = _PLAIN_SPELLINGS.get(culture, (strip_marks,))
    variants = [spell(name) for spell in spellings]
    if len(variants) > 1 and variants[0] != variants[1] and rng.random() < 0.35:
        one, two = variants[0], variants[1]
    else:
        one, two = name, rng.choice(variants)
    if rng.random() < 0.15:
        two = two.upper()
    return (schema, one, two) if one != two else None


def _word_order(rng: random.Random) -> Made:
    culture = _weighted(rng, _CULTURE_WEIGHTS)
    pool = _CULTURES[culture]
    chance = {"patronymic": 0.5, "father": 0.5, "second": 0.15, "none": 0.0}[pool.middle]
    person = _person(rng, culture, middle=rng.random() < chance)
    if not (culture in (*_CYRILLIC, "el") and rng.random() < 0.15):
        person = _Renderer(rng, culture).person(person)
    given_first = _full(person, "given", upper_surname=rng.random() < 0.2)
    surname_first = _full(
        person, rng.choice(("surname", "comma")), upper_surname=rng.random() < 0.35
    )
    return "Person", given_first, surname_first


def _middle_and_initials(rng: random.Random) -> Made:
    variant = _weighted(
        rng,
        (("middle_initial", 30), ("middle_dropped", 25), ("all_initials", 15),
         ("given_initial", 15), ("initial_or_dropped", 10), ("hyphenated", 5)),
    )  # fmt: skip
    if variant == "hyphenated":
        culture = rng.choice(("de", "fr"))
        pool = _CULTURES[culture]
        given = rng.choice([name for name in pool.male + pool.female if "-" in name])
        female = given in pool.female
        person = replace(_person(rng, culture, female=female), given=given)
    else:
        weights = [(c, w) for c, w in _CULTURE_WEIGHTS if c != "zh"]
        culture = _weighted(rng, weights)
        person = _person(rng, culture, middle=variant != "given_initial")
    (person,) = _render_native_or_latin(rng, [person], native_chance=0.15)
    given, middle, surname = person.given, person.middle, person.surname
    if variant == "middle_initial":
        one, two = f"{given} {middle} {surname}", f"{given} {_initial(middle)} {surname}"
    elif variant == "middle_dropped":
        one, two = f"{given} {middle} {surname}", f"{given} {surname}"
    elif variant == "all_initials":
        spacing = rng.choice((" ", ""))
        initials = f"{_initial(given)}{spacing}{_initial(middle)}"
        one, two = f"{given} {middle} {surname}", f"{initials} {surname}"
    elif variant == "initial_or_dropped":
        one, two = f"{given} {_initial(middle)} {surname}", f"{given} {surname}"
    else:  # given_initial, hyphenated
        one, two = f"{given} {surname}", f"{_initial(given)} {surname}"
    return "Person", one, two


def _typo(rng: random.Random) -> Made:
    schema: Schema
    if rng.random() < 0.35:
        core, template = _company(rng)
        schema = "Company"
    else:
        culture = _weighted(rng, _CULTURE_WEIGHTS)
        person = _person(rng, culture, middle=rng.random() < 0.2)
        (person,) = _render_native_or_latin(rng, [person], native_chance=0.1)
        core, template = _full(person, rng.choice(("given", "surname"))), "{}"
        schema = "Person"
    letters = sum(char.isalpha() for char in core)
    count = 2 if letters >= 12 and rng.random() < 0.35 else 1
    slipped = _with_slips(rng, core, count)
    if slipped is None:
        return None
    return schema, template.format(core), template.format(slipped)


# Surnames of one region that look alike but are different families.
_SIMILAR_SURNAMES: tuple[tuple[str, str, str], ...] = (
    ("ru", "Petrov", "Petrenko"), ("ru", "Ivanov", "Ivanenko"), ("ru", "Pavlov", "Pavlenko"),
    ("ru", "Sidorov", "Sidorenko"), ("ru", "Kovalev", "Kovalenko"),
    ("uk", "Kravchenko", "Kravchuk"), ("uk", "Shevchenko", "Shevchuk"),
    ("uk", "Tkachenko", "Tkachuk"), ("uk", "Melnyk", "Melnychuk"),
    ("pl", "Kowalski", "Kowalczyk"), ("pl", "Nowak", "Nowakowski"), ("pl", "Mazur", "Mazurek"),
    ("cs", "Novák", "Novotný"), ("tr", "Yılmaz", "Yıldız"), ("tr", "Yıldırım", "Yıldız"),
    ("tr", "Demir", "Özdemir"), ("tr", "Kaya", "Kara"), ("de", "Schmidt", "Schneider"),
    ("de", "Schmitz", "Schmidt"), ("el", "Papadopoulos", "Papadakis"),
    ("el", "Georgiou", "Georgiadis"), ("zh", "Zhang", "Zhao"), ("ar", "al-Masri", "al-Ansari"),
    ("uz", "Karimov", "Kasimov"), ("uz", "Rahimov", "Rahmonov"), ("hr", "Petrović", "Petković"),
    ("hr", "Marković", "Marić"), ("hr", "Jovanović", "Jovičić"), ("ro", "Popescu", "Popovici"),
    ("en", "Johnson", "Jackson"), ("en", "Harris", "Morris"),
)  # fmt: skip


def _decoy(rng: random.Random) -> Made:
    kind = _weighted(
        rng,
        (("company", 45), ("given", 16), ("surname", 14), ("similar_surname", 7),
         ("gender", 8), ("patronymic", 6), ("father_and_son", 4)),
    )  # fmt: skip
    if kind == "company":
        return _company_decoy(rng)
    if kind == "similar_surname":
        culture, surname, other = rng.choice(_SIMILAR_SURNAMES)
        given = _Renderer(rng, culture).word(rng.choice(_CULTURES[culture].male))
        if culture == "zh":
            return "Person", f"{surname} {given}", f"{other} {given}"
        return "Person", f"{given} {surname}", f"{given} {other}"
    people: list[_Person]
    if kind == "given":
        culture = _weighted(rng, _CULTURE_WEIGHTS)
        pool = _CULTURES[culture]
        one = _person(rng, culture, middle=pool.middle == "patronymic" and rng.random() < 0.3)
        names = pool.female if one.female else pool.male
        other = rng.choice([name for name in names if _disjoint(name, one.given)])
        people = [one, replace(one, given=other)]
    elif kind == "surname":
        culture = _weighted(rng, _CULTURE_WEIGHTS)
        pool = _CULTURES[culture]
        one = _person(rng, culture)
        surnames = pool.female_surnames if one.female and pool.female_surnames else pool.surnames
        candidates = [_feminine(culture, s) if one.female else s for s in rng.sample(surnames, 6)]
        candidates = [s for s in candidates if s != one.surname]
        if rng.random() < 0.5:
            # The most alike of a few: Petrov and Popov rather than Petrov and Zaitsev.
            other = max(
                candidates, key=lambda s: difflib.SequenceMatcher(None, s, one.surname).ratio()
            )
        else:
            other = rng.choice(candidates)
        people = [one, replace(one, surname=other)]
    elif kind == "gender":
        culture = rng.choice([c for c, pool in _CULTURES.items() if pool.gender_pairs])
        pool = _CULTURES[culture]
        man, woman = rng.choice(pool.gender_pairs)
        surname = rng.choice(pool.female_surnames or pool.surnames)
        people = [
            _Person(culture, man, surname, native=pool.native),
            _Person(culture, woman, _feminine(culture, surname), female=True, native=pool.native),
        ]
    elif kind == "patronymic":
        culture = rng.choice((*_CYRILLIC, "el", "ar"))
        one = _person(rng, culture, middle=True)
        other = one.middle
        while other == one.middle:
            other = _middle_name(rng, culture, one.given, one.female)
        people = [one, replace(one, middle=other)]
    else:  # father_and_son: Ivan Petrovich against Petr Ivanovich, one family
        culture = rng.choice(("ru", "uk"))
        pool = _CULTURES[culture]
        (given1, son1, _), (given2, son2, _) = rng.sample(pool.fathers, 2)
        surname = rng.choice(pool.surnames)
        people = [
            _Person(culture, given1, surname, son2, native=True),
            _Person(culture, given2, surname, son1, native=True),
        ]
    people = _render_native_or_latin(rng, people, native_chance=0.15)
    order = "surname" if rng.random() < 0.25 else "given"
    one_name, two_name = (_full(p, order) for p in people)
    if _fold(one_name) == _fold(two_name):
        return None
    return "Person", one_name, two_name


def _company_decoy(rng: random.Random) -> Made:
    families = [family for family, _ in _FAMILIES]
    family = rng.choices(families, weights=[w for _, w in _FAMILIES])[0]
    values = [rng.choice(_SLOTS[slot]) for slot in family.pattern]
    changed = rng.randrange(len(values))
    others = list(values)
    others[changed] = rng.choice(
        [v for v in _SLOTS[family.pattern[changed]] if v != values[changed]]
    )
    template = rng.choice(family.forms)
    return "Company", template.format(" ".join(values)), template.format(" ".join(others))


def _unrelated(rng: random.Random) -> Made:
    if rng.random() < 0.5:
        (core1, template1), (core2, template2) = _company(rng), _company(rng)
        if _distinctive(core1) & _distinctive(core2) or not _distinctive(core1):
            return None
        return "Company", template1.format(core1), template2.format(core2)
    cultures = [_weighted(rng, _CULTURE_WEIGHTS) for _ in range(2)]
    people = [_person(rng, c, middle=rng.random() < 0.2) for c in cultures]
    latin = [_Renderer(rng, p.culture).person(p) for p in people]
    if not _disjoint(_full(latin[0]), _full(latin[1])):
        return None
    names = [
        _full(p if p.native and rng.random() < 0.1 else q)
        for p, q in zip(people, latin, strict=True)
    ]
    return "Person", names[0], names[1]


_MAKERS: dict[str, Callable[[random.Random], Made]] = {
    "transliteration": _transliteration,
    "legal_form": _legal_form,
    "diacritics": _diacritics,
    "word_order": _word_order,
    "typo": _typo,
    "middle_and_initials": _middle_and_initials,
    "decoy": _decoy,
    "unrelated": _unrelated,
}


def generate(seed: int = SEED) -> list[EvalPair]:
    """The labelled pairs, PAIRS_PER_CATEGORY of each category, the same for the same seed."""
    rng = random.Random(seed)
    pairs: list[EvalPair] = []
    seen: set[tuple[str, str]] = set()  # a pair is made once, in one category only
    for category in CATEGORIES:
        make = _MAKERS[category]
        made = attempts = 0
        while made < PAIRS_PER_CATEGORY:
            attempts += 1
            if attempts > PAIRS_PER_CATEGORY * 50:
                raise RuntimeError(f"cannot make {PAIRS_PER_CATEGORY} {category} pairs")
            result = make(rng)
            if result is None:
                continue
            schema, one, two = result
            one, two = " ".join(one.split()), " ".join(two.split())
            key = (one, two) if one <= two else (two, one)
            if one == two or key in seen:
                continue
            seen.add(key)
            if rng.random() < 0.5:
                one, two = two, one
            pairs.append(EvalPair(category, schema, one, two, category in TRUE_CATEGORIES))
            made += 1
    return pairs


def write_csv(path: str | Path, pairs: Sequence[EvalPair] | None = None) -> None:
    """The pairs (by default the seeded set) as CSV: category, schema, name1, name2, is_match."""
    rows = generate() if pairs is None else pairs
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["category", "schema", "name1", "name2", "is_match"])
        for p in rows:
            writer.writerow([p.category, p.schema, p.name1, p.name2, str(p.is_match).lower()])


def main() -> None:
    """Print the set's counts and, given a path, write it there as CSV."""
    pairs = generate()
    for category in CATEGORIES:
        print(f"{category}: {sum(1 for p in pairs if p.category == category)}")
    print(f"total: {len(pairs)}")
    if len(sys.argv) > 1:
        write_csv(sys.argv[1], pairs)
        print(f"written to {sys.argv[1]}")


if __name__ == "__main__":
    main()
