"""The users page: an organisation admin changes a colleague's role from the list."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import log_in, make_member, make_org


def test_an_admin_changes_a_role_on_the_users_page(session: Session, client: TestClient) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        admin = make_member(session, org, Role.admin)
        colleague = make_member(session, org, Role.viewer)
    log_in(client, admin)
    page = client.get("/users").text
    # The admin's own row has no role picker: nobody changes their own role.
    assert f'action="/users/{admin.user.id}/role"' not in page
    assert f'action="/users/{colleague.user.id}/role"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    done = client.post(
        f"/users/{colleague.user.id}/role", data={"role": "analyst", "csrf_token": csrf.group(1)}
    )
    assert f"{colleague.user.email} is now analyst." in done.text
    picker = re.search(
        rf'action="/users/{colleague.user.id}/role".*?</form>', done.text, flags=re.S
    )
    assert picker is not None and '<option value="analyst" selected>' in picker.group(0)


def test_the_role_picker_is_only_for_admins(session: Session, client: TestClient) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        analyst = make_member(session, org, Role.analyst)
        viewer = make_member(session, org, Role.viewer)
    log_in(client, analyst)
    page = client.get("/users").text
    assert "/role" not in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text)
    assert csrf is not None
    refused = client.post(
        f"/users/{viewer.user.id}/role", data={"role": "admin", "csrf_token": csrf.group(1)}
    )
    assert "Only an administrator of your organisation manages its users." in refused.text
