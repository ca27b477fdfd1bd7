"""Adding entries to a restricted list in one step: a new version holding old and new entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.kit.problems import Forbidden, InvalidInput
from precx.screening import service as screening_service
from precx.screening.matching.normalize import EntityType
from precx.screening.models import Watchlist, WatchlistEntity, WatchlistVersion
from precx.screening.watchlist_formats.records import ListedEntity
from tests.fixtures.builders import Member
from tests.screening.test_service import list_file, order, people  # noqa: F401

NEW = ListedEntity("X-1", "Nordwind Trading FZE", EntityType.company, country="AE")


def _names(session: Session, name: str) -> list[str]:
    with session.begin():
        return _current_names(session, name)


def _current_names(session: Session, name: str) -> list[str]:
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == name)).one()
    return list(
        session.scalars(
            select(WatchlistEntity.name)
            .join(WatchlistVersion, WatchlistVersion.id == WatchlistEntity.version_id)
            .where(
                WatchlistVersion.watchlist_id == watchlist.id,
                WatchlistVersion.version == watchlist.current_version,
            )
            .order_by(WatchlistEntity.name)
        ).all()
    )


def test_entries_join_the_current_version_and_screening_finds_them(
    session: Session,
    tmp_path: Path,
    people: dict[str, Member],  # noqa: F811
) -> None:
    police = people["police"].principal
    with session.begin():
        screening_service.import_watchlist(
            session,
            police,
            path=list_file(tmp_path, "K1,Almaty Khimprom TOO,,company,KZ,,,\n"),
            format="csv",
            name="intel",
            restricted=True,
        )
    with session.begin():
        watchlist = screening_service.add_restricted_entries(
            session, police, list_name="intel", entries=[NEW]
        )
        assert watchlist.current_version == 2
    assert _names(session, "intel") == ["Almaty Khimprom TOO", "Nordwind Trading FZE"]
    # The same entry again replaces itself instead of doubling.
    with session.begin():
        screening_service.add_restricted_entries(session, police, list_name="intel", entries=[NEW])
    assert _names(session, "intel") == ["Almaty Khimprom TOO", "Nordwind Trading FZE"]
    with session.begin():
        [screened] = screening_service.screen_orders(
            session,
            people["company"].principal,
            [(2, order("SO-1", "Nordwind Trading FZE", "AE"))],
            store=False,
        )
    [hit] = screened.result.hits
    assert hit.restricted and hit.reference and hit.name == ""


def test_a_new_list_is_made_and_only_authorities_may(
    session: Session,
    people: dict[str, Member],  # noqa: F811
) -> None:
    with pytest.raises(Forbidden), session.begin():
        screening_service.add_restricted_entries(
            session, people["company"].principal, list_name="mine", entries=[NEW]
        )
    with pytest.raises(InvalidInput), session.begin():
        screening_service.add_restricted_entries(
            session, people["police"].principal, list_name="empty", entries=[]
        )
    with session.begin():
        assert session.scalars(select(Watchlist)).all() == []
        made = screening_service.add_restricted_entries(
            session, people["police"].principal, list_name="KZ police incidents", entries=[NEW]
        )
        assert made.restricted and made.current_version == 1


def test_another_authority_cannot_add_to_a_list_it_does_not_keep(
    session: Session,
    people: dict[str, Member],  # noqa: F811
) -> None:
    with session.begin():
        screening_service.add_restricted_entries(
            session, people["police"].principal, list_name="intel", entries=[NEW]
        )
    with pytest.raises(Forbidden), session.begin():
        screening_service.add_restricted_entries(
            session, people["customs"].principal, list_name="intel", entries=[NEW]
        )
