"""History of a listing in words, and restore as a new version (never a rewrite)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from api.models import (
    Fees,
    Organization,
    Permanence,
    PermanenceMode,
    Revision,
    Service,
    utcnow,
)
from api.services.listings.history import (
    EMPTY,
    FieldChange,
    HistoryEntry,
    Segment,
    history,
    restorable,
    restore,
    word_diff,
)
from api.services.listings.revisions import SYSTEM, Actor, save
from tests.factories import make_organization, make_place

ALICE = Actor("user", "Alice")
BOB = Actor("token", "token sync")

FIRST_TEXT = "Aide pour les papiers de la CAF, le mardi matin."
SECOND_TEXT = "Aide pour les papiers de la CAF et de la CPAM, le mardi matin."


def changes(entry: HistoryEntry) -> dict[str, FieldChange]:
    return {change.field: change for change in entry.changes}


def revisions(session: Session, service: Service) -> list[Revision]:
    return list(
        session.exec(
            select(Revision)
            .where(Revision.entity_id == service.id)
            .order_by(col(Revision.version))
        ).all()
    )


@pytest.fixture
def org(session: Session) -> Organization:
    return make_organization(session, "asso-history", name="Asso Histoire")


@pytest.fixture
def service(session: Session, org: Organization) -> Service:
    """Version 1 by Alice, 2 (name, categories) by a token, 3 (description)."""
    service = Service(
        organization_id=org.id,
        slug="aide-papiers",
        name="Aide aux papiers",
        categories=["sante--acces-aux-soins"],
        publics=["tous-publics"],
        description=FIRST_TEXT,
        appointment_required=True,
        languages=["fr", "ar"],
    )
    assert save(session, service, ALICE)
    service.name = "Aide aux démarches"
    service.categories = ["sante--acces-aux-soins", "sante--sante-mentale"]
    assert save(session, service, BOB)
    service.description = SECOND_TEXT
    assert save(session, service, ALICE)
    session.commit()
    return service


def test_entries_newest_first_with_actor_and_kind(
    session: Session, service: Service
) -> None:
    entries = history(session, Service, service.id, "fr")
    assert [e.version for e in entries] == [3, 2, 1]
    assert [e.kind for e in entries] == ["updated", "updated", "created"]
    assert [(e.actor_type, e.actor_label) for e in entries] == [
        ("user", "Alice"),
        ("token", "token sync"),
        ("user", "Alice"),
    ]
    assert entries[0].when >= entries[1].when >= entries[2].when
    assert entries[0].when.tzinfo is not None


def test_changed_fields_are_labelled_and_readable(
    session: Session, service: Service
) -> None:
    second = changes(history(session, Service, service.id, "fr")[1])
    assert set(second) == {"name", "categories"}  # no version, updated_at
    assert second["name"] == FieldChange(
        "name", "Nom", "Aide aux papiers", "Aide aux démarches"
    )
    assert second["categories"].label == "Catégories"
    assert second["categories"].before == "Accès aux soins"
    assert second["categories"].after == "Accès aux soins, Santé mentale"
    assert second["categories"].words is None  # short values: no word diff


def test_long_text_gets_a_word_diff(session: Session, service: Service) -> None:
    description = changes(history(session, Service, service.id, "fr")[0])["description"]
    assert description.label == "Description"
    assert (description.before, description.after) == (FIRST_TEXT, SECOND_TEXT)
    assert description.words == [
        Segment("equal", "Aide pour les papiers de la "),
        Segment("delete", "CAF, "),
        Segment("insert", "CAF et de la CPAM, "),
        Segment("equal", "le mardi matin."),
    ]


def test_creation_lists_initial_values_briefly(
    session: Session, service: Service
) -> None:
    created = changes(history(session, Service, service.id, "fr")[-1])
    # Neither bookkeeping, nor technical keys, nor empty values.
    for name in ("id", "version", "created_at", "slug", "source", "deleted_at"):
        assert name not in created
    assert "phone" not in created and "falc_summary" not in created
    assert created["name"].before == EMPTY
    assert created["name"].after == "Aide aux papiers"
    assert created["organization_id"].label == "Structure"
    assert created["organization_id"].after == "Asso Histoire"
    assert created["appointment_required"].after == "Oui"
    assert created["referral_required"].after == "Non"
    assert created["publics"].after == "Tous publics"
    assert created["languages"].after == "arabe, français"  # stored as a set, sorted
    assert created["fees"].after == "Gratuit"
    assert created["description"].words is None
    assert list(created)[0] == "organization_id"  # in the model's field order


def test_values_follow_the_locale(session: Session, service: Service) -> None:
    service.fees = Fees.paid
    save(session, service, ALICE)
    latest = changes(history(session, Service, service.id, "en")[0])
    assert (latest["fees"].before, latest["fees"].after) == ("Free", "Paid")
    second = changes(history(session, Service, service.id, "en")[2])
    assert second["categories"].after == "Access to healthcare, Mental health"


def test_permanence_hours_are_described_in_words(
    session: Session, org: Organization, service: Service
) -> None:
    place = make_place(session, org, "centre-social", name="Centre social")
    permanence = Permanence(
        service_id=service.id,
        place_id=place.id,
        opening_hours="Tu 09:00-12:00",
        valid_until=date(2030, 6, 30),
    )
    save(session, permanence, ALICE)
    permanence.opening_hours = "We 14:00-17:00"
    permanence.mode = PermanenceMode.phone
    permanence.place_id = None
    save(session, permanence, ALICE)

    latest, created = history(session, Permanence, permanence.id, "fr")
    hours = changes(latest)["opening_hours"]
    assert hours.label == "Horaires"
    assert hours.before == "mardi, 9 h – 12 h (Tu 09:00-12:00)"
    assert hours.after == "mercredi, 14 h – 17 h (We 14:00-17:00)"
    assert changes(latest)["mode"].after == "Par téléphone"
    assert changes(latest)["place_id"].before == "Centre social"
    assert changes(latest)["place_id"].after == EMPTY
    assert changes(created)["valid_until"].after == "30 juin 2030"
    assert changes(created)["service_id"].after == "Aide aux démarches"


def test_deletion_is_an_entry(session: Session, service: Service) -> None:
    service.deleted_at = utcnow()
    save(session, service, ALICE)
    latest = history(session, Service, service.id, "fr")[0]
    assert latest.kind == "deleted"
    assert latest.changes[0].label == "Supprimée le"
    assert latest.changes[0].before == EMPTY
    assert latest.changes[0].after != EMPTY
    service.deleted_at = None
    assert save(session, service, ALICE)
    assert history(session, Service, service.id, "fr")[0].kind == "undeleted"


def test_restore_writes_a_new_version(session: Session, service: Service) -> None:
    updated_at = service.updated_at
    assert restore(session, service, 1, Actor("user", "Chloé"))
    session.commit()
    session.refresh(service)
    assert service.version == 4
    assert service.name == "Aide aux papiers"
    assert service.categories == ["sante--acces-aux-soins"]
    assert service.description == FIRST_TEXT
    assert service.slug == "aide-papiers"
    assert service.updated_at > updated_at

    stored = revisions(session, service)
    assert [r.version for r in stored] == [1, 2, 3, 4]  # nothing rewritten
    assert stored[3].actor_label == "Chloé"
    assert set(stored[3].diff) == {"name", "categories", "description"}

    latest = history(session, Service, service.id, "fr")[0]
    assert latest.version == 4
    assert changes(latest)["name"].after == "Aide aux papiers"


def test_restoring_the_current_version_writes_nothing(
    session: Session, service: Service
) -> None:
    assert not restore(session, service, 3, ALICE)
    assert service.version == 3
    assert len(revisions(session, service)) == 3


def test_unknown_version_is_refused(session: Session, service: Service) -> None:
    with pytest.raises(ValueError, match="99"):
        restore(session, service, 99, ALICE)
    with pytest.raises(ValueError):
        restore(session, service, 0, ALICE)


def test_restoring_a_deleted_listing_undeletes_it(
    session: Session, service: Service
) -> None:
    service.deleted_at = utcnow()
    save(session, service, ALICE)  # version 4
    session.commit()

    assert restore(session, service, 2, ALICE)
    session.commit()
    session.refresh(service)
    assert service.version == 5
    assert service.deleted_at is None
    assert service.name == "Aide aux démarches"
    assert service.description == FIRST_TEXT
    assert history(session, Service, service.id, "fr")[0].kind == "undeleted"


def test_restore_converts_stored_json_back_to_column_types(
    session: Session, service: Service
) -> None:
    confirmed = utcnow()
    service.last_confirmed_at = confirmed
    service.fees = Fees.membership
    save(session, service, ALICE)  # version 4
    service.last_confirmed_at = None
    service.fees = Fees.free
    save(session, service, ALICE)  # version 5
    session.commit()

    assert restore(session, service, 4, ALICE)
    session.commit()
    session.expire_all()
    again = session.get(Service, service.id)
    assert again is not None
    assert again.last_confirmed_at == confirmed
    assert again.fees == Fees.membership
    assert again.organization_id == service.organization_id


def test_restore_leaves_keys_and_ownership_alone() -> None:
    assert "name" in restorable(Service)
    assert "categories" in restorable(Service)
    for kept in ("id", "version", "created_at", "updated_at", "slug", "source"):
        assert kept not in restorable(Service)
    assert "organization_id" not in restorable(Service)
    assert "deleted_at" not in restorable(Service)  # a restore always undeletes
    assert "service_id" not in restorable(Permanence)
    assert "place_id" in restorable(Permanence)


def test_word_diff() -> None:
    assert word_diff("", "Bonjour") == [Segment("insert", "Bonjour")]
    assert word_diff("un deux trois", "un trois") == [
        Segment("equal", "un "),
        Segment("delete", "deux "),
        Segment("equal", "trois"),
    ]
    same = "Texte  sur\ndeux lignes"
    assert word_diff(same, same) == [Segment("equal", same)]
    before, after = "a b c d", "a x c d e"
    segments = word_diff(before, after)
    assert "".join(s.text for s in segments if s.op != "delete") == after
    assert "".join(s.text for s in segments if s.op != "insert").split() == (
        before.split()
    )


def test_a_value_set_after_a_commit_is_compared_with_the_stored_one(
    session: Session,
) -> None:
    org = make_organization(session, "expired")
    session.commit()  # every attribute expires
    org.name = "Org expired"  # the same value, set while expired
    assert save(session, org, SYSTEM) is False
    session.commit()
    org.name = "Nouveau nom"
    assert save(session, org, SYSTEM) is True
    diff = (
        session.exec(
            select(Revision).where(Revision.entity_id == org.id, Revision.version == 2)
        )
        .one()
        .diff
    )
    assert diff["name"] == ["Org expired", "Nouveau nom"]
