"""OFAC's SDN list in its legacy CSV layout: sdn.csv with alt.csv, add.csv and sdn_comments.csv."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from precx.kit.i18n import Message
from precx.screening.matching.normalize import EntityType
from precx.screening.watchlist_formats.csv_list import (
    MAX_NAME_LENGTH,
    country_code,
    csv_rows,
    unique,
)
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks")

SDN_TYPES: dict[str, EntityType] = {
    "": EntityType.company,
    "individual": EntityType.person,
    "vessel": EntityType.vessel,
    "aircraft": EntityType.other,
}
ALT_TYPES = ("aka", "fka", "nka")
REASON_LIMIT = 500
# `-0-` is OFAC's empty value; the files of the 2019 snapshot end without a line break, the last
# one cut to `-0`.
_EMPTY = frozenset({"-0-", "-0"})
_EOF = "\x1a"  # DOS end-of-file marker, on a line of its own at the end of some of the files

# OFAC's country names that ISO 3166 (and so pycountry) spells differently. Fuzzy matching is
# not used: pycountry.countries.search_fuzzy("Kosovo") answers Serbia.
_OFAC_COUNTRIES = {
    "bahamas, the": "BS",
    "burma": "MM",
    "cape verde": "CV",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "cote d ivoire": "CI",
    "curacao": "CW",
    "gambia, the": "GM",
    "the gambia": "GM",
    "korea, north": "KP",
    "korea, south": "KR",
    "macau": "MO",
    "macedonia": "MK",
    "man, isle of": "IM",
    "micronesia, federated states of": "FM",
    "palestinian": "PS",
    "region: crimea": "UA",
    "region: gaza": "PS",
    "region: northern mali": "ML",
    "russia": "RU",
    "swaziland": "SZ",
    "turkey": "TR",
    "vatican city": "VA",
    "west bank": "PS",
}

# Identity documents and registrations in Remarks, as OFAC labels them, by the scheme we file
# them under. Only labels whose value is an identifier; "DOB 1948" or "Telephone ..." are not.
_ID_SCHEMES: dict[str, tuple[str, ...]] = {
    "Passport": (
        "Passport",
        "Passport No.",
        "Diplomatic Passport",
        "Passport Booklet",
        "Stateless Person Passport",
        "British National Overseas Passport",
        "Travel Document Number",
    ),
    "Cedula": ("Cedula No.",),
    "NIT": ("NIT #",),
    "RFC": ("R.F.C.", "RFC"),
    "CURP": ("C.U.R.P.",),
    "IMO": (
        "Vessel Registration Identification IMO",
        "Company Number IMO",
        "Identification Number IMO",
        "IMO",
    ),
    "MMSI": ("MMSI",),
    "National ID": (
        "National ID No.",
        "Personal ID Card",
        "Kenyan ID No.",
        "Bosnian Personal ID No.",
        "Moroccan Personal ID No.",
        "Tazkira National ID Card",
        "Citizen's Card Number",
        "Turkish Identificiation Number",
        "Numero de Identidad",
        "D.N.I.",
        "CNP (Personal Numerical Code)",
        "UAE Identification",
    ),
    "Registration": (
        "Registration ID",
        "Registration Number",
        "Commercial Registry Number",
        "UK Company Number",
        "Company Number",
        "Business Registration Document #",
        "Certificate of Incorporation Number",
        "Chamber of Commerce Number",
        "Dubai Chamber of Commerce Membership No.",
        "Folio Mercantil No.",
        "Matricula Mercantil No",
        "Trade License No.",
        "Legal Entity Number",
        "Enterprise Number",
        "Business Number",
        "Public Registration Number",
        "C.R. No.",
        "Government Gazette Number",
        "Registered Charity No.",
        "United Social Credit Code Certificate (USCCC)",
        "Branch Unit Number",
    ),
    "Tax ID": (
        "Tax ID No.",
        "RUC #",
        "RIF #",
        "RTN",
        "C.I.F.",
        "C.U.I.T.",
        "US FEIN",
        "Italian Fiscal Code",
        "Fiscal Code",
        "V.A.T. Number",
        "Numero Unico de Identificacao Tributaria (NUIT)",
        "Paraguayan tax identification number",
    ),
    "DUNS": ("D-U-N-S Number",),
    "SWIFT/BIC": ("SWIFT/BIC",),
    "SSN": ("SSN",),
    "MSN": ("Aircraft Manufacturer's Serial Number (MSN)",),
    "Electoral ID": ("Electoral Registry No.", "Credencial electoral", "I.F.E."),
    "Driving licence": ("Driver's License No.",),
    "ID": (
        "Identification Number",
        "Residency Number",
        "Immigration No.",
        "Public Security and Immigration No.",
        "N.I.E.",
        "Refugee ID Card",
        "C.U.I.P.",
        "Birth Certificate Number",
    ),
}
_SCHEME_OF = {label: scheme for scheme, labels in _ID_SCHEMES.items() for label in labels}
_ID_RE = re.compile(
    r"^(?:alt\.\s+)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_SCHEME_OF, key=len, reverse=True))
    + r")\s*[:#]?\s*(?:[A-Z]{2,5}:\s*)?"
    # The value: words of letters, digits and . / - up to the issuing country in brackets,
    # a comma, an "issued"/"expires" date or the end.
    r"(?P<value>[A-Za-z0-9][A-Za-z0-9./,\-]*?(?:\s[A-Za-z0-9][A-Za-z0-9./,\-]*?)*?)"
    r"(?=\s*\(|,\s|\s+(?:issued|expires|Issue|Expir)|\s*$)"
)
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+")
_WEAK_AKA = re.compile(r"a\.k\.a\.,?\s+'([^']+)'")


@dataclass
class _Linked:
    """What alt.csv or add.csv hold for one ent_num, with the line of its first row."""

    line: int
    values: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The numbered text lines of one OFAC file, up to its end-of-file marker.

    OFAC publishes ASCII with the odd Latin-1/cp1252 letter; a line that is valid UTF-8 is read
    as such (a re-saved file), any other as cp1252, which leaves five byte values undecodable.
    UTF-16 shows itself by NUL bytes.
    """
    with path.open("rb") as handle:
        ended = 0
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise WatchlistFileError(
                    path.name,
                    1,
                    Message("UTF-16 text; OFAC's files are ASCII or Latin-1 (cp1252)"),
                )
            if b"\x00" in raw:
                raise WatchlistFileError(
                    path.name,
                    number,
                    Message("a NUL byte: not ASCII or Latin-1 (cp1252) text; UTF-16 perhaps"),
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = raw.decode("cp1252")
                except UnicodeDecodeError as exc:
                    raise WatchlistFileError(
                        path.name,
                        number,
                        Message(
                            "byte %(byte)s (at byte %(position)s of the line) is "
                            "neither UTF-8 nor Latin-1 (cp1252) text",
                            byte=f"{raw[exc.start]:#04x}",
                            position=exc.start + 1,
                        ),
                    ) from exc
            if number == 1:
                text = text.removeprefix("\ufeff")
            if ended:
                if text.strip():
                    raise WatchlistFileError(
                        path.name,
                        number,
                        Message("text after the end-of-file marker of line %(line)s", line=ended),
                    )
                continue
            body = text.rstrip("\r\n")
            if body.endswith(_EOF):
                ended = number
                body = body.rstrip(_EOF)
                if not body.strip():
                    continue
                text = body + "\n"
            yield number, text


def _records(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """The rows of one OFAC file with `-0-` made empty, each on one line with every column."""
    file = path.name
    for start, end, cells in csv_rows(file, _lines(path)):
        if end != start:
            broken = next((i for i, c in enumerate(cells, start=1) if "\n" in c), None)
            raise WatchlistFileError(
                file,
                start,
                Message(
                    "a quoted field opens here and closes only on line %(line)s; OFAC's rows are "
                    "one line each (a missing closing quote)",
                    line=end,
                ),
                column=broken,
            )
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) != len(columns):
            wrong = len(cells) + 1 if len(cells) < len(columns) else len(columns) + 1
            raise WatchlistFileError(
                file,
                start,
                Message(
                    "%(cells)s columns, %(expected)s expected (%(columns)s); a cut or damaged row",
                    cells=len(cells),
                    expected=len(columns),
                    columns=", ".join(columns),
                ),
                column=wrong,
                field=columns[len(cells)] if len(cells) < len(columns) else None,
            )
        values = [c.strip() for c in cells]
        yield start, ["" if v in _EMPTY else v for v in values]


def _ent_num(file: str, line: int, value: str, column: int = 1, name: str = "ent_num") -> int:
    if not value.isascii() or not value.isdigit():
        raise WatchlistFileError(
            file,
            line,
            Message("%(field)s %(value)s is not a number", field=name, value=repr(value)),
            column=column,
            field=name,
        )
    return int(value)


def _comments(path: Path) -> dict[int, str]:
    """Remarks too long for sdn.csv, continued by ent_num; the text runs on without a space."""
    comments: dict[int, str] = {}
    if path.is_file():
        for line, (number, text) in _records(path, COMMENT_COLUMNS):
            ent = _ent_num(path.name, line, number)
            comments[ent] = comments.get(ent, "") + text
    return comments


def _aliases(path: Path) -> dict[int, _Linked]:
    aliases: dict[int, _Linked] = {}
    if not path.is_file():
        return aliases
    for line, (number, alt_num, alt_type, alt_name, _) in _records(path, ALT_COLUMNS):
        ent = _ent_num(path.name, line, number)
        _ent_num(path.name, line, alt_num, 2, "alt_num")
        if alt_type.lower() not in ALT_TYPES:
            raise WatchlistFileError(
                path.name,
                line,
                Message(
                    "alt_type %(value)s is not one of %(allowed)s",
                    value=repr(alt_type),
                    allowed=", ".join(ALT_TYPES),
                ),
                column=3,
                field="alt_type",
            )
        if not alt_name:
            raise WatchlistFileError(
                path.name, line, Message("alt_name is empty"), column=4, field="alt_name"
            )
        aliases.setdefault(ent, _Linked(line)).values.append(alt_name)
    return aliases


def _addresses(path: Path) -> dict[int, _Linked]:
    addresses: dict[int, _Linked] = {}
    if not path.is_file():
        return addresses
    for line, (number, add_num, street, city, country, _) in _records(path, ADD_COLUMNS):
        ent = _ent_num(path.name, line, number)
        _ent_num(path.name, line, add_num, 2, "add_num")
        linked = addresses.setdefault(ent, _Linked(line))
        # A country alone is no address to compare with, but it still says where the entity is.
        if street or city:
            linked.values.append(", ".join(p for p in (street, city, country) if p))
        if country:
            linked.countries.append(country)
    return addresses


@lru_cache(maxsize=1024)
def ofac_country(name: str) -> str | None:
    """The ISO alpha-2 code of an OFAC country name, or None ("undetermined", "Kosovo")."""
    known = _OFAC_COUNTRIES.get(name.strip().lower())
    if known is not None:
        return known
    try:
        found = pycountry.countries.lookup(name.strip())
    except LookupError:
        return None
    return country_code(str(found.alpha_2))


def programs_of(value: str) -> tuple[str, ...]:
    """The programmes of a Program cell: "[SDNTK] [SDGT]" (or "SDNTK] [SDGT") is both."""
    return unique(part.strip("[] ") for part in value.split("] ["))


def identifiers_of(remarks: str) -> tuple[tuple[str, str], ...]:
    """The documents and registrations a Remarks cell names with their number."""
    found: list[tuple[str, str]] = []
    for segment in remarks.split(";"):
        match = _ID_RE.match(segment.strip().rstrip("."))
        if match is None:
            continue
        words = match["value"].strip(" .,").split()
        # "181301-1 Cali", "A7800002 Border Crossing": a place after the number is not part of it.
        while words and _PLAIN_WORD.fullmatch(words[-1]):
            words.pop()
        value = " ".join(words)
        if any(c.isdigit() for c in value):
            pair = (_SCHEME_OF[match["label"]], value)
            if pair not in found:
                found.append(pair)
    return tuple(found)


def _reason(programs: tuple[str, ...], remarks: str) -> str | None:
    text = "; ".join(p for p in (", ".join(programs), remarks) if p)
    if len(text) > REASON_LIMIT:
        text = text[: REASON_LIMIT - 1].rstrip() + "…"
    return text or None


def read_ofac_sdn(path: Path) -> Iterator[ListedEntity]:
    """The entities of OFAC's SDN list from sdn.csv (or the folder holding it), streamed.

    alt.csv (aliases), add.csv (addresses) and sdn_comments.csv (remarks continued) are read
    from beside it when they are there; a row of them naming an ent_num that sdn.csv lacks is an
    error, except in sdn_comments.csv, which OFAC publishes on its own schedule.
    """
    sdn = path / "sdn.csv" if path.is_dir() else path
    if not sdn.is_file():
        raise WatchlistFileError(sdn.name, 0, Message("no such file"))
    folder = sdn.parent
    comments = _comments(folder / "sdn_comments.csv")
    aliases = _aliases(folder / "alt.csv")
    addresses = _addresses(folder / "add.csv")
    seen: dict[int, int] = {}
    for line, cells in _records(sdn, SDN_COLUMNS):
        ent = _ent_num(sdn.name, line, cells[0])
        if ent in seen:
            raise WatchlistFileError(
                sdn.name,
                line,
                Message(
                    "ent_num %(ent)s appears twice; first on line %(line)s",
                    ent=ent,
                    line=seen[ent],
                ),
                column=1,
                field="ent_num",
            )
        seen[ent] = line
        name, kind, program = cells[1], cells[2].lower(), cells[3]
        if not name:
            raise WatchlistFileError(
                sdn.name, line, Message("SDN_Name is empty"), column=2, field="SDN_Name"
            )
        if len(name) > MAX_NAME_LENGTH:
            raise WatchlistFileError(
                sdn.name,
                line,
                Message("SDN_Name is longer than %(limit)s characters", limit=MAX_NAME_LENGTH),
                column=2,
                field="SDN_Name",
            )
        if kind not in SDN_TYPES:
            raise WatchlistFileError(
                sdn.name,
                line,
                Message(
                    "SDN_Type %(value)s is not one of individual, vessel, aircraft or -0-",
                    value=repr(cells[2]),
                ),
                column=3,
                field="SDN_Type",
            )
        remarks = cells[11] + comments.get(ent, "")
        programs = programs_of(program)
        alt = aliases.pop(ent, None)
        add = addresses.pop(ent, None)
        countries = {c for c in (ofac_country(n) for n in add.countries) if c} if add else set()
        extra = {
            column.lower(): value
            for column, value in zip(SDN_COLUMNS[4:11], cells[4:11], strict=True)
            if value
        }
        weak = _WEAK_AKA.findall(remarks)
        if weak:
            # Kept aside, as OFAC advises: weak a.k.a.s are too broad to screen against.
            extra["weak_aliases"] = "; ".join(unique(weak))
        yield ListedEntity(
            entity_id=str(ent),
            name=name,
            entity_type=SDN_TYPES[kind],
            aliases=tuple(alt.values) if alt else (),
            country=countries.pop() if len(countries) == 1 else None,
            addresses=unique(add.values) if add else (),
            identifiers=identifiers_of(remarks),
            reason=_reason(programs, remarks),
            programs=programs,
            source_line=line,
            extra=extra,
        )
    for file, left in (("alt.csv", aliases), ("add.csv", addresses)):
        if left:
            ent, linked = min(left.items(), key=lambda item: item[1].line)
            raise WatchlistFileError(
                file,
                linked.line,
                Message("ent_num %(ent)s is not in %(file)s", ent=ent, file=sdn.name),
                column=1,
                field="ent_num",
            )
