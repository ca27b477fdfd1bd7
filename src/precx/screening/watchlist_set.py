"""The watchlists in memory, indexed for matching an order's customer by name, address and id."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from precx.screening.matching.chinese import wade_giles
from precx.screening.matching.compare import NameComparison, compare_names
from precx.screening.matching.index import NameHit, NameIndex
from precx.screening.matching.normalize import EntityType, address_key, identifier_key
from precx.screening.watchlist_formats.records import ListedEntity

# How many index candidates get the precise (slower) comparison.
CANDIDATES = 10
# Address similarity from which an address alone is worth a look.
ADDRESS_THRESHOLD = 0.92
# A listed country that differs from the customer's weakens a name match by this much.
COUNTRY_MISMATCH_PENALTY = 0.05
# Customers (and addresses) whose matches are remembered: an order book names the same customers
# again and again, and the lists behind a WatchlistSet never change (a new version builds a new
# set).
REMEMBERED_CUSTOMERS = 20_000


@dataclass(frozen=True)
class ListInfo:
    """One watchlist as the screener sees it."""

    name: str
    version: int
    restricted: bool = False
    owner_organisation_id: int | None = None  # the authority a restricted hit is reported to


@dataclass(frozen=True)
class Match:
    """One listed entity that an order's customer matches, how well and why."""

    watchlist: ListInfo
    entity: ListedEntity
    matched_name: str
    field: str  # customer_name, customer_address, delivery_address, identifier
    score: float
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class _Ref:
    list_no: int
    entity_no: int
    text: str


class _Owners:
    """The list, entity and alternative (alias or address number; -1 the name) of each row."""

    def __init__(self) -> None:
        self.list_no = array("i")
        self.entity_no = array("i")
        self.alternative = array("i")

    def add(self, list_no: int, entity_no: int, alternative: int) -> None:
        self.list_no.append(list_no)
        self.entity_no.append(entity_no)
        self.alternative.append(alternative)

    def ref(self, row: int, entities: list[list[ListedEntity]], *, addresses: bool = False) -> _Ref:
        list_no, entity_no, alternative = (
            self.list_no[row],
            self.entity_no[row],
            self.alternative[row],
        )
        entity = entities[list_no][entity_no]
        if addresses:
            text = entity.addresses[alternative]
        else:
            text = entity.name if alternative < 0 else entity.aliases[alternative]
        return _Ref(list_no, entity_no, text)


