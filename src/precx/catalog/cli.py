"""`precx catalog`, `precx substances`, `precx countries`: the catalog from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from precx.catalog import loader
from precx.catalog import service as catalog_service
from precx.catalog.schemas import SubstanceRead
from precx.db import unit_of_work
from precx.kit.cli import session_factory
from precx.kit.problems import DomainError

catalog_app = typer.Typer(help="The reference catalog's data files.", no_args_is_help=True)
substances_app = typer.Typer(help="Controlled and watched substances.", no_args_is_help=True)
countries_app = typer.Typer(
    help="Countries, OSCE status, notification requests.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)


@catalog_app.command("validate")
def validate(
    substances: Annotated[Path, typer.Option(help="Substances file.")] = loader.SUBSTANCES_FILE,
) -> None:
    """Check a substances file (CAS check digits, codes, references) without loading it."""
    try:
        records = loader.read_substances(substances)
        loader.read_country_extras()
        loader.read_mixture_rules()
    except DomainError as exc:
        err.print(f"[red]invalid:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    console.print(f"{substances}: {len(records)} substances, valid")


@catalog_app.command("load")
def load(
    substances: Annotated[Path, typer.Option(help="Substances file.")] = loader.SUBSTANCES_FILE,
    force: Annotated[bool, typer.Option(help="Load even if the files did not change.")] = False,
) -> None:
    """Load the data files into the database, all or nothing."""
    try:
        with unit_of_work(session_factory()) as session:
            report = catalog_service.load_catalog(
                session, None, substances_path=substances, actor_label="cli", force=force
            )
    except DomainError as exc:
        err.print(f"[red]not loaded:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    if report.unchanged:
        console.print(f"catalog unchanged ({report.substances} substances)")
    else:
        console.print(
            f"catalog loaded: {report.substances} substances ({report.added} added, "
            f"{report.updated} updated, {report.removed} removed), "
            f"{report.countries} countries"
        )


def _print_substance(s: SubstanceRead) -> None:
    table = Table(show_header=False, box=None)
    rows = [
        ("name", s.name),
        ("iupac", s.iupac or ""),
        ("cas", ", ".join(s.cas)),
        ("hs_code", s.hs_code or ", ".join(s.hs_codes)),
        ("cn_code", s.cn_code or ""),
        ("un_table", s.un_table or "—"),
        ("eu_category", s.eu_category or "—"),
        ("other lists", ", ".join(f"{k} {v}" for k, v in s.other_lists.items())),
        ("watched", "yes" if s.watched else "no"),
        ("parent", s.parent or ""),
        ("synonyms", "; ".join(s.synonyms)),
        ("names", "; ".join(f"{k}: {v}" for k, v in s.names.items())),
    ]
    for key, value in rows:
        if value:
            table.add_row(f"[bold]{key}[/bold]", value)
    console.print(table)
    for t in s.thresholds:
        console.print(
            f"  threshold {t.jurisdiction}: {t.quantity:g} {t.unit} — {t.obligation} ({t.source})"
        )
    for source in s.sources:
        console.print(f"  source: {source}")


@substances_app.command("show")
def show(
    query: Annotated[str, typer.Argument(help="CAS number, HS/CN code, name or synonym.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Identify a substance; an ambiguous query lists the candidates ranked, with why."""
    with unit_of_work(session_factory()) as session:
        found = catalog_service.identify(session, query)
    if not found.candidates:
        err.print(f"no substance matches {query!r}: check the spelling, or give a CAS number")
        raise typer.Exit(1)
    if as_json:
        if found.identified:
            best = found.candidates[0]
            payload = {
                **best.substance.model_dump(mode="json"),
                "match": best.model_dump(mode="json", exclude={"substance"}),
            }
        else:
            payload = found.model_dump(mode="json")
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    if found.identified:
        best = found.candidates[0]
        console.print(f"[green]{best.why}[/green]")
        _print_substance(best.substance)
        return
    console.print(f"{len(found.candidates)} candidates for {query!r}:")
    for c in found.candidates:
        console.print(
            f"  {c.score:5.1f}  {c.substance.name} ({', '.join(c.substance.cas)}) — {c.why}"
        )


@substances_app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Every substance of the catalog."""
    with unit_of_work(session_factory()) as session:
        items = catalog_service.list_substances(session)
    if as_json:
        sys.stdout.write(
            json.dumps([s.model_dump(mode="json") for s in items], ensure_ascii=False, indent=2)
            + "\n"
        )
        return
    table = Table("id", "name", "CAS", "UN", "EU", "watched")
    for s in items:
        table.add_row(
            s.id,
            s.name,
            ", ".join(s.cas),
            s.un_table or "",
            s.eu_category or "",
            "yes" if s.watched else "",
        )
    console.print(table)


@countries_app.command("show")
def country_show(
    code: Annotated[str, typer.Argument(help="ISO alpha-2, alpha-3 or name.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """A country: ISO codes, OSCE status, EU membership, notification requests."""
    try:
        with unit_of_work(session_factory()) as session:
            found = catalog_service.get_country(session, code)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(1) from exc
    if as_json:
        sys.stdout.write(
            json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        )
        return
    console.print(f"[bold]{found.name}[/bold] ({found.iso2}/{found.iso3})")
    console.print(
        f"OSCE: {found.osce_status or '—'}   EU member: {'yes' if found.eu_member else 'no'}"
    )
    for p in found.pen_requirements:
        console.print(
            f"  pre-export notification {'requested' if p.required else 'not requested'}"
            f" for {p.substance}"
        )
