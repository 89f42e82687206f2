"""Regression tests for bugs once planted on purpose that the suite let
through: each case is checked against its honest twin (the same place made
public, the same moment outside the closure, the same URL before a change), so
a test cannot pass by answering the same thing whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.main import app
from api.models import Permanence
from api.routes.http import now_paris
from api.services.listings.revisions import SYSTEM, save
from tests.factories import make_organization, make_place, make_service
from tests.territory import SANITAS, Territory

PARIS = ZoneInfo("Europe/Paris")
SHELTER = (47.3900, 0.6900)  # about 1 km north-west of the Sanitas grocery
SHELTER_SERVICE = "Accueil de nuit"


def _shelter(session: Session, confidential: bool) -> None:
    org = make_organization(session, "abri", name="Abri de nuit")
    place = make_place(
        session,
        org,
        "abri",
        name="Abri",
        lat=SHELTER[0],
        lon=SHELTER[1],
        confidential=confidential,
    )
    service = make_service(session, org, "accueil-de-nuit", name=SHELTER_SERVICE)
    save(
        session,
        Permanence(
            service_id=service.id, place_id=place.id, opening_hours="Mo-Su 20:00-08:00"
        ),
        SYSTEM,
    )
    session.commit()


def _points(client: TestClient) -> list[tuple[float, float]]:
    response = client.get("/api/v1/services.geojson")
    assert response.status_code == 200, response.text
    return [
        (
            round(f["geometry"]["coordinates"][1], 4),
            round(f["geometry"]["coordinates"][0], 4),
        )
        for f in response.json()["features"]
    ]


@pytest.mark.parametrize("confidential", [True, False])
def test_the_map_has_no_pin_for_a_confidential_place(
    client: TestClient, session: Session, territory: Territory, confidential: bool
) -> None:
    _shelter(session, confidential)
    points = _points(client)
    assert (round(SANITAS[0], 4), round(SANITAS[1], 4)) in points
    assert (SHELTER in points) is not confidential


def _near(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get(
        "/api/v1/services", params={"lat": SHELTER[0], "lon": SHELTER[1], **params}
    )
    assert response.status_code == 200, response.text
    return {item["name"]: item for item in response.json()["items"]}


@pytest.mark.parametrize("confidential", [True, False])
def test_near_me_never_measures_a_distance_to_a_confidential_place(
    client: TestClient, session: Session, territory: Territory, confidential: bool
) -> None:
    _shelter(session, confidential)
    within = _near(client, radius_km=0.5)
    assert (SHELTER_SERVICE in within) is not confidential
    if not confidential:
        assert within[SHELTER_SERVICE]["distance_m"] < 50
    by_distance = _near(client, radius_km=5, sort="distance")
    assert "Épicerie solidaire" in by_distance
    if confidential:
        assert by_distance.get(SHELTER_SERVICE, {}).get("distance_m") is None


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    """The app's "now", set by the test (the Paris wall clock)."""
    moment = [datetime(2026, 12, 15, 10, 0, tzinfo=PARIS)]
    app.dependency_overrides[now_paris] = lambda: moment[0]
    yield moment
    app.dependency_overrides.pop(now_paris, None)


def _health(client: TestClient, **params: Any) -> dict[str, Any] | None:
    response = client.get("/api/v1/services", params={"q": "sante", **params})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return items[0] if items else None


def test_open_now_honours_closures(
    client: TestClient, territory: Territory, clock: list[datetime]
) -> None:
    # The health centre holds Mo-Fr 09:00-12:00 but is closed 14-18 December.
    clock[0] = datetime(2026, 12, 15, 10, 0, tzinfo=PARIS)
    during = _health(client)
    assert during is not None and during["open_now"] is False
    assert _health(client, open_now=True) is None
    detail = client.get(f"/api/v1/services/{territory.health.id}")
    assert detail.status_code == 200 and detail.json()["open_now"] is False
    clock[0] = datetime(2026, 12, 21, 10, 0, tzinfo=PARIS)
    after = _health(client)
    assert after is not None and after["open_now"] is True
    assert _health(client, open_now=True) is not None
    detail = client.get(f"/api/v1/services/{territory.health.id}")
    assert detail.status_code == 200 and detail.json()["open_now"] is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services?q=sante",
        "/api/v1/services.geojson",
        "/api/v1/organizations",
        "SERVICE",
    ],
)
def test_a_public_etag_changes_with_the_content(
    client: TestClient, session: Session, territory: Territory, url: str
) -> None:
    if url == "SERVICE":
        url = f"/api/v1/services/{territory.health.id}"
    before = client.get(url)
    assert before.status_code == 200, before.text
    etag = before.headers["etag"]
    other = client.get("/api/v1/services", params={"q": "epicerie"})
    assert (
        other.headers["etag"]
        != client.get("/api/v1/services", params={"q": "cv"}).headers["etag"]
    )
    territory.health.name = "Consultation santé sans mutuelle (Malakoff)"
    org = make_organization(session, "nouvelle", name="Nouvelle association")
    make_place(session, org, "nouveau-lieu", lat=SANITAS[0] + 0.01, lon=SANITAS[1])
    save(session, territory.health, SYSTEM)
    session.commit()
    after = client.get(url, headers={"if-none-match": etag})
    assert after.status_code == 200, (url, after.status_code)
    assert after.headers["etag"] != etag
