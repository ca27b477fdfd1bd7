"""The `precx` command, run as an operator would, against the same database as the server."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from precx.cli import app as cli
from precx.config import Settings, get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()


def _json(args: list[str]) -> object:
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_loads_three_countries_with_every_kind_of_organisation() -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    orgs = _json(["orgs", "list", "--json"])
    assert isinstance(orgs, list)
    by_country: dict[str, set[str]] = {}
    for org in orgs:
        by_country.setdefault(org["country"], set()).add(org["kind"])
        assert "demo" in org["name"]
    for country in ("DE", "PL", "KZ"):
        assert {
            "licensing_authority",
            "customs",
            "law_enforcement",
            "industry",
            "logistics",
        } <= by_country[country]
    assert any("international" in kinds for kinds in by_country.values())
    again = runner.invoke(cli, ["demo", "--if-new"])
    assert again.exit_code == 0 and "already" in again.output


def test_users_list_json_names_role_organisation_kind_and_country() -> None:
    runner.invoke(cli, ["demo"])
    users = _json(["users", "list", "--json"])
    assert isinstance(users, list)
    admin = next(u for u in users if u["email"] == "admin@de-authority.example")
    assert admin["role"] == "admin"
    assert admin["organisation_kind"] == "licensing_authority"
    assert admin["country"] == "DE"
    assert {"email", "role", "organisation", "organisation_kind", "country"} <= admin.keys()
    roles = {u["role"] for u in users if u["email"].endswith("@de-authority.example")}
    assert roles == {"admin", "analyst", "reporter", "viewer"}


def test_users_token_prints_only_a_working_token(client: TestClient) -> None:
    runner.invoke(cli, ["demo"])
    result = runner.invoke(cli, ["users", "token", "analyst@pl-chem.example"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert token.startswith("precx_pat_") and "\n" not in token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "analyst@pl-chem.example"


def test_users_token_for_an_unknown_user_fails_clearly() -> None:
    result = runner.invoke(cli, ["users", "token", "nobody@nowhere.example"])
    assert result.exit_code == 1
    assert "no user with e-mail" in result.output


def test_orgs_and_users_can_be_added() -> None:
    added = runner.invoke(
        cli,
        [
            "orgs",
            "add",
            "--name",
            "Test Authority",
            "--kind",
            "licensing_authority",
            "--country",
            "fr",
        ],
    )
    assert added.exit_code == 0, added.output
    org_id = _json(["orgs", "list", "--json"])[0]["id"]  # type: ignore[index]
    user = runner.invoke(
        cli,
        [
            "users",
            "add",
            "--email",
            "chief@authority.example",
            "--name",
            "Chief",
            "--role",
            "admin",
            "--organisation",
            str(org_id),
            "--password",
            "a very long password",
        ],
    )
    assert user.exit_code == 0, user.output
    bad = runner.invoke(
        cli, ["orgs", "add", "--name", "X", "--kind", "industry", "--country", "XX"]
    )
    assert bad.exit_code == 1 and "ISO 3166-1" in bad.output


def test_demo_if_new_respects_demo_mode_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DEMO", "false")
    get_settings.cache_clear()
    result = runner.invoke(cli, ["demo", "--if-new"])
    assert result.exit_code == 0 and "demo mode is off" in result.output
    assert _json(["orgs", "list", "--json"]) == []
