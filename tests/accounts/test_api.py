"""The accounts API: who am I, tokens, organisations, users, invitations and deactivation."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import make_member, make_org


def test_me_names_the_caller_and_their_organisation(session: Session, client: TestClient) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.customs, "PL"), Role.viewer)
    answer = client.get("/api/v1/me", headers=member.headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["email"] == member.user.email
    assert body["organisation_kind"] == "customs"
    assert body["country"] == "PL"
    assert body["role"] == "viewer"


def test_without_a_token_the_api_answers_401_problem(client: TestClient) -> None:
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["status"] == 401


def test_an_unknown_token_is_refused(client: TestClient) -> None:
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer precx_pat_nonsense"})
    assert answer.status_code == 401
    assert "unknown, expired or revoked" in answer.json()["detail"]


def test_a_token_can_be_created_used_listed_and_revoked(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    created = client.post(
        "/api/v1/tokens", json={"name": "ERP", "days": 30}, headers=member.headers
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("precx_pat_")
    own = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=own).status_code == 200
    listed = client.get("/api/v1/tokens", headers=member.headers).json()
    assert {"ERP", "test"} <= {t["name"] for t in listed}
    assert all("token" not in t for t in listed)
    erp = next(t for t in listed if t["name"] == "ERP")
    assert erp["last_used_at"] is not None
    assert client.delete(f"/api/v1/tokens/{erp['id']}", headers=member.headers).status_code == 200
    assert client.get("/api/v1/me", headers=own).status_code == 401


def test_a_user_cannot_revoke_another_users_token(session: Session, client: TestClient) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        alice, bob = make_member(session, org), make_member(session, org)
    bobs = client.get("/api/v1/tokens", headers=bob.headers).json()[0]["id"]
    assert client.delete(f"/api/v1/tokens/{bobs}", headers=alice.headers).status_code == 404
    assert client.get("/api/v1/me", headers=bob.headers).status_code == 200


def test_an_admin_invites_a_colleague_who_then_sets_a_password(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        admin = make_member(session, make_org(session, OrgKind.industry, "DE"), Role.admin)
    answer = client.post(
        "/api/v1/users/invitations",
        headers=admin.headers,
        json={"email": "New.Colleague@Firm.example", "name": "New Colleague", "role": "reporter"},
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["user"]["email"] == "new.colleague@firm.example"
    assert body["user"]["invited"] is True
    link = body["invite_url"].replace("http://testserver", "")
    page = client.get(link)
    assert page.status_code == 200 and "New Colleague" in page.text
    csrf = client.cookies.get("precx_csrf")
    done = client.post(
        link,
        data={
            "password": "a long new password",
            "csrf_token": csrf,
            "confirm_password": "a long new password",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    again = client.get(link)
    assert again.status_code == 404
    login = client.post(
        "/login",
        data={
            "email": "new.colleague@firm.example",
            "password": "a long new password",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert login.status_code == 303


def test_only_admins_invite(session: Session, client: TestClient) -> None:
    with session.begin():
        analyst = make_member(session, make_org(session, OrgKind.industry, "DE"), Role.analyst)
    answer = client.post(
        "/api/v1/users/invitations",
        headers=analyst.headers,
        json={"email": "x@firm.example", "name": "X", "role": "viewer"},
    )
    assert answer.status_code == 403


def test_an_admin_deactivates_only_users_of_their_own_organisation(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        other = make_org(session, OrgKind.industry, "PL")
        admin = make_member(session, org, Role.admin)
        colleague = make_member(session, org, Role.viewer)
        stranger = make_member(session, other, Role.viewer)
    foreign = client.post(f"/api/v1/users/{stranger.user.id}/deactivate", headers=admin.headers)
    assert foreign.status_code == 404
    assert client.get("/api/v1/me", headers=stranger.headers).status_code == 200
    done = client.post(f"/api/v1/users/{colleague.user.id}/deactivate", headers=admin.headers)
    assert done.status_code == 200 and done.json()["active"] is False
    # Deactivation ends the user's tokens at once.
    assert client.get("/api/v1/me", headers=colleague.headers).status_code == 401
    users = client.get("/api/v1/users", headers=admin.headers).json()
    assert {u["email"] for u in users} == {admin.user.email, colleague.user.email}


def test_only_platform_admins_register_organisations(session: Session, client: TestClient) -> None:
    with session.begin():
        authority_admin = make_member(
            session, make_org(session, OrgKind.licensing_authority), Role.admin
        )
        operator = make_member(session, make_org(session, OrgKind.platform, "AT"), Role.admin)
    data = {"name": "New Distributor GmbH", "kind": "industry", "country": "de"}
    refused = client.post("/api/v1/organisations", json=data, headers=authority_admin.headers)
    assert refused.status_code == 403
    created = client.post("/api/v1/organisations", json=data, headers=operator.headers)
    assert created.status_code == 201
    assert created.json()["country"] == "DE"
    duplicate = client.post("/api/v1/organisations", json=data, headers=operator.headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["field"] == "body.name"


def test_industry_sees_only_its_own_organisation_in_the_directory(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        company = make_member(session, make_org(session, OrgKind.industry, "DE"))
        police = make_member(session, make_org(session, OrgKind.law_enforcement, "DE"))
    assert [
        o["id"] for o in client.get("/api/v1/organisations", headers=company.headers).json()
    ] == [company.org.id]
    assert len(client.get("/api/v1/organisations", headers=police.headers).json()) == 2


def test_an_admin_sends_a_new_link_and_the_old_one_stops_working(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        admin = make_member(session, make_org(session, OrgKind.customs, "PL"), Role.admin)
    first = client.post(
        "/api/v1/users/invitations",
        headers=admin.headers,
        json={"email": "late@customs.example", "name": "Late", "role": "viewer"},
    )
    user_id = first.json()["user"]["id"]
    old_link = first.json()["invite_url"].replace("http://testserver", "")
    second = client.post(f"/api/v1/users/{user_id}/invitation", headers=admin.headers)
    assert second.status_code == 201
    new_link = second.json()["invite_url"].replace("http://testserver", "")
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_a_new_link_is_refused_for_a_user_who_accepted(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        org = make_org(session, OrgKind.customs, "PL")
        admin, colleague = make_member(session, org, Role.admin), make_member(session, org)
    answer = client.post(f"/api/v1/users/{colleague.user.id}/invitation", headers=admin.headers)
    assert answer.status_code == 409


def test_a_token_lasts_token_days_unless_told(session: Session, client: TestClient) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    default = client.post("/api/v1/tokens", json={"name": "default"}, headers=member.headers)
    short = client.post("/api/v1/tokens", json={"name": "short", "days": 2}, headers=member.headers)
    from datetime import datetime

    def lifetime(answer) -> int:  # type: ignore[no-untyped-def]
        body = answer.json()
        created = datetime.fromisoformat(body["created_at"])
        return (datetime.fromisoformat(body["expires_at"]) - created).days

    assert lifetime(default) in (89, 90)  # PRECX_TOKEN_DAYS defaults to 90
    assert lifetime(short) in (1, 2)


def test_an_admin_changes_a_colleagues_role_and_the_change_is_audited(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        admin = make_member(session, org, Role.admin)
        colleague = make_member(session, org, Role.viewer)
        stranger = make_member(session, make_org(session, OrgKind.industry, "PL"), Role.viewer)
    url = f"/api/v1/users/{colleague.user.id}/role"
    done = client.post(url, headers=admin.headers, json={"role": "analyst"})
    assert done.status_code == 200 and done.json()["role"] == "analyst"
    assert client.get("/api/v1/me", headers=colleague.headers).json()["role"] == "analyst"
    audit = client.get("/api/v1/audit?action=user.role_changed", headers=admin.headers).json()
    assert [e["details"] for e in audit["items"]] == [
        {"email": colleague.user.email, "from": "viewer", "to": "analyst"}
    ]
    # Another organisation's user is as absent as a missing one.
    foreign = f"/api/v1/users/{stranger.user.id}/role"
    assert client.post(foreign, headers=admin.headers, json={"role": "admin"}).status_code == 404


def test_a_role_change_is_refused_to_non_admins_for_oneself_and_for_unknown_roles(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        admin = make_member(session, org, Role.admin)
        analyst = make_member(session, org, Role.analyst)
    own = client.post(
        f"/api/v1/users/{admin.user.id}/role", headers=admin.headers, json={"role": "viewer"}
    )
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "body.role"
    escalate = client.post(
        f"/api/v1/users/{analyst.user.id}/role", headers=analyst.headers, json={"role": "admin"}
    )
    assert escalate.status_code == 403
    unknown = client.post(
        f"/api/v1/users/{analyst.user.id}/role", headers=admin.headers, json={"role": "owner"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.role"
    assert client.get("/api/v1/me", headers=analyst.headers).json()["role"] == "analyst"
