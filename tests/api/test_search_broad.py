"""Broad searches take shortcuts (search/engine.py ``_find``): near me, the
nearest ring alone when it already holds more than the count cap; elsewhere,
the text matches alone when they do. The page and the count must be those of
the whole search."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.test_search_scale import ORIGIN, add_services, at, north, search
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
