"""Identifying a substance from what a user types: codes, names, languages, misspellings."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from precx.catalog import service as catalog_service


def _best(session: Session, query: str) -> str:
    with session.begin():
        found = catalog_service.identify(session, query)
    assert found.candidates, f"nothing for {query!r}"
    return found.candidates[0].substance.name.casefold()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("108-24-7", "acetic anhydride"),
        ("108247", "acetic anhydride"),  # CAS without hyphens
        ("2915.24", "acetic anhydride"),  # HS code with a dot
        ("291524", "acetic anhydride"),
        ("ACETIC   anhydride", "acetic anhydride"),  # case and spacing
        ("Essigsäureanhydrid", "acetic anhydride"),  # German
        ("essigsaureanhydrid", "acetic anhydride"),  # without the umlaut
        ("Уксусный ангидрид", "acetic anhydride"),  # Russian
        ("anhydride acetique", "acetic anhydride"),  # French without accents
        ("Anhídrido acético", "acetic anhydride"),  # Spanish
        ("MEK", "methyl ethyl ketone"),  # abbreviation
        ("acetone", "acetone"),
        ("Ацетон", "acetone"),
        ("acetonne", "acetone"),  # a small misspelling
        ("pseudoefedrine", "pseudoephedrine"),  # a small misspelling
        ("potassium permanganat", "potassium permanganate"),
    ],
)
def test_identifies(session: Session, query: str, expected: str) -> None:
    assert expected in _best(session, query)


@pytest.mark.parametrize("query", ["BMK", "P2P", "P-2-P", "phenylacetone"])
def test_street_and_trade_names_of_bmk(session: Session, query: str) -> None:
    assert "phenyl" in _best(session, query) and "propan" in _best(session, query)


def test_every_match_says_why(session: Session) -> None:
    with session.begin():
        found = catalog_service.identify(session, "67-64-1")
    assert found.identified and not found.ambiguous
    assert found.candidates[0].field == "cas"
    assert "CAS number 67-64-1" in found.candidates[0].why


def test_a_misspelling_is_found_with_a_lower_score_and_says_so(session: Session) -> None:
    with session.begin():
        found = catalog_service.identify(session, "acetonne")
    assert found.candidates[0].score < 100
    assert "alike" in found.candidates[0].why


def test_an_hs_heading_lists_several_candidates_ranked(session: Session) -> None:
    with session.begin():
        found = catalog_service.identify(session, "2939")  # ephedrines, ergot alkaloids
    assert found.ambiguous and len(found.candidates) > 1


def test_nothing_matches_nonsense(session: Session) -> None:
    with session.begin():
        found = catalog_service.identify(session, "zzqx unobtainium")
    assert found.candidates == [] and not found.identified


def test_a_salt_points_to_its_parent_and_inherits_its_controls(session: Session) -> None:
    with session.begin():
        parent = catalog_service.identify(session, "299-42-3").candidates[0].substance
        salts = [catalog_service.get_substance(session, s) for s in parent.salts_and_isomers]
        assert salts, "ephedrine has salts in the catalog"
        assert all(s.parent == parent.id and s.un_table == "I" for s in salts)


def test_a_mixture_of_a_scheduled_substance_is_controlled_and_says_why(session: Session) -> None:
    with session.begin():
        acetone = catalog_service.identify(session, "67-64-1").candidates[0].substance
        mixture = catalog_service.assess_mixture(session, acetone.id, 30)
        none = catalog_service.assess_mixture(session, acetone.id, 0)
    assert mixture.controlled
    assert any("article 12, paragraph 14" in r for r in mixture.reasons)
    assert any("273/2004" in r for r in mixture.reasons)
    assert not none.controlled


def test_a_watched_substance_is_not_controlled_but_flagged(session: Session) -> None:
    with session.begin():
        watched = catalog_service.list_substances(session, watched=True)[0]
        result = catalog_service.assess_mixture(session, watched.id, 50)
    assert not result.controlled
    assert any("watch" in r for r in result.reasons)
