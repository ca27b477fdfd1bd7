"""Journey: an authority issues a licence; an industry user verifies it and sees `valid`."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shots, log_in


def test_issue_a_licence_then_verify_it_as_a_counterparty(
    live_server: str, page: Page, shots: Shots
) -> None:
    log_in(page, live_server, "analyst@de-authority.example")
    page.get_by_role("link", name="Licences").first.click()
    expect(page.get_by_role("heading", name="Licence register")).to_be_visible()
    expect(page.get_by_test_id("licences")).to_contain_text("DE-L1-2024-0001")
    shots.take("register")

    page.get_by_role("button", name="Issue a licence").click()
    page.get_by_label("Number", exact=True).fill("DE-L1-2026-0100")
    page.get_by_label("Holder name").fill("Lackwerk Nord GmbH (fictional)")
    page.get_by_label("Company registration number").fill("HRB 555 (fictional)")
    page.get_by_label("Substances (one per line: catalog id, CAS number or name)").fill(
        "pseudoephedrine"
    )
    page.get_by_label("Possession", exact=True).check()
    page.get_by_label("Placing on the market", exact=True).check()
    page.get_by_label("Quantity limits (one per line: substance=kg)").fill("pseudoephedrine=300")
    shots.take("form")
    page.get_by_role("button", name="Issue").click()
    expect(page).to_have_url(re.compile(r"/licences/\d+$"))
    expect(page.get_by_test_id("licence-status")).to_have_text(re.compile("active", re.I))
    expect(page.get_by_test_id("licence-history")).to_contain_text(re.compile("issued", re.I))
    shots.take("issued")

    page.context.clear_cookies()
    log_in(page, live_server, "analyst@de-trade.example")
    page.get_by_role("link", name="Verify a licence").first.click()
    expect(page.get_by_role("heading", name="Verify a counterparty")).to_be_visible()
    page.get_by_label("Country (ISO code)").fill("DE")
    page.get_by_label("Licence or registration number").fill("DE-L1-2026-0100")
    page.get_by_label("Substance (optional)").fill("pseudoephedrine hydrochloride")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("verification-status")).to_have_text("valid")
    expect(page.get_by_test_id("verification")).to_contain_text("Lackwerk Nord GmbH (fictional)")
    expect(page.get_by_test_id("verification")).to_contain_text("300 kg")
    shots.take("verified-valid")

    page.get_by_label("Licence or registration number").fill("DE-L1-2023-0007")
    page.get_by_label("Substance (optional)").fill("")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("verification-status")).to_have_text("suspended")
    shots.take("verified-suspended")
