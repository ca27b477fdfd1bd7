"""The screening API: screen orders, read them back, export them, keep watchlists."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind, Role
from tests.fixtures.builders import make_member, make_org

ORDER = {
    "order_id": "SO-1",
    "customer_name": "Lackwerk Nord GmbH",
    "customer_country": "DE",
    "substance": "acetone",
    "quantity": 200,
    "unit": "l",
    "customer_since": "2019-01-01",
    "declared_end_use": "paint solvent",
}


def test_screen_one_order_and_read_it_back(session: Session, client: TestClient) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    risky = {**ORDER, "order_id": "SO-2", "payment_method": "cash", "delivery_type": "po_box"}
    answer = client.post(
        "/api/v1/screenings", json={"orders": [ORDER, risky]}, headers=member.headers
    )
    assert answer.status_code == 201, answer.text
    results = answer.json()["results"]
    assert [r["decision"] for r in results] == ["clear", "review"], results
    assert {f["code"] for f in results[1]["findings"]} == {"PAYMENT_UNUSUAL", "DELIVERY_UNUSUAL"}
    stored = client.get(f"/api/v1/screenings/{results[1]['screening_id']}", headers=member.headers)
    assert stored.json()["order_ref"] == "SO-2" and stored.json()["score"] == results[1]["score"]
    only_review = client.get(
        "/api/v1/screenings", params={"decision": "review"}, headers=member.headers
    )
    assert [s["order_ref"] for s in only_review.json()["items"]] == ["SO-2"]


def test_screenings_are_filtered_by_a_substance_however_it_is_named(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    toluene = {**ORDER, "order_id": "SO-T", "substance": "toluene"}
    client.post("/api/v1/screenings", json={"orders": [ORDER, toluene]}, headers=member.headers)

    def refs(substance: str) -> list[str]:
        listed = client.get(
            "/api/v1/screenings", params={"substance": substance}, headers=member.headers
        )
        return [s["order_ref"] for s in listed.json()["items"]]

    assert refs("toluene") == refs("108-88-3") == refs("Toluol") == ["SO-T"]
    # A substance takes in its salts, as orders name what was actually sold.
    salt = {**ORDER, "order_id": "SO-E", "substance": "ephedrine hydrochloride"}
    client.post("/api/v1/screenings", json={"orders": [salt]}, headers=member.headers)
    assert refs("ephedrine") == refs("Ephedrine hydrochloride") == ["SO-E"]
    assert refs("pseudoephedrine") == []
    unknown = client.get(
        "/api/v1/screenings", params={"substance": "unobtainium"}, headers=member.headers
    )
    assert unknown.status_code == 422
    [error] = unknown.json()["errors"]
    assert error["field"] == "substance"
    assert error["message"].startswith("'unobtainium' is no substance of the catalog")


def test_screening_without_storing_answers_200_and_keeps_nothing(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.logistics, "PL"))
    answer = client.post(
        "/api/v1/screenings", json={"orders": [ORDER], "store": False}, headers=member.headers
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["screening_id"] is None
    assert client.get("/api/v1/screenings/count", headers=member.headers).json() == {"count": 0}


def test_bad_orders_are_problems_naming_the_field(session: Session, client: TestClient) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    bad_unit = client.post(
        "/api/v1/screenings",
        json={"orders": [{**ORDER, "unit": "lb"}]},
        headers=member.headers,
    )
    assert bad_unit.status_code == 422
    assert bad_unit.headers["content-type"].startswith("application/problem+json")
    assert any("unit" in e["field"] for e in bad_unit.json()["errors"])
    unknown = client.post(
        "/api/v1/screenings",
        json={"orders": [{**ORDER, "substance": "acetone peroxide kit"}]},
        headers=member.headers,
    )
    assert unknown.status_code == 422 and "Acetone" in unknown.text
    # A check across two fields names the field at fault, as a field's own check does.
    later = {**ORDER, "customer_since": "2031-01-01", "order_date": "2026-11-02"}
    since = client.post("/api/v1/screenings", json={"orders": [later]}, headers=member.headers)
    assert since.status_code == 422
    assert [e["field"] for e in since.json()["errors"]] == ["body.orders.0.customer_since"]
    too_many = client.post(
        "/api/v1/screenings", json={"orders": [ORDER] * 1001}, headers=member.headers
    )
    assert too_many.status_code == 422
    assert client.get("/api/v1/screenings/count", headers=member.headers).json() == {"count": 0}


def test_a_batch_with_one_unknown_substance_stores_none(
    session: Session, client: TestClient
) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    orders = [ORDER, {**ORDER, "order_id": "SO-X", "substance": "unobtainium"}]
    answer = client.post("/api/v1/screenings", json={"orders": orders}, headers=member.headers)
    assert answer.status_code == 422
    assert client.get("/api/v1/screenings/count", headers=member.headers).json() == {"count": 0}


def test_viewers_cannot_screen(session: Session, client: TestClient) -> None:
    with session.begin():
        viewer = make_member(session, make_org(session, OrgKind.industry, "DE"), Role.viewer)
    answer = client.post("/api/v1/screenings", json={"orders": [ORDER]}, headers=viewer.headers)
    assert answer.status_code == 403


def test_exports_as_csv_and_xlsx(session: Session, client: TestClient) -> None:
    with session.begin():
        member = make_member(session, make_org(session, OrgKind.industry, "DE"))
    client.post("/api/v1/screenings", json={"orders": [ORDER]}, headers=member.headers)
    csv_answer = client.get("/api/v1/screenings/export.csv", headers=member.headers)
    assert "SO-1" in csv_answer.text and "TLP:AMBER" in csv_answer.text
    xlsx_answer = client.get("/api/v1/screenings/export.xlsx", headers=member.headers)
    sheet = load_workbook(io.BytesIO(xlsx_answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "order_id", "decision") and rows[1][1] == "SO-1"


def test_thresholds_are_read_by_all_and_set_by_admins(session: Session, client: TestClient) -> None:
    with session.begin():
        org = make_org(session, OrgKind.industry, "DE")
        admin = make_member(session, org, Role.admin)
        analyst = make_member(session, org, Role.analyst)
    new = {"review_threshold": 10, "report_threshold": 40}
    refused = client.put("/api/v1/screenings/settings", json=new, headers=analyst.headers)
    assert refused.status_code == 403
    assert client.put("/api/v1/screenings/settings", json=new, headers=admin.headers).json() == new
    assert client.get("/api/v1/screenings/settings", headers=analyst.headers).json() == new
    backwards = client.put(
        "/api/v1/screenings/settings",
        json={"review_threshold": 50, "report_threshold": 40},
        headers=admin.headers,
    )
    assert backwards.status_code == 422


def test_watchlist_upload_listing_and_entities(session: Session, client: TestClient) -> None:
    with session.begin():
        authority = make_member(session, make_org(session, OrgKind.licensing_authority, "PL"))
        company = make_member(session, make_org(session, OrgKind.industry, "PL"))
    body = (
        "entity_id,name,aliases,entity_type,country\n"
        "E1,Nowak Chemia Sp. z o.o.,Nowak Chemicals,company,PL\n"
    )
    uploaded = client.post(
        "/api/v1/watchlists/PL%20list/import",
        files={"file": ("pl.csv", body.encode(), "text/csv")},
        data={"format": "csv"},
        headers=authority.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["entity_count"] == 1
    refused = client.post(
        "/api/v1/watchlists/PL%20list/import",
        files={"file": ("pl.csv", body.encode(), "text/csv")},
        data={"format": "csv"},
        headers=company.headers,
    )
    assert refused.status_code == 403
    lists = client.get("/api/v1/watchlists", headers=company.headers).json()
    assert [(w["name"], w["entity_count"], w["alias_count"]) for w in lists] == [("PL list", 1, 1)]
    entities = client.get("/api/v1/watchlists/PL%20list/entities", headers=company.headers)
    assert entities.json()["items"][0]["aliases"] == ["Nowak Chemicals"]
    screened = client.post(
        "/api/v1/screenings",
        json={"orders": [{**ORDER, "customer_name": "Nowak Chemia", "customer_country": "PL"}]},
        headers=company.headers,
    )
    hit = screened.json()["results"][0]["watchlist_hits"][0]
    assert (hit["list"], hit["entity_id"], hit["list_version"]) == ("PL list", "E1", 1)
    bad = client.post(
        "/api/v1/watchlists/PL%20list/import",
        files={"file": ("pl.csv", b"entity_id,name\nE1,\n", "text/csv")},
        data={"format": "csv"},
        headers=authority.headers,
    )
    assert bad.status_code == 422 and "pl.csv:2" in bad.json()["detail"]
