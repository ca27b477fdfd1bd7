"""Licensing pages in Russian show the errors of the form and of the service in Russian."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.fixtures.builders import log_in
from tests.fixtures.licences import TODAY
from tests.licensing.conftest import Cast
from tests.licensing.test_views import csrf


def test_a_russian_page_shows_the_licence_form_and_verify_errors_in_russian(
    client: TestClient, cast: Cast
) -> None:
    web = log_in(client, cast.de_authority)
    web.cookies.set("precx_locale", "ru")
    form = {
        "csrf_token": csrf(web, "/licences/new"),
        "kind": "licence",
        "number": "DE-778",
        "holder_name": "Rheinchem Handel GmbH",
        "substances": "ephedrine",
        "activities": ["possession"],
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY - timedelta(days=1)).isoformat(),
    }
    refused = web.post("/licences/new", data=form)
    assert refused.status_code == 422
    assert "valid_until must not be before valid_from" not in refused.text
    assert (
        "Дата окончания (valid_until) не может быть раньше даты начала (valid_from)" in refused.text
    )
    answer = web.post(
        "/verify",
        data={"csrf_token": csrf(web), "country": "DE", "number": "DE-1", "activity": "smuggling"},
    )
    assert answer.status_code == 422
    assert "— не вид деятельности; укажите один из: manufacture" in answer.text
