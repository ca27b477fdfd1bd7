"""A notification page in Russian shows the errors of the service and the flashed news in
Russian, while the same messages stay English for the API (tests of the API and service)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.notifications.helpers import people
from tests.notifications.test_views import _log_in, n_days
from tests.notifications.test_views_forms import _notification_form


def test_a_russian_page_shows_the_refusal_and_the_news_in_russian(
    session: Session, client: TestClient
) -> None:
    p = people(session)
    token = _log_in(client, p.de_authority)
    client.cookies.set("precx_locale", "ru")

    refused = client.post(
        "/notifications/new", data=_notification_form(token, dispatch_date=n_days(-2))
    )
    assert refused.status_code == 422
    whole = re.search(r'<p class="flash flash-error"[^>]*>([^<]*)</p>', refused.text)
    assert whole is not None and whole.group(1) == "Ожидаемая дата отправки уже прошла."
    beside = re.search(
        r'<small id="dispatch_date-error" class="error">([^<]*)</small>', refused.text
    )
    assert beside is not None and beside.group(1) == "в прошлом"

    sent = client.post("/notifications/new", data=_notification_form(token), follow_redirects=True)
    assert sent.status_code == 200
    reference = re.search(r"PEN-DE-\d{4}-\d{6}", sent.text)
    assert reference is not None
    assert f"Уведомление {reference.group(0)} отправлено." in sent.text

    # The checks of the notification read in Russian too, country names included.
    checks = re.findall(r'<li class="check-\w+"><strong>[^<]*</strong>: ([^<]*)</li>', sent.text)
    assert checks, sent.text[:2000]
    assert all(not re.search(r"\b(requires|keeps no|licence|against an ALR)\b", c) for c in checks)
    assert any("уведомлени" in c or "потребност" in c or "реестр" in c for c in checks), checks
