"""Moderation holds on every path that writes: translations, undelete, restore
from history, approving an old publish request, the "still valid" confirm,
sending the same change again; and approval applies exactly what the
coordinator saw. Each test failed on main before the fix."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, PendingChange, Role, Service, User
from api.services.accounts.auth import hash_password, issue_token
from api.services.coordination import moderation
from api.services.listings.revisions import Actor
from tests.api.test_partner import Persona, personas, place_body  # noqa: F401
from tests.api.test_partner_security import (
    expect,
    moderate_territory,
    pending,
    service_body,
)
from tests.espace.helpers import PASSWORD, Browser, approval, make_user

COORDINATOR = Actor("user", "coord")
ARABIC = "بقالة تضامنية"


@pytest.fixture
def world(personas: dict[str, Persona], session: Session) -> dict[str, Any]:  # noqa: F811
    """Alice's place in a moderated QPV, and her service published before."""
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body()), 201)
    service = expect(alice.post("/services", json=service_body(name="Validé")), 201)
    moderate_territory(session, place["id"])
    return {"alice": alice, "service": service["id"], "place": place["id"]}


def public_name(client: TestClient, service_id: str, lang: str = "fr") -> str | None:
    response = client.get(f"/api/v1/services/{service_id}", params={"lang": lang})
    return response.json()["name"] if response.status_code == 200 else None


def held_rename(world: dict[str, Any], name: str, version: int = 1) -> str:
    """Alice renames the published service: the id of the change that waits."""
    answer = world["alice"].put(
        f"/services/{world['service']}",
        json=service_body(name=name),
        headers={"If-Match": f'"{version}"'},
    )
    return str(expect(answer, 202)["pending_change"])


def waiting(session: Session, service_id: str) -> list[PendingChange]:
    session.expire_all()
    return list(
        session.exec(
            select(PendingChange).where(
                PendingChange.entity_id == uuid.UUID(service_id),
                PendingChange.status == "pending",
            )
        ).all()
    )


