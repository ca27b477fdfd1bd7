"""The catalog's web pages render for a logged-in user."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import log_in, make_member, make_org


@pytest.fixture
def browser(session: Session, client: TestClient) -> TestClient:
    with session.begin():
        member = make_member(
            session, make_org(session, OrgKind.licensing_authority, "DE"), Role.analyst
        )
    return log_in(client, member)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/substances", "Acetic anhydride"),
        ("/substances?eu_category=3", "Toluene"),
        ("/substances?q=%D0%AD%D1%84%D0%B5%D0%B4%D1%80%D0%B8%D0%BD", "the ru name"),
        ("/substances?q=zzqx", "No substance matches"),
        ("/substances/acetic-anhydride", "108-24-7"),
        ("/substances/acetic-anhydride?concentration=30", "Controlled"),
        ("/substances/ephedrine-hydrochloride", "Salt or isomer of"),
        ("/countries?osce_status=participating_state", "Mongolia"),
        ("/countries/DE", "Record a request"),
    ],
)
def test_catalog_pages_render(browser: TestClient, path: str, expected: str) -> None:
    page = browser.get(path)
    assert page.status_code == 200, page.text[:500]
    assert expected in page.text


def test_the_russian_pages_render_too(browser: TestClient) -> None:
    browser.cookies.set("precx_locale", "ru")
    page = browser.get("/substances/acetic-anhydride?concentration=30")
    assert page.status_code == 200 and "Контролируется" in page.text


def test_an_authority_records_a_request_on_its_country_page(browser: TestClient) -> None:
    page = browser.get("/countries/DE").text
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<form" not in title and page.count('action="/countries/DE/pen-requirements"') == 1
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    saved = browser.post(
        "/countries/DE/pen-requirements",
        data={
            "csrf_token": csrf,
            "substance_id": "ephedrine",
            "required": "true",
            "note": "all exports",
            "source": "art. 12(10)(a)",
        },
    )
    assert saved.status_code == 200 and "Saved for Ephedrine." in saved.text
    assert "all exports" in saved.text
