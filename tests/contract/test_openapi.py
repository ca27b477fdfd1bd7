"""Every API operation keeps to its OpenAPI description under generated input (schemathesis)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from precx.accounts.principal import OrgKind, Role
from precx.app import create_app
from precx.config import Settings
from precx.db import make_engine, make_session_factory
from precx.schema import upgrade
from tests.fixtures.builders import make_member, make_org

# Schemathesis needs the app when the module loads, before fixtures exist: it gets its own
# database, migrated here.
_SETTINGS = Settings(
    database_url=f"sqlite:///{tempfile.mkdtemp()}/schemathesis.db",
    dispatcher_enabled=False,
    demo=False,
)
upgrade(_SETTINGS)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_SETTINGS))


@pytest.fixture(scope="module")
def auth_headers() -> Iterator[dict[str, str]]:
    engine = make_engine(_SETTINGS)
    with make_session_factory(engine)() as session, session.begin():
        member = make_member(
            session, make_org(session, OrgKind.licensing_authority, "DE"), Role.admin
        )
    yield member.headers
    engine.dispose()


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_operations_keep_to_the_schema(case, auth_headers) -> None:  # type: ignore[no-untyped-def]
    # Schema-valid input may still be refused by a domain rule (an unknown sharing group, a
    # country code that is two letters but not a country): those answers are checked elsewhere.
    case.call_and_validate(
        headers=auth_headers, excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
