"""`precx reports`: the reports a user may read, listed, shown and exported from the shell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from precx.accounts.cli import AsUser, principal_as
from precx.accounts.principal import Principal
from precx.db import unit_of_work
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
from precx.reports import service as reports_service
from precx.reports.models import Report, ReportKind, ReportStatus
from precx.reports.schemas import ReportPage, ReportRead

reports_app = typer.Typer(
    help="Reports of suspicious orders, as the user named by --as may read them.",
    no_args_is_help=True,
)
console = Console()


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
    finish_list(
        listed,
        lambda: _print_list(listed, reporter=principal.is_authority),
        as_json=as_json,
        out=out,
        export=(reports_service.EXPORT_COLUMNS, rows, "report"),
    )


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
