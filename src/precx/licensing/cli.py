"""`precx licence` and `precx alr`: the licence register and ALR from the shell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from precx.accounts.cli import principal_as
from precx.config import get_settings
from precx.db import unit_of_work
from precx.kit.cli import session_factory
from precx.kit.problems import DomainError
from precx.kit.tabular import to_csv, to_xlsx
from precx.licensing import service as licensing_service

licence_app = typer.Typer(
    help="The licence register: import, export, verify.", no_args_is_help=True
)
alr_app = typer.Typer(help="Annual legitimate requirements.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

AsUser = Annotated[
    str, typer.Option("--as", help="E-mail of the user acting (their organisation).")
]


def _read(file: Path) -> bytes:
    if not file.is_file():
        err.print(f"[red]not imported:[/red] {file}: no such file")
        raise typer.Exit(1)
    return file.read_bytes()


@licence_app.command("import")
def licence_import(
    file: Annotated[Path, typer.Argument(help="A CSV or XLSX table of licences.")],
    as_user: AsUser,
) -> None:
    """Create or amend licences from a table, all or nothing."""
    content = _read(file)
    try:
        with unit_of_work(session_factory()) as session:
            created, updated = licensing_service.import_register_file(
                session, principal_as(session, as_user), filename=file.name, content=content
            )
    except DomainError as exc:
        err.print(f"[red]not imported:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    console.print(f"{file.name}: {created} licences created, {updated} updated")


OptionalUser = Annotated[
    str | None, typer.Option("--as", help="E-mail of the user acting (their organisation).")
]


@licence_app.command("export")
def licence_export(
    as_user: OptionalUser = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="A .csv or .xlsx file; default stdout.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Only this country's licences.")] = None,
) -> None:
    """Write the licences (those the user may read with --as), in the columns an import takes."""
    with unit_of_work(session_factory()) as session:
        rows = licensing_service.export_rows(
            session,
            principal_as(session, as_user) if as_user else None,
            licensing_service.RegisterFilter(country=country),
        )
    columns = licensing_service.EXPORT_COLUMNS
    if output is None:
        sys.stdout.write(to_csv(columns, rows))
    elif output.suffix.lower() == ".xlsx":
        output.write_bytes(to_xlsx(columns, rows))
    else:
        output.write_text(to_csv(columns, rows), encoding="utf-8")
    if output is not None:
        err.print(f"{len(rows)} licences written to {output}")


@licence_app.command("verify")
def licence_verify(
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 code of the issuing country.")],
    number: Annotated[str, typer.Option(help="The licence or registration number.")],
    as_user: OptionalUser = None,
    substance: Annotated[str | None, typer.Option(help="Catalog id, CAS or name.")] = None,
    activity: Annotated[str | None, typer.Option(help="e.g. import, export.")] = None,
) -> None:
    """Verify a licence: status, holder and validity (with --as, logged for its authority)."""
    try:
        with unit_of_work(session_factory()) as session:
            if as_user is None:
                answer = licensing_service.verify_unlogged(
                    session, country=country, number=number, substance=substance, activity=activity
                )
            else:
                principal = principal_as(session, as_user)
                licensing_service.check_verify_rate(
                    session, principal, per_minute=get_settings().verify_rate_per_minute
                )
                answer = licensing_service.verify(
                    session,
                    principal,
                    country=country,
                    number=number,
                    substance=substance,
                    activity=activity,
                )
    except DomainError as exc:
        err.print(f"[red]cannot verify:[/red] {exc.detail}")
        raise typer.Exit(2) from exc
    console.print_json(answer.model_dump_json())
    if answer.status.value != "valid":
        raise typer.Exit(1)


@alr_app.command("import")
def alr_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: country, substance, quantity_kg.")],
    as_user: AsUser,
) -> None:
    """Load annual legitimate requirements of the user's country, all or nothing."""
    content = _read(file)
    try:
        with unit_of_work(session_factory()) as session:
            changed = licensing_service.import_requirements(
                session, principal_as(session, as_user), filename=file.name, content=content
            )
    except DomainError as exc:
        err.print(f"[red]not imported:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    console.print(f"{file.name}: {changed} requirements changed")
