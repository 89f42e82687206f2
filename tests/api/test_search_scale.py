"""Search at scale: one distance everywhere, French name order, stable pages,
an honest count, the map's every place, and a cache no write can make stale."""

from __future__ import annotations

import math
from typing import Any

from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlalchemy import Engine
from sqlmodel import Session, select

from api import db
from api.models import (
    Organization,
    Permanence,
    Place,
    Qpv,
    Service,
    ServiceStatus,
    Visibility,
)
from api.services.places.geo import EARTH_RADIUS_M
from tests.factories import load_real_qpvs, make_organization, make_place

ORIGIN = (47.39, 0.69)  # Tours


def north(metres: float) -> tuple[float, float]:
    return ORIGIN[0] + math.degrees(metres / EARTH_RADIUS_M), ORIGIN[1]


def east_of(lat: float, lon: float, metres: float) -> tuple[float, float]:
    """Same latitude, ``metres`` away on the great circle (haversine)."""
    half = math.sin(metres / (2 * EARTH_RADIUS_M)) / math.cos(math.radians(lat))
    return lat, lon + math.degrees(2 * math.asin(half))


def add_services(
    session: Session, org: Organization, place: Place | None, names: list[str]
) -> list[Service]:
    services = [
        Service(
            organization_id=org.id,
            slug=f"{place.slug if place else 'x'}-{i}-{name}".lower()[:100],
            name=name,
            status=ServiceStatus.published,
        )
        for i, name in enumerate(names)
    ]
    session.add_all(services)
    session.flush()
    session.add_all(
        Permanence(
            service_id=s.id,
            place_id=place.id if place else None,
            opening_hours="Mo-Fr 09:00-17:00",
        )
        for s in services
    )
    session.commit()
    return services


def at(session: Session, org: Organization, name: str, lat: float, lon: float) -> None:
    place = make_place(session, org, name.lower().replace(" ", "-"), lat=lat, lon=lon)
    add_services(session, org, place, [name])


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/services", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_3_km_edge_is_the_same_in_the_list_and_on_the_map(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session)
    at(session, org, "Nord 2990", *north(2990))
    at(session, org, "Est 2990", *east_of(*ORIGIN, 2990))
    at(session, org, "Nord 3010", *north(3010))
    at(session, org, "Est 3010", *east_of(*ORIGIN, 3010))
    near = {"lat": ORIGIN[0], "lon": ORIGIN[1], "radius_km": 3}
    body = search(client, **near, sort="distance")
    assert sorted(i["name"] for i in body["items"]) == ["Est 2990", "Nord 2990"]
    assert [i["distance_m"] for i in body["items"]] == [2990, 2990]
    features = client.get("/api/v1/services.geojson", params=near).json()["features"]
    assert sorted(f["properties"]["name"] for f in features) == [
        "Est 2990",
        "Nord 2990",
    ]


def test_names_sort_in_french_order_and_pages_never_shift(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session)
    add_services(
        session,
        org,
        None,
        ["Sorties", "Écrivain public", "atelier", "Œuvres", "Zèbre", *["Même"] * 3],
    )
    names = [i["name"] for i in search(client, sort="name", size=20)["items"]]
    assert names == [
        "atelier",
        "Écrivain public",
        "Même",
        "Même",
        "Même",
        "Œuvres",
        "Sorties",
        "Zèbre",
    ]
    for sort in ("name", "relevance", "updated"):
        pages = [search(client, sort=sort, size=1, page=n)["items"] for n in (1, 2, 3)]
        first = search(client, sort=sort, size=3)["items"]
        assert [p[0]["id"] for p in pages] == [i["id"] for i in first]


def test_a_broad_search_says_it_found_more_than_it_counted(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session)
    place = make_place(session, org, "lieu", lat=ORIGIN[0], lon=ORIGIN[1])
    add_services(session, org, place, [f"Service {i}" for i in range(1001)])
    body = search(client)
    assert (body["total"], body["total_capped"], len(body["items"])) == (1000, True, 20)
    narrow = search(client, q="inexistant")
    assert (narrow["total"], narrow["total_capped"]) == (0, False)
    page = client.get("/fr/services").text
    assert "Plus de 1000 services trouvés" in page
    assert "More than 1000 services found" in client.get("/en/services").text


