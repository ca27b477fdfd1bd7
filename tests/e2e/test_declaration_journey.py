"""Journey: a customer signs a declaration for its supplier, and a carrier checks its code."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shots, log_in


def test_sign_a_declaration_and_check_its_code(live_server: str, page: Page, shots: Shots) -> None:
    log_in(page, live_server, "analyst@de-trade.example")
    page.get_by_role("link", name="Declarations").first.click()
    page.get_by_role("tab", name="Given (as customer)").click()
    expect(page.get_by_test_id("declarations")).to_contain_text("Rheinfeld Chemie")
    shots.take("declarations-given")

    page.get_by_role("button", name="Sign a declaration").click()
    page.get_by_label("Supplier (its exact name on the platform)").fill(
        "Rheinfeld Chemie GmbH (DE, demo)"
    )
    page.get_by_label("Substance (name, CAS number or CN code)").fill("unobtainium")
    page.get_by_label("Quantity").fill("250")
    expect(page.get_by_test_id("live-errors")).to_contain_text("unobtainium")
    page.get_by_label("Substance (name, CAS number or CN code)").fill("67-64-1")
    page.get_by_label("Intended use (say specifically what you make or do with it)").fill(
        "Solvent for cleaning our filling lines (fictional)"
    )
    page.get_by_label("Your address").fill("Elbuferweg 8, Hamburg (fictional)")
    page.get_by_label("Position").fill("Compliance officer")
    expect(page.get_by_test_id("live-errors")).to_contain_text("Nothing wrong so far")
    shots.take("sign-form")
    page.get_by_role("button", name="Sign the declaration").click()
    expect(page).to_have_url(re.compile(r"/declarations/\d+$"))
    expect(page.get_by_test_id("state")).to_have_text("valid")
    expect(page.get_by_test_id("qr")).to_be_visible()
    shots.take("signed")
    code = page.locator("h1 code").inner_text()

    page.context.clear_cookies()
    log_in(page, live_server, "analyst@de-logistics.example")
    page.get_by_role("link", name="Check a declaration").click()
    page.get_by_placeholder("CD-XXXX-XXXX-XXXX").fill(code.lower())
    page.get_by_role("button", name="Check", exact=True).click()
    answer = page.get_by_test_id("check-answer")
    expect(answer).to_contain_text("valid")
    expect(answer).to_contain_text("250 kg")
    expect(answer).to_contain_text("Rheinfeld Chemie")
    expect(answer).not_to_contain_text("filling lines")
    shots.take("code-checked")
