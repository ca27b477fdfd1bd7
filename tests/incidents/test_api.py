"""Incidents through the API: record, complete, finalise, filter, export, attach, link,
restrict in one step; bad input changes nothing."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.app import create_app
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.config import Settings
from precx.events.models import OutboxEvent
from precx.incidents.models import Incident
from precx.sharing.models import Distribution, Tlp
from tests.incidents.conftest import Cast, seizure

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def create(client: TestClient, cast: Cast, **changes: object) -> dict[str, object]:
    answer = client.post("/api/v1/incidents", json=seizure(**changes), headers=cast.customs.headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_customs_records_police_completes_and_finalises(
    session: Session, client: TestClient, cast: Cast
) -> None:
    created = create(client, cast)
    assert created["status"] == "draft" and created["version"] == 1
    assert [s["substance_id"] for s in created["substances"]] == ["acetic-anhydride"]  # type: ignore[index]
    assert [r["country"] for r in created["route"]] == ["CN", "DE", "NL"]  # type: ignore[index]
    incident_id = created["id"]
    completed = client.put(
        f"/api/v1/incidents/{incident_id}",
        json=seizure(narrative="Consignee is a front company (fictional).", reporting_agency="BKA"),
        headers=cast.police.headers,
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["version"] == 2
    final = client.post(f"/api/v1/incidents/{incident_id}/finalise", headers=cast.police.headers)
    assert final.json()["status"] == "final"
    again = client.put(
        f"/api/v1/incidents/{incident_id}", json=seizure(), headers=cast.customs.headers
    )
    assert again.status_code == 409
    timeline = client.get(
        f"/api/v1/incidents/{incident_id}/timeline", headers=cast.officer.headers
    ).json()
    assert [t["action"] for t in timeline] == [
        "incident.created",
        "incident.updated",
        "incident.finalised",
    ]
    topics = session.scalars(
        select(OutboxEvent).where(OutboxEvent.record_type == "incident").order_by(OutboxEvent.id)
    ).all()
    assert [e.topic for e in topics] == [
        "incident.created",
        "incident.updated",
        "incident.finalised",
    ]
    payload = topics[-1].payload
    assert payload["substances"] == ["Acetic anhydride"] and payload["severity"] == "high"
    assert payload["countries"] == ["CN", "DE", "NL"] and payload["kind"] == "seizure"
    assert topics[-1].organisation_id == cast.customs.org.id


def test_industry_neither_records_nor_reads_incidents(client: TestClient, cast: Cast) -> None:
    incident_id = create(client, cast, distribution="authorities")["id"]
    refused = client.post("/api/v1/incidents", json=seizure(), headers=cast.industry.headers)
    assert refused.status_code == 403
    assert client.get("/api/v1/incidents", headers=cast.industry.headers).json()["total"] == 0
    assert (
        client.get(f"/api/v1/incidents/{incident_id}", headers=cast.industry.headers).status_code
        == 404
    )
    # Another country's police read an `authorities` incident but may not complete it.
    assert (
        client.get(f"/api/v1/incidents/{incident_id}", headers=cast.pl_police.headers).status_code
        == 200
    )
    changed = client.put(
        f"/api/v1/incidents/{incident_id}", json=seizure(), headers=cast.pl_police.headers
    )
    assert changed.status_code == 403


def test_bad_input_names_the_field_and_changes_nothing(
    session: Session, client: TestClient, cast: Cast
) -> None:
    cases = [
        (seizure(latitude=95.0), "latitude"),
        (seizure(longitude=None), "body"),
        (seizure(country="XX"), "body.country"),
        (seizure(route=[{"leg": "origin", "country": "QQ"}]), "body.route.0.country"),
        (seizure(substances=[{"substance": "unobtainium salt"}]), "body.substances.0.substance"),
        (seizure(distribution="partnership"), "body.distribution"),
        (seizure(tlp="red"), "body.tlp"),
        (seizure(occurred_on="2999-01-01"), "body.occurred_on"),
        (seizure(links=[{"record_type": "bulletin", "record_id": 999}]), "body.links.0.record_id"),
        (seizure(links=[{"record_type": "spaceship", "record_id": 1}]), "body.links.0.record_type"),
    ]
    for body, field in cases:
        answer = client.post("/api/v1/incidents", json=body, headers=cast.customs.headers)
        assert answer.status_code == 422, (field, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert any(field in e["field"] for e in answer.json()["errors"]), (field, answer.json())
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


def test_filters_sort_and_exports(client: TestClient, cast: Cast) -> None:
    first = create(client, cast)["id"]
    second = create(
        client,
        cast,
        kind="illicit_laboratory",
        title="Laboratory in a barn",
        country="PL",
        place="Near Szczecin",
        latitude=None,
        longitude=None,
        route=[],
        parties=[{"kind": "person", "value": "Piotr Nowak", "country": "PL"}],
        substances=[{"substance": "ephedrine", "quantity": 5, "unit": "kg"}],
        distribution="authorities",
    )["id"]
    headers = cast.officer.headers

    def ids(**params: str) -> list[int]:
        return [
            i["id"]
            for i in client.get("/api/v1/incidents", params=params, headers=headers).json()["items"]
        ]

    assert ids(kind="seizure") == [first]
    assert ids(country="NL") == [first]  # on the route
    assert ids(country="PL") == [second]
    assert ids(substance="ephedrine") == [second]
    # However the user names it: its CAS number, a name in another language.
    assert ids(substance="299-42-3") == [second]
    assert ids(substance="Эфедрин") == [second]
    unknown = client.get("/api/v1/incidents", params={"substance": "unobtainium"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "substance"
    assert ids(q="nordwind") == [first]  # a named company
    assert ids(status="final") == []
    assert set(ids(sort="title")) == {first, second}
    assert ids(sort="title")[0] == first  # "Acetic..." before "Laboratory..."
    exported = client.get(
        "/api/v1/incidents/export.csv", params={"kind": "seizure"}, headers=headers
    )
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [int(r["id"]) for r in rows] == [first]
    assert rows[0]["companies"] == "Nordwind Trading FZE" and rows[0]["tlp"] == "TLP:AMBER"
    xlsx = client.get("/api/v1/incidents/export.xlsx", headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 3
    assert client.get("/api/v1/incidents/export.pdf", headers=headers).status_code == 404
    assert client.get("/api/v1/incidents/count", headers=cast.industry.headers).json() == {
        "count": 0
    }


def test_attachments_are_sniffed_and_served_as_downloads(client: TestClient, cast: Cast) -> None:
    incident_id = create(client, cast)["id"]
    url = f"/api/v1/incidents/{incident_id}/attachments"
    refused = client.post(
        url,
        files={"file": ("photo.png", b"MZ\x90\x00 not an image", "image/png")},
        headers=cast.customs.headers,
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "file"
    added = client.post(
        url, files={"file": ("drums.png", PNG, "image/png")}, headers=cast.customs.headers
    )
    assert added.status_code == 201, added.text
    attachment_id = added.json()["id"]
    download = client.get(f"{url}/{attachment_id}", headers=cast.police.headers)
    assert download.content == PNG
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    for outsider in (cast.industry, cast.pl_police):
        assert client.get(f"{url}/{attachment_id}", headers=outsider.headers).status_code == 404
    other = create(client, cast)["id"]
    # The attachment is found only under its own incident.
    assert (
        client.get(
            f"/api/v1/incidents/{other}/attachments/{attachment_id}", headers=cast.customs.headers
        ).status_code
        == 404
    )


def test_links_never_reveal_what_the_reader_cannot_see(
    session: Session, client: TestClient, cast: Cast
) -> None:
    with session.begin():
        bulletin = bulletins_service.post_bulletin(
            session,
            cast.customs.principal,
            data=BulletinCreate(
                title="Customs-only note",
                body="Internal",
                distribution=Distribution.organisation,
                tlp=Tlp.amber,
            ),
        )
    incident_id = create(
        client, cast, links=[{"record_type": "bulletin", "record_id": bulletin.id}]
    )["id"]
    own = client.get(f"/api/v1/incidents/{incident_id}", headers=cast.customs.headers).json()
    assert [link["label"] for link in own["links"]] == ["Bulletin: Customs-only note"]
    police = client.get(f"/api/v1/incidents/{incident_id}", headers=cast.police.headers)
    assert police.json()["links"] == [] and police.json()["hidden_links"] == 1
    assert "Customs-only" not in police.text


def test_restrict_in_one_step_gives_industry_a_reference_only(
    client: TestClient, cast: Cast
) -> None:
    incident_id = create(client, cast)["id"]
    refused = client.post(
        f"/api/v1/incidents/{incident_id}/restrict", json={}, headers=cast.industry.headers
    )
    assert refused.status_code == 404
    done = client.post(
        f"/api/v1/incidents/{incident_id}/restrict", json={}, headers=cast.officer.headers
    )
    assert done.status_code == 200, done.text
    assert done.json() == {"list_name": "BfArM (test) incidents", "version": 1, "added": 2}
    order = {
        "order_id": "SO-77",
        "customer_name": "Nordwind Trading FZE",
        "customer_country": "AE",
        "substance": "acetone",
        "quantity": 200,
        "unit": "l",
    }
    screened = client.post(
        "/api/v1/screenings", json={"orders": [order]}, headers=cast.industry.headers
    )
    assert screened.status_code == 201, screened.text
    [hit] = screened.json()["results"][0]["watchlist_hits"]
    assert hit["restricted"] and hit["reference"].startswith("R-")
    text = screened.text
    for secret in ("incident", "Hamburg", "acetic", "BfArM", "Kowalski"):
        assert secret.lower() not in text.lower(), secret


def test_an_incident_links_a_report_only_its_readers_can_follow(
    client: TestClient, cast: Cast
) -> None:
    filed = client.post(
        "/api/v1/reports",
        json={
            "kind": "loss_theft",
            "substances": [{"substance": "acetic anhydride", "quantity": 200, "unit": "l"}],
            "action_taken": "not_applicable",
            "narrative": "One drum missing from a sealed trailer.",
        },
        headers=cast.industry.headers,
    )
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["id"]
    link = [{"record_type": "report", "record_id": report_id}]
    # Customs was not routed the report: it cannot link what it cannot see.
    refused = client.post(
        "/api/v1/incidents", json=seizure(links=link), headers=cast.customs.headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.links.0.record_id"
    # The competent authority received it, and links its theft incident to it.
    made = client.post(
        "/api/v1/incidents",
        json=seizure(kind="theft_or_loss", links=link),
        headers=cast.officer.headers,
    )
    assert made.status_code == 201, made.text
    incident_id = made.json()["id"]
    [shown] = made.json()["links"]
    assert shown["record_type"] == "report" and shown["label"].startswith(f"Report {report_id}:")
    police = client.get(f"/api/v1/incidents/{incident_id}", headers=cast.police.headers)
    assert police.status_code == 200
    assert police.json()["links"] == [] and police.json()["hidden_links"] == 1


def test_attachments_beyond_the_instances_limit_are_refused_naming_it(
    settings: Settings, client: TestClient, cast: Cast
) -> None:
    incident_id = create(client, cast)["id"]
    url = f"/api/v1/incidents/{incident_id}/attachments"
    small = create_app(settings.model_copy(update={"attachment_max_bytes": 2048}))
    with TestClient(small) as strict:
        big_pdf = b"%PDF-1.7\n" + b"0" * 4000
        refused = strict.post(
            url,
            files={"file": ("scan.pdf", big_pdf, "application/pdf")},
            headers=cast.customs.headers,
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "file"
        assert "2048 bytes" in refused.json()["detail"]
        fits = strict.post(
            url,
            files={"file": ("scan.pdf", big_pdf[:2000], "application/pdf")},
            headers=cast.customs.headers,
        )
        assert fits.status_code == 201, fits.text
    # The default instance takes the same large file.
    taken = client.post(
        url, files={"file": ("scan.pdf", big_pdf, "application/pdf")}, headers=cast.customs.headers
    )
    assert taken.status_code == 201
