"""Pages load nothing from outside: every script and style is vendored."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "precx" / "web"
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""", re.IGNORECASE)


def test_templates_reference_no_external_script_or_style() -> None:
    offenders = [str(p) for p in WEB.rglob("*.html") if EXTERNAL.search(p.read_text())]
    assert offenders == []


def test_the_vendored_assets_exist_with_their_version_in_the_name() -> None:
    vendor = {p.name for p in (WEB / "static" / "vendor").iterdir()}
    assert {"htmx-2.0.11.min.js", "pico-2.1.1.min.css"} <= vendor