class WatchlistSet:
    """Several watchlists behind one name index, one address index and one identifier table."""

    def __init__(self, lists: Sequence[tuple[ListInfo, Sequence[ListedEntity]]]) -> None:
        self.lists = [info for info, _ in lists]
        self.entities = [list(entities) for _, entities in lists]
        # Who owns the n-th indexed name or address: three flat arrays rather than an object
        # per name, which at a million entities and their aliases would cost a gigabyte.
        self._names = _Owners()
        self._addresses = _Owners()
        self._identifiers: dict[str, list[_Ref]] = {}
        name_rows: list[tuple[str, EntityType]] = []
        address_rows: list[tuple[str, EntityType]] = []
        for list_no, entities in enumerate(self.entities):
            for entity_no, entity in enumerate(entities):
                self._names.add(list_no, entity_no, -1)
                name_rows.append((entity.name, entity.entity_type))
                for alias_no, alias in enumerate(entity.aliases):
                    self._names.add(list_no, entity_no, alias_no)
                    name_rows.append((alias, entity.entity_type))
                for address_no, address in enumerate(entity.addresses):
                    self._addresses.add(list_no, entity_no, address_no)
                    # Addresses fold like vessel names: no legal forms or honorifics to remove.
                    address_rows.append((address, EntityType.vessel))
                for scheme, value in entity.identifiers:
                    key = identifier_key(value)
                    if len(key) >= 5:  # shorter ones collide by chance
                        ref = _Ref(list_no, entity_no, f"{scheme} {value}")
                        self._identifiers.setdefault(key, []).append(ref)
        self._name_index = NameIndex.build(name_rows)
        self._address_index = NameIndex.build(address_rows)
        self._remembered_names: dict[tuple[str, str | None], tuple[_Found, ...]] = {}
        self._remembered_addresses: dict[tuple[str, str], tuple[_Found, ...]] = {}

    @classmethod
    def empty(cls) -> WatchlistSet:
        """No watchlists: every order is screened by the rules alone."""
        return cls([])

    @property
    def versions(self) -> dict[str, int]:
        """The version of each list, as a screening result records it."""
        return {info.name: info.version for info in self.lists}

    @property
    def restricted_names(self) -> frozenset[str]:
        """The names of the authorities' restricted lists, which industry never learns."""
        return frozenset(info.name for info in self.lists if info.restricted)

    def entity_count(self) -> int:
        """How many entities the lists hold together."""
        return sum(len(e) for e in self.entities)

    def forget(self) -> None:
        """Forget the customers matched so far (benchmarks time matching without them)."""
        self._remembered_names.clear()
        self._remembered_addresses.clear()

    def match(
        self,
        name: str,
        *,
        country: str | None = None,
        addresses: Iterable[tuple[str, str]] = (),
        identifiers: Iterable[str] = (),
    ) -> list[Match]:
        """The listed entities the customer matches, best first, one match per entity.

        The name and each address are matched apart and remembered apart: a customer orders
        again and again, often to another delivery address, and matching the name is most of
        the work.
        """
        best: dict[tuple[int, int], Match] = {}
        for found in self._remember(self._remembered_names, (name, country), self._name_matches):
            best[found.at] = found.match
        for value in identifiers:
            for ref in self._identifiers.get(identifier_key(value), ()):
                entity = self.entities[ref.list_no][ref.entity_no]
                why = (f"identifier {value!r} is the listed {ref.text!r}",)
                _keep(
                    best,
                    (ref.list_no, ref.entity_no),
                    Match(self.lists[ref.list_no], entity, entity.name, "identifier", 1.0, why),
                )
        for field_name, address in addresses:
            for found in self._remember(
                self._remembered_addresses, (field_name, address), self._address_matches
            ):
                if found.at not in best:  # the name already matched; the address adds nothing
                    _keep(best, found.at, found.match)
        return sorted(best.values(), key=lambda m: -m.score)

    @staticmethod
    def _remember(
        memory: dict[_Question, tuple[_Found, ...]],
        question: _Question,
        answer: Callable[[_Question], tuple[_Found, ...]],
    ) -> tuple[_Found, ...]:
        found = memory.get(question)
        if found is None:
            found = answer(question)
            if len(memory) >= REMEMBERED_CUSTOMERS:
                memory.clear()
            memory[question] = found
        return found

    def _name_matches(self, question: tuple[str, str | None]) -> tuple[_Found, ...]:
        """The best match of each entity a name of which the customer's name matches."""
        name, country = question
        best: dict[tuple[int, int], Match] = {}
        # Listed names written alike (one name on several entities, or an alias repeated) are
        # compared once.
        compared: dict[tuple[str, EntityType], NameComparison] = {}
        # Entities a name of which the customer's matches perfectly: their other names can only
        # tie (a match replaces another only when better), so they are not compared.
        perfect: set[tuple[int, int]] = set()
        for hit in self._name_hits(name):
            ref = self._names.ref(hit.name_id, self.entities)
            at = (ref.list_no, ref.entity_no)
            if at in perfect:
                continue
            entity = self.entities[ref.list_no][ref.entity_no]
            pair = (ref.text, entity.entity_type)
            comparison = compared.get(pair) or compared.setdefault(
                pair, compare_names(name, ref.text, entity.entity_type)
            )
            if not comparison.match:
                continue
            if comparison.score >= 1.0:
                perfect.add(at)
            score, why = comparison.score, list(comparison.explanation)
            if country and entity.country and entity.country != country:
                score = max(0.0, score - COUNTRY_MISMATCH_PENALTY)
                why.append(f"listed country {entity.country} differs from {country}")
            elif country and entity.country == country:
                why.append(f"same country {country}")
            field_name = "name" if ref.text == entity.name else "alias"
            why.insert(0, f"customer name matches the listed {field_name} {ref.text!r}")
            _keep(
                best,
                at,
                Match(
                    self.lists[ref.list_no], entity, ref.text, "customer_name", score, tuple(why)
                ),
            )
        return tuple(_Found(at, match) for at, match in best.items())

    def _name_hits(self, name: str) -> list[NameHit]:
        """The index's candidates for a name; for one in Chinese characters, also those of its
        Wade-Giles reading, as older lists and Taiwan write names (the index holds pinyin)."""
        hits = self._name_index.search(name, EntityType.other, limit=CANDIDATES)
        other = wade_giles(name)
        if other is not None:
            hits += self._name_index.search(other, EntityType.other, limit=CANDIDATES)
        return hits

    def _address_matches(self, question: tuple[str, str]) -> tuple[_Found, ...]:
        """The entities with a listed address like this one, a whole address (not a town)."""
        field_name, address = question
        if len(address_key(address)) < 12:  # "Moscow" alone is no address
            return ()
        best: dict[tuple[int, int], Match] = {}
        for hit in self._address_index.search(
            address, EntityType.vessel, limit=3, min_score=ADDRESS_THRESHOLD
        ):
            ref = self._addresses.ref(hit.name_id, self.entities, addresses=True)
            entity = self.entities[ref.list_no][ref.entity_no]
            because = (
                f"{field_name.replace('_', ' ')} {address!r} is the listed {ref.text!r} "
                f"({hit.score:.0%} alike)",
            )
            _keep(
                best,
                (ref.list_no, ref.entity_no),
                Match(self.lists[ref.list_no], entity, ref.text, field_name, hit.score, because),
            )
        return tuple(_Found(at, match) for at, match in best.items())


# A remembered question: a customer's name and country, or an address field and its value.
_Question = TypeVar("_Question", tuple[str, str | None], tuple[str, str])


@dataclass(frozen=True)
class _Found:
    """A match remembered with the list and entity numbers it is for."""

    at: tuple[int, int]
    match: Match


def _keep(best: dict[tuple[int, int], Match], at: tuple[int, int], match: Match) -> None:
    """Keep the better of an entity's matches (the first of equal ones)."""
    current = best.get(at)
    if current is None or match.score > current.score:
        best[at] = match
