"""`precx notifications`: the deadline sweep and exports of notifications from the shell."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from precx.db import unit_of_work
from precx.kit.cli import session_factory
from precx.notifications import service as notifications_service

notifications_app = typer.Typer(
    help="Pre-export notifications: reply deadlines.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)


@notifications_app.command("sweep")
def sweep(
    at: Annotated[
        str | None,
        typer.Option(help="Sweep as if it were this ISO time (UTC), e.g. to catch up."),
    ] = None,
) -> None:
    """Send the reminders that are due and mark notifications past their deadline no_response."""
    moment = notifications_service.now()
    if at:
        try:
            parsed = datetime.fromisoformat(at)
        except ValueError:
            err.print(f"[red]--at: {at!r} is not an ISO date and time[/red]")
            raise typer.Exit(2) from None
        moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=moment.tzinfo)
    with unit_of_work(session_factory()) as session:
        result = notifications_service.sweep_deadlines(session, now=moment)
    console.print(f"{result.reminders} reminder(s), {result.no_response} no response")
