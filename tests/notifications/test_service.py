"""Notifications as the services make them: sending, answers, deadlines, customs, checks."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from precx.accounts.principal import OrgStatus
from precx.catalog import service as catalog_service
from precx.catalog.schemas import PenRequirementSet
from precx.cli import app as cli
from precx.config import Settings, get_settings
from precx.events.models import OutboxEvent
from precx.kit.problems import Conflict, DomainError, InvalidInput
from precx.licensing import service as licensing_service
from precx.licensing.schemas import RequirementSet
from precx.notifications import service as notifications_service
from precx.notifications.models import NotificationResponse, PreExportNotification
from precx.notifications.schemas import (
    ApplicationCreate,
    CountrySettingIn,
    CustomsEventIn,
    NotificationAmend,
    ResponseIn,
    Withdrawal,
)
from precx.sharing.models import RoutedReader
from tests.fixtures.builders import Member
from tests.notifications.helpers import TODAY, apply, begin, consignment, notify, people, send


def _events(session: Session, topic: str) -> list[OutboxEvent]:
    return list(
        session.scalars(
            select(OutboxEvent).where(OutboxEvent.topic == topic).order_by(OutboxEvent.id)
        ).all()
    )


def _respond(session: Session, who: Member, nid: int, answer: str, reason: str = "") -> None:
    with begin(session):
        notifications_service.respond(
            session, who.principal, nid, data=ResponseIn(answer=answer, reason=reason)
        )  # type: ignore[arg-type]


def _customs(session: Session, who: Member, nid: int, kind: str, **more: Any) -> int:
    data = CustomsEventIn.model_validate(
        {
            "kind": kind,
            "place": more.pop("place", "Frankfurt (Oder)"),
            "occurred_on": more.pop("occurred_on", TODAY.isoformat()),
            **more,
        }
    )
    with begin(session):
        return notifications_service.record_customs_event(session, who.principal, nid, data=data).id


def _field_of(exc: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return [e.field for e in exc.value.errors]


def test_an_application_becomes_a_notification_routed_to_the_importing_side(
    session: Session,
) -> None:
    p = people(session)
    application_id = apply(session, p.exporter)
    n = send(session, p.de_authority, application_id)
    assert re.fullmatch(rf"PEN-DE-{TODAY.year}-000001", n.reference)
    assert n.status == "sent" and n.exporter_organisation_id == p.exporter.org.id
    assert n.reply_deadline - n.sent_at == timedelta(days=15)
    readers = dict(
        session.execute(
            select(RoutedReader.organisation_id, RoutedReader.reason).where(
                RoutedReader.record_type == "pre_export_notification",
                RoutedReader.record_id == n.id,
            )
        ).all()
    )
    assert set(readers) == {p.kz_authority.org.id, p.kz_customs.org.id, p.de_customs.org.id}
    second = notify(session, p.de_authority)
    assert second.reference.endswith("-000002")
    sent = _events(session, "notification.sent")
    assert sent[0].organisation_id == p.de_authority.org.id
    assert sent[0].payload["substances"] == ["Ephedrine"] or sent[0].payload["substances"]
    assert sent[0].payload["countries"] == ["DE", "KZ", "PL"]
    assert {"title", "kind", "severity"} <= set(sent[0].payload)
    read = notifications_service.get_application(session, p.exporter.principal, application_id)
    described = notifications_service.describe_application(session, read)
    assert described.notification is not None and described.notification.exporter_status == "sent"


def test_transit_countries_that_ask_receive_copies(session: Session) -> None:
    p = people(session)
    with begin(session):
        notifications_service.set_country_setting(
            session, p.pl_authority.principal, data=CountrySettingIn(transit_copies=True)
        )
        notifications_service.set_country_setting(
            session, p.kz_authority.principal, data=CountrySettingIn(reply_days=10)
        )
    n = notify(session, p.de_authority)
    assert n.reply_deadline - n.sent_at == timedelta(days=10)
    readers = set(
        session.scalars(
            select(RoutedReader.organisation_id).where(
                RoutedReader.record_id == n.id,
                RoutedReader.record_type == "pre_export_notification",
            )
        )
    )
    assert {p.pl_authority.org.id, p.pl_customs.org.id} <= readers


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines": [{"substance": "unobtainium", "quantity": 1}]}, "body.lines.0.substance"),
        ({"lines": [{"substance": "ephedrine", "quantity": 5, "unit": "l"}]}, "body.lines.0.unit"),
        ({"dispatch_date": (TODAY - timedelta(days=1)).isoformat()}, "body.dispatch_date"),
        ({"importer_country": "DE"}, "body.importer_country"),
        ({"kind": "voluntary"}, "body.lines.0.substance"),
        ({"lines": [{"substance": "benzaldehyde", "quantity": 5}]}, "body.lines.0.substance"),
        ({"kind": "simplified"}, "body.period_months"),
        ({"transit_countries": ["KZ"]}, "body.transit_countries.0"),
    ],
)
def test_bad_applications_are_refused_naming_the_field(
    session: Session, changes: dict[str, Any], field: str
) -> None:
    p = people(session)
    with pytest.raises(InvalidInput) as exc, begin(session):
        notifications_service.submit_application(
            session,
            p.exporter.principal,
            data=ApplicationCreate.model_validate(consignment(**changes)),
        )
    assert field in _field_of(exc)
    assert session.scalar(select(func.count()).select_from(PreExportNotification)) == 0


def test_voluntary_notifications_are_for_watched_substances(session: Session) -> None:
    p = people(session)
    n = notify(
        session,
        p.de_authority,
        kind="voluntary",
        lines=[{"substance": "benzaldehyde", "quantity": 500, "unit": "l"}],
    )
    assert n.kind == "voluntary"
    assert n.lines[0]["quantity_kg"] == pytest.approx(520.0)


def test_objection_needs_a_reason_and_nothing_follows_a_withdrawal(session: Session) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    with pytest.raises(InvalidInput) as exc:
        _respond(session, p.kz_authority, n.id, "objected")
    assert _field_of(exc) == ["body.reason"]
    with pytest.raises(DomainError):  # not the importing country
        _respond(session, p.pl_authority, n.id, "cleared")
    with begin(session):
        notifications_service.withdraw_notification(
            session, p.de_authority.principal, n.id, data=Withdrawal(reason="Order cancelled")
        )
    with pytest.raises(InvalidInput) as exc:
        _respond(session, p.kz_authority, n.id, "cleared")
    assert _field_of(exc) == ["body.answer"]
    assert session.scalar(select(func.count()).select_from(NotificationResponse)) == 0


def test_amendments_are_kept_as_history(session: Session) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    later = TODAY + timedelta(days=30)
    with begin(session):
        notifications_service.amend_notification(
            session,
            p.de_authority.principal,
            n.id,
            data=NotificationAmend(reason="Ship later", dispatch_date=later),
        )
    read = notifications_service.describe(
        session,
        p.kz_authority.principal,
        notifications_service.get_notification(session, p.kz_authority.principal, n.id),
    )
    assert read.dispatch_date == later
    assert read.amendments[0].changes["dispatch_date"]["to"] == later.isoformat()
    with pytest.raises(InvalidInput) as exc, begin(session):
        notifications_service.amend_notification(
            session,
            p.de_authority.principal,
            n.id,
            data=NotificationAmend(reason="x", dispatch_date=TODAY - timedelta(days=1)),
        )
    assert _field_of(exc) == ["body.dispatch_date"]


def test_two_concurrent_answers_record_exactly_one(
    session: Session, factory: sessionmaker[Session]
) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    outcome: dict[str, object] = {}

    def second_answer() -> None:
        try:
            with factory() as other, other.begin():
                notifications_service.respond(
                    other,
                    p.kz_authority.principal,
                    n.id,
                    data=ResponseIn(answer="objected", reason="Importer unknown"),
                )
            outcome["second"] = "recorded"
        except Conflict as exc:
            outcome["second"] = exc

    with factory() as first, first.begin():
        # The first answer is written but not committed when the second one starts: on
        # PostgreSQL the second reads the old version and its UPDATE waits for the first
        # commit, then matches no row; on SQLite the second waits to begin and then sees
        # the answer. Either way it is refused.
        notifications_service.respond(
            first, p.kz_authority.principal, n.id, data=ResponseIn(answer="cleared")
        )
        thread = threading.Thread(target=second_answer)
        thread.start()
        time.sleep(0.5)
    thread.join(timeout=30)
    assert isinstance(outcome["second"], Conflict)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(NotificationResponse)) == 1
    assert session.get(PreExportNotification, n.id).status == "cleared"  # type: ignore[union-attr]


def test_the_deadline_passes_with_reminders_then_no_response(session: Session) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    deadline = n.reply_deadline
    with begin(session):
        early = notifications_service.sweep_deadlines(session, now=deadline - timedelta(days=5))
    assert early == notifications_service.SweepResult(reminders=0, no_response=0)
    with begin(session):
        three = notifications_service.sweep_deadlines(
            session, now=deadline - timedelta(days=2, hours=23)
        )
        again = notifications_service.sweep_deadlines(session, now=deadline - timedelta(days=2))
    assert (three.reminders, again.reminders) == (1, 0)
    with begin(session):
        one = notifications_service.sweep_deadlines(session, now=deadline - timedelta(hours=20))
    assert one.reminders == 1
    reminders = _events(session, "notification.reminder")
    assert [e.payload["days_left"] for e in reminders] == [3, 1]
    assert {e.organisation_id for e in reminders} == {p.kz_authority.org.id}
    with begin(session):
        late = notifications_service.sweep_deadlines(session, now=deadline + timedelta(minutes=1))
    assert late == notifications_service.SweepResult(reminders=0, no_response=1)
    session.expire_all()
    assert session.get(PreExportNotification, n.id).status == "no_response"  # type: ignore[union-attr]
    assert len(_events(session, "notification.no_response")) == 1
    application = notifications_service.exporter_status(session.get(PreExportNotification, n.id))  # type: ignore[arg-type]
    assert application == "no_response"
    with pytest.raises(Conflict):
        _respond(session, p.kz_authority, n.id, "cleared")


def test_customs_record_the_consignment_in_order(session: Session) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    with pytest.raises(InvalidInput) as exc:
        _customs(session, p.de_customs, n.id, "dispatched")
    assert _field_of(exc) == ["body.kind"]  # not cleared yet
    _respond(session, p.kz_authority, n.id, "cleared")
    with pytest.raises(InvalidInput) as exc:
        _customs(session, p.kz_customs, n.id, "arrived", place="Khorgos")
    assert (
        "arrived before dispatched" in _field_of(exc)[0]
        or exc.value.errors[0].message == "arrived before dispatched"
    )
    with pytest.raises(InvalidInput):
        _customs(session, p.kz_customs, n.id, "dispatched")  # importing customs do not dispatch
    with pytest.raises(InvalidInput) as exc:
        _customs(
            session,
            p.de_customs,
            n.id,
            "dispatched",
            occurred_on=(TODAY + timedelta(days=1)).isoformat(),
        )
    assert _field_of(exc) == ["body.occurred_on"]
    _customs(session, p.de_customs, n.id, "dispatched")
    _customs(session, p.de_customs, n.id, "released_at_exit")
    with pytest.raises(InvalidInput) as exc:
        _customs(session, p.kz_customs, n.id, "released_at_entry", place="Khorgos")
    assert exc.value.errors[0].message == "released_at_entry before arrived"
    _customs(
        session,
        p.kz_customs,
        n.id,
        "arrived",
        place="Khorgos",
        quantities=[{"substance": "ephedrine", "quantity": 120}],
    )
    _customs(session, p.kz_customs, n.id, "released_at_entry", place="Khorgos")
    read = notifications_service.describe(
        session,
        p.de_authority.principal,
        notifications_service.get_notification(session, p.de_authority.principal, n.id),
    )
    assert [e.kind for e in read.customs_events] == [
        "dispatched",
        "released_at_exit",
        "arrived",
        "released_at_entry",
    ]
    assert (
        notifications_service.exporter_status(session.get(PreExportNotification, n.id)) == "arrived"
    )  # type: ignore[arg-type]


def test_a_seizure_alerts_both_authorities_and_opens_the_incident_event(session: Session) -> None:
    p = people(session)
    n = notify(session, p.de_authority)
    _respond(session, p.kz_authority, n.id, "cleared")
    _customs(session, p.de_customs, n.id, "dispatched")
    event_id = _customs(
        session,
        p.kz_customs,
        n.id,
        "seized",
        place="Khorgos",
        quantities=[{"substance": "ephedrine", "quantity": 95.5}],
        note="Drums relabelled",
    )
    [stopped] = _events(session, "notification.consignment_stopped")
    assert stopped.organisation_id == p.kz_customs.org.id
    assert stopped.payload == {
        "title": stopped.payload["title"],
        "kind": "seized",
        "notification_id": n.id,
        "reference": n.reference,
        "customs_event_id": event_id,
        "place": "Khorgos",
        "country": "KZ",
        "occurred_on": TODAY.isoformat(),
        "substances": ["Ephedrine"],
        "substance_lines": [
            {"substance_id": "ephedrine", "name": "Ephedrine", "quantity": "95.5", "unit": "kg"}
        ],
        "exporter": {"name": "Rheinfeld Chemie GmbH (fictional)", "country": "DE"},
        "importer": {"name": "Steppe Pharma LLP (fictional)", "country": "KZ"},
        "countries": ["DE", "PL", "KZ"],
        "severity": "high",
        "recorded_by_user_id": p.kz_customs.user.id,
    }
    alerts = _events(session, "notification.alert")
    assert {e.organisation_id for e in alerts} == {p.de_authority.org.id, p.kz_authority.org.id}
    with pytest.raises(InvalidInput):
        _customs(session, p.kz_customs, n.id, "arrived", place="Khorgos")


def test_a_simplified_notification_counts_what_was_dispatched(session: Session) -> None:
    p = people(session)
    n = notify(
        session,
        p.de_authority,
        kind="simplified",
        period_months=6,
        lines=[{"substance": "acetic anhydride", "quantity": 1000, "unit": "kg"}],
    )
    assert n.valid_until is not None and n.valid_until > n.dispatch_date
    _respond(session, p.kz_authority, n.id, "cleared")
    for quantity in (400, 500):
        _customs(
            session,
            p.de_customs,
            n.id,
            "dispatched",
            quantities=[{"substance": "acetic-anhydride", "quantity": quantity}],
        )
    with pytest.raises(InvalidInput) as exc:
        _customs(
            session,
            p.de_customs,
            n.id,
            "dispatched",
            quantities=[{"substance": "acetic-anhydride", "quantity": 101}],
        )
    assert _field_of(exc) == ["body.quantities.0.quantity"]
    session.expire_all()
    assert session.get(PreExportNotification, n.id).quantity_used == {"acetic-anhydride": 900.0}  # type: ignore[union-attr]


def test_checks_show_licence_alr_and_the_importers_requirement(session: Session) -> None:
    p = people(session)
    with begin(session):
        licensing_service.set_requirement(
            session,
            p.kz_authority.principal,
            data=RequirementSet(country="KZ", substance="ephedrine", quantity_kg=200),
        )
        catalog_service.set_pen_requirement(
            session,
            p.kz_authority.principal,
            "KZ",
            "ephedrine",
            data=PenRequirementSet(required=True),
        )
    first = notify(session, p.de_authority)
    _respond(session, p.kz_authority, first.id, "cleared")
    second = notify(session, p.de_authority)
    checks = {c.check: c for c in notifications_service.checks(session, second)}
    assert checks["alr"].outcome == "warning" and "240.0 kg" in checks["alr"].message
    assert checks["pen_requirement"].outcome == "ok"
    assert "requires" in checks["pen_requirement"].message
    assert checks["licence"].outcome == "warning"  # KZ-LIC-7 is in no register
    assert "not_found" in checks["licence"].message


def test_the_sweep_command_marks_lapsed_notifications(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRECX_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    p = people(session)
    n = notify(session, p.de_authority)
    later = (n.reply_deadline + timedelta(hours=1)).isoformat()
    result = CliRunner().invoke(cli, ["notifications", "sweep", "--at", later])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "1 no response" in result.output
    session.expire_all()
    assert session.get(PreExportNotification, n.id).status == "no_response"  # type: ignore[union-attr]


def test_a_suspended_exporter_is_not_named_and_nothing_is_stored(session: Session) -> None:
    p = people(session)
    with begin(session):
        session.merge(p.exporter.org).status = OrgStatus.suspended
    with pytest.raises(InvalidInput) as refused:
        notify(session, p.de_authority, exporter_organisation_id=p.exporter.org.id)
    assert refused.value.errors[0].field == "body.exporter_organisation_id"
    assert refused.value.errors[0].message == "organisation suspended"
    with begin(session):
        assert session.scalar(select(func.count()).select_from(PreExportNotification)) == 0
