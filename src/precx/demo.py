"""Fictional demo organisations, users and records, loaded into a new database by `make run`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.models import Organisation
from precx.accounts.principal import OrgKind, Principal, Role
from precx.accounts.schemas import OrganisationCreate, UserCreate
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.config import Settings
from precx.events import subscriptions as events_subscriptions
from precx.events.schemas import SubscriptionCreate
from precx.licensing import service as licensing_service
from precx.licensing.models import Licence
from precx.licensing.schemas import LicenceCreate, RequirementSet, StatusChange
from precx.screening import service as screening_service
from precx.screening.orders import read_orders
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution, Tlp

DEMO_PASSWORD = "precx-demo-2026"  # noqa: S105 - printed on the demo login page on purpose
ALL_ROLES = (Role.admin, Role.analyst, Role.reporter, Role.viewer)
CLI = "demo-loader"


@dataclass(frozen=True)
class DemoOrg:
    """One fictional organisation and the roles that get a demo user."""

    slug: str
    name: str
    kind: OrgKind
    country: str
    vetted: bool = False
    roles: tuple[Role, ...] = (Role.admin, Role.analyst)


DEMO_ORGS: tuple[DemoOrg, ...] = (
    DemoOrg(
        "de-authority",
        "Federal Precursor Licensing Office (DE, demo)",
        OrgKind.licensing_authority,
        "DE",
        roles=ALL_ROLES,
    ),
    DemoOrg("de-customs", "Customs Office Hamburg Port (DE, demo)", OrgKind.customs, "DE"),
    DemoOrg(
        "de-police",
        "Federal Criminal Police Precursor Unit (DE, demo)",
        OrgKind.law_enforcement,
        "DE",
    ),
    DemoOrg(
        "de-chem",
        "Rheinfeld Chemie GmbH (DE, demo)",
        OrgKind.industry,
        "DE",
        vetted=True,
        roles=ALL_ROLES,
    ),
    DemoOrg(
        "de-trade", "Elbtal Chemical Trading GmbH (DE, demo)", OrgKind.industry, "DE", vetted=True
    ),
    DemoOrg(
        "de-logistics", "Nordhafen Forwarding GmbH (DE, demo)", OrgKind.logistics, "DE", vetted=True
    ),
    DemoOrg(
        "pl-authority",
        "Chief Pharmaceutical Inspectorate Precursor Desk (PL, demo)",
        OrgKind.licensing_authority,
        "PL",
    ),
    DemoOrg("pl-customs", "Customs Chamber Terespol (PL, demo)", OrgKind.customs, "PL"),
    DemoOrg(
        "pl-police",
        "Central Bureau of Investigation Chemicals Team (PL, demo)",
        OrgKind.law_enforcement,
        "PL",
    ),
    DemoOrg(
        "pl-chem", "Wisla Odczynniki Sp. z o.o. (PL, demo)", OrgKind.industry, "PL", vetted=True
    ),
    DemoOrg("pl-trade", "Baltyk Chem Handel S.A. (PL, demo)", OrgKind.industry, "PL"),
    DemoOrg("pl-logistics", "Mazovia Cargo Sp. z o.o. (PL, demo)", OrgKind.logistics, "PL"),
    DemoOrg(
        "kz-authority",
        "Committee for Precursor Control (KZ, demo)",
        OrgKind.licensing_authority,
        "KZ",
    ),
    DemoOrg("kz-customs", "Customs Post Khorgos (KZ, demo)", OrgKind.customs, "KZ"),
    DemoOrg("kz-police", "Anti-Drug Police Department (KZ, demo)", OrgKind.law_enforcement, "KZ"),
    DemoOrg("kz-chem", "Steppe Reagents LLP (KZ, demo)", OrgKind.industry, "KZ"),
    DemoOrg("kz-trade", "Almaty Chem Supply LLP (KZ, demo)", OrgKind.industry, "KZ"),
    DemoOrg("kz-logistics", "Silk Route Freight LLP (KZ, demo)", OrgKind.logistics, "KZ"),
    DemoOrg(
        "intl-board",
        "International Precursor Board (demo)",
        OrgKind.international,
        "AT",
        roles=(Role.admin, Role.analyst, Role.viewer),
    ),
    DemoOrg(
        "platform",
        "Precursor Exchange Operations (demo)",
        OrgKind.platform,
        "AT",
        roles=(Role.admin,),
    ),
)


def demo_email(slug: str, role: Role) -> str:
    """The e-mail of a demo user."""
    return f"{role.value}@{slug}.example"


def is_loaded(session: Session) -> bool:
    """Whether demo data is already in the database."""
    return bool(accounts_service.demo_accounts(session))


def load_demo(session: Session) -> dict[str, Organisation]:
    """Create the demo organisations, users, a sharing group and some bulletins."""
    orgs: dict[str, Organisation] = {}
    principals = {}
    for spec in DEMO_ORGS:
        org = accounts_service.create_organisation(
            session,
            None,
            data=OrganisationCreate(
                name=spec.name, kind=spec.kind, country=spec.country, vetted=spec.vetted
            ),
            demo=True,
            actor_label=CLI,
        )
        orgs[spec.slug] = org
        for role in spec.roles:
            user = accounts_service.create_user(
                session,
                None,
                actor_label=CLI,
                data=UserCreate(
                    email=demo_email(spec.slug, role),
                    name=f"{role.value.title()} of {spec.slug}",
                    role=role,
                    organisation_id=org.id,
                    password=DEMO_PASSWORD,
                ),
            )
            principals[(spec.slug, role)] = accounts_service.principal_for(user, org)
    de_admin = principals[("de-authority", Role.admin)]
    group = sharing_service.create_sharing_group(
        session,
        de_admin,
        name="Eastern route working group (demo)",
        description="DE, PL and KZ authorities following the eastern overland route.",
    )
    for slug in ("pl-authority", "kz-authority", "pl-customs", "kz-customs"):
        sharing_service.add_group_member(session, de_admin, group.id, orgs[slug].id)
    analyst = principals[("de-authority", Role.analyst)]
    samples = [
        (
            "Unsolicited enquiries for APAA by e-mail",
            Distribution.partnership,
            Tlp.green,
            None,
            "Several distributors report first-time buyers asking for APAA (methyl "
            "alpha-phenylacetoacetate) in 25 kg drums, offering cash or crypto payment and "
            "delivery to a forwarder. Refuse and report such orders. (Fictional demo text.)",
        ),
        (
            "Seizure pattern on the eastern route",
            Distribution.sharing_group,
            Tlp.amber,
            group.id,
            "Consignments declared as 'solvents' found to contain BMK glycidate in mislabelled "
            "drums. Check HS codes against declared use. (Fictional demo text.)",
        ),
        (
            "Internal note: licence renewal backlog",
            Distribution.organisation,
            Tlp.amber,
            None,
            "Twelve category 1 licences expire next quarter. (Fictional demo text.)",
        ),
        (
            "Country authorities: inspection plan",
            Distribution.country_authorities,
            Tlp.amber,
            None,
            "Joint inspections of two distributors in Q1. (Fictional demo text.)",
        ),
        (
            "All authorities: new designer precursor offered online",
            Distribution.authorities,
            Tlp.amber,
            None,
            "An online shop offers a non-scheduled piperidone derivative in "
            "kilogram lots. (Fictional demo text.)",
        ),
    ]
    for title, distribution, tlp, group_id, body in samples:
        bulletins_service.post_bulletin(
            session,
            analyst,
            data=BulletinCreate(
                title=title,
                body=body,
                distribution=distribution,
                tlp=tlp,
                sharing_group_id=group_id,
            ),
        )
    pl_chem = principals[("pl-chem", Role.admin)]
    bulletins_service.post_bulletin(
        session,
        pl_chem,
        data=BulletinCreate(
            title="Question to authorities: verifying a KZ customer's registration",
            body="How can we verify a Kazakh customer's registration before a first export of "
            "acetone? (Fictional demo text.)",
            distribution=Distribution.authorities,
            tlp=Tlp.green,
        ),
    )
    _load_demo_licensing(session, orgs, principals)
    _load_demo_screening(session, orgs, principals)
    _load_demo_declarations(session, orgs, principals)
    _load_demo_reports(session, orgs, principals)
    _load_demo_incidents(session, orgs, principals)
    _load_demo_notifications(session, orgs, principals)
    _load_demo_events(session, principals)
    return orgs


def _load_demo_licensing(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """A few fictional licences and registrations, and ALR figures, of DE and PL."""
    if not licensing_service.catalog_names(session):
        return  # licences name catalog substances: `precx catalog load` comes first
    de = principals[("de-authority", Role.analyst)]
    pl = principals[("pl-authority", Role.analyst)]
    licences = (
        (
            de,
            {
                "kind": "licence",
                "country": "DE",
                "number": "DE-L1-2024-0001",
                "holder_organisation_id": orgs["de-chem"].id,
                "holder_name": orgs["de-chem"].name,
                "holder_registration_number": "HRB 40711 (fictional)",
                "holder_address": "Werkstrasse 12, 50667 Köln (fictional)",
                "substances": ["ephedrine", "pseudoephedrine"],
                "activities": ["possession", "manufacture", "placing_on_market", "export"],
                "premises": "Plant 2 and warehouse B, Köln (fictional)",
                "responsible_officer": "Dr. Jana Weber (fictional)",
                "valid_from": date(2024, 1, 1),
                "valid_until": date(2028, 12, 31),
                "quantity_limits": {"ephedrine": 500.0, "pseudoephedrine": 800.0},
                "conditions": "Stock book checked quarterly (fictional demo licence).",
            },
        ),
        (
            de,
            {
                "kind": "licence",
                "country": "DE",
                "number": "DE-L1-2023-0007",
                "holder_organisation_id": orgs["de-trade"].id,
                "holder_name": orgs["de-trade"].name,
                "holder_registration_number": "HRB 88123 (fictional)",
                "substances": ["p2p"],
                "activities": ["possession", "placing_on_market", "import"],
                "valid_from": date(2023, 6, 1),
                "valid_until": date(2028, 5, 31),
                "conditions": "Fictional demo licence.",
            },
        ),
        (
            de,
            {
                "kind": "registration",
                "country": "DE",
                "number": "DE-REG-2B-0042",
                "holder_name": "Rhein Pharma AG (fictional)",
                "holder_registration_number": "HRB 11111 (fictional)",
                "holder_address": "Rheinallee 5, Mainz (fictional)",
                "categories": ["2B"],
                "activities": ["possession", "placing_on_market"],
                "valid_from": date(2022, 1, 1),
                "valid_until": date(2030, 12, 31),
            },
        ),
        (
            pl,
            {
                "kind": "registration",
                "country": "PL",
                "number": "PL-R3-2025-015",
                "holder_organisation_id": orgs["pl-chem"].id,
                "holder_name": orgs["pl-chem"].name,
                "categories": ["3"],
                "activities": ["export"],
                "valid_from": date(2025, 3, 1),
                "valid_until": date(2029, 2, 28),
            },
        ),
    )
    issued: dict[str, Licence] = {}
    for principal, values in licences:
        licence = licensing_service.issue_licence(
            session, principal, data=LicenceCreate.model_validate(values)
        )
        issued[licence.number] = licence
    licensing_service.suspend_licence(
        session,
        de,
        issued["DE-L1-2023-0007"].id,
        data=StatusChange(reason="Inspection found stock records incomplete (fictional)."),
    )
    figures = {
        ("DE", "ephedrine"): 9_000,
        ("DE", "pseudoephedrine"): 40_000,
        ("DE", "p2p"): 10,
        ("DE", "pmk"): 1,
        ("PL", "ephedrine"): 1_500,
        ("PL", "pseudoephedrine"): 25_000,
        ("PL", "p2p"): 0,
        ("KZ", "ephedrine"): 300,
        ("KZ", "pseudoephedrine"): 2_000,
    }
    for (country, substance), kg in figures.items():
        slug = f"{country.lower()}-authority"
        licensing_service.set_requirement(
            session,
            principals[(slug, Role.admin)],
            data=RequirementSet(
                country=country,
                substance=substance,
                quantity_kg=kg,
                note="Fictional demo figure, not INCB's.",
            ),
        )


DEMO_DATA = Path(__file__).resolve().parent / "screening" / "data" / "demo"
DEMO_ORDERS = DEMO_DATA / "orders-demo.csv"


def _load_demo_screening(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """A fictional public list, a fictional restricted list, and one screened file of orders."""
    screening_service.import_watchlist(
        session,
        None,
        path=DEMO_DATA / "watchlist-demo.csv",
        format="csv",
        name="Demo sanctions list (fictional)",
        owner_organisation_id=orgs["platform"].id,
    )
    screening_service.import_watchlist(
        session,
        None,
        path=DEMO_DATA / "intelligence-kz-demo.csv",
        format="csv",
        name="KZ police intelligence (fictional)",
        restricted=True,
        owner_organisation_id=orgs["kz-police"].id,
    )
    screening_service.screen_orders(
        session,
        principals[("de-chem", Role.analyst)],
        read_orders(DEMO_ORDERS),
        store=True,
        filename=DEMO_ORDERS.name,
    )


def _load_demo_declarations(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """A customer declaration signed on the platform, with a delivery, and a recorded paper one."""
    from datetime import timedelta

    from precx.declarations import service as declarations_service
    from precx.declarations.schemas import DeclarationSign, DeliveryCreate, PaperDeclaration

    today = declarations_service.today()
    signed = declarations_service.sign_declaration(
        session,
        principals[("de-trade", Role.admin)],
        data=DeclarationSign(
            supplier_organisation_id=orgs["de-chem"].id,
            substance="acetone",
            kind="multiple",
            quantity=2_000,
            unit="kg",
            intended_use="Solvent for cleaning tanks and filling lines in our Hamburg warehouse "
            "(fictional demo declaration).",
            customer_address="Elbuferweg 8, 20457 Hamburg (fictional)",
            signatory_name="Tobias Brandt (fictional)",
            signatory_position="Managing director",
            valid_until=today + timedelta(days=300),
        ),
    )
    declarations_service.record_delivery(
        session,
        principals[("de-chem", Role.analyst)],
        signed.id,
        data=DeliveryCreate(quantity=500, reference="DN-2026-0815 (fictional)"),
    )
    declarations_service.record_paper_declaration(
        session,
        principals[("de-chem", Role.analyst)],
        data=PaperDeclaration(
            customer_name="Alpenlack Farben GmbH (fictional)",
            customer_country="AT",
            customer_address="Lackgasse 3, 6020 Innsbruck (fictional)",
            substance="toluene",
            kind="single",
            quantity=300,
            unit="l",
            intended_use="Thinner for the production of industrial floor coatings "
            "(fictional demo declaration).",
            signatory_name="Anna Huber (fictional)",
            signatory_position="Head of purchasing",
            signed_on=today,
            valid_until=today + timedelta(days=60),
        ),
        scan=_demo_scan(),
        filename="alpenlack-declaration.pdf",
    )


def _demo_scan() -> bytes:
    """A one-page PDF standing in for the scan of a signed paper declaration."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Customer declaration - FICTIONAL DEMO SCAN", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        "Alpenlack Farben GmbH (fictional), Innsbruck, declares that 300 l of toluene will be "
        "used as thinner for industrial floor coatings. Signed: Anna Huber (fictional).",
    )
    return bytes(pdf.output())


