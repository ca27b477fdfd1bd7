"""What the feature CLIs share: the database, the options of `list` commands, exports, exits."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from precx.config import get_settings
from precx.db import make_engine, make_session_factory
from precx.kit.pagination import MAX_PER_PAGE
from precx.kit.problems import DomainError
from precx.kit.tabular import to_csv, to_xlsx

err = Console(stderr=True)

AsJson = Annotated[bool, typer.Option("--json", help="Answer in JSON (the API's read model).")]
Out = Annotated[
    Path | None,
    typer.Option(help="Write every match to a .csv or .xlsx file, as the API's export does."),
]
PageOption = Annotated[int, typer.Option(min=1, max=1_000_000, help="Which page of the list.")]
PerPage = Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE, help="Rows per page.")]
EXPORT_SUFFIXES = (".csv", ".xlsx")


def session_factory() -> sessionmaker[Session]:
    """Sessions on the configured database."""
    return make_session_factory(make_engine(get_settings()))


def check_out(out: Path | None) -> None:
    """Refuse (exit 2) an --out file that is neither .csv nor .xlsx, before any work is done."""
    if out is not None and out.suffix.lower() not in EXPORT_SUFFIXES:
        raise typer.BadParameter("write .csv or .xlsx", param_hint="--out")


def write_export(out: Path, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> None:
    """Write export rows to .csv or .xlsx exactly as the API's downloads carry them."""
    if out.suffix.lower() == ".xlsx":
        out.write_bytes(to_xlsx(columns, rows))
    else:
        # The BOM, as in the API's CSV download, lets spreadsheet programs read the UTF-8.
        out.write_text("\ufeff" + to_csv(columns, rows), "utf-8", newline="")


def not_found(exc: DomainError) -> typer.Exit:
    """A record the user may not read, told apart from nothing: exit 1."""
    err.print(f"[red]not found:[/red] {exc.detail}")
    return typer.Exit(1)


def refused(exc: DomainError) -> typer.Exit:
    """Any other refusal of the service: exit 1 with its reason."""
    err.print(f"[red]refused:[/red] {exc.detail}")
    return typer.Exit(1)


def echo_json(data: object) -> None:
    """JSON on stdout, for scripts."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def finish_list(
    listed: BaseModel,
    print_table: Callable[[], None],
    *,
    as_json: bool,
    out: Path | None,
    export: tuple[Sequence[str], Sequence[Mapping[str, object]], str],
) -> None:
    """The end of a `list` command: the export file when asked (columns, rows, what a row is),
    then the page as JSON or as a table (no table when only a file was asked for)."""
    if out is not None:
        columns, rows, noun = export
        write_export(out, columns, rows)
        err.print(f"{len(rows)} {noun}(s) written to {out}")
    if as_json:
        echo_json(listed.model_dump(mode="json"))
    elif out is None:
        print_table()
