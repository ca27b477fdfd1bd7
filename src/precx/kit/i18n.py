"""Translations of the web pages: gettext catalogs read from the .po files, per request locale."""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

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
