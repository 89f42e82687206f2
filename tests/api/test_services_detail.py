"""GET /api/v1/services/{id} and /services.geojson."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import TranslationStatus
from tests.factories import make_translation
from tests.territory import Territory


def test_detail_has_permanences_closures_places_and_organisation(
    client: TestClient, territory: Territory
) -> None:
    response = client.get(
        f"/api/v1/services/{territory.health.id}", params={"lang": "en"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["organization"]["name"] == "Centre de santé"
    assert body["fees"] == "paid" and body["appointment_required"] is True
    [permanence] = body["permanences"]
    assert permanence["opening_hours"] == "Mo-Fr 09:00-12:00; PH off"
    assert permanence["place"]["name"] == "Centre Malakoff"
    assert "Monday" in permanence["schedule"]
    assert body["categories"][0]["label"]  # labelled
    assert body["last_confirmed_at"] is None


def test_detail_shows_the_translation_for_lang_and_flags_machine_ones(
    client: TestClient, territory: Territory, session: Session
) -> None:
    make_translation(
        session,
        "service",
        territory.grocery.id,
        "en",
        "Community grocery",
        TranslationStatus.machine,
    )
    session.commit()
    english = client.get(
        f"/api/v1/services/{territory.grocery.id}", params={"lang": "en"}
    )
    assert english.json()["name"] == "Community grocery"
    assert english.json()["translated"] == ["name"]
    assert english.json()["languages_available"] == ["en", "fr"]
    french = client.get(f"/api/v1/services/{territory.grocery.id}")
    assert french.json()["name"] == "Épicerie solidaire"
    assert french.json()["translated"] == []
    assert (
        client.get("/api/v1/services", params={"q": "community"}).json()["total"] == 1
    )


def test_drafts_deleted_and_unknown_services_are_404(
    client: TestClient, territory: Territory
) -> None:
    for service_id in (territory.draft.id, territory.deleted.id, uuid.uuid4()):
        response = client.get(f"/api/v1/services/{service_id}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found"}
    assert client.get("/api/v1/services/not-a-uuid").status_code == 422


def test_geojson_has_one_point_per_public_place_of_each_match(
    client: TestClient, territory: Territory
) -> None:
    response = client.get("/api/v1/services.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    names = sorted(f["properties"]["name"] for f in body["features"])
    # The phone-only workshop has no point; drafts and deleted never appear.
    assert names == ["Consultation santé sans mutuelle", "Épicerie solidaire"]
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 40 < lat < 50 and -5 < lon < 5


def test_geojson_takes_the_same_filters(
    client: TestClient, territory: Territory
) -> None:
    body = client.get("/api/v1/services.geojson", params={"qpv": "QN03709M"}).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Épicerie solidaire"]
    assert client.get("/api/v1/services.geojson", params={"size": 0}).status_code == 422
