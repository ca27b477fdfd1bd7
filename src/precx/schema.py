"""Run Alembic migrations from code (CLI, `make run`, tests) on the configured database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from precx.config import Settings
from precx.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration pointing at the repository's migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Migrate the database up to a revision (head by default)."""
    engine = make_engine(settings)  # creates the SQLite folder when needed
    engine.dispose()
    command.upgrade(alembic_config(settings.database_url), revision)


def downgrade(settings: Settings, revision: str = "base") -> None:
    """Migrate the database down to a revision (base by default)."""
    command.downgrade(alembic_config(settings.database_url), revision)
