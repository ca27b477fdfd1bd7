"""A report page in Russian shows the services' errors in Russian."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.orm import Session

from tests.reports.helpers import make_people
from tests.reports.test_views import csrf, log_in


def test_the_form_in_russian_names_the_missing_counterparty_in_russian(
    session: Session, app: FastAPI
) -> None:
    people = make_people(session)
    client = log_in(app, people.reporter)
    client.cookies.set("precx_locale", "ru")
    token = csrf(client, "/reports/new")
    answer = client.post(
        "/reports/new",
        data={
            "csrf_token": token,
            "kind": "suspicious_order",
            "cp_name": "",
            "substance": ["acetone", "", ""],
            "quantity": ["500", "", ""],
            "unit": ["l", "", ""],
            "action": "submit",
        },
    )
    assert answer.status_code == 422
    assert "Сообщение нельзя отправить без контрагента; сохраните его как черновик." in answer.text
    assert '<small id="cp_name-error" class="error">обязательно для отправки</small>' in answer.text
    assert "without a counterparty" not in answer.text
