"""Identify a substance from a CAS number, an HS/CN code or a name, fast and without a database.

The index is built once from the catalog's records; every lookup is a dictionary access,
and only a query that matches nothing exactly is compared fuzzily (rapidfuzz) with every name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from precx.catalog.schemas import SubstanceRecord

FUZZY_CUTOFF = 82.0
# A candidate this close to the best one makes the answer ambiguous.
AMBIGUITY_MARGIN = 3.0
MAX_CANDIDATES = 8
_NON_ALNUM = re.compile(r"[^0-9a-zа-яё]+")
_CAS_LIKE = re.compile(r"^\d{2,7}-?\d{2}-?\d$")
_CODE_LIKE = re.compile(r"^[\d .]+$")


def normalise(text: str) -> str:
    """Lower case, no diacritics, words separated by single spaces (Cyrillic kept)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # NFKD splits й into и + breve; put it back so Russian names stay themselves.
    stripped = unicodedata.normalize("NFC", stripped.replace("и\u0306", "й"))
    return _NON_ALNUM.sub(" ", stripped).strip()


def compact(text: str) -> str:
    """The normalised text without spaces: `P-2-P`, `p2p` and `P 2 P` meet here."""
    return normalise(text).replace(" ", "")


@dataclass(frozen=True)
class Hit:
    """One substance a query points to, how strongly and why."""

    substance_id: str
    score: float
    field: str
    matched: str
    why: str


@dataclass
class SubstanceIndex:
    """Lookup tables from codes and names to substance ids."""

    cas: dict[str, set[str]] = field(default_factory=dict)
    hs: dict[str, set[str]] = field(default_factory=dict)
    cn: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, records: Iterable[SubstanceRecord]) -> SubstanceIndex:
        """Index every code and name of the records."""
        index = cls()
        for record in records:
            if record.parent:
                index.parents[record.id] = record.parent
            for cas in record.cas:
                index.cas.setdefault(cas.replace("-", ""), set()).add(record.id)
            for hs in {record.hs_code, *record.hs_codes} - {None}:
                index.hs.setdefault(str(hs), set()).add(record.id)
            if record.cn_code:
                index.cn.setdefault(record.cn_code, set()).add(record.id)
            index._add_name(record.name, record.id, "name", record.name)
            if record.iupac:
                index._add_name(record.iupac, record.id, "iupac", record.iupac)
            for synonym in record.synonyms:
                index._add_name(synonym, record.id, "synonym", synonym)
            for language, name in record.names.items():
                index._add_name(name, record.id, f"name:{language}", name)
        index.choices = list(index.names)
        return index

    def _add_name(self, text: str, substance_id: str, kind: str, original: str) -> None:
        for key in {normalise(text), compact(text)}:
            if key:
                entries = self.names.setdefault(key, [])
                if (substance_id, kind, original) not in entries:
                    entries.append((substance_id, kind, original))

    def identify(self, query: str) -> list[Hit]:
        """Candidates for a query, best first, at most one per substance."""
        text = query.strip()
        if not text:
            return []
        hits: list[Hit] = []
        if _CAS_LIKE.match(text):
            for sid in self.cas.get(text.replace("-", ""), ()):
                hits.append(Hit(sid, 100.0, "cas", text, f"CAS number {text}"))
        if _CODE_LIKE.match(text):
            hits.extend(self._codes(re.sub(r"[ .]", "", text)))
        hits.extend(self._names(text))
        return self._best_per_substance(hits)

    def _best_per_substance(self, hits: list[Hit]) -> list[Hit]:
        best: dict[str, Hit] = {}
        for hit in hits:
            if hit.substance_id not in best or hit.score > best[hit.substance_id].score:
                best[hit.substance_id] = hit
        # On a tie the substance comes before its salts and isomers.
        ranked = sorted(
            best.values(), key=lambda h: (-h.score, h.substance_id in self.parents, h.substance_id)
        )
        return ranked[:MAX_CANDIDATES]

    def _codes(self, digits: str) -> list[Hit]:
        hits = []
        if len(digits) == 8:
            for sid in self.cn.get(digits, ()):
                hits.append(Hit(sid, 100.0, "cn_code", digits, f"EU CN code {digits}"))
            for sid in self.hs.get(digits[:6], ()):
                hits.append(
                    Hit(
                        sid,
                        90.0,
                        "hs_code",
                        digits[:6],
                        f"HS subheading {digits[:6]} of CN code {digits}",
                    )
                )
        if len(digits) == 6:
            for sid in self.hs.get(digits, ()):
                hits.append(Hit(sid, 100.0, "hs_code", digits, f"HS 2022 subheading {digits}"))
        if len(digits) == 4:
            for code, sids in self.hs.items():
                if code.startswith(digits):
                    hits.extend(
                        Hit(sid, 60.0, "hs_code", code, f"HS heading {digits} contains {code}")
                        for sid in sids
                    )
        return hits

    def _names(self, text: str) -> list[Hit]:
        hits = []
        keys = {normalise(text), compact(text)} - {""}
        for key in keys:
            for sid, kind, original in self.names.get(key, ()):
                score = 100.0 if kind == "name" else 99.0
                hits.append(Hit(sid, score, kind, original, f"{_label(kind)} {original!r}"))
        if hits or not keys:
            return hits
        query = normalise(text)
        # Very short strings match too much by chance: a misspelling needs a few letters.
        if len(query) < 4:
            return hits
        for key, score, _ in process.extract(
            query, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MAX_CANDIDATES
        ):
            for sid, kind, original in self.names[key]:
                hits.append(
                    Hit(
                        sid,
                        round(score * 0.95, 1),
                        kind,
                        original,
                        f"close to {_label(kind)} {original!r} ({score:.0f}% alike)",
                    )
                )
        return hits


def _label(kind: str) -> str:
    if kind.startswith("name:"):
        return f"the {kind[5:]} name"
    return {"name": "the name", "iupac": "the IUPAC name", "synonym": "the synonym"}[kind]


def is_ambiguous(hits: list[Hit], parents: dict[str, str]) -> bool:
    """Whether another candidate is about as good as the best one and not merely its salt."""
    if not hits:
        return False
    top = hits[0]
    return any(
        hit.score >= top.score - AMBIGUITY_MARGIN
        and parents.get(hit.substance_id) != top.substance_id
        for hit in hits[1:]
    )
