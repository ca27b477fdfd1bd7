"""The catalog as one immutable in-memory value: what screening needs without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from precx.catalog.identify import SubstanceIndex, is_ambiguous, normalise
from precx.catalog.schemas import SubstanceRecord

_REMEMBERED = 10_000


@dataclass(frozen=True)
class SubstanceLookup:
    """What a free-text substance (CAS, HS/CN code or name) turned out to be."""

    record: SubstanceRecord | None
    why: str
    candidates: tuple[str, ...]  # names of the nearest substances when it is unknown or ambiguous


@dataclass(frozen=True)
class CatalogSnapshot:
    """The substances of one catalog version with their identification index."""

    digest: str
    records: dict[str, SubstanceRecord]
    index: SubstanceIndex
    # Answers given so far: an order book names the same few substances again and again, and a
    # misspelt one costs a fuzzy pass over every name.
    _answers: dict[str, SubstanceLookup] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, records: Iterable[SubstanceRecord], digest: str = "") -> CatalogSnapshot:
        """A snapshot of the given records."""
        by_id = {r.id: r for r in records}
        return cls(digest, by_id, SubstanceIndex.build(by_id.values()))

    @classmethod
    def from_files(cls) -> CatalogSnapshot:
        """The catalog shipped in the repository, read without a database."""
        from precx.catalog.loader import SUBSTANCES_FILE, read_substances

        return cls.build(read_substances(), digest=f"file:{SUBSTANCES_FILE.name}")

    def controlling(self, record: SubstanceRecord) -> SubstanceRecord:
        """The record whose controls apply: a salt or isomer follows its parent's."""
        while record.parent and record.parent in self.records and not record.scheduled:
            record = self.records[record.parent]
        return record

    def named(self, query: str) -> SubstanceRecord | None:
        """The substance a catalog id, CAS number, HS code or name names, if exactly one."""
        text = query.strip()
        if text in self.records:
            return self.records[text]
        if not text:
            return None
        return self.lookup(text).record

    def lookup(self, query: str) -> SubstanceLookup:
        """The one substance a query names, or the nearest candidates when it names none."""
        answer = self._answers.get(query)
        if answer is None:
            if len(self._answers) >= _REMEMBERED:
                self._answers.clear()
            answer = self._answers[query] = self._lookup(query)
        return answer

    def _lookup(self, query: str) -> SubstanceLookup:
        hits = self.index.identify(query)
        if hits and not is_ambiguous(hits, self.index.parents):
            return SubstanceLookup(self.records[hits[0].substance_id], hits[0].why, ())
        if hits:
            names = tuple(self.records[h.substance_id].name for h in hits[:5])
            return SubstanceLookup(None, "ambiguous", names)
        return SubstanceLookup(None, "unknown", self.nearest(query))

    def nearest(self, query: str, limit: int = 3) -> tuple[str, ...]:
        """Names of the substances whose names look most like the query."""
        text = normalise(query)
        if not text:
            return ()
        names: list[str] = []
        for key, _, _ in process.extract(
            text, self.index.choices, scorer=fuzz.WRatio, limit=limit * 4
        ):
            for sid, _, _ in self.index.names[key]:
                name = self.records[sid].name
                if name not in names:
                    names.append(name)
        return tuple(names[:limit])
