"""Broad searches take shortcuts (search/engine.py ``_find``): near me, the
page from the nearest ring (300 m, 1 km) that fills it, and the count streamed
— on SQLite first from the grid cells wholly within the radius; elsewhere,
the text matches alone when they hold more than the count cap. The page and
the count must be those of the whole search."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Permanence, Service, ServiceStatus, Visibility
from api.services.schedules.hours import PARIS
from api.services.search import engine
from api.services.search.filters import SearchFilters
from api.services.search.tags import LAT_STEP, LON_STEP, inside
from tests.api.test_search_scale import (
    ORIGIN,
    add_services,
    at,
    east_of,
    north,
    search,
)
from tests.factories import make_organization, make_place


def test_broad_words_page_and_count_like_the_whole_search(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session)
    lat, lon = north(200)
    crowded = make_place(session, org, "crowded", lat=lat, lon=lon)
    add_services(session, org, crowded, [f"Service {i}" for i in range(1001)])
    at(session, org, "Service voisin", *north(50))
    at(session, org, "Service lointain", *north(2500))
    here = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}

    near = search(client, q="service", **here)
    assert (near["total"], near["total_capped"]) == (1000, True)
    assert [i["name"] for i in near["items"][:1]] == ["Service voisin"]
    assert len(near["items"]) == 20
    closest = search(client, q="service", sort="distance", **here)["items"]
    assert closest[0]["name"] == "Service voisin"
    assert all(item["distance_m"] < 300 for item in closest)
    # Nothing within 1 km: the whole 3 km are searched.
    far = search(client, q="lointain", **here)
    assert [i["name"] for i in far["items"]] == ["Service lointain"]
    assert (far["total"], far["total_capped"]) == (1, False)

    everywhere = search(client, q="service")
    assert (everywhere["total"], everywhere["total_capped"]) == (1000, True)
    assert len(everywhere["items"]) == 20
    last = search(client, q="service", page=50)
    assert (last["total"], len(last["items"])) == (1000, 20)


def _crowd(session: Session, lat: float, lon: float, names: list[str]) -> list[Service]:
    org = make_organization(session, f"org-{names[0][:20]}".lower().replace(" ", "-"))
    place = make_place(session, org, f"place-{lat:.5f}-{lon:.5f}", lat=lat, lon=lon)
    return add_services(session, org, place, names)


def _middle_of_a_cell_within(radius_m: float) -> tuple[float, float]:
    cell = (inside(*ORIGIN, radius_m) or [""])[0]
    row, column = (int(n.replace("m", "-")) for n in cell[2:].split("x"))
    return (row + 0.5) * LAT_STEP, (column + 0.5) * LON_STEP


def test_near_me_counts_past_the_cap_from_the_cells_within_the_radius(
    client: TestClient, session: Session
) -> None:
    """1,001 matches 2 km away, in a grid cell wholly within 3 km: the page
    comes from the 25 within 300 m, and the count says "1 000+"."""
    middle = _middle_of_a_cell_within(3000)
    _crowd(session, *middle, [f"Aide lointaine {i}" for i in range(1001)])
    _crowd(session, *north(100), [f"Aide proche {i}" for i in range(25)])
    here = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}

    body = search(client, q="aide", **here)
    assert (body["total"], body["total_capped"]) == (1000, True)
    assert {i["distance_m"] for i in body["items"]} == {100}
    second = search(client, q="aide", page=2, **here)
    assert [i["distance_m"] for i in second["items"][:5]] == [100] * 5
    assert second["items"][5]["name"].startswith("Aide lointaine")


def test_near_me_never_counts_what_a_reader_may_not_see(
    client: TestClient, session: Session
) -> None:
    """1,001 matches reserved to professionals in a cell wholly within 3 km:
    a resident's count holds only the 25 public ones."""
    reserved = _crowd(
        session,
        *_middle_of_a_cell_within(3000),
        [f"Aide réservée {i}" for i in range(1001)],
    )
    for service in reserved:
        service.visibility = Visibility.professionals
    session.commit()
    _crowd(session, *north(100), [f"Aide proche {i}" for i in range(25)])
    here = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}

    body = search(client, q="aide", size=5, **here)
    assert (body["total"], body["total_capped"]) == (25, False)


