"""Incidents, industry alerts, sightings and attachments through the gate: organisation kinds
x roles x distributions, through the API's list, search, count, get, timeline, export and
attachment download, and the web pages. Industry never sees an incident, a draft alert is
invisible to industry, a sighting is read by its organisation and the alert's authority only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import AUTHORITY_KINDS, OrgKind, Role
from precx.db import utc_now
from precx.incidents import service as incidents_service
from precx.incidents.schemas import AlertCreate, IncidentContent, SightingCreate
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution, Tlp
from tests.fixtures.builders import Member, make_member, make_org

YESTERDAY = (utc_now() - timedelta(days=1)).date()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
VARIANTS = [
    (OrgKind.licensing_authority, False),
    (OrgKind.law_enforcement, False),
    (OrgKind.customs, False),
    (OrgKind.industry, True),
    (OrgKind.industry, False),
    (OrgKind.logistics, True),
    (OrgKind.international, False),
    (OrgKind.platform, False),
]
INCIDENT_DISTRIBUTIONS = [
    Distribution.organisation,
    Distribution.country_authorities,
    Distribution.authorities,
    Distribution.sharing_group,
]


def _incident(marker: str, distribution: Distribution, group_id: int | None) -> IncidentContent:
    return IncidentContent.model_validate(
        {
            "kind": "seizure",
            "title": f"Seizure {marker}",
            "occurred_on": YESTERDAY.isoformat(),
            "place": "Frankfurt airport",
            "country": "DE",
            "reporting_agency": "Zoll",
            "parties": [{"kind": "company", "value": f"Company {marker}"}],
            "distribution": distribution.value,
            "tlp": Tlp.amber.value,
            "sharing_group_id": group_id,
        }
    )


def expected_incident(
    reader: Member, author: Member, distribution: Distribution, group: set[int]
) -> bool:
    kind = reader.org.kind
    if kind in (OrgKind.industry, OrgKind.logistics, OrgKind.platform):
        return False  # whatever the marking
    if reader.principal.role is Role.reporter:
        return reader.user.id == author.user.id
    if reader.org.id == author.org.id:
        return True
    match distribution:
        case Distribution.country_authorities:
            return kind in AUTHORITY_KINDS and reader.org.country == author.org.country
        case Distribution.authorities:
            return kind in AUTHORITY_KINDS or kind is OrgKind.international
        case Distribution.sharing_group:
            return reader.org.id in group
    return False


def test_incidents_reach_only_the_authorities_their_marking_names(
    session: Session, client: TestClient, subtests: pytest.Subtests
) -> None:
    with session.begin():
        readers: list[Member] = []
        orgs = {}
        for country in ("DE", "PL"):
            for kind, vetted in VARIANTS:
                org = make_org(session, kind, country, vetted=vetted)
                orgs[(country, kind, vetted)] = org
                readers += [
                    make_member(session, org, role)
                    for role in (Role.analyst, Role.reporter, Role.viewer)
                ]
        author = next(
            r
            for r in readers
            if r.org is orgs[("DE", OrgKind.customs, False)] and r.principal.role is Role.analyst
        )
        admin = make_member(session, orgs[("DE", OrgKind.customs, False)], Role.admin)
        group = sharing_service.create_sharing_group(
            session, admin.principal, name="incident group"
        )
        # The group holds a PL police force and, wrongly, a vetted company: it still reads nothing.
        for member in (
            orgs[("PL", OrgKind.law_enforcement, False)],
            orgs[("DE", OrgKind.industry, True)],
        ):
            sharing_service.add_group_member(session, admin.principal, group.id, member.id)
        members = {
            author.org.id,
            orgs[("PL", OrgKind.law_enforcement, False)].id,
            orgs[("DE", OrgKind.industry, True)].id,
        }
        records = []
        for n, distribution in enumerate(INCIDENT_DISTRIBUTIONS):
            marker = f"q{n}z"
            gid = group.id if distribution is Distribution.sharing_group else None
            incident = incidents_service.create_incident(
                session, author.principal, data=_incident(marker, distribution, gid)
            )
            attachment = incidents_service.add_attachment(
                session, author.principal, incident.id, filename="a.png", content=PNG
            )
            records.append((incident.id, attachment.id, marker, distribution))
    for reader in readers:
        expected = {
            rid for rid, _a, _m, d in records if expected_incident(reader, author, d, members)
        }
        vetted = " vetted" if reader.org.vetted else ""
        label = (
            f"{reader.org.country} {reader.org.kind.value}{vetted} {reader.principal.role.value}"
        )
        with subtests.test(msg=label):
            h = reader.headers
            listed = client.get("/api/v1/incidents", params={"per_page": 100}, headers=h).json()
            assert {i["id"] for i in listed["items"]} == expected and listed["total"] == len(
                expected
            )
            assert client.get("/api/v1/incidents/count", headers=h).json() == {
                "count": len(expected)
            }
            rows = csv.DictReader(
                io.StringIO(
                    client.get("/api/v1/incidents/export.csv", headers=h).text.lstrip("\ufeff")
                )
            )
            assert {int(r["id"]) for r in rows} == expected
            for rid, aid, marker, _d in records:
                visible = rid in expected
                found = {
                    i["id"]
                    for i in client.get(
                        "/api/v1/incidents", params={"q": f"company {marker}"}, headers=h
                    ).json()["items"]
                }
                assert found == ({rid} if visible else set())
                for path in (
                    f"/api/v1/incidents/{rid}",
                    f"/api/v1/incidents/{rid}/timeline",
                    f"/api/v1/incidents/{rid}/attachments/{aid}",
                ):
                    got = client.get(path, headers=h)
                    assert got.status_code == (200 if visible else 404), (path, got.text)
                    if not visible:
                        assert marker not in got.text


def test_alert_drafts_published_alerts_and_sightings(session: Session, client: TestClient) -> None:
    with session.begin():
        officer = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        colleague = make_member(session, make_org(session, OrgKind.law_enforcement, "DE"))
        foreign = make_member(session, make_org(session, OrgKind.licensing_authority, "PL"))
        vetted = make_member(session, make_org(session, OrgKind.industry, "DE", vetted=True))
        carrier = make_member(session, make_org(session, OrgKind.logistics, "PL", vetted=True))
        unvetted = make_member(session, make_org(session, OrgKind.industry, "DE"))
        other = make_member(session, make_org(session, OrgKind.industry, "PL", vetted=True))
        alert = incidents_service.draft_alert(
            session,
            officer.principal,
            data=AlertCreate(
                title="Watch for drum orders",
                watch_for="Orders of 200 l drums paid from a third country.",
                expires_on=YESTERDAY + timedelta(days=60),
            ),
        )
        narrow = incidents_service.draft_alert(
            session,
            officer.principal,
            data=AlertCreate(
                title="Authorities only",
                watch_for="Not for the partnership at all.",
                expires_on=YESTERDAY + timedelta(days=60),
                distribution=Distribution.authorities,
            ),
        )
    for reader, sees in (
        (officer, True),
        (colleague, True),
        (foreign, False),
        (vetted, False),
        (carrier, False),
    ):
        assert (
            client.get(f"/api/v1/alerts/{alert.id}", headers=reader.headers).status_code == 200
        ) is sees
        listed = client.get("/api/v1/alerts", params={"all": True}, headers=reader.headers).json()
        assert (alert.id in {a["id"] for a in listed["items"]}) is sees
    with session.begin():
        for a in (alert, narrow):
            incidents_service.submit_alert(session, officer.principal, a.id)
            incidents_service.approve_alert(session, colleague.principal, a.id)
    for reader, sees in (
        (vetted, True),
        (carrier, True),
        (other, True),
        (unvetted, False),
        (foreign, True),
    ):
        assert (
            client.get(f"/api/v1/alerts/{alert.id}", headers=reader.headers).status_code == 200
        ) is sees
    for reader in (vetted, carrier, unvetted):
        assert client.get(f"/api/v1/alerts/{narrow.id}", headers=reader.headers).status_code == 404
    with session.begin():
        sighting = incidents_service.record_sighting(
            session,
            vetted.principal,
            alert.id,
            data=SightingCreate(seen_on=YESTERDAY, note="Seen in an order"),
        )
    for reader, sees in (
        (vetted, True),
        (officer, True),
        (colleague, False),
        (other, False),
        (carrier, False),
        (foreign, False),
    ):
        got = client.get(f"/api/v1/alert-sightings/{sighting.id}", headers=reader.headers)
        assert got.status_code == (200 if sees else 404)
        listed = client.get(f"/api/v1/alerts/{alert.id}/sightings", headers=reader.headers)
        # Readers of the alert who may not read the sighting get an empty list, not the sighting.
        shown = [s["id"] for s in listed.json()] if listed.status_code == 200 else []
        assert shown == ([sighting.id] if sees else [])
