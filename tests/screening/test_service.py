"""Screening with the database: watchlist versions, stored results, restricted hits, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from precx.audit.models import AuditEntry
from precx.kit.pagination import PageParams
from precx.kit.problems import Forbidden, InvalidInput
from precx.screening import service as screening_service
from precx.screening.models import RestrictedHit, Screening, WatchlistEntity
from precx.screening.orders import Order, OrderFileError
from tests.fixtures.builders import Member, make_member, make_org

LIST_HEADER = "entity_id,name,aliases,entity_type,country,address,identifiers,reason\n"


def list_file(tmp_path: Path, rows: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(LIST_HEADER + rows, encoding="utf-8")
    return path


def order(order_id: str, customer: str, country: str = "DE", **more: object) -> Order:
    values: dict[str, object] = {
        "order_id": order_id,
        "customer_name": customer,
        "customer_country": country,
        "substance": "acetone",
        "quantity": 100,
        "unit": "l",
        "customer_since": "2020-01-01",
        "declared_end_use": "solvent for paint",
    }
    values.update(more)
    return Order.model_validate(values)


@pytest.fixture
def people(session: Session) -> dict[str, Member]:
    with session.begin():
        police = make_org(session, OrgKind.law_enforcement, "KZ")
        company = make_org(session, OrgKind.industry, "DE", vetted=True)
        platform = make_org(session, OrgKind.platform, "AT")
        return {
            "police": make_member(session, police, Role.analyst),
            "police_admin": make_member(session, police, Role.admin),
            "company": make_member(session, company, Role.analyst),
            "platform": make_member(session, platform, Role.admin),
            "customs": make_member(session, make_org(session, OrgKind.customs, "DE")),
        }


def test_a_reimport_replaces_the_list_and_keeps_its_versions(
    session: Session, tmp_path: Path, people: dict[str, Member]
) -> None:
    admin = people["platform"].principal
    with session.begin():
        first = screening_service.import_watchlist(
            session,
            admin,
            path=list_file(tmp_path, "A1,Alpha Ltd,,company,GB,,,\n"),
            format="csv",
            name="UK list",
        )
    with session.begin():
        second = screening_service.import_watchlist(
            session,
            admin,
            path=list_file(tmp_path, "B1,Beta GmbH,Beta AG,company,DE,,,\nB2,Gamma,,company,,,,\n"),
            format="csv",
            name="UK list",
        )
    assert (first.version, second.version) == (1, 2)
    [summary] = screening_service.list_watchlists(session, admin)
    assert (summary.version, summary.entity_count, summary.alias_count) == (2, 2, 1)
    versions = screening_service.list_versions(session, admin, "UK list")
    assert [v.version for v in versions] == [2, 1]
    current = screening_service.list_entities(session, admin, "UK list", PageParams())
    assert {e.entity_id for e in current.items} == {"B1", "B2"}
    assert session.scalar(select(func.count()).select_from(WatchlistEntity)) == 3
    screener = screening_service.screener_for(session, admin, with_history=False)
    assert screener.watchlists.versions == {"UK list": 2}


def test_a_bad_file_changes_nothing_and_says_where(
    session: Session, tmp_path: Path, people: dict[str, Member]
) -> None:
    admin = people["platform"].principal
    with session.begin():
        screening_service.import_watchlist(
            session,
            admin,
            path=list_file(tmp_path, "A1,Alpha Ltd,,company,GB,,,\n"),
            format="csv",
            name="UK list",
        )
    broken = list_file(tmp_path, "B1,Beta,,company,DE,,,\nB2,Gamma,,spaceship,DE,,,\n", "bad.csv")
    with pytest.raises(InvalidInput) as caught, session.begin():
        screening_service.import_watchlist(
            session, admin, path=broken, format="csv", name="UK list"
        )
    assert "bad.csv:3" in caught.value.detail
    [summary] = screening_service.list_watchlists(session, admin)
    assert (summary.version, summary.entity_count) == (1, 1)


def test_only_authorities_keep_restricted_lists_and_only_they_see_them(
    session: Session, tmp_path: Path, people: dict[str, Member]
) -> None:
    path = list_file(tmp_path, "K1,Almaty Khimprom TOO,,company,KZ,,,\n")
    with pytest.raises(Forbidden), session.begin():
        screening_service.import_watchlist(
            session,
            people["company"].principal,
            path=path,
            format="csv",
            name="intel",
            restricted=True,
        )
    with session.begin():
        screening_service.import_watchlist(
            session,
            people["police"].principal,
            path=path,
            format="csv",
            name="intel",
            restricted=True,
        )
    assert screening_service.list_watchlists(session, people["company"].principal) == []
    assert [
        w.name for w in screening_service.list_watchlists(session, people["customs"].principal)
    ] == ["intel"]


def test_a_restricted_hit_reaches_the_authority_and_not_the_company(
    session: Session, tmp_path: Path, people: dict[str, Member]
) -> None:
    with session.begin():
        screening_service.import_watchlist(
            session,
            people["police"].principal,
            path=list_file(tmp_path, "K1,Almaty Khimprom TOO,,company,KZ,,,\n"),
            format="csv",
            name="intel",
            restricted=True,
        )
    company = people["company"].principal
    with session.begin():
        [screened] = screening_service.screen_orders(
            session, company, [(2, order("SO-9", "ТОО «Алматы Химпром»", "KZ"))], store=True
        )
    hit = screened.result.hits[0]
    assert hit.restricted and hit.name == "" and hit.reference
    stored = session.get(Screening, screened.screening_id)
    assert stored is not None and "Khimprom" not in str(stored.hits)
    assert stored.list_versions == {}
    police_view = screening_service.list_restricted_hits(
        session, people["police_admin"].principal, PageParams()
    )
    assert [(h.reference, h.entity_id) for h in police_view.items] == [(hit.reference, "K1")]
    assert screening_service.list_restricted_hits(session, company, PageParams()).items == []
    customs_view = screening_service.list_restricted_hits(
        session, people["customs"].principal, PageParams()
    )
    assert customs_view.items == []
    notice = session.scalars(select(RestrictedHit)).one()
    event = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "screening.restricted_hit")
    ).one()
    assert event.record_id == str(notice.id)


def test_history_carries_over_between_requests(session: Session, people: dict[str, Member]) -> None:
    company = people["company"].principal
    common = {
        "substance": "phenylacetic acid",
        "unit": "kg",
        "quantity": 0.7,
        "customer_registration_number": "R-1",
        "declared_end_use": "penicillin",
    }
    with session.begin():
        screening_service.screen_orders(
            session,
            company,
            [(2, order("P1", "Biolab", order_date="2026-11-01", **common))],
            store=True,
        )
    with session.begin():
        [second] = screening_service.screen_orders(
            session,
            company,
            [(2, order("P2", "BIOLAB", order_date="2026-11-03", **common))],
            store=True,
        )
    assert "SPLIT_ORDERS" in {f.code for f in second.result.findings}


def test_screening_without_storing_stores_nothing(
    session: Session, people: dict[str, Member]
) -> None:
    with session.begin():
        screened = screening_service.screen_orders(
            session, None, [(2, order("X", "Anyone"))], store=False
        )
    assert screened[0].screening_id is None
    assert session.scalar(select(func.count()).select_from(Screening)) == 0


def test_thresholds_are_per_organisation_and_set_by_admins(
    session: Session, people: dict[str, Member]
) -> None:
    from precx.screening.schemas import ThresholdSettings

    with pytest.raises(Forbidden), session.begin():
        screening_service.set_thresholds(
            session,
            people["company"].principal,
            data=ThresholdSettings(review_threshold=5, report_threshold=10),
        )
    with session.begin():
        screening_service.set_thresholds(
            session,
            people["police_admin"].principal,
            data=ThresholdSettings(review_threshold=5, report_threshold=10),
        )
    assert screening_service.thresholds_for(session, people["police"].org.id).review == 5
    assert screening_service.thresholds_for(session, people["company"].org.id).review == 25


def test_an_unknown_substance_names_its_line_and_nothing_is_stored(
    session: Session, people: dict[str, Member]
) -> None:
    company = people["company"].principal
    numbered = [
        (2, order("L-2", "Lackwerk Nord GmbH")),
        (3, order("L-3", "Farben Sued AG")),
        (4, order("L-4", "Chemie West KG", substance="unobtainium")),
    ]
    with pytest.raises(OrderFileError) as raised, session.begin():
        screening_service.screen_orders(
            session, company, numbered, store=True, filename="orders.csv"
        )
    error = raised.value
    assert (error.file, error.line, error.field) == ("orders.csv", 4, "substance")
    assert "unobtainium" in error.message
    assert session.scalar(select(func.count()).select_from(Screening)) == 0
