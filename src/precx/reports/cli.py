"""`precx reports`: the reports a user may read, listed, shown and exported from the shell."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from precx.accounts.cli import principal_as
from precx.accounts.principal import Principal
from precx.config import get_settings
from precx.db import make_engine, make_session_factory, unit_of_work
from precx.kit.pagination import MAX_PER_PAGE, PageParams
from precx.kit.problems import DomainError
from precx.kit.tabular import to_csv, to_xlsx
from precx.reports import service as reports_service
from precx.reports.models import Report, ReportKind, ReportStatus
from precx.reports.schemas import ReportPage, ReportRead

reports_app = typer.Typer(
    help="Reports of suspicious orders, as the user named by --as may read them.",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)

AsUser = Annotated[
    str, typer.Option("--as", help="E-mail of the user reading: they see what the API shows them.")
]
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


def _read(session: Session, principal: Principal, reports: Sequence[Report]) -> list[ReportRead]:
    return [
        ReportRead.model_validate(d) for d in reports_service.describe(session, principal, reports)
    ]


def _report_id(value: str) -> int:
    text = value.strip().removeprefix("#")
    if not text.isdigit() or int(text) < 1:
        raise typer.BadParameter(
            f"{value!r} is not a report reference (#12) or id (12)", param_hint="REFERENCE_OR_ID"
        )
    return int(text)


@reports_app.command("list")
def reports_list(
    as_user: AsUser,
    status: Annotated[ReportStatus | None, typer.Option(help="Only this status.")] = None,
    kind: Annotated[ReportKind | None, typer.Option(help="Only this kind.")] = None,
    page: PageOption = 1,
    per_page: PerPage = 50,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """The reports the user may read: an authority's queue, a reporter's own reports."""
    check_out(out)
    # The same filters the API builds from its query string.
    filters = reports_service.ReportFilters(
        status=status.value if status else None, kind=kind.value if kind else None
    )
    rows: list[dict[str, object]] = []
    try:
        with unit_of_work(session_factory()) as session:
            principal = principal_as(session, as_user)
            if out is not None:
                rows = reports_service.export_rows(session, principal, filters)
            found = reports_service.list_reports(
                session, principal, PageParams(page=page, per_page=per_page), filters
            )
            listed = ReportPage(
                items=_read(session, principal, list(found.items)),
                total=found.total,
                page=found.page,
                per_page=found.per_page,
            )
    except DomainError as exc:
        raise refused(exc) from exc
    if out is not None:
        write_export(out, reports_service.EXPORT_COLUMNS, rows)
        err.print(f"{len(rows)} report(s) written to {out}")
    if as_json:
        echo_json(listed.model_dump(mode="json"))
    elif out is None:
        _print_list(listed, reporter=principal.is_authority)


def _print_list(listed: ReportPage, *, reporter: bool) -> None:
    columns = ["reference", "kind", "status"]
    columns += ["reporter"] if reporter else []
    table = Table(*columns, "submitted (UTC)", "due")
    for r in listed.items:
        status = r.status.value + (f" · {r.outcome.value}" if r.outcome else "")
        due = r.ack_due_at.strftime("%Y-%m-%d") if r.ack_due_at else "—"
        table.add_row(
            f"#{r.id}",
            r.kind.value.replace("_", " "),
            status.replace("_", " "),
            *([r.reporter_organisation] if reporter else []),
            r.submitted_at.strftime("%Y-%m-%d %H:%M") if r.submitted_at else "—",
            due + (" [red]overdue[/red]" if r.overdue else ""),
        )
    console.print(table)
    pages = max(1, -(-listed.total // listed.per_page))
    console.print(f"{listed.total} report(s), page {listed.page} of {pages}")


@reports_app.command("show")
def reports_show(
    reference: Annotated[str, typer.Argument(metavar="REFERENCE_OR_ID", help="#12 or 12.")],
    as_user: AsUser,
    as_json: AsJson = False,
) -> None:
    """One report as the user may read it; not found (exit 1) when they may not."""
    report_id = _report_id(reference)
    try:
        with unit_of_work(session_factory()) as session:
            principal = principal_as(session, as_user)
            report = reports_service.get_report(session, principal, report_id)
            [read] = _read(session, principal, [report])
    except DomainError as exc:
        raise not_found(exc) from exc
    if as_json:
        echo_json(read.model_dump(mode="json"))
        return
    _print_one(read, reporter=principal.is_authority)


def _print_one(r: ReportRead, *, reporter: bool) -> None:
    console.print(f"[bold]{r.summary}[/bold]")
    status = r.status.value + (f" ({r.outcome.value})" if r.outcome else "")
    fields: list[tuple[str, str]] = [("status", status)]
    if reporter:
        fields.append(("reporter", r.reporter_organisation))
    cp = r.counterparty
    fields += [
        ("counterparty", ", ".join(str(v) for v in (cp.get("name"), cp.get("country")) if v)),
        (
            "substances",
            "; ".join(
                s.substance_name + (f" {s.quantity:g} {s.unit}" if s.quantity else "")
                for s in r.substances
            ),
        ),
        ("red flags", ", ".join(r.red_flags)),
        ("action taken", r.action_taken.value if r.action_taken else ""),
        ("submitted (UTC)", r.submitted_at.strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""),
        ("acknowledge by", r.ack_due_at.strftime("%Y-%m-%d") if r.ack_due_at else ""),
    ]
    for name, value in fields:
        if value:
            console.print(f"{name}: {value}", highlight=False)
    if r.overdue:
        console.print("[red]overdue[/red]")
    if r.narrative:
        console.print(r.narrative, highlight=False)
