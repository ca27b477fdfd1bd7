"""Our own watchlist CSV layout: one listed entity a row, comma- or semicolon-separated UTF-8."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import pycountry

from precx.kit.i18n import Message
from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

COLUMNS = (
    "entity_id",
    "name",
    "aliases",
    "entity_type",
    "country",
    "address",
    "identifiers",
    "reason",
)
REQUIRED_COLUMNS = ("entity_id", "name")
ENTITY_TYPES = tuple(t.value for t in EntityType)
# The widths of the database columns the entities are stored in: a longer value would pass on
# SQLite and fail on PostgreSQL, after the whole file had been read.
MAX_ID_LENGTH = 200
MAX_NAME_LENGTH = 1000


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code `value` names (either case), or None if it names none."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        return None
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The non-empty values, stripped, each once, in their first order."""
    seen: dict[str, None] = {}
    for value in values:
        text = value.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def _quote_fault(text: str, delimiter: str) -> int | None:
    """The 1-based field of `text` whose quotes are wrong: never closed, or text after them."""
    field, at_start, i = 1, True, 0
    while i < len(text):
        char = text[i]
        if at_start and char == '"':
            end = i + 1
            while (end := text.find('"', end)) >= 0 and text[end + 1 : end + 2] == '"':
                end += 2
            if end < 0 or text[end + 1 : end + 2] not in ("", delimiter, "\r", "\n"):
                return field
            i, at_start = end + 1, False
            continue
        if char == delimiter:
            field += 1
        at_start = char == delimiter
        i += 1
    return None


