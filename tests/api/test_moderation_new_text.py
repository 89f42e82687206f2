"""Under moderation, no public free text reaches the public unreviewed: a new
place's name and address, a place's new address, the first place that brings
an organisation under moderation (API, bulk, form), and machine translations.
Each test failed on main before the fix."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import PendingChange, Role, Translation
from api.services.coordination import moderation
from api.services.listings.revisions import Actor
from api.settings import Settings, get_settings
from tests.api.test_partner import Persona, personas, place_body  # noqa: F401
from tests.api.test_partner_security import (
    expect,
    moderate_territory,
    pending,
    service_body,
)
from tests.espace.helpers import (
    Browser,
    make_coordinator,
    sanitas_organization,
    signed_in,
)
from tests.factories import make_place, make_service
from tests.fake_libretranslate import FakeLibreTranslate

COORDINATOR = Actor("user", "coord")
SANITAS_QPV = "QN03709M"
HOSTILE = "Foyer <script>alert(1)</script> مأوى\u202e"


@pytest.fixture
def moderated(personas: dict[str, Persona], session: Session) -> Persona:  # noqa: F811
    """Alice, already moderated: her first place lies in a moderated QPV."""
    alice = personas["alice"]
    place = expect(alice.post("/places", json=place_body(name="Approuvé")), 201)
    moderate_territory(session, place["id"])
    return alice


def public_place(client: TestClient, place_id: str) -> dict[str, Any]:
    return expect(client.get(f"/api/v1/places/{place_id}"), 200)  # type: ignore[no-any-return]


def changes_of(session: Session, row_id: str) -> list[PendingChange]:
    session.expire_all()
    return list(
        session.exec(
            select(PendingChange).where(
                PendingChange.entity_id == uuid.UUID(row_id),
                PendingChange.status == "pending",
            )
        ).all()
    )


def test_a_new_places_name_and_address_wait_for_review(
    moderated: Persona, client: TestClient, session: Session
) -> None:
    body = place_body(name=HOSTILE, address="12 rue Inventée")
    made = expect(moderated.post("/places", json=body), 201)
    shown = public_place(client, made["id"])
    assert shown["name"] == "Centre social Alice"  # its organisation's name
    assert shown["address"] is None
    assert HOSTILE not in client.get(f"/fr/lieux/{made['id']}").text
    assert HOSTILE not in client.get("/api/v1/places").text
    [change] = changes_of(session, made["id"])
    assert change.values["name"] == HOSTILE

    moderation.approve(session, pending(session, str(change.id)), COORDINATOR)
    shown = public_place(client, made["id"])
    assert (shown["name"], shown["address"]) == (HOSTILE, "12 rue Inventée")
    assert "<script>alert" not in client.get(f"/fr/lieux/{made['id']}").text


def test_a_places_new_address_waits_but_its_hours_do_not(
    moderated: Persona, client: TestClient, session: Session
) -> None:
    place_id = moderated.get("/places").json()[0]["id"]
    body = place_body(
        name="Approuvé", address="1 rue Nouvelle", opening_hours="Mo 09:00-12:00"
    )
    answer = moderated.put(
        f"/places/{place_id}", json=body, headers={"If-Match": '"1"'}
    )
    assert answer.status_code == 202, answer.text
    shown = public_place(client, place_id)
    assert shown["address"] is None and shown["opening_hours"] == "Mo 09:00-12:00"
    [change] = changes_of(session, place_id)
    moderation.approve(session, change, COORDINATOR)
    assert public_place(client, place_id)["address"] == "1 rue Nouvelle"


def test_the_first_place_in_a_moderated_territory_is_already_moderated(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    session: Session,
) -> None:
    make_coordinator(session, "coord@example.org", [SANITAS_QPV], moderation=True)
    alice = personas["alice"]
    made = expect(alice.post("/places", json=place_body(name="Jamais relu")), 201)
    assert public_place(client, made["id"])["name"] == "Centre social Alice"
    assert len(changes_of(session, made["id"])) == 1


def test_bulk_new_places_wait_and_bring_their_services_under_moderation(
    personas: dict[str, Persona],  # noqa: F811
    client: TestClient,
    session: Session,
) -> None:
    """One upload: the organisation's first place, in a moderated QPV, and a
    published service. Sent twice: one request each, nothing public."""
    make_coordinator(session, "coord@example.org", [SANITAS_QPV], moderation=True)
    alice = personas["alice"]
    body = {
        "places": [place_body(source_id="P-1", name="Jamais relu", address="2 rue X")],
        "services": [service_body(source_id="S-1", name="Jamais relu")],
    }
    first = expect(alice.post("/bulk", json=body), 200)
    again = expect(alice.post("/bulk", json=body), 200)
    assert again["ids"] == first["ids"]
    assert again["counts"]["place"] == {"unchanged": 1}
    place_id = str(first["ids"]["places"]["P-1"])
    service_id = str(first["ids"]["services"]["S-1"])
    shown = public_place(client, place_id)
    assert (shown["name"], shown["address"]) == ("Centre social Alice", None)
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    assert [c.action for c in changes_of(session, place_id)] == ["update"]
    assert [c.action for c in changes_of(session, service_id)] == ["publish"]


def test_a_new_place_from_the_form_waits_too(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    org = sanitas_organization(session)
    make_coordinator(session, "coord@example.org", [SANITAS_QPV], moderation=True)
    editor = signed_in(client, session, "ed@example.org", org, Role.editor)
    form = {
        "name": HOSTILE,
        "address": "3 rue du Formulaire",
        "postal_code": "37000",
        "commune": "Tours",
        "insee_code": "37261",
        "lat": "47.38165",
        "lon": "0.69977",
        "wheelchair": "unknown",
    }
    made = editor.post(f"/fr/espace/structures/{org.id}/lieux/nouveau", form)
    assert made.status_code == 303, made.text
    listed = client.get("/api/v1/places").json()["items"]
    assert [(p["name"], p["address"]) for p in listed] == [(org.name, None)]
    place_id = str(listed[0]["id"])
    [change] = changes_of(session, place_id)

    # Approved, its author is told by mail, with a link to the place.
    moderation.approve(session, change, COORDINATOR)
    outbox = tmp_path / "outbox"
    settings = Settings(smtp_host="", outbox_dir=outbox)
    moderation.tell_author(session, change, settings, "fr")
    [sent] = outbox.glob("*.eml")
    mail = message_from_bytes(sent.read_bytes(), policy=default)
    assert mail["To"] == "ed@example.org"
    assert f"/fr/lieux/{place_id}" in mail.get_content()


@pytest.fixture
def libretranslate(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as fake:
        monkeypatch.setenv("REPERES_TRANSLATE_URL", fake.url)
        get_settings.cache_clear()
        yield fake
    get_settings.cache_clear()


def test_machine_translation_waits_for_review_under_moderation(
    client: TestClient, session: Session, libretranslate: FakeLibreTranslate
) -> None:
    org = sanitas_organization(session)
    editor = signed_in(client, session, "ed@example.org", org, Role.editor)
    make_place(session, org, "maison", lat=47.38165, lon=0.69977)
    service = make_service(session, org, "epicerie", name="Épicerie")
    draft = make_service(session, org, "brouillon", name="Brouillon", status="draft")
    session.commit()
    make_coordinator(session, "coord@example.org", [SANITAS_QPV], moderation=True)
    base = f"/fr/espace/structures/{org.id}/services"

    filled = editor.post(f"{base}/{service.id}/traductions/automatique?langue=ar")
    assert filled.status_code == 303, filled.text
    assert filled.headers["location"].endswith("fait=en-attente")  # not "saved"
    assert libretranslate.requests, "the translator was asked"
    session.expire_all()
    assert session.exec(select(Translation)).all() == []
    assert "[ar] Épicerie" not in client.get(f"/ar/services/{service.id}").text
    [change] = changes_of(session, str(service.id))
    assert change.values["text"] == "[ar] Épicerie"
    assert change.values["status"] == "machine"
    coordinator = Browser(TestClient(client.app)).must_sign_in("coord@example.org")
    queue = coordinator.get("/fr/espace/revue")
    assert queue.status_code == 200 and "[ar] Épicerie" in queue.text

    moderation.approve(session, change, COORDINATOR)
    public = client.get(f"/ar/services/{service.id}").text
    assert "[ar] Épicerie" in public and 'class="machine-label"' in public

    # A draft is not public: its machine text is stored at once, unreviewed.
    again = editor.post(f"{base}/{draft.id}/traductions/automatique?langue=ar")
    assert again.status_code == 303, again.text
    assert again.headers["location"].endswith("fait=enregistre")
    session.expire_all()
    row = session.exec(
        select(Translation).where(Translation.entity_id == draft.id)
    ).one()
    assert row.status == "machine" and changes_of(session, str(draft.id)) == []


def test_a_coordinator_reviewing_the_organisation_is_not_held(
    client: TestClient, session: Session
) -> None:
    org = sanitas_organization(session)
    make_place(session, org, "maison", lat=47.38165, lon=0.69977)
    session.commit()
    make_coordinator(session, "coord@example.org", [SANITAS_QPV], moderation=True)
    coordinator = Browser(client).must_sign_in("coord@example.org")
    form = {"name": "Annexe relue", "commune": "Tours", "lat": "47.382", "lon": "0.70"}
    made = coordinator.post(f"/fr/espace/structures/{org.id}/lieux/nouveau", form)
    assert made.status_code == 303, made.text
    names = {p["name"] for p in client.get("/api/v1/places").json()["items"]}
    assert "Annexe relue" in names
    assert session.exec(select(PendingChange)).all() == []


def test_a_commune_that_is_not_an_official_name_waits_too(
    moderated: Persona, client: TestClient, session: Session
) -> None:
    """An official commune name (any spelling) is not free text; anything
    else is, and shows the INSEE code's official name meanwhile."""
    body = place_body(name="Approuvé", commune=HOSTILE)
    made = expect(moderated.post("/places", json=body), 201)
    assert public_place(client, made["id"])["commune"] == "Tours"
    bulk = {"places": [place_body(source_id="P-2", commune=HOSTILE)]}
    bulked = expect(moderated.post("/bulk", json=bulk), 200)["ids"]["places"]["P-2"]
    assert public_place(client, bulked)["commune"] == "Tours"
    place_id = moderated.get("/places").json()[0]["id"]
    renamed = moderated.put(
        f"/places/{place_id}",
        json=place_body(name="Approuvé", commune=HOSTILE),
        headers={"If-Match": '"1"'},
    )
    assert renamed.status_code == 202, renamed.text
    assert public_place(client, place_id)["commune"] == "Tours"
    plain = moderated.put(
        f"/places/{place_id}",
        json=place_body(name="Approuvé", commune="tours"),
        headers={"If-Match": '"1"'},
    )
    assert plain.status_code == 200, plain.text
    assert public_place(client, place_id)["commune"] == "tours"
    [change] = changes_of(session, made["id"])
    moderation.approve(session, change, COORDINATOR)
    assert public_place(client, made["id"])["commune"] == HOSTILE
