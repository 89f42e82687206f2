"""Service, place and organisation pages, calendars, guides and selections."""

from __future__ import annotations

import uuid

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.territory import Territory


def soup_of(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_service_page_has_call_share_qr_and_calendar(
    client: TestClient, territory: Territory
) -> None:
    soup = soup_of(client, f"/fr/services/{territory.grocery.id}")
    assert soup.select_one("h1").get_text() == "Épicerie solidaire"
    assert (
        soup.select_one(".falc").get_text()
        == "Des produits pas chers pour les familles."
    )
    share = [a["href"] for a in soup.select(".share-links a")]
    assert share[0].startswith("sms:?&body=") and share[2].startswith("mailto:")
    assert soup.select_one(".qr svg") is not None
    assert soup.select_one(".qr [role=img]")["aria-label"]
    ics = soup.select_one("a[href$='.ics']")["href"]
    calendar = client.get(ics)
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert (
        "BEGIN:VEVENT" in calendar.text
        and "SUMMARY:Épicerie solidaire" in calendar.text
    )
    assert "LOCATION:Local Saint-Paul\\, Tours" in calendar.text


def test_phone_numbers_are_tel_links(client: TestClient, territory: Territory) -> None:
    soup = soup_of(client, f"/fr/structures/{territory.grocery.organization_id}")
    assert soup.select_one("h1").get_text() == "Épicerie du Sanitas"
    call = soup.select_one("a.call[href='tel:+33247001122']")
    assert call.select_one(".phone-number").get_text() == "02 47 00 11 22"
    service = soup_of(client, f"/fr/services/{territory.grocery.id}")
    assert service.select_one("a.call")["href"] == "tel:+33247001122"
    place_link = soup.select_one("a[href^='/fr/lieux/']")["href"]
    place = soup_of(client, place_link)
    assert "Épicerie solidaire" in place.get_text()


def test_unpublished_and_unknown_pages_are_404(
    client: TestClient, territory: Territory
) -> None:
    assert client.get(f"/fr/services/{territory.draft.id}").status_code == 404
    assert client.get(f"/fr/services/{uuid.uuid4()}").status_code == 404
    assert client.get("/fr/qpv/QN00000X").status_code == 404
    assert client.get("/fr/nope").status_code == 404
    assert client.get("/xx/services").status_code == 404


def test_qpv_guide_groups_services_by_theme_and_filters(
    client: TestClient, territory: Territory
) -> None:
    soup = soup_of(client, "/fr/qpv/QN03709M")
    assert "Sanitas" in soup.select_one("h1").get_text()
    groups = [h.get_text() for h in soup.select(".guide-group > h2")]
    assert groups == ["Équipement et alimentation"]
    assert soup.select(".guide-qr svg")
    filtered = soup_of(client, "/fr/qpv/QN03709M?theme=sante")
    assert filtered.select(".guide-group") == []


def test_selection_sheet_shows_chosen_services_and_skips_bad_ids(
    client: TestClient, territory: Territory
) -> None:
    ids = (
        f"{territory.grocery.id},not-a-uuid,{territory.draft.id},{territory.health.id}"
    )
    soup = soup_of(client, f"/fr/selection?ids={ids}")
    assert [h.get_text() for h in soup.select(".guide-entry h2")] == [
        "Épicerie solidaire",
        "Consultation santé sans mutuelle",
    ]
    empty = soup_of(client, "/fr/selection")
    assert "vide" in empty.select_one("main").get_text()


def test_info_pages_exist_in_every_language(client: TestClient) -> None:
    for slug in ("a-propos", "confidentialite", "accessibilite"):
        for lang in ("fr", "en"):
            assert client.get(f"/{lang}/{slug}").status_code == 200
