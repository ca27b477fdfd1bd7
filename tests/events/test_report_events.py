"""Report events reach the reporter and its authority; an authority's internal steps do not."""

from __future__ import annotations

from sqlalchemy.orm import Session

from precx.reports import service as reports_service
from precx.reports.schemas import ReportCreate
from tests.events.conftest import Deliver, drain, inbox_rows, subscribe
from tests.reports.helpers import make_people, report_body


def test_the_reporter_hears_of_its_report_but_not_of_the_authoritys_assignment(
    session: Session, deliver: Deliver
) -> None:
    people = make_people(session)
    for member in (people.reporter, people.de_authority, people.other_company):
        subscribe(session, member)
    drain(session)
    with session.begin():
        report, _ = reports_service.create_report(
            session, people.reporter.principal, data=ReportCreate.model_validate(report_body())
        )
    with session.begin():
        reports_service.assign_report(
            session, people.de_authority.principal, report.id, user_id=people.de_authority.user.id
        )
    deliver()
    page = f"/reports/{report.id}"
    authority = inbox_rows(session, people.de_authority, "topic", "url")
    assert ("report.submitted", page) in authority and ("report.assigned", page) in authority
    reporter = inbox_rows(session, people.reporter, "topic", "url")
    assert ("report.submitted", page) in reporter
    assert [topic for topic, _ in reporter if topic == "report.assigned"] == []
    assert inbox_rows(session, people.other_company, "topic", "url") == []
