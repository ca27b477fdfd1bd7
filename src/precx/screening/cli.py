"""`precx watchlist` and `precx screen`: watchlists and order screening from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.cli import principal_as
from precx.accounts.principal import OrgKind
from precx.db import unit_of_work
from precx.kit.cli import session_factory
from precx.kit.problems import DomainError
from precx.kit.tabular import to_csv, to_xlsx
from precx.screening import service as screening_service
from precx.screening.orders import MAX_ORDERS, OrderFileError, read_orders
from precx.screening.screener import ScreeningResult

watchlist_app = typer.Typer(help="Watchlists screening matches against.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _owner(session: Session, org: str | None) -> int:
    organisations = accounts_service.list_organisations(session, None)
    if org is None:
        platform = [o for o in organisations if o.kind == OrgKind.platform.value]
        if not platform:
            raise typer.BadParameter("no platform organisation; say --org", param_hint="--org")
        return platform[0].id
    for o in organisations:
        if str(o.id) == org or o.name.casefold() == org.casefold():
            return o.id
    raise typer.BadParameter(f"no organisation {org!r} (give its id or name)", param_hint="--org")


@watchlist_app.command("import")
def watchlist_import(
    file: Annotated[
        Path, typer.Argument(help="The list file (for ofac-sdn: sdn.csv or its folder).")
    ],
    format: Annotated[str, typer.Option("--format", help="csv, ofac-sdn or ftm.")],
    list_name: Annotated[str, typer.Option("--list", help="The list's name.")],
    restricted: Annotated[
        bool, typer.Option(help="Authority intelligence: industry sees only 'contact authority'.")
    ] = False,
    org: Annotated[
        str | None, typer.Option(help="Keeping organisation (id or name); default the platform.")
    ] = None,
) -> None:
    """Import a list, replacing its content as a new version (all or nothing)."""
    try:
        with unit_of_work(session_factory()) as session:
            version = screening_service.import_watchlist(
                session,
                None,
                path=file,
                format=format,
                name=list_name,
                restricted=restricted,
                owner_organisation_id=_owner(session, org),
            )
            figures = (version.version, version.entity_count, version.alias_count)
    except DomainError as exc:
        err.print(f"[red]not imported:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    console.print(
        f"{list_name}: version {figures[0]}, {figures[1]:,} entities, {figures[2]:,} aliases"
    )


@watchlist_app.command("list")
def watchlist_list(
    as_json: Annotated[bool, typer.Option("--json", help="Answer in JSON.")] = False,
) -> None:
    """Each list with its entity and alias counts, version and import time."""
    with unit_of_work(session_factory()) as session:
        lists = screening_service.list_watchlists(session, None)
    if as_json:
        rows = [
            {
                "name": w.name,
                "restricted": w.restricted,
                "format": w.format,
                "version": w.version,
                "entities": w.entity_count,
                "aliases": w.alias_count,
                "addresses": w.address_count,
                "imported_at": w.imported_at.isoformat() if w.imported_at else None,
                "owner": w.owner,
            }
            for w in lists
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("list", "kind", "version", "entities", "aliases", "imported (UTC)", "kept by")
    for w in lists:
        table.add_row(
            w.name,
            "restricted" if w.restricted else "public",
            str(w.version),
            f"{w.entity_count:,}",
            f"{w.alias_count:,}",
            w.imported_at.strftime("%Y-%m-%d %H:%M") if w.imported_at else "",
            w.owner,
        )
    console.print(table)


def screen(
    file: Annotated[Path, typer.Argument(help="Orders as .csv or .xlsx.")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="Store the results for this user's organisation.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the results to a .csv, .json or .xlsx file.")
    ] = None,
) -> None:
    """Screen a file of orders; without --as nothing is stored."""
    if out is not None and out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        raise typer.BadParameter("write .csv, .json or .xlsx", param_hint="--out")
    try:
        with (
            unit_of_work(session_factory()) as session,
            Progress(
                TextColumn("screening {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                disable=as_json,
            ) as bar,
        ):
            principal = principal_as(session, as_user) if as_user else None
            task = bar.add_task(file.name, total=None)
            screened = screening_service.screen_orders(
                session,
                principal,
                read_orders(file),
                store=principal is not None,
                filename=file.name,
                progress=lambda done: bar.update(task, completed=done),
            )
    except OrderFileError as exc:
        err.print(f"[red]not screened:[/red] {exc.detail}")
        raise typer.Exit(2) from exc
    except DomainError as exc:
        err.print(f"[red]not screened:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    results = [s.result for s in screened]
    if out is not None:
        _write(out, results)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        _print(results, stored=as_user is not None)
    if out is not None:
        err.print(f"results written to {out}")


def _write(out: Path, results: list[ScreeningResult]) -> None:
    suffix = out.suffix.lower()
    if suffix == ".json":
        out.write_text(
            json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False), "utf-8"
        )
    elif suffix == ".xlsx":
        out.write_bytes(
            to_xlsx(screening_service.RESULT_COLUMNS, screening_service.result_rows(results))
        )
    else:
        out.write_text(
            to_csv(screening_service.RESULT_COLUMNS, screening_service.result_rows(results)),
            "utf-8",
        )


def _print(results: list[ScreeningResult], *, stored: bool) -> None:
    colours = {"clear": "green", "review": "yellow", "report": "red"}
    for r in results:
        colour = colours[r.decision.value]
        console.print(
            f"[bold]{r.order.order_id}[/bold] {r.order.customer_name} "
            f"({r.order.customer_country}), "
            f"{r.order.quantity:g} {r.order.unit} {r.substance_name}: "
            f"[{colour}]{r.decision.value.upper()}[/{colour}] score {r.score}"
        )
        for f in r.findings:
            console.print(f"  - {f.code} ({f.severity}): {f.message}")
        for h in r.hits:
            console.print(f"  * hit on {h.list}: {'; '.join(h.explanation)}")
    counts = {d: sum(1 for r in results if r.decision.value == d) for d in colours}
    console.print(
        f"{len(results)} orders: {counts['clear']} clear, {counts['review']} review, "
        f"{counts['report']} report" + (" (stored)" if stored else " (not stored)")
    )


__all__ = ["MAX_ORDERS", "principal_as", "screen", "watchlist_app"]
