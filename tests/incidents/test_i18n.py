"""The incident form in Russian: the service's errors read in the page's language."""

from __future__ import annotations

from fastapi import FastAPI

from tests.incidents.conftest import Cast
from tests.incidents.test_views import FORM, browser, csrf


def test_the_incident_form_in_russian_shows_the_services_errors_in_russian(
    app: FastAPI, cast: Cast
) -> None:
    customs = browser(app, cast.customs)
    customs.cookies.set("precx_locale", "ru")
    bad = customs.post(
        "/incidents/new",
        data={
            **FORM,
            "country": "QQ",
            "route": "origin: QQ; Nowhere",
            "csrf_token": csrf(customs, "/incidents/new"),
        },
    )
    assert bad.status_code == 422
    country = bad.text.split('data-testid="error-country">', 1)[1].split("<", 1)[0]
    route = bad.text.split('data-testid="error-route">', 1)[1].split("<", 1)[0]
    assert country == "неизвестная страна"
    assert route == "неизвестная страна (строка 1)"
