"""Journey: an officer of the exporting authority notifies an export of two substances through the
form for a registered exporter, adding the second row with "Add a substance", reads the
notification and amends it; the exporter then follows its status among its applications."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shots, log_in

SUBSTANCE = "Substance (name, CAS number or catalog id)"


def test_an_officer_notifies_two_substances_and_amends(
    live_server: str, page: Page, shots: Shots
) -> None:
    log_in(page, live_server, "analyst@de-authority.example")
    page.get_by_role("link", name="Notifications").first.click()
    page.get_by_role("button", name="New notification").click()
    expect(page).to_have_url(re.compile(r"/notifications/new$"))

    # The exporter is registered: choosing it fills in its name when the name is left empty.
    page.get_by_label("Exporter on the platform").select_option(
        label="Rheinfeld Chemie GmbH (DE, demo)"
    )
    page.get_by_label("Importer", exact=True).fill("Steppe Reagents LLP (KZ, demo)")
    page.get_by_label("Importer's country (ISO code)").fill("KZ")
    page.get_by_label(SUBSTANCE, exact=True).fill("ephedrine")
    page.get_by_label("Quantity", exact=True).fill("30")
    page.get_by_label("Packaging", exact=True).fill("3 drums of 10 kg")
    # The vendored htmx fetches the row; without JavaScript the button posts the form instead.
    with page.expect_response(re.compile(r"/export-applications/substance-row\?")):
        page.get_by_role("button", name="Add a substance").click()
    expect(page.get_by_test_id("line-row")).to_have_count(2)
    # htmx puts the cursor in the new row once it settles; typing before that could land in
    # whichever field had the focus when it moves.
    expect(page.get_by_label(f"{SUBSTANCE} 2", exact=True)).to_be_focused()
    page.get_by_label(f"{SUBSTANCE} 2", exact=True).fill("acetic anhydride")
    page.get_by_label("Quantity 2", exact=True).fill("500")
    page.get_by_label("Concentration, per cent 2", exact=True).fill("99")
    page.get_by_label("Exit point").fill("Frankfurt (Oder)")
    page.get_by_label("Transit countries (ISO codes, comma-separated)").fill("PL")
    page.get_by_label("Entry point").fill("Khorgos")
    page.get_by_label("Internal notes (authorities only)").fill("Agreed by phone (internal)")
    shots.take("new-notification-form")
    page.get_by_role("button", name="Send the pre-export notification").click()

    expect(page).to_have_url(re.compile(r"/notifications/\d+$"))
    expect(page.get_by_test_id("status")).to_have_text("sent")
    lines = page.get_by_test_id("lines")
    expect(lines.locator("tbody tr")).to_have_count(2)
    expect(lines).to_contain_text("500 kg")
    expect(lines).to_contain_text("30 kg")
    reference = page.locator("h1 code").inner_text()

    page.get_by_role("button", name="Amend").click()
    expect(page).to_have_url(re.compile(r"/notifications/\d+/amend$"))
    expect(page.get_by_label("Exit point")).to_have_value("Frankfurt (Oder)")
    page.get_by_label("Exit point").fill("Świecko")
    page.get_by_label("Reason for the change").fill("The carrier changed the border crossing")
    shots.take("amend-form")
    page.get_by_role("button", name="Save the amendment").click()

    expect(page).to_have_url(re.compile(r"/notifications/\d+$"))
    expect(page.get_by_test_id("amendment")).to_contain_text("Frankfurt (Oder) → Świecko")
    expect(page.get_by_test_id("amendment")).to_contain_text("changed the border crossing")
    expect(page.locator("h1 code")).to_have_text(reference)
    shots.take("notification-amended")

    # The exporter follows the status among its export applications, without the internal notes.
    log_in(page, live_server, "analyst@de-chem.example")
    page.get_by_role("link", name="Export applications").first.click()
    row = page.get_by_test_id("applications").locator("tbody tr", has_text=reference)
    expect(row).to_contain_text("sent")
    expect(row).to_contain_text("Acetic anhydride 500 kg")
    shots.take("exporter-sees-the-status")
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).not_to_contain_text("Agreed by phone")
    expect(page.get_by_test_id("recorded-by-authority")).to_contain_text("outside the platform")
    shots.take("exporter-application-page")
