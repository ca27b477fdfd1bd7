"""Read and validate the catalog's data files; the first problem names its file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from precx.catalog.schemas import CountryExtra, MixtureRule, SubstanceRecord
from precx.kit.i18n import Message, field_message
from precx.kit.problems import InvalidInput

DATA_DIR = Path(__file__).resolve().parent / "data"
SUBSTANCES_FILE = DATA_DIR / "substances.yaml"
COUNTRIES_FILE = DATA_DIR / "countries.yaml"
MIXTURE_RULES_FILE = DATA_DIR / "mixture_rules.yaml"


class CatalogFileError(InvalidInput):
    """A data file that cannot be loaded; nothing of it is taken."""

    problem = "catalog-file"
    title = "Invalid catalog file"

    def __init__(self, path: Path | str, line: int, column: int, reason: str) -> None:
        self.path, self.line, self.column, self.reason = str(path), line, column, reason
        where = f"{Path(path).name}:{line}:{column}"
        super().__init__(
            Message("%(where)s%(label)s: %(message)s", where=where, label="", message=reason),
            errors=[(where, reason)],
        )


def _field_error(field: str, error: ErrorDetails) -> Message:
    """`field: message` of one of pydantic's errors, its English pydantic's own ("Value error, "
    included), the message translated as a page shows a field's check."""
    checked = field_message(error)
    english = Message.of(error["msg"], checked.template, checked.values)
    return Message("%(field)s: %(message)s", field=field, message=english)


@dataclass(frozen=True)
class Located:
    """A parsed mapping and where it starts in its file."""

    value: dict[str, Any]
    node: yaml.MappingNode

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    def position_of(self, key: str) -> tuple[int, int]:
        """Line and column of a key's value in the file (the mapping's start if absent)."""
        for key_node, value_node in self.node.value:
            if key_node.value == key:
                return value_node.start_mark.line + 1, value_node.start_mark.column + 1
        return self.line, self.node.start_mark.column + 1


def read_yaml_list(path: Path) -> list[Located]:
    """The mappings of a YAML list file, each with its place, or the first problem."""
    return _read_list(path)


def _read_list(path: Path) -> list[Located]:
    root = compose_yaml(path)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise CatalogFileError(
            path, root.start_mark.line + 1, 1, Message("the file must be a YAML list")
        )
    items = []
    constructor = yaml.SafeLoader("")
    for node in root.value:
        if not isinstance(node, yaml.MappingNode):
            raise CatalogFileError(
                path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                Message("each entry must be a mapping of keys to values"),
            )
        mapping = constructor.construct_mapping(node, deep=True)
        items.append(Located({str(k): v for k, v in mapping.items()}, node))
    return items


def _validation_error(path: Path, item: Located, exc: ValidationError) -> CatalogFileError:
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    line, column = item.position_of(loc[0]) if loc else (item.line, 1)
    where = ".".join(loc)
    return CatalogFileError(path, line, column, _field_error(where, first))


def read_substances(path: Path = SUBSTANCES_FILE) -> list[SubstanceRecord]:
    """Every substance of a data file, validated alone and together, or the first problem."""
    records: list[SubstanceRecord] = []
    located: list[Located] = []
    for item in _read_list(path):
        try:
            records.append(SubstanceRecord.model_validate(item.value))
        except ValidationError as exc:
            raise _validation_error(path, item, exc) from exc
        located.append(item)
    ids: dict[str, int] = {}
    cas_owner: dict[str, str] = {}
    for record, item in zip(records, located, strict=True):
        if record.id in ids:
            line, column = item.position_of("id")
            raise CatalogFileError(
                path,
                line,
                column,
                Message(
                    "duplicate id %(id)s (first on line %(line)s)",
                    id=repr(record.id),
                    line=ids[record.id],
                ),
            )
        ids[record.id] = item.line
        for cas in record.cas:
            if cas in cas_owner:
                line, column = item.position_of("cas")
                raise CatalogFileError(
                    path,
                    line,
                    column,
                    Message(
                        "CAS number %(cas)s is already given to %(owner)s",
                        cas=cas,
                        owner=repr(cas_owner[cas]),
                    ),
                )
            cas_owner[cas] = record.id
        if record.scheduled and not record.sources:
            line, column = item.position_of("id")
            raise CatalogFileError(
                path,
                line,
                column,
                Message("%(id)s is scheduled but names no legal source", id=repr(record.id)),
            )
        if record.watched and record.scheduled:
            line, column = item.position_of("watched")
            raise CatalogFileError(
                path,
                line,
                column,
                Message("%(id)s is scheduled, so it cannot be only watched", id=repr(record.id)),
            )
    for record, item in zip(records, located, strict=True):
        if record.parent is not None and record.parent not in ids:
            line, column = item.position_of("parent")
            raise CatalogFileError(
                path,
                line,
                column,
                Message(
                    "parent %(parent)s is not a substance in this file", parent=repr(record.parent)
                ),
            )
        if record.parent == record.id:
            line, column = item.position_of("parent")
            raise CatalogFileError(
                path, line, column, Message("a substance cannot be its own parent")
            )
    return records


