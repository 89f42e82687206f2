"""Translations in the partner space: side by side with the French, reviewed or
to review, seen by the public with or without the automatic-translation label."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, Place, Revision, Role, Service, Translation
from api.settings import get_settings
from tests.espace.helpers import Browser, make_user, signed_in
from tests.factories import make_organization, make_place, make_service
from tests.fake_libretranslate import FakeLibreTranslate

ARABIC = "بقالة تضامنية"
LABEL = 'class="machine-label"'
FOOD = "equipement-et-alimentation--alimentation"
SERVICE_FORM = {
    "name": "Épicerie solidaire",
    "falc_summary": "Des courses à petit prix.",
    "categories": [FOOD],
    "publics": ["tous-publics"],
    "fees": "free",
    "languages": "fr",
    "status": "published",
    "visibility": "public",
}


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
        categories=[FOOD],
        publics=["tous-publics"],
    )
    session.commit()
    return service


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


@pytest.fixture
def libretranslate(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as fake:
        monkeypatch.setenv("REPERES_TRANSLATE_URL", fake.url)
        get_settings.cache_clear()
        yield fake
    get_settings.cache_clear()


def url(org: Organization, entity: Service | Place, slug: str = "services") -> str:
    return f"/fr/espace/structures/{org.id}/{slug}/{entity.id}/traductions"


def form_of(html: str) -> dict[str, str]:
    """The hidden versions of the form, as a browser would send them back."""
    return dict(re.findall(r'name="(version-\w+)" value="([^"]*)"', html))


def translation(session: Session, field: str = "name") -> Translation:
    session.expire_all()
    return session.exec(select(Translation).where(Translation.field == field)).one()


def test_reviewed_arabic_then_a_french_change_puts_it_back_to_review(
    editor: Browser,
    session: Session,
    org: Organization,
    service: Service,
    client: TestClient,
) -> None:
    board = editor.get(f"/fr/espace/structures/{org.id}")
    assert f'href="{url(org, service)}"' in board.text
    languages = editor.get(url(org, service))
    assert languages.status_code == 200
    assert f'href="{url(org, service)}?langue=ar"' in languages.text
    assert "0 / 2" in languages.text  # two French texts, none translated

    form = editor.get(url(org, service) + "?langue=ar")
    assert form.status_code == 200
    assert re.search(
        r'<textarea id="f-text-name" name="text-name" lang="ar" dir="rtl"', form.text
    )
    assert "Des courses à petit prix." in form.text  # the French, beside
    assert "Proposer une traduction automatique" not in form.text  # not configured
    saved = editor.post(
        url(org, service) + "?langue=ar",
        {**form_of(form.text), "text-name": ARABIC, "reviewed-name": "on"},
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].endswith("?langue=ar&fait=enregistre")
    row = translation(session)
    assert row.text == ARABIC and row.status == "reviewed" and row.author == "Edith"
    assert session.exec(select(Translation)).all() == [row]  # empty ones: no row
    public = client.get(f"/ar/services/{service.id}")
    assert ARABIC in public.text and LABEL not in public.text
    assert "1 / 2" in editor.get(url(org, service)).text

    # The French name changes through the listing form: to review again.
    edit = editor.post(
        f"/fr/espace/structures/{org.id}/services/{service.id}",
        {**SERVICE_FORM, "name": "Épicerie du Sanitas", "version": "1"},
    )
    assert edit.status_code == 303, edit.text
    row = translation(session)
    assert row.status == "to_review" and row.version == 2
    revision = session.exec(
        select(Revision).where(Revision.entity_id == row.id, Revision.version == 2)
    ).one()
    assert revision.actor_label == "Edith"
    public = client.get(f"/ar/services/{service.id}")
    assert ARABIC in public.text and LABEL in public.text
    form = editor.get(url(org, service) + "?langue=ar")
    assert "À relire" in form.text and "Épicerie du Sanitas" in form.text
    assert not re.search(r'id="f-reviewed-name"[^>]*checked', form.text)
    # Reviewed again with the box: the label goes.
    again = editor.post(
        url(org, service) + "?langue=ar",
        {**form_of(form.text), "text-name": ARABIC, "reviewed-name": "on"},
    )
    assert again.status_code == 303
    public = client.get(f"/ar/services/{service.id}")
    assert public.status_code == 200 and ARABIC in public.text
    assert LABEL not in public.text


def test_unchecked_is_to_review_and_empty_deletes(
    editor: Browser, session: Session, org: Organization, service: Service
) -> None:
    form = editor.get(url(org, service) + "?langue=uk")
    saved = editor.post(
        url(org, service) + "?langue=uk",
        {**form_of(form.text), "text-name": "Соціальна бакалія"},
    )
    assert saved.status_code == 303, saved.text
    assert translation(session).status == "to_review"
    form = editor.get(url(org, service) + "?langue=uk")
    assert 'lang="uk" dir="ltr"' in form.text
    assert (
        editor.post(
            url(org, service) + "?langue=uk", {**form_of(form.text), "text-name": ""}
        ).status_code
        == 303
    )
    assert translation(session).deleted_at is not None


def test_a_stale_form_is_refused_with_the_text_kept(
    editor: Browser, session: Session, org: Organization, service: Service
) -> None:
    form = editor.get(url(org, service) + "?langue=ar")
    stale = form_of(form.text)
    first = editor.post(
        url(org, service) + "?langue=ar", {**stale, "text-name": ARABIC}
    )
    assert first.status_code == 303
    second = editor.post(
        url(org, service) + "?langue=ar", {**stale, "text-name": "بقالة أخرى"}
    )
    assert second.status_code == 409
    assert "Quelqu&#39;un a modifié cette fiche" in second.text
    assert "بقالة أخرى" in second.text  # kept
    assert translation(session).text == ARABIC
    # The page now carries the current versions: saving again goes through.
    third = editor.post(
        url(org, service) + "?langue=ar",
        {**form_of(second.text), "text-name": "بقالة أخرى"},
    )
    assert third.status_code == 303
    assert translation(session).text == "بقالة أخرى"


def test_too_long_is_shown_inline(
    editor: Browser, session: Session, org: Organization, service: Service
) -> None:
    form = editor.get(url(org, service) + "?langue=ar")
    response = editor.post(
        url(org, service) + "?langue=ar", {**form_of(form.text), "text-name": "x" * 201}
    )
    assert response.status_code == 400
    assert 'id="err-text-name"' in response.text and "x" * 201 in response.text
    assert session.exec(select(Translation)).all() == []
    unknown = editor.get(url(org, service) + "?langue=fr")
    assert unknown.status_code == 404


def test_places_have_their_name_translated(
    editor: Browser, session: Session, org: Organization
) -> None:
    place = make_place(session, org, "maison", name="Maison du Sanitas")
    session.commit()
    form = editor.get(url(org, place, "lieux") + "?langue=fa")
    assert form.status_code == 200
    assert 'name="text-name" lang="fa-AF" dir="rtl"' in form.text
    assert 'name="text-falc_summary"' not in form.text
    saved = editor.post(
        url(org, place, "lieux") + "?langue=fa",
        {**form_of(form.text), "text-name": "خانه سانیتاس", "reviewed-name": "on"},
    )
    assert saved.status_code == 303
    row = translation(session)
    assert row.entity_type == "place" and row.status == "reviewed"


def test_readers_see_but_cannot_save_and_others_cannot_open(
    client: TestClient, session: Session, org: Organization, service: Service
) -> None:
    other = make_organization(session, "autre")
    theirs = make_service(session, other, "leur-service", name="Leur service")
    session.commit()
    make_user(session, "reader@example.org", org, Role.reader)
    make_user(session, "outsider@example.org", other, Role.owner)
    reader = Browser(TestClient(client.app))
    assert reader.sign_in("reader@example.org").status_code == 303
    form = reader.get(url(org, service) + "?langue=ar")
    assert form.status_code == 200 and "readonly" in form.text
    assert 'type="submit" class="button-primary"' not in form.text
    refused = reader.post(
        url(org, service) + "?langue=ar", {**form_of(form.text), "text-name": ARABIC}
    )
    assert refused.status_code == 403
    outsider = Browser(TestClient(client.app))
    assert outsider.sign_in("outsider@example.org").status_code == 303
    assert outsider.get(url(org, service) + "?langue=ar").status_code == 403
    assert (
        outsider.post(
            url(org, service) + "?langue=ar", {"text-name": ARABIC}
        ).status_code
        == 403
    )
    # Their own organisation in the URL, our service: not theirs either.
    mixed = f"/fr/espace/structures/{other.id}/services/{service.id}/traductions"
    assert outsider.get(mixed + "?langue=ar").status_code == 403
    assert outsider.get(url(other, theirs) + "?langue=ar").status_code == 200
    assert session.exec(select(Translation)).all() == []


def test_machine_translation_button_when_configured(
    editor: Browser,
    session: Session,
    org: Organization,
    service: Service,
    client: TestClient,
    libretranslate: FakeLibreTranslate,
) -> None:
    form = editor.get(url(org, service) + "?langue=ar")
    assert "Proposer une traduction automatique" in form.text
    response = editor.post(url(org, service) + "/automatique?langue=ar")
    assert response.status_code == 303, response.text
    assert [r["target"] for r in libretranslate.requests] == ["ar"]
    name = translation(session)
    assert name.text == "[ar] Épicerie solidaire" and name.status == "machine"
    assert translation(session, "falc_summary").status == "machine"
    public = client.get(f"/ar/services/{service.id}")
    assert "[ar] Épicerie solidaire" in public.text and LABEL in public.text
    # Saving the form without touching a machine text keeps it a machine one.
    form = editor.get(url(org, service) + "?langue=ar")
    kept = editor.post(
        url(org, service) + "?langue=ar",
        {
            **form_of(form.text),
            "text-name": name.text,
            "text-falc_summary": "[ar] Des courses à petit prix.",
        },
    )
    assert kept.status_code == 303, kept.text
    assert translation(session).status == "machine"
    assert translation(session).version == 1


def test_no_machine_translation_without_a_server(
    editor: Browser, org: Organization, service: Service
) -> None:
    assert get_settings().translate_url == ""
    response = editor.post(url(org, service) + "/automatique?langue=ar")
    assert response.status_code == 404
