"""`precx watchlist` and `precx screen`, run as a compliance officer or an operator would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from precx.cli import app as cli
from precx.config import Settings, get_settings
from precx.demo import DEMO_DATA, DEMO_ORDERS
from tests.fixtures.testdata import TESTDATA

runner = CliRunner()
OFAC = TESTDATA / "ofac-sdn-2019"


@pytest.fixture(autouse=True)
def _cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()


def _ok(args: list[str]) -> str:
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_ofac_list_imports_with_every_entity_alias_and_programme() -> None:
    assert (
        runner.invoke(
            cli, ["orgs", "add", "--name", "Operator", "--kind", "platform", "--country", "AT"]
        ).exit_code
        == 0
    )
    out = _ok(
        ["watchlist", "import", str(OFAC / "sdn.csv"), "--format", "ofac-sdn", "--list", "OFAC SDN"]
    )
    assert "7,379 entities" in out and "9,682 aliases" in out
    [listed] = json.loads(_ok(["watchlist", "list", "--json"]))
    assert (listed["name"], listed["entities"], listed["aliases"], listed["version"]) == (
        "OFAC SDN",
        7379,
        9682,
        1,
    )
    assert listed["addresses"] > 0


def test_screen_a_file_without_storing_and_as_json() -> None:
    _ok(["demo"])
    results = json.loads(_ok(["screen", str(DEMO_ORDERS), "--json"]))
    by_id = {r["order_id"]: r for r in results}
    assert by_id["SO-1001"]["decision"] == "clear"
    assert by_id["SO-1002"]["decision"] == "report"
    assert by_id["SO-1002"]["watchlist_hits"][0]["list"] == "Demo sanctions list (fictional)"
    restricted = by_id["SO-1004"]["watchlist_hits"][0]
    assert restricted["restricted"] and restricted["name"] == "" and restricted["reference"]
    assert "SPLIT_ORDERS" in {f["code"] for f in by_id["SO-1006"]["findings"]}
    for result in results:
        assert set(result) >= {"order_id", "decision", "score", "findings", "watchlist_hits"}


def test_screen_as_a_user_stores_and_writes_xlsx(tmp_path: Path) -> None:
    _ok(["demo"])
    out = tmp_path / "results.xlsx"
    text = _ok(["screen", str(DEMO_ORDERS), "--as", "analyst@pl-chem.example", "--out", str(out)])
    assert "8 orders" in text and "(stored)" in text
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "order_id" and len(rows) == 9


def test_a_bad_order_file_exits_2_naming_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text(
        "order_id,customer_name,customer_country,substance,quantity,unit\n"
        "A,Acme,DE,acetone,1,kg\nB,Acme,DE,acetone,1,bucket\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["screen", str(bad)])
    assert result.exit_code == 2
    assert "orders.csv:3:6 (unit)" in result.output


def test_a_bad_watchlist_file_imports_nothing(tmp_path: Path) -> None:
    _ok(["demo"])
    bad = tmp_path / "broken.csv"
    bad.write_text("entity_id,name,country\nX1,Someone,ZZ\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "watchlist",
            "import",
            str(bad),
            "--format",
            "csv",
            "--list",
            "Demo sanctions list (fictional)",
        ],
    )
    assert result.exit_code == 1 and "broken.csv:2" in result.output
    lists = json.loads(_ok(["watchlist", "list", "--json"]))
    demo = next(w for w in lists if w["name"] == "Demo sanctions list (fictional)")
    assert demo["version"] == 1
    assert (DEMO_DATA / "watchlist-demo.csv").is_file()
