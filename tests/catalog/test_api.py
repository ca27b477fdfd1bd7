"""The catalog through the API and the command line."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from precx.accounts.principal import OrgKind, Role
from precx.cli import app as cli
from precx.config import Settings, get_settings
from tests.fixtures.builders import Member, make_member, make_org

runner = CliRunner()


@pytest.fixture
def member(session: Session) -> Member:
    with session.begin():
        return make_member(session, make_org(session, OrgKind.industry, "DE"), Role.viewer)


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()


def test_the_api_identifies_with_at_least_the_promised_fields(
    client: TestClient, member: Member
) -> None:
    answer = client.get("/api/v1/substances", params={"q": "2915.24"}, headers=member.headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["identified"] is True
    best = body["candidates"][0]
    substance = best["substance"]
    for key in (
        "name",
        "cas",
        "hs_code",
        "un_table",
        "eu_category",
        "synonyms",
        "watched",
        "thresholds",
        "sources",
    ):
        assert key in substance
    assert substance["un_table"] == "I" and substance["eu_category"] == "2A"
    assert best["field"] == "hs_code" and best["why"]


def test_the_api_lists_by_table_and_category(client: TestClient, member: Member) -> None:
    table_two = client.get(
        "/api/v1/substances", params={"un_table": "II"}, headers=member.headers
    ).json()["items"]
    assert {"Acetone", "Toluene"} <= {s["name"] for s in table_two}
    assert all(s["un_table"] == "II" for s in table_two)


def test_the_api_judges_a_mixture(client: TestClient, member: Member) -> None:
    substance_id = client.get(
        "/api/v1/substances", params={"q": "67-64-1"}, headers=member.headers
    ).json()["candidates"][0]["substance"]["id"]
    answer = client.get(
        f"/api/v1/substances/{substance_id}/mixture",
        params={"concentration": 40},
        headers=member.headers,
    )
    assert answer.json()["controlled"] is True
    bad = client.get(
        f"/api/v1/substances/{substance_id}/mixture",
        params={"concentration": 140},
        headers=member.headers,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.concentration"


def test_an_unknown_substance_is_a_problem_404(client: TestClient, member: Member) -> None:
    answer = client.get("/api/v1/substances/no-such-thing", headers=member.headers)
    assert answer.status_code == 404


def test_only_the_countrys_authority_sets_its_notification_requests(
    session: Session, client: TestClient, member: Member
) -> None:
    with session.begin():
        de_authority = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        pl_authority = make_member(session, make_org(session, OrgKind.licensing_authority, "PL"))
    ephedrine = client.get(
        "/api/v1/substances", params={"q": "299-42-3"}, headers=member.headers
    ).json()["candidates"][0]["substance"]["id"]
    path = f"/api/v1/countries/DE/pen-requirements/{ephedrine}"
    body = {"required": True, "note": "All exports", "source": "Notified to INCB"}
    assert client.put(path, json=body, headers=member.headers).status_code == 403
    assert client.put(path, json=body, headers=pl_authority.headers).status_code == 403
    assert client.put(path, json=body, headers=de_authority.headers).status_code == 200
    germany = client.get("/api/v1/countries/DE", headers=member.headers).json()
    assert germany["pen_requirements"][0]["substance_id"] == ephedrine
    assert germany["pen_requirements"][0]["required"] is True


def test_cli_shows_a_substance_as_json(cli_env: None) -> None:
    result = runner.invoke(cli, ["substances", "show", "acetic anhydride", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cas"] == ["108-24-7"] and data["un_table"] == "I"
    assert data["eu_category"] == "2A" and data["hs_code"] == "291524"


def test_cli_fails_clearly_when_nothing_matches(cli_env: None) -> None:
    result = runner.invoke(cli, ["substances", "show", "zzqx unobtainium"])
    assert result.exit_code == 1
    assert "no substance matches" in result.output


def test_cli_lists_candidates_when_ambiguous(cli_env: None) -> None:
    result = runner.invoke(cli, ["substances", "show", "2939", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ambiguous"] is True and len(data["candidates"]) > 1


def test_cli_shows_a_country(cli_env: None) -> None:
    result = runner.invoke(cli, ["countries", "show", "DE", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["iso2"] == "DE" and data["iso3"] == "DEU" and data["name"] == "Germany"
    assert data["osce_status"] == "participating_state" and data["eu_member"] is True
    assert data["pen_requirements"] == []


def test_cli_validates_a_bad_file(cli_env: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "substances.yaml"
    bad.write_text('- id: x1\n  name: X\n  cas: ["108-24-8"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["catalog", "validate", "--substances", str(bad)])
    assert result.exit_code == 1
    assert "substances.yaml:3:" in result.output and "check digit" in result.output
