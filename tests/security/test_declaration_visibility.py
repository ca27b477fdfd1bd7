"""Customer declarations: only the two parties and the customer's authorities see one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from precx.declarations import service as declarations_service
from precx.declarations.models import CustomerDeclaration
from precx.declarations.schemas import CheckAnswer
from tests.declarations.helpers import (
    PDF,
    FakeRegister,
    Parties,
    make_parties,
    paper_data,
    register,
    signed,
)
from tests.fixtures.builders import PASSWORD, Member, make_member, make_org

LIST = "/api/v1/declarations"
__all__ = ["register"]  # the stand-in licence register, a fixture

CHECK_FIELDS = {
    "code",
    "status",
    "substance_id",
    "substance_name",
    "quantity_left",
    "unit",
    "valid_until",
    "customer_name",
    "supplier_name",
}


@dataclass
class World:
    """Two parties with a signed, a paper and a draft declaration, and onlookers."""

    parties: Parties
    declaration: CustomerDeclaration
    paper: CustomerDeclaration
    draft: CustomerDeclaration
    customs_de: Member
    reporter: Member
    platform: Member
    international: Member


@pytest.fixture
def world(session: Session, register: FakeRegister) -> World:
    with session.begin():
        parties = make_parties(session)
        declaration = signed(session, parties)
        paper = declarations_service.record_paper_declaration(
            session,
            parties.supplier.principal,
            data=paper_data(customer_country="DE"),
            scan=PDF,
            filename="scan.pdf",
        )
        draft = signed(session, parties, sign=False)
        customs_de = make_member(session, make_org(session, OrgKind.customs, "DE"))
        reporter = make_member(session, parties.supplier.org, Role.reporter)
        platform = make_member(session, make_org(session, OrgKind.platform, "DE"), Role.admin)
        international = make_member(session, make_org(session, OrgKind.international, "AT"))
    return World(parties, declaration, paper, draft, customs_de, reporter, platform, international)


def _ids(client: TestClient, headers: dict[str, str]) -> set[int]:
    answer = client.get(LIST, headers=headers)
    assert answer.status_code == 200
    return {d["id"] for d in answer.json()["items"]}


def test_the_parties_and_the_customers_authorities_see_it(client: TestClient, world: World) -> None:
    parties = world.parties
    declaration, paper, draft = world.declaration, world.paper, world.draft
    signed_id, paper_id, draft_id = declaration.id, paper.id, draft.id
    assert _ids(client, parties.customer.headers) == {signed_id, draft_id}
    assert _ids(client, parties.supplier.headers) == {signed_id, paper_id}
    # The German authorities see the declarations of German customers, never drafts.
    assert _ids(client, parties.authority.headers) == {signed_id, paper_id}
    assert _ids(client, world.customs_de.headers) == {signed_id, paper_id}
    for path in (f"{LIST}/{signed_id}", f"{LIST}/{signed_id}.pdf", f"{LIST}/{paper_id}/scan"):
        assert client.get(path, headers=parties.authority.headers).status_code == 200


@pytest.mark.parametrize(
    "who", ["outsider", "foreign_authority", "reporter", "platform", "international"]
)
def test_nobody_else_lists_or_fetches_it(client: TestClient, world: World, who: str) -> None:
    parties = world.parties
    member = getattr(parties, who, None) or getattr(world, who)
    declaration, paper, draft = world.declaration, world.paper, world.draft
    assert _ids(client, member.headers) == set()
    for record in (declaration, paper, draft):
        rid = record.id
        for path in (
            f"{LIST}/{rid}",
            f"{LIST}/{rid}.pdf",
            f"{LIST}/{rid}/scan",
            f"{LIST}/{rid}/deliveries",
        ):
            answer = client.get(path, headers=member.headers)
            assert answer.status_code == 404, (who, path)
            assert str(rid) in answer.json()["detail"] or "No" in answer.json()["detail"]
        for path, body in (
            (f"{LIST}/{rid}/revoke", {"reason": "not mine"}),
            (f"{LIST}/{rid}/deliveries", {"quantity": 1}),
            (f"{LIST}/{rid}/sign", None),
        ):
            answer = client.post(path, json=body, headers=member.headers)
            assert answer.status_code == 404, (who, path)


def test_the_foreign_authority_gets_no_figures_of_another_country(
    session: Session, world: World
) -> None:
    parties = world.parties
    with pytest.raises(Exception, match="own country"):
        declarations_service.declared_quantities(
            session,
            parties.foreign_authority.principal,
            country="DE",
            year=declarations_service.today().year,
        )


def test_the_code_check_reveals_only_the_allowed_fields(client: TestClient, world: World) -> None:
    parties = world.parties
    declaration = world.declaration
    answer = client.get(
        f"{LIST}/check",
        params={"code": declaration.code},
        headers=parties.outsider.headers,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == CHECK_FIELDS == set(CheckAnswer.model_fields)
    text = answer.text
    for secret in (
        "Industriestr",  # address
        "Erika",  # signatory
        "printing presses",  # intended use
        "Managing director",  # signatory's position
    ):
        assert secret not in text.replace(body["code"], "")
    draft = world.draft
    hidden = client.get(
        f"{LIST}/check",
        params={"code": draft.code},
        headers=parties.outsider.headers,
    ).json()
    assert hidden == {**dict.fromkeys(CHECK_FIELDS), "code": draft.code, "status": "not_found"}


def test_the_check_page_shows_the_same_few_facts(client: TestClient, world: World) -> None:
    parties = world.parties
    declaration = world.declaration
    client.get("/login")
    client.post(
        "/login",
        data={
            "email": parties.outsider.user.email,
            "password": PASSWORD,
            "csrf_token": client.cookies.get("precx_csrf"),
        },
    )
    page = client.get("/declarations/check", params={"code": declaration.code})
    assert page.status_code == 200
    assert "acetone" in page.text.lower()
    assert "Industriestr" not in page.text
    assert "printing presses" not in page.text
    assert (declarations_service.today() + timedelta(days=1)).isoformat() not in page.text
