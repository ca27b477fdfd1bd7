"""Record identifiers in paths and bodies, bounded so no database overflows on them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2_147_483_647  # PostgreSQL's integer; SQLite would take more, but both must agree.

PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="A record's identifier.")]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
