"""Near me with words: the grid cells and theme words of the full-text index
(search/tags.py) narrow the candidates, the haversine decides — the same
services as the words alone cut to the circle, within and beyond the first
ring, counted and paged; prefixes written out as the index's words
(search/prefixes.py) find what FTS5's own prefix query finds, and see a
write at once."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Permanence, Place, SearchDocument
from api.services.listings.revisions import SYSTEM, save
from api.services.listings.upsert import ImportReport
from api.services.places.geo import bounding_box, haversine_m
from api.services.search import engine
from api.services.search.filters import SearchFilters
from api.services.search.tags import cells_of, cover, theme_tag
from data.loaders.paths import SYNONYMS
from data.loaders.synonyms import load_synonyms
from tests.factories import make_organization, make_place, make_service
from tests.territory import GROCERY

CENTRE = (47.39, 0.69)  # Tours
WORDS = ("aide administrative", "conseil logement", "aide alimentaire")


def _spread(session: Session) -> dict[str, tuple[float, float]]:
    """Services on rays around the centre, 150 m to 4.5 km, across many cells
    and their borders; every third place confidential (no distance given)."""
    load_synonyms(session, SYNONYMS, ImportReport())
    org = make_organization(session, "rayons", name="Maison des rayons")
    where: dict[str, tuple[float, float]] = {}
    for n in range(36):
        bearing = math.radians(n * 47 % 360)
        metres = 150 + n * 125
        lat = CENTRE[0] + math.degrees(metres * math.cos(bearing) / 6_371_008.8)
        lon = CENTRE[1] + math.degrees(
            metres * math.sin(bearing) / 6_371_008.8
        ) / math.cos(math.radians(CENTRE[0]))
        place = make_place(
            session, org, f"lieu-{n}", lat=lat, lon=lon, confidential=n % 3 == 2
        )
        name = f"{WORDS[n % 3].capitalize()} numéro {n}"
        # Every fourth one is about food: « manger » finds it by its theme.
        categories = [GROCERY] if n % 4 == 1 else []
        service = make_service(
            session, org, f"service-{n}", name=name, categories=categories
        )
        save(
            session,
            Permanence(
                service_id=service.id, opening_hours="Mo 09:00-12:00", place_id=place.id
            ),
            SYSTEM,
        )
        if n % 3 != 2:
            where[name] = (lat, lon)
    session.commit()
    return where


def _names(client: TestClient, **params: Any) -> set[str]:
    response = client.get("/api/v1/services", params={"size": 100, **params})
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize("radius_km", [0.2, 0.4, 1, 2.5, 3, 4])
@pytest.mark.parametrize(
    "query", ["aide", "logement", "aide alimentaire", "numero", "manger"]
)
def test_near_me_words_are_the_words_cut_to_the_circle(
    client: TestClient, session: Session, radius_km: float, query: str
) -> None:
    where = _spread(session)
    anywhere = _names(client, q=query)
    inside = {
        name
        for name in anywhere
        if name in where and haversine_m(*CENTRE, *where[name]) <= radius_km * 1000
    }
    here = {"lat": CENTRE[0], "lon": CENTRE[1], "radius_km": radius_km}
    near = _names(client, q=query, **here)
    assert near == inside
    # A page of one lies within the nearest ring: the count comes apart.
    one = client.get("/api/v1/services", params={"q": query, "size": 1, **here})
    assert one.json()["total"] == len(inside)
    assert cover(bounding_box(*CENTRE, radius_km * 1000))


def _mixed(session: Session) -> None:
    """Within 1 km, text matches of « manger » and theme matches (food)
    alternating by distance, 40 m to 910 m, on every bearing."""
    load_synonyms(session, SYNONYMS, ImportReport())
    org = make_organization(session, "melange", name="Maison du mélange")
    for n in range(30):
        bearing, metres = math.radians(n * 83 % 360), 40 + n * 30
        lat = CENTRE[0] + math.degrees(metres * math.cos(bearing) / 6_371_008.8)
        lon = CENTRE[1] + math.degrees(
            metres * math.sin(bearing) / 6_371_008.8
        ) / math.cos(math.radians(CENTRE[0]))
        place = make_place(session, org, f"point-{n}", lat=lat, lon=lon)
        text = n % 2 == 0
        service = make_service(
            session,
            org,
            f"mixed-{n}",
            name=f"Manger ensemble {n}" if text else f"Épicerie {n}",
            categories=[] if text else [GROCERY],
        )
        save(
            session,
            Permanence(
                service_id=service.id, opening_hours="Mo 09:00-12:00", place_id=place.id
            ),
            SYSTEM,
        )
    session.commit()


@pytest.mark.parametrize("sort", ["relevance", "distance"])
def test_a_ring_written_out_is_the_ring_built(session: Session, sort: str) -> None:
    """SQLite writes the statement of a ring out (``sql.near_ring_page``):
    page, distances and count are those of the statement built for any
    search (``engine._run``) — text matches before theme matches within a
    ring, each page, both orders."""
    _mixed(session)
    now = datetime(2026, 12, 8, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
    for radius_km, page, size in [(0.3, 1, 50), (1, 1, 50), (1, 2, 7), (1, 9, 7)]:
        ring = SearchFilters(
            q="manger",
            lat=CENTRE[0],
            lon=CENTRE[1],
            radius_km=radius_km,
            sort=sort,
            page=page,
            size=size,
        )
        reading = engine.read(session, ring, now)
        written = engine._ring_page(session, ring, now, reading)
        assert written == engine._run(session, ring, now, reading)
        assert written.ids or page == 9


@pytest.mark.parametrize("size", [1, 5, 100])
def test_a_page_within_the_first_ring_counts_the_whole_radius(
    client: TestClient, session: Session, size: int
) -> None:
    """Near me, a page that lies within 1 km comes from there, and the count
    from the whole radius: the same as one search of the whole radius."""
    where = _spread(session)
    expected = sorted(
        (haversine_m(*CENTRE, *at), name)
        for name, at in where.items()
        if haversine_m(*CENTRE, *at) <= 4000
    )
    params = {"q": "numero", "lat": CENTRE[0], "lon": CENTRE[1], "radius_km": 4}
    response = client.get("/api/v1/services", params={**params, "size": size})
    body = response.json()
    assert body["total"] == len(expected)
    assert body["total_capped"] is False
    assert [item["name"] for item in body["items"]] == [
        name for _, name in expected[:size]
    ]


def test_document_cells_follow_a_moved_place(
    client: TestClient, session: Session
) -> None:
    where = _spread(session)
    name = next(iter(where))
    place = session.exec(select(Place).where(Place.slug == "lieu-0")).one()
    nantes = (47.2184, -1.5536)
    place.lat, place.lon = nantes
    save(session, place, SYSTEM)
    session.commit()
    assert name not in _names(
        client, q="numero", lat=CENTRE[0], lon=CENTRE[1], radius_km=1
    )
    assert name in _names(client, q="numero", lat=nantes[0], lon=nantes[1], radius_km=1)
    document = session.exec(
        select(SearchDocument.tags).where(SearchDocument.title.startswith(name))  # type: ignore[union-attr]
    ).one()
    assert document == " ".join(sorted(cells_of([nantes])))


def test_confidential_places_give_no_cells(session: Session) -> None:
    _spread(session)
    hidden = session.exec(
        select(SearchDocument.tags).where(
            SearchDocument.title.startswith("Aide alimentaire numéro 5 ")  # type: ignore[union-attr]
        )
    ).one()
    # Its themes, not its place.
    assert theme_tag("category", GROCERY) in hidden.split()
    assert not [word for word in hidden.split() if word.startswith("gc")]


def test_a_cell_word_typed_is_not_a_place(client: TestClient, session: Session) -> None:
    _spread(session)
    word = next(iter(cells_of([CENTRE])))
    assert _names(client, q=word) == set()
    assert _names(client, q=word[:3]) == set()


def test_prefixes_see_a_write_at_once(client: TestClient, session: Session) -> None:
    org = make_organization(session, "zorg", name="Association Z")
    session.commit()
    assert _names(client, q="zorgl") == set()
    make_service(session, org, "zorglub", name="Atelier zorglubien")
    session.commit()
    assert _names(client, q="zorgl") == {"Atelier zorglubien"}
    make_service(session, org, "zorglax", name="Permanence zorglaxienne")
    session.commit()
    assert _names(client, q="zorgl") == {
        "Atelier zorglubien",
        "Permanence zorglaxienne",
    }