def test_near_me_never_counts_what_lies_just_past_the_radius(
    client: TestClient, session: Session
) -> None:
    """1,001 matches 3,010 m away, in cells that reach into the 3 km circle:
    not counted; the page and count are those within 3 km."""
    _crowd(
        session,
        *east_of(*ORIGIN, 3010),
        [f"Aide au-delà {i}" for i in range(1001)],
    )
    _crowd(session, *north(100), [f"Aide proche {i}" for i in range(25)])
    _crowd(session, *north(2990), ["Aide au bord"])
    here = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}

    body = search(client, q="aide", **here)
    assert (body["total"], body["total_capped"]) == (26, False)
    last = search(client, q="aide", page=2, **here)["items"]
    assert [i["name"] for i in last][-1] == "Aide au bord"
    assert {i["distance_m"] for i in body["items"]} == {100}


def test_title_matches_rank_first_and_pages_join_up(
    client: TestClient, session: Session
) -> None:
    """A broad word ranks the services holding it in their name first: the
    first page comes from those alone (SQLite ranks only them), the next one
    from the whole search, and the two join up without a gap or a repeat."""
    org = make_organization(session)
    place = make_place(session, org, "centre", lat=ORIGIN[0], lon=ORIGIN[1])
    titled = add_services(session, org, place, [f"Aide n°{i}" for i in range(25)])
    others = [
        Service(
            organization_id=org.id,
            slug=f"permanence-{i}",
            name=f"Permanence {i}",
            description="Une aide pour vos démarches.",
            status=ServiceStatus.published,
        )
        for i in range(1001)
    ]
    session.add_all(others)
    session.commit()

    first = search(client, q="aide")
    assert (first["total"], first["total_capped"]) == (1000, True)
    second = search(client, q="aide", page=2)
    names = [i["name"] for i in first["items"] + second["items"]]
    assert len(names) == len(set(names)) == 40
    assert set(names[:25]) == {s.name for s in titled}
    assert all(name.startswith("Permanence") for name in names[25:])


def _held_twice(session: Session, count: int) -> list[Service]:
    """``count`` services each held at two places 100 m and 200 m north."""
    org = make_organization(session, "asso-deux-lieux")
    first = make_place(session, org, "lieu-1", lat=north(100)[0], lon=ORIGIN[1])
    second = make_place(session, org, "lieu-2", lat=north(200)[0], lon=ORIGIN[1])
    services = add_services(session, org, first, [f"Accueil {i}" for i in range(count)])
    session.add_all(
        Permanence(service_id=s.id, place_id=second.id, opening_hours="Sa 09:00-12:00")
        for s in services
    )
    session.commit()
    return services


def test_near_me_without_words_counts_each_service_once(
    client: TestClient, session: Session
) -> None:
    """Near me without words, the page comes from the nearest ring and the
    count is streamed over the whole radius: a service held at two places
    within it is listed and counted once."""
    _held_twice(session, 25)
    _crowd(session, *north(2000), [f"Lointain {i}" for i in range(5)])
    here = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}

    for sort in ("relevance", "distance"):
        first = search(client, sort=sort, **here)
        assert (first["total"], first["total_capped"]) == (30, False)
        assert {i["distance_m"] for i in first["items"]} == {100}
        second = search(client, sort=sort, page=2, **here)["items"]
        names = [i["name"] for i in first["items"] + second]
        assert len(names) == len(set(names)) == 30
        assert [i["distance_m"] for i in second][-5:] == [2000] * 5


def test_open_now_near_me_counts_each_open_service_once(session: Session) -> None:
    """Open now near me: the services open at the moment (held twice within
    the radius) are counted once each; those closed then are not counted."""
    _held_twice(session, 25)  # Mo-Fr 09:00-17:00 at the first place
    closed = _crowd(session, *north(150), [f"Fermé {i}" for i in range(30)])
    for service in closed:
        for permanence in session.exec(
            select(Permanence).where(Permanence.service_id == service.id)
        ):
            permanence.opening_hours = "Su 10:00-11:00"
            session.add(permanence)
    session.commit()
    filters = SearchFilters(lat=ORIGIN[0], lon=ORIGIN[1], radius_km=3, open_now=True)
    monday = datetime(2026, 12, 7, 10, tzinfo=PARIS)

    found = engine.search(session, filters, monday)
    assert (found.total, found.total_capped) == (25, False)
    assert {item.name[:7] for item in found.items} == {"Accueil"}
    saturday = datetime(2026, 12, 12, 10, tzinfo=PARIS)  # the second place
    assert engine.search(session, filters, saturday).total == 25