def _load_demo_reports(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """Fictional reports in several states: one from a screening, a theft, a closed one, a draft."""
    from precx.kit.pagination import PageParams
    from precx.reports import service as reports_service
    from precx.reports.schemas import Closure, MessageCreate, Referral, ReportCreate

    de_chem = principals[("de-chem", Role.analyst)]
    de_authority = principals[("de-authority", Role.analyst)]
    flagged = screening_service.list_screenings(
        session,
        de_chem,
        PageParams(page=1, per_page=1, sort="-score"),
        screening_service.ScreeningFilters(decision="report"),
    ).items
    if flagged:
        data = reports_service.prefill_from_screening(session, de_chem, flagged[0].id)
        data = data.model_copy(
            update={
                "draft": False,
                "narrative": data.narrative + " (Fictional demo report.)",
            }
        )
        filed, _ = reports_service.create_report(session, de_chem, data=data)
        reports_service.acknowledge_report(session, de_authority, filed.id)
        reports_service.post_message(
            session,
            de_authority,
            filed.id,
            data=MessageCreate(body="Did the customer name an end user? (Fictional demo message.)"),
        )
    theft, _ = reports_service.create_report(
        session,
        principals[("de-logistics", Role.admin)],
        data=ReportCreate.model_validate(
            {
                "kind": "loss_theft",
                "substances": [{"substance": "acetic anhydride", "quantity": 200, "unit": "l"}],
                "order": {
                    "consignment_ref": "NF-2026-4411 (fictional)",
                    "incident_location": "Truck park A7, Hamburg-Stellingen (fictional)",
                    "transport": "road",
                },
                "action_taken": "not_applicable",
                "narrative": "One 200 l drum missing from a sealed trailer after an overnight "
                "stop; seal number did not match. (Fictional demo report.)",
            }
        ),
    )
    reports_service.refer_report(
        session,
        de_authority,
        theft.id,
        data=Referral(organisation_id=orgs["de-police"].id, reason="Theft in transit"),
    )
    closed, _ = reports_service.create_report(
        session,
        principals[("de-trade", Role.analyst)],
        data=ReportCreate.model_validate(
            {
                "kind": "suspicious_transaction",
                "counterparty": {
                    "name": "Baltic Solvent Partners OU (fictional)",
                    "country": "EE",
                    "identifiers": [{"type": "registry", "value": "EE-0000000 (fictional)"}],
                },
                "substances": [{"substance": "toluene", "quantity": 2, "unit": "t"}],
                "red_flags": ["PAYMENT_UNUSUAL", "DELIVERY_UNUSUAL"],
                "action_taken": "supplied_under_observation",
                "narrative": "Paid by a third party; delivery to a self-storage unit. "
                "(Fictional demo report.)",
            }
        ),
    )
    reports_service.close_report(
        session,
        de_authority,
        closed.id,
        data=Closure(
            outcome="confirmed_legitimate",
            message="The buyer is a licensed paint maker; the storage unit is its depot. "
            "Thank you for reporting. (Fictional demo feedback.)",
        ),
    )
    reports_service.create_report(
        session,
        principals[("pl-chem", Role.admin)],
        data=ReportCreate.model_validate(
            {
                "kind": "suspicious_order",
                "draft": True,
                "counterparty": {"name": "Unknown web-shop buyer (fictional)", "country": "UA"},
                "narrative": "Draft: enquiry by e-mail for 50 kg of a piperidone. "
                "(Fictional demo draft.)",
            }
        ),
    )


def _load_demo_incidents(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """Three fictional incidents (one final) and one published industry alert."""
    from datetime import UTC, datetime, timedelta

    from precx.incidents import service as incidents_service
    from precx.incidents.schemas import AlertCreate, IncidentContent

    today = datetime.now(UTC).date()
    customs = principals[("de-customs", Role.analyst)]
    seizure = incidents_service.create_incident(
        session,
        customs,
        data=IncidentContent.model_validate(
            {
                "kind": "seizure",
                "title": "Acetic anhydride declared as industrial solvent (fictional)",
                "occurred_on": (today - timedelta(days=12)).isoformat(),
                "place": "Hamburg, container terminal Waltershof",
                "country": "DE",
                "latitude": 53.5275,
                "longitude": 9.9325,
                "reporting_agency": orgs["de-customs"].name,
                "substances": [
                    {
                        "substance": "acetic anhydride",
                        "quantity": 2400,
                        "unit": "l",
                        "concentration": "99%",
                        "packaging": "12 blue 200 l drums labelled 'solvent'",
                    }
                ],
                "parties": [
                    {
                        "kind": "company",
                        "value": "Caspian Bridge Trading FZE (fictional)",
                        "country": "AE",
                        "role": "consignee",
                    },
                    {"kind": "person", "value": "Viktor Demo (fictional)", "country": "PL"},
                    {"kind": "vessel", "value": "MV Demo Star (fictional)"},
                ],
                "route": [
                    {"leg": "origin", "country": "CN", "place": "Tianjin"},
                    {"leg": "transit", "country": "DE", "place": "Hamburg"},
                    {"leg": "destination", "country": "KZ", "place": "Almaty"},
                ],
                "concealment": "Declared as industrial solvent under a wrong HS code.",
                "modus_operandi": "Front company in a free zone ordering through a forwarder.",
                "narrative": "Fictional demo incident: risk-targeted inspection found drums of "
                "acetic anhydride declared as solvent.",
                "distribution": "authorities",
                "tlp": "amber",
            }
        ),
    )
    incidents_service.finalise_incident(session, customs, seizure.id)
    incidents_service.create_incident(
        session,
        principals[("pl-police", Role.analyst)],
        data=IncidentContent.model_validate(
            {
                "kind": "illicit_laboratory",
                "title": "Amphetamine laboratory in a farm building (fictional)",
                "occurred_on": (today - timedelta(days=30)).isoformat(),
                "place": "near Bialystok",
                "country": "PL",
                "latitude": 53.13,
                "longitude": 23.16,
                "reporting_agency": orgs["pl-police"].name,
                "substances": [{"substance": "BMK", "quantity": 80, "unit": "l"}],
                "parties": [{"kind": "phone", "value": "+48 600 000 000 (fictional)"}],
                "narrative": "Fictional demo incident.",
                "distribution": "authorities",
                "tlp": "amber",
            }
        ),
    )
    incidents_service.create_incident(
        session,
        principals[("kz-customs", Role.analyst)],
        data=IncidentContent.model_validate(
            {
                "kind": "stopped_shipment",
                "title": "Potassium permanganate stopped at the border (fictional)",
                "occurred_on": (today - timedelta(days=3)).isoformat(),
                "place": "Khorgos",
                "country": "KZ",
                "reporting_agency": orgs["kz-customs"].name,
                "substances": [{"substance": "potassium permanganate", "quantity": 5, "unit": "t"}],
                "route": [
                    {"leg": "origin", "country": "CN"},
                    {"leg": "destination", "country": "KZ"},
                ],
                "narrative": "Fictional demo incident: draft awaiting the police.",
                "distribution": "country_authorities",
                "tlp": "amber",
            }
        ),
    )
    officer = principals[("de-authority", Role.analyst)]
    alert = incidents_service.draft_alert(
        session,
        officer,
        data=AlertCreate.model_validate(
            {
                "title": "Acetic anhydride ordered as 'solvent' by free-zone traders (fictional)",
                "watch_for": "Orders of acetic anhydride in 200 l drums from trading companies in "
                "free zones, paid in advance from a third country and delivered to a forwarder "
                "for onward transport to Central Asia. (Fictional demo alert.)",
                "substances": ["acetic anhydride"],
                "countries": ["AE", "KZ"],
                "indicators": [
                    {"type": "packaging", "value": "200 l drums labelled solvent"},
                    {"type": "payment_method", "value": "prepayment from a third country"},
                    {"type": "delivery_method", "value": "delivery to a freight forwarder"},
                ],
                "severity": "high",
                "expires_on": (today + timedelta(days=90)).isoformat(),
                "links": [{"record_type": "incident", "record_id": seizure.id}],
            }
        ),
    )
    incidents_service.submit_alert(session, officer, alert.id)
    incidents_service.approve_alert(session, principals[("de-authority", Role.admin)], alert.id)


def _load_demo_notifications(
    session: Session,
    orgs: dict[str, Organisation],
    principals: dict[tuple[str, Role], Principal],
) -> None:
    """Fictional pre-export notifications DE -> KZ and PL -> KZ in different states."""
    from datetime import timedelta

    from precx.notifications import service as notifications_service
    from precx.notifications.schemas import (
        ApplicationCreate,
        CountrySettingIn,
        CustomsEventIn,
        NotificationCreate,
        ResponseIn,
        SendFromApplication,
    )

    today = notifications_service.today()
    de = principals[("de-authority", Role.analyst)]
    pl = principals[("pl-authority", Role.analyst)]
    kz = principals[("kz-authority", Role.analyst)]
    notifications_service.set_country_setting(
        session,
        principals[("pl-authority", Role.admin)],
        data=CountrySettingIn(transit_copies=True),
    )

    def terms(**changes: object) -> dict[str, object]:
        values: dict[str, object] = {
            "importer_name": "Steppe Reagents LLP (KZ, demo)",
            "importer_address": "Raiymbek ave 12, Almaty (fictional)",
            "importer_country": "KZ",
            "importer_licence_number": "KZ-DEMO-IMP-1",
            "lines": [
                {
                    "substance": "ephedrine",
                    "quantity": 50,
                    "unit": "kg",
                    "packaging": "2 drums of 25 kg",
                }
            ],
            "transport_mode": "road",
            "exit_point": "Frankfurt (Oder)",
            "transit_countries": ["PL", "BY", "RU"],
            "entry_point": "Khorgos",
            "dispatch_date": (today + timedelta(days=14)).isoformat(),
            "export_authorisation_number": "DE-EA-DEMO-0001",
            "notes": "Tablet production for the domestic market (fictional demo).",
        }
        values.update(changes)
        return values

    cleared = notifications_service.send_from_application(
        session,
        de,
        notifications_service.submit_application(
            session,
            principals[("de-chem", Role.analyst)],
            data=ApplicationCreate.model_validate(terms()),
        ).id,
        data=SendFromApplication(internal_notes="Exporter inspected last spring (demo note)."),
    )
    notifications_service.respond(session, kz, cleared.id, data=ResponseIn(answer="cleared"))
    for kind, slug in (("dispatched", "de-customs"), ("released_at_exit", "de-customs")):
        notifications_service.record_customs_event(
            session,
            principals[(slug, Role.analyst)],
            cleared.id,
            data=CustomsEventIn.model_validate(
                {"kind": kind, "place": "Frankfurt (Oder)", "occurred_on": today.isoformat()}
            ),
        )
    notifications_service.create_notification(
        session,
        de,
        data=NotificationCreate.model_validate(
            {
                **terms(
                    lines=[{"substance": "acetic anhydride", "quantity": 2000, "unit": "l"}],
                    export_authorisation_number="DE-EA-DEMO-0002",
                    importer_name="Almaty Chem Supply LLP (KZ, demo)",
                    importer_licence_number="",
                ),
                "exporter_name": "Rheinfeld Chemie GmbH (DE, demo)",
                "internal_notes": "First export to this importer (demo note).",
            }
        ),
    )
    objected = notifications_service.create_notification(
        session,
        pl,
        data=NotificationCreate.model_validate(
            {
                **terms(
                    lines=[{"substance": "pseudoephedrine", "quantity": 300, "unit": "kg"}],
                    exit_point="Terespol",
                    transit_countries=["BY", "RU"],
                    export_authorisation_number="PL-EA-DEMO-0007",
                    importer_name="Karaganda Trade House LLP (fictional)",
                    importer_licence_number="",
                ),
                "exporter_name": "Wisla Odczynniki Sp. z o.o. (PL, demo)",
            }
        ),
    )
    notifications_service.respond(
        session,
        kz,
        objected.id,
        data=ResponseIn(
            answer="objected", reason="The importer holds no licence for pseudoephedrine (demo)."
        ),
    )
    notifications_service.submit_application(
        session,
        principals[("de-chem", Role.analyst)],
        data=ApplicationCreate.model_validate(
            terms(
                lines=[{"substance": "potassium permanganate", "quantity": 500, "unit": "kg"}],
                export_authorisation_number="",
            )
        ),
    )


def _load_demo_events(session: Session, principals: dict[tuple[str, Role], Principal]) -> None:
    """Every demo user subscribes to everything they may read, so their inbox fills up live."""
    settings = Settings(demo=True)
    for principal in principals.values():
        events_subscriptions.create_subscription(
            session,
            principal,
            data=SubscriptionCreate(name="Everything I may read (demo)"),
            settings=settings,
            own=set(),
        )
