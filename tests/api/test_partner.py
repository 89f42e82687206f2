"""Partner API: tokens, ownership, If-Match, soft delete, validation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Place, Revision, Service
from api.services.accounts.auth import issue_token
from tests.factories import load_real_qpvs, make_organization

SANITAS = {"lat": 47.38165, "lon": 0.69977}
URL = "/api/v1/partner"
CARE = "sante--acces-aux-soins"


class Persona:
    def __init__(self, client: TestClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method: str) -> Any:
        def call(path: str, **kwargs: Any) -> Any:
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return self.client.request(
                method.upper(), URL + path, headers=headers, **kwargs
            )

        return call


@pytest.fixture
def personas(client: TestClient, session: Session) -> dict[str, Persona]:
    load_real_qpvs(session)
    alice_org = make_organization(session, "alice", name="Centre social Alice")
    bob_org = make_organization(session, "bob", name="Association Bob")
    alice = issue_token(session, alice_org, "sync", ["read", "write"]).secret
    reader = issue_token(session, alice_org, "lecture", ["read"]).secret
    bob = issue_token(session, bob_org, "sync", ["read", "write"]).secret
    session.commit()
    return {
        "alice": Persona(client, alice),
        "reader": Persona(client, reader),
        "bob": Persona(client, bob),
        "anonymous": Persona(client, None),
    }


def place_body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Maison de quartier",
        "commune": "Tours",
        "insee_code": "37261",
        "postal_code": "37000",
        **SANITAS,
        **changes,
    }


def test_it_needs_a_valid_token(personas: dict[str, Persona]) -> None:
    assert personas["anonymous"].get("/places").status_code == 401
    wrong = Persona(personas["alice"].client, "rp_00000000_nope")
    response = wrong.get("/places")
    assert (
        response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    )


def test_it_creates_a_place_with_its_qpv_and_a_revision(
    personas: dict[str, Persona], session: Session
) -> None:
    response = personas["alice"].post("/places", json=place_body())
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["etag"] == '"1"'
    place = session.get(Place, uuid.UUID(body["id"]))
    assert place is not None and place.qpv_code == "QN03709M"
    revision = session.exec(
        select(Revision).where(Revision.entity_id == place.id)
    ).one()
    assert revision.actor_type == "token" and revision.actor_label == "token sync"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": 47.3, "lon": None}, None),
        ({"postal_code": "ABC"}, "postal_code"),
        ({"opening_hours": "n'importe quand"}, "opening_hours"),
        ({"wheelchair": "maybe"}, "wheelchair"),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_rejects_bad_payloads_and_changes_nothing(
    personas: dict[str, Persona],
    session: Session,
    changes: dict[str, Any],
    field: str | None,
) -> None:
    response = personas["alice"].post("/places", json=place_body(**changes))
    assert response.status_code == 422
    locs = [error["loc"] for error in response.json()["detail"]]
    assert locs[0][0] == "body"
    if field:
        assert field in locs[0]
    assert session.exec(select(Place)).all() == []


def test_lenient_hours_are_normalised(personas: dict[str, Persona]) -> None:
    place = personas["alice"].post("/places", json=place_body()).json()
    service = (
        personas["alice"]
        .post(
            "/services",
            json={
                "name": "Écrivain public",
                "categories": [
                    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
                ],
            },
        )
        .json()
    )
    response = personas["alice"].post(
        "/permanences",
        json={
            "service_id": service["id"],
            "place_id": place["id"],
            "opening_hours": "lundi et jeudi 9h-12h",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["opening_hours"] == "Mo,Th 09:00-12:00"


def test_updates_need_the_current_version(personas: dict[str, Persona]) -> None:
    alice = personas["alice"]
    created = alice.post("/places", json=place_body()).json()
    path = f"/places/{created['id']}"
    assert alice.put(path, json=place_body(name="A")).status_code == 428
    first = alice.put(path, json=place_body(name="A"), headers={"If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    # A second writer who read version 1 does not overwrite the first one's edit.
    stale = alice.put(path, json=place_body(name="B"), headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert alice.get(path).json()["name"] == "A"


def test_patch_changes_only_what_is_sent(personas: dict[str, Persona]) -> None:
    alice = personas["alice"]
    created = alice.post("/places", json=place_body()).json()
    response = alice.patch(
        f"/places/{created['id']}",
        json={"wheelchair": "yes"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200
    assert (
        response.json()["wheelchair"] == "yes"
        and response.json()["name"] == "Maison de quartier"
    )
    bad = alice.patch(
        f"/places/{created['id']}", json={"lat": 200}, headers={"If-Match": '"2"'}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "lat"


def test_it_checks_ownership(personas: dict[str, Persona]) -> None:
    created = personas["alice"].post("/places", json=place_body()).json()
    path = f"/places/{created['id']}"
    assert personas["bob"].get(path).status_code == 403
    assert (
        personas["bob"]
        .put(path, json=place_body(), headers={"If-Match": "*"})
        .status_code
        == 403
    )
    assert personas["bob"].get("/places").json() == []
    assert (
        personas["alice"]
        .get("/places/00000000-0000-0000-0000-000000000000")
        .status_code
        == 404
    )


def test_a_read_only_token_cannot_write(personas: dict[str, Persona]) -> None:
    assert personas["reader"].get("/places").status_code == 200
    assert personas["reader"].post("/places", json=place_body()).status_code == 403


def test_a_permanence_must_belong_to_one_of_your_services(
    personas: dict[str, Persona],
) -> None:
    theirs = (
        personas["bob"]
        .post(
            "/services",
            json={"name": "Service de Bob", "categories": ["sante--acces-aux-soins"]},
        )
        .json()
    )
    response = personas["alice"].post(
        "/permanences",
        json={
            "service_id": theirs["id"],
            "mode": "phone",
            "opening_hours": "Mo 09:00-12:00",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "service_id"]


def test_delete_is_soft_and_restorable(
    personas: dict[str, Persona], client: TestClient
) -> None:
    alice = personas["alice"]
    service = alice.post(
        "/services",
        json={
            "name": "Permanence numérique",
            "categories": ["numerique--acceder-a-des-services-en-ligne"],
        },
    ).json()
    assert client.get(f"/api/v1/services/{service['id']}").status_code == 200
    deleted = alice.delete(f"/services/{service['id']}", headers={"If-Match": '"1"'})
    assert deleted.status_code == 200 and deleted.json()["deleted_at"]
    assert client.get(f"/api/v1/services/{service['id']}").status_code == 404
    assert alice.get("/services").json() == []
    assert len(alice.get("/services", params={"deleted": True}).json()) == 1
    restored = alice.post(
        f"/services/{service['id']}/restore", headers={"If-Match": '"2"'}
    )
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert client.get(f"/api/v1/services/{service['id']}").status_code == 200


def test_a_source_id_is_unique_per_organisation(personas: dict[str, Persona]) -> None:
    assert (
        personas["alice"].post("/places", json=place_body(source_id="L-1")).status_code
        == 201
    )
    assert (
        personas["alice"].post("/places", json=place_body(source_id="L-1")).status_code
        == 409
    )
    # Another structure may use the same identifier for its own rows.
    assert (
        personas["bob"].post("/places", json=place_body(source_id="L-1")).status_code
        == 201
    )


def test_confirm_marks_listings_as_still_valid(
    personas: dict[str, Persona], session: Session
) -> None:
    alice = personas["alice"]
    service = alice.post(
        "/services",
        json={"name": "Aide aux papiers", "categories": ["sante--acces-aux-soins"]},
    ).json()
    response = alice.post("/confirm", json={})
    assert response.json() == {"confirmed": 1}
    row = session.get(Service, uuid.UUID(service["id"]))
    session.refresh(row)
    assert row is not None and row.last_confirmed_at is not None and row.version == 2
    other = personas["bob"].post("/confirm", json={"service_ids": [service["id"]]})
    assert other.status_code == 422


def test_bulk_upsert_is_idempotent_and_all_or_nothing(
    personas: dict[str, Persona], session: Session
) -> None:
    alice = personas["alice"]
    payload = {
        "places": [place_body(source_id="P-1"), place_body(source_id="P-2", name="B")],
        "services": [
            {
                "source_id": "S-1",
                "name": "Écrivain public",
                "categories": ["sante--acces-aux-soins"],
            }
        ],
    }
    first = alice.post("/bulk", json=payload)
    assert first.status_code == 200, first.text
    assert first.json()["counts"]["place"] == {"created": 2}
    revisions = len(session.exec(select(Revision)).all())
    second = alice.post("/bulk", json=payload).json()
    assert second["counts"]["place"] == {"unchanged": 2}
    assert second["ids"] == first.json()["ids"]
    assert len(session.exec(select(Revision)).all()) == revisions
    broken = {
        "places": [place_body(source_id="P-3"), place_body(source_id="P-4", name="")]
    }
    response = alice.post("/bulk", json=broken)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "places", 1]
    assert session.exec(select(Place).where(Place.source_id == "P-3")).first() is None
    missing_key = alice.post("/bulk", json={"places": [place_body()]})
    assert missing_key.json()["detail"][0]["loc"][-1] == "source_id"
    assert personas["reader"].post("/bulk", json=payload).status_code == 403


def test_the_api_is_rate_limited_per_token(
    personas: dict[str, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.routes import partner as routes

    monkeypatch.setattr(routes, "PER_TOKEN", 3)
    assert [personas["alice"].get("/places").status_code for _ in range(3)] == [200] * 3
    refused = personas["alice"].get("/places")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert personas["bob"].get("/places").status_code == 200  # its own count


def test_bulk_upsert_goes_through_moderation(
    personas: dict[str, Persona], session: Session, client: TestClient
) -> None:
    from api.models import CoordinatorScope, PendingChange, User

    alice = personas["alice"]
    service = {"source_id": "S-1", "name": "Écrivain public", "categories": [CARE]}
    payload = {"places": [place_body(source_id="P-1")], "services": [service]}
    ids = alice.post("/bulk", json=payload).json()["ids"]
    place = session.get(Place, uuid.UUID(ids["places"]["P-1"]))
    coordinator = User(email="coord@example.org")
    session.add(coordinator)
    session.flush()
    session.add(
        CoordinatorScope(
            user_id=coordinator.id,
            name="Sanitas",
            qpv_codes=[place.qpv_code],
            moderation=True,
        )
    )
    session.commit()
    changed = {
        "places": payload["places"],
        "services": [
            {**service, "name": "Écrivain public du Sanitas"},
            {"source_id": "S-2", "name": "Permanence CAF", "categories": [CARE]},
        ],
    }
    for _ in range(2):  # the same payload twice queues each change once
        response = alice.post("/bulk", json=changed)
        assert response.status_code == 200, response.text
    assert len(session.exec(select(PendingChange)).all()) == 2
    public = client.get(f"/api/v1/services/{ids['services']['S-1']}").json()
    assert public["name"] == "Écrivain public"
    new_id = response.json()["ids"]["services"]["S-2"]
    assert client.get(f"/api/v1/services/{new_id}").status_code == 404
    assert session.get(Service, uuid.UUID(new_id)).status == "pending"
