"""Journey: customs records a seizure, the police complete and finalise it, an authority
officer drafts an alert that a second officer approves, an industry user's open feed shows it
without a reload, and screening an order from the seized company gives a restricted hit that
names only a reference."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Shots, log_in

COMPANY = "Steppe Bridge Trading LLP"
TITLE = "Drums of acetic anhydride in a reefer container (journey)"
ALERT = "Acetic anhydride in reefer containers for Central Asia (journey)"


def test_seizure_to_alert_to_restricted_hit(
    live_server: str, page: Page, browser: Browser, shots: Shots, tmp_path: Path
) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    # 1. Customs records the seizure as a draft.
    log_in(page, live_server, "analyst@de-customs.example")
    page.get_by_role("link", name="Incidents").first.click()
    expect(page.get_by_role("heading", name="Incidents")).to_be_visible()
    page.get_by_role("button", name="Record an incident").click()
    page.get_by_label("Date").fill(yesterday)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Place").fill("Bremerhaven container terminal")
    page.get_by_label("Country (ISO)").fill("DE")
    page.get_by_label("Latitude").fill("53.57")
    page.get_by_label("Longitude").fill("8.55")
    page.get_by_label("Substances").fill("acetic anhydride; 1800; l; 98%; 9 drums in a reefer")
    page.get_by_label(
        "Companies, persons, addresses, phones, e-mails, vessels, vehicles, documents"
    ).fill(f"company: {COMPANY}; KZ; consignee\nvehicle: HH-XX 123 (fictional)")
    page.get_by_label("Route").fill(
        "origin: IN; Mundra\ntransit: DE; Bremerhaven\ndestination: KZ; Almaty"
    )
    shots.take("customs-form")
    page.get_by_role("button", name="Save the draft").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+$"))
    incident_url = page.url
    expect(page.get_by_test_id("status")).to_have_text("draft")
    expect(page.get_by_test_id("parties")).to_contain_text(COMPANY)
    shots.take("customs-draft")

    # 2. The police complete and finalise it.
    log_in(page, live_server, "analyst@de-police.example")
    page.goto(incident_url)
    page.get_by_role("button", name="Complete").click()
    page.get_by_label("Narrative").fill("The consignee is a front company (fictional journey).")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Finalise").click()
    expect(page.get_by_test_id("status")).to_have_text("final")
    expect(page.get_by_test_id("timeline")).to_contain_text("finalised")
    shots.take("police-final")

    # The list finds it by the substance as people write it, in filters wide enough to read.
    page.goto(f"{live_server}/incidents")
    page.get_by_role("search").get_by_label("Substance").fill("108-24-7")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("incidents")).to_contain_text(TITLE)
    box = page.get_by_role("search").get_by_label("Substance").bounding_box()
    assert box is not None and box["width"] > 200, box
    shots.take("police-list-filtered")

    # The map shows it among the others.
    page.goto(f"{live_server}/incidents/map")
    expect(page.get_by_test_id("incident-map")).to_have_attribute(
        "data-ready", "true", timeout=15_000
    )
    expect(page.locator("path.incident-marker").first).to_be_visible()
    shots.take("map")

    # 3. An industry user keeps the alert feed open in another browser.
    industry_context = browser.new_context(viewport={"width": 1280, "height": 860})
    feed = industry_context.new_page()
    feed.goto(f"{live_server}/login")
    feed.get_by_label("E-mail").fill("analyst@de-chem.example")
    feed.get_by_label("Password").fill(DEMO_PASSWORD)
    feed.get_by_role("button", name="Log in").click()
    feed.get_by_role("link", name="Alerts").first.click()
    expect(feed.get_by_test_id("alert-feed")).not_to_contain_text(ALERT)
    assert feed.goto(incident_url) is not None
    expect(feed.get_by_role("heading", name="Not found")).to_be_visible()
    feed.get_by_role("link", name="Alerts").first.click()

    # 4. An authority officer drafts the alert and adds the company to a restricted list.
    log_in(page, live_server, "analyst@de-authority.example")
    page.goto(incident_url)
    page.get_by_role("button", name="Add companies and persons to our restricted list").click()
    expect(page.locator(".flash")).to_contain_text("restricted list")
    shots.take("restricted")
    page.get_by_role("button", name="Draft an industry alert").click()
    page.get_by_label("Title").fill(ALERT)
    page.get_by_label("What to watch for").fill(
        "Orders of acetic anhydride shipped in reefer containers to trading companies in "
        "Central Asia, paid from a third country."
    )
    page.get_by_label("Indicators (machine-readable)").fill("packaging: drums in reefer containers")
    page.get_by_label("Countries (ISO, comma-separated)").fill("KZ")
    page.get_by_label("Expires on").fill(
        (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    )
    shots.take("alert-form")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("status")).to_have_text("awaiting approval")
    expect(page.get_by_text("Another officer must approve this alert.")).to_be_visible()
    alert_url = page.url
    shots.take("alert-submitted")

    # 5. A second officer approves; the open feed shows the alert within seconds, no reload.
    log_in(page, live_server, "admin@de-authority.example")
    page.goto(alert_url)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_test_id("status")).to_have_text("published")
    shots.take("alert-published")
    expect(feed.get_by_test_id("alert-feed")).to_contain_text(ALERT, timeout=10_000)
    feed.screenshot(
        path=str(shots.folder / f"{shots.count + 1:02d}-industry-feed.png"), full_page=True
    )
    shots.count += 1
    feed.get_by_role("link", name=ALERT).click()
    expect(feed.get_by_test_id("watch-for")).to_contain_text("reefer containers")
    expect(feed.locator("body")).not_to_contain_text(TITLE)
    feed.get_by_role("button", name="Mark as read").click()

    # 6. Screening an order from the seized company: a restricted hit, a reference only.
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_name,customer_country,substance,quantity,unit\n"
        f"SO-J-1,{COMPANY},KZ,acetic anhydride,400,l\n",
        encoding="utf-8",
    )
    feed.get_by_role("link", name="Screening").first.click()
    feed.get_by_label("CSV or XLSX file, one order per row").set_input_files(str(orders))
    feed.get_by_role("button", name="Screen", exact=True).click()
    expect(feed.get_by_test_id("batch-progress")).to_have_attribute(
        "data-status", "done", timeout=30_000
    )
    feed.get_by_test_id("batch-results").click()
    feed.get_by_test_id("screenings").get_by_role("link", name="SO-J-1").click()
    body = feed.locator("body")
    expect(body).to_contain_text("Restricted hit: contact your competent authority, reference R-")
    for secret in (TITLE, "Bremerhaven", "incidents", "Federal Precursor Licensing Office"):
        expect(body).not_to_contain_text(secret)
    feed.screenshot(
        path=str(shots.folder / f"{shots.count + 1:02d}-restricted-hit.png"), full_page=True
    )
    industry_context.close()