def csv_rows(
    file: str, lines: Iterable[tuple[int, str]], delimiter: str = ","
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each CSV record of numbered text lines, strictly parsed.

    A record may span lines (a quoted field with a line break); the caller decides whether it may.
    """
    current = 0
    pending: list[str] = []  # the text of the record being read, to locate a broken quote

    def text() -> Iterator[str]:
        nonlocal current
        for number, line in lines:
            current = number
            pending.append(line)
            yield line

    reader = csv.reader(text(), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _syntax_error(file, start, current, "".join(pending), delimiter, exc) from exc
        yield start, current, row
        pending.clear()
        start = current + 1


def _syntax_error(
    file: str, start: int, current: int, text: str, delimiter: str, exc: csv.Error
) -> WatchlistFileError:
    reason = str(exc)
    column = _quote_fault(text, delimiter)
    runs_on = (
        Message("; the field runs on to line %(line)s", line=current) if current > start else ""
    )
    # An unclosed quote swallows the rest of the file until the end or the csv module's field
    # size limit, whichever comes first; either way the line to fix is where the quote opened.
    if "end of data" in reason or ("field larger" in reason and column is not None):
        return WatchlistFileError(
            file,
            start,
            Message("a quoted field opens here and never closes (a missing closing quote)"),
            column=column,
        )
    if "expected after" in reason:
        return WatchlistFileError(
            file,
            start,
            Message(
                "text after the closing quote of a field: a missing closing quote, or a quote "
                "inside a quoted field that is not written twice%(runs_on)s",
                runs_on=runs_on,
            ),
            column=column,
        )
    if "field larger" in reason:
        return WatchlistFileError(
            file,
            current,
            Message(
                "a field longer than %(limit)s characters", limit=f"{csv.field_size_limit():,}"
            ),
        )
    if "NUL" in reason:
        return WatchlistFileError(file, current, Message("a NUL byte: this is not a text file"))
    return WatchlistFileError(file, current, Message("not valid CSV: %(reason)s", reason=reason))


def _utf8_lines(path: Path) -> Iterator[tuple[int, str]]:
    # Decoded line by line, so that a byte that is not UTF-8 is reported with its line.
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise WatchlistFileError(
                    path.name,
                    number,
                    Message(
                        "not UTF-8 text (byte %(byte)s at byte %(position)s of the line); "
                        "save the file as UTF-8",
                        byte=f"{raw[exc.start]:#04x}",
                        position=exc.start + 1,
                    ),
                ) from exc
            yield number, text.removeprefix("\ufeff") if number == 1 else text


def _sniff_delimiter(path: Path) -> str:
    with path.open("rb") as raw:
        first = raw.readline(65536).decode("utf-8-sig", errors="replace")
    # Excel in much of Europe separates with `;`; the header line tells which one this file uses.
    return ";" if first.count(";") > first.count(",") else ","


def _header(file: str, line: int, cells: list[str]) -> dict[str, int]:
    allowed = ", ".join(COLUMNS)
    columns: dict[str, int] = {}
    for position, raw in enumerate(cells, start=1):
        name = raw.strip().lower()
        if not name:
            continue  # an unnamed column may only stay empty; rows are checked for that
        if name not in COLUMNS:
            raise WatchlistFileError(
                file,
                line,
                Message(
                    "unknown column %(column)s; the columns are %(columns)s",
                    column=repr(raw.strip()),
                    columns=allowed,
                ),
                column=position,
                field=raw.strip(),
            )
        if name in columns:
            raise WatchlistFileError(
                file,
                line,
                Message(
                    "column %(column)s appears twice (also column %(first)s)",
                    column=repr(name),
                    first=columns[name],
                ),
                column=position,
                field=name,
            )
        columns[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise WatchlistFileError(
                file,
                line,
                Message(
                    "required column %(column)s is missing; the columns are %(columns)s",
                    column=repr(name),
                    columns=allowed,
                ),
                field=name,
            )
    return columns


class _Row:
    """One data row with where it is, for values and for errors naming the cell at fault."""

    def __init__(self, file: str, line: int, cells: list[str], columns: dict[str, int]) -> None:
        self.file, self.line, self.cells, self.columns = file, line, cells, columns

    def get(self, name: str) -> str:
        position = self.columns.get(name)
        return self.cells[position - 1].strip() if position is not None else ""

    def error(self, name: str, message: str) -> WatchlistFileError:
        return WatchlistFileError(
            self.file, self.line, message, column=self.columns.get(name), field=name
        )

    def required(self, name: str, limit: int) -> str:
        value = self.get(name)
        if not value:
            raise self.error(name, Message("%(field)s is required", field=name))
        if len(value) > limit:
            raise self.error(
                name,
                Message("%(field)s is longer than %(limit)s characters", field=name, limit=limit),
            )
        return value


def _entity(row: _Row, seen: dict[str, int]) -> ListedEntity:
    entity_id = row.required("entity_id", MAX_ID_LENGTH)
    if entity_id in seen:
        raise row.error(
            "entity_id",
            Message(
                "entity_id %(id)s appears twice; first on line %(line)s",
                id=repr(entity_id),
                line=seen[entity_id],
            ),
        )
    name = row.required("name", MAX_NAME_LENGTH)
    kind = row.get("entity_type").lower() or EntityType.company.value
    if kind not in ENTITY_TYPES:
        raise row.error(
            "entity_type",
            Message(
                "entity_type %(value)s is not one of %(allowed)s",
                value=repr(row.get("entity_type")),
                allowed=", ".join(ENTITY_TYPES),
            ),
        )
    country: str | None = None
    if row.get("country"):
        country = country_code(row.get("country"))
        if country is None:
            raise row.error(
                "country",
                Message(
                    "country %(value)s is not an ISO 3166-1 alpha-2 code (DE, RU, KZ)",
                    value=repr(row.get("country")),
                ),
            )
    identifiers: list[tuple[str, str]] = []
    for part in unique(row.get("identifiers").split(";")):
        scheme, colon, value = part.partition(":")
        if not colon or not scheme.strip() or not value.strip():
            raise row.error(
                "identifiers",
                Message(
                    "identifier %(value)s is not SCHEME:value (VAT:DE123456789); "
                    "several are separated by ;",
                    value=repr(part),
                ),
            )
        if (scheme.strip(), value.strip()) not in identifiers:
            identifiers.append((scheme.strip(), value.strip()))
    seen[entity_id] = row.line
    return ListedEntity(
        entity_id=entity_id,
        name=name,
        entity_type=EntityType(kind),
        aliases=tuple(a for a in unique(row.get("aliases").split(";")) if a != name),
        country=country,
        addresses=unique([row.get("address")]),
        identifiers=tuple(identifiers),
        reason=row.get("reason") or None,
        source_line=row.line,
    )


def read_csv_list(path: Path) -> Iterator[ListedEntity]:
    """The entities of a watchlist CSV file, streamed; the first problem stops with its place.

    The first line names the columns (entity_id and name required); a file may be comma- or
    semicolon-separated, UTF-8 with or without a byte order mark.
    """
    file = path.name
    if not path.is_file():
        raise WatchlistFileError(file, 0, Message("no such file"))
    delimiter = _sniff_delimiter(path)
    columns: dict[str, int] | None = None
    unnamed: list[int] = []
    width = 0
    seen: dict[str, int] = {}  # entity_id -> line, for duplicates
    for line, _, cells in csv_rows(file, _utf8_lines(path), delimiter):
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns = _header(file, line, cells)
            unnamed = [p for p in range(1, len(cells) + 1) if p not in columns.values()]
            width = len(cells)
            continue
        if len(cells) != width:
            missing = sorted((p, n) for n, p in columns.items() if p > len(cells))
            raise WatchlistFileError(
                file,
                line,
                Message(
                    "%(cells)s fields, but the header line has %(width)s",
                    cells=len(cells),
                    width=width,
                ),
                column=min(len(cells), width) + 1,
                field=missing[0][1] if missing else None,
            )
        for position in unnamed:
            if cells[position - 1].strip():
                raise WatchlistFileError(
                    file, line, Message("a value in a column without a name"), column=position
                )
        yield _entity(_Row(file, line, cells, columns), seen)
    if columns is None:
        raise WatchlistFileError(
            file,
            1,
            Message(
                "the file is empty; its first line names the columns: %(columns)s",
                columns=", ".join(COLUMNS),
            ),
        )
