"""The reports API: filing, drafts, idempotency, batches, routing and the authority workflow."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precx.events.models import OutboxEvent
from precx.reports import service as reports_service
from precx.reports.models import Report
from tests.reports.helpers import file_report, make_people, report_body


def _count(session: Session) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(Report)) or 0


def test_a_submitted_report_reaches_the_competent_authority_only(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    assert report["status"] == "submitted"
    assert [s["substance_id"] for s in report["substances"]] == ["acetone"]
    assert report["ack_due_at"] is not None and not report["overdue"]
    path = f"/api/v1/reports/{report['id']}"
    assert client.get(path, headers=people.de_authority.headers).status_code == 200
    for outsider in (
        people.de_police,
        people.de_customs,
        people.pl_authority,
        people.other_company,
    ):
        assert client.get(path, headers=outsider.headers).status_code == 404


def test_a_draft_saves_without_counterparty_but_submitting_names_the_missing_field(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    draft = file_report(client, people.reporter, counterparty=None, substances=[], draft=True)
    assert draft["status"] == "draft"
    # A draft stays with the reporter.
    path = f"/api/v1/reports/{draft['id']}"
    assert client.get(path, headers=people.de_authority.headers).status_code == 404
    refused = client.post(f"{path}/submit", headers=people.reporter.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.counterparty"
    body = report_body(counterparty=report_body()["counterparty"], substances=[], draft=True)
    assert client.put(path, json=body, headers=people.reporter.headers).status_code == 200
    refused = client.post(f"{path}/submit", headers=people.reporter.headers)
    assert refused.json()["errors"][0]["field"] == "body.substances"
    done = client.put(path, json=report_body(), headers=people.reporter.headers)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    again = client.put(path, json=report_body(), headers=people.reporter.headers)
    assert again.status_code == 409


def test_submitting_without_substance_changes_nothing(session: Session, client: TestClient) -> None:
    people = make_people(session)
    answer = client.post(
        "/api/v1/reports", json=report_body(substances=[]), headers=people.reporter.headers
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "body.substances", "message": "at least one substance is required to submit"}
    ]
    assert _count(session) == 0


def test_unknown_substance_and_red_flag_are_named(session: Session, client: TestClient) -> None:
    people = make_people(session)
    bad = report_body(substances=[{"substance": "acetone"}, {"substance": "unobtainium-xyz"}])
    answer = client.post("/api/v1/reports", json=bad, headers=people.reporter.headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.substances.1.substance"
    bad = report_body(red_flags=["PAYMENT_UNUSUAL", "MADE_UP"])
    answer = client.post("/api/v1/reports", json=bad, headers=people.reporter.headers)
    assert answer.json()["errors"][0]["field"] == "body.red_flags.1"
    assert _count(session) == 0


def test_the_same_idempotency_key_gives_one_report(session: Session, client: TestClient) -> None:
    people = make_people(session)
    headers = {**people.reporter.headers, "Idempotency-Key": "order-SO-1-attempt"}
    first = client.post("/api/v1/reports", json=report_body(), headers=headers)
    second = client.post("/api/v1/reports", json=report_body(), headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert _count(session) == 1
    # Another organisation may use the same key for its own report.
    other = {**people.other_company.headers, "Idempotency-Key": "order-SO-1-attempt"}
    assert client.post("/api/v1/reports", json=report_body(), headers=other).status_code == 201
    assert _count(session) == 2


def test_concurrent_retries_with_one_key_make_one_report(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    headers = {**people.reporter.headers, "Idempotency-Key": "concurrent-1"}
    ids: list[int] = []

    def post() -> None:
        answer = client.post("/api/v1/reports", json=report_body(), headers=headers)
        assert answer.status_code in (200, 201), answer.text
        ids.append(answer.json()["id"])

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1 and len(ids) == 4
    assert _count(session) == 1


def test_a_batch_is_all_or_nothing_and_names_index_and_field(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    batch = {"reports": [report_body(), report_body(), report_body(counterparty=None)]}
    answer = client.post("/api/v1/reports/batch", json=batch, headers=people.reporter.headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.reports.2.counterparty"
    assert _count(session) == 0
    batch = {"reports": [report_body(), report_body(kind="suspicious_transaction")]}
    answer = client.post("/api/v1/reports/batch", json=batch, headers=people.reporter.headers)
    assert answer.status_code == 201
    assert [r["kind"] for r in answer.json()["items"]] == [
        "suspicious_order",
        "suspicious_transaction",
    ]
    assert _count(session) == 2


def test_authorities_and_other_kinds_do_not_file_reports(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    answer = client.post("/api/v1/reports", json=report_body(), headers=people.de_authority.headers)
    assert answer.status_code == 403
    assert (
        client.post(
            "/api/v1/reports",
            json=report_body(kind="suspicious_consignment"),
            headers=people.carrier.headers,
        ).status_code
        == 201
    )


def test_the_workflow_acknowledge_ask_answer_refer_close(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    path = f"/api/v1/reports/{report['id']}"
    authority, reporter = people.de_authority.headers, people.reporter.headers
    # The reporter cannot work on its own report as an authority.
    assert client.post(f"{path}/acknowledge", headers=reporter).status_code == 403
    answer = client.post(f"{path}/acknowledge", headers=authority)
    assert answer.status_code == 200 and answer.json()["status"] == "acknowledged"
    again = client.post(f"{path}/acknowledge", headers=authority)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "body.status"
    asked = client.post(
        f"{path}/messages", json={"body": "Who is the end user?"}, headers=authority
    )
    assert asked.status_code == 201 and asked.json()["kind"] == "request"
    note = {"body": "Same buyer as case 17.", "kind": "note"}
    assert client.post(f"{path}/messages", json=note, headers=authority).status_code == 201
    answered = client.post(f"{path}/messages", json={"body": "A paint shop."}, headers=reporter)
    assert answered.json()["kind"] == "answer"
    bad = client.post(f"{path}/messages", json={"body": "x", "kind": "note"}, headers=reporter)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.kind"
    # The internal note is for authorities only.
    seen = [m["kind"] for m in client.get(f"{path}/messages", headers=reporter).json()]
    assert seen == ["request", "answer"]
    seen = [m["kind"] for m in client.get(f"{path}/messages", headers=authority).json()]
    assert seen == ["request", "note", "answer"]
    # Assignment is internal too.
    officer = people.de_authority.user.id
    assigned = client.post(f"{path}/assign", json={"user_id": officer}, headers=authority)
    assert assigned.json()["assigned_to_id"] == officer
    assert client.get(path, headers=reporter).json()["assigned_to_id"] is None
    wrong = client.post(
        f"{path}/assign", json={"user_id": people.reporter.user.id}, headers=authority
    )
    assert wrong.status_code == 422
    # Referral widens the readers: the police reads it from now on.
    assert client.get(path, headers=people.de_police.headers).status_code == 404
    bad_target = client.post(
        f"{path}/refer", json={"organisation_id": people.other_company.org.id}, headers=authority
    )
    assert bad_target.status_code == 422
    referred = client.post(
        f"{path}/refer", json={"organisation_id": people.de_police.org.id}, headers=authority
    )
    assert referred.json()["status"] == "referred"
    assert client.get(path, headers=people.de_police.headers).status_code == 200
    # The police may ask the reporter too; the reporter is not told who asks (no tipping-off
    # about the referral), while the authorities see every author.
    police_asks = {"body": "Has the buyer collected before?"}
    posted = client.post(f"{path}/messages", json=police_asks, headers=people.de_police.headers)
    assert posted.status_code == 201
    authors = {
        m["body"]: m["author_organisation_id"]
        for m in client.get(f"{path}/messages", headers=reporter).json()
    }
    assert authors["Has the buyer collected before?"] is None
    assert authors["Who is the end user?"] is None
    assert authors["A paint shop."] == people.reporter.org.id
    insiders = {
        m["body"]: m["author_organisation_id"]
        for m in client.get(f"{path}/messages", headers=authority).json()
    }
    assert insiders["Has the buyer collected before?"] == people.de_police.org.id
    assert insiders["Who is the end user?"] == people.de_authority.org.id
    closed = client.post(
        f"{path}/close",
        json={"outcome": "investigation_opened", "message": "Thank you, very useful."},
        headers=authority,
    )
    assert closed.json()["status"] == "closed"
    mine = client.get(path, headers=reporter).json()
    assert mine["outcome"] == "investigation_opened"
    assert mine["feedback_message"] == "Thank you, very useful."
    after = client.post(f"{path}/status", json={"status": "under_review"}, headers=authority)
    assert after.status_code == 409
    steps = [s["to_status"] for s in client.get(f"{path}/timeline", headers=reporter).json()]
    assert steps == ["draft", "submitted", "acknowledged", "referred", "closed"]
    # The reporter is not told whom the report went to; the authority is.
    assert all(
        s["referred_to"] is None for s in client.get(f"{path}/timeline", headers=reporter).json()
    )
    assert any(s["referred_to"] for s in client.get(f"{path}/timeline", headers=authority).json())
    summary = client.get("/api/v1/reports/summary", headers=reporter).json()
    assert summary["by_status"]["closed"] == 1
    assert summary["by_outcome"] == {"investigation_opened": 1}


def test_every_change_writes_an_event_with_the_payload_convention(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    path = f"/api/v1/reports/{report['id']}"
    client.post(f"{path}/acknowledge", headers=people.de_authority.headers)
    client.post(f"{path}/messages", json={"body": "?"}, headers=people.de_authority.headers)
    client.post(f"{path}/feedback", json={"message": "Noted."}, headers=people.de_authority.headers)
    with session.begin():
        events = session.scalars(
            select(OutboxEvent).where(OutboxEvent.record_type == "report").order_by(OutboxEvent.id)
        ).all()
        topics = [e.topic for e in events]
        assert topics == [
            "report.submitted",
            "report.acknowledged",
            "report.message_posted",
            "report.feedback",
        ]
        for event in events:
            assert event.record_id == str(report["id"])
            assert event.organisation_id == people.reporter.org.id
            assert {"title", "kind", "substances", "countries", "severity"} <= set(event.payload)
        submitted = events[0].payload
        assert (
            submitted["substances"] == ["Acetone"]
            or submitted["substances"][0].lower() == "acetone"
        )
        assert submitted["countries"] == ["DE", "KZ", "RU"]
        assert submitted["severity"] in ("low", "medium", "high")


def test_routing_settings_forward_to_police_and_customs_and_set_the_deadline(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    analyst_may_not = client.put(
        "/api/v1/reports/routing-settings",
        json={"forward_to_law_enforcement": True},
        headers=people.de_authority.headers,
    )
    assert analyst_may_not.status_code == 403
    from precx.accounts.principal import Role
    from tests.fixtures.builders import make_member

    with session.begin():
        admin = make_member(session, people.de_authority.org, Role.admin)
    saved = client.put(
        "/api/v1/reports/routing-settings",
        json={
            "forward_to_law_enforcement": True,
            "forward_to_customs": True,
            "ack_working_days": 5,
        },
        headers=admin.headers,
    )
    assert saved.status_code == 200
    report = file_report(client, people.reporter)
    path = f"/api/v1/reports/{report['id']}"
    assert client.get(path, headers=people.de_police.headers).status_code == 200
    assert client.get(path, headers=people.de_customs.headers).status_code == 200
    assert client.get(path, headers=people.pl_police.headers).status_code == 404
    submitted = datetime.fromisoformat(report["submitted_at"])
    due = datetime.fromisoformat(report["ack_due_at"])
    assert due == reports_service.add_working_days(submitted, 5)


def test_working_days_skip_weekends() -> None:
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert reports_service.add_working_days(friday, 2) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert reports_service.add_working_days(saturday, 1) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_overdue_reports_are_marked_and_filtered(session: Session, client: TestClient) -> None:
    people = make_people(session)
    late = file_report(client, people.reporter)
    file_report(client, people.reporter)
    with session.begin():
        row = session.get(Report, late["id"])
        assert row is not None
        row.ack_due_at = datetime(2020, 1, 1, tzinfo=UTC)
    queue = client.get(
        "/api/v1/reports", params={"overdue": "true"}, headers=people.de_authority.headers
    ).json()
    assert [r["id"] for r in queue["items"]] == [late["id"]]
    assert queue["items"][0]["overdue"] is True
    count = client.get(
        "/api/v1/reports/count", params={"overdue": "false"}, headers=people.de_authority.headers
    )
    assert count.json() == {"count": 1}
    assert (
        client.get("/api/v1/reports/summary", headers=people.de_authority.headers).json()["overdue"]
        == 1
    )


def test_the_queue_filters_by_substance_country_red_flag_status_and_sorts(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    a = file_report(client, people.reporter)
    b = file_report(
        client,
        people.reporter,
        substances=[{"substance": "toluene", "quantity": 20, "unit": "l"}],
        counterparty={"name": "Alpha Paints", "country": "PL"},
        red_flags=["NEW_CUSTOMER"],
    )
    authority = people.de_authority.headers

    def ids(**params: object) -> list[int]:
        return [
            r["id"]
            for r in client.get("/api/v1/reports", params=params, headers=authority).json()["items"]
        ]

    assert ids(substance="toluene") == [b["id"]]
    assert ids(substance="67-64-1") == [a["id"]]
    assert ids(country="PL") == [b["id"]]
    assert ids(red_flag="PAYMENT_UNUSUAL") == [a["id"]]
    assert ids(status="submitted", sort="counterparty_name") == [b["id"], a["id"]]
    assert ids(status="closed") == []
    assert ids(min_age_days=3) == []
    assert (
        client.get("/api/v1/reports", params={"red_flag": "a%"}, headers=authority).status_code
        == 422
    )


def test_the_queue_exports_as_csv_xlsx_and_a_report_as_pdf(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    authority = people.de_authority.headers
    csv_text = client.get("/api/v1/reports/export.csv", headers=authority).text
    assert "Romashka Trading LLC" in csv_text and "TLP:AMBER" in csv_text
    xlsx = client.get("/api/v1/reports/export.xlsx", headers=authority)
    assert xlsx.content.startswith(b"PK")
    pdf = client.get(f"/api/v1/reports/{report['id']}/pdf", headers=authority)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("attachment")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_attachments_are_checked_by_their_bytes_and_served_as_downloads(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    path = f"/api/v1/reports/{report['id']}/attachments"
    headers = people.reporter.headers
    posted = client.post(
        path, files={"file": ("photo of drums.png", PNG, "text/html")}, headers=headers
    )
    assert posted.status_code == 201
    stored = posted.json()
    assert stored["content_type"] == "image/png" and stored["filename"] == "photo_of_drums.png"
    html = client.post(
        path,
        files={"file": ("x.txt", b"<html><script>alert(1)</script>", "text/plain")},
        headers=headers,
    )
    assert html.status_code == 422 and html.json()["errors"][0]["field"] == "file"
    exe = client.post(
        path, files={"file": ("x.pdf", b"MZ\x90\x00", "application/pdf")}, headers=headers
    )
    assert exe.status_code == 422
    text = client.post(
        path, files={"file": ("notes.txt", b"Call log", "text/plain")}, headers=headers
    )
    assert text.json()["content_type"].startswith("text/plain")
    download = client.get(f"{path}/{stored['id']}", headers=people.de_authority.headers)
    assert download.content == PNG
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    listed = client.get(path, headers=people.de_authority.headers).json()
    assert [a["filename"] for a in listed] == ["photo_of_drums.png", "notes.txt"]
    # The authority does not attach to the reporter's report.
    assert (
        client.post(
            path, files={"file": ("a.png", PNG, "image/png")}, headers=people.de_authority.headers
        ).status_code
        == 403
    )


def test_an_oversize_attachment_is_refused_with_the_limit_named(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    report = file_report(client, people.reporter)
    limit = client.app.state.settings.attachment_max_bytes  # type: ignore[attr-defined]
    big = b"%PDF-" + b"0" * limit
    answer = client.post(
        f"/api/v1/reports/{report['id']}/attachments",
        files={"file": ("big.pdf", big, "application/pdf")},
        headers=people.reporter.headers,
    )
    assert answer.status_code == 422
    assert "10 MB" in answer.json()["detail"] and str(limit) in answer.json()["detail"]
    assert (
        client.get(
            f"/api/v1/reports/{report['id']}/attachments", headers=people.reporter.headers
        ).json()
        == []
    )


def test_red_flags_come_from_the_screening_rule_catalogue(
    session: Session, client: TestClient
) -> None:
    people = make_people(session)
    flags = client.get("/api/v1/reports/red-flags", headers=people.reporter.headers).json()
    codes = {f["code"] for f in flags}
    assert {"WATCHLIST_HIT", "PAYMENT_UNUSUAL", "SPLIT_ORDERS"} <= codes
