"""Register and ALR tables as CSV or XLSX: rows with their line numbers, errors naming the cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from precx.kit.i18n import Message
from precx.kit.problems import FileInputError

MAX_ROWS = 100_000


class TableFileError(FileInputError):
    """A table that cannot be imported; names the file, line, column and field."""

    problem = "table-file"
    title = "Invalid table file"


@dataclass(frozen=True)
class Table:
    """A table read in full: its columns' positions and its rows as (line, values)."""

    filename: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(name: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    lines = content.splitlines(keepends=True)
    decoded: list[str] = []
    for number, raw in enumerate(lines, start=1):
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise TableFileError(
                name, number, Message("not UTF-8 text; save the file as UTF-8"), column=None
            ) from exc
    if decoded:
        decoded[0] = decoded[0].lstrip("\ufeff")
    first = decoded[0] if decoded else ""
    # Excel in much of Europe separates with `;`; the header line tells which this file uses.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(decoded, delimiter=delimiter, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise TableFileError(
            name, reader.line_num, Message("not valid CSV: %(error)s", error=str(exc))
        ) from exc


def _xlsx_rows(name: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableFileError(
            name, 1, Message("not a readable XLSX workbook: %(error)s", error=str(exc))
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(c) for c in cells]
    finally:
        workbook.close()


def _header(
    name: str, row: list[str], known: Sequence[str], required: Sequence[str]
) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, raw in enumerate(row, start=1):
        column = raw.strip().lstrip("\ufeff").lower()
        if not column:
            continue
        if column not in known:
            raise TableFileError(
                name,
                1,
                Message(
                    "unknown column %(column)s; columns are %(columns)s",
                    column=repr(raw.strip()),
                    columns=", ".join(known),
                ),
                column=position,
                field=column,
            )
        if column in columns:
            raise TableFileError(
                name,
                1,
                Message("column %(column)s appears twice", column=repr(column)),
                column=position,
            )
        columns[column] = position
    for column in required:
        if column not in columns:
            raise TableFileError(
                name,
                1,
                Message("required column %(column)s is missing", column=repr(column)),
                field=column,
            )
    return columns


def read_table(
    filename: str, content: bytes, *, known: Sequence[str], required: Sequence[str]
) -> Table:
    """A CSV or XLSX table with a header row of known columns, read in full."""
    name = PurePath(filename or "upload.csv").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TableFileError(name, 0, Message("tables come as .csv or .xlsx"))
    source = _xlsx_rows(name, content) if suffix == ".xlsx" else _csv_rows(name, content)
    columns: dict[str, int] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for line, row in source:
        if columns is None:
            columns = _header(name, row, known, required)
            continue
        if not any(cell.strip() for cell in row):
            continue
        last = max(columns.values())
        if len(row) > last and any(c.strip() for c in row[last:]):
            raise TableFileError(
                name,
                line,
                Message(
                    "%(cells)s cells, but the header names %(columns)s columns",
                    cells=len(row),
                    columns=len(columns),
                ),
                column=last + 1,
            )
        if len(rows) >= MAX_ROWS:
            raise TableFileError(
                name,
                line,
                Message("more than %(rows)s rows; split the file", rows=f"{MAX_ROWS:,}"),
            )
        rows.append((line, {c: row[p - 1] if p - 1 < len(row) else "" for c, p in columns.items()}))
    if columns is None:
        raise TableFileError(
            name, 1, Message("the file is empty; the first line names the columns")
        )
    return Table(name, columns, rows)