def test_the_map_holds_every_place_grouped_per_zoom(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session)
    places = []
    for i in range(30):  # a line of places 150 m apart, east of Tours
        lat, lon = east_of(*ORIGIN, 150 * i)
        place = make_place(session, org, f"lieu-{i}", lat=lat, lon=lon)
        add_services(session, org, place, [f"S{i}-{k}" for k in range(1 + i % 3)])
        places.append(place)
    expected = sum(1 + i % 3 for i in range(30))
    every = client.get("/api/v1/services.geojson").json()["features"]
    assert len(every) == 30
    assert sum(f["properties"]["count"] for f in every) == expected
    broad = client.get("/api/v1/services.geojson", params={"zoom": 9})
    features = broad.json()["features"]
    assert len(features) < 30 and any(f["properties"].get("cluster") for f in features)
    assert sum(f["properties"]["count"] for f in features) == expected
    close = client.get("/api/v1/services.geojson", params={"zoom": 18}).json()
    assert len(close["features"]) == 30
    bad = client.get("/api/v1/services.geojson", params={"bbox": "1,2,three,4"})
    assert bad.status_code == 422


def test_the_whole_directory_map_counts_what_residents_may_see(
    client: TestClient, session: Session
) -> None:
    """The map as it first opens (nothing asked) counts places from an index
    alone: services reserved to professionals must still be left out."""
    org = make_organization(session)
    shared = make_place(session, org, "partage", lat=ORIGIN[0], lon=ORIGIN[1])
    lat, lon = north(500)
    reserved = make_place(session, org, "reserve", lat=lat, lon=lon)
    add_services(session, org, shared, ["Public A", "Public B"])
    hidden = add_services(session, org, shared, ["Réservé A"])
    hidden += add_services(session, org, reserved, ["Réservé B"])
    for service in hidden:
        service.visibility = Visibility.professionals
    session.add_all(hidden)
    session.commit()

    def counts(**params: Any) -> list[int]:
        answer = client.get("/api/v1/services.geojson", params=params)
        return sorted(f["properties"]["count"] for f in answer.json()["features"])

    assert counts() == [2]  # the reserved place has nothing public: no point
    assert counts(free="false") == counts(q="") == [2]
    assert counts(zoom=18) == [2]


def test_a_write_in_another_process_is_seen_by_the_next_search(
    client: TestClient, session: Session, database_url: str
) -> None:
    org = make_organization(session)
    add_services(session, org, None, ["Permanence juridique"])
    assert search(client, q="juridique")["total"] == 1  # now cached
    elsewhere = db.make_engine(database_url)  # another worker, another pool
    try:
        with Session(elsewhere) as other:
            service = other.exec(select(Service)).one()
            service.status = ServiceStatus.draft
            other.add(service)
            other.commit()
    finally:
        elsewhere.dispose()
    assert search(client, q="juridique")["total"] == 0


def test_a_point_on_a_qpv_contour_is_inside_and_near_means_300_m(
    engine: Engine, session: Session
) -> None:
    load_real_qpvs(session)
    sanitas = session.exec(select(Qpv).where(Qpv.code == "QN03709M")).one()
    outline = shape(sanitas.geometry)
    # The easternmost vertex: nothing of the contour lies further east.
    lon, lat = max(
        (
            pt
            for poly in getattr(outline, "geoms", [outline])
            for pt in poly.exterior.coords
        ),
        key=lambda pt: pt[0],
    )
    org = make_organization(session)

    def located(lat_: float, lon_: float, slug: str) -> tuple[Any, Any]:
        place = make_place(session, org, slug, lat=lat_, lon=lon_)
        return place.qpv_code, place.near_qpv_code

    assert located(lat, lon, "on-the-edge") == ("QN03709M", None)
    assert located(*east_of(lat, lon, 296), "296-m-east") == (None, "QN03709M")
    assert located(*east_of(lat, lon, 304), "304-m-east") == (None, None)
