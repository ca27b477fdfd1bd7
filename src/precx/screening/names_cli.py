"""`precx names compare`: score two names, or a file of pairs, with the screening comparator."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from precx.screening.matching.compare import OPERATING_THRESHOLD, compare_names
from precx.screening.matching.normalize import SCHEMA_TYPES, EntityType

names_app = typer.Typer(
    help="Name matching: how the screening comparator scores names.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)
PAIR_COLUMNS = ("name1", "name2", "schema")


@names_app.callback()
def names() -> None:
    """Name matching: how the screening comparator scores names."""


class PairsFileError(Exception):
    """A file of name pairs that cannot be read; names the file, line, column and field."""

    def __init__(
        self, file: str, line: int | None, message: str, *, column: int = 0, field: str = ""
    ) -> None:
        where = file + (f":{line}" if line else "") + (f":{column}" if column else "")
        label = f" ({field})" if field else ""
        super().__init__(f"{where}{label}: {message}")


def _read_pairs(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV of name pairs with their line numbers, checked as they are read."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise PairsFileError(str(path), None, f"cannot be read: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader, [])]
            for column in PAIR_COLUMNS:
                if column not in header:
                    found = ", ".join(h for h in header if h) or "none"
                    raise PairsFileError(
                        str(path), 1, f"no column {column!r} (columns: {found})", field=column
                    )
            places = {column: header.index(column) for column in PAIR_COLUMNS}
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                row: dict[str, str] = {}
                for column, place in places.items():
                    if place >= len(values):
                        raise PairsFileError(
                            str(path), line, "missing value", column=place + 1, field=column
                        )
                    row[column] = values[place].strip()
                if row["schema"] not in SCHEMA_TYPES:
                    known = ", ".join(SCHEMA_TYPES)
                    raise PairsFileError(
                        str(path),
                        line,
                        f"unknown schema {row['schema']!r} (one of {known})",
                        column=places["schema"] + 1,
                        field="schema",
                    )
                yield line, row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise PairsFileError(str(path), reader.line_num, f"not a CSV file: {exc}") from exc


def _compare_file(path: Path) -> list[dict[str, Any]]:
    results = []
    for line, row in _read_pairs(path):
        comparison = compare_names(row["name1"], row["name2"], SCHEMA_TYPES[row["schema"]])
        results.append(
            {
                "line": line,
                "name1": row["name1"],
                "name2": row["name2"],
                "schema": row["schema"],
                "score": comparison.score,
                "match": comparison.match,
            }
        )
    return results


def _bad_input(message: str) -> typer.Exit:
    err.print(f"[red]not compared:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(2)


@names_app.command("compare")
def compare(
    name1: Annotated[str | None, typer.Argument(help="A name, e.g. a customer's.")] = None,
    name2: Annotated[str | None, typer.Argument(help="A name to score it against.")] = None,
    entity_type: Annotated[
        EntityType, typer.Option("--type", help="What both names name.")
    ] = EntityType.other,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="A CSV of pairs with columns name1, name2, schema; one result each."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Answer in JSON.")] = False,
) -> None:
    """Score two names (or each pair of a CSV file): score, match and the reasons."""
    if file is not None:
        if name1 is not None or name2 is not None:
            raise _bad_input("give two names or --file, not both")
        try:
            results = _compare_file(file)
        except PairsFileError as exc:
            raise _bad_input(str(exc)) from exc
        if as_json:
            typer.echo(json.dumps(results, indent=2, ensure_ascii=False))
            return
        for r in results:
            verdict = "[red]match[/red]" if r["match"] else "[green]no match[/green]"
            console.print(
                f"{r['line']}: {escape(r['name1'])} ~ {escape(r['name2'])} ({r['schema']}): "
                f"{r['score']:.2f} {verdict}",
                highlight=False,
            )
        return
    if name1 is None or name2 is None:
        raise _bad_input("give two names to compare, or --file with a CSV of pairs")
    comparison = compare_names(name1, name2, entity_type)
    if as_json:
        payload = {
            "name1": name1,
            "name2": name2,
            "type": entity_type.value,
            "score": comparison.score,
            "match": comparison.match,
            "threshold": OPERATING_THRESHOLD,
            "explanation": list(comparison.explanation),
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    verdict = "[red]MATCH[/red]" if comparison.match else "[green]NO MATCH[/green]"
    console.print(
        f"{escape(name1)} ~ {escape(name2)} ({entity_type.value}): score {comparison.score:.2f} "
        f"(threshold {OPERATING_THRESHOLD:.2f}) {verdict}",
        highlight=False,
    )
    for reason in comparison.explanation:
        console.print(f"  - {reason}", highlight=False, markup=False)
