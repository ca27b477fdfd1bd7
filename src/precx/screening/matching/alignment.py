"""Which word of one name stands for which word of the other, and how alike they are."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rigour.names import Alignment, SymbolCategory, pair_symbols

from precx.screening.matching.name_parts import AnalyzedName, Role, Word
from precx.screening.matching.normalize import EntityType
from precx.screening.matching.word_similarity import (
    ACRONYM,
    NICKNAME,
    ONE_EDIT,
    TRUNCATED,
    VARIANT,
    Kind,
    Likeness,
    skeleton,
    word_likeness,
)

# rigour may offer several ways to pair the symbols of two names; the first few are the best.
MAX_PAIRINGS = 4
_NONE = Likeness(0.0, Kind.different)
_VARIANT = Likeness(VARIANT, Kind.variant)
# Roles in order of strength: a link counts as the strongest role among its words.
_ROLE_ORDER = (
    Role.word,
    Role.number,
    Role.generic,
    Role.location,
    Role.initial,
    Role.stop,
    Role.legal,
)
_ROLE_RANK = {role: rank for rank, role in enumerate(_ROLE_ORDER)}


@dataclass(frozen=True)
class Link:
    """Words of the first name against words of the second; one side empty for an extra."""

    left: tuple[Word, ...]
    right: tuple[Word, ...]
    likeness: Likeness
    role: Role  # the strongest role of the link's words, which decides its weight
    paired: bool  # whether both names have words in the link


def link(left: Sequence[Word], right: Sequence[Word], likeness: Likeness) -> Link:
    """A link, with the role it counts as: a legal form one name marks as such is one in both."""
    left, right = tuple(left), tuple(right)
    words = left + right
    if len(words) == 1:
        role = words[0].role
    elif (
        left
        and right
        and (all(w.role is Role.legal for w in left) or all(w.role is Role.legal for w in right))
    ):
        role = Role.legal
    else:
        role = min((w.role for w in words), key=_ROLE_RANK.__getitem__)
    return Link(left, right, likeness, role, bool(left) and bool(right))


def _symbol_likeness(
    edge: Alignment, left: Sequence[Word], right: Sequence[Word], persons: bool
) -> Likeness:
    """The likeness of words rigour found to be one name (Barack/Барак, Ted/Theodore, 44/forty
    four), in the words of our explanations."""
    category = edge.symbol.category if edge.symbol is not None else None
    if len(left) == 1 and len(right) == 1:
        found = word_likeness(left[0], right[0], persons)
        # Petrov and Petrova are one name to rigour, but not one person.
        if found.score >= VARIANT or found.kind is Kind.gender:
            return found
    elif [w.key for w in left] == [w.key for w in right]:
        return Likeness(1.0, Kind.same)
    elif "".join(w.key for w in left) == "".join(w.key for w in right):
        return Likeness(1.0, Kind.joined)
    if category == SymbolCategory.NICK:
        return Likeness(NICKNAME, Kind.nickname)
    if category == SymbolCategory.NUMERIC:
        return Likeness(1.0, Kind.same)
    if any(w.latin_script for w in left) != any(w.latin_script for w in right):
        return Likeness(VARIANT, Kind.transliteration)
    left_key, right_key = "".join(w.key for w in left), "".join(w.key for w in right)
    if skeleton(left_key) == skeleton(right_key):
        return Likeness(VARIANT, Kind.transliteration)
    return _VARIANT


def _runs(words: Sequence[Word]) -> Iterator[tuple[Word, ...]]:
    """Adjacent words, two or three at a time, that may be one word written apart."""
    ordered = sorted(words, key=lambda w: w.index)
    for start in range(len(ordered)):
        for size in (2, 3):
            run = tuple(ordered[start : start + size])
            if len(run) == size and run[-1].index - run[0].index == size - 1:
                yield run


def _run_likeness(joined: str, initials: str, word: Word) -> Likeness | None:
    if word.role in (Role.stop, Role.number, Role.legal) or word.dense:
        return None
    if joined == word.key:
        return Likeness(1.0, Kind.joined)
    close = len(joined) >= 6 and abs(len(joined) - len(word.key)) <= 1
    if close and OSA.distance(joined, word.key) == 1:
        return Likeness(ONE_EDIT, Kind.joined)
    if initials == word.key:
        return Likeness(ACRONYM, Kind.acronym)
    return None


def _run_forms(run: tuple[Word, ...], persons: bool) -> tuple[str, str]:
    """A run of words joined, and its initials where it may be an acronym (not for persons)."""
    joined = "".join(w.key for w in run)
    initials = "".join(w.key[0] for w in run if w.role is not Role.stop)
    return joined, initials if not persons and len(initials) >= 2 else ""


def _cut_short(word: Word, other: Word, name: AnalyzedName) -> bool:
    """Whether the word is the cut-off end of its name and begins the other word."""
    return word.index == name.cut_index and len(word.key) >= 2 and other.key.startswith(word.key)


def align_words(
    left: Sequence[Word],
    right: Sequence[Word],
    left_name: AnalyzedName,
    right_name: AnalyzedName,
    persons: bool,
) -> list[Link]:
    """Pair the words greedily, best likeness first; what is left over is extra."""
    if not left or not right:
        return [link((a,), (), _NONE) for a in left] + [link((), (b,), _NONE) for b in right]
    candidates: list[tuple[float, int, tuple[Word, ...], tuple[Word, ...], Likeness]] = []
    for a in left:
        for b in right:
            if (a.role is Role.stop) != (b.role is Role.stop):
                continue
            if Role.legal in (a.role, b.role):
                # A legal form pairs only with the same word: "Corporation" in the middle of
                # one name and at the end of the other.
                if a.key == b.key:
                    candidates.append((1.0, 1, (a,), (b,), word_likeness(a, b, persons)))
                continue
            likeness = word_likeness(a, b, persons)
            if likeness.score < TRUNCATED and (
                _cut_short(a, b, left_name) or _cut_short(b, a, right_name)
            ):
                likeness = Likeness(TRUNCATED, Kind.truncated)
            candidates.append((likeness.score, 1, (a,), (b,), likeness))
    for run in _runs(left):
        joined, initials = _run_forms(run, persons)
        for b in right:
            found = _run_likeness(joined, initials, b)
            if found is not None:
                candidates.append((found.score, len(run), run, (b,), found))
    for run in _runs(right):
        joined, initials = _run_forms(run, persons)
        for a in left:
            found = _run_likeness(joined, initials, a)
            if found is not None:
                candidates.append((found.score, len(run), (a,), run, found))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    used_left: set[int] = set()
    used_right: set[int] = set()
    links: list[Link] = []
    for _, _, lw, rw, likeness in candidates:
        if any(w.index in used_left for w in lw) or any(w.index in used_right for w in rw):
            continue
        used_left.update(w.index for w in lw)
        used_right.update(w.index for w in rw)
        links.append(link(lw, rw, likeness))
    links.extend(link((a,), (), _NONE) for a in left if a.index not in used_left)
    links.extend(link((), (b,), _NONE) for b in right if b.index not in used_right)
    return links


def alignments(left: AnalyzedName, right: AnalyzedName) -> Iterator[list[Link]]:
    """The ways to link the words of two names: one per pairing of their rigour symbols."""
    persons = left.entity_type is EntityType.person
    left_by_index, right_by_index = left.by_index, right.by_index
    for edges in pair_symbols(left.name, right.name)[:MAX_PAIRINGS]:
        links: list[Link] = []
        used_left: set[int] = set()
        used_right: set[int] = set()
        for edge in edges:
            lw = [left_by_index[p.index] for p in edge.qps]
            rw = [right_by_index[p.index] for p in edge.rps]
            if all(w.role is Role.legal for w in (*lw, *rw)):
                continue  # legal forms are compared on their own
            links.append(link(lw, rw, _symbol_likeness(edge, lw, rw, persons)))
            used_left.update(w.index for w in lw)
            used_right.update(w.index for w in rw)
        rest_left = [w for w in left.words if w.index not in used_left]
        rest_right = [w for w in right.words if w.index not in used_right]
        links.extend(align_words(rest_left, rest_right, left, right, persons))
        yield links
