"""Writing listing translations: validation, revisions, the to_review cascade
when the French changes, the French fallback, and machine translation against a
real local server answering like LibreTranslate."""

from __future__ import annotations

import socket

import pytest
from sqlmodel import Session, select

from api.models import (
    Organization,
    Revision,
    Service,
    Translation,
    TranslationStatus,
)
from api.services.content import content_translations as content
from api.services.content.machine_translation import (
    LibreTranslate,
    MachineTranslationError,
    NoTranslator,
    machine_fill,
    translator_from,
)
from api.services.content.translations import load_texts
from api.services.listings.revisions import SYSTEM, Actor, save
from api.settings import Settings
from tests.factories import make_organization, make_place, make_service
from tests.fake_libretranslate import FakeLibreTranslate

EDITH = Actor("user", "Edith")
REVIEWED = TranslationStatus.reviewed


@pytest.fixture
def org(session: Session) -> Organization:
    org = make_organization(session, "asso", name="Asso du Sanitas")
    session.commit()
    return org


@pytest.fixture
def service(session: Session, org: Organization) -> Service:
    service = make_service(
        session,
        org,
        "epicerie",
        name="Épicerie solidaire",
        falc_summary="Des courses à petit prix.",
        phone="02 47 00 00 00",
    )
    session.commit()
    return service


def write(
    session: Session,
    entity: object,
    field: str,
    language: str,
    text: str,
    status: TranslationStatus = REVIEWED,
) -> Translation | None:
    row = content.upsert_translation(
        session, entity, field, language, text, status, "Edith", EDITH
    )  # type: ignore[arg-type]
    session.commit()
    return row


def revisions_of(session: Session, row: Translation) -> list[Revision]:
    return list(
        session.exec(
            select(Revision)
            .where(Revision.entity_id == row.id)
            .order_by(Revision.version)  # type: ignore[arg-type]
        ).all()
    )


def test_upsert_is_versioned_revisioned_and_soft_deletes(
    session: Session, service: Service
) -> None:
    row = write(session, service, "name", "ar", "  بقالة تضامنية ")
    assert row is not None and row.text == "بقالة تضامنية" and row.version == 1
    assert row.entity_type == "service" and row.author == "Edith"
    assert write(session, service, "name", "ar", "بقالة تضامنية") is row
    assert row.version == 1  # nothing changed: no new version
    write(session, service, "name", "ar", "بقالة", TranslationStatus.to_review)
    assert row.version == 2 and row.status == "to_review"
    write(session, service, "name", "ar", "")
    assert row.deleted_at is not None and row.version == 3
    assert load_texts(session, "service", [service.id], "ar")[service.id].values == {}
    write(session, service, "name", "ar", "بقالة")  # the same row comes back
    assert row.deleted_at is None and row.version == 4
    assert len(session.exec(select(Translation)).all()) == 1
    history = revisions_of(session, row)
    assert [r.version for r in history] == [1, 2, 3, 4]
    assert history[0].actor_label == "Edith" and history[0].actor_type == "user"
    # Deleting what does not exist writes nothing.
    assert write(session, service, "description", "ar", "") is None


def test_only_known_fields_languages_and_lengths(
    session: Session, service: Service, org: Organization
) -> None:
    place = make_place(session, org, "maison", name="Maison du Sanitas")
    cases = [
        (service, "phone", "ar", "x", "field"),
        (place, "falc_summary", "ar", "x", "field"),  # places: the name only
        (service, "name", "fr", "x", "language"),
        (service, "name", "falc", "x", "language"),
        (service, "name", "xx", "x", "language"),
        (service, "name", "ar", "x" * 201, "text"),
        (service, "falc_summary", "ar", "x" * 1001, "text"),
    ]
    for entity, field, language, text, loc in cases:
        with pytest.raises(content.TranslationError) as error:
            content.upsert_translation(
                session, entity, field, language, text, REVIEWED, None, EDITH
            )
        assert error.value.loc == loc, (field, language)
    assert write(session, place, "name", "uk", "Будинок Саніта") is not None
    assert write(session, service, "description", "ps", "x" * 10_000) is not None
    assert content.CONTENT_LANGUAGES == (
        "en",
        "ar",
        "fa",
        "ps",
        "uk",
        "ru",
        "es",
        "tr",
        "ro",
        "ti",
    )


