"""Comparison forms of names, addresses and identifiers, the same for watchlists and queries.

Everything that compares two strings goes through here first, so that a watchlist entry and an
order's customer meet in one form: Latin script, no diacritics, lower case, no punctuation, and
for companies without the legal form (LLC = ООО = TOO = MChJ = GmbH = Sp. z o.o. = SARL = d.o.o.),
which says nothing about who the company is and is kept aside as a weak signal.
"""

from __future__ import annotations

import re
import threading
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import icu
import yaml
from rigour.names import (
    extract_org_types,
    remove_org_prefixes,
    remove_org_types,
    remove_person_prefixes,
    tokenize_name,
)
from rigour.text import ascii_text
from rigour.text.translit import maybe_ascii

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_LEGAL_FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "legal_forms.yaml"


class EntityType(StrEnum):
    """What a watchlist entry or a query name is; decides how its name is compared."""

    company = "company"
    person = "person"
    vessel = "vessel"
    other = "other"


# The FollowTheMoney schemata of the inputs mapped to ours.
SCHEMA_TYPES: dict[str, EntityType] = {
    "Person": EntityType.person,
    "Company": EntityType.company,
    "Organization": EntityType.company,
    "LegalEntity": EntityType.other,
    "Vessel": EntityType.vessel,
}


# Transliterating a string costs rigour about 0.4 ms however short it is, unless it saw that very
# string before; the words of names recur far more than the names. Words written in the scripts
# rigour transliterates itself (Latin, Cyrillic, Greek, Armenian, Georgian, Hangul) are
# transliterated one by one, remembered.
_WORD_CACHE = 200_000


@lru_cache(maxsize=_WORD_CACHE)
def _word_to_ascii(word: str) -> str | None:
    """The word in ASCII, if rigour transliterates its script itself; None if not."""
    out = maybe_ascii(word)
    return out if out.isascii() else None


def to_ascii(text: str) -> str:
    """rigour's ascii_text of the text, word by word where that gives the same.

    rigour transliterates the scripts it admits without looking beyond a word; a text with a
    word in another script (Han, Arabic) goes to normality whole, as ascii_text does.
    """
    if text.isascii():
        return text
    words = []
    for word in text.split():
        if word.isascii():
            words.append(word)
            continue
        folded = _word_to_ascii(word)
        if folded is None:
            return ascii_text(text)
        words.append(folded)
    return " ".join(words)


# Greek names are written two ways in Latin letters: as they sound (rigour: Μπακογιάννης is
# Bakogiannis) and letter by letter, as Greek passports (ELOT 743: Mpakogiannis) write them.
# The second is ICU's Greek-Latin transform (ISO 843: Mpakogiannēs) with η read as modern Greek
# and the passports read it, an i.
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_ETA = str.maketrans("ηήῆἡἠΗΉ", "ιίῖἱἰΙΊ")
# An ICU transliterator is not to be shared between threads (a server's request threads).
_TRANSFORMS = threading.local()


def letter_by_letter(word: str) -> str:
    """A Greek word in Latin letters one for one, as passports write it; another unchanged."""
    if not _GREEK.search(word):
        return word
    transform = getattr(_TRANSFORMS, "greek", None)
    if transform is None:
        transform = _TRANSFORMS.greek = icu.Transliterator.createInstance("Greek-Latin")
    return str(transform.transliterate(word.translate(_ETA)))


def fold(text: str) -> str:
    """Latin script, ASCII, lower case, words separated by single spaces."""
    return " ".join(_NOT_WORD.sub(" ", to_ascii(text).lower()).split())


@lru_cache(maxsize=1)
def _extra_legal_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    forms: dict[str, str] = yaml.safe_load(_LEGAL_FORMS_FILE.read_text("utf-8"))["forms"]
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})\s+|\s+(?:{alternatives})$"), forms


def _strip_extra_legal_forms(folded: str) -> str:
    pattern, _ = _extra_legal_forms()
    previous = None
    while previous != folded:
        previous, folded = folded, pattern.sub("", folded)
    return folded


@lru_cache(maxsize=200_000)
def name_key(name: str, entity_type: EntityType = EntityType.other) -> str:
    """The comparison form of a name: folded, honorifics and legal forms removed.

    A name that is nothing but a legal form keeps it, so that it never becomes empty.
    """
    lowered = name.casefold()
    if entity_type is EntityType.person:
        stripped = remove_person_prefixes(lowered)
    elif entity_type is EntityType.vessel:
        stripped = lowered
    else:
        # Legal forms are recognised in the original script (ООО, ТОО, МЧЖ) before folding.
        stripped = remove_org_types(remove_org_prefixes(lowered), replacement=" ")
        stripped = _strip_extra_legal_forms(fold(stripped))
    key = " ".join(tokenize_name(fold(stripped)))
    return key or " ".join(tokenize_name(fold(name)))


def name_tokens(name: str, entity_type: EntityType = EntityType.other) -> list[str]:
    """The words of a name's comparison form."""
    return name_key(name, entity_type).split()


def legal_forms(name: str) -> tuple[str, ...]:
    """The legal forms written in a company name, in their generic compare form (llc, jsc)."""
    found = [generic for _, generic in extract_org_types(name.casefold(), generic=True)]
    folded = fold(name)
    pattern, forms = _extra_legal_forms()
    for match in pattern.finditer(folded):
        found.append(forms[match.group(0).strip()])
    return tuple(found)


def identifier_key(value: str) -> str:
    """An identifier (VAT, registration, IMO number) without spaces, dots, dashes or case."""
    return re.sub(r"[^0-9A-Z]", "", to_ascii(value).upper())


def address_key(address: str) -> str:
    """The comparison form of an address: folded words."""
    return fold(address)


def legal_form_words() -> dict[str, str]:
    """The Latin-script legal forms of legal_forms.yaml (folded spelling to generic form)."""
    return dict(_extra_legal_forms()[1])
