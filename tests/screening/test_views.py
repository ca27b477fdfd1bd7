"""Screening pages: upload a file, watch it, read the results, manage watchlists."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import log_in, make_member, make_org

ORDERS = (
    "order_id,customer_name,customer_country,substance,quantity,unit,payment_method,delivery_type\n"
    "W-1,Lackwerk Nord GmbH,DE,acetone,100,l,invoice,customer_premises\n"
    "W-2,Biolab Hobby,DE,ephedrine,3,kg,cash,freight_forwarder\n"
)


@pytest.fixture
def officer(session: Session, client: TestClient) -> TestClient:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"), Role.admin)
    return log_in(client, member)


def csrf(client: TestClient) -> str:
    page = client.get("/screening").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_upload_watch_progress_then_see_results(officer: TestClient) -> None:
    answer = officer.post(
        "/screening/upload",
        files={"file": ("week-48.csv", ORDERS.encode(), "text/csv")},
        data={"csrf_token": csrf(officer)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    batch_url = answer.headers["location"]
    assert batch_url.startswith("/screening/batches/")
    deadline = time.monotonic() + 30
    while True:
        fragment = officer.get(batch_url + "/progress").text
        if 'data-status="done"' in fragment or 'data-status="failed"' in fragment:
            break
        assert time.monotonic() < deadline, fragment
        time.sleep(0.2)
    assert 'data-status="done"' in fragment and "All 2 orders" in fragment
    batch_id = batch_url.rsplit("/", 1)[1]
    results = officer.get(f"/screening?batch={batch_id}").text
    assert "W-1" in results and "W-2" in results and "LICENCE_MISSING" in results
    only_report = officer.get(f"/screening?batch={batch_id}&decision=report").text
    assert "W-2" in only_report and "W-1" not in only_report
    # A substance as the officer writes it: its German name, its CAS number.
    for named in ("Ephedrin", "299-42-3"):
        by_substance = officer.get("/screening", params={"substance": named}).text
        assert "W-2" in by_substance and "W-1" not in by_substance, named
        assert f'name="substance" value="{named}"' in by_substance
    unknown = officer.get("/screening", params={"substance": "unobtainium"}).text
    assert 'data-testid="filter-error"' in unknown and "W-1" in unknown and "W-2" in unknown
    assert 'href="/api/v1/screenings/export.csv"' in unknown
    assert "export.csv?substance=" not in unknown  # the export exports what the list shows


def test_a_bad_file_fails_the_batch_with_its_line(officer: TestClient) -> None:
    bad = ORDERS.replace("100,l", "100,bucket")
    answer = officer.post(
        "/screening/upload",
        files={"file": ("bad.csv", bad.encode(), "text/csv")},
        data={"csrf_token": csrf(officer)},
    )
    deadline = time.monotonic() + 30
    while 'data-status="failed"' not in answer.text:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.2)
        answer = officer.get(str(answer.url) + "/progress")
    # The file as the user named it (it is kept in a folder of its own while it is screened).
    assert "Nothing was stored: bad.csv:2:6 (unit): &#39;bucket&#39; is not one of" in answer.text
    assert "No screenings match" in officer.get("/screening").text
    # The stored error keeps its template: the page reads it in the reader's language.
    officer.cookies.set("precx_locale", "ru")
    russian = officer.get(str(answer.url)).text
    assert "Ничего не сохранено: bad.csv:2:6 (unit): &#39;bucket&#39; не входит" in russian
    assert "is not one of" not in russian


def test_one_result_explains_every_finding(officer: TestClient) -> None:
    officer.post(
        "/screening/upload",
        files={"file": ("one.csv", ORDERS.encode(), "text/csv")},
        data={"csrf_token": csrf(officer)},
    )
    deadline = time.monotonic() + 30
    while "W-2" not in (listing := officer.get("/screening").text):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    detail_ids = [part.split('"', 1)[0] for part in listing.split('href="/screening/')[1:]]
    numeric = [d for d in detail_ids if d.isdigit()]
    assert numeric
    pages = [officer.get(f"/screening/{n}").text for n in numeric]
    cash = next(p for p in pages if "W-2" in p)
    assert "Payment by cash" in cash and "category 1" in cash and "REPORT" in cash
    # The order's codes read as words.
    assert "<dd>freight forwarder</dd>" in cash and "freight_forwarder" not in cash
    # Stored findings keep their messages' templates: a Russian page reads them in Russian.
    officer.cookies.set("precx_locale", "ru")
    cash_id = numeric[pages.index(cash)]
    russian = officer.get(f"/screening/{cash_id}").text
    assert "Оплата: наличные. Законные покупатели химикатов платят" in russian
    assert "Payment by cash" not in russian
    # Substances by the catalog's Russian names, on the page and inside the findings.
    assert "Эфедрин</a>" in russian and "вещества Эфедрин" in russian
    officer.cookies.set("precx_locale", "en")


def test_the_watchlist_pages(officer: TestClient) -> None:
    page = officer.get("/watchlists")
    assert page.status_code == 200 and "No watchlists yet" in page.text
    assert "Import a list" not in page.text  # industry does not keep lists


def test_a_russian_page_shows_the_errors_of_screening_in_russian(officer: TestClient) -> None:
    officer.cookies.set("precx_locale", "ru")
    refused = officer.post(
        "/screening/upload",
        files={"file": ("orders.txt", b"order_id\n", "text/plain")},
        data={"csrf_token": csrf(officer)},
    )
    assert "Загрузите заказы в файле .csv или .xlsx." in refused.text
    assert "Upload orders as" not in refused.text
    missing = officer.get("/watchlists/no-such-list")
    assert missing.status_code == 404
    assert "Списка наблюдения &#39;no-such-list&#39; нет." in missing.text
