"""The shipped catalog validates, and a sample agrees with the legal tables."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from precx.catalog import loader
from precx.catalog import service as catalog_service

# (CAS, UN table, EU category, HS 2022 subheading), from the 1988 Convention's Tables I and II
# as amended, Regulation (EC) No 273/2004 Annex I as amended, and the HS 2022 nomenclature.
LEGAL_SAMPLE = [
    ("108-24-7", "I", "2A", "291524"),  # acetic anhydride
    ("7722-64-7", "I", "2B", "284161"),  # potassium permanganate
    ("103-82-2", "I", "2B", "291634"),  # phenylacetic acid
    ("299-42-3", "I", "1", "293941"),  # ephedrine
    ("90-82-4", "I", "1", "293942"),  # pseudoephedrine
    ("103-79-7", "I", "1", "291431"),  # 1-phenyl-2-propanone (BMK, P-2-P)
    ("4676-39-5", "I", "1", "293292"),  # 3,4-MDP-2-P (PMK)
    ("4468-48-8", "I", "1", "292640"),  # APAAN
    ("94-59-7", "I", "1", "293294"),  # safrole
    ("120-57-0", "I", "1", "293293"),  # piperonal
    ("21409-26-7", "I", "1", "293336"),  # ANPP
    ("39742-60-4", "I", "1", "293337"),  # NPP
    ("67-64-1", "II", "3", "291411"),  # acetone
    ("78-93-3", "II", "3", "291412"),  # methyl ethyl ketone
    ("108-88-3", "II", "3", "290230"),  # toluene
    ("60-29-7", "II", "3", "290911"),  # ethyl ether
    ("7647-01-0", "II", "3", "280610"),  # hydrochloric acid
    ("7664-93-9", "II", "3", "280700"),  # sulphuric acid
    ("110-89-4", "II", "2B", "293332"),  # piperidine
    ("118-92-3", "II", "2B", "292243"),  # anthranilic acid
]


def test_the_shipped_files_validate() -> None:
    records = loader.read_substances()
    assert len(records) >= 60
    assert len(loader.read_mixture_rules()) >= 3
    extras = loader.read_country_extras()
    assert len(extras["osce_participating_states"]) == 57


@pytest.mark.parametrize(("cas", "table", "category", "hs"), LEGAL_SAMPLE)
def test_sample_agrees_with_the_legal_tables(
    session: Session, cas: str, table: str, category: str, hs: str
) -> None:
    with session.begin():
        found = catalog_service.identify(session, cas)
    assert found.identified, found
    substance = found.candidates[0].substance
    assert (substance.un_table, substance.eu_category, substance.hs_code) == (table, category, hs)
    assert substance.sources, "every scheduled substance names its legal source"


def test_every_scheduled_substance_has_the_four_languages() -> None:
    for record in loader.read_substances():
        if record.parent is None and (record.scheduled or record.watched):
            assert {"de", "fr", "es", "ru"} <= record.names.keys(), record.id


def test_the_newer_fentanyl_and_amphetamine_precursors_are_table_one(session: Session) -> None:
    with session.begin():
        for name in (
            "ANPP",
            "NPP",
            "4-AP",
            "1-boc-4-AP",
            "norfentanyl",
            "APAA",
            "MAPA",
            "PMK glycidate",
        ):
            found = catalog_service.identify(session, name)
            assert found.candidates, name
            assert found.candidates[0].substance.un_table == "I", name


def test_watched_substances_are_not_scheduled(session: Session) -> None:
    with session.begin():
        watched = catalog_service.list_substances(session, watched=True)
    assert len(watched) >= 10
    assert all(s.un_table is None and s.eu_category is None for s in watched)


def test_the_57_participating_states_and_the_partners(session: Session) -> None:
    with session.begin():
        states = catalog_service.list_countries(session, osce_status="participating_state")
        asian = catalog_service.list_countries(session, osce_status="asian_partner")
        mediterranean = catalog_service.list_countries(session, osce_status="mediterranean_partner")
        germany = catalog_service.get_country(session, "DE")
        mongolia = catalog_service.get_country(session, "Mongolia")
        japan = catalog_service.get_country(session, "JPN")
    assert len(states) == 57
    assert {c.iso2 for c in asian} == {"AF", "AU", "JP", "KR", "TH"}
    assert {c.iso2 for c in mediterranean} == {"DZ", "EG", "IL", "JO", "MA", "TN"}
    assert (germany.iso3, germany.osce_status, germany.eu_member) == (
        "DEU",
        "participating_state",
        True,
    )
    assert mongolia.osce_status == "participating_state" and not mongolia.eu_member
    assert japan.osce_status == "asian_partner"
