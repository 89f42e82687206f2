"""The free emergency numbers are one tap away on the home page and on any
search that finds nothing, translated, in easy-to-read French, numbers LTR."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from api.i18n import _, use_locale
from tests.territory import Territory

LINKS = [
    "tel:115",
    "tel:119",
    "tel:3919",
    "tel:15",
    "tel:17",
    "tel:18",
    "tel:112",
    "sms:114",
]
SHELTER = "Sans abri : trouver où dormir ce soir"


def emergency_block(client: TestClient, url: str) -> Tag:
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    block = page.select_one("section.emergency")
    assert block is not None, url
    return block


@pytest.mark.parametrize("lang", ["fr", "ar", "falc"])
@pytest.mark.parametrize(
    ("path", "heading"), [("/", "h2"), ("/services?q=introuvable", "h3")]
)
def test_the_block_is_on_the_home_page_and_on_an_empty_search(
    client: TestClient, lang: str, path: str, heading: str
) -> None:
    block = emergency_block(client, f"/{lang}{path}")
    assert [a["href"] for a in block.select("a")] == LINKS
    assert block.find(heading, id="emergency-title") is not None
    for number in block.select(".emergency-number"):
        assert number["dir"] == "ltr"
        assert number.get_text().isascii() and number.get_text().isdigit()
    labels = [label.get_text(" ", strip=True) for label in block.select("a")]
    with use_locale(lang):
        shelter = _(SHELTER)
    assert labels[0] == f"115 {shelter}"
    if lang != "fr":
        assert shelter != SHELTER  # translated, not the French fallback


def test_the_falc_labels_are_easy_to_read(client: TestClient) -> None:
    block = emergency_block(client, "/falc/")
    text = block.get_text(" ", strip=True)
    assert "Un enfant est en danger" in text
    assert "Samu" not in text  # no acronym in easy-to-read French


def test_a_search_with_results_does_not_show_it(
    client: TestClient, territory: Territory
) -> None:
    page = BeautifulSoup(client.get("/fr/services?q=epicerie").text, "html.parser")
    assert page.select(".result-list li")
    assert page.select_one("section.emergency") is None


@pytest.mark.parametrize("lang", ["fr", "ar", "falc"])
def test_the_home_page_opens_with_a_link_down_to_the_numbers(
    client: TestClient, lang: str
) -> None:
    page = BeautifulSoup(client.get(f"/{lang}/").text, "html.parser")
    first = page.select_one("main a")  # before the search form and the themes
    assert first is not None and first["href"] == "#emergency"
    block = page.find(id="emergency")
    assert block is not None and "emergency" in block["class"]
    with use_locale(lang):
        assert first.get_text(strip=True) == _(
            "Urgence ? Numéros gratuits, jour et nuit"
        )
    # The numbers come before the long list of neighbourhoods.
    assert block.find_next(id="qpv-title") is not None
