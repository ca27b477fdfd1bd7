"""Translations of the web pages: gettext catalogs read from the .po files, per request locale.

Pages translate their own words when they render. Messages made elsewhere (a service's error, a
check of a form's field) are made before anyone knows the language of the page that will show
them, and the API, the CLI and the logs speak English: such a message is a `Message`, its
English text carrying its template and values, which a page translates when it shows it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "web" / "translations"
LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT_LOCALE = "en"

_current: ContextVar[str] = ContextVar("precx_locale", default=DEFAULT_LOCALE)


@cache
def catalog(locale: str) -> NullTranslations:
    """The compiled catalog of a language (English has one only for identifier-like labels)."""
    po = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    # Compiled in memory at start-up, so no stale .mo file can ever be served.
    write_mo(buffer, parsed)
    buffer.seek(0)
    return Translations(buffer)


def set_locale(locale: str) -> None:
    """Use this language for the rest of the current request."""
    _current.set(locale if locale in LANGUAGES else DEFAULT_LOCALE)


def current_locale() -> str:
    """The language of the current request."""
    return _current.get()


def gettext(message: str) -> str:
    """Translate a message into the current language."""
    if isinstance(message, Translatable):
        return message.translated(_current.get())
    return catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count into the current language."""
    return catalog(_current.get()).ngettext(singular, plural, n)


def negotiate(accept_language: str | None) -> str | None:
    """The first supported language in an Accept-Language header."""
    if not accept_language:
        return None
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return None


class Translatable(str):
    """A str in English that a page shows in its reader's language: `translate` asks it."""

    def __str__(self) -> str:
        # str() keeps it translatable: views pass values through str() to be sure of a str,
        # and a page translates what it gets.
        return self

    def translated(self, locale: str) -> str:
        """The text in a language (English here; each kind knows its own)."""
        return str.__str__(self)


class Message(Translatable):
    """A message in English, as any str, that a page shows in its reader's language.

    `Message("%(file)s is no CSV file", file=name)`: the template, with the catalog's %(name)s
    placeholders, is what the catalog translates (so it is extracted like _("...")); the values
    are filled in after translating, and may be translatable themselves. The API, the CLI and
    the logs use it as the English str it is.
    """

    template: str
    values: Mapping[str, object]
    english_apart: bool = False  # the English text is not the template filled in (pydantic's)

    def __new__(cls, template: str, /, **values: object) -> Message:
        # Made on the screening path (findings): directly, the keywords' fresh dict kept.
        made = str.__new__(cls, template % values)
        made.template = template
        made.values = values
        return made

    @classmethod
    def of(
        cls, english: str, template: str, values: Mapping[str, object], apart: bool = True
    ) -> Message:
        """A message whose English text is given apart from its template (pydantic's own), or,
        with `apart=False`, one restored as it was made."""
        made = str.__new__(cls, english)
        made.template = template
        made.values = dict(values)
        made.english_apart = apart
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message.of, (str.__str__(self), self.template, self.values, self.english_apart))

    def translated(self, locale: str) -> str:
        """The catalog's translation filled in with the values' own; English where the catalog
        has none."""
        translated = catalog(locale).gettext(self.template)
        if translated == self.template and (self.english_apart or not self.values):
            return str.__str__(self)
        values = {key: translate(value, locale) for key, value in self.values.items()}
        result: str = translated % values
        return result


class CountryName(Translatable):
    """A country's English name, as any str, that a page shows in its own language (CLDR's
    names, through Babel): "Kazakhstan" reads "Казахстан" on a Russian page."""

    code: str

    def __new__(cls, code: str, english: str) -> CountryName:
        made = str.__new__(cls, english)
        made.code = code
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (CountryName, (self.code, str.__str__(self)))

    def translated(self, locale: str) -> str:
        """The name in a language; the English one where CLDR has none."""
        if locale == DEFAULT_LOCALE:
            return str.__str__(self)
        return territory_names(locale).get(self.code.upper()) or str.__str__(self)


class LocalName(Translatable):
    """A name in English, as any str, with its names in other languages (a substance's, from
    the catalog), that a page shows in its own language."""

    names: Mapping[str, str]

    def __new__(cls, english: str, names: Mapping[str, str]) -> LocalName:
        made = str.__new__(cls, english)
        made.names = dict(names)
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (LocalName, (str.__str__(self), self.names))

    def translated(self, locale: str) -> str:
        """The name in a language; the English one where there is none."""
        return self.names.get(locale) or str.__str__(self)


class Joined(Translatable):
    """Several values joined by a separator, as any str, each read in the page's language
    (the countries of a route: "Belarus, Russian Federation" reads "Беларусь, Россия")."""

    items: tuple[str, ...]
    separator: str

    def __new__(cls, items: Sequence[str], separator: str = ", ") -> Joined:
        made = str.__new__(cls, separator.join(str.__str__(i) for i in items))
        made.items, made.separator = tuple(items), separator
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.items, self.separator))

    def translated(self, locale: str) -> str:
        """Each value in a language, joined."""
        return self.separator.join(str(translate(item, locale)) for item in self.items)


