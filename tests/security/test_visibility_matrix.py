"""Nobody sees a record their organisation may not: organisation kinds x roles x distributions
x record types, through the API's list, search, count, get-by-id and CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import AUTHORITY_KINDS, OrgKind, Role
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution
from tests.fixtures.builders import Member, make_member, make_org
from tests.security.shareables import SHAREABLE_TYPES, ShareableType, make_bulletin

COUNTRIES = ("DE", "PL")
# (kind, vetted): the organisation variants of every country.
ORG_VARIANTS = [
    (OrgKind.licensing_authority, False),
    (OrgKind.law_enforcement, False),
    (OrgKind.customs, False),
    (OrgKind.industry, True),
    (OrgKind.industry, False),
    (OrgKind.logistics, True),
    (OrgKind.logistics, False),
    (OrgKind.international, False),
    (OrgKind.platform, False),
]


@dataclass(frozen=True)
class Record:
    """One record created for the matrix, with what decides who may read it."""

    type: ShareableType
    id: int
    marker: str
    distribution: Distribution
    author: Member


def expected_visible(reader: Member, record: Record, group_members: set[int]) -> bool:
    """The rules of DESIGN.md, written out independently of the gate's SQL."""
    if reader.principal.role is Role.reporter:
        return record.author.user.id == reader.user.id
    if reader.org.id == record.author.org.id:
        return True
    kind = reader.org.kind
    authority = kind in AUTHORITY_KINDS
    match record.distribution:
        case Distribution.organisation:
            return False
        case Distribution.country_authorities:
            return authority and reader.org.country == record.author.org.country
        case Distribution.authorities:
            return authority or kind is OrgKind.international
        case Distribution.partnership:
            return (
                authority
                or kind is OrgKind.international
                or (kind in (OrgKind.industry, OrgKind.logistics) and reader.org.vetted)
            )
        case Distribution.sharing_group:
            return reader.org.id in group_members
    raise AssertionError(record.distribution)


# Hundreds of readers x record types x five read paths: slower than one test's default limit
# on a busy two-core machine.
@pytest.mark.timeout(600)
def test_nothing_leaks_through_the_api(
    session: Session, client: TestClient, subtests: pytest.Subtests
) -> None:
    with session.begin():
        readers: list[Member] = []
        orgs = {}
        for country in COUNTRIES:
            for kind, vetted in ORG_VARIANTS:
                org = make_org(session, kind, country, vetted=vetted)
                orgs[(country, kind, vetted)] = org
                readers.extend(make_member(session, org, role) for role in Role)
        # Authors: an authority and a company of DE, writing as analysts and as reporters.
        authors = [
            r
            for r in readers
            if r.org.country == "DE"
            and (r.org.kind, r.org.vetted)
            in ((OrgKind.licensing_authority, False), (OrgKind.industry, True))
            and r.principal.role in (Role.analyst, Role.reporter)
        ]
        authority_admin = next(
            r
            for r in readers
            if r.org.kind is OrgKind.licensing_authority
            and r.org.country == "DE"
            and r.principal.role is Role.admin
        )
        group = sharing_service.create_sharing_group(
            session, authority_admin.principal, name="matrix group"
        )
        guest = orgs[("PL", OrgKind.customs, False)]
        sharing_service.add_group_member(session, authority_admin.principal, group.id, guest.id)
        industry_guest = orgs[("DE", OrgKind.industry, True)]
        sharing_service.add_group_member(
            session, authority_admin.principal, group.id, industry_guest.id
        )
        group_members = {authority_admin.org.id, guest.id, industry_guest.id}
        records: list[Record] = []
        for rtype in SHAREABLE_TYPES:
            for author in authors:
                for distribution in Distribution:
                    if (
                        distribution is Distribution.sharing_group
                        and author.org.id not in group_members
                    ):
                        continue
                    # Only authorities publish to the partnership.
                    if (
                        distribution is Distribution.partnership
                        and not author.principal.is_authority
                    ):
                        continue
                    marker = f"m{len(records):03d}x"
                    group_id = group.id if distribution is Distribution.sharing_group else None
                    rid = rtype.make(session, author, distribution, group_id, marker)
                    records.append(Record(rtype, rid, marker, distribution, author))

    assert len(readers) == len(COUNTRIES) * len(ORG_VARIANTS) * len(Role)
    checked = 0
    for reader in readers:
        for rtype in SHAREABLE_TYPES:
            mine = [r for r in records if r.type is rtype]
            expected = {r.id for r in mine if expected_visible(reader, r, group_members)}
            label = (
                f"{rtype.name} / {reader.org.country} {reader.org.kind.value}"
                f"{' vetted' if reader.org.vetted else ''} / {reader.principal.role.value}"
            )
            with subtests.test(msg=label):
                listed = client.get(
                    rtype.collection, params={"per_page": 200}, headers=reader.headers
                )
                assert listed.status_code == 200, listed.text
                assert {item["id"] for item in listed.json()["items"]} == expected
                assert listed.json()["total"] == len(expected)
                exported = client.get(rtype.export, headers=reader.headers)
                assert exported.status_code == 200
                rows = csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))
                assert {int(row["id"]) for row in rows} == expected
                count = client.get(f"{rtype.collection}/count", headers=reader.headers)
                assert count.json() == {"count": len(expected)}
                for record in mine:
                    got = client.get(f"{rtype.collection}/{record.id}", headers=reader.headers)
                    if record.id in expected:
                        assert got.status_code == 200, (record, got.text)
                    else:
                        # Hidden answers exactly like missing: no existence leak.
                        assert got.status_code == 404, (record, got.text)
                        assert got.json()["title"] == "Not found"
                    search = client.get(
                        rtype.collection, params={"q": record.marker}, headers=reader.headers
                    )
                    found = {item["id"] for item in search.json()["items"]}
                    assert found == ({record.id} if record.id in expected else set())
                    checked += 1
    assert checked == len(readers) * len(records)


def test_a_hidden_record_answers_like_a_missing_one(session: Session, client: TestClient) -> None:
    with session.begin():
        author = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        outsider = make_member(session, make_org(session, OrgKind.industry, "DE", vetted=True))
        hidden = make_bulletin(session, author, Distribution.organisation, None, "secret")
    hidden_answer = client.get(f"/api/v1/bulletins/{hidden}", headers=outsider.headers)
    missing_answer = client.get(f"/api/v1/bulletins/{hidden + 999}", headers=outsider.headers)
    assert hidden_answer.status_code == missing_answer.status_code == 404
    assert hidden_answer.json()["title"] == missing_answer.json()["title"]
    assert "secret" not in hidden_answer.text
