"""Journey: a compliance officer screens orders, files the pre-filled report for the one that
needs reporting, and the authority acknowledges, asks, refers to police and closes it; the
reporter answers and learns the outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from precx.demo import DEMO_ORDERS
from tests.e2e.conftest import Shots, log_in

REPORTER = "analyst@de-trade.example"
AUTHORITY = "analyst@de-authority.example"


# Six logins and two screenings on a machine shared with other work: more than the default.
@pytest.mark.timeout(300)
def test_file_a_report_from_a_screening_and_follow_it_to_its_outcome(
    live_server: str, page: Page, shots: Shots
) -> None:
    log_in(page, live_server, REPORTER)
    page.get_by_role("link", name="Screening").first.click()
    page.get_by_label("CSV or XLSX file, one order per row").set_input_files(str(DEMO_ORDERS))
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page.get_by_test_id("batch-progress")).to_have_attribute(
        "data-status", "done", timeout=30_000
    )
    page.get_by_test_id("batch-results").click()
    page.get_by_test_id("screenings").get_by_role("link", name="SO-1002").click()
    expect(page.get_by_test_id("decision")).to_contain_text("REPORT")
    shots.take("screening-says-report")

    page.locator("#file-report").click()
    expect(page).to_have_url(re.compile(r"/reports/new\?screening=\d+$"))
    expect(page.get_by_test_id("from-screening")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).not_to_have_value("")
    expect(page.get_by_label("Substance 1")).to_have_value("acetic-anhydride")
    expect(page.get_by_label("Order reference")).to_have_value("SO-1002")
    checked = page.get_by_test_id("red-flags").locator("input:checked")
    expect(checked.first).to_be_visible()
    shots.take("report-prefilled")
    page.locator("#submit-report").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+$"))
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "submitted")
    report_url = page.url
    shots.take("report-submitted")

    log_in(page, live_server, AUTHORITY)
    page.get_by_role("link", name="Reports").first.click()
    queue = page.get_by_test_id("reports")
    expect(queue).to_contain_text("Elbtal Chemical Trading GmbH (DE, demo)")
    shots.take("authority-queue")
    page.goto(report_url)
    page.locator("#acknowledge").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "acknowledged")
    page.get_by_label("Message", exact=True).fill("Did the customer name an end user or a plant?")
    page.get_by_label("Message kind").select_option("request")
    page.locator("#send-message").click()
    expect(page.get_by_test_id("messages")).to_contain_text("Did the customer name an end user")
    shots.take("authority-asks")

    log_in(page, live_server, REPORTER)
    page.goto(report_url)
    expect(page.get_by_test_id("messages")).to_contain_text("Did the customer name an end user")
    page.get_by_label("Your answer").fill("No end user was named; they asked for a forwarder.")
    page.locator("#send-message").click()
    expect(page.get_by_test_id("messages")).to_contain_text("No end user was named")
    shots.take("reporter-answers")

    log_in(page, live_server, AUTHORITY)
    page.goto(report_url)
    expect(page.get_by_test_id("messages")).to_contain_text("No end user was named")
    page.get_by_label("Refer to").select_option(
        label="Federal Criminal Police Precursor Unit (DE, demo)"
    )
    page.locator("#refer").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "referred")
    expect(page.get_by_test_id("timeline")).to_contain_text("Federal Criminal Police")
    shots.take("authority-refers")
    page.get_by_label("Close with outcome").select_option("investigation_opened")
    page.get_by_label("Message to the reporter").fill(
        "Thank you: your report helped to open an investigation."
    )
    page.locator("#close").click()
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "closed")
    shots.take("authority-closes")

    log_in(page, live_server, REPORTER)
    page.goto(report_url)
    feedback = page.get_by_test_id("feedback")
    expect(feedback).to_contain_text("investigation opened")
    expect(feedback).to_contain_text("your report helped to open an investigation")
    expect(page.get_by_test_id("timeline")).not_to_contain_text("Federal Criminal Police")
    shots.take("reporter-sees-outcome")
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_test_id("outcome-counts")).to_contain_text("investigation opened")
    expect(page.get_by_test_id("report-chart").locator("svg")).to_be_visible()
    shots.take("my-reports")
