"""A customs stop or seizure on a notification drafts a linked incident, once per event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.events import service as events_service
from precx.incidents import service as incidents_service
from precx.incidents.models import Incident, IncidentParty, IncidentSubstance, RecordLink
from tests.incidents.conftest import YESTERDAY, Cast


def stopped_event(cast: Cast, customs_event_id: int = 41, kind: str = "seized") -> dict[str, Any]:
    return {
        "title": "Consignment seized at Hamburg",
        "kind": kind,
        "notification_id": 7,
        "reference": "PEN-DE-2026-0007",
        "customs_event_id": customs_event_id,
        "place": "Hamburg Waltershof",
        "country": "DE",
        "occurred_on": YESTERDAY.isoformat(),
        "substances": ["Potassium permanganate"],
        "substance_lines": [
            {
                "substance_id": "potassium-permanganate",
                "name": "Potassium permanganate",
                "quantity": "500",
                "unit": "kg",
            }
        ],
        "exporter": {"name": "Elbe Chemie Export GmbH", "country": "DE"},
        "importer": {"name": "Andes Quimica SAC", "country": "PE"},
        "countries": ["DE", "PE"],
        "severity": "high",
        "recorded_by_user_id": cast.customs.user.id,
    }


def emit(session: Session, cast: Cast, payload: dict[str, Any]) -> None:
    with session.begin():
        events_service.emit(
            session,
            "notification.consignment_stopped",
            record_type="pre_export_notification",
            record_id=payload["notification_id"],
            organisation_id=cast.customs.org.id,
            payload=payload,
        )
    with session.begin():
        events_service.deliver_pending(session)


def test_a_seizure_drafts_one_linked_incident(session: Session, cast: Cast) -> None:
    assert incidents_service.LINK_RESOLVERS  # the handler registers when the service loads
    payload = stopped_event(cast)
    emit(session, cast, payload)
    emit(session, cast, payload)  # delivered again (at least once): still one incident
    with session.begin():
        [incident] = session.scalars(select(Incident)).all()
        assert (incident.kind, incident.status) == ("seizure", "draft")
        assert incident.owner_organisation_id == cast.customs.org.id
        assert incident.created_by_id == cast.customs.user.id
        assert (
            incident.distribution.value == "country_authorities" and incident.tlp.value == "amber"
        )
        parties = session.scalars(select(IncidentParty).order_by(IncidentParty.id)).all()
        assert [(p.value, p.role) for p in parties] == [
            ("Elbe Chemie Export GmbH", "exporter"),
            ("Andes Quimica SAC", "importer"),
        ]
        [line] = session.scalars(select(IncidentSubstance)).all()
        assert (line.substance_id, line.quantity, line.unit) == (
            "potassium-permanganate",
            500.0,
            "kg",
        )
        [link] = session.scalars(select(RecordLink)).all()
        assert (link.to_type, link.to_id) == ("pre_export_notification", 7)
    # The police of the country see the draft, but not a notification they may not read
    # (here one that does not exist): the link is only counted.
    with session.begin():
        detail = incidents_service.incident_detail(session, cast.police.principal, incident.id)
        assert detail.links == [] and detail.hidden_links == 1
    emit(session, cast, stopped_event(cast, customs_event_id=42, kind="stopped"))
    with session.begin():
        kinds = session.scalars(select(Incident.kind).order_by(Incident.id)).all()
        assert kinds == ["seizure", "stopped_shipment"]
