"""Scoring one name against another, with the reasons a compliance officer can read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import OSA

from precx.screening.matching.alignment import Link, alignments
from precx.screening.matching.chinese import reads_as
from precx.screening.matching.name_parts import LEGAL_FAMILIES, AnalyzedName, Role, Word, analyze
from precx.screening.matching.normalize import EntityType
from precx.screening.matching.word_similarity import ONE_EDIT, TRANSLITERATION, Kind

# Scores at or above this are hits: the operating point measured in bench/name_pairs.py. Two
# words that differ in two letters score 0.80, so they are (just) hits, and one extra middle
# name on a person's two-word name (0.89) or two (0.80) still is.
OPERATING_THRESHOLD = 0.80

# How much a pair of words counts in the score, by the role of the words.
_PAIR_WEIGHTS: dict[Role, float] = {
    Role.word: 1.0,
    Role.number: 1.0,
    Role.generic: 0.6,
    Role.location: 0.6,
    Role.initial: 0.5,
    Role.stop: 0.15,
    Role.legal: 0.0,
}
# How much a word found in one name only counts against the score. A person's extra words are
# mostly middle names and patronymics that one list writes and another leaves out; a company's
# extra word is mostly what tells two companies of one group apart (Systems, Trust, II).
_PERSON_EXTRAS: dict[Role, float] = {
    Role.word: 0.25,
    Role.number: 0.25,
    Role.generic: 0.25,
    Role.location: 0.25,
    Role.initial: 0.15,
    Role.stop: 0.0,
    Role.legal: 0.0,
}
_ORG_EXTRAS: dict[Role, float] = {
    Role.word: 0.7,
    Role.number: 0.7,
    Role.generic: 0.45,
    Role.location: 0.35,
    Role.initial: 0.3,
    Role.stop: 0.05,
    Role.legal: 0.0,
}
# Roles whose words, paired with a different word, make the names different names: the score
# is never above the likeness of such a pair.
_DECISIVE = frozenset({Role.word, Role.number, Role.generic, Role.location, Role.initial})
# Legal forms say little about which company it is: agreeing ones add nothing, differing ones
# cost a little (a name otherwise the same scores 0.95).
_LEGAL_WEIGHT = 0.1
_LEGAL_DIFFER = 0.5
# A person known by one word only (a given name, a surname) is not identified by it.
_ONE_WORD_ONLY = 0.7
# Father and son: the same words, but the roles swapped around "bin".
_SWAPPED = 0.5
# Initials alone (N.N.) do not identify a person.
_INITIALS_ONLY = 0.6
# An explanation names at most this many pairs of words that are alike but not the same; the
# least alike come first, as they decide the score.
_MAX_WORD_LINES = 4
# Lists of words (the same ones, those in one name only) stop at this many.
_MAX_LISTED = 6
# Characters against an older romanisation than rigour's pinyin, or another reading of one.
_READ_AS_CHINESE = "the Chinese characters read as the Latin name (Wade-Giles or pinyin)"
# "X bin Y" is X, son of Y.
_PATRONYMIC_CONNECTORS = frozenset({"bin", "ben", "ibn", "bint", "binti", "ould", "walad"})


@dataclass(frozen=True)
class NameComparison:
    """How alike two names are (0 to 1), whether that is a match, and why.

    The explanation is written when first read: screening compares each customer with about
    ten candidates and reads it only for the few that match (a tenth of a comparison's time).
    """

    score: float
    match: bool
    _why: tuple[str, ...] | _Evidence = field(repr=False)

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        """Why the names are alike or not, one finding per line."""
        return self._why if isinstance(self._why, tuple) else _explain(self._why)


@dataclass(frozen=True)
class _Evidence:
    """The best way found to link the words of two names, and what it scores."""

    score: float
    links: tuple[Link, ...]
    left: AnalyzedName
    right: AnalyzedName
    notes: tuple[str, ...] = ()  # findings about the whole names, shown first
    words_shown: bool = True  # whether the word-by-word findings explain the score


@dataclass(frozen=True)
class _Cap:
    """A score that a finding about the whole names sets, and the finding."""

    score: float
    why: str


def _legal_forms(name: AnalyzedName) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.legal for w in name.words if w.legal))


def _families(forms: Sequence[str]) -> set[str]:
    return {LEGAL_FAMILIES.get(form, form) for form in forms}


def _with_legal_forms(score: float, left: AnalyzedName, right: AnalyzedName) -> float:
    """The score lowered a little if both names give legal forms and they differ."""
    forms_left, forms_right = _legal_forms(left), _legal_forms(right)
    if not forms_left or not forms_right or _families(forms_left) & _families(forms_right):
        return score
    return min(score, (score + _LEGAL_DIFFER * _LEGAL_WEIGHT) / (1 + _LEGAL_WEIGHT))


def _score_links(links: Sequence[Link], entity_type: EntityType) -> float:
    """The weighted mean likeness of the words, extras counting as nothing, and never above
    the likeness of the least alike pair of words that matter."""
    extras = _PERSON_EXTRAS if entity_type is EntityType.person else _ORG_EXTRAS
    total = weight = 0.0
    cap = 1.0
    for link in links:
        if link.paired:
            w = _PAIR_WEIGHTS[link.role]
            total += w * link.likeness.score
            weight += w
            if link.role in _DECISIVE:
                cap = min(cap, link.likeness.score)
        else:
            weight += extras[link.role]
    if weight == 0.0:
        return 0.0
    return min(total / weight, cap)


def _person_caps(links: Sequence[Link], left: AnalyzedName, right: AnalyzedName) -> _Cap | None:
    """Limits for persons that the words alone do not set."""
    agreeing = [link for link in links if link.paired and link.role in (Role.word, Role.initial)]
    full = [link for link in agreeing if link.likeness.kind is not Kind.initial]
    if agreeing and not full:
        return _Cap(_INITIALS_ONLY, "only initials agree, which do not identify a person")
    in_common = sum(max(len(link.left), len(link.right)) for link in full)
    longest = max(
        sum(w.role is Role.word for w in left.words), sum(w.role is Role.word for w in right.words)
    )
    if in_common == 1 and len(agreeing) == 1 and longest > 1:
        return _Cap(_ONE_WORD_ONLY, "only one name in common, which does not identify a person")
    swapped = _patronymic_swapped(left, right)
    if swapped:
        return _Cap(_SWAPPED, swapped)
    return None


def _own_and_father(name: AnalyzedName) -> tuple[str, str] | None:
    words = [w for w in name.words if w.role is not Role.stop or w.key in _PATRONYMIC_CONNECTORS]
    for i, word in enumerate(words):
        if word.key in _PATRONYMIC_CONNECTORS and 0 < i < len(words) - 1:
            return words[i - 1].key, words[i + 1].key
    return None


def _patronymic_swapped(left: AnalyzedName, right: AnalyzedName) -> str | None:
    """Salman bin Muhammad is not Muhammad bin Salman: one's own name is the other's father's."""
    mine, theirs = _own_and_father(left), _own_and_father(right)
    if mine is None or theirs is None or mine == theirs:
        return None
    if mine[0] == theirs[1] or mine[1] == theirs[0]:
        return (
            f"own and father's names are swapped: '{mine[0]} bin {mine[1]}' / "
            f"'{theirs[0]} bin {theirs[1]}'"
        )
    return None


def _whole_name(left: AnalyzedName, right: AnalyzedName, links: Sequence[Link]) -> _Cap | None:
    """The names compared whole, where their words mislead: Chinese characters against pinyin
    written apart, a slip of the keyboard that joins or splits words ("Bashar xal-Assad")."""
    a, b = left.joined, right.joined
    if left.dense != right.dense:
        if a == b:
            return _Cap(TRANSLITERATION, "the names read the same once transliterated")
        han, latin = (left, right) if left.dense else (right, left)
        if all(w.dense for w in han.words) and reads_as(
            "".join(w.native for w in han.words), latin.joined
        ):
            return _Cap(TRANSLITERATION, _READ_AS_CHINESE)
        return None
    if left.dense or any(link.likeness.kind in (Kind.gender, Kind.number) for link in links):
        return None
    if min(len(a), len(b)) < 8:
        return None
    edits = OSA.distance(a, b, score_cutoff=1)
    if edits == 0:
        return _Cap(1.0, "the names are the same but for spaces and punctuation")
    if edits == 1:
        return _Cap(ONE_EDIT, "the names differ by one letter")
    return None


def _score_pair(left: AnalyzedName, right: AnalyzedName, entity_type: EntityType) -> _Evidence:
    """The best scoring way to link the words of two names, with the findings that cap it."""
    best: _Evidence | None = None
    for candidate in alignments(left, right):
        links = tuple(candidate)
        score = _score_links(links, entity_type)
        notes: tuple[str, ...] = ()
        if entity_type is EntityType.person:
            cap = _person_caps(links, left, right)
            if cap is not None and cap.score < score:
                score, notes = cap.score, (cap.why,)
        score = _with_legal_forms(score, left, right)
        words_shown = True
        whole = _whole_name(left, right, links)
        if whole is not None and whole.score > score:
            score, notes = whole.score, (whole.why,)
            words_shown = whole.score != TRANSLITERATION
        if best is None or score > best.score:
            best = _Evidence(score, links, left, right, notes, words_shown)
            if score >= 1.0:
                break
    assert best is not None  # rigour always offers at least one (empty) pairing
    return best


def _quote(words: Sequence[Word]) -> str:
    return "'" + " ".join(w.text for w in words) + "'"


def _what(link: Link, left: AnalyzedName, right: AnalyzedName) -> str:
    """What the linked words are, in the plural: names, surnames, first names, numbers."""
    if link.role is Role.number:
        return "numbers"
    if left.entity_type is not EntityType.person:
        return "names"
    family = [w.index in left.family for w in link.left]
    family += [w.index in right.family for w in link.right]
    # Where only one name takes the word for its surname, word order leaves it open.
    if all(family):
        return "surnames"
    return "names" if any(family) else "first names"


def _explain_link(link: Link, left: AnalyzedName, right: AnalyzedName) -> str:
    kind = link.likeness.kind
    what = _what(link, left, right)
    one, other = _quote(link.left), _quote(link.right)
    if kind is Kind.initial:
        single = {"surnames": "surname", "first names": "first name"}.get(what, "name")
        initial, full = (one, other) if len(one) < len(other) else (other, one)
        return f"{single} is an initial: {initial} ~ {full}"
    if kind is Kind.different:
        return f"{what} differ: {one} ≠ {other}"
    if kind is Kind.gender:
        return f"{what} differ by a feminine ending: {one} ≠ {other}"
    if kind is Kind.number:
        return f"numbers differ: {one} ≠ {other}"
    if kind is Kind.same:
        return f"{what} agree: {one} = {other}"
    return f"{what} agree: {one} ~ {other} ({kind.value})"


def _explain_legal(left: AnalyzedName, right: AnalyzedName) -> str | None:
    forms_left, forms_right = _legal_forms(left), _legal_forms(right)
    if forms_left and forms_right:
        forms = f"{' '.join(forms_left)} / {' '.join(forms_right)}"
        common = _families(forms_left) & _families(forms_right)
        if common:
            return f"legal forms agree: {forms} ({', '.join(sorted(common))})"
        return f"legal forms differ but are weak: {forms}"
    if forms_left or forms_right:
        return f"legal form in one name only, ignored: {' '.join(forms_left + forms_right)}"
    return None


def _explain(evidence: _Evidence) -> tuple[str, ...]:
    """Findings about the whole names, the words that differ or are alike (least alike first),
    the words that are the same, those in one name only, and the legal forms."""
    left, right = evidence.left, evidence.right
    lines = list(evidence.notes)
    shown = [link for link in evidence.links if link.role not in (Role.stop, Role.legal)]
    paired = sorted((link for link in shown if link.paired), key=lambda x: x.likeness.score)
    same = [link for link in paired if link.likeness.kind is Kind.same]
    alike = [link for link in paired if link not in same]
    if evidence.words_shown:
        lines.extend(_explain_link(link, left, right) for link in alike[:_MAX_WORD_LINES])
        if len(alike) > _MAX_WORD_LINES:
            lines.append(f"{len(alike) - _MAX_WORD_LINES} more words alike")
    if same:
        same.sort(key=lambda link: min(w.index for w in link.left))
        label = "same words" if sum(len(link.left) for link in same) > 1 else "same word"
        words = ", ".join(_quote(link.left) for link in same[:_MAX_LISTED])
        more = f" and {len(same) - _MAX_LISTED} more" if len(same) > _MAX_LISTED else ""
        lines.append(f"{label}: {words}{more}")
    extras = [link for link in shown if not link.paired]
    if extras and evidence.words_shown:
        words = ", ".join(_quote((*link.left, *link.right)) for link in extras[:_MAX_LISTED])
        more = f" and {len(extras) - _MAX_LISTED} more" if len(extras) > _MAX_LISTED else ""
        lines.append(f"only in one name: {words}{more}")
    legal = _explain_legal(left, right)
    if legal:
        lines.append(legal)
    return tuple(lines)


def compare_names(
    name1: str, name2: str, entity_type: EntityType = EntityType.other
) -> NameComparison:
    """Score two names of the same kind of entity."""
    lefts, rights = analyze(name1, entity_type), analyze(name2, entity_type)
    if not lefts or not rights:
        return NameComparison(0.0, False, ("a name has no letters or digits to compare",))
    best: _Evidence | None = None
    # A name that lists alternatives ("Al-Qa'ida/Islamic Army") matches by its best one.
    for left in lefts:
        for right in rights:
            evidence = _score_pair(left, right, entity_type)
            if best is None or evidence.score > best.score:
                best = evidence
    assert best is not None
    score = round(best.score, 4)
    return NameComparison(score, score >= OPERATING_THRESHOLD, best)