@cache
def territory_names(locale: str) -> Mapping[str, str]:
    """Country names by ISO code in a language (CLDR)."""
    try:
        return dict(Locale.parse(locale).territories)
    except (ValueError, UnknownLocaleError):
        return {}


def message_data(message: str) -> dict[str, Any]:
    """A message as JSON keeps it (a cookie, a database column): its English and, for a Message,
    its template and values, themselves kept alike, so that a later page can translate it."""
    if isinstance(message, CountryName):
        return {"m": str.__str__(message), "country": message.code}
    if isinstance(message, LocalName):
        return {"m": str.__str__(message), "names": message.names}
    if isinstance(message, Joined):
        items = [message_data(item) for item in message.items]
        return {"m": str.__str__(message), "join": items, "separator": message.separator}
    if not isinstance(message, Message):
        return {"m": str(message)}
    values = {key: message_data(str(value)) for key, value in message.values.items()}
    return {
        "m": str.__str__(message),
        "t": message.template,
        "v": values,
        "a": message.english_apart,
    }


def message_from_data(data: Mapping[str, Any]) -> str:
    """The message that message_data kept, translatable again when it was."""
    if "country" in data:
        return CountryName(str(data["country"]), str(data["m"]))
    if "names" in data:
        return LocalName(str(data["m"]), {str(k): str(v) for k, v in dict(data["names"]).items()})
    if "join" in data:
        items = [message_from_data(dict(item)) for item in data["join"]]
        return Joined(items, str(data.get("separator", ", ")))
    if "t" not in data:
        return str(data["m"])
    values = {str(k): message_from_data(dict(v)) for k, v in dict(data.get("v") or {}).items()}
    return Message.of(str(data["m"]), str(data["t"]), values, bool(data.get("a", True)))


def translate(text: object, locale: str | None = None) -> Any:
    """A translatable str in the current language (or `locale`); anything else as it is."""
    if isinstance(text, Translatable):
        return text.translated(locale or _current.get())
    return text


def _(message: str) -> str:
    """Mark a message for the catalog (a Message translates it when a page shows it)."""
    return message


# pydantic's checks of a field, by error type: templates for its messages, filled in with the
# error's context. Its English stays pydantic's own; these are what the catalog translates.
_FIELD_CHECKS: dict[str, str] = {
    "missing": _("is required"),
    "string_too_short": _("must have at least %(min_length)s characters"),
    "string_too_long": _("must have at most %(max_length)s characters"),
    "too_short": _("must have at least %(min_length)s items"),
    "too_long": _("must have at most %(max_length)s items"),
    "greater_than": _("must be greater than %(gt)s"),
    "greater_than_equal": _("must be %(ge)s or more"),
    "less_than": _("must be less than %(lt)s"),
    "less_than_equal": _("must be %(le)s or less"),
    "int_parsing": _("must be a whole number"),
    "int_type": _("must be a whole number"),
    "int_from_float": _("must be a whole number"),
    "float_parsing": _("must be a number"),
    "float_type": _("must be a number"),
    "decimal_parsing": _("must be a number"),
    "finite_number": _("must be a number"),
    "bool_parsing": _("must be yes or no"),
    "date_parsing": _("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
    "date_type": _("must be a date (YYYY-MM-DD)"),
    "datetime_parsing": _("must be a date and time"),
    "datetime_from_date_parsing": _("must be a date and time"),
    "enum": _("must be one of: %(expected)s"),
    "literal_error": _("must be one of: %(expected)s"),
    "string_pattern_mismatch": _("is not in the expected format"),
    "string_type": _("must be text"),
    "url_parsing": _("must be a web address"),
    "url_scheme": _("must be a web address"),
    "uuid_parsing": _("must be a UUID"),
    "json_invalid": _("is not valid JSON"),
    "extra_forbidden": _("is not an accepted field"),
}


def field_message(error: Mapping[str, Any]) -> Message:
    """The message of one of pydantic's errors (`ValidationError.errors()`), translatable.

    A check of ours that raises ValueError(Message(...)) gives that Message; pydantic's own
    checks give their English message, translated from the templates above.
    """
    english = str(error.get("msg", "")).removeprefix("Value error, ")
    context = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, BaseException) and cause.args and isinstance(cause.args[0], Message):
        return cause.args[0]
    template = _FIELD_CHECKS.get(str(error.get("type", "")))
    if template is None:
        return Message.of(english, english.replace("%", "%%"), {})
    values = {key: str(value) for key, value in context.items()}
    try:
        template % values
    except (KeyError, ValueError, TypeError):
        return Message.of(english, english.replace("%", "%%"), {})
    return Message.of(english, template, values)
