"""`precx incidents list/show --as EMAIL`: the same incidents, filters and exports as the API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from precx.cli import app as cli
from precx.config import Settings, get_settings
from precx.incidents import cli as incidents_cli
from precx.incidents import service as incidents_service
from tests.incidents.conftest import Cast, seizure

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    # Wide enough that table cells do not wrap.
    monkeypatch.setattr(incidents_cli, "console", Console(width=200))


def _run(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _create(client: TestClient, cast: Cast, **changes: Any) -> int:
    answer = client.post("/api/v1/incidents", json=seizure(**changes), headers=cast.customs.headers)
    assert answer.status_code == 201, answer.text
    found: int = answer.json()["id"]
    return found


def _laboratory(client: TestClient, cast: Cast) -> int:
    return _create(
        client,
        cast,
        kind="illicit_laboratory",
        title="Laboratory in a barn",
        country="PL",
        place="Near Szczecin",
        route=[],
        parties=[{"kind": "person", "value": "Piotr Nowak", "country": "PL"}],
        substances=[{"substance": "ephedrine", "quantity": 5, "unit": "kg"}],
        distribution="authorities",
    )


def test_an_authority_lists_and_shows_the_incident_as_the_api(
    client: TestClient, cast: Cast
) -> None:
    incident = _create(client, cast)
    email, headers = cast.officer.user.email, cast.officer.headers
    table = _run("incidents", "list", "--as", email)
    assert "Acetic anhydride in drums declared as solvent" in table and "Port of Hamburg" in table
    listed = json.loads(_run("incidents", "list", "--as", email, "--json"))
    assert listed == client.get("/api/v1/incidents", headers=headers).json()
    assert [i["id"] for i in listed["items"]] == [incident] and listed["total"] == 1
    shown = json.loads(_run("incidents", "show", str(incident), "--as", email, "--json"))
    assert shown == client.get(f"/api/v1/incidents/{incident}", headers=headers).json()
    assert {"id", "kind", "title", "country", "tlp", "substances", "parties", "route"} <= set(shown)
    text = _run("incidents", "show", str(incident), "--as", email)
    assert "Port of Hamburg" in text and "Nordwind Trading FZE" in text and "TLP:AMBER" in text


def test_industry_and_other_countries_see_none_and_show_answers_not_found(
    client: TestClient, cast: Cast
) -> None:
    incident = _create(client, cast)
    for member in (cast.industry, cast.pl_police):
        email = member.user.email
        assert json.loads(_run("incidents", "list", "--as", email, "--json"))["items"] == []
        shown = runner.invoke(cli, ["incidents", "show", str(incident), "--as", email])
        assert shown.exit_code == 1 and "not found" in shown.output
        assert "Hamburg" not in shown.output
    missing = runner.invoke(cli, ["incidents", "show", "999999", "--as", cast.officer.user.email])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_filters_are_the_apis(client: TestClient, cast: Cast) -> None:
    first, second = _create(client, cast), _laboratory(client, cast)
    email = cast.officer.user.email

    def ids(*args: str) -> list[int]:
        answer = json.loads(_run("incidents", "list", "--as", email, "--json", *args))
        return [i["id"] for i in answer["items"]]

    assert ids("--kind", "seizure") == [first]
    assert ids("--country", "nl") == [first]  # on the route
    assert ids("--country", "PL") == [second]
    assert ids("--status", "final") == []
    assert set(ids()) == {first, second}


def test_out_writes_the_apis_csv_and_an_xlsx_with_the_same_rows(
    client: TestClient, cast: Cast, tmp_path: Path
) -> None:
    _create(client, cast)
    _laboratory(client, cast)
    email = cast.officer.user.email
    csv_file, xlsx_file = tmp_path / "incidents.csv", tmp_path / "incidents.xlsx"
    _run("incidents", "list", "--as", email, "--out", str(csv_file))
    _run("incidents", "list", "--as", email, "--out", str(xlsx_file))
    api = client.get("/api/v1/incidents/export.csv", headers=cast.officer.headers)
    assert csv_file.read_bytes() == api.content
    rows = list(csv.reader(io.StringIO(csv_file.read_text("utf-8-sig"))))
    assert rows[0] == list(incidents_service.EXPORT_COLUMNS) and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {"seizure", "illicit_laboratory"}
    sheet = load_workbook(xlsx_file).active
    assert sheet is not None
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == rows
    seizures = tmp_path / "seizures.csv"
    _run("incidents", "list", "--as", email, "--kind", "seizure", "--out", str(seizures))
    assert len(list(csv.reader(io.StringIO(seizures.read_text("utf-8-sig"))))) == 2
    industry = tmp_path / "industry.csv"
    _run("incidents", "list", "--as", cast.industry.user.email, "--out", str(industry))
    assert len(list(csv.reader(io.StringIO(industry.read_text("utf-8-sig"))))) == 1


def test_bad_input_exits_2_naming_the_option(cast: Cast) -> None:
    email = cast.officer.user.email
    for args, option in (
        (["--kind", "gossip"], "--kind"),
        (["--status", "pending"], "--status"),
        (["--country", "XX"], "--country"),
        (["--country", "Germany"], "--country"),
        (["--out", "incidents.pdf"], "--out"),
    ):
        result = runner.invoke(cli, ["incidents", "list", "--as", email, *args])
        assert result.exit_code == 2 and option in result.output, result.output
    unknown = runner.invoke(cli, ["incidents", "list", "--as", "nobody@nowhere.example"])
    assert unknown.exit_code == 2 and "--as" in unknown.output
