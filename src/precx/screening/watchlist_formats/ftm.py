"""FollowTheMoney entities as JSON lines, as OpenSanctions publishes them, read as a watchlist."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from precx.kit.i18n import Message
from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats.csv_list import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    country_code,
    unique,
)
from precx.screening.watchlist_formats.ofac_sdn import REASON_LIMIT
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

SCHEMA_TYPES: dict[str, EntityType] = {
    "Person": EntityType.person,
    "Company": EntityType.company,
    "Organization": EntityType.company,
    "PublicBody": EntityType.company,
    "LegalEntity": EntityType.other,
    "Vessel": EntityType.vessel,
    "Airplane": EntityType.other,
}
ALIAS_PROPS = ("alias", "weakAlias", "previousName")
COUNTRY_PROPS = ("country", "nationality", "jurisdiction", "citizenship")
ID_PROPS = (
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "vatCode",
    "imoNumber",
    "idNumber",
    "passportNumber",
    "leiCode",
    "swiftBic",
)
_ADDRESS_PARTS = ("street", "street2", "postalCode", "city", "region", "state", "country")


@dataclass
class _Designations:
    """What the Sanction entities of a file say about one listed entity."""

    programs: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, sanction: EntityProxy) -> None:
        self.programs.extend(sanction.get("program") + sanction.get("programId"))
        self.reasons.extend(sanction.get("reason"))


@dataclass
class _Line:
    """One entity of the file as read: its line, its proxy and the entities nested in it."""

    line: int
    proxy: EntityProxy
    nested: list[EntityProxy]


class _Reader:
    """Reads one file, twice if need be, and keeps what the second pass needs of the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.name
        self.count = 0  # entities in the file, whatever their schema

    def error(self, line: int, message: str, **where: Any) -> WatchlistFileError:
        return WatchlistFileError(self.file, line, message, **where)

    def entities(self, wanted: Collection[str]) -> Iterator[_Line]:
        """The entities of the `wanted` schemata with their lines; every line is checked to be
        a FollowTheMoney entity, those wanted in full."""
        self.count = 0
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise self.error(
                        number,
                        Message(
                            "not UTF-8 text (byte %(byte)s at byte %(position)s of the line)",
                            byte=f"{raw[exc.start]:#04x}",
                            position=exc.start + 1,
                        ),
                    ) from exc
                if number == 1:
                    text = text.removeprefix("\ufeff")
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise self.error(
                        number, Message("not JSON: %(reason)s", reason=exc.msg), column=exc.colno
                    ) from exc
                self.count += 1
                # Only the schemata a pass needs are made proxies of: that is most of the time.
                if self.schema_and_id(number, data)[0] in wanted:
                    nested: list[EntityProxy] = []
                    proxy = self.proxy(number, data, nested)
                    yield _Line(number, proxy, nested)

    def schema_and_id(self, line: int, data: Any) -> tuple[str, str]:
        """The schema and id of one entity's JSON, which every entity must have."""
        if not isinstance(data, dict):
            raise self.error(line, Message("not a JSON object; each line holds one entity"))
        schema = data.get("schema")
        if not isinstance(schema, str) or not schema:
            raise self.error(line, Message("the entity has no schema"), field="schema")
        if model.get(schema) is None:
            raise self.error(
                line,
                Message("unknown FollowTheMoney schema %(schema)s", schema=repr(schema)),
                field="schema",
            )
        entity_id = data.get("id")
        if not isinstance(entity_id, str) or not entity_id.strip():
            raise self.error(
                line, Message("the %(schema)s entity has no id", schema=schema), field="id"
            )
        if len(entity_id) > MAX_ID_LENGTH:
            raise self.error(
                line,
                Message("the id is longer than %(limit)s characters", limit=MAX_ID_LENGTH),
                field="id",
            )
        return schema, entity_id.strip()

    def proxy(self, line: int, data: Any, nested: list[EntityProxy]) -> EntityProxy:
        """The proxy of one entity's JSON; entities nested in its properties go to `nested`."""
        schema, entity_id = self.schema_and_id(line, data)
        properties = data.get("properties", {})
        if not isinstance(properties, dict):
            raise self.error(line, Message("properties is not a JSON object"), field="properties")
        flat: dict[str, list[str]] = {}
        for prop, values in properties.items():
            if not isinstance(values, list):
                raise self.error(
                    line,
                    Message("property %(property)s is not a list of values", property=repr(prop)),
                    field=str(prop),
                )
            texts: list[str] = []
            for value in values:
                if isinstance(value, dict):
                    # OpenSanctions' nested export puts related entities inside their subject.
                    inner = self.proxy(line, value, nested)
                    nested.append(inner)
                    if inner.id is not None:
                        texts.append(inner.id)
                elif isinstance(value, str):
                    if value.strip():
                        texts.append(value.strip())
                else:
                    raise self.error(
                        line,
                        Message(
                            "a value of property %(property)s is not a string",
                            property=repr(prop),
                        ),
                        field=str(prop),
                    )
            flat[str(prop)] = texts
        # Properties this version of the model does not know are left out, as FollowTheMoney
        # itself does: OpenSanctions adds properties before every reader has the new model.
        return model.get_proxy({"id": entity_id, "schema": schema, "properties": flat})


