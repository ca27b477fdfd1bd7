"""The account pages in Russian show the errors of the accounts service in Russian."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import PASSWORD, log_in, make_member, make_org


def test_a_russian_page_shows_a_refused_password_in_russian(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"), Role.analyst)
    log_in(client, member)
    client.cookies.set("precx_locale", "ru")
    csrf = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "too short",
            "confirm_password": "too short",
            "csrf_token": csrf,
        },
    )
    assert refused.status_code == 200
    assert "Пароль должен содержать не менее 12 символов." in refused.text
    assert "The password must have at least 12 characters." not in refused.text
