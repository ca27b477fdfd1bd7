"""Report events reach the reporter and its authority; an authority's internal steps do not."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events.models import InboxItem
from precx.reports import service as reports_service
from precx.reports.schemas import ReportCreate
from tests.events.conftest import Deliver, drain, subscribe
from tests.fixtures.builders import Member
from tests.reports.helpers import make_people, report_body


def _inbox(session: Session, member: Member) -> list[tuple[str, str | None]]:
    with session.begin():
        items = session.scalars(
            select(InboxItem).where(InboxItem.user_id == member.user.id).order_by(InboxItem.seq)
        ).all()
        return [(i.topic, i.url) for i in items]


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
    authority = _inbox(session, people.de_authority)
    assert ("report.submitted", page) in authority and ("report.assigned", page) in authority
    reporter = _inbox(session, people.reporter)
    assert ("report.submitted", page) in reporter
    assert [topic for topic, _ in reporter if topic == "report.assigned"] == []
    assert _inbox(session, people.other_company) == []
