"""A notification made by hand for a registered exporter: the exporter hears of it, nobody else
of industry does."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.events.conftest import Deliver, drain, inbox_rows, subscribe
from tests.notifications.helpers import notify, people


def test_the_named_exporter_hears_its_export_was_notified(
    session: Session, deliver: Deliver
) -> None:
    p = people(session)
    for member in (p.exporter, p.other_industry, p.de_authority):
        subscribe(session, member)
    drain(session)
    n = notify(session, p.de_authority, exporter_organisation_id=p.exporter.org.id)
    deliver()
    heard = inbox_rows(session, p.exporter, "topic", "title")
    assert ("export_application.recorded", f"Your export to KZ was notified as {n.reference}") in (
        heard
    )
    # Status only: the notification's own event is the authorities'.
    assert [topic for topic, _ in heard if topic.startswith("notification.")] == []
    assert inbox_rows(session, p.other_industry, "topic", "title") == []
    # The authority that sent it hears of its notification, not of the exporter's copy.
    authority = [topic for (topic,) in inbox_rows(session, p.de_authority, "topic")]
    assert "notification.sent" in authority and "export_application.recorded" not in authority
