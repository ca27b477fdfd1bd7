"""Journey: an officer watches their inbox while a colleague abroad posts a bulletin to all
authorities; it appears without a reload. Then a subscription with a bad webhook is refused."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shots, log_in


def test_a_new_bulletin_arrives_in_the_open_inbox(
    live_server: str, page: Page, browser: Browser, shots: Shots
) -> None:
    log_in(page, live_server, "analyst@pl-authority.example")
    page.get_by_test_id("inbox-link").click()
    inbox = page.get_by_test_id("inbox")
    # The demo's own bulletins were delivered by the dispatcher when the server started.
    expect(inbox).to_contain_text("All authorities: new designer precursor offered online")
    expect(inbox).not_to_contain_text("Internal note: licence renewal backlog")
    expect(page.locator("#inbox-live.connected")).to_have_count(1, timeout=10_000)
    before = int(page.get_by_test_id("inbox-badge").get_attribute("data-unread") or "0")
    shots.take("inbox-open")

    # A colleague in another country posts to all authorities, in a browser of their own.
    other = browser.new_context(viewport={"width": 1280, "height": 860})
    author = other.new_page()
    log_in(author, live_server, "analyst@de-authority.example")
    author.goto(f"{live_server}/bulletins/new")
    author.get_by_label("Title").fill("Drums of BMK glycidate relabelled as solvent (fictional)")
    author.get_by_label("Text").fill("Check HS codes against the declared use. (Fictional.)")
    author.get_by_label("Who may read it").select_option("authorities")
    author.get_by_role("button", name="Post").click()
    expect(author.get_by_role("heading", level=1)).to_contain_text("BMK glycidate")
    other.close()

    # No reload: the item comes over the event stream, on top, unread, linked to the bulletin.
    first_row = inbox.locator("tbody tr").first
    expect(first_row).to_contain_text("BMK glycidate relabelled", timeout=10_000)
    expect(first_row.get_by_role("link")).to_have_attribute("href", re.compile(r"^/bulletins/\d+$"))
    expect(page.get_by_test_id("inbox-badge")).to_have_attribute("data-unread", str(before + 1))
    shots.take("inbox-new-item")

    # The item that arrived live can be marked read from its own row, like the others.
    first_row.get_by_role("button", name="Mark read").click()
    expect(page.get_by_test_id("inbox-badge")).to_have_attribute("data-unread", str(before))
    first_row = inbox.locator("tbody tr").first
    expect(first_row).to_contain_text("BMK glycidate relabelled")
    expect(first_row).not_to_have_class(re.compile(r"\bunread\b"))

    first_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BMK glycidate")

    page.goto(f"{live_server}/inbox")
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("inbox-unread")).to_contain_text("0 unread")


def test_a_subscription_with_a_webhook_to_the_platform_is_refused(
    live_server: str, page: Page, shots: Shots
) -> None:
    log_in(page, live_server, "admin@de-authority.example")
    page.goto(f"{live_server}/subscriptions")
    expect(page.get_by_test_id("subscriptions")).to_contain_text("Everything I may read (demo)")
    form = page.get_by_test_id("subscription-form")
    form.get_by_label("Name").fill("Our SIEM")
    form.get_by_label("Deliver to").select_option("webhook")
    form.get_by_label("Webhook URL").fill(f"{live_server}/api/v1/bulletins")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#webhook_url-error")).to_have_text("points at the platform itself")
    shots.take("webhook-refused")

    form.get_by_label("Webhook URL").fill("https://siem.example.org/precx")
    form.get_by_label("Country (ISO code)").fill("PL")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("webhook-secret")).to_be_visible()
    expect(page.get_by_test_id("subscriptions")).to_contain_text("siem.example.org")
    shots.take("webhook-created")

    page.goto(f"{live_server}/dead-letters")
    expect(page.get_by_test_id("dead-letters")).to_contain_text("Nothing has failed.")
