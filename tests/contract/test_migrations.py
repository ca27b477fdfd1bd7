"""Migrations run up, down and up again, and match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from precx.catalog import service as catalog_service
from precx.config import Settings
from precx.db import make_engine, make_session_factory
from precx.models import metadata
from precx.schema import downgrade, upgrade


def _diff(settings: Settings) -> list[object]:
    engine = make_engine(settings)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    engine.dispose()
    return list(diff)


def _tables(settings: Settings) -> set[str]:
    engine = make_engine(settings)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names - {"alembic_version"}


def test_the_migrated_schema_matches_the_models(settings: Settings) -> None:
    assert _diff(settings) == []


def test_down_to_base_and_up_again(settings: Settings) -> None:
    downgrade(settings, "base")
    assert _tables(settings) == set()
    upgrade(settings)
    assert _tables(settings) == {t.name for t in metadata.sorted_tables}
    assert _diff(settings) == []
    # The rest of the session expects the reference catalog that base wiped.
    engine = make_engine(settings)
    with make_session_factory(engine)() as session, session.begin():
        catalog_service.load_catalog(session, None, actor_label="tests")
    engine.dispose()
