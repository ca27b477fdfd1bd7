"""From the border to the incident: a seizure recorded on a notification opens a linked draft."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events import service as events_service
from precx.incidents import service as incidents_service
from precx.incidents.models import Incident
from precx.kit.problems import NotFound
from precx.notifications import service as notifications_service
from precx.notifications.schemas import CustomsEventIn, ResponseIn
from tests.notifications.helpers import TODAY, begin, notify, people


def test_customs_seizing_a_notified_consignment_opens_a_linked_incident_draft(
    session: Session,
) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    with begin(session):
        notifications_service.respond(
            session, p.kz_authority.principal, n.id, data=ResponseIn(answer="cleared", reason="")
        )  # type: ignore[arg-type]
    for who, kind in ((p.de_customs, "dispatched"), (p.kz_customs, "seized")):
        data = CustomsEventIn.model_validate(
            {"kind": kind, "place": "Khorgos", "occurred_on": TODAY.isoformat()}
        )
        with begin(session):
            notifications_service.record_customs_event(session, who.principal, n.id, data=data)
    with begin(session):
        events_service.deliver_pending(session)
    with begin(session):
        [incident] = session.scalars(select(Incident)).all()
        assert (incident.kind, incident.status) == ("seizure", "draft")
        assert incident.owner_organisation_id == p.kz_customs.org.id
        # The customs office that seized reads the notification, so it sees where the draft
        # came from; an authority of another country sees neither the draft nor the link.
        detail = incidents_service.incident_detail(session, p.kz_customs.principal, incident.id)
        assert [(link.record_type, link.label) for link in detail.links] == [
            ("pre_export_notification", f"Pre-export notification {n.reference}")
        ]
        with pytest.raises(NotFound):
            incidents_service.get_incident(session, p.pl_authority.principal, incident.id)