def _address_text(address: EntityProxy) -> str | None:
    full = unique(address.get("full"))
    if full:
        return full[0]
    parts = [v for p in _ADDRESS_PARTS for v in address.get(p, quiet=True)[:1]]
    if parts and address.get("country"):
        parts[-1] = parts[-1].upper()
    return ", ".join(parts) or None


def _reason(notes: list[str], topics: list[str]) -> str | None:
    parts = list(unique(notes))
    if topics:
        parts.append(f"topics: {', '.join(unique(topics))}")
    text = "; ".join(parts)
    if len(text) > REASON_LIMIT:
        text = text[: REASON_LIMIT - 1].rstrip() + "…"
    return text or None


def read_ftm(path: Path) -> Iterator[ListedEntity]:
    """The persons, companies, vessels and aircraft of a FollowTheMoney JSON-lines file.

    Sanction and Address entities of the same file add programmes, reasons and addresses to the
    entity they refer to; the file is read twice, since they may come after it.
    """
    if not path.is_file():
        raise WatchlistFileError(path.name, 0, Message("no such file"))
    reader = _Reader(path)
    designations: dict[str, _Designations] = {}
    addresses: dict[str, str] = {}
    for item in reader.entities(("Sanction", "Address")):
        proxy = item.proxy
        if proxy.schema.name == "Sanction":
            for subject in proxy.get("entity"):
                designations.setdefault(subject, _Designations()).add(proxy)
        elif proxy.schema.name == "Address" and proxy.id is not None:
            text = _address_text(proxy)
            if text:
                addresses[proxy.id] = text
    if reader.count == 0:
        raise WatchlistFileError(path.name, 1, Message("the file is empty; it holds no entities"))
    seen: dict[str, int] = {}
    for item in reader.entities(SCHEMA_TYPES):
        yield _entity(
            reader, item, SCHEMA_TYPES[item.proxy.schema.name], designations, addresses, seen
        )


def _entity(
    reader: _Reader,
    item: _Line,
    kind: EntityType,
    designations: dict[str, _Designations],
    addresses: dict[str, str],
    seen: dict[str, int],
) -> ListedEntity:
    proxy, line = item.proxy, item.line
    entity_id = proxy.id or ""
    if entity_id in seen:
        raise reader.error(
            line,
            Message(
                "id %(id)s appears twice; first on line %(line)s",
                id=repr(entity_id),
                line=seen[entity_id],
            ),
            field="id",
        )
    names = unique(proxy.get("name"))
    if not names:
        raise reader.error(
            line,
            Message(
                "the %(schema)s %(id)s has no name", schema=proxy.schema.name, id=repr(entity_id)
            ),
            field="name",
        )
    if len(names[0]) > MAX_NAME_LENGTH:
        raise reader.error(
            line,
            Message("the name is longer than %(limit)s characters", limit=MAX_NAME_LENGTH),
            field="name",
        )
    seen[entity_id] = line
    found = _Designations()
    if entity_id in designations:
        found.programs.extend(designations[entity_id].programs)
        found.reasons.extend(designations[entity_id].reasons)
    nested_addresses: dict[str, str] = {}
    for inner in item.nested:
        if inner.schema.name == "Sanction":
            found.add(inner)
        elif inner.schema.name == "Address" and inner.id is not None:
            text = _address_text(inner)
            if text:
                nested_addresses[inner.id] = text
    address_texts = [*proxy.get("address")]
    for ref in proxy.get("addressEntity"):
        text = nested_addresses.get(ref) or addresses.get(ref)
        if text:
            address_texts.append(text)
    identifiers: list[tuple[str, str]] = []
    for prop in ID_PROPS:
        for value in proxy.get(prop, quiet=True):
            if (prop, value) not in identifiers:
                identifiers.append((prop, value))
    aliases = unique([*names[1:], *(v for p in ALIAS_PROPS for v in proxy.get(p, quiet=True))])
    # FollowTheMoney also knows parts of countries ("gb-sct") and non-ISO areas ("zz", "suhh").
    codes = (
        country_code(v.partition("-")[0]) for p in COUNTRY_PROPS for v in proxy.get(p, quiet=True)
    )
    topics = proxy.get("topics")
    return ListedEntity(
        entity_id=entity_id,
        name=names[0],
        entity_type=kind,
        aliases=tuple(a for a in aliases if a != names[0]),
        country=next((c for c in codes if c), None),
        addresses=unique(address_texts),
        identifiers=tuple(identifiers),
        reason=_reason([*proxy.get("notes"), *found.reasons], topics),
        programs=unique(found.programs),
        source_line=line,
        extra={"schema": proxy.schema.name, **({"topics": ", ".join(topics)} if topics else {})},
    )
