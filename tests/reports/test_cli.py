"""`precx reports list/show --as EMAIL`: the same reports, filters and exports as the API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from rich.console import Console
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from precx.cli import app as cli
from precx.config import Settings, get_settings
from precx.reports import cli as reports_cli
from precx.reports import service as reports_service
from tests.reports.helpers import file_report, make_people

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    # Wide enough that table cells do not wrap.
    monkeypatch.setattr(reports_cli, "console", Console(width=200))


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_the_routed_authority_lists_and_shows_the_report(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    email = people.de_authority.user.email
    table = _run("reports", "list", "--as", email)
    assert f"#{report['id']}" in table and "suspicious order" in table
    assert people.reporter.org.name in table  # an authority sees who reported
    listed = json.loads(_run("reports", "list", "--as", email, "--json"))
    api = client.get("/api/v1/reports", headers=people.de_authority.headers).json()
    assert listed == api
    assert [r["id"] for r in listed["items"]] == [report["id"]] and listed["total"] == 1
    assert listed["items"][0]["counterparty"]["name"] == "Romashka Trading LLC"
    shown = json.loads(_run("reports", "show", f"#{report['id']}", "--as", email, "--json"))
    assert (
        shown
        == client.get(f"/api/v1/reports/{report['id']}", headers=people.de_authority.headers).json()
    )
    assert {"id", "kind", "status", "reporter_organisation", "submitted_at", "ack_due_at"} <= set(
        shown
    )
    text = _run("reports", "show", str(report["id"]), "--as", email)
    assert "Romashka Trading LLC" in text and "acetone" in text


def test_another_company_sees_nothing_and_show_answers_not_found(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    email = people.other_company.user.email
    assert json.loads(_run("reports", "list", "--as", email, "--json"))["items"] == []
    assert f"#{report['id']}" not in _run("reports", "list", "--as", email)
    for user in (people.other_company, people.pl_authority):
        shown = runner.invoke(cli, ["reports", "show", str(report["id"]), "--as", user.user.email])
        assert shown.exit_code == 1 and "not found" in shown.output
        assert "Romashka" not in shown.output
    missing = runner.invoke(cli, ["reports", "show", "999999", "--as", email])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_filters_are_the_apis(session: Session, client: TestClient) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    email = people.de_authority.user.email
    submitted = json.loads(
        _run("reports", "list", "--as", email, "--status", "submitted", "--json")
    )
    assert [r["id"] for r in submitted["items"]] == [report["id"]]
    for option, value in (("--status", "closed"), ("--kind", "loss_theft")):
        answer = json.loads(_run("reports", "list", "--as", email, option, value, "--json"))
        assert answer["items"] == [] and answer["total"] == 0


def test_out_writes_the_apis_csv_and_an_xlsx_with_the_same_rows(
    session: Session, client: TestClient, tmp_path: Path
) -> None:
    people = make_people(session)
    file_report(client, people.reporter)
    file_report(client, people.reporter, kind="loss_theft")
    email = people.de_authority.user.email
    csv_file, xlsx_file = tmp_path / "queue.csv", tmp_path / "queue.xlsx"
    _run("reports", "list", "--as", email, "--out", str(csv_file))
    _run("reports", "list", "--as", email, "--out", str(xlsx_file))
    api = client.get("/api/v1/reports/export.csv", headers=people.de_authority.headers)
    assert csv_file.read_bytes() == api.content
    rows = list(csv.reader(io.StringIO(csv_file.read_text("utf-8-sig"))))
    assert rows[0] == list(reports_service.EXPORT_COLUMNS) and len(rows) == 3
    assert {r[-1] for r in rows[1:]} == {"TLP:AMBER"}
    sheet = load_workbook(xlsx_file).active
    assert sheet is not None
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == rows
    kind_only = tmp_path / "loss.csv"
    _run("reports", "list", "--as", email, "--kind", "loss_theft", "--out", str(kind_only))
    assert len(list(csv.reader(io.StringIO(kind_only.read_text("utf-8-sig"))))) == 2


def test_bad_input_exits_2_naming_the_option(session: Session, client: TestClient) -> None:
    people = make_people(session)
    email = people.de_authority.user.email
    for args, option in (
        (["--status", "pending"], "--status"),
        (["--kind", "gossip"], "--kind"),
        (["--out", "queue.pdf"], "--out"),
    ):
        result = runner.invoke(cli, ["reports", "list", "--as", email, *args])
        assert result.exit_code == 2 and option in result.output, result.output
    unknown = runner.invoke(cli, ["reports", "list", "--as", "nobody@nowhere.example"])
    assert unknown.exit_code == 2 and "--as" in unknown.output
    assert "no active user" in unknown.output
    bad_id = runner.invoke(cli, ["reports", "show", "R-x", "--as", email])
    assert bad_id.exit_code == 2 and "REFERENCE_OR_ID" in bad_id.output
