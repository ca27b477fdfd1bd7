"""Customer orders as screening reads them: one validated model, and CSV/XLSX files of them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from precx.kit.fields import CountryCode
from precx.kit.i18n import Message, field_message
from precx.kit.problems import FileInputError


class Unit(StrEnum):
    """Units an order's quantity may be given in."""

    kg = "kg"
    g = "g"
    t = "t"
    l = "l"  # noqa: E741 - the unit's own symbol
    ml = "ml"


MASS_IN_KG = {Unit.kg: 1.0, Unit.g: 0.001, Unit.t: 1000.0}
VOLUME_IN_L = {Unit.l: 1.0, Unit.ml: 0.001}
# Beyond this an order is a typing error, not a trade: the largest bulk solvent cargoes are
# tens of thousands of tonnes, a single customer order far less.
ABSURD_KG = 10_000_000.0


class PaymentMethod(StrEnum):
    """How the customer pays."""

    invoice = "invoice"
    bank_transfer = "bank_transfer"
    card = "card"
    cash = "cash"
    third_party = "third_party"
    crypto = "crypto"


class DeliveryType(StrEnum):
    """Where the goods go."""

    customer_premises = "customer_premises"
    third_party = "third_party"
    freight_forwarder = "freight_forwarder"
    po_box = "po_box"
    collection = "collection"
    residential = "residential"


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _split_countries(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _lower(value: Any) -> Any:
    value = _empty_to_none(value)
    return value.lower() if isinstance(value, str) else value


Optional = Annotated[
    Annotated[str, StringConstraints(max_length=500)] | None, BeforeValidator(_empty_to_none)
]
OptionalCountry = Annotated[CountryCode | None, BeforeValidator(_empty_to_none)]
OptionalDate = Annotated[date | None, BeforeValidator(_empty_to_none)]


class Order(BaseModel):
    """One customer order of one substance, as a compliance officer's order system holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: Annotated[str, BeforeValidator(_empty_to_none), Field(min_length=1, max_length=100)]
    customer_name: Annotated[
        str, BeforeValidator(_empty_to_none), Field(min_length=1, max_length=300)
    ]
    customer_country: Annotated[CountryCode, BeforeValidator(_empty_to_none)]
    substance: Annotated[
        str,
        BeforeValidator(_empty_to_none),
        Field(min_length=1, max_length=200, description="CAS number, HS/CN code or name"),
    ]
    quantity: float = Field(gt=0, allow_inf_nan=False)
    unit: Annotated[Unit, BeforeValidator(_lower)]
    customer_address: Optional = None
    customer_business: Optional = None
    customer_since: OptionalDate = Field(None, description="Empty means a new customer")
    customer_licence_number: Optional = None
    customer_registration_number: Optional = None
    customer_email: Optional = None
    customer_phone: Optional = None
    concentration_percent: Annotated[float | None, BeforeValidator(_empty_to_none)] = Field(
        None, gt=0, le=100, allow_inf_nan=False
    )
    packaging: Optional = None
    payment_method: Annotated[PaymentMethod | None, BeforeValidator(_lower)] = None
    delivery_type: Annotated[DeliveryType | None, BeforeValidator(_lower)] = None
    delivery_address: Optional = None
    delivery_country: OptionalCountry = None
    transit_countries: Annotated[list[CountryCode], BeforeValidator(_split_countries)] = Field(
        default_factory=list, max_length=20
    )
    declared_end_use: Optional = None
    order_date: OptionalDate = None

    @model_validator(mode="after")
    def _plausible_quantity(self) -> Order:
        kilograms = self.quantity * MASS_IN_KG.get(self.unit, 1.0)
        if self.unit in VOLUME_IN_L:
            kilograms = self.quantity * VOLUME_IN_L[self.unit]  # ~1 kg/l is enough to judge
        if kilograms > ABSURD_KG:
            raise _field_error(
                "quantity",
                self.quantity,
                Message(
                    "quantity %(quantity)s %(unit)s is not a plausible order "
                    "(more than %(limit)s t)",
                    quantity=f"{self.quantity:g}",
                    unit=self.unit.value,
                    limit=f"{ABSURD_KG / 1000:,.0f}",
                ),
            )
        return self

    @model_validator(mode="after")
    def _customer_known_before_the_order(self) -> Order:
        # A customer "since" a later date would pass as an established one and hide the
        # new-customer flag: most likely a typing error, so it is refused, not guessed at.
        # Without an order date, today: where the day has begun ahead of UTC too.
        day = self.order_date or (datetime.now(UTC) + timedelta(hours=14)).date()
        if self.customer_since is not None and self.customer_since > day:
            since = self.customer_since.isoformat()
            message = (
                Message(
                    "customer_since %(since)s is after the order date (%(day)s); "
                    "leave it empty for a new customer",
                    since=since,
                    day=day.isoformat(),
                )
                if self.order_date
                else Message(
                    "customer_since %(since)s is in the future; leave it empty for a new customer",
                    since=since,
                )
            )
            raise _field_error("customer_since", since, message)
        return self


def _field_error(field: str, value: object, message: Message) -> ValidationError:
    """A check across fields reported at the field at fault, as a field's own check is: a plain
    ValueError in a model validator would name no field.

    The message rides in the error's context as a validator's ValueError does, so that
    `field_message` gives it back translatable."""
    return ValidationError.from_exception_data(
        "Order",
        [
            InitErrorDetails(
                type=PydanticCustomError("value_error", message, {"error": ValueError(message)}),
                loc=(field,),
                input=value,
            )
        ],
    )


REQUIRED_COLUMNS = (
    "order_id",
    "customer_name",
    "customer_country",
    "substance",
    "quantity",
    "unit",
)
COLUMNS = tuple(Order.model_fields)
# Never more than this many orders in one file: results are held until the whole file has been
# screened (all or nothing), so the bound keeps memory bounded.
MAX_ORDERS = 200_000


class OrderFileError(FileInputError):
    """An order file that cannot be screened; names the file, line, column and field."""

    problem = "order-file"
    title = "Invalid order file"


def _pydantic_message(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    message: str = field_message(first)  # pydantic's msg without "Value error, "
    given = first.get("input")
    if first["type"] == "enum":
        allowed = first.get("ctx", {}).get("expected", "")
        message = Message(
            "%(given)s is not one of %(allowed)s", given=repr(given), allowed=str(allowed)
        )
    elif first["type"] == "missing" or (given is None and first["loc"]):
        # An empty cell of a required column arrives as None: it is missing, not "not a string".
        message = Message("is required")
    return field, message


def parse_order(
    values: dict[str, Any],
    *,
    file: str = "<order>",
    line: int = 1,
    columns: dict[str, int] | None = None,
) -> Order:
    """One order from a row of cells, or an OrderFileError naming the cell at fault."""
    try:
        return Order.model_validate(values)
    except ValidationError as exc:
        field, message = _pydantic_message(exc)
        column = (columns or {}).get(field)
        raise OrderFileError(file, line, message, column=column, field=field) from exc


def _check_header(file: str, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff").lower()
        if not name:
            continue
        if name not in COLUMNS:
            raise OrderFileError(
                file,
                1,
                Message(
                    "unknown column %(column)s; columns are %(columns)s",
                    column=repr(raw.strip()),
                    columns=", ".join(COLUMNS),
                ),
                column=position,
                field=name,
            )
        if name in columns:
            raise OrderFileError(
                file,
                1,
                Message("column %(column)s appears twice", column=repr(name)),
                column=position,
            )
        columns[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise OrderFileError(
                file,
                1,
                Message("required column %(column)s is missing", column=repr(name)),
                field=name,
            )
    return columns


def _rows_of_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as raw:
        first = raw.readline(65536).decode("utf-8-sig", errors="replace")
    # Excel in much of Europe separates with `;`; the header line tells which one this file uses.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    position = {"line": 0}

    def lines(handle: BinaryIO) -> Iterator[str]:
        # Decoded line by line, so that a byte that is not UTF-8 is reported with its line.
        for number, raw in enumerate(handle, start=1):
            position["line"] = number
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise OrderFileError(
                    path.name,
                    number,
                    Message(
                        "not UTF-8 text (byte %(byte)s at character %(position)s); "
                        "save the file as UTF-8",
                        byte=f"{raw[exc.start]:#04x}",
                        position=exc.start + 1,
                    ),
                ) from exc
            yield text.lstrip("\ufeff") if number == 1 else text

    with path.open("rb") as handle:
        reader = csv.reader(lines(handle), delimiter=delimiter, strict=True)
        start = 1
        try:
            for row in reader:
                yield start, row
                start = position["line"] + 1
        except csv.Error as exc:
            raise OrderFileError(
                path.name, position["line"], Message("not valid CSV: %(reason)s", reason=str(exc))
            ) from exc


def _rows_of_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise OrderFileError(
            path.name, 1, Message("not a readable XLSX workbook: %(reason)s", reason=str(exc))
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(c) for c in cells]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_orders(path: Path) -> Iterator[tuple[int, Order]]:
    """The orders of a CSV or XLSX file with their line numbers, streamed; the first problem stops.

    A CSV may be comma- or semicolon-separated (Excel in much of Europe writes `;`).
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OrderFileError(path.name, 0, Message("orders come as .csv or .xlsx"))
    if not path.is_file():
        raise OrderFileError(path.name, 0, Message("no such file"))
    rows = _rows_of_xlsx(path) if suffix == ".xlsx" else _rows_of_csv(path)
    columns: dict[str, int] | None = None
    count = 0
    for line, row in rows:
        if columns is None:
            columns = _check_header(path.name, row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > max(columns.values()) and any(
            c.strip() for c in row[max(columns.values()) :]
        ):
            raise OrderFileError(
                path.name,
                line,
                Message(
                    "%(cells)s cells, but the header names %(columns)s columns",
                    cells=len(row),
                    columns=len(columns),
                ),
                column=max(columns.values()) + 1,
            )
        values = {name: row[pos - 1] if pos - 1 < len(row) else "" for name, pos in columns.items()}
        count += 1
        if count > MAX_ORDERS:
            raise OrderFileError(
                path.name,
                line,
                Message("more than %(limit)s orders; split the file", limit=f"{MAX_ORDERS:,}"),
            )
        yield line, parse_order(values, file=path.name, line=line, columns=columns)
    if columns is None:
        raise OrderFileError(
            path.name, 1, Message("the file is empty; the first line names the columns")
        )


def orders_from_text(text: str, name: str = "orders.csv") -> Iterator[tuple[int, Order]]:
    """Orders from CSV text (for uploads held in memory and for tests)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    columns: dict[str, int] | None = None
    for row in reader:
        line = reader.line_num
        if columns is None:
            columns = _check_header(name, row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        values = {n: row[p - 1] if p - 1 < len(row) else "" for n, p in columns.items()}
        yield line, parse_order(values, file=name, line=line, columns=columns)
