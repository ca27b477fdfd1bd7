"""A name broken into the words a comparison works on, with what each word is, cached."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from rigour.names import (
    Name,
    NamePart,
    NamePartTag,
    NameTypeTag,
    Symbol,
    SymbolCategory,
    analyze_names,
)
from rigour.text.scripts import is_dense_script, is_latin

from precx.screening.matching.normalize import (
    EntityType,
    fold,
    legal_form_words,
    letter_by_letter,
)

TYPE_TAGS: dict[EntityType, NameTypeTag] = {
    EntityType.person: NameTypeTag.PER,
    EntityType.company: NameTypeTag.ORG,
    EntityType.vessel: NameTypeTag.OBJ,
    EntityType.other: NameTypeTag.ENT,
}

# Legal forms of the region that rigour's table misses in Latin script, in addition to those of
# legal_forms.yaml: the spelt-out Uzbek, Kazakh, Kyrgyz and Ukrainian forms, and the Ukrainian
# and Uzbek abbreviations (PrAT, PAT, AJ). Mapped to rigour's generic forms.
_MORE_LEGAL_FORMS: dict[str, str] = {
    "masuliyati cheklangan jamiyati": "llc",
    "mas uliyati cheklangan jamiyati": "llc",
    "zhauapkershiligi shekteuli seriktestik": "llp",
    "jauapkershiligi shekteuli seriktestik": "llp",
    "zhoopkerchiligi chektelgen koom": "llc",
    "tovarystvo z obmezhenoiu vidpovidalnistiu": "llc",
    "tovarystvo z obmezhenoyu vidpovidalnistyu": "llc",
    "aktsionerne tovarystvo": "jsc",
    "aksiyadorlik jamiyati": "jsc",
    "aktsiyadorlik jamiyati": "jsc",
    "aktsionerlik qogham": "jsc",
    "avtonomnaya nekommercheskaya organizatsiya": "ano",
    "ano": "ano",
    "prat": "jsc",
    "pat": "jsc",
    "prjsc": "jsc",
    "private jsc": "jsc",
    "public jsc": "jsc",
    "aj": "jsc",
    "azh": "jsc",
}
# Legal forms of one family say the same thing about the company: LLC, OOO, TOO (an LLP),
# MChJ, GmbH, Sp. z o.o., SARL and d.o.o. are all limited-liability companies.
LEGAL_FAMILIES: dict[str, str] = {
    "llc": "limited liability",
    "llp": "limited liability",
    "jsc": "joint-stock",
    "lp": "partnership",
    "coop": "cooperative",
    "ano": "non-profit",
    "fin": "bank",
}
# Names cut off by a form's field: a last word of a name this long that begins the other name's
# word is taken as cut short, not as another word.
TRUNCATION_LENGTH = 30
# A separator of alternative names written in one string ("Al-Qa'ida/Islamic Army"); not inside
# abbreviations such as A/S or s/o, where the slash stands between single letters.
_ALIAS_SLASH = re.compile(r"(?<=\w{2})\s*/\s*(?=\w{2})")
# Roman numbers up to 39, as funds and trusts are numbered (not L, C, D, M: they are initials).
_ROMAN = re.compile(r"^(?=[ivx])(x{0,3})(ix|iv|v?i{0,3})$")
# Initials written with dots ("N.A.B.C.", "J.P."): each letter is a word, so no letter of them
# may be a typo.
_DOTTED = re.compile(r"(?:\b\w\.\s?){2,}")
_DOTTED_INITIAL = re.compile(r"\b(\w)\.(?=\w)")
# Uzbek Latin writes ў as oʻ and ғ as gʻ (typed o' or o`). rigour drops the mark, leaving an o
# where a passport in the Russian style has a u (Xoʻjayev, Khuzhaev): such a word's second form
# reads it.
_UZBEK_MARK = "[ʻʼ'`’]"
_UZBEK_WORD = re.compile(rf"\w*[og]{_UZBEK_MARK}\w+", re.IGNORECASE)
_UZBEK_MARKED = re.compile(_UZBEK_MARK)
_UZBEK_O = re.compile(rf"o{_UZBEK_MARK}", re.IGNORECASE)
_UZBEK_G = re.compile(rf"g{_UZBEK_MARK}", re.IGNORECASE)


class Role(StrEnum):
    """What a word of a name is, which decides how much it counts."""

    word = "word"  # a name proper: the words that identify the entity
    generic = "generic"  # an org word many companies share: trading, bank, international
    location = "location"  # a place: China, Europe, (Schweiz)
    number = "number"  # a number: 44, II, forty-four
    initial = "initial"  # one letter standing for a name
    stop = "stop"  # al, de, of, the, and
    legal = "legal"  # a legal form: LLC, OOO, GmbH


@dataclass(frozen=True)
class Word:
    """One word of a name in the forms the comparison needs."""

    part: NamePart
    index: int
    text: str  # as written, for explanations
    key: str  # Latin, ASCII, lower case: what is compared
    alt_key: str  # another transliteration (ICU's, where rigour's is key), or key again
    role: Role
    native: str  # rigour's compare form, in the word's own script
    dense: bool  # Han, Kana or Hangul: each character is a syllable of its own
    initialism: bool  # written as dotted initials
    latin_script: bool  # written in Latin script (with or without diacritics)
    number: int | None
    legal: str | None  # generic legal form (llc, jsc) of a legal word
    metaphone: str


@dataclass(frozen=True)
class AnalyzedName:
    """A name as rigour analyses it, with our words; several when it lists alternatives."""

    original: str
    entity_type: EntityType
    name: Name
    words: tuple[Word, ...]
    family: frozenset[int]  # indexes of the words that make the family name, for persons
    cut_index: int | None  # the last word, if the name looks cut off by a form's field
    by_index: dict[int, Word] = field(compare=False)  # the words by their index in rigour's name

    @property
    def joined(self) -> str:
        """The words run together, for names written without spaces."""
        return "".join(w.key for w in self.words if w.role is not Role.legal)

    @property
    def dense(self) -> bool:
        """Whether any word is written in Han, Kana or Hangul."""
        return any(w.dense for w in self.words)


def _span_categories(name: Name) -> dict[int, set[SymbolCategory]]:
    categories: dict[int, set[SymbolCategory]] = {}
    for span in name.spans:
        for part in span.parts:
            categories.setdefault(part.index, set()).add(span.symbol.category)
    return categories


def _role(
    part: NamePart, key: str, categories: set[SymbolCategory], entity_type: EntityType
) -> Role:
    if entity_type is EntityType.person:
        # One letter is an initial, also where its transliteration has two (Greek Χ is ch,
        # Cyrillic Ж zh); not one Chinese character, a whole surname (李).
        if len(key) == 1 or (len(part.form) == 1 and not is_dense_script(part.form)):
            return Role.initial
        return Role.stop if part.tag == NamePartTag.STOP else Role.word
    if part.tag == NamePartTag.NUM or key.isdigit():
        return Role.number
    # Series numbers (Fund II, Trust XV); rigour reads some of them as legal forms too.
    if _ROMAN.match(key) and (
        entity_type is EntityType.company or SymbolCategory.NUMERIC in categories
    ):
        return Role.number
    if part.tag == NamePartTag.LEGAL:
        return Role.legal
    if part.tag == NamePartTag.STOP:
        return Role.stop
    if SymbolCategory.NUMERIC in categories and SymbolCategory.NAME not in categories:
        return Role.number
    if SymbolCategory.LOCATION in categories:
        return Role.location
    if categories & {SymbolCategory.SYMBOL, SymbolCategory.DOMAIN}:
        return Role.generic
    return Role.word


def _roman_value(key: str) -> int:
    values = [{"i": 1, "v": 5, "x": 10}[letter] for letter in key]
    after = [*values[1:], 0]
    return sum(-v if v < a else v for v, a in zip(values, after, strict=True))


def _number(part: NamePart, key: str, name: Name) -> int | None:
    if part.integer is not None:
        return part.integer
    for span in name.spans:
        if span.symbol.category == SymbolCategory.NUMERIC and part in span.parts:
            try:
                return int(span.symbol.id)
            except ValueError:
                return None
    return _roman_value(key) if _ROMAN.match(key) else None


@lru_cache(maxsize=1)
def _legal_form_table() -> tuple[dict[str, str], int]:
    """Legal forms by their words, also run together (A.Ş. is "as", d.o.o. "doo")."""
    forms = {**legal_form_words(), **_MORE_LEGAL_FORMS}
    table = {**{f.replace(" ", ""): g for f, g in forms.items()}, **forms}
    return table, max(len(f.split()) for f in forms)


def _mark_extra_legal_forms(name: Name, entity_type: EntityType) -> dict[int, str]:
    """Legal forms rigour does not know in Latin script (TOO, MChJ, OÜ), first or last only."""
    if entity_type not in (EntityType.company, EntityType.other) or len(name.parts) < 2:
        return {}
    forms, longest = _legal_form_table()
    keys = [p.comparable for p in name.parts]
    found: dict[int, str] = {}
    for size in range(min(longest, len(keys) - 1), 0, -1):
        for start in (0, len(keys) - size):
            if any(i in found for i in range(start, start + size)):
                continue
            generic = forms.get(" ".join(keys[start : start + size]))
            if generic:
                for i in range(start, start + size):
                    found[i] = generic
    for index in found:
        name.apply_part(name.parts[index], Symbol(SymbolCategory.ORG_CLASS, found[index].upper()))
    return found


def _legal_of(part: NamePart, name: Name) -> str | None:
    for span in name.spans:
        if span.symbol.category == SymbolCategory.ORG_CLASS and part in span.parts:
            return span.symbol.id.lower()
    return None


def _family_indexes(original: str, words: list[Word]) -> frozenset[int]:
    """The family name of a person: before the comma of "Putin, Vladimir", else the last word."""
    names = [w for w in words if w.role in (Role.word, Role.initial)]
    if not names:
        return frozenset()
    if "," in original:
        before = fold(original.split(",", 1)[0]).split()
        chosen = [w.index for w in names if fold(w.text) in before]
        if chosen:
            return frozenset(chosen)
    return frozenset({names[-1].index})


def _cut_index(text: str, words: list[Word]) -> int | None:
    """The last word of a name long enough to have been cut off by a form's field (SWIFT lines
    hold 35 characters) and ending in a letter, not a quote or a full stop."""
    text = text.rstrip()
    if len(text) < TRUNCATION_LENGTH or not text[-1].isalnum() or not words:
        return None
    return max(w.index for w in words)


def _one_word(text: str) -> str:
    """Text folded to Latin letters and run together, as a word's key is."""
    return "".join(fold(text).split())


