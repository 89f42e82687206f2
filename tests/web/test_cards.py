"""Result cards: where, today's hours, call, languages by name, closures, the
"in French" marker, "Listen" on every card, and the filter panel."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.main import app
from api.models import Closure, Organization, Permanence
from api.routes.http import now_paris
from api.services.listings.revisions import SYSTEM, save
from api.services.schedules.hours import PARIS
from tests.factories import make_place
from tests.territory import Territory

# The grocery is held on the 2nd and 4th Wednesdays, 14:00-17:00: 9 Dec 2026
# is a 2nd Wednesday. The health centre is closed 14-18 Dec for training.
WEDNESDAY_MORNING = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)


@pytest.fixture
def at(client: TestClient) -> Iterator[list[datetime]]:
    """The pages' "now", pinned; tests change ``at[0]``."""
    moment = [WEDNESDAY_MORNING]
    app.dependency_overrides[now_paris] = lambda: moment[0]
    yield moment
    app.dependency_overrides.pop(now_paris, None)


def cards(client: TestClient, url: str) -> dict[str, Tag]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        c.select_one(".card-title").get_text(strip=True): c
        for c in soup.select(".card")
    }


def test_a_card_says_who_where_when_and_how_to_call(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    card = cards(client, "/fr/services?q=epicerie")["Épicerie solidaire"]
    assert card.select_one(".card-org").get_text() == "Épicerie du Sanitas"
    where = card.select_one(".card-where").get_text(" ", strip=True)
    assert "Tours" in where
    call = card.select_one("a.call")
    assert call["href"] == "tel:+33247001122"
    assert call.select_one(".phone-number").get_text() == "02 47 00 11 22"
    when = card.select_one(".when").get_text(" ", strip=True)
    assert "Aujourd'hui" in when and "14:00" in when and "17:00" in when

    # In the evening, today's session is over: the next one is named instead.
    at[0] = datetime(2026, 12, 9, 18, 0, tzinfo=PARIS)
    card = cards(client, "/fr/services?q=epicerie")["Épicerie solidaire"]
    when = card.select_one(".when").get_text(" ", strip=True)
    assert "Aujourd'hui" not in when
    assert "Prochaine permanence" in when and "23 décembre" in when


def test_languages_are_named_in_the_readers_language(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    french = cards(client, "/fr/services?q=sante")["Consultation santé sans mutuelle"]
    spoken = french.select_one(".card-languages").get_text(" ", strip=True)
    assert spoken.endswith("anglais, français et pachto")  # a set, stored sorted
    arabic = cards(client, "/ar/services?q=sante")["Consultation santé sans mutuelle"]
    spoken = arabic.select_one(".card-languages").get_text(" ", strip=True)
    assert "الفرنسية" in spoken and "الإنجليزية" in spoken and "البشتو" in spoken
    assert "PS" not in spoken and "EN" not in spoken
    api = client.get("/api/v1/services", params={"q": "sante", "lang": "en"}).json()
    assert api["items"][0]["language_names"] == [
        {"code": "en", "label": "English"},
        {"code": "fr", "label": "French"},
        {"code": "ps", "label": "Pashto"},
    ]
    assert api["items"][0]["town"] == "Nantes"


def test_a_running_closure_shows_a_banner_on_the_card_and_the_page(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    url = "/fr/services?q=sante"
    assert (
        cards(client, url)["Consultation santé sans mutuelle"].select(".closure-banner")
        == []
    )
    at[0] = datetime(2026, 12, 15, 10, 0, tzinfo=PARIS)
    card = cards(client, url)["Consultation santé sans mutuelle"]
    banner = card.select_one(".closure-banner").get_text()
    assert banner == (
        "Fermé temporairement jusqu'au 18 décembre 2026 : Formation de l'équipe"
    )
    assert "Pas de permanence prévue" not in card.get_text()
    page = BeautifulSoup(
        client.get(f"/fr/services/{territory.health.id}").text, "html.parser"
    )
    assert page.select_one("header .closure-banner").get_text() == banner
    api = client.get(f"/api/v1/services/{territory.health.id}").json()
    assert api["closure"]["end"] == "2026-12-18"


def test_a_closed_place_closes_the_card_only_when_it_is_the_only_place(
    client: TestClient, session: Session, territory: Territory, at: list[datetime]
) -> None:
    grocery = territory.grocery
    place_id = session.get(Permanence, _permanence_id(session, grocery.id)).place_id
    save(
        session,
        Closure(place_id=place_id, start=date(2026, 12, 1), end=date(2026, 12, 31)),
        SYSTEM,
    )
    session.commit()
    card = cards(client, "/fr/services?q=epicerie")["Épicerie solidaire"]
    assert "jusqu'au 31 décembre 2026" in card.select_one(".closure-banner").get_text()
    place_page = BeautifulSoup(client.get(f"/fr/lieux/{place_id}").text, "html.parser")
    assert "31 décembre 2026" in place_page.select_one(".closure-banner").get_text()

    # A second place, open: the service goes on there, so no banner.
    organization = session.get(Organization, grocery.organization_id)
    other = make_place(session, organization, "annexe", name="Annexe")
    save(
        session,
        Permanence(
            service_id=grocery.id, place_id=other.id, opening_hours="Mo 10:00-12:00"
        ),
        SYSTEM,
    )
    session.commit()
    card = cards(client, "/fr/services?q=epicerie")["Épicerie solidaire"]
    assert card.select(".closure-banner") == []
    assert "(et 1 autre lieu)" in card.select_one(".card-where").get_text()


def _permanence_id(session: Session, service_id: uuid.UUID) -> uuid.UUID | None:
    return session.exec(
        select(Permanence.id).where(Permanence.service_id == service_id)
    ).first()


def test_french_fallback_is_marked_visibly_on_cards(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    arabic = cards(client, "/ar/services?q=epicerie")["Épicerie solidaire"]
    marker = arabic.select_one(".in-french")
    assert marker is not None and marker.get("lang") is None  # the page's language
    assert marker.get_text() != "En français"  # translated: "in French" in Arabic
    # The organisation and the address are French names: read with a French voice.
    assert arabic.select_one(".card-org")["lang"] == "fr"
    assert arabic.select_one(".card-where span[dir=auto]")["lang"] == "fr"
    french = cards(client, "/fr/services?q=epicerie")["Épicerie solidaire"]
    assert french.select(".in-french") == []
    assert french.select("[lang]") == []


def test_every_card_can_be_listened_to(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    found = cards(client, "/fr/services")
    assert len(found) >= 3
    for card in found.values():
        button = card.select_one("button.listen")
        assert button is not None and button["aria-controls"] == card["id"]


@pytest.mark.parametrize(
    ("query", "is_open"),
    [
        ("q=epicerie&sort=relevance", False),
        ("q=epicerie", False),
        ("q=epicerie&sort=relevance&free=true", True),
        ("q=epicerie&sort=name", True),
        ("q=epicerie&sort=distance&lat=47.38&lon=0.69", False),  # "near me"
        ("language=ar&sort=relevance", True),
        ("q=epicerie&sort=relevance&category=nope", True),  # an error to fix
    ],
)
def test_the_filter_panel_opens_only_for_a_real_filter(
    client: TestClient, territory: Territory, query: str, is_open: bool
) -> None:
    soup = BeautifulSoup(client.get(f"/fr/services?{query}").text, "html.parser")
    assert soup.select_one("details.filters").has_attr("open") is is_open


def test_the_map_controls_speak_the_pages_language(
    client: TestClient, territory: Territory
) -> None:
    arabic = client.get("/ar/map.js").text
    for label in ("تكبير الخريطة", "تصغير الخريطة", "طبقات الخريطة"):
        assert json.dumps(label) in arabic or label in arabic
    assert "Agrandir la carte" in client.get("/fr/map.js").text


def test_a_search_for_another_day_names_that_day(
    client: TestClient, territory: Territory, at: list[datetime]
) -> None:
    card = cards(client, "/fr/services?q=epicerie&open_at=2026-12-23T15:00")[
        "Épicerie solidaire"
    ]
    when = card.select_one(".when").get_text(" ", strip=True)
    assert "Le mercredi 23 décembre :" in when and "Aujourd'hui" not in when
