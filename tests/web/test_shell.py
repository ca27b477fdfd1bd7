"""The web shell: navigation by organisation kind, languages, error pages, headers."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import log_in, make_member, make_org


def _logged_in(
    session: Session, client: TestClient, kind: OrgKind, role: Role = Role.admin
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, kind, "DE"), role)
    log_in(client, member)


def test_navigation_follows_what_the_organisation_kind_does(
    session: Session, client: TestClient
) -> None:
    _logged_in(session, client, OrgKind.licensing_authority)
    home = client.get("/").text
    assert 'href="/sharing-groups"' in home and 'href="/organisations"' in home
    assert "pre-export notifications" in home
    client.cookies.clear()
    _logged_in(session, client, OrgKind.industry)
    home = client.get("/").text
    assert 'href="/organisations"' not in home
    assert "screen customer orders" in home
    client.cookies.clear()
    _logged_in(session, client, OrgKind.platform)
    home = client.get("/").text
    assert 'href="/sharing-groups"' not in home and 'href="/organisations"' in home


def test_only_admins_get_users_and_audit_pages(session: Session, client: TestClient) -> None:
    _logged_in(session, client, OrgKind.customs, Role.viewer)
    assert 'href="/audit"' not in client.get("/").text
    assert client.get("/audit").status_code == 403


def test_the_language_switch_translates_the_shell_and_is_remembered(
    session: Session, client: TestClient
) -> None:
    _logged_in(session, client, OrgKind.customs)
    page = client.get("/")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/language", data={"locale": "ru", "next": "/", "csrf_token": csrf})
    russian = client.get("/").text
    assert 'lang="ru"' in russian
    assert "Выйти" in russian  # "Log out"
    client.cookies.delete("precx_locale")
    # Remembered for the user, not only in the cookie.
    assert 'lang="ru"' in client.get("/").text


def test_the_login_page_follows_the_browser_language(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert 'lang="ru"' in page.text
    assert "Войти" in page.text


def test_an_unknown_page_renders_the_404_page(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Not found" in page.text


def test_the_404_page_keeps_the_logged_in_users_navigation(
    session: Session, client: TestClient
) -> None:
    _logged_in(session, client, OrgKind.industry, Role.analyst)
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert 'href="/screening"' in page.text and 'action="/logout"' in page.text


def test_pages_carry_security_headers(client: TestClient) -> None:
    page = client.get("/login")
    assert page.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_demo_mode_lists_the_demo_accounts(session: Session, settings, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    from precx.app import create_app
    from precx.demo import load_demo

    with session.begin():
        load_demo(session)
    demo_client = TestClient(create_app(settings.model_copy(update={"demo": True})))
    page = demo_client.get("/login").text
    assert "admin@de-authority.example" in page
    assert "precx-demo-2026" in page
    assert "fictional" in page
