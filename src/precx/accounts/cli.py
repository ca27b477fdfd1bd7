"""What the feature CLIs share about accounts: whom `--as EMAIL` names."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.principal import Principal

# `--as EMAIL` of the commands that read as a user.
AsUser = Annotated[
    str, typer.Option("--as", help="E-mail of the user reading: they see what the API shows them.")
]


def principal_as(session: Session, email: str) -> Principal:
    """Whom `--as EMAIL` names: an active user's Principal, else a usage error (exit 2)."""
    principal = accounts_service.active_principal(session, email)
    if principal is None:
        raise typer.BadParameter(f"no active user {email!r}", param_hint="--as")
    return principal
