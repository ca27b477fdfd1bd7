"""`precx licence` and `precx alr`, run as an authority's officer or an operator would."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from precx.cli import app as cli
from precx.config import Settings, get_settings
from tests.licensing.conftest import Cast

runner = CliRunner()
REGISTER = (
    "kind;country;number;holder_name;substances;activities;valid_from;valid_until\n"
    "licence;DE;DE-CLI-1;Alpha GmbH;ephedrine;import;2026-01-01;2030-12-31\n"
)


@pytest.fixture(autouse=True)
def _cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()


def test_import_export_and_verify(session: Session, cast: Cast, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    email = cast.de_authority.user.email
    result = runner.invoke(cli, ["licence", "import", str(register), "--as", email])
    assert result.exit_code == 0, result.output
    assert "1 licences created" in result.stdout
    exported = runner.invoke(cli, ["licence", "export", "--as", email])
    assert "DE-CLI-1" in exported.stdout
    xlsx = tmp_path / "out.xlsx"
    assert runner.invoke(cli, ["licence", "export", "-o", str(xlsx)]).exit_code == 0
    assert xlsx.stat().st_size > 0
    verified = runner.invoke(
        cli,
        [
            "licence",
            "verify",
            "--country",
            "DE",
            "--number",
            "DE-CLI-1",
            "--substance",
            "ephedrine",
        ],
    )
    assert verified.exit_code == 0 and '"valid"' in verified.stdout
    missing = runner.invoke(
        cli,
        [
            "licence",
            "verify",
            "--country",
            "DE",
            "--number",
            "NOPE",
            "--as",
            cast.de_industry.user.email,
        ],
    )
    assert missing.exit_code == 1 and '"not_found"' in missing.stdout


def test_a_bad_file_imports_nothing_and_says_where(cast: Cast, tmp_path: Path) -> None:
    bad = tmp_path / "register.csv"
    bad.write_text(REGISTER + "licence;DE;DE-CLI-2;Beta;ephedrine;teleport;2026-01-01;2030-12-31\n")
    result = runner.invoke(
        cli, ["licence", "import", str(bad), "--as", cast.de_authority.user.email]
    )
    assert result.exit_code == 1
    assert "register.csv:3:6 (activities)" in result.output
    exported = runner.invoke(cli, ["licence", "export"])
    assert "DE-CLI-1" not in exported.stdout


def test_alr_import(cast: Cast, tmp_path: Path) -> None:
    table = tmp_path / "alr.csv"
    table.write_text("country,substance,quantity_kg,note\nDE,ephedrine,1000,INCB 2026\n")
    result = runner.invoke(cli, ["alr", "import", str(table), "--as", cast.de_authority.user.email])
    assert result.exit_code == 0, result.output
    assert "1 requirements changed" in result.stdout


def test_an_unknown_or_deactivated_user_is_a_usage_error_naming_as(
    session: Session, cast: Cast, tmp_path: Path
) -> None:
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    unknown = runner.invoke(cli, ["licence", "import", str(register), "--as", "nobody@example.org"])
    assert unknown.exit_code == 2
    assert "--as" in unknown.output and "no active user" in unknown.output
    user = cast.de_authority.user
    with session.begin():
        session.merge(user).active = False
    deactivated = runner.invoke(cli, ["licence", "import", str(register), "--as", user.email])
    assert deactivated.exit_code == 2
    assert runner.invoke(cli, ["licence", "export"]).stdout.count("DE-CLI-1") == 0
