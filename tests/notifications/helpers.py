"""Builders of notifications for tests: the people of one export, and its applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, SessionTransaction

from precx.accounts.principal import OrgKind, Role
from precx.notifications import service as notifications_service
from precx.notifications.models import PreExportNotification
from precx.notifications.schemas import ApplicationCreate, NotificationCreate, SendFromApplication
from tests.fixtures.builders import Member, make_member, make_org

TODAY = datetime.now(UTC).date()


@dataclass
class People:
    """Everyone around one DE -> KZ export through PL, and some who have no part in it."""

    de_authority: Member
    de_customs: Member
    exporter: Member
    kz_authority: Member
    kz_customs: Member
    pl_authority: Member
    pl_customs: Member
    fr_authority: Member
    fr_customs: Member
    other_industry: Member
    kz_importer: Member
    de_police: Member


def begin(session: Session) -> SessionTransaction:
    """A new transaction, ending the one a read before may have begun."""
    if session.in_transaction():
        session.commit()
    return session.begin()


def people(session: Session) -> People:
    """Organisations and analysts of each kind, committed."""
    with begin(session):

        def member(
            kind: OrgKind, country: str, name: str | None = None, role: Role = Role.analyst
        ) -> Member:
            return make_member(session, make_org(session, kind, country, name=name), role)

        return People(
            de_authority=member(OrgKind.licensing_authority, "DE"),
            de_customs=member(OrgKind.customs, "DE"),
            exporter=member(OrgKind.industry, "DE", "Rheinfeld Chemie GmbH (fictional)"),
            kz_authority=member(OrgKind.licensing_authority, "KZ"),
            kz_customs=member(OrgKind.customs, "KZ"),
            pl_authority=member(OrgKind.licensing_authority, "PL"),
            pl_customs=member(OrgKind.customs, "PL"),
            fr_authority=member(OrgKind.licensing_authority, "FR"),
            fr_customs=member(OrgKind.customs, "FR"),
            other_industry=member(OrgKind.industry, "DE"),
            kz_importer=member(OrgKind.industry, "KZ"),
            de_police=member(OrgKind.law_enforcement, "DE"),
        )


def consignment(**changes: Any) -> dict[str, Any]:
    """A planned export of ephedrine from Germany to Kazakhstan through Poland (fictional)."""
    values: dict[str, Any] = {
        "kind": "standard",
        "importer_name": "Steppe Pharma LLP (fictional)",
        "importer_address": "Abay ave 1, Almaty",
        "importer_country": "KZ",
        "importer_licence_number": "KZ-LIC-7",
        "lines": [
            {
                "substance": "ephedrine",
                "quantity": 120,
                "unit": "kg",
                "packaging": "6 drums of 20 kg",
            }
        ],
        "transport_mode": "road",
        "exit_point": "Frankfurt (Oder)",
        "transit_countries": ["PL"],
        "entry_point": "Khorgos",
        "dispatch_date": (TODAY + timedelta(days=20)).isoformat(),
        "export_authorisation_number": "DE-EA-2026-0042",
        "import_permit_number": "KZ-IP-88",
        "notes": "Tablet production (fictional).",
    }
    values.update(changes)
    return values


def apply(session: Session, exporter: Member, **changes: Any) -> int:
    """The exporter applies; the application's id."""
    with begin(session):
        return notifications_service.submit_application(
            session,
            exporter.principal,
            data=ApplicationCreate.model_validate(consignment(**changes)),
        ).id


def send(
    session: Session, authority: Member, application_id: int, **changes: Any
) -> PreExportNotification:
    """The exporting authority sends the notification of an application."""
    with begin(session):
        return notifications_service.send_from_application(
            session,
            authority.principal,
            application_id,
            data=SendFromApplication(
                internal_notes="Exporter audited in May (internal).", **changes
            ),
        )


def notify(session: Session, authority: Member, **changes: Any) -> PreExportNotification:
    """The exporting authority notifies by hand."""
    data = NotificationCreate.model_validate(
        {
            "exporter_name": "Rheinfeld Chemie GmbH (fictional)",
            "internal_notes": "Watch this importer (internal).",
            **consignment(**changes),
        }
    )
    with begin(session):
        return notifications_service.create_notification(session, authority.principal, data=data)
