"""`precx incidents`: the incidents a user may read, listed, shown and exported from the shell."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from precx.accounts.cli import AsUser, principal_as
from precx.catalog.models import Country
from precx.db import unit_of_work
from precx.incidents import service as incidents_service
from precx.incidents.api import incident_read
from precx.incidents.schemas import IncidentKind, IncidentPage, IncidentStatus, IncidentSummary
from precx.kit.cli import (
    AsJson,
    Out,
    PageOption,
    PerPage,
    check_out,
    echo_json,
    finish_list,
    not_found,
    refused,
    session_factory,
)
from precx.kit.pagination import PageParams
from precx.kit.problems import DomainError

incidents_app = typer.Typer(
    help="Incidents (seizures, stopped shipments...), as the user named by --as may read them.",
    no_args_is_help=True,
)
console = Console()
_ISO2 = re.compile(r"^[A-Za-z]{2}$")


def _country(session: Session, code: str | None) -> str | None:
    if code is None:
        return None
    if not _ISO2.match(code) or session.get(Country, code.upper()) is None:
        raise typer.BadParameter(
            f"{code!r} is not a known ISO 3166-1 alpha-2 country code", param_hint="--country"
        )
    return code.upper()


@incidents_app.command("list")
def incidents_list(
    as_user: AsUser,
    kind: Annotated[IncidentKind | None, typer.Option(help="Only this kind.")] = None,
    country: Annotated[
        str | None,
        typer.Option(help="Incident country or any country of its route (ISO alpha-2)."),
    ] = None,
    status: Annotated[IncidentStatus | None, typer.Option(help="draft or final.")] = None,
    page: PageOption = 1,
    per_page: PerPage = 50,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """The incidents the user may read (never industry's), newest first."""
    check_out(out)
    rows: list[dict[str, object]] = []
    try:
        with unit_of_work(session_factory()) as session:
            # The same filters the API builds from its query string.
            filters = incidents_service.IncidentFilters(
                kind=kind.value if kind else None,
                status=status.value if status else None,
                country=_country(session, country),
            )
            principal = principal_as(session, as_user)
            if out is not None:
                rows = incidents_service.export_rows(session, principal, filters)
            found = incidents_service.list_incidents(
                session, principal, PageParams(page=page, per_page=per_page), filters
            )
            listed = IncidentPage(
                items=[IncidentSummary.model_validate(i) for i in found.items],
                total=found.total,
                page=found.page,
                per_page=found.per_page,
            )
    except DomainError as exc:
        raise refused(exc) from exc
    finish_list(
        listed,
        lambda: _print_list(listed),
        as_json=as_json,
        out=out,
        export=(incidents_service.EXPORT_COLUMNS, rows, "incident"),
    )


def _print_list(listed: IncidentPage) -> None:
    table = Table("id", "occurred", "kind", "status", "country", "place", "title", "TLP")
    for i in listed.items:
        table.add_row(
            str(i.id),
            i.occurred_on.isoformat(),
            i.kind.replace("_", " "),
            i.status,
            i.country,
            i.place,
            i.title,
            i.tlp.value.upper(),
        )
    console.print(table)
    pages = max(1, -(-listed.total // listed.per_page))
    console.print(f"{listed.total} incident(s), page {listed.page} of {pages}")


@incidents_app.command("show")
def incidents_show(
    incident_id: Annotated[int, typer.Argument(metavar="ID", min=1, help="The incident's id.")],
    as_user: AsUser,
    as_json: AsJson = False,
) -> None:
    """One incident as the user may read it; not found (exit 1) when they may not."""
    try:
        with unit_of_work(session_factory()) as session:
            principal = principal_as(session, as_user)
            read = incident_read(incidents_service.incident_detail(session, principal, incident_id))
    except DomainError as exc:
        raise not_found(exc) from exc
    if as_json:
        echo_json(read.model_dump(mode="json"))
        return
    console.print(f"[bold]#{read.id} {read.title}[/bold]", highlight=False)
    fields = [
        ("kind", read.kind.replace("_", " ")),
        ("status", read.status),
        ("occurred", read.occurred_on.isoformat()),
        ("place", ", ".join(v for v in (read.place, read.country) if v)),
        ("reporting agency", read.reporting_agency),
        (
            "substances",
            "; ".join(
                s.name + (f" {s.quantity:g} {s.unit}" if s.quantity is not None else "")
                for s in read.substances
            ),
        ),
        ("route", " > ".join(f"{r.leg}:{r.country}" for r in read.route)),
        ("parties", "; ".join(f"{p.kind}: {p.value}" for p in read.parties)),
        ("marking", f"TLP:{read.tlp.value.upper()}, {read.distribution.value}"),
    ]
    for name, value in fields:
        if value:
            console.print(f"{name}: {value}", highlight=False)
    if read.narrative:
        console.print(read.narrative, highlight=False)