def read_mixture_rules(path: Path = MIXTURE_RULES_FILE) -> list[MixtureRule]:
    """The mixture rules, validated, or the first problem with its place in the file."""
    rules = []
    for item in _read_list(path):
        try:
            rules.append(MixtureRule.model_validate(item.value))
        except ValidationError as exc:
            raise _validation_error(path, item, exc) from exc
    return rules


def _is_iso_country(code: object) -> bool:
    import pycountry

    if not isinstance(code, str):
        return False
    try:
        return pycountry.countries.get(alpha_2=code) is not None
    except LookupError:
        return False


def compose_yaml(path: Path) -> yaml.Node | None:
    """The YAML node tree of a data file, or CatalogFileError with the line and column."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as exc:
        raise CatalogFileError(
            path, 0, 0, Message("cannot read the file: %(reason)s", reason=exc.strerror)
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise CatalogFileError(
            path, line, column, Message("not valid YAML: %(problem)s", problem=exc.problem)
        ) from exc


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


COUNTRY_GROUPS = (
    "osce_participating_states",
    "osce_asian_partners",
    "osce_mediterranean_partners",
    "eu_members",
)


def read_country_extras(path: Path = COUNTRIES_FILE) -> dict[str, Any]:
    """countries.yaml: OSCE groups, EU members and alternative names, checked against ISO.

    The first problem names its line and column, like the other data files.
    """
    root = compose_yaml(path)
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise CatalogFileError(path, *_at(root), Message("the file must be a mapping of sections"))
    constructor = yaml.SafeLoader("")
    sections = {str(key.value): value for key, value in root.value}
    for group in COUNTRY_GROUPS:
        node = sections.get(group)
        if node is None:
            continue
        if not isinstance(node, yaml.SequenceNode):
            raise CatalogFileError(
                path, *_at(node), Message("%(group)s must be a list of country codes", group=group)
            )
        for code_node in node.value:
            code = constructor.construct_object(code_node)
            if not _is_iso_country(code):
                raise CatalogFileError(
                    path,
                    *_at(code_node),
                    Message(
                        "%(group)s: %(code)s is not an ISO 3166-1 "
                        "alpha-2 code (quote codes: YAML reads NO as false)",
                        group=group,
                        code=repr(code),
                    ),
                )
    names = sections.get("alt_names")
    if isinstance(names, yaml.MappingNode):
        for code_node, extra_node in names.value:
            code = constructor.construct_object(code_node)
            if not _is_iso_country(code):
                raise CatalogFileError(
                    path,
                    *_at(code_node),
                    Message("alt_names: %(code)s is not an ISO 3166-1 code", code=repr(code)),
                )
            try:
                CountryExtra(alt_names=constructor.construct_object(extra_node, deep=True))
            except ValidationError as exc:
                raise CatalogFileError(
                    path, *_at(extra_node), _field_error(f"alt_names.{code}", exc.errors()[0])
                ) from exc
    elif names is not None:
        raise CatalogFileError(
            path, *_at(names), Message("alt_names must map country codes to names")
        )
    data = constructor.construct_document(root)
    return dict(data)
