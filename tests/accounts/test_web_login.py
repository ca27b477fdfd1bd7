"""Logging in with a browser: password, lock-out, two-factor, CSRF, logout."""

from __future__ import annotations

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.principal import OrgKind, Role
from precx.app import create_app
from precx.config import Settings
from tests.fixtures.builders import PASSWORD, Member, make_member, make_org


def _csrf(client: TestClient) -> str:
    client.get("/login")
    token = client.cookies.get("precx_csrf")
    assert token
    return token


def _login(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": _csrf(client)},
        follow_redirects=False,
    )


def _member(session: Session, role: Role = Role.analyst) -> Member:
    with session.begin():
        return make_member(session, make_org(session, OrgKind.industry, "DE"), role)


def test_login_opens_a_session_with_a_secure_cookie(session: Session, client: TestClient) -> None:
    member = _member(session)
    answer = _login(client, member.user.email)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "precx_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200
    assert member.org.name in home.text


def test_pages_send_anonymous_users_to_the_login_page(client: TestClient) -> None:
    answer = client.get("/bulletins?q=x", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/bulletins?q=x"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    session: Session, client: TestClient
) -> None:
    member = _member(session)
    wrong = _login(client, member.user.email, "wrong password!")
    unknown = _login(client, "nobody@nowhere.example", "wrong password!")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong e-mail or password." in wrong.text and "Wrong e-mail or password." in unknown.text


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    session: Session, client: TestClient
) -> None:
    member = _member(session)
    for _ in range(5):
        _login(client, member.user.email, "wrong password!")
    locked = _login(client, member.user.email)
    assert locked.status_code == 401
    assert "Too many failed logins" in locked.text


def test_a_form_without_its_csrf_token_is_refused(session: Session, client: TestClient) -> None:
    member = _member(session)
    answer = client.post(
        "/login", data={"email": member.user.email, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "precx_session" not in answer.headers.get("set-cookie", "")
    _login(client, member.user.email)
    forged = client.post(
        "/bulletins/new", data={"title": "forged", "body": "x", "csrf_token": "guess"}
    )
    assert forged.status_code == 403


def test_a_browser_session_calling_the_api_must_send_its_csrf_token(
    session: Session, client: TestClient
) -> None:
    member = _member(session)
    _login(client, member.user.email)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.post("/api/v1/bulletins", json={"title": "abc", "body": "x"})
    assert refused.status_code == 403


def test_logout_ends_the_session(session: Session, client: TestClient) -> None:
    member = _member(session)
    _login(client, member.user.email)
    csrf = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def _enable_totp(session: Session, member: Member) -> str:
    secret = pyotp.random_base32()
    with session.begin():
        accounts_service.enable_totp(
            session, member.principal, secret=secret, code=pyotp.TOTP(secret).now()
        )
    return secret


def test_two_factor_login_needs_the_code_and_refuses_a_replay(
    session: Session, client: TestClient
) -> None:
    member = _member(session)
    secret = _enable_totp(session, member)
    answer = _login(client, member.user.email)
    assert answer.headers["location"].startswith("/login/2fa")
    # Password alone opens nothing.
    assert client.get("/", follow_redirects=False).status_code == 303
    csrf = client.cookies.get("precx_csrf")
    wrong = client.post("/login/2fa", data={"code": "000000", "csrf_token": csrf})
    assert wrong.status_code == 401
    # The code used to switch 2FA on cannot be replayed; the next step's code works.
    import time

    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    ok = client.post(
        "/login/2fa", data={"code": next_code, "csrf_token": csrf}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert client.get("/").status_code == 200


def test_an_organisation_can_require_two_factor_login(session: Session, client: TestClient) -> None:
    admin = _member(session, Role.admin)
    with session.begin():
        accounts_service.set_require_2fa(session, admin.principal, required=True)
    _login(client, admin.user.email)
    answer = client.get("/bulletins", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/account/2fa"
    setup = client.get("/account/2fa")
    assert setup.status_code == 200 and "<svg" in setup.text


def test_changing_the_password_ends_the_other_sessions(
    session: Session,
    client: TestClient,
    app,  # type: ignore[no-untyped-def]
) -> None:
    member = _member(session)
    other_browser = TestClient(app)
    _login(other_browser, member.user.email)
    assert other_browser.get("/", follow_redirects=False).status_code == 200
    _login(client, member.user.email)
    csrf = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "another long password",
            "confirm_password": "another long password",
            "csrf_token": csrf,
        },
    )
    assert "Your password has been changed." in changed.text
    assert client.get("/", follow_redirects=False).status_code == 200
    assert other_browser.get("/", follow_redirects=False).status_code == 303


def test_a_required_second_factor_also_guards_the_api_via_cookie(
    session: Session, client: TestClient
) -> None:
    admin = _member(session, Role.admin)
    with session.begin():
        accounts_service.set_require_2fa(session, admin.principal, required=True)
    _login(client, admin.user.email)
    assert client.get("/api/v1/me").status_code == 403


def test_an_admin_sees_the_logins_of_their_organisation(
    session: Session, client: TestClient
) -> None:
    admin = _member(session, Role.admin)
    _login(client, admin.user.email, "wrong password!")
    _login(client, admin.user.email)
    actions = [
        e["action"] for e in client.get("/api/v1/audit", headers=admin.headers).json()["items"]
    ]
    assert "login.failed" in actions and "login.password_ok" in actions


def test_behind_tls_every_cookie_of_a_visit_is_secure_the_flash_message_too(
    session: Session, settings: Settings
) -> None:
    member = _member(session)
    app = create_app(settings.model_copy(update={"cookie_secure": True}))
    with TestClient(app, base_url="https://testserver") as client:
        _login(client, member.user.email)
        csrf = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
        out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    cookies = out.headers.get_list("set-cookie")
    assert any(c.startswith("precx_flash=") for c in cookies)
    assert all("; secure" in c.lower() for c in cookies)
