"""The easy-to-read view of the public site (/falc/): the FALC summary takes
the description's place, the full text stays one click away."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from api.i18n import translations
from tests.territory import Territory

SUMMARY = "Des produits pas chers pour les familles."
DESCRIPTION = "Produits alimentaires et d'hygiène à petit prix."


def soup_of(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_the_falc_view_shows_the_summary_in_place_of_the_description(
    client: TestClient, territory: Territory
) -> None:
    page = soup_of(client, f"/falc/services/{territory.grocery.id}")
    assert page.select_one("html")["lang"] == "fr"
    what = page.select_one("section[aria-labelledby=what-title]")
    assert what.select_one("p.falc").get_text() == SUMMARY
    full = what.select_one("details.full-text")
    assert full is not None and not full.has_attr("open")
    assert full.select_one("summary").get_text() == translations("falc").gettext(
        "Texte complet"
    )
    assert full.select_one("p").get_text() == DESCRIPTION
    assert page.select(".falc-box") == []  # said once, not twice
    # (the other easy-to-read paragraph explains "permanence")
    assert [p.get_text() for p in page.select("p.falc")].count(SUMMARY) == 1


def test_without_a_summary_the_falc_view_says_so_and_gives_the_essentials(
    client: TestClient, territory: Territory
) -> None:
    falc = translations("falc").gettext
    page = soup_of(client, f"/falc/services/{territory.health.id}")
    missing = page.select_one(".falc-missing")
    assert falc("Ce service n'a pas encore de texte facile à lire.") in (
        missing.get_text()
    )
    essentials = [li.get_text(" ", strip=True) for li in missing.select("li")]
    assert len(essentials) == 3  # what, when, where: the centre has no phone
    assert essentials[0].startswith(falc("C'est quoi ?"))
    assert "Consultation santé sans mutuelle" in essentials[0]
    assert "Nantes" in essentials[2]
    # The administrative text is one click away, not in the reader's face.
    what = page.select_one("section[aria-labelledby=what-title]")
    full = what.select_one("details.full-text")
    assert full is not None and not full.has_attr("open")
    assert "Médecins généralistes" in full.get_text()
    grocery = soup_of(client, f"/falc/services/{territory.grocery.id}")
    assert grocery.select(".falc-missing") == []
    call = [
        li
        for li in soup_of(client, f"/falc/services/{territory.cv_workshop.id}").select(
            ".falc-missing li"
        )
    ][-1]
    assert call.select_one("a[href^='tel:']") is not None


def test_the_french_view_is_unchanged(client: TestClient, territory: Territory) -> None:
    page = soup_of(client, f"/fr/services/{territory.grocery.id}")
    assert page.select_one(".falc-box p.falc").get_text() == SUMMARY
    what = page.select_one("section[aria-labelledby=what-title]")
    assert what.select_one("p").get_text() == DESCRIPTION
    assert page.select("details.full-text") == []


def test_falc_result_cards_show_the_summary_not_the_description(
    client: TestClient, territory: Territory
) -> None:
    page = soup_of(client, "/falc/services?q=epicerie")
    card = page.select_one(".result-list .card")
    assert card.select_one("p.falc").get_text() == SUMMARY
    assert DESCRIPTION not in card.get_text()
    assert card.select_one(".card-title a")["href"].startswith("/falc/services/")
