"""A place belongs to its organisation: another one attaches permanences to it
only once the owner has shared it, from the partner API or the place's page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlmodel import Session, select

from api.models import Organization, Permanence, Role
from api.services.listings.revisions import Actor
from api.services.partner.editing import Partner, PartnerError, restore_version
from tests.api.test_partner import Persona, personas, place_body  # noqa: F401
from tests.api.test_partner_security import expect, service_body
from tests.espace.helpers import Browser, make_user


def permanence(service_id: str, place_id: str) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "place_id": place_id,
        "opening_hours": "Mo 09:00-12:00",
    }


def test_a_place_is_shared_only_by_its_owner(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
) -> None:
    alice, bob = personas["alice"], personas["bob"]
    shelter = expect(alice.post("/places", json=place_body(confidential=True)), 201)
    service = expect(bob.post("/services", json=service_body()), 201)
    attach = permanence(service["id"], shelter["id"])

    refused = bob.post("/permanences", json=attach)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "place_id"]
    page = client.get(f"/fr/lieux/{shelter['id']}")
    assert "Écrivain public" not in page.text

    # Bob cannot share Alice's place with himself, nor read its grants.
    grant = {"organization": "bob"}
    assert bob.post(f"/places/{shelter['id']}/grants", json=grant).status_code == 403
    assert bob.get(f"/places/{shelter['id']}/grants").status_code == 403
    assert (
        personas["reader"]
        .post(f"/places/{shelter['id']}/grants", json=grant)
        .status_code
        == 403
    )

    granted = alice.post(f"/places/{shelter['id']}/grants", json=grant)
    assert expect(granted, 201)["organization_slug"] == "bob"
    listed = expect(alice.get(f"/places/{shelter['id']}/grants"), 200)
    assert [g["organization_slug"] for g in listed] == ["bob"]
    made = expect(bob.post("/permanences", json=attach), 201)

    # Revoked: Bob's permanence there ends, and no new one is attached.
    org_id = granted.json()["organization_id"]
    revoked = alice.delete(f"/places/{shelter['id']}/grants/{org_id}")
    assert revoked.status_code == 204
    assert expect(bob.get(f"/permanences/{made['id']}"), 200)["deleted_at"]
    assert bob.post("/permanences", json=attach).status_code == 422
    assert alice.get(f"/places/{shelter['id']}/grants").json() == []
    again = alice.delete(f"/places/{shelter['id']}/grants/{org_id}")
    assert again.status_code == 404


def test_an_unknown_or_own_organisation_is_refused(
    personas: dict[str, Persona],  # noqa: F811
) -> None:
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body()), 201)
    path = f"/places/{place['id']}/grants"
    for who in ("personne", "alice", "bo\x00b", "x" * 101):
        refused = alice.post(path, json={"organization": who})
        assert refused.status_code == 422, who
        assert refused.json()["detail"][0]["loc"] == ["body", "organization"]
    assert alice.get(path).json() == []


def test_the_place_page_shares_and_unshares(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    session: Session,
) -> None:
    place = expect(personas["alice"].post("/places", json=place_body()), 201)
    alice_org = session.exec(
        select(Organization).where(Organization.slug == "alice")
    ).one()
    bob_org = session.exec(select(Organization).where(Organization.slug == "bob")).one()
    make_user(session, "ed@alice.fr", alice_org, Role.editor)
    make_user(session, "ed@bob.fr", bob_org, Role.editor)
    editor = Browser(TestClient(client.app))
    editor.must_sign_in("ed@alice.fr")
    url = f"/fr/espace/structures/{alice_org.id}/lieux/{place['id']}"
    hostile = editor.post(f"{url}/partage", {"organization": "bo\x00b"})
    assert hostile.status_code == 400
    unknown = editor.post(f"{url}/partage", {"organization": "nobody"})
    assert unknown.status_code == 400
    assert str(escape("Aucune structure n'a cette adresse courte.")) in unknown.text
    shared = editor.post(f"{url}/partage", {"organization": "bob"})
    assert shared.status_code == 303, shared.text
    assert "Association Bob" in editor.get(url).text

    # Bob's editor now sees the place in his permanence form.
    bob = Browser(TestClient(client.app))
    bob.must_sign_in("ed@bob.fr")
    form = bob.get(f"/fr/espace/structures/{bob_org.id}/permanences/nouveau")
    assert form.status_code == 200 and "Maison de quartier" in form.text

    # A member of Bob's organisation cannot touch Alice's place's sharing.
    other = bob.post(f"{url}/partage/{bob_org.id}/retirer", {})
    assert other.status_code in (403, 404)
    removed = editor.post(f"{url}/partage/{bob_org.id}/retirer", {})
    assert removed.status_code == 303
    form = bob.get(f"/fr/espace/structures/{bob_org.id}/permanences/nouveau")
    assert "Maison de quartier" not in form.text


def test_revoking_a_grant_ends_that_organisations_permanences_there(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    session: Session,
) -> None:
    """As deleting the place would: Bob's hours leave Alice's place (soft, in
    his deleted listings); nothing brings them back there without a new grant
    (undelete, restore of an earlier version); Alice's own and Bob's elsewhere
    stay."""
    alice, bob = personas["alice"], personas["bob"]
    hall = expect(alice.post("/places", json=place_body(name="France services")), 201)
    own = expect(bob.post("/places", json=place_body(name="Local de Bob")), 201)
    theirs = expect(bob.post("/services", json=service_body(name="Aide CAF")), 201)
    mine = expect(alice.post("/services", json=service_body(name="Accueil")), 201)
    granted = expect(
        alice.post(f"/places/{hall['id']}/grants", json={"organization": "bob"}), 201
    )
    there = expect(
        bob.post("/permanences", json=permanence(theirs["id"], hall["id"])), 201
    )
    elsewhere = expect(
        bob.post("/permanences", json=permanence(theirs["id"], own["id"])), 201
    )
    alices = expect(
        alice.post("/permanences", json=permanence(mine["id"], hall["id"])), 201
    )
    assert "Aide CAF" in client.get(f"/fr/lieux/{hall['id']}").text

    org_id = granted["organization_id"]
    assert alice.delete(f"/places/{hall['id']}/grants/{org_id}").status_code == 204
    assert "Aide CAF" not in client.get(f"/fr/lieux/{hall['id']}").text
    assert "Accueil" in client.get(f"/fr/lieux/{hall['id']}").text
    assert expect(bob.get(f"/permanences/{there['id']}"), 200)["deleted_at"]
    assert expect(bob.get(f"/permanences/{elsewhere['id']}"), 200)["deleted_at"] is None
    assert expect(alice.get(f"/permanences/{alices['id']}"), 200)["deleted_at"] is None
    deleted = {
        p["id"] for p in bob.get("/permanences", params={"deleted": True}).json()
    }
    assert there["id"] in deleted

    path = f"/permanences/{there['id']}"
    etag = {"If-Match": bob.get(path).headers["etag"]}
    undelete = bob.post(f"{path}/restore", headers=etag)
    assert undelete.status_code == 422, undelete.text
    assert undelete.json()["detail"][0]["loc"] == ["body", "place_id"]
    # From the partner space: the same refusal, in words.
    bob_org = session.exec(select(Organization).where(Organization.slug == "bob")).one()
    make_user(session, "ed@bob.fr", bob_org, Role.editor)
    web = Browser(TestClient(client.app)).must_sign_in("ed@bob.fr")
    base = f"/fr/espace/structures/{bob_org.id}/permanences/{there['id']}"
    version = etag["If-Match"].strip('"')
    undo = web.post(f"{base}/restaurer", {"version": version})
    assert undo.status_code == 422, undo.text
    assert str(escape("qui ne vous l'a pas ouvert")) in undo.text
    assert "'loc'" not in undo.text and "&#39;loc&#39;" not in undo.text

    row = session.get(Permanence, uuid.UUID(there["id"]))
    writer = Partner(uuid.UUID(org_id), frozenset({"write"}), Actor("user", "Bob"))
    with pytest.raises(PartnerError) as refused:
        restore_version(session, writer, row, 1, etag["If-Match"])
    assert refused.value.status == 409
    assert expect(bob.get(path), 200)["deleted_at"]

    # Shared again: Bob may bring it back.
    expect(
        alice.post(f"/places/{hall['id']}/grants", json={"organization": "bob"}), 201
    )
    back = bob.post(
        f"{path}/restore", headers={"If-Match": bob.get(path).headers["etag"]}
    )
    assert back.status_code == 200, back.text
    assert "Aide CAF" in client.get(f"/fr/lieux/{hall['id']}").text
