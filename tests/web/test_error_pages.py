"""Error pages speak the reader's language; the API's problem details stay in English."""

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


def test_a_malformed_address_gets_an_error_page_in_the_readers_language(
    browser: TestClient,
) -> None:
    browser.cookies.set("precx_locale", "ru")
    page = browser.get("/reports/new?screening=abc")
    assert page.status_code == 422
    assert "query.screening: должно быть целым числом" in page.text

    browser.cookies.set("precx_locale", "en")
    page = browser.get("/reports/new?screening=abc")
    assert "query.screening: Input should be a valid integer" in page.text


def test_the_api_answers_in_english_whatever_the_browser_prefers(browser: TestClient) -> None:
    answer = browser.get("/api/v1/screenings?page=abc", headers={"Accept-Language": "ru"}).json()
    assert answer["status"] == 422
    assert "Input should be a valid integer" in answer["errors"][0]["message"]
