"""Incident and alert pages: the form with its text areas, the page and its actions, the map,
the feed fragment the alert page polls, and what industry is shown."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.incidents.models import Incident, IncidentParty
from tests.fixtures.builders import Member, log_in
from tests.incidents.conftest import NEXT_MONTH, YESTERDAY, Cast


def browser(app: FastAPI, member: Member) -> TestClient:
    return log_in(TestClient(app, base_url="http://testserver"), member)


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


FORM = {
    "kind": "seizure",
    "title": "Drums of acetic anhydride at the port",
    "occurred_on": YESTERDAY.isoformat(),
    "place": "Port of Hamburg",
    "country": "DE",
    "latitude": "53,54",
    "longitude": "9.97",
    "reporting_agency": "Zoll Hamburg",
    "substances": "acetic anhydride; 2400; l; 99%; blue drums",
    "parties": "company: Nordwind Trading FZE; AE; consignee\nphone: +971 4 555 0100",
    "route": "origin: CN; Tianjin\ndestination: NL",
    "distribution": "country_authorities",
    "tlp": "amber",
}


def test_record_complete_finalise_and_restrict_in_the_pages(
    session: Session, app: FastAPI, cast: Cast
) -> None:
    customs = browser(app, cast.customs)
    assert "Incidents" in customs.get("/").text
    bad = customs.post(
        "/incidents/new",
        data={**FORM, "latitude": "123", "csrf_token": csrf(customs, "/incidents/new")},
    )
    assert bad.status_code == 422 and 'data-testid="error-latitude"' in bad.text
    bad_lines = customs.post(
        "/incidents/new",
        data={**FORM, "parties": "spaceship: X", "csrf_token": csrf(customs, "/incidents/new")},
    )
    assert bad_lines.status_code == 422 and 'data-testid="error-parties"' in bad_lines.text
    with session.begin():
        assert session.scalars(select(Incident)).all() == []
    made = customs.post(
        "/incidents/new", data={**FORM, "csrf_token": csrf(customs, "/incidents/new")}
    )
    assert made.status_code == 200 and "recorded as a draft" in made.text
    with session.begin():
        incident = session.scalars(select(Incident)).one()
        assert incident.latitude == 53.54
        assert [p.kind for p in session.scalars(select(IncidentParty))] == ["company", "phone"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    attached = customs.post(
        f"/incidents/{incident.id}/attachments",
        data={"csrf_token": csrf(customs, "/incidents")},
        files={"file": ("drums.png", png, "image/png")},
    )
    assert "The file is attached" in attached.text
    refused = customs.post(
        f"/incidents/{incident.id}/attachments",
        data={"csrf_token": csrf(customs, "/incidents")},
        files={"file": ("drums.png", b"<html>not an image</html>", "image/png")},
    )
    assert "Attach PDF, PNG or JPEG files only" in refused.text
    police = browser(app, cast.police)
    page = police.get(f"/incidents/{incident.id}")
    link = page.text.split('href="/incidents/' + str(incident.id) + "/attachments/", 1)[1]
    download = police.get(f"/incidents/{incident.id}/attachments/" + link.split('"', 1)[0])
    assert download.content == png
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "Nordwind Trading FZE" in page.text and "Finalise" in page.text
    edit = police.get(f"/incidents/{incident.id}/edit").text
    assert "acetic anhydride" in edit.lower()
    saved = police.post(
        f"/incidents/{incident.id}/edit",
        data={
            **FORM,
            "narrative": "Front company (fictional)",
            "csrf_token": csrf(police, "/incidents"),
        },
    )
    assert "has been updated" in saved.text
    final = police.post(
        f"/incidents/{incident.id}/finalise", data={"csrf_token": csrf(police, "/incidents")}
    )
    assert "The incident is final" in final.text
    timeline = final.text.split('data-testid="timeline"', 1)[1]
    assert timeline.index("created") < timeline.index("updated") < timeline.index("finalised")
    officer = browser(app, cast.officer)
    restricted = officer.post(
        f"/incidents/{incident.id}/restrict",
        data={"csrf_token": csrf(officer, "/incidents"), "list_name": ""},
    )
    assert "restricted list BfArM (test) incidents" in restricted.text
    listing = officer.get("/incidents", params={"country": "NL"})
    assert "Drums of acetic anhydride" in listing.text
    assert (
        "Drums of acetic anhydride"
        not in officer.get("/incidents", params={"kind": "equipment"}).text
    )
    by_cas = officer.get("/incidents", params={"substance": "108-24-7"})  # acetic anhydride
    assert "Drums of acetic anhydride" in by_cas.text
    unknown = officer.get("/incidents", params={"substance": "unobtainium"}).text
    assert "&#39;unobtainium&#39; is no substance of the catalog" in unknown
    assert "Drums of acetic anhydride" in unknown  # the rest of the filter still lists
    on_the_map = officer.get("/incidents/map", params={"substance": "unobtainium"})
    assert on_the_map.status_code == 200 and 'data-testid="filter-error"' in on_the_map.text
    assert "Drums of acetic anhydride" in on_the_map.text  # in the map's data
    export = officer.get("/incidents/export.csv")
    assert "Nordwind Trading FZE" in export.text
    the_map = officer.get("/incidents/map")
    assert the_map.status_code == 200 and "leaflet-1.9.4.min.js" in the_map.text
    assert "img-src 'self' data:;" in the_map.headers["content-security-policy"]
    industry = browser(app, cast.industry)
    assert "Incidents" not in industry.get("/").text.split("</nav>")[0]
    assert industry.get(f"/incidents/{incident.id}").status_code == 404
    assert industry.get("/incidents").status_code == 404


def test_an_alert_from_draft_to_the_industry_feed(
    session: Session, app: FastAPI, cast: Cast
) -> None:
    officer = browser(app, cast.officer)
    form = {
        "title": "Blue drums of acetic anhydride for free-zone traders",
        "watch_for": "Orders of acetic anhydride in 200 l drums for traders in free zones.",
        "substances": "acetic anhydride",
        "countries": "AE, NL",
        "indicators": "packaging: 200 l blue drums\npayment_method: prepayment",
        "severity": "high",
        "expires_on": NEXT_MONTH.isoformat(),
        "distribution": "partnership",
        "tlp": "green",
        "submit": "yes",
    }
    bad = officer.post(
        "/alerts/new",
        data={**form, "indicators": "horoscope: x", "csrf_token": csrf(officer, "/alerts/new")},
    )
    assert bad.status_code == 422 and 'data-testid="error-indicators"' in bad.text
    made = officer.post("/alerts/new", data={**form, "csrf_token": csrf(officer, "/alerts/new")})
    assert "awaits a second officer" in made.text
    alert_id = int(made.url.path.rsplit("/", 1)[1])
    industry = browser(app, cast.industry)
    assert "Blue drums" not in industry.get("/alerts/feed").text
    assert industry.get(f"/alerts/{alert_id}").status_code == 404
    refused = officer.post(
        f"/alerts/{alert_id}/approve", data={"csrf_token": csrf(officer, "/alerts")}
    )
    assert "second officer" in refused.text
    second = browser(app, cast.second_officer)
    assert "Blue drums" in second.get("/alerts").text  # awaiting approval
    published = second.post(
        f"/alerts/{alert_id}/approve", data={"csrf_token": csrf(second, "/alerts")}
    )
    assert "The alert is published" in published.text
    feed = industry.get("/alerts/feed").text
    assert "Blue drums" in feed and "unread" in feed
    page = industry.get("/alerts")
    assert 'hx-trigger="every 3s"' in page.text
    industry.post(f"/alerts/{alert_id}/read", data={"csrf_token": csrf(industry, "/alerts")})
    assert "unread" not in industry.get("/alerts/feed").text
    sighted = industry.post(
        f"/alerts/{alert_id}/sightings",
        data={
            "seen_on": YESTERDAY.isoformat(),
            "note": "A new customer asked for the same drums",
            "csrf_token": csrf(industry, "/alerts"),
        },
    )
    assert "the authority that issued the alert is told" in sighted.text
    assert "A new customer asked" in officer.get(f"/alerts/{alert_id}").text
    other = browser(app, cast.other_industry)
    assert "A new customer asked" not in other.get(f"/alerts/{alert_id}").text