def test_a_translation_waits_for_review_like_the_french(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    path = f"/translations/service/{world['service']}/name/ar"
    held = world["alice"].put(path, json={"text": ARABIC, "status": "reviewed"})
    assert held.status_code == 202, held.text
    assert public_name(client, world["service"], "ar") == "Validé"
    change = pending(session, held.json()["pending_change"])
    moderation.approve(session, change, COORDINATOR)
    assert public_name(client, world["service"], "ar") == ARABIC


def test_approval_applies_only_what_the_coordinator_saw(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    change = pending(session, held_rename(world, "Texte relu"))
    service = session.get(Service, uuid.UUID(sid))
    seen = moderation.review_tag(change, service)
    # Meanwhile the listing changes under the coordinator (an approved edit).
    change.values = {**change.values, "name": "Texte jamais relu"}
    session.add(change)
    session.commit()
    with pytest.raises(moderation.ReviewError):
        moderation.approve(session, pending(session, str(change.id)), COORDINATOR, seen)
    assert public_name(client, sid) == "Validé"


def test_the_review_form_refuses_an_approval_without_what_was_seen(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    change_id = held_rename(world, "Texte relu")
    moderator = session.exec(
        select(User).where(User.email == "coordination@exemple.fr")
    ).one()
    moderator.password_hash = hash_password(PASSWORD)  # to sign in on the web
    session.commit()
    coordinator = Browser(TestClient(client.app))
    coordinator.must_sign_in("coordination@exemple.fr")
    form = approval(coordinator, change_id)
    stale = coordinator.post(
        f"/fr/espace/revue/{change_id}", {**form, "seen": "1-0000000000000000"}
    )
    assert stale.status_code == 409
    assert "relisez-la" in stale.text
    assert public_name(client, sid) == "Validé"
    assert coordinator.post(f"/fr/espace/revue/{change_id}", form).status_code == 303
    assert public_name(client, sid) == "Texte relu"


def test_undeleting_an_approved_deletion_waits_for_review(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    deletion = world["alice"].delete(f"/services/{sid}", headers={"If-Match": '"1"'})
    moderation.approve(
        session, pending(session, expect(deletion, 202)["pending_change"]), COORDINATOR
    )
    assert public_name(client, sid) is None
    back = world["alice"].post(f"/services/{sid}/restore", headers={"If-Match": '"2"'})
    assert back.status_code == 202, back.text
    assert public_name(client, sid) is None
    assert [c.action for c in waiting(session, sid)] == ["publish"]


def test_restoring_history_of_a_withdrawn_service_waits_for_review(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    deletion = world["alice"].delete(f"/services/{sid}", headers={"If-Match": '"1"'})
    moderation.approve(
        session, pending(session, expect(deletion, 202)["pending_change"]), COORDINATOR
    )
    web = _editor(world, client, session)
    restored = web.post(
        f"/fr/espace/structures/{_org(session, sid)}/services/{sid}/historique/1",
        {"current": "2"},
    )
    assert restored.status_code == 303, restored.text
    assert public_name(client, sid) is None
    assert [c.action for c in waiting(session, sid)] == ["publish"]


def test_restoring_the_first_version_of_a_moderated_creation_keeps_it_listed(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    session: Session,
) -> None:
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body()), 201)
    moderate_territory(session, place["id"])
    created = alice.post("/services", json=service_body(status="published"))
    sid = expect(created, 201)["id"]
    moderation.approve(session, waiting(session, sid)[0], COORDINATOR)
    assert public_name(client, sid) == "Écrivain public"
    world = {"alice": alice, "service": sid, "place": place["id"]}
    web = _editor(world, client, session)
    restored = web.post(
        f"/fr/espace/structures/{_org(session, sid)}/services/{sid}/historique/1",
        {"current": "2"},
    )
    assert restored.status_code == 303, restored.text
    assert public_name(client, sid) == "Écrivain public"  # still listed
    session.expire_all()
    service = session.get(Service, uuid.UUID(sid))
    assert service is not None and service.status == "published"


def test_an_old_publish_request_cannot_publish_a_draft(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    alice = world["alice"]
    created = alice.post("/services", json=service_body(status="published"))
    sid = expect(created, 201)["id"]
    (publish,) = waiting(session, sid)
    draft = service_body(status="draft")
    expect(alice.put(f"/services/{sid}", json=draft, headers={"If-Match": '"1"'}), 200)
    with pytest.raises(moderation.ReviewError):
        moderation.approve(session, pending(session, str(publish.id)), COORDINATOR)
    assert public_name(client, sid) is None


def test_still_valid_does_not_void_a_waiting_change(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    change_id = held_rename(world, "Nouveau nom")
    assert expect(world["alice"].post("/confirm", json={}), 200) == {"confirmed": 1}
    moderation.approve(session, pending(session, change_id), COORDINATOR)
    assert public_name(client, sid) == "Nouveau nom"


def test_sending_again_a_change_that_went_stale_makes_a_new_request(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    first_id = held_rename(world, "A")
    other_id = held_rename(world, "B")
    moderation.approve(session, pending(session, other_id), COORDINATOR)
    new_id = held_rename(world, "A", version=2)
    assert new_id != first_id
    moderation.approve(session, pending(session, new_id), COORDINATOR)
    assert public_name(client, sid) == "A"


def test_a_write_only_token_reads_nothing(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    org = session.exec(select(Organization).where(Organization.slug == "alice")).one()
    secret = issue_token(session, org, "push", ["write"]).secret
    session.commit()
    writer = Persona(client, secret)
    sid = world["service"]
    for path in ("/services", f"/services/{sid}", "/places"):
        assert writer.get(path).status_code == 403, path
    listing = writer.get(
        "/translations", params={"entity_type": "service", "entity_id": sid}
    )
    assert listing.status_code == 403


def _org(session: Session, service_id: str) -> uuid.UUID:
    session.expire_all()
    service = session.get(Service, uuid.UUID(service_id))
    assert service is not None
    return service.organization_id


def _editor(world: dict[str, Any], client: TestClient, session: Session) -> Browser:
    """An editor of Alice's organisation signed in to the partner space."""
    org = session.exec(select(Organization).where(Organization.slug == "alice")).one()
    make_user(session, "editrice@exemple.fr", org, Role.editor)
    browser = Browser(TestClient(client.app))
    browser.must_sign_in("editrice@exemple.fr")
    return browser


def test_free_text_of_places_permanences_and_closures_waits_for_review(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    alice, pid, sid = world["alice"], world["place"], world["service"]
    renamed = alice.put(
        f"/places/{pid}",
        json=place_body(name="Nom jamais relu", wheelchair="yes"),
        headers={"If-Match": '"1"'},
    )
    assert renamed.status_code == 202, renamed.text
    place = expect(client.get(f"/api/v1/places/{pid}"), 200)
    assert place["name"] == "Maison de quartier"
    assert place["wheelchair"] == "yes"  # what is not free text applies now
    bulk = {"places": [place_body(source_id="P-9", name="Annexe jamais relue")]}
    expect(alice.post("/bulk", json=bulk), 200)  # a new place's name waits too
    places = client.get("/api/v1/places", params={"size": 100}).text
    assert "jamais relu" not in places

    closure = {
        "service_id": sid,
        "start": "2099-01-01",
        "end": "2099-12-31",
        "reason": "Motif jamais relu",
    }
    made = expect(alice.post("/closures", json=closure), 201)
    assert made["reason"] is None
    permanence = {
        "service_id": sid,
        "place_id": pid,
        "opening_hours": "Mo 09:00-12:00",
        "note": "Note jamais relue",
    }
    expect(alice.post("/permanences", json=permanence), 201)
    page = client.get(f"/api/v1/services/{sid}").text
    assert "jamais relu" not in page
    assert "Note jamais relue" not in client.get(f"/fr/services/{sid}").text

    change = pending(session, renamed.json()["pending_change"])
    moderation.approve(session, change, COORDINATOR)
    assert expect(client.get(f"/api/v1/places/{pid}"), 200)["name"] == (
        "Nom jamais relu"
    )
    for queued in session.exec(
        select(PendingChange).where(PendingChange.status == "pending")
    ).all():
        moderation.approve(session, queued, COORDINATOR)
    assert "Motif jamais relu" in client.get(f"/api/v1/services/{sid}").text
    assert "Note jamais relue" in client.get(f"/api/v1/services/{sid}").text
    assert (
        "Annexe jamais relue" in client.get("/api/v1/places", params={"size": 100}).text
    )


def test_the_organisation_text_waits_for_review(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    org = session.exec(select(Organization).where(Organization.slug == "alice")).one()
    web = _editor(world, client, session)
    sent = web.post(
        f"/fr/espace/structures/{org.id}/modifier",
        {
            "name": "Centre social Alice",
            "description": "Texte jamais relu",
            "phone": "02 47 00 00 00",
            "version": str(org.version),
        },
    )
    assert sent.status_code == 303 and "en-attente" in sent.headers["location"]
    public = expect(client.get(f"/api/v1/organizations/{org.id}"), 200)
    assert public["description"] != "Texte jamais relu"
    assert public["phone"] == "02 47 00 00 00"  # not free text: applies now
    (change,) = session.exec(
        select(PendingChange).where(PendingChange.entity_id == org.id)
    ).all()
    moderation.approve(session, pending(session, str(change.id)), COORDINATOR)
    public = expect(client.get(f"/api/v1/organizations/{org.id}"), 200)
    assert public["description"] == "Texte jamais relu"


def test_a_translation_from_the_form_waits_too(
    world: dict[str, Any], client: TestClient, session: Session
) -> None:
    sid = world["service"]
    web = _editor(world, client, session)
    url = f"/fr/espace/structures/{_org(session, sid)}/services/{sid}/traductions"
    sent = web.post(
        f"{url}?langue=ar",
        {
            "text-name": ARABIC,
            "reviewed-name": "on",
            "version-name": "",
            "version-falc_summary": "",
            "version-description": "",
        },
    )
    assert sent.status_code == 303, sent.text
    assert "en-attente" in sent.headers["location"]
    assert public_name(client, sid, "ar") == "Validé"
    (change,) = waiting(session, sid)
    moderation.approve(session, change, COORDINATOR)
    assert public_name(client, sid, "ar") == ARABIC
