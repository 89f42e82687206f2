"""A confidential place (a shelter) gives away nothing of where it is: the
public sees its commune and phone only — no postal code, INSEE or QPV code, no
neighbourhood filter, guide or count; and another organisation reaches it only
through its owner's grant. Each case is checked against the same place made
public, so the test tells the two apart."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.test_partner import Persona, personas, place_body  # noqa: F401
from tests.api.test_partner_security import expect, service_body

SANITAS = "QN03709M"


def shelter_world(
    personas: dict[str, Persona],  # noqa: F811
    confidential: bool,
) -> dict[str, str]:
    """Alice's place in Sanitas; Bob's service held there with Alice's grant."""
    alice, bob = personas["alice"], personas["bob"]
    place = expect(
        alice.post("/places", json=place_body(confidential=confidential)), 201
    )
    service = expect(bob.post("/services", json=service_body(name="Écoute")), 201)
    body = {
        "service_id": service["id"],
        "place_id": place["id"],
        "opening_hours": "Mo 09:00-12:00",
    }
    assert bob.post("/permanences", json=body).status_code == 422  # not granted
    grant = alice.post(f"/places/{place['id']}/grants", json={"organization": "bob"})
    assert grant.status_code == 201
    expect(bob.post("/permanences", json=body), 201)
    return {"place": place["id"], "service": service["id"]}


@pytest.mark.parametrize("confidential", [True, False])
def test_a_confidential_place_is_in_no_neighbourhood_publicly(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    confidential: bool,
) -> None:
    ids = shelter_world(personas, confidential)
    shown = not confidential

    place = expect(client.get(f"/api/v1/places/{ids['place']}"), 200)
    assert place["commune"] == "Tours"
    for key, value in {
        "postal_code": "37000",
        "insee_code": "37261",
        "qpv_code": SANITAS,
    }.items():
        assert (place[key] == value) is shown, key
    service = expect(client.get(f"/api/v1/services/{ids['service']}"), 200)
    where = service["permanences"][0]["place"]
    assert (where["postal_code"] == "37000") is shown
    assert (where["qpv_code"] == SANITAS) is shown

    found = expect(client.get("/api/v1/services", params={"qpv": SANITAS}), 200)
    assert (ids["service"] in found_ids(found)) is shown
    places = expect(client.get("/api/v1/places", params={"qpv": SANITAS}), 200)
    assert (ids["place"] in [p["id"] for p in places["items"]]) is shown
    counts = {q["code"]: q["services"] for q in client.get("/api/v1/qpv").json()}
    assert (counts[SANITAS] == 1) is shown
    assert (client.get(f"/api/v1/qpv/{SANITAS}").json()["services"] == 1) is shown
    guide = client.get(f"/fr/qpv/{SANITAS}")
    assert guide.status_code == 200
    assert ("Écoute" in guide.text) is shown
    # Its commune still finds it: the public knows the town anyway.
    by_town = expect(client.get("/api/v1/services", params={"commune": "37261"}), 200)
    assert ids["service"] in found_ids(by_town)

    export = client.get("/exports/data-inclusion/services.json")
    assert export.status_code == 200
    assert ('"37000"' in export.text) is shown
    assert ('"37261"' in export.text) is shown


@pytest.mark.parametrize("confidential", [True, False])
def test_a_search_card_shows_a_confidential_place_by_its_commune_only(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    confidential: bool,
) -> None:
    """Result cards build their places apart from the detail page (a lighter
    load): the same fields stay hidden there."""
    ids = shelter_world(personas, confidential)
    shown = not confidential
    found = expect(client.get("/api/v1/services", params={"commune": "37261"}), 200)
    card = next(item for item in found["items"] if item["id"] == ids["service"])
    place = card["places"][0]
    assert place["id"] == ids["place"]
    assert place["commune"] == card["town"] == "Tours"
    assert place["confidential"] is confidential
    for key in ("postal_code", "insee_code", "qpv_code", "lat", "lon"):
        assert (place[key] is not None) is shown, key
    if confidential:
        assert place["address"] is None and card["address"] is None
    assert card["next_session"]["place_id"] == ids["place"]


def found_ids(page: dict[str, object]) -> list[str]:
    items = page["items"]
    assert isinstance(items, list)
    return [str(item["id"]) for item in items]
