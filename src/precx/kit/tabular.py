"""Tables out of the app as CSV, the same for every feature's exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from fastapi.responses import Response

# Spreadsheets run cells starting with these as formulas; exported text must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A CSV document (UTF-8, header row, comma-separated) of the given columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def csv_response(
    filename: str, columns: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> Response:
    """A CSV download; the BOM lets spreadsheet programs read the UTF-8 correctly."""
    body = "\ufeff" + to_csv(columns, rows)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def to_xlsx(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """An XLSX workbook of one sheet: the header row, then the rows (streamed, write-only)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xlsx_cell(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: object) -> object:
    if value is None or isinstance(value, int | float):
        return value
    return _cell(value)


def xlsx_response(
    filename: str, columns: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> Response:
    """An XLSX download."""
    return Response(
        to_xlsx(columns, rows),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
