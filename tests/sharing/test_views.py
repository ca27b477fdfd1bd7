"""The sharing groups' pages: what a refused change says, in the reader's language."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import log_in, make_member, make_org


def _logged_in_admin(session: Session, client: TestClient) -> TestClient:
    with session.begin():
        member = make_member(
            session, make_org(session, OrgKind.licensing_authority, "DE"), Role.admin
        )
    return log_in(client, member)


def test_a_refused_group_is_explained_in_russian(session: Session, client: TestClient) -> None:
    browser = _logged_in_admin(session, client)
    browser.cookies.set("precx_locale", "ru")
    page = browser.get("/sharing-groups").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": csrf, "name": "Precursor desk", "description": ""}
    created = browser.post("/sharing-groups", data=form)
    assert created.status_code == 200 and "Группа обмена создана." in created.text
    again = browser.post("/sharing-groups", data=form)
    assert again.status_code == 200
    shown = html.unescape(again.text)
    assert "A sharing group named" not in shown
    assert "Группа обмена с названием 'Precursor desk' уже существует." in shown
