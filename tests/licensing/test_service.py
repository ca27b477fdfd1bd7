"""The licence register: each state, each verification answer, bad input, history, ALR."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from precx.audit.models import AuditEntry
from precx.events.models import OutboxEvent
from precx.kit.problems import Conflict, Forbidden, InvalidInput
from precx.licensing import service as licensing_service
from precx.licensing.models import Licence, LicenceVersion, VerificationLogEntry
from precx.licensing.schemas import (
    LicenceAmend,
    LicenceRenew,
    RequirementSet,
    StatusChange,
    VerificationStatus,
)
from tests.fixtures.licences import TODAY, issue, licence_data
from tests.licensing.conftest import Cast


def _verify(session: Session, cast: Cast, **kwargs: str) -> VerificationStatus:
    args = {"country": "DE", "number": "DE-123"} | kwargs
    with session.begin():
        return licensing_service.verify(session, cast.other_industry.principal, **args).status


def test_an_issued_licence_is_active_verifies_valid_and_is_audited(
    session: Session, cast: Cast
) -> None:
    licence = issue(session, cast.de_authority)
    assert licence.effective_status == "active"
    assert licence.substances == ["ephedrine", "p2p"]  # P-2-P resolved through the catalog
    with session.begin():
        answer = licensing_service.verify(
            session,
            cast.other_industry.principal,
            country="de",
            number="DE-123",
            substance="299-42-3",  # ephedrine's CAS number
            activity="import",
        )
    assert answer.status is VerificationStatus.valid
    assert answer.holder_name == "Rheinchem Handel GmbH (fictional)"
    assert answer.quantity_limit_kg == 250.0
    assert set(answer.model_dump()) == {
        "status",
        "holder_name",
        "valid_from",
        "valid_until",
        "kind",
        "quantity_limit_kg",
    }
    actions = session.scalars(select(AuditEntry.action)).all()
    assert "licence.issued" in actions
    assert session.scalar(select(OutboxEvent).where(OutboxEvent.topic == "licence.issued"))


def test_a_salt_is_covered_by_its_parents_licence(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    assert _verify(session, cast, substance="ephedrine hydrochloride") is VerificationStatus.valid


def test_not_covered_for_another_substance_or_activity(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    assert _verify(session, cast, substance="pseudoephedrine") is VerificationStatus.not_covered
    assert _verify(session, cast, activity="export") is VerificationStatus.not_covered


def test_unknown_number_is_not_found_and_reveals_nothing(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    with session.begin():
        answer = licensing_service.verify(
            session, cast.other_industry.principal, country="DE", number="DE-999"
        )
    assert answer.status is VerificationStatus.not_found
    assert answer.holder_name is None and answer.valid_until is None


def test_expired_when_the_validity_has_passed(session: Session, cast: Cast) -> None:
    licence = issue(
        session,
        cast.de_authority,
        valid_from=TODAY - timedelta(days=400),
        valid_until=TODAY - timedelta(days=1),
    )
    assert licence.effective_status == "expired"
    assert _verify(session, cast) is VerificationStatus.expired


def test_suspended_then_reinstated(session: Session, cast: Cast) -> None:
    licence = issue(session, cast.de_authority)
    with session.begin():
        licensing_service.suspend_licence(
            session, cast.de_authority.principal, licence.id, data=StatusChange(reason="Audit")
        )
    assert _verify(session, cast) is VerificationStatus.suspended
    with session.begin():
        licensing_service.reinstate_licence(
            session, cast.de_authority.principal, licence.id, data=StatusChange(reason="Done")
        )
    assert _verify(session, cast) is VerificationStatus.valid


def test_revoked_is_final(session: Session, cast: Cast) -> None:
    licence = issue(session, cast.de_authority)
    with session.begin():
        licensing_service.revoke_licence(
            session, cast.de_authority.principal, licence.id, data=StatusChange(reason="Fraud")
        )
    assert _verify(session, cast) is VerificationStatus.revoked
    with pytest.raises(Conflict), session.begin():
        licensing_service.renew_licence(
            session,
            cast.de_authority.principal,
            licence.id,
            data=LicenceRenew(valid_until=TODAY + timedelta(days=1000)),
        )


def test_renewing_an_expired_licence_makes_it_valid_again(session: Session, cast: Cast) -> None:
    licence = issue(
        session,
        cast.de_authority,
        valid_from=TODAY - timedelta(days=400),
        valid_until=TODAY - timedelta(days=1),
    )
    with session.begin():
        renewed = licensing_service.renew_licence(
            session,
            cast.de_authority.principal,
            licence.id,
            data=LicenceRenew(valid_until=TODAY + timedelta(days=365), reason="Renewed"),
        )
    assert renewed.effective_status == "active"
    assert _verify(session, cast) is VerificationStatus.valid
    with session.begin():
        history = licensing_service.licence_history(
            session, cast.de_authority.principal, licence.id
        )
    assert [v.action for v in history] == ["issued", "renewed"]
    assert history[1].changes["valid_until"][1] == (TODAY + timedelta(days=365)).isoformat()
    assert history[1].changed_by_label == cast.de_authority.user.email


def test_amendment_keeps_history_of_who_changed_what(session: Session, cast: Cast) -> None:
    licence = issue(session, cast.de_authority)
    terms = licence_data().model_dump(exclude={"kind", "country", "number"})
    terms["quantity_limits"] = {"ephedrine": 100.0}
    with session.begin():
        licensing_service.amend_licence(
            session,
            cast.de_authority.principal,
            licence.id,
            data=LicenceAmend.model_validate(terms | {"reason": "Lower limit"}),
        )
    versions = session.scalars(select(LicenceVersion).order_by(LicenceVersion.version)).all()
    assert [v.action for v in versions] == ["issued", "amended"]
    assert versions[1].changes == {"quantity_limits": [{"ephedrine": 250.0}, {"ephedrine": 100.0}]}
    assert versions[1].reason == "Lower limit"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"substances": ["unobtainium"]}, "body.substances.0"),
        ({"holder_organisation_id": 99999}, "body.holder_organisation_id"),
        ({"quantity_limits": {"pseudoephedrine": 5.0}}, "body.quantity_limits.pseudoephedrine"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    session: Session, cast: Cast, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught, session.begin():
        licensing_service.issue_licence(
            session, cast.de_authority.principal, data=licence_data(**changes)
        )
    assert caught.value.errors[0].field == field
    assert session.scalar(select(Licence.id)) is None


def test_validity_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="valid_until must not be before valid_from"):
        licence_data(valid_from=TODAY, valid_until=TODAY - timedelta(days=1))


def test_an_overlapping_active_licence_of_the_same_holder_is_refused(
    session: Session, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    with pytest.raises(InvalidInput) as caught, session.begin():
        licensing_service.issue_licence(
            session,
            cast.de_authority.principal,
            data=licence_data(number="DE-124", substances=["ephedrine"], activities=["import"]),
        )
    assert caught.value.errors[0].field == "body.substances"
    assert "DE-123" in caught.value.errors[0].message
    # Another activity, or after the first ends, is no contradiction.
    issue(session, cast.de_authority, number="DE-125", activities=["export"])


def test_the_number_is_unique_per_country(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    with pytest.raises(InvalidInput) as caught, session.begin():
        licensing_service.issue_licence(
            session,
            cast.de_authority.principal,
            data=licence_data(holder_name="Someone else", activities=["export"]),
        )
    assert caught.value.errors[0].field == "body.number"


def test_an_authority_issues_only_in_its_own_country(session: Session, cast: Cast) -> None:
    with pytest.raises(Forbidden), session.begin():
        licensing_service.issue_licence(session, cast.pl_authority.principal, data=licence_data())
    licence = issue(session, cast.de_authority)
    with pytest.raises(Forbidden), session.begin():
        licensing_service.suspend_licence(
            session, cast.pl_authority.principal, licence.id, data=StatusChange(reason="x")
        )


def test_the_verification_log_is_for_the_issuing_countrys_authority(
    session: Session, cast: Cast
) -> None:
    issue(session, cast.de_authority)
    _verify(session, cast)
    with session.begin():
        page = licensing_service.list_verifications(
            session, cast.de_authority.principal, licensing_service.PageParams()
        )
        assert [(e.number, e.answer) for e in page.items] == [("DE-123", "valid")]
        assert page.items[0].verified_by_organisation_id == cast.other_industry.org.id
        assert (
            licensing_service.list_verifications(
                session, cast.pl_authority.principal, licensing_service.PageParams()
            ).total
            == 0
        )
    for member in (cast.de_customs, cast.de_industry):
        with pytest.raises(Forbidden), session.begin():
            licensing_service.list_verifications(
                session, member.principal, licensing_service.PageParams()
            )


def test_unlogged_verification_leaves_no_trace(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    with session.begin():
        licensing_service.verify(
            session, cast.other_industry.principal, country="DE", number="DE-123", log=False
        )
    assert session.scalar(select(VerificationLogEntry.id)) is None


def test_rate_limit_counts_the_organisations_verifications(session: Session, cast: Cast) -> None:
    issue(session, cast.de_authority)
    for _ in range(3):
        _verify(session, cast)
    with pytest.raises(licensing_service.TooManyRequests), session.begin():
        licensing_service.check_verify_rate(session, cast.other_industry.principal, per_minute=3)
    with session.begin():  # another organisation has its own allowance
        licensing_service.check_verify_rate(session, cast.de_industry.principal, per_minute=3)


def test_alr_set_keeps_history_and_only_the_countrys_authority_sets_it(
    session: Session, cast: Cast
) -> None:
    with session.begin():
        licensing_service.set_requirement(
            session,
            cast.de_authority.principal,
            data=RequirementSet(country="DE", substance="ephedrine", quantity_kg=1200),
        )
        licensing_service.set_requirement(
            session,
            cast.de_authority.principal,
            data=RequirementSet(country="DE", substance="299-42-3", quantity_kg=1500),
        )
    with session.begin():
        rows = licensing_service.list_requirements(session, country="DE")
        history = licensing_service.requirement_history(session, country="DE")
    assert [(r.substance_id, r.quantity_kg) for r in rows] == [("ephedrine", 1500)]
    assert [(c.old_quantity_kg, c.new_quantity_kg) for c in history] == [(1200, 1500), (None, 1200)]
    with pytest.raises(Forbidden), session.begin():
        licensing_service.set_requirement(
            session,
            cast.pl_authority.principal,
            data=RequirementSet(country="DE", substance="ephedrine", quantity_kg=1),
        )


def test_alr_import_is_all_or_nothing_with_line_and_column(session: Session, cast: Cast) -> None:
    good = b"country,substance,quantity_kg\nDE,ephedrine,1000\nDE,pseudoephedrine,2000\n"
    with session.begin():
        assert (
            licensing_service.import_requirements(
                session, cast.de_authority.principal, filename="alr.csv", content=good
            )
            == 2
        )
    bad = b"country,substance,quantity_kg\nDE,ephedrine,5\nDE,unobtainium,3\n"
    with pytest.raises(licensing_service.TableFileError) as caught, session.begin():
        licensing_service.import_requirements(
            session, cast.de_authority.principal, filename="alr.csv", content=bad
        )
    assert (caught.value.line, caught.value.column, caught.value.field) == (3, 2, "substance")
    with session.begin():
        rows = licensing_service.list_requirements(session, country="DE", substance="ephedrine")
    assert rows[0].quantity_kg == 1000


def test_a_new_holder_reads_the_licence_and_the_old_one_no_longer(
    session: Session, cast: Cast
) -> None:
    licence = issue(session, cast.de_authority, holder_organisation_id=cast.de_industry.org.id)
    with session.begin():
        assert licensing_service.get_licence(session, cast.de_industry.principal, licence.id)
    terms = licence_data().model_dump(exclude={"kind", "country", "number"})
    terms["holder_organisation_id"] = cast.other_industry.org.id
    with session.begin():
        licensing_service.amend_licence(
            session,
            cast.de_authority.principal,
            licence.id,
            data=LicenceAmend.model_validate(terms),
        )
    with session.begin():
        assert licensing_service.get_licence(session, cast.other_industry.principal, licence.id)
    with pytest.raises(licensing_service.NotFound), session.begin():
        licensing_service.get_licence(session, cast.de_industry.principal, licence.id)


def test_an_xlsx_register_error_names_line_and_column(session: Session, cast: Cast) -> None:
    from precx.kit.tabular import to_xlsx

    rows = [
        {
            "kind": "licence",
            "country": "DE",
            "number": "DE-X1",
            "holder_name": "Alpha GmbH",
            "activities": "import",
            "substances": "ephedrine",
            "valid_from": "2026-01-01",
            "valid_until": "2030-01-01",
        },
        {
            "kind": "permit",
            "country": "DE",
            "number": "DE-X2",
            "holder_name": "Beta GmbH",
            "activities": "import",
            "substances": "ephedrine",
            "valid_from": "2026-01-01",
            "valid_until": "2030-01-01",
        },
    ]
    content = to_xlsx(licensing_service.EXPORT_COLUMNS, rows)
    with pytest.raises(licensing_service.TableFileError) as caught, session.begin():
        licensing_service.import_register_file(
            session, cast.de_authority.principal, filename="register.xlsx", content=content
        )
    assert (caught.value.line, caught.value.column, caught.value.field) == (3, 1, "kind")
    assert session.scalar(select(Licence.id)) is None
