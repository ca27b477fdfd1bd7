"""Who sees a report: the reporting organisation (a reporter-role user only its own), the
competent authority of its country, and whoever it is referred to, from the referral on.
Everyone else gets 404 everywhere: list, detail, messages, timeline, attachments, downloads,
count, exports and PDF, through the API and the web pages."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.fixtures.builders import Member
from tests.reports.helpers import file_report, make_people
from tests.reports.test_views import log_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _exported_ids(text: str) -> set[int]:
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def _reads(client: TestClient, member: Member, report_id: int, attachment_id: int) -> list[int]:
    """Status codes of every way to read the report, its messages and attachments."""
    base = f"/api/v1/reports/{report_id}"
    h = member.headers
    return [
        client.get(base, headers=h).status_code,
        client.get(f"{base}/messages", headers=h).status_code,
        client.get(f"{base}/timeline", headers=h).status_code,
        client.get(f"{base}/attachments", headers=h).status_code,
        client.get(f"{base}/attachments/{attachment_id}", headers=h).status_code,
        client.get(f"{base}/pdf", headers=h).status_code,
        client.post(f"{base}/messages", json={"body": "hello"}, headers=h).status_code,
    ]


def _listed(client: TestClient, member: Member, report_id: int) -> bool:
    h = member.headers
    items = client.get("/api/v1/reports", headers=h).json()["items"]
    count = client.get("/api/v1/reports/count", headers=h).json()["count"]
    exported = _exported_ids(client.get("/api/v1/reports/export.csv", headers=h).text)
    summary = client.get("/api/v1/reports/summary", headers=h).json()["total"]
    in_list = report_id in {i["id"] for i in items}
    assert in_list == (count > 0) == (report_id in exported) == (summary > 0)
    return in_list


def test_outsiders_never_see_a_report_its_messages_or_attachments(
    session: Session, client: TestClient, app: FastAPI
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    rid = report["id"]
    attachment = client.post(
        f"/api/v1/reports/{rid}/attachments",
        files={"file": ("a.png", PNG, "image/png")},
        headers=people.reporter.headers,
    ).json()
    client.post(
        f"/api/v1/reports/{rid}/messages",
        json={"body": "Question"},
        headers=people.de_authority.headers,
    )
    for insider in (people.reporter, people.de_authority):
        assert _reads(client, insider, rid, attachment["id"])[:6] == [200] * 6
        assert _listed(client, insider, rid)
    outsiders = (
        people.other_company,
        people.pl_authority,
        people.colleague_reporter,
        people.de_police,
        people.de_customs,
        people.carrier,
    )
    for outsider in outsiders:
        assert _reads(client, outsider, rid, attachment["id"]) == [404] * 7, outsider.org.name
        assert not _listed(client, outsider, rid)
        web = log_in(app, outsider)
        for path in (
            f"/reports/{rid}",
            f"/reports/{rid}/edit",
            f"/reports/{rid}/pdf",
            f"/reports/{rid}/attachments/{attachment['id']}",
        ):
            assert web.get(path).status_code == 404, (outsider.org.name, path)
        assert "Romashka" not in web.get("/reports").text
        assert "Romashka" not in web.get("/reports/export.csv").text


def test_an_attachment_is_reached_only_through_its_own_report(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    mine = file_report(client, people.reporter)
    theirs = file_report(client, people.other_company)
    secret = client.post(
        f"/api/v1/reports/{theirs['id']}/attachments",
        files={"file": ("theirs.png", PNG, "image/png")},
        headers=people.other_company.headers,
    ).json()
    # The reporter reads its own report, but not another's attachment through it.
    answer = client.get(
        f"/api/v1/reports/{mine['id']}/attachments/{secret['id']}", headers=people.reporter.headers
    )
    assert answer.status_code == 404


def test_the_police_reads_a_report_only_after_it_is_referred(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    rid = report["id"]
    attachment = client.post(
        f"/api/v1/reports/{rid}/attachments",
        files={"file": ("a.png", PNG, "image/png")},
        headers=people.reporter.headers,
    ).json()
    assert _reads(client, people.pl_police, rid, attachment["id"])[:6] == [404] * 6
    referred = client.post(
        f"/api/v1/reports/{rid}/refer",
        json={"organisation_id": people.pl_police.org.id, "reason": "Buyer active in PL"},
        headers=people.de_authority.headers,
    )
    assert referred.status_code == 200
    assert _reads(client, people.pl_police, rid, attachment["id"])[:6] == [200] * 6
    assert _listed(client, people.pl_police, rid)
    # Only the police force it was referred to; not its neighbours.
    assert _reads(client, people.de_police, rid, attachment["id"])[:6] == [404] * 6


def test_a_reporter_role_user_sees_only_the_reports_it_filed(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    colleagues = file_report(client, people.reporter)
    own = file_report(client, people.colleague_reporter)
    h = people.colleague_reporter.headers
    assert client.get(f"/api/v1/reports/{own['id']}", headers=h).status_code == 200
    assert client.get(f"/api/v1/reports/{colleagues['id']}", headers=h).status_code == 404
    assert [i["id"] for i in client.get("/api/v1/reports", headers=h).json()["items"]] == [
        own["id"]
    ]
    # The analyst of the same company sees both.
    ids = {
        i["id"]
        for i in client.get("/api/v1/reports", headers=people.reporter.headers).json()["items"]
    }
    assert ids == {own["id"], colleagues["id"]}
