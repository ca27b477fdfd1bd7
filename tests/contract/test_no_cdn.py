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


def test_the_api_docs_page_uses_the_vendored_swagger_ui(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle-5.35.0.js" in page.text
    assert not EXTERNAL.search(page.text)
    assert client.get("/static/vendor/swagger-ui-bundle-5.35.0.js").status_code == 200
