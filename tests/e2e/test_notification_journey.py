"""Journey: an exporter applies, its authority notifies, the importing authority objects and the
exporter sees it; a second export is cleared, released at the exit and arrives."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shots, log_in


def _apply(page: Page, live_server: str, shots: Shots, quantity: str, step: str) -> None:
    log_in(page, live_server, "analyst@de-chem.example")
    page.get_by_role("link", name="Export applications").first.click()
    page.get_by_role("button", name="Apply for an export").click()
    page.get_by_label("Importer", exact=True).fill("Steppe Reagents LLP (KZ, demo)")
    page.get_by_label("Importer's country (ISO code)").fill("KZ")
    page.get_by_label("Substance (name, CAS number or catalog id)").fill("ephedrine")
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_label("Exit point").fill("Frankfurt (Oder)")
    page.get_by_label("Entry point").fill("Khorgos")
    shots.take(f"{step}-form")
    page.get_by_role("button", name="Submit the application").click()
    expect(page).to_have_url(re.compile(r"/export-applications/\d+$"))
    expect(page.get_by_test_id("status")).to_have_text("submitted")
    shots.take(f"{step}-submitted")


def _send(page: Page, live_server: str, shots: Shots, step: str) -> str:
    log_in(page, live_server, "analyst@de-authority.example")
    page.get_by_role("link", name="Notifications").first.click()
    page.get_by_role("button", name="Export applications").click()
    page.get_by_test_id("applications").get_by_role("link").first.click()
    page.get_by_label("Internal notes (authorities only)").fill("Exporter inspected (internal)")
    page.get_by_role("button", name="Send the pre-export notification").click()
    expect(page).to_have_url(re.compile(r"/notifications/\d+$"))
    expect(page.get_by_test_id("status")).to_have_text("sent")
    shots.take(f"{step}-sent")
    return page.locator("h1 code").inner_text()


def _open_in_inbox(page: Page, live_server: str, email: str, reference: str) -> None:
    log_in(page, live_server, email)
    page.get_by_role("link", name="Notifications").first.click()
    page.get_by_role("tab", name="Inbox (sent to us)").click()
    page.get_by_role("link", name=reference).click()


def _customs(page: Page, live_server: str, email: str, reference: str) -> None:
    log_in(page, live_server, email)
    page.get_by_role("link", name="Notifications").first.click()
    page.get_by_role("button", name="Customs lookup").click()
    page.get_by_role("searchbox").fill(reference)
    page.get_by_role("button", name="Find").click()
    page.get_by_test_id("lookup-results").get_by_role("link", name=reference).click()


def _record(page: Page, kind: str, place: str) -> None:
    page.get_by_label("Event").select_option(kind)
    page.get_by_label("Place").fill(place)
    page.get_by_role("button", name="Record", exact=True).click()


def test_objected_then_cleared_and_shipped(live_server: str, page: Page, shots: Shots) -> None:
    _apply(page, live_server, shots, "40", "first")
    first = _send(page, live_server, shots, "first")

    _open_in_inbox(page, live_server, "analyst@kz-authority.example", first)
    expect(page.get_by_test_id("checks")).to_contain_text("ALR")
    expect(page.get_by_test_id("internal-notes")).to_contain_text("Exporter inspected")
    page.get_by_label("Reason (required for an objection)").fill(
        "The importer's licence does not cover ephedrine"
    )
    shots.take("first-answer-form")
    page.get_by_role("button", name="Object", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("objected")
    shots.take("first-objected")

    log_in(page, live_server, "analyst@de-chem.example")
    page.get_by_role("link", name="Export applications").first.click()
    page.get_by_test_id("applications").get_by_role("link").first.click()
    expect(page.get_by_test_id("status")).to_have_text("objected")
    expect(page.get_by_test_id("objection")).to_contain_text("does not cover ephedrine")
    expect(page.locator("main")).not_to_contain_text("Exporter inspected")
    shots.take("exporter-sees-objection")

    _apply(page, live_server, shots, "25", "second")
    second = _send(page, live_server, shots, "second")
    _open_in_inbox(page, live_server, "analyst@kz-authority.example", second)
    page.get_by_role("button", name="Clear (no objection)").click()
    expect(page.get_by_test_id("status")).to_have_text("cleared")
    shots.take("second-cleared")

    _customs(page, live_server, "analyst@de-customs.example", second)
    shots.take("exit-customs-found")
    _record(page, "dispatched", "Hamburg Port")
    expect(page.get_by_test_id("shipment")).to_have_text("dispatched")
    _record(page, "released_at_exit", "Hamburg Port")
    expect(page.get_by_test_id("shipment")).to_have_text("released at exit")
    shots.take("released-at-exit")

    _customs(page, live_server, "analyst@kz-customs.example", second)
    _record(page, "arrived", "Khorgos")
    expect(page.get_by_test_id("shipment")).to_have_text("arrived")
    expect(page.get_by_test_id("timeline")).to_contain_text("released at exit")
    shots.take("arrived")

    log_in(page, live_server, "analyst@de-chem.example")
    page.get_by_role("link", name="Export applications").first.click()
    expect(page.get_by_test_id("applications")).to_contain_text("arrived")
    shots.take("exporter-sees-arrival")