def test_a_french_change_marks_its_translations_to_review(
    session: Session, service: Service
) -> None:
    arabic = write(session, service, "name", "ar", "بقالة تضامنية")
    english = write(
        session, service, "name", "en", "Grocery", TranslationStatus.machine
    )
    summary = write(session, service, "falc_summary", "ar", "تسوق بأسعار منخفضة")
    assert arabic and english and summary
    service.name = "Épicerie solidaire du Sanitas"
    save(session, service, EDITH)
    session.commit()
    for row in (arabic, english, summary):
        session.refresh(row)
    assert arabic.status == english.status == "to_review"
    assert arabic.version == english.version == 2
    assert summary.status == "reviewed" and summary.version == 1  # not changed
    last = revisions_of(session, arabic)[-1]
    assert last.diff == {"status": ["reviewed", "to_review"]}
    assert last.actor_label == "Edith"  # the change that caused it
    # Reviewed again, then a change of a field nobody translated: nothing moves.
    write(session, service, "name", "ar", "بقالة تضامنية")
    assert arabic.status == "reviewed" and arabic.version == 3
    service.phone = "02 47 11 11 11"
    service.description = "Ouverte à tous les habitants."
    save(session, service, SYSTEM)
    session.commit()
    session.refresh(arabic)
    session.refresh(summary)
    assert arabic.status == "reviewed" and arabic.version == 3
    assert summary.status == "reviewed" and summary.version == 1
    # A deleted translation stays deleted and untouched.
    write(session, service, "falc_summary", "ar", "")
    service.falc_summary = "Des courses pas chères."
    save(session, service, SYSTEM)
    session.commit()
    session.refresh(summary)
    assert summary.status == "reviewed" and summary.deleted_at is not None


def test_places_and_organisations_cascade_too(
    session: Session, org: Organization
) -> None:
    place = make_place(session, org, "maison", name="Maison du Sanitas")
    on_place = write(session, place, "name", "uk", "Будинок Саніта")
    on_org = write(session, org, "description", "en", "A neighbourhood charity")
    assert on_place and on_org
    place.name = "Maison de quartier du Sanitas"
    save(session, place, SYSTEM)
    org.description = "Association de quartier"
    save(session, org, SYSTEM)
    session.commit()
    session.refresh(on_place)
    session.refresh(on_org)
    assert on_place.status == on_org.status == "to_review"


def test_reading_falls_back_to_french_and_flags_unreviewed_texts(
    session: Session, service: Service
) -> None:
    write(session, service, "name", "ar", "بقالة تضامنية")
    write(session, service, "falc_summary", "ar", "تسوق", TranslationStatus.to_review)
    texts = load_texts(session, "service", [service.id], "ar")[service.id]
    assert texts.get("name", service.name) == "بقالة تضامنية"
    assert texts.get("description", "Texte français") == "Texte français"
    assert texts.machine_fields == ["falc_summary"]
    spanish = load_texts(session, "service", [service.id], "es")[service.id]
    assert spanish.get("name", service.name) == "Épicerie solidaire"
    sides = content.side_by_side(session, service, "ar")
    assert [(s.field, s.french) for s in sides] == [
        ("name", "Épicerie solidaire"),
        ("falc_summary", "Des courses à petit prix."),
        ("description", None),
    ]
    assert sides[0].translation is not None and sides[2].translation is None
    assert sides[0].label == "Nom"


def test_machine_fill_through_a_local_libretranslate(
    session: Session, service: Service
) -> None:
    write(session, service, "name", "ar", "بقالة تضامنية")
    with FakeLibreTranslate() as fake:
        translator = translator_from(Settings(translate_url=fake.url + "/"))
        assert isinstance(translator, LibreTranslate) and translator.configured
        filled = machine_fill(session, service, "ar", translator, EDITH)
        session.commit()
        # Already translated, nothing to do: no request.
        assert machine_fill(session, service, "ar", translator, EDITH) == []
        keyed = LibreTranslate(fake.url, api_key="secret")
        assert keyed.translate(["Bonjour"], "fr", "uk") == ["[uk] Bonjour"]
    assert filled == ["falc_summary"]  # the name is translated, no description
    assert len(fake.requests) == 2
    assert fake.requests[0] == {
        "path": "/translate",
        "q": ["Des courses à petit prix."],
        "source": "fr",
        "target": "ar",
        "format": "text",
    }
    assert fake.requests[1]["api_key"] == "secret"
    row = content.find(session, service, "falc_summary", "ar")
    assert row is not None and row.text == "[ar] Des courses à petit prix."
    assert row.status == "machine" and row.author == "LibreTranslate"
    texts = load_texts(session, "service", [service.id], "ar")[service.id]
    assert texts.machine_fields == ["falc_summary"]


def test_a_failing_or_absent_server_is_a_clear_error(
    session: Session, service: Service
) -> None:
    with FakeLibreTranslate(fail=True) as fake:
        with pytest.raises(MachineTranslationError):
            machine_fill(session, service, "ar", LibreTranslate(fake.url), EDITH)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(MachineTranslationError):
        LibreTranslate(f"http://127.0.0.1:{port}", timeout=2).translate(
            ["Bonjour"], "fr", "ar"
        )
    session.rollback()
    assert session.exec(select(Translation)).all() == []


def test_no_translator_by_default_and_it_does_nothing(
    session: Session, service: Service
) -> None:
    translator = translator_from(Settings(translate_url=""))
    assert isinstance(translator, NoTranslator) and not translator.configured
    assert machine_fill(session, service, "ar", translator, EDITH) == []
    session.commit()
    assert session.exec(select(Translation)).all() == []
    with pytest.raises(MachineTranslationError, match="REPERES_TRANSLATE_URL"):
        NoTranslator().translate(["Bonjour"], "fr", "ar")
