"""Journey: a compliance officer screens a file of orders and reads why one is a report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from precx.demo import DEMO_ORDERS
from tests.e2e.conftest import DEMO_PASSWORD, Shots


def test_screen_a_file_and_read_the_explanations(
    live_server: str, page: Page, shots: Shots
) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("analyst@de-trade.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Screening").first.click()
    expect(page.get_by_role("heading", name="Order screening")).to_be_visible()
    shots.take("screening-empty")

    page.get_by_label("CSV or XLSX file, one order per row").set_input_files(str(DEMO_ORDERS))
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/screening/batches/\d+$"))
    expect(page.get_by_test_id("batch-progress")).to_have_attribute(
        "data-status", "done", timeout=30_000
    )
    shots.take("batch-done")

    page.get_by_test_id("batch-results").click()
    table = page.get_by_test_id("screenings")
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(page.get_by_test_id("decision-chart").locator("svg")).to_be_visible()
    shots.take("results")

    page.get_by_role("combobox", name="Decision").select_option("report")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text("SO-1002")
    expect(table).not_to_contain_text("SO-1001")

    table.get_by_role("link", name="SO-1002").click()
    expect(page.get_by_test_id("decision")).to_contain_text("REPORT")
    expect(page.get_by_test_id("hits")).to_contain_text("Romashka Trading LLC (fictional)")
    expect(page.get_by_test_id("findings")).to_contain_text("freight forwarder")
    shots.take("report-explained")

    page.go_back()
    page.go_back()
    table.get_by_role("link", name="SO-1004").click()
    expect(page.get_by_test_id("hits")).to_contain_text("contact your competent authority")
    expect(page.get_by_test_id("hits")).not_to_contain_text("Khimprom")
    shots.take("restricted-hit")
