"""The `precx` command: serve, database, demo data, organisations, users and the audit chain."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from precx.accounts import service as accounts_service
from precx.accounts.principal import OrgKind, OrgStatus, Role
from precx.accounts.schemas import OrganisationCreate, UserCreate
from precx.audit import service as audit_service
from precx.catalog.cli import catalog_app, countries_app, substances_app
from precx.config import Settings, get_settings
from precx.db import make_engine, make_session_factory, unit_of_work
from precx.incidents.cli import incidents_app
from precx.kit.problems import DomainError
from precx.licensing.cli import alr_app, licence_app
from precx.notifications.cli import notifications_app
from precx.reports.cli import reports_app
from precx.screening.cli import screen, watchlist_app
from precx.screening.names_cli import names_app

app = typer.Typer(
    help="Precursor Exchange: run the service and administer its data.", no_args_is_help=True
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations.", no_args_is_help=True)
users_app = typer.Typer(help="Users and their API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(catalog_app, name="catalog")
app.add_typer(substances_app, name="substances")
app.add_typer(countries_app, name="countries")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(names_app, name="names")
app.add_typer(licence_app, name="licence")
app.add_typer(alr_app, name="alr")
app.add_typer(notifications_app, name="notifications")
app.add_typer(reports_app, name="reports")
app.add_typer(incidents_app, name="incidents")
app.command("screen")(screen)

console = Console()
err = Console(stderr=True)
CLI_ACTOR = "cli"


def _factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings))


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address (default PRECX_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PRECX_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (PRECX_WORKERS).")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the web app and API with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "precx.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # Open event streams would otherwise hold shutdown forever (stack.md 2.2).
        timeout_graceful_shutdown=5,
        log_level=settings.log_level,
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database schema up (to the newest revision by default)."""
    from precx.schema import upgrade

    settings = get_settings()
    upgrade(settings, revision)
    console.print(f"database at {revision}: {settings.database_url}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()]) -> None:
    """Migrate the database schema down to a revision (`base` empties it)."""
    from precx.schema import downgrade

    downgrade(get_settings(), revision)
    console.print(f"database at {revision}")


@app.command()
def demo(
    if_new: Annotated[
        bool,
        typer.Option("--if-new", help="Do nothing if demo data exists or PRECX_DEMO is false."),
    ] = False,
) -> None:
    """Load the fictional demo organisations, users and records."""
    from precx.demo import DEMO_PASSWORD, is_loaded, load_demo

    settings = get_settings()
    if if_new and not settings.demo:
        console.print("demo mode is off (PRECX_DEMO=false): no demo data loaded")
        return
    factory = _factory(settings)
    with unit_of_work(factory) as session:
        if is_loaded(session):
            if if_new:
                console.print("demo data already loaded")
                return
            raise _fail("demo data is already loaded")
        orgs = load_demo(session)
    console.print(
        f"loaded {len(orgs)} demo organisations; password for every demo user: {DEMO_PASSWORD}"
    )


@orgs_app.command("list")
def orgs_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List the organisations."""
    factory = _factory(get_settings())
    with unit_of_work(factory) as session:
        orgs = accounts_service.list_organisations(session, None)
        rows = [
            {
                "id": o.id,
                "name": o.name,
                "kind": o.kind.value,
                "country": o.country,
                "status": o.status.value,
                "vetted": o.vetted,
            }
            for o in orgs
        ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("id", "country", "kind", "name", "status", "vetted")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["country"]),
            str(r["kind"]),
            str(r["name"]),
            str(r["status"]),
            "yes" if r["vetted"] else "",
        )
    console.print(table)


@orgs_app.command("add")
def orgs_add(
    name: Annotated[str, typer.Option(help="Full name.")],
    kind: Annotated[OrgKind, typer.Option(help="What the organisation is.")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 code.")],
    vetted: Annotated[bool, typer.Option(help="Partnership member (industry, logistics).")] = False,
    status: Annotated[OrgStatus, typer.Option(help="Status.")] = OrgStatus.active,
) -> None:
    """Register an organisation."""
    try:
        data = OrganisationCreate(
            name=name, kind=kind, country=country, vetted=vetted, status=status
        )
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    factory = _factory(get_settings())
    try:
        with unit_of_work(factory) as session:
            org = accounts_service.create_organisation(
                session, None, data=data, actor_label=CLI_ACTOR
            )
            org_id = org.id
    except DomainError as exc:
        raise _fail(exc.detail) from exc
    console.print(f"organisation {org_id} created")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List every user with their organisation."""
    factory = _factory(get_settings())
    with unit_of_work(factory) as session:
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role.value,
                "active": u.active,
                "organisation": o.name,
                "organisation_id": o.id,
                "organisation_kind": o.kind.value,
                "country": o.country,
            }
            for u, o in accounts_service.all_users(session)
        ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("email", "role", "organisation", "kind", "country", "active")
    for r in rows:
        table.add_row(
            str(r["email"]),
            str(r["role"]),
            str(r["organisation"]),
            str(r["organisation_kind"]),
            str(r["country"]),
            "yes" if r["active"] else "no",
        )
    console.print(table)


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Option(help="E-mail, the login name.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[Role, typer.Option(help="Role in the organisation.")],
    organisation_id: Annotated[int, typer.Option("--organisation", help="Organisation id.")],
    password: Annotated[
        str | None,
        typer.Option(
            help="Password (12+ characters); asked for when omitted.", envvar="PRECX_NEW_PASSWORD"
        ),
    ] = None,
) -> None:
    """Add a user to an organisation."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        data = UserCreate(
            email=email, name=name, role=role, organisation_id=organisation_id, password=password
        )
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    factory = _factory(get_settings())
    try:
        with unit_of_work(factory) as session:
            user = accounts_service.create_user(session, None, data=data, actor_label=CLI_ACTOR)
            user_id = user.id
    except DomainError as exc:
        raise _fail(exc.detail) from exc
    console.print(f"user {user_id} created")


@users_app.command("token")
def users_token(
    email: Annotated[str, typer.Argument(help="The user's e-mail.")],
    days: Annotated[
        int | None, typer.Option(min=1, max=3650, help="Validity in days (PRECX_TOKEN_DAYS).")
    ] = None,
    name: Annotated[str, typer.Option(help="A name to tell the token apart.")] = "cli",
) -> None:
    """Print a new API token for a user (and nothing else) on stdout."""
    settings = get_settings()
    factory = _factory(settings)
    with unit_of_work(factory) as session:
        user = accounts_service.find_user_by_email(session, email)
        if user is None:
            raise _fail(f"no user with e-mail {email}")
        if not user.active:
            raise _fail(f"{email} is deactivated")
        raw, _token = accounts_service.issue_api_token(
            session, user, name=name, days=days or settings.token_days, actor_label=CLI_ACTOR
        )
    sys.stdout.write(raw + "\n")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain of the audit log; exit 1 naming the first bad entry."""
    factory = _factory(get_settings())
    with unit_of_work(factory) as session:
        report = audit_service.verify_chain(session)
    if report.ok:
        console.print(f"audit chain intact: {report.entries} entries")
        return
    err.print(f"[red]audit chain broken:[/red] {report.problem}")
    raise typer.Exit(1)


def main() -> None:
    """Entry point of the `precx` command."""
    app()
