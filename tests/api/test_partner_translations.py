"""Partner API /partner/translations: CRUD, ETag / If-Match, ownership, scopes,
validation naming the path parameter or body field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, Revision, Service, Translation
from api.services.accounts.auth import issue_token
from tests.factories import make_organization, make_place, make_service

URL = "/api/v1/partner"
ARABIC = "بقالة تضامنية"


class Persona:
    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str) -> Any:
        def call(path: str, **kwargs: Any) -> Any:
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return self.client.request(
                method.upper(), URL + path, headers=headers, **kwargs
            )

        return call


class World:
    def __init__(self, client: TestClient, session: Session) -> None:
        self.alice_org = make_organization(session, "alice", name="Centre Alice")
        self.bob_org = make_organization(session, "bob", name="Association Bob")
        self.service = make_service(
            session,
            self.alice_org,
            "epicerie",
            name="Épicerie solidaire",
            falc_summary="Des courses à petit prix.",
            categories=["equipement-et-alimentation--alimentation"],
            publics=["tous-publics"],
        )
        self.place = make_place(session, self.alice_org, "maison", name="Maison")
        self.bobs = make_service(session, self.bob_org, "bob-service", name="Bob")
        tokens = {
            "alice": issue_token(session, self.alice_org, "sync", ["read", "write"]),
            "reader": issue_token(session, self.alice_org, "lecture", ["read"]),
            "bob": issue_token(session, self.bob_org, "sync", ["read", "write"]),
        }
        session.commit()
        self.alice, self.reader, self.bob = (
            Persona(client, tokens[name].secret) for name in ("alice", "reader", "bob")
        )

    def path(self, field: str = "name", language: str = "ar", kind: str = "") -> str:
        entity = f"service/{self.service.id}" if not kind else kind
        return f"/translations/{entity}/{field}/{language}"


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return World(client, session)


def test_create_read_replace_delete_with_etags(
    world: World, session: Session, client: TestClient
) -> None:
    listing = world.alice.get(
        "/translations",
        params={"entity_type": "service", "entity_id": str(world.service.id)},
    )
    assert listing.status_code == 200, listing.text
    body = listing.json()
    assert body["fields"] == ["name", "falc_summary", "description"]
    assert body["source"]["name"] == "Épicerie solidaire"
    assert "ar" in body["languages"] and "fr" not in body["languages"]
    assert body["translations"] == []

    created = world.alice.put(world.path(), json={"text": ARABIC, "status": "reviewed"})
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"1"'
    assert created.json()["status"] == "reviewed"
    assert created.json()["author"] == "token sync"
    read = world.alice.get(world.path())
    assert read.status_code == 200 and read.headers["etag"] == '"1"'

    assert world.alice.put(world.path(), json={"text": "x"}).status_code == 428
    stale = world.alice.put(
        world.path(), json={"text": "x"}, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    replaced = world.alice.put(
        world.path(),
        json={"text": "بقالة", "author": "Samira"},
        headers={"If-Match": '"1"'},
    )
    assert replaced.status_code == 200 and replaced.headers["etag"] == '"2"'
    assert replaced.json()["status"] == "to_review"  # the default
    assert replaced.json()["author"] == "Samira"
    public = client.get(f"/api/v1/services/{world.service.id}", params={"lang": "ar"})
    assert public.json()["name"] == "بقالة" and public.json()["translated"] == ["name"]

    assert world.alice.delete(world.path()).status_code == 428
    deleted = world.alice.delete(world.path(), headers={"If-Match": '"2"'})
    assert deleted.status_code == 200 and deleted.json()["deleted_at"]
    assert world.alice.get(world.path()).status_code == 404
    assert (
        world.alice.delete(world.path(), headers={"If-Match": '"3"'}).status_code == 404
    )
    public = client.get(f"/api/v1/services/{world.service.id}", params={"lang": "ar"})
    assert public.json()["name"] == "Épicerie solidaire"  # back to French
    gone = world.alice.put(
        world.path(), json={"text": ARABIC}, headers={"If-Match": '"3"'}
    )
    assert gone.status_code == 412  # what was read is gone
    again = world.alice.put(world.path(), json={"text": ARABIC})
    assert again.status_code == 201 and again.headers["etag"] == '"4"'

    row = session.exec(select(Translation)).one()
    revisions = session.exec(select(Revision).where(Revision.entity_id == row.id)).all()
    assert len(revisions) == 4
    assert {r.actor_label for r in revisions} == {"token sync"}


def test_a_french_change_through_the_api_marks_translations_to_review(
    world: World, session: Session
) -> None:
    world.alice.put(world.path(), json={"text": ARABIC, "status": "reviewed"})
    service = world.alice.get(f"/services/{world.service.id}")
    changed = world.alice.patch(
        f"/services/{world.service.id}",
        json={"name": "Épicerie du Sanitas"},
        headers={"If-Match": service.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    listing = world.alice.get(
        "/translations",
        params={
            "entity_type": "service",
            "entity_id": str(world.service.id),
            "language": "ar",
        },
    )
    [translation] = listing.json()["translations"]
    assert translation["status"] == "to_review" and translation["version"] == 2
    assert listing.json()["source"]["name"] == "Épicerie du Sanitas"


def test_places_and_the_organisation_itself(world: World) -> None:
    place = world.alice.put(
        world.path(kind=f"place/{world.place.id}", language="uk"),
        json={"text": "Будинок"},
    )
    assert place.status_code == 201, place.text
    org = world.alice.put(
        world.path("description", "en", f"organization/{world.alice_org.id}"),
        json={"text": "A neighbourhood centre"},
    )
    assert org.status_code == 201, org.text
    theirs = world.alice.put(
        world.path("name", "en", f"organization/{world.bob_org.id}"),
        json={"text": "Bob"},
    )
    assert theirs.status_code == 403


def test_other_organisations_and_read_only_tokens_are_refused(
    world: World, session: Session
) -> None:
    params = {"entity_type": "service", "entity_id": str(world.service.id)}
    assert world.bob.get("/translations", params=params).status_code == 403
    assert world.bob.put(world.path(), json={"text": "x"}).status_code == 403
    assert world.bob.get(world.path()).status_code == 403
    mine = world.path(kind=f"service/{world.bobs.id}")
    assert world.alice.put(mine, json={"text": "x"}).status_code == 403

    assert world.reader.get("/translations", params=params).status_code == 200
    refused = world.reader.put(world.path(), json={"text": "x"})
    assert refused.status_code == 403
    world.alice.put(world.path(), json={"text": ARABIC})
    deleting = world.reader.delete(world.path(), headers={"If-Match": '"1"'})
    assert deleting.status_code == 403
    assert session.exec(select(Translation)).one().deleted_at is None
    missing = world.alice.put(
        f"/translations/service/{world.alice_org.id}/name/ar", json={"text": "x"}
    )
    assert missing.status_code == 404


def test_unknown_fields_languages_and_bad_bodies_are_422_naming_them(
    world: World, session: Session
) -> None:
    def loc(response: Any) -> list[Any]:
        assert response.status_code == 422, response.text
        return [item["loc"] for item in response.json()["detail"]]

    assert loc(world.alice.put(world.path("phone"), json={"text": "x"})) == [
        ["path", "field"]
    ]
    place_summary = world.path("falc_summary", kind=f"place/{world.place.id}")
    assert loc(world.alice.put(place_summary, json={"text": "x"})) == [
        ["path", "field"]
    ]
    assert loc(world.alice.put(world.path(language="fr"), json={"text": "x"})) == [
        ["path", "language"]
    ]
    assert loc(world.alice.put(world.path(language="xx"), json={"text": "x"})) == [
        ["path", "language"]
    ]
    assert loc(
        world.alice.put(world.path(kind=f"shop/{world.service.id}"), json={"text": "x"})
    ) == [["path", "entity_type"]]
    assert loc(world.alice.put(world.path(), json={"text": "x" * 201})) == [
        ["body", "text"]
    ]
    assert loc(world.alice.put(world.path(), json={"text": "  "})) == [["body", "text"]]
    assert loc(
        world.alice.put(world.path(), json={"text": "x", "status": "machine"})
    ) == [["body", "status"]]
    assert loc(
        world.alice.get(
            "/translations",
            params={"entity_type": "service", "entity_id": "nope"},
        )
    ) == [["query", "entity_id"]]
    assert session.exec(select(Translation)).all() == []


def test_description_takes_long_texts(world: World, session: Session) -> None:
    response = world.alice.put(
        world.path("description", "ti"), json={"text": "ሓገዝ " * 2000}
    )
    assert response.status_code == 201, response.text
    service = session.get(Service, world.service.id)
    assert service is not None and service.description is None  # French untouched
    assert isinstance(world.alice_org, Organization)
