"""Matching one customer against several watchlists: by name, identifier and address."""

from __future__ import annotations

import pytest

from precx.screening import watchlist_set
from precx.screening.matching.compare import NameComparison, compare_names
from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats.records import ListedEntity
from precx.screening.watchlist_set import ListInfo, WatchlistSet

SANCTIONS = ListInfo("Sanctions", 3)
INTELLIGENCE = ListInfo("Intelligence", 1, restricted=True, owner_organisation_id=7)


def lists() -> WatchlistSet:
    return WatchlistSet(
        [
            (
                SANCTIONS,
                [
                    ListedEntity("S-1", "ООО «Химснаб»", aliases=("Khimsnab LLC",), country="RU"),
                    # Two entities of one name: both are hits, the name is compared once.
                    ListedEntity("S-2", "Karel Novák", EntityType.person, country="CZ"),
                    ListedEntity("S-3", "Karel Novák", EntityType.person, country="SK"),
                ],
            ),
            (
                INTELLIGENCE,
                [
                    ListedEntity(
                        "I-1",
                        "Nordic Solvents Trading AB",
                        addresses=("Hamngatan 14, 211 22 Malmö, Sweden",),
                        identifiers=(("VAT", "SE556677889901"),),
                    )
                ],
            ),
        ]
    )


def test_a_transliterated_name_with_another_legal_form_matches() -> None:
    matches = lists().match("Khimsnab OOO", country="RU")
    assert [m.entity.entity_id for m in matches] == ["S-1"]
    assert matches[0].field == "customer_name" and matches[0].watchlist == SANCTIONS
    assert any("same country RU" in why for why in matches[0].explanation)


def test_every_entity_of_a_shared_name_is_a_hit_and_another_country_weakens_it() -> None:
    matches = lists().match("Novák, Karel", country="CZ")
    by_id = {m.entity.entity_id: m for m in matches}
    assert set(by_id) == {"S-2", "S-3"}
    assert by_id["S-2"].score > by_id["S-3"].score
    assert matches[0].entity.entity_id == "S-2"


def test_an_identifier_matches_whatever_the_name() -> None:
    matches = lists().match("Acme Handel GmbH", identifiers=["SE 556677889901"])
    assert [(m.entity.entity_id, m.field, m.score) for m in matches] == [("I-1", "identifier", 1.0)]
    assert matches[0].watchlist.restricted


def test_an_address_alone_matches_when_it_is_a_whole_address() -> None:
    found = lists().match(
        "Unrelated Name Ltd", addresses=[("delivery_address", "Hamngatan 14, 21122 Malmo, Sweden")]
    )
    assert [(m.entity.entity_id, m.field) for m in found] == [("I-1", "delivery_address")]
    assert lists().match("Unrelated Name Ltd", addresses=[("delivery_address", "Malmö")]) == []


def test_a_customer_asked_again_gets_the_same_answer_from_memory() -> None:
    watchlists = lists()
    first = watchlists.match("Khimsnab OOO", country="RU")
    assert watchlists.match("Khimsnab OOO", country="RU") == first
    watchlists.forget()
    assert watchlists.match("Khimsnab OOO", country="RU") == first
    assert watchlists.match("Khimsnab OOO", country="KZ") != first  # another question


def test_a_customer_asked_again_with_another_address_is_not_compared_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watchlists = lists()
    compared: list[str] = []

    def counting(name: str, listed: str, entity_type: EntityType) -> NameComparison:
        compared.append(listed)
        return compare_names(name, listed, entity_type)

    monkeypatch.setattr(watchlist_set, "compare_names", counting)
    first = watchlists.match("Nordic Solvents Trading AB", country="SE")
    assert [m.entity.entity_id for m in first] == ["I-1"] and compared
    compared.clear()
    # Another delivery address: the name's matches come from memory, the address is new.
    to_malmo = watchlists.match(
        "Nordic Solvents Trading AB",
        country="SE",
        addresses=[("delivery_address", "Hamngatan 14, 21122 Malmo, Sweden")],
    )
    assert compared == []
    # The name matched I-1 already, so the address adds nothing and the match stays the name's.
    assert [(m.entity.entity_id, m.field) for m in to_malmo] == [("I-1", "customer_name")]
    # The same address for another customer is a match of its own, on the address.
    other = watchlists.match(
        "Unrelated Name Ltd", addresses=[("delivery_address", "Hamngatan 14, 21122 Malmo, Sweden")]
    )
    assert [(m.entity.entity_id, m.field) for m in other] == [("I-1", "delivery_address")]


def test_no_lists_match_nothing() -> None:
    assert WatchlistSet.empty().match("Khimsnab OOO") == []
    assert WatchlistSet.empty().versions == {}


def test_a_customer_in_chinese_characters_meets_a_name_listed_in_wade_giles() -> None:
    listed = WatchlistSet(
        [(SANCTIONS, [ListedEntity("S-9", "Yeh Chien-kuo", EntityType.person, country="TW")])]
    )
    matches = listed.match("叶建国", country="TW")
    assert [m.entity.entity_id for m in matches] == ["S-9"]
    assert any("Wade-Giles" in why for why in matches[0].explanation)
    assert listed.match("叶建明", country="TW") == []  # another given name
