"""The reports service on its own: file types proven by bytes, the one-line summary, and
events of internal changes addressed to the authority, not the reporter."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events.models import OutboxEvent
from precx.kit.problems import InvalidInput
from precx.kit.tabular import to_xlsx
from precx.reports import service as reports_service
from tests.reports.helpers import file_report, make_people


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_attachment_types_are_proven_by_their_bytes() -> None:
    xlsx = to_xlsx(["a"], [{"a": 1}])
    assert reports_service.attachment_type(xlsx)[1] == ".xlsx"
    docx = _zip("[Content_Types].xml", "word/document.xml")
    assert reports_service.attachment_type(docx)[1] == ".docx"
    assert reports_service.attachment_type(b"\xff\xd8\xff\xe0JFIF")[0] == "image/jpeg"
    assert reports_service.attachment_type(b"%PDF-1.7\n")[0] == "application/pdf"
    assert reports_service.attachment_type("Zeuge: Herr Müller".encode())[1] == ".txt"
    for refused in (
        _zip("payload.exe"),
        b"<!doctype html><p>hi",
        b"  <svg onload=alert(1)>",
        b"\x00\x01binary",
        b"\xff\xfe\x00bad utf",
    ):
        with pytest.raises(InvalidInput) as caught:
            reports_service.attachment_type(refused)
        assert caught.value.errors[0].field == "file"


def test_the_summary_is_one_line_naming_kind_counterparty_and_country(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    with session.begin():
        found = reports_service.get_report(session, people.de_authority.principal, report["id"])
        line = reports_service.report_summary(found)
    assert line == f"Suspicious order or enquiry #{report['id']}: Romashka Trading LLC (RU)"
    assert "\n" not in line


def test_internal_changes_are_addressed_to_the_authority_and_marked_internal(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    path = f"/api/v1/reports/{report['id']}"
    authority = people.de_authority.headers
    client.post(f"{path}/messages", json={"body": "n", "kind": "note"}, headers=authority)
    client.post(f"{path}/assign", json={"user_id": people.de_authority.user.id}, headers=authority)
    with session.begin():
        internal = session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic.in_(["report.note_added", "report.assigned"])
            )
        ).all()
        assert len(internal) == 2
        for event in internal:
            assert event.organisation_id == people.de_authority.org.id
            assert event.payload["internal"] is True
