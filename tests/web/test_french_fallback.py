"""Listing texts without a translation are shown in French, marked lang="fr"
inside pages in other languages (so a screen reader switches voice)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import TranslationStatus
from tests.factories import make_organization, make_service, make_translation

FOOD = "equipement-et-alimentation--alimentation"


def test_untranslated_text_is_marked_french(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso")
    service = make_service(
        session,
        org,
        "epicerie",
        name="Épicerie solidaire",
        falc_summary="Des courses à petit prix.",
        categories=[FOOD],
    )
    make_translation(
        session,
        "service",
        service.id,
        "ar",
        "بقالة تضامنية",
        TranslationStatus.reviewed,
    )
    session.commit()

    page = BeautifulSoup(client.get(f"/ar/services/{service.id}").text, "html.parser")
    assert page.h1.get_text(strip=True) == "بقالة تضامنية"
    assert page.h1.get("lang") is None  # translated: the page's language
    summary = page.find("p", string="Des courses à petit prix.")
    assert summary is not None and summary["lang"] == "fr"

    french = BeautifulSoup(client.get(f"/fr/services/{service.id}").text, "html.parser")
    assert french.h1.get("lang") is None
    english = client.get(f"/api/v1/services/{service.id}?lang=en").json()
    assert set(english["in_french"]) == {"name", "falc_summary"}
    results = BeautifulSoup(client.get("/uk/services?q=epicerie").text, "html.parser")
    assert results.find(class_="card-title")["lang"] == "fr"


def test_place_and_organisation_pages_show_their_translations(
    client: TestClient, session: Session
) -> None:
    from tests.factories import make_place

    org = make_organization(session, "asso", name="Maison des familles")
    place = make_place(session, org, "lieu", name="Salle du Sanitas")
    for entity, entity_type, text in (
        (org, "organization", "Дім для сімей"),
        (place, "place", "Зала Санітас"),
    ):
        make_translation(
            session, entity_type, entity.id, "uk", text, TranslationStatus.machine
        )
    session.commit()
    organization_page = client.get(f"/uk/structures/{org.id}").text
    assert "Дім для сімей" in organization_page and "machine-label" in organization_page
    place_page = BeautifulSoup(client.get(f"/uk/lieux/{place.id}").text, "html.parser")
    assert place_page.h1.get_text(strip=True) == "Зала Санітас"
    api = client.get(f"/api/v1/places/{place.id}?lang=uk").json()
    assert api["name"] == "Зала Санітас" and api["translated"] == ["name"]
    french = client.get(f"/api/v1/places/{place.id}?lang=ru").json()
    assert french["name"] == "Salle du Sanitas" and french["in_french"] == ["name"]
