"""The screening engine as a library: an order in, a decision with its reasons out."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from precx.catalog.snapshot import CatalogSnapshot
from precx.screening import Decision, DecisionThresholds, Screener
from precx.screening.matching.normalize import EntityType
from precx.screening.orders import Order
from precx.screening.screener import UnknownSubstance
from precx.screening.watchlist_formats.records import ListedEntity
from precx.screening.watchlist_set import ListInfo, WatchlistSet


@pytest.fixture(scope="module")
def catalog() -> CatalogSnapshot:
    return CatalogSnapshot.from_files()


@pytest.fixture(scope="module")
def watchlists() -> WatchlistSet:
    sanctions = [
        ListedEntity(
            "S-1",
            "ROMASHKA LLC",
            EntityType.company,
            aliases=("OOO Romashka Trade",),
            country="RU",
            addresses=("ul. Lesnaya 5, Moscow 125047, Russia",),
            programs=("SDNTK",),
        ),
        ListedEntity("S-2", "PETROV, Ivan Sergeyevich", EntityType.person, country="RU"),
        ListedEntity(
            "S-3",
            "Golden Crescent Import Export FZE",
            EntityType.company,
            identifiers=(("Registration", "FZE-778812"),),
        ),
    ]
    intelligence = [ListedEntity("I-9", "Almaty Khimprom TOO", EntityType.company, country="KZ")]
    return WatchlistSet(
        [
            (ListInfo("sanctions", 3), sanctions),
            (ListInfo("kz-intel", 1, restricted=True, owner_organisation_id=7), intelligence),
        ]
    )


def order(**changes: object) -> Order:
    """A plain, unremarkable order of an established customer, changed as a test needs."""
    values: dict[str, object] = {
        "order_id": "SO-1",
        "customer_name": "Lackwerk Nord GmbH",
        "customer_country": "DE",
        "substance": "acetone",
        "quantity": 40,
        "unit": "l",
        "customer_since": "2018-03-01",
        "payment_method": "invoice",
        "delivery_type": "customer_premises",
        "declared_end_use": "solvent for paint production",
        "order_date": "2026-11-02",
    }
    values.update(changes)
    return Order.model_validate(values)


def codes(result: object) -> set[str]:
    return {f.code for f in result.findings}  # type: ignore[attr-defined]


def test_an_unremarkable_order_is_clear(catalog: CatalogSnapshot, watchlists: WatchlistSet) -> None:
    result = Screener(catalog, watchlists).screen(order())
    assert result.decision is Decision.clear
    assert result.findings == ()
    assert result.substance_id == "acetone"
    assert result.list_versions == {"sanctions": 3, "kz-intel": 1}
    # Industry learns which public lists it was screened against, never an authority's list.
    assert result.for_industry().list_versions == {"sanctions": 3}


def test_a_customer_written_in_cyrillic_hits_the_latin_listing(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    result = Screener(catalog, watchlists).screen(
        order(customer_name="ООО «Ромашка»", customer_country="RU")
    )
    assert result.decision is Decision.report
    hit = result.hits[0]
    assert (hit.list, hit.entity_id, hit.name) == ("sanctions", "S-1", "ROMASHKA LLC")
    assert hit.score >= 0.8 and hit.explanation
    finding = next(f for f in result.findings if f.code == "WATCHLIST_HIT")
    assert "SDNTK" in finding.message and "ROMASHKA LLC" in finding.message


def test_a_person_in_reversed_order_hits(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    result = Screener(catalog, watchlists).screen(order(customer_name="Ivan Petrov"))
    assert [h.entity_id for h in result.hits] == ["S-2"]


def test_a_listed_identifier_hits_whatever_the_name(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    result = Screener(catalog, watchlists).screen(
        order(customer_name="Blue Lagoon Trading", customer_registration_number="FZE 778812")
    )
    assert [(h.entity_id, h.field) for h in result.hits] == [("S-3", "identifier")]
    assert result.decision is Decision.report


def test_a_decoy_sharing_words_does_not_hit(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    result = Screener(catalog, watchlists).screen(order(customer_name="Golden Gate Bakery Ltd"))
    assert result.hits == ()


def test_a_restricted_hit_tells_industry_only_whom_to_call(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    result = Screener(catalog, watchlists).screen(
        order(customer_name="ТОО Алматы Химпром", customer_country="KZ")
    )
    full = result.hits[0]
    assert full.restricted and full.name == "Almaty Khimprom TOO" and full.reference
    shown = result.for_industry()
    assert shown.hits[0].name == "" and shown.hits[0].entity_id == ""
    assert shown.hits[0].reference == full.reference
    assert "kz-intel" not in shown.list_versions
    text = str(shown.to_dict())
    assert "Khimprom" not in text and "I-9" not in text
    finding = next(f for f in result.findings if f.code == "RESTRICTED_HIT")
    assert full.reference in finding.message


def test_category_1_needs_a_licence(catalog: CatalogSnapshot) -> None:
    without = Screener(catalog).screen(order(substance="ephedrine", quantity=2, unit="kg"))
    with_licence = Screener(catalog).screen(
        order(
            substance="ephedrine",
            quantity=2,
            unit="kg",
            customer_licence_number="DE-L1-4411",
            declared_end_use="decongestant tablet formulation",
        )
    )
    assert "LICENCE_MISSING" in codes(without)
    assert "LICENCE_MISSING" not in codes(with_licence)


def test_orders_split_below_a_threshold_are_caught_across_the_file(
    catalog: CatalogSnapshot,
) -> None:
    phenylacetic = catalog.records["phenylacetic-acid"]
    limit = min(t.quantity for t in phenylacetic.thresholds)
    screener = Screener(catalog)
    common = {
        "substance": "103-82-2",
        "unit": "kg",
        "quantity": limit * 0.6,
        "customer_registration_number": "DE-REG-1",
        "declared_end_use": "penicillin G synthesis",
    }
    first = screener.screen(order(order_id="A", order_date="2026-11-01", **common))
    second = screener.screen(order(order_id="B", order_date="2026-11-05", **common))
    assert "SPLIT_ORDERS" not in codes(first)
    assert "SPLIT_ORDERS" in codes(second)
    assert "A" in next(f.message for f in second.findings if f.code == "SPLIT_ORDERS")


def test_chemicals_of_one_route_in_one_customers_orders(catalog: CatalogSnapshot) -> None:
    screener = Screener(catalog)
    screener.screen(
        order(
            order_id="1",
            substance="P-2-P",
            quantity=5,
            unit="l",
            customer_licence_number="L-1",
            declared_end_use="amphetamine reference standard",
        )
    )
    second = screener.screen(
        order(
            order_id="2",
            substance="methylamine",
            quantity=20,
            unit="kg",
            declared_end_use="pesticide synthesis",
            order_date="2026-11-20",
        )
    )
    finding = next(f for f in second.findings if f.code == "SYNTHESIS_ROUTE")
    assert "Methamphetamine from P-2-P" in finding.message
    assert second.decision is not Decision.clear


def test_an_unusual_quantity_for_this_customer(catalog: CatalogSnapshot) -> None:
    screener = Screener(catalog)
    for n, day in enumerate(("2026-06-01", "2026-07-01", "2026-08-01")):
        screener.screen(order(order_id=f"H{n}", quantity=40, order_date=day))
    big = screener.screen(order(order_id="BIG", quantity=400, order_date="2026-09-01"))
    assert "UNUSUAL_QUANTITY" in codes(big)
    assert "10.0 times" in next(f.message for f in big.findings if f.code == "UNUSUAL_QUANTITY")


def test_payment_delivery_route_and_end_use_red_flags(catalog: CatalogSnapshot) -> None:
    result = Screener(catalog).screen(
        order(
            customer_since=None,
            payment_method="cash",
            delivery_type="freight_forwarder",
            delivery_country="NL",
            transit_countries="PL;LT",
            declared_end_use="hobby",
        )
    )
    assert codes(result) >= {
        "NEW_CUSTOMER",
        "PAYMENT_UNUSUAL",
        "DELIVERY_UNUSUAL",
        "DELIVERY_COUNTRY_DIFFERS",
        "TRANSIT_ROUTE",
        "END_USE_IMPLAUSIBLE",
    }
    assert result.decision is Decision.report
    assert all(f.message and f.severity for f in result.findings)


@pytest.mark.parametrize(("declared", "word"), [("For RE-SALE", "re-sale"), ("N/A", "n/a")])
def test_a_suspicious_end_use_is_found_however_it_is_written(
    catalog: CatalogSnapshot, declared: str, word: str
) -> None:
    result = Screener(catalog).screen(order(declared_end_use=declared))
    message = next(f.message for f in result.findings if f.code == "END_USE_IMPLAUSIBLE")
    assert "is no business use of" in message and f"('{word}')" in message


def test_each_organisation_sets_its_thresholds(catalog: CatalogSnapshot) -> None:
    strict = Screener(catalog, thresholds=DecisionThresholds(review=5, report=15))
    assert strict.screen(order(customer_since=None)).decision is Decision.review


def test_an_unknown_substance_names_the_nearest(catalog: CatalogSnapshot) -> None:
    with pytest.raises(UnknownSubstance) as caught:
        Screener(catalog).screen(order(substance="ephedra herb extract"))
    assert caught.value.candidates
    assert any("phedrine" in name for name in caught.value.candidates)


def test_results_answer_the_documented_json_shape(catalog: CatalogSnapshot) -> None:
    data = Screener(catalog).screen(order(payment_method="crypto")).to_dict()
    assert set(data) >= {"order_id", "decision", "score", "findings", "watchlist_hits"}
    assert data["findings"][0] == {
        "code": "PAYMENT_UNUSUAL",
        "severity": "medium",
        "message": data["findings"][0]["message"],
    }


def test_the_order_date_defaults_to_today(catalog: CatalogSnapshot) -> None:
    result = Screener(catalog).screen(order(order_date=None), today=date(2026, 11, 28))
    assert result.decision is Decision.clear


def test_a_misspelt_substance_is_still_identified(catalog: CatalogSnapshot) -> None:
    result = Screener(catalog).screen(order(substance="ephedrne sulphat", quantity=1))
    assert result.substance_id == "ephedrine-sulfate"
    assert "LICENCE_MISSING" in {f.code for f in result.findings}


def test_export_thresholds_apply_only_to_goods_leaving_the_eu(catalog: CatalogSnapshot) -> None:
    inside = Screener(catalog).screen(order(substance="acetone", quantity=200, unit="l"))
    leaving = Screener(catalog).screen(
        order(substance="acetone", quantity=200, unit="l", delivery_country="GE")
    )
    assert "ABOVE_THRESHOLD" not in {f.code for f in inside.findings}
    above = [f for f in leaving.findings if f.code == "ABOVE_THRESHOLD"]
    assert above and "200 l" in above[0].message and "export" in above[0].message


def _varied_batch() -> list[Order]:
    """Orders that take every path of a screening: hits by name, alias, identifier and address,
    a restricted hit, a person, red flags, and a clear order."""
    return [
        order(order_id="G-1", customer_name="ООО «Ромашка»", customer_country="RU"),
        order(order_id="G-2", customer_name="Ivan Petrov", payment_method="cash"),
        order(order_id="G-3", customer_name="ТОО Алматы Химпром", customer_country="KZ"),
        order(
            order_id="G-4",
            customer_name="Blue Lagoon Trading",
            customer_registration_number="FZE 778812",
            delivery_address="ul. Lesnaya 5, Moscow 125047, Russia",
            delivery_type="freight_forwarder",
        ),
        order(order_id="G-5", substance="acetic anhydride", quantity=900, customer_since=None),
        order(order_id="G-6"),
    ]


def test_screening_makes_no_reference_cycles(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    """What screen_all relies on when it pauses the cyclic collector: reference counting alone
    frees everything a screening makes, so the collector, had it run, would find nothing."""
    screener = Screener(catalog, watchlists)
    list(screener.screen_all(_varied_batch()))  # first use: caches, taggers, lazy imports
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            watchlists.forget()
            results = [Screener(catalog, watchlists).screen(o) for o in _varied_batch()]
            assert {r.decision for r in results} >= {Decision.report, Decision.clear}
            del results
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert unreachable == 0


def test_a_batch_runs_with_the_collector_paused_and_resumes_it(
    catalog: CatalogSnapshot, watchlists: WatchlistSet
) -> None:
    assert gc.isenabled()
    during = [gc.isenabled() for _ in Screener(catalog, watchlists).screen_all(_varied_batch())]
    assert during == [False] * len(_varied_batch())
    assert gc.isenabled()
    # An order that fails the batch resumes the collector as well.
    with pytest.raises(UnknownSubstance):
        list(Screener(catalog).screen_all([order(), order(substance="unobtainium")]))
    assert gc.isenabled()
