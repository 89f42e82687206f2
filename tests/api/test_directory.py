"""Places, organisations, QPVs and categories."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Wheelchair
from tests.factories import make_organization, make_place
from tests.territory import Territory


def test_places_list_and_detail_show_published_services_only(
    client: TestClient, territory: Territory
) -> None:
    listing = client.get("/api/v1/places", params={"qpv": "QN03709M"}).json()
    assert listing["total"] == 1
    place = listing["items"][0]
    assert place["name"] == "Local Saint-Paul" and place["qpv_code"] == "QN03709M"
    assert [s["name"] for s in place["services"]] == ["Épicerie solidaire"]
    detail = client.get(f"/api/v1/places/{place['id']}").json()
    assert detail["organization"]["name"] == "Épicerie du Sanitas"


def test_confidential_places_hide_address_and_position_everywhere(
    client: TestClient, territory: Territory, session: Session
) -> None:
    org = make_organization(session, "abri", name="Accueil de jour")
    shelter = make_place(
        session,
        org,
        "abri-secret",
        name="Accueil femmes",
        address="3 rue cachée",
        lat=47.3817,
        lon=0.6998,
        confidential=True,
        wheelchair=Wheelchair.no,
    )
    session.commit()
    response = client.get(f"/api/v1/places/{shelter.id}")
    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["address"] is None and detail["lat"] is None and detail["lon"] is None
    assert detail["commune"] == "Tours"
    places = client.get("/api/v1/places", params={"size": 100})
    assert places.status_code == 200 and "Accueil femmes" in places.text
    assert "cachée" not in places.text
    organization = client.get(f"/api/v1/organizations/{org.id}")
    assert organization.status_code == 200 and "Accueil femmes" in organization.text
    assert "cachée" not in organization.text


def test_organizations_are_listed_by_name_and_searchable(
    client: TestClient, territory: Territory
) -> None:
    body = client.get("/api/v1/organizations", params={"q": "sant"}).json()
    assert [o["name"] for o in body["items"]] == ["Centre de santé"]
    assert (
        client.get("/api/v1/organizations", params={"q": "100%"}).json()["total"] == 0
    )
    org = client.get(f"/api/v1/organizations/{body['items'][0]['id']}").json()
    assert [s["name"] for s in org["services"]] == ["Consultation santé sans mutuelle"]


def test_qpvs_with_counts_and_categories(
    client: TestClient, territory: Territory
) -> None:
    qpvs = {q["code"]: q for q in client.get("/api/v1/qpv").json()}
    assert len(qpvs) == 34
    assert qpvs["QN03709M"]["services"] == 1
    sanitas = client.get("/api/v1/qpv/qn03709m").json()
    assert sanitas["name"] == "Sanitas"
    assert sanitas["by_category"] == {"equipement-et-alimentation": 1}
    assert sanitas["geometry"]["type"] == "MultiPolygon"
    assert client.get("/api/v1/qpv/QN00000X").status_code == 404


def test_categories_tree_is_labelled_in_the_requested_language(
    client: TestClient,
) -> None:
    french = client.get("/api/v1/categories").json()
    assert len(french) == 16 and sum(len(c["themes"]) for c in french) == 69
    sante = next(c for c in french if c["code"] == "sante")
    assert sante["label"] == "Santé"
    english = client.get("/api/v1/categories", params={"lang": "en"}).json()
    assert next(c for c in english if c["code"] == "sante")["label"] == "Health"
