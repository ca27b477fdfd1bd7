"""Order files: every problem names the file, the line, the column and the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from precx.screening.orders import OrderFileError, PaymentMethod, Unit, read_orders

HEADER = "order_id,customer_name,customer_country,substance,quantity,unit"


def write(tmp_path: Path, text: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem(path: Path) -> OrderFileError:
    with pytest.raises(OrderFileError) as caught:
        list(read_orders(path))
    return caught.value


def test_a_valid_file_gives_orders_with_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + ",payment_method,transit_countries\n"
        "A1,Acme GmbH,de,acetone,200,L,Cash,PL;lt\n\nA2,Beta,PL,67-64-1,1.5,t,,\n",
    )
    orders = list(read_orders(path))
    assert [line for line, _ in orders] == [2, 4]
    first = orders[0][1]
    assert first.customer_country == "DE" and first.unit is Unit.l
    assert first.payment_method is PaymentMethod.cash
    assert first.transit_countries == ["PL", "LT"]


def test_semicolon_separated_files_from_excel_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(",", ";") + "\nA1;Acme;DE;acetone;200;l\n")
    assert len(list(read_orders(path))) == 1


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "order_id,customer_name,substance,quantity,unit\n"))
    assert (error.file, error.line, error.field) == ("orders.csv", 1, "customer_country")


def test_an_unknown_column_is_refused_with_the_allowed_ones(tmp_path: Path) -> None:
    error = problem(write(tmp_path, HEADER + ",payment\nA1,Acme,DE,acetone,1,kg,cash\n"))
    assert (error.line, error.column) == (1, 7)
    assert "payment_method" in error.message


def test_an_unknown_unit_names_line_column_and_field(tmp_path: Path) -> None:
    error = problem(
        write(tmp_path, HEADER + "\nA1,Acme,DE,acetone,1,kg\nA2,Acme,DE,acetone,3,lb\n")
    )
    assert (error.line, error.column, error.field) == (3, 6, "unit")
    assert "'lb'" in error.message


@pytest.mark.parametrize(
    ("quantity", "says"),
    [("-5", "greater than 0"), ("abc", "number"), ("20000", "plausible")],
)
def test_negative_or_absurd_quantities_are_refused(
    tmp_path: Path, quantity: str, says: str
) -> None:
    unit = "t" if quantity == "20000" else "kg"
    error = problem(write(tmp_path, HEADER + f"\nA1,Acme,DE,acetone,{quantity},{unit}\n"))
    assert error.line == 2 and says in error.message
    assert (error.field, error.column) == ("quantity", 5)


def test_a_customer_since_after_the_order_is_refused_not_taken_as_established(
    tmp_path: Path,
) -> None:
    columns = HEADER + ",customer_since,order_date"
    error = problem(write(tmp_path, columns + "\nA1,Acme,DE,acetone,1,kg,2027-01-01,2026-11-02\n"))
    assert (error.line, error.column, error.field) == (2, 7, "customer_since")
    assert "after the order date (2026-11-02)" in error.message
    # Without an order date, the date may not be in the future (today is allowed anywhere).
    error = problem(write(tmp_path, columns + "\nA1,Acme,DE,acetone,1,kg,2999-01-01,\n"))
    assert error.field == "customer_since" and "2999-01-01 is in the future" in error.message
    same_day = write(tmp_path, columns + "\nA1,Acme,DE,acetone,1,kg,2026-11-02,2026-11-02\n")
    assert len(list(read_orders(same_day))) == 1
    # Where the day has already begun ahead of UTC (Almaty, Auckland), its date is today.
    ahead = (datetime.now(UTC) + timedelta(hours=13)).date().isoformat()
    local_today = write(tmp_path, columns + f"\nA1,Acme,DE,acetone,1,kg,{ahead},\n")
    assert len(list(read_orders(local_today))) == 1


def test_an_empty_required_cell_is_named_as_missing(tmp_path: Path) -> None:
    error = problem(write(tmp_path, HEADER + "\nA1,,DE,acetone,1,kg\n"))
    assert (error.line, error.column, error.field) == (2, 2, "customer_name")
    assert error.message == "is required"


def test_unknown_codes_are_refused(tmp_path: Path) -> None:
    error = problem(write(tmp_path, HEADER + ",delivery_type\nA1,Acme,DE,acetone,1,kg,drone\n"))
    assert (error.field, error.column) == ("delivery_type", 7)
    error = problem(write(tmp_path, HEADER + "\nA1,Acme,XX,acetone,1,kg\n"))
    assert error.field == "customer_country"


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\nA1,Müller,DE,acetone,1,kg\n").encode("latin-1"))
    error = problem(path)
    assert error.line == 2 and "UTF-8" in error.message


def test_an_empty_file_says_what_the_first_line_is_for(tmp_path: Path) -> None:
    assert "first line" in problem(write(tmp_path, "")).message


def test_a_row_with_more_cells_than_columns(tmp_path: Path) -> None:
    error = problem(write(tmp_path, HEADER + "\nA1,Acme,DE,acetone,1,kg,extra\n"))
    assert (error.line, error.column) == (2, 7)


def test_xlsx_files_are_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["X1", "Acme", "DE", "ephedrine", 2.0, "kg"])
    sheet.append(["X2", "Acme", "DE", "ephedrine", -1, "kg"])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    error = problem(path)
    assert (error.file, error.line, error.column, error.field) == (
        "orders.xlsx",
        3,
        5,
        "quantity",
    )


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    assert ".csv or .xlsx" in problem(write(tmp_path, "x", "orders.txt")).message
