"""``revisions.save`` as loaders and scripts use it: rows kept across commits,
expired by each commit, changed field by field."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.models import Revision, Service
from api.services.listings.revisions import SYSTEM, save
from tests.factories import make_organization, make_service


def _revisions(session: Session, service: Service) -> list[Revision]:
    return list(
        session.exec(
            select(Revision)
            .where(Revision.entity_id == service.id)
            .order_by(col(Revision.version))
        ).all()
    )


def test_same_value_then_a_change_on_an_expired_row_is_saved(session: Session) -> None:
    org = make_organization(session)
    service = make_service(session, org, "aide", name="Aide", description="Avant")
    session.commit()  # expires the row, as a loader's commit per batch does
    service.name = "Aide"  # the same value, set while expired
    service.description = "Après"
    assert save(session, service, SYSTEM)
    session.commit()
    session.expire_all()
    assert service.version == 2
    assert service.description == "Après"
    last = _revisions(session, service)[-1]
    assert last.version == 2
    assert last.diff == {"description": ["Avant", "Après"]}


def test_two_changes_on_an_expired_row_both_reach_the_diff(session: Session) -> None:
    org = make_organization(session)
    service = make_service(session, org, "aide", name="Aide", description="Avant")
    session.commit()
    service.name = "Aide nouvelle"
    service.description = "Après"
    assert save(session, service, SYSTEM)
    session.commit()
    last = _revisions(session, service)[-1]
    assert last.diff == {
        "name": ["Aide", "Aide nouvelle"],
        "description": ["Avant", "Après"],
    }
    assert service.version == 2


def test_the_same_codes_in_another_order_are_no_change(session: Session) -> None:
    org = make_organization(session)
    service = make_service(
        session,
        org,
        "aide",
        categories=["sante--acces-aux-soins", "famille--garde-denfants"],
        languages=["uk", "ar", "fr"],
        publics=["familles-enfants", "femmes"],
    )
    session.commit()
    assert service.categories == ["famille--garde-denfants", "sante--acces-aux-soins"]
    assert service.languages == ["ar", "fr", "uk"]
    service.categories = ["sante--acces-aux-soins", "famille--garde-denfants"]
    service.languages = ["fr", "uk", "ar", "ar"]
    service.publics = ["femmes", "familles-enfants"]
    assert not save(session, service, SYSTEM)
    session.commit()
    assert service.version == 1
    assert len(_revisions(session, service)) == 1
    service.languages = ["fr", "uk"]
    assert save(session, service, SYSTEM)
    assert _revisions(session, service)[-1].diff == {
        "languages": [["ar", "fr", "uk"], ["fr", "uk"]]
    }
