"""Service, place and organisation pages: the visible "in French" marker, Listen
on each, and a phone that is not in a block left off the printed page."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.i18n import translations
from api.models import TranslationStatus
from tests.factories import make_translation
from tests.territory import Territory


def soup_of(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_each_french_text_is_followed_by_a_marker_in_the_readers_language(
    client: TestClient, territory: Territory
) -> None:
    in_french = translations("ar").gettext("En français")
    assert in_french != "En français"
    page = soup_of(client, f"/ar/services/{territory.grocery.id}")
    markers = page.select("#listing .in-french")
    assert [m.get_text() for m in markers] == [in_french] * 3  # name, summary, text
    for marker in markers:
        french = marker.find_previous_sibling()
        assert french is not None and french.get("lang") == "fr"
    assert (
        soup_of(client, f"/fr/services/{territory.grocery.id}").select(".in-french")
        == []
    )


def test_a_translated_text_gets_no_marker(
    client: TestClient, session: Session, territory: Territory
) -> None:
    make_translation(
        session,
        "service",
        territory.grocery.id,
        "ar",
        "بقالة تضامنية",
        TranslationStatus.reviewed,
    )
    session.commit()
    page = soup_of(client, f"/ar/services/{territory.grocery.id}")
    assert page.h1.get_text() == "بقالة تضامنية"
    assert page.select_one("header .in-french") is None
    assert len(page.select("#listing .in-french")) == 2  # summary and text still


def test_place_and_organisation_pages_mark_french_and_offer_listen(
    client: TestClient, territory: Territory
) -> None:
    organisation = soup_of(
        client, f"/ar/structures/{territory.grocery.organization_id}"
    )
    assert organisation.select_one("h1")["lang"] == "fr"
    assert organisation.select_one("h1 + .in-french") is not None
    services = organisation.select("#listing ul a[href*='/services/']")
    assert services and all(a["lang"] == "fr" for a in services)
    listen = organisation.select_one("button.listen")
    assert listen["aria-controls"] == "listing" and listen.has_attr("hidden")
    place_url = organisation.select_one("a[href*='/lieux/']")["href"]
    place = soup_of(client, place_url)
    assert place.select_one("h1 + .in-french") is not None
    assert place.select_one("button.listen")["aria-controls"] == "listing"
    french = soup_of(client, f"/fr/structures/{territory.grocery.organization_id}")
    assert french.select(".in-french") == []
    assert all(
        not a.has_attr("lang")
        for a in french.select("#listing ul a[href*='/services/']")
    )


def test_the_call_button_is_not_in_a_block_left_off_paper(
    client: TestClient, territory: Territory
) -> None:
    page = soup_of(client, f"/fr/services/{territory.grocery.id}")
    call = page.select_one("a.call")
    assert call["href"] == "tel:+33247001122"
    hidden_in_print = {"no-print", "actions", "share-links"}
    for parent in call.parents:
        assert not hidden_in_print & set(parent.get("class") or []), parent.name
