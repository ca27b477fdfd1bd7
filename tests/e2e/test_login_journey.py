"""Journey: a compliance officer logs in, sees their home page, switches language, logs out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Shots


def test_log_in_see_home_and_log_out(live_server: str, page: Page, shots: Shots) -> None:
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")
    expect(page.get_by_role("heading", name="Demo accounts")).to_be_visible()
    shots.take("login")

    page.get_by_label("E-mail").fill("analyst@de-chem.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", name="Welcome, Analyst of de-chem")).to_be_visible()
    expect(page.get_by_text("Rheinfeld Chemie GmbH (DE, demo)").first).to_be_visible()
    # A vetted company reads the partnership warning, not the authorities' internal notes.
    expect(page.get_by_text("Unsolicited enquiries for APAA by e-mail")).to_be_visible()
    expect(page.get_by_text("inspection plan")).to_have_count(0)
    shots.take("home")

    page.get_by_role("link", name="Bulletins").first.click()
    expect(page.get_by_test_id("bulletins")).to_contain_text("APAA")
    shots.take("bulletins")

    page.get_by_test_id("language").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    shots.take("bulletins-ru")
    page.get_by_test_id("language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    shots.take("logged-out")
    page.goto(f"{live_server}/bulletins")
    expect(page).to_have_url(f"{live_server}/login?next=/bulletins")


def test_wrong_password_shows_a_clear_error(live_server: str, page: Page, shots: Shots) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("viewer@de-authority.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
    shots.take("wrong-password")


def test_an_authority_posts_a_bulletin_to_its_sharing_group(
    live_server: str, page: Page, shots: Shots
) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("analyst@de-authority.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/bulletins/new")
    page.get_by_label("Title").fill("x")
    page.get_by_role("button", name="Post").click()
    expect(page.locator("#title-error")).to_be_visible()
    shots.take("form-error")
    page.get_by_label("Title").fill("Drums relabelled as cleaning agent")
    page.get_by_label("Text").fill("Seen at two border posts this week.")
    page.get_by_label("Who may read it").select_option("sharing_group")
    page.get_by_label("Sharing group").select_option(label="Eastern route working group (demo)")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", name="Drums relabelled as cleaning agent")).to_be_visible()
    expect(page.get_by_text("TLP:AMBER")).to_be_visible()
    shots.take("bulletin")
