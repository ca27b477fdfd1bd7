"""The audit log is a hash chain: `precx audit verify` catches any edit or deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from precx.accounts.principal import OrgKind
from precx.audit import service as audit_service
from precx.audit.models import AuditEntry
from precx.cli import app as cli
from precx.config import Settings
from tests.fixtures.builders import make_member, make_org


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from precx.config import get_settings

    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()


def _some_history(session: Session) -> None:
    with session.begin():
        org = make_org(session, OrgKind.licensing_authority, "DE")
        make_member(session, org)
        make_member(session, org)


def _verify() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", "verify"])
    return result.exit_code, result.output


def test_an_intact_chain_verifies(session: Session, cli_env: None) -> None:
    _some_history(session)
    code, output = _verify()
    assert code == 0, output
    assert "intact" in output


def test_each_entry_holds_the_hash_of_the_one_before(session: Session) -> None:
    _some_history(session)
    with session.begin():
        chain = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert all(b.prev_hash == a.entry_hash for a, b in zip(chain, chain[1:], strict=False))


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        ("UPDATE audit_entry SET action = 'user.nothing' WHERE seq = 3", "entry 3"),
        ('UPDATE audit_entry SET details = \'{"email": "x@y.example"}\' WHERE seq = 4', "entry 4"),
        ("UPDATE audit_entry SET actor_label = 'someone else' WHERE seq = 2", "entry 2"),
        ("DELETE FROM audit_entry WHERE seq = 3", "entry 3"),
        ("DELETE FROM audit_entry WHERE seq = (SELECT MAX(seq) FROM audit_entry)", "deleted"),
    ],
)
def test_verify_names_the_first_bad_entry_after_tampering(
    session: Session, cli_env: None, tamper: str, named: str
) -> None:
    _some_history(session)
    with session.begin():
        session.execute(text(tamper))
    code, output = _verify()
    assert code == 1
    assert "broken" in output
    assert named in output


def test_audit_refuses_to_write_outside_a_transaction(session: Session) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_service.record(session, None, "nothing")