def _latin_keys(part: NamePart) -> tuple[str, str]:
    """The word in Latin letters, rigour's transliteration first, then a second one where
    systems differ: a Greek word letter by letter (Μπακογιάννης is Bakogiannis to rigour,
    Mpakogiannis in a passport), a word of Han or Arabic script normality's."""
    if part.comparable.isascii() and is_latin(part.form):
        return part.comparable, part.comparable
    icu = _one_word(letter_by_letter(part.form))
    if part.comparable.isascii():
        return part.comparable, icu or part.comparable
    return icu or part.comparable, icu or part.comparable


def _uzbek_readings(text: str) -> dict[str, str]:
    """The words written with Uzbek oʻ or gʻ, by their key (the mark dropped), read as a
    Russian-style passport writes them (oʻ is u, gʻ is g)."""
    readings: dict[str, str] = {}
    if not _UZBEK_MARKED.search(text):  # most names: the word search costs 5 µs, this 0.2
        return readings
    for match in _UZBEK_WORD.finditer(text):
        word = match.group(0)
        readings[_one_word(_UZBEK_MARKED.sub("", word))] = _one_word(
            _UZBEK_G.sub("g", _UZBEK_O.sub("u", word))
        )
    return readings


def _analyze_one(text: str, entity_type: EntityType) -> AnalyzedName | None:
    tag = TYPE_TAGS[entity_type]
    if entity_type is EntityType.person:
        # "B.M. Ponomarenko": rigour would read BM as one word; they are two initials.
        text = _DOTTED_INITIAL.sub(r"\1. ", text)
    found = analyze_names(
        tag, [text], infer_initials=entity_type is EntityType.person, consolidate=False
    )
    if not found:
        return None
    name = max(found, key=lambda n: len(n.parts))
    extra_legal = _mark_extra_legal_forms(name, entity_type)
    categories = _span_categories(name)
    dotted = {fold(m.group(0)).replace(" ", "") for m in _DOTTED.finditer(text)}
    uzbek = _uzbek_readings(text)
    words: list[Word] = []
    for part in name.parts:
        key, alt_key = _latin_keys(part)
        alt_key = uzbek.get(key, alt_key)
        role = _role(part, key, categories.get(part.index, set()), entity_type)
        legal = extra_legal.get(part.index) or _legal_of(part, name)
        if legal is not None and role is not Role.number and entity_type is not EntityType.person:
            role = Role.legal
        words.append(
            Word(
                part=part,
                index=part.index,
                text=part.form,
                key=key,
                alt_key=alt_key,
                role=role,
                native=part.comparable,
                dense=is_dense_script(part.form),
                initialism=key in dotted,
                latin_script=is_latin(part.form),
                number=_number(part, key, name) if role is Role.number else None,
                legal=legal if role is Role.legal else None,
                metaphone=part.metaphone or "",
            )
        )
    # A name that is nothing but legal forms or stopwords keeps them as its words.
    if not any(w.role not in (Role.legal, Role.stop) for w in words):
        words = [replace(w, role=Role.word, legal=None) for w in words]
    family = _family_indexes(text, words) if entity_type is EntityType.person else frozenset()
    return AnalyzedName(
        text,
        entity_type,
        name,
        tuple(words),
        family,
        _cut_index(text, words),
        {w.index: w for w in words},
    )


@lru_cache(maxsize=100_000)
def analyze(text: str, entity_type: EntityType) -> tuple[AnalyzedName, ...]:
    """The analysed forms of a name: one, or one per alternative it lists ("A/B")."""
    texts = [text]
    alternatives = [t for t in _ALIAS_SLASH.split(text) if t.strip()]
    if len(alternatives) > 1:
        texts.extend(alternatives)
    analysed = [a for t in texts if (a := _analyze_one(t, entity_type)) is not None]
    return tuple(analysed)


def preload() -> None:
    """Build rigour's name taggers now rather than at the first comparison of a process: they
    take some seconds to build (its person-name tagger about 7 s), once. Not the readings of
    Chinese characters (chinese.py): 0.2 s and 57 MB, paid by a process at its first Chinese
    name, which most never meet."""
    for entity_type in (EntityType.person, EntityType.company):
        analyze("Preload", entity_type)
