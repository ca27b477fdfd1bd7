"""What every watchlist reader yields: one entry per listed entity, and one error type."""

from __future__ import annotations

from dataclasses import dataclass, field

from precx.screening.matching.normalize import EntityType


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """One entity of a watchlist as read from a file, before it is stored or indexed."""

    entity_id: str
    name: str
    entity_type: EntityType = EntityType.company
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    addresses: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value), e.g. ("VAT", "DE123456789")
    reason: str | None = None
    programs: tuple[str, ...] = ()  # sanction programmes, e.g. ("SDNTK",); filterable
    source_line: int = 0  # where the entity starts in its file, for messages
    extra: dict[str, str] = field(default_factory=dict, compare=False)


class WatchlistFileError(ValueError):
    """A watchlist file that cannot be imported; names the file, line, column and field."""

    def __init__(
        self,
        file: str,
        line: int,
        message: str,
        *,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        where = f"{file}:{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}")
