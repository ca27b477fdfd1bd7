"""Every API error is an RFC 9457 problem document naming the field at fault."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import make_member, make_org


def _member_headers(
    session: Session, kind: OrgKind = OrgKind.platform, role: Role = Role.admin
) -> dict[str, str]:
    with session.begin():
        return make_member(session, make_org(session, kind, "AT"), role).headers


def test_an_invalid_country_is_named(session: Session, client: TestClient) -> None:
    headers = _member_headers(session)
    answer = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={"name": "X", "kind": "industry", "country": "XX"},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert {"type", "title", "status", "detail", "errors"} <= problem.keys()
    assert problem["errors"][0]["field"] == "body.country"
    assert "ISO 3166-1" in problem["errors"][0]["message"]


def test_unknown_fields_are_rejected(session: Session, client: TestClient) -> None:
    headers = _member_headers(session)
    answer = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={"name": "X", "kind": "industry", "country": "DE", "admin": True},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.admin"


def test_strings_are_length_limited(session: Session, client: TestClient) -> None:
    headers = _member_headers(session, OrgKind.industry, Role.analyst)
    answer = client.post(
        "/api/v1/bulletins", headers=headers, json={"title": "x" * 201, "body": "text"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.title"


def test_an_invalid_email_is_named(session: Session, client: TestClient) -> None:
    headers = _member_headers(session, OrgKind.industry, Role.admin)
    answer = client.post(
        "/api/v1/users/invitations",
        headers=headers,
        json={"email": "not-an-address", "name": "N", "role": "viewer"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.email"


def test_a_viewer_is_forbidden_to_post(session: Session, client: TestClient) -> None:
    headers = _member_headers(session, OrgKind.industry, Role.viewer)
    answer = client.post("/api/v1/bulletins", headers=headers, json={"title": "abc", "body": "b"})
    assert answer.status_code == 403
    assert answer.json()["type"].endswith("/forbidden")


def test_tlp_red_needs_a_narrow_distribution_and_nothing_is_written(
    session: Session, client: TestClient
) -> None:
    headers = _member_headers(session, OrgKind.licensing_authority, Role.analyst)
    answer = client.post(
        "/api/v1/bulletins",
        headers=headers,
        json={"title": "abc", "body": "b", "tlp": "red", "distribution": "partnership"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.tlp"
    assert client.get("/api/v1/bulletins/count", headers=headers).json() == {"count": 0}


def test_unknown_paths_answer_a_problem(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_an_unexpected_error_reveals_no_trace(
    session: Session, client: TestClient, monkeypatch: object
) -> None:
    from precx.bulletins import service as bulletins_service

    def explode(*_a: object, **_k: object) -> None:
        raise RuntimeError("secret internals at /srv/precx")

    headers = _member_headers(session, OrgKind.industry, Role.analyst)
    monkeypatch.setattr(bulletins_service, "count_bulletins", explode)  # type: ignore[attr-defined]
    client_no_raise = TestClient(client.app, raise_server_exceptions=False)
    answer = client_no_raise.get("/api/v1/bulletins/count", headers=headers)
    assert answer.status_code == 500
    assert "secret internals" not in answer.text
    assert "Traceback" not in answer.text
    assert answer.json()["title"] == "Internal error"


def test_only_authorities_publish_to_the_partnership(session: Session, client: TestClient) -> None:
    headers = _member_headers(session, OrgKind.industry, Role.analyst)
    answer = client.post(
        "/api/v1/bulletins",
        headers=headers,
        json={"title": "abc", "body": "b", "distribution": "partnership"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.distribution"
