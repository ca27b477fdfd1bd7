"""Test fixtures: a migrated database (SQLite, or PostgreSQL when asked), apps and clients."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from precx.app import create_app
from precx.catalog import service as catalog_service
from precx.config import Settings
from precx.db import make_engine, make_session_factory
from precx.models import metadata
from precx.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
# Set by tests/run.py for the PostgreSQL pass: a server URL whose database we may create in.
PG_URL_ENV = "PRECX_TEST_POSTGRES_URL"
BACKEND_ENV = "PRECX_TEST_BACKEND"


def _create_pg_database(server_url: str) -> tuple[str, str]:
    url = make_url(server_url)
    name = f"precx_test_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(server_url: str, name: str) -> None:
    url = make_url(server_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Reference data is loaded once per session and kept; everything else is emptied after each test.
REFERENCE_TABLES = {"substance", "country", "catalog_version"}


def _prepare(url: str) -> None:
    settings = Settings(database_url=url)
    upgrade(settings)
    engine = make_engine(settings)
    with make_session_factory(engine)() as session, session.begin():
        catalog_service.load_catalog(session, None, actor_label="tests")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for this test session."""
    if os.environ.get(BACKEND_ENV) == "postgresql":
        server = os.environ[PG_URL_ENV]
        url, name = _create_pg_database(server)
        _prepare(url)
        yield url
        _drop_pg_database(server, name)
        return
    path = tmp_path_factory.mktemp("db") / "precx-test.db"
    url = f"sqlite:///{path}"
    _prepare(url)
    yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    """Settings of the app under test: no demo data, no background dispatcher."""
    return Settings(
        database_url=database_url,
        demo=False,
        dispatcher_enabled=False,
        login_max_failures=5,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, leave out the tests that never reach the test database.

    They run in the SQLite pass beside it and would run here unchanged, since nothing of theirs
    depends on the database: the name matching, the file readers, the catalog's parsing. A test
    reaches the database when one of its fixtures needs `database_url` (settings, engine,
    session, app, client and everything built on them).
    """
    if os.environ.get(BACKEND_ENV) != "postgresql":
        return
    kept = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    if len(kept) < len(items):
        wanted = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in wanted])
        items[:] = kept


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the database starts from empty tables (tests commit, as the app
    does). Not a fixture of the others: they would otherwise all count as database tests."""
    if "database_url" not in request.fixturenames:
        yield
        return
    engine: Engine = request.getfixturevalue("engine")
    yield
    names = [t.name for t in reversed(metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging data and checking results; each `with session.begin()` commits."""
    with factory() as s:
        yield s


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    """One app for the session: FastAPI prepares each route on an app's first requests (about
    half a second over this many routes), which every test would otherwise pay again. Each
    test's client still runs the app's startup and shutdown; tests that need other settings
    build their own app."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c
