"""Bulletins as a service: posting, searching and sorting what the caller may read."""

from __future__ import annotations

from sqlalchemy.orm import Session

from precx.accounts.principal import OrgKind
from precx.bulletins import service as bulletins_service
from precx.bulletins.schemas import BulletinCreate
from precx.kit.pagination import PageParams
from precx.sharing.models import Distribution, Tlp
from tests.fixtures.builders import make_member, make_org


def test_marking_sorts_by_how_narrowly_a_record_may_travel(session: Session) -> None:
    with session.begin():
        author = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        for tlp in (Tlp.red, Tlp.clear, Tlp.amber_strict, Tlp.green, Tlp.amber):
            bulletins_service.post_bulletin(
                session,
                author.principal,
                data=BulletinCreate(
                    title=f"marked {tlp.value}",
                    body="x",
                    tlp=tlp,
                    distribution=Distribution.organisation,
                ),
            )
        page = bulletins_service.list_bulletins(session, author.principal, PageParams(sort="tlp"))
        assert [b.tlp for b in page.items] == [
            Tlp.clear,
            Tlp.green,
            Tlp.amber,
            Tlp.amber_strict,
            Tlp.red,
        ]
        newest_first = bulletins_service.list_bulletins(session, author.principal, PageParams())
        assert newest_first.items[0].title == "marked amber"


def test_search_finds_words_in_title_or_text_in_any_case(session: Session) -> None:
    with session.begin():
        author = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        for title, body in (
            ("APAA enquiries", "drums"),
            ("Other", "apaa in the text"),
            ("Unrelated", "acetone"),
        ):
            bulletins_service.post_bulletin(
                session, author.principal, data=BulletinCreate(title=title, body=body)
            )
        assert bulletins_service.count_bulletins(session, author.principal, q="ApAa") == 2


def test_the_csv_export_carries_each_rows_tlp_and_defuses_formulas(
    session: Session, client
) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    with session.begin():
        author = make_member(session, make_org(session, OrgKind.licensing_authority, "DE"))
        bulletins_service.post_bulletin(
            session,
            author.principal,
            data=BulletinCreate(
                title='=HYPERLINK("http://x")', body="Körper", tlp=Tlp.amber_strict
            ),
        )
    answer = client.get("/api/v1/bulletins/export.csv", headers=author.headers)
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0]["tlp"] == "TLP:AMBER+STRICT"
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["text"] == "Körper"
