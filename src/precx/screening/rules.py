"""The red-flag rules: data in `data/rules.yaml`, validated, with the version results record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from precx.catalog.loader import CatalogFileError, Located, compose_yaml
from precx.kit.i18n import Message, _, field_message

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.yaml"


# The titles of the shipped rules, marked for the catalog (pages show them through _() in their
# language) (a test keeps them in step with
# the rule file).
TITLES = (
    _("Customer on a watchlist"),
    _("Restricted hit"),
    _("New customer"),
    _("Category 1 substance without a customer licence"),
    _("Category 2 substance without a customer registration"),
    _("Quantity above the legal threshold"),
    _("Unusual quantity for this customer"),
    _("Orders split below a threshold"),
    _("Unusual payment method"),
    _("Delivery not to the customer's premises"),
    _("Delivery country differs from the customer's"),
    _("Transit or transshipment countries"),
    _("No declared end use"),
    _("Implausible end use"),
    _("Chemicals of one synthesis route"),
    _("Non-scheduled watched substance"),
    _("Medicinal preparation in bulk"),
)


class Severity(StrEnum):
    """How much one finding says on its own."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class Rule(BaseModel):
    """One red flag: what it means, where it comes from, how much it weighs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,40}$")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=500)
    guideline: str = Field(min_length=1, max_length=500)
    severity: Severity
    weight: int = Field(ge=0, le=100)
    parameters: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one version of the rule file, by code."""

    version: str
    rules: dict[str, Rule]

    def __getitem__(self, code: str) -> Rule:
        return self.rules[code]

    def param(self, code: str, name: str, default: Any = None) -> Any:
        """One parameter of a rule."""
        return self.rules[code].parameters.get(name, default)


# The codes the screener raises; the file must define each (and may define no others).
KNOWN_CODES = frozenset(
    {
        "WATCHLIST_HIT",
        "RESTRICTED_HIT",
        "NEW_CUSTOMER",
        "LICENCE_MISSING",
        "REGISTRATION_MISSING",
        "ABOVE_THRESHOLD",
        "UNUSUAL_QUANTITY",
        "SPLIT_ORDERS",
        "PAYMENT_UNUSUAL",
        "DELIVERY_UNUSUAL",
        "DELIVERY_COUNTRY_DIFFERS",
        "TRANSIT_ROUTE",
        "END_USE_MISSING",
        "END_USE_IMPLAUSIBLE",
        "SYNTHESIS_ROUTE",
        "WATCHED_SUBSTANCE",
        "PREPARATION_IN_BULK",
    }
)


def read_rules(path: Path = RULES_FILE) -> RuleSet:
    """The rule file, validated, or the first problem with its line and column."""
    root = compose_yaml(path)
    if not isinstance(root, yaml.MappingNode):
        raise CatalogFileError(path, 1, 1, Message("the file must map `version` and `rules`"))
    nodes = {k.value: v for k, v in root.value}
    version_node, rules_node = nodes.get("version"), nodes.get("rules")
    if not isinstance(version_node, yaml.ScalarNode) or not version_node.value:
        raise CatalogFileError(path, 1, 1, Message("`version` is missing"))
    if not isinstance(rules_node, yaml.SequenceNode):
        raise CatalogFileError(path, 1, 1, Message("`rules` must be a list"))
    constructor = yaml.SafeLoader("")
    rules: dict[str, Rule] = {}
    for node in rules_node.value:
        if not isinstance(node, yaml.MappingNode):
            mark = node.start_mark
            raise CatalogFileError(
                path, mark.line + 1, mark.column + 1, Message("a rule is a mapping")
            )
        item = Located(
            {str(k): v for k, v in constructor.construct_mapping(node, deep=True).items()}, node
        )
        try:
            rule = Rule.model_validate(item.value)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [str(p) for p in first["loc"]]
            line, column = item.position_of(loc[0]) if loc else (item.line, 1)
            # No check of a rule is ours, so pydantic's msg has no "Value error, " to drop.
            reason = Message(
                "%(field)s: %(message)s", field=".".join(loc), message=field_message(first)
            )
            raise CatalogFileError(path, line, column, reason) from exc
        line, column = item.position_of("code")
        if rule.code in rules:
            raise CatalogFileError(
                path, line, column, Message("duplicate rule %(code)s", code=rule.code)
            )
        if rule.code not in KNOWN_CODES:
            raise CatalogFileError(
                path, line, column, Message("no screening check raises %(code)s", code=rule.code)
            )
        rules[rule.code] = rule
    missing = KNOWN_CODES - set(rules)
    if missing:
        raise CatalogFileError(
            path, 1, 1, Message("rules missing: %(codes)s", codes=", ".join(sorted(missing)))
        )
    return RuleSet(str(version_node.value), rules)


@lru_cache(maxsize=1)
def shipped_rules() -> RuleSet:
    """The rules shipped in the repository, read once per process."""
    return read_rules()
