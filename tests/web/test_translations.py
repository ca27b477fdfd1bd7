"""The Russian catalog covers every message, and the catalog matches the code and templates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from precx.accounts.principal import OrgKind, OrgStatus, Role
from precx.sharing.models import Distribution
from precx.web import labels

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "src" / "precx" / "web" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(path: Path, locale: str | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_every_message_has_a_russian_translation_with_its_placeholders() -> None:
    template = _catalog(TRANSLATIONS / "messages.pot")
    russian = _catalog(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po", "ru")
    ids = [m.id for m in template if m.id]
    assert len(ids) > 150
    for msgid in ids:
        entry = russian.get(msgid)
        assert entry is not None and entry.string and not entry.fuzzy, msgid
        singular = msgid[0] if isinstance(msgid, tuple) else msgid
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(str(singular))) | {
                "num"
            }, msgid


def test_the_catalog_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "Message",
            "-o",
            str(fresh),
            "src/precx",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = {m.id for m in _catalog(fresh) if m.id}
    committed = {m.id for m in _catalog(TRANSLATIONS / "messages.pot") if m.id}
    assert extracted - committed == set(), "run `make translations` and translate the new ones"


def test_every_enum_value_shown_on_pages_is_marked_for_translation() -> None:
    marked = set(labels.ORG_KINDS + labels.ROLES + labels.STATUSES)
    template = {m.id for m in _catalog(TRANSLATIONS / "messages.pot") if m.id}
    for enum in (OrgKind, Role, OrgStatus, Distribution):
        for member in enum:
            assert member.value in marked | template, member


def test_no_message_holds_a_bare_percent_sign() -> None:
    """Newstyle gettext %-formats every message: a bare % breaks the page at render time."""
    bare = re.compile(r"%(?!\(\w+\)s)")
    for message in _catalog(TRANSLATIONS / "messages.pot"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # %% is a percent sign written in a message that has values (kit.i18n.Message).
        assert not any(bare.search(str(i).replace("%%", "")) for i in ids if i), message.id
