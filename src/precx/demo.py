"""Fictional demo organisations, users and records, loaded into a new database by `make run`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.models import Organisation
from precx.accounts.principal import OrgKind, Principal, Role
from precx.accounts.schemas import OrganisationCreate, UserCreate
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
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
    _load_demo_screening(session, orgs, principals)
    return orgs


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
