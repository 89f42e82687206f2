"""Editing listings in the partner space: forms, schedule builder, conflicts,
soft delete, history and restore, moderation — through the real app."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    Organization,
    PendingChange,
    Permanence,
    Place,
    Revision,
    Role,
    Service,
    utcnow,
)
from tests.espace.helpers import (
    Browser,
    approval,
    make_coordinator,
    make_user,
    sanitas_organization,
    signed_in,
)
from tests.factories import make_organization

SANITAS = {"lat": "47.38165", "lon": "0.69977"}
FOOD = "equipement-et-alimentation--alimentation"


@pytest.fixture
def org(session: Session) -> Organization:
    return sanitas_organization(session)


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


def base(org: Organization) -> str:
    return f"/fr/espace/structures/{org.id}"


def create_place(browser: Browser, org: Organization) -> Place:
    response = browser.post(
        f"{base(org)}/lieux/nouveau",
        {
            "name": "Maison du Sanitas",
            "commune": "Tours",
            "insee_code": "37261",
            "postal_code": "37000",
            "wheelchair": "yes",
            **SANITAS,
        },
    )
    assert response.status_code == 303, response.text
    return response


SERVICE = {
    "name": "Épicerie solidaire",
    "falc_summary": "Des courses à petit prix.",
    "categories": [FOOD],
    "publics": ["tous-publics"],
    "fees": "paid",
    "languages": "fr, ar",
    "phone": "02 47 00 00 00",
    "status": "published",
    "visibility": "public",
}


def only(session: Session, model: type) -> object:
    session.expire_all()
    return session.exec(select(model)).one()


def test_editor_builds_a_listing_that_the_public_sees(
    editor: Browser, session: Session, org: Organization, client: TestClient
) -> None:
    create_place(editor, org)
    place = only(session, Place)
    assert place.qpv_code  # computed from the coordinates
    assert editor.post(f"{base(org)}/services/nouveau", SERVICE).status_code == 303
    service = only(session, Service)
    assert service.languages == ["ar", "fr"] and service.fees == "paid"
    form = editor.get(f"{base(org)}/permanences/nouveau?service={service.id}")
    assert 'name="rule-0-days"' in form.text
    response = editor.post(
        f"{base(org)}/permanences/nouveau",
        {
            "service_id": str(service.id),
            "mode": "in_person",
            "place_id": str(place.id),
            "hours_mode": "builder",
            "rule-0-days": "We",
            "rule-0-start1": "14h",
            "rule-0-end1": "17h",
            "rule-0-frequency": "nth",
            "rule-0-weeks": ["2", "4"],
            "ph-off": "on",
        },
    )
    assert response.status_code == 303, response.text
    permanence = only(session, Permanence)
    assert permanence.opening_hours == "We[2,4] 14:00-17:00; PH off"
    public = client.get(f"/fr/services/{service.id}")
    assert public.status_code == 200
    assert "Épicerie solidaire" in public.text and "mercredi" in public.text
    revision = session.exec(
        select(Revision).where(Revision.entity_id == service.id)
    ).one()
    assert revision.actor_label == "Edith" and revision.actor_type == "user"
    # Editing refills the builder from the stored string.
    edit = editor.get(f"{base(org)}/permanences/{permanence.id}")
    assert re.search(r'name="rule-0-days" value="We"[^>]*checked', edit.text)


def test_bad_input_is_shown_inline_and_kept(
    editor: Browser, session: Session, org: Organization
) -> None:
    response = editor.post(
        f"{base(org)}/services/nouveau",
        {**SERVICE, "categories": [], "phone": "call me", "name": "<b>Aide</b>"},
    )
    assert response.status_code == 400
    assert 'id="err-categories"' in response.text
    assert 'id="err-phone"' in response.text and 'aria-invalid="true"' in response.text
    assert "&lt;b&gt;Aide&lt;/b&gt;" in response.text  # kept, escaped
    assert session.exec(select(Service)).first() is None
    hours = editor.post(
        f"{base(org)}/permanences/nouveau",
        {"mode": "phone", "hours_mode": "raw", "opening_hours": "n'importe quand"},
    )
    assert hours.status_code == 400 and 'id="err-opening_hours"' in hours.text
    english = editor.post(f"/en/espace/structures/{org.id}/lieux/nouveau", {"name": ""})
    assert english.status_code == 400 and 'id="err-name"' in english.text


def test_a_stale_form_never_overwrites_a_newer_edit(
    editor: Browser, session: Session, org: Organization
) -> None:
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only(session, Service)
    url = f"{base(org)}/services/{service.id}"
    first = editor.post(url, {**SERVICE, "name": "Premier", "version": "1"})
    assert first.status_code == 303
    second = editor.post(url, {**SERVICE, "name": "Second", "version": "1"})
    assert second.status_code == 409
    assert "Quelqu&#39;un a modifié cette fiche" in second.text
    assert 'value="Second"' in second.text  # the typed text is not lost
    assert only(session, Service).name == "Premier"
    # An invalid form keeps the version that was read: fixing it later cannot
    # overwrite an edit made in between.
    invalid = editor.post(url, {**SERVICE, "phone": "?", "version": "2"})
    assert invalid.status_code == 400 and 'name="version" value="2"' in invalid.text


def test_delete_undo_history_and_restore(
    editor: Browser, session: Session, org: Organization, client: TestClient
) -> None:
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only(session, Service)
    url = f"{base(org)}/services/{service.id}"
    editor.post(url, {**SERVICE, "name": "Épicerie du quartier", "version": "1"})
    history = editor.get(f"{url}/historique")
    assert (
        "Épicerie solidaire" in history.text and "Épicerie du quartier" in history.text
    )
    assert editor.post(f"{url}/supprimer", {"version": "2"}).status_code == 303
    assert client.get(f"/fr/services/{service.id}").status_code == 404
    board = editor.get(base(org))
    assert "Fiches supprimées" in board.text
    assert editor.post(f"{url}/restaurer", {"version": "3"}).status_code == 303
    assert client.get(f"/fr/services/{service.id}").status_code == 200
    restored = editor.post(f"{url}/historique/1", {"current": "4"})
    assert restored.status_code == 303
    service = only(session, Service)
    assert service.name == "Épicerie solidaire" and service.version == 5


def test_still_valid_in_one_click(
    editor: Browser, session: Session, org: Organization
) -> None:
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only(session, Service)
    assert service.last_confirmed_at is not None  # created: checked
    service.last_confirmed_at = utcnow() - timedelta(days=300)
    session.add(service)
    session.commit()
    assert "À vérifier" in editor.get(base(org)).text
    assert editor.post(f"{base(org)}/confirmer").status_code == 303
    assert only(session, Service).last_confirmed_at is not None
    assert "À vérifier" not in editor.get(base(org)).text


def test_moderation_holds_changes_until_a_coordinator_approves(
    client: TestClient, session: Session, org: Organization
) -> None:
    make_user(session, "ed@example.org", org, Role.editor)
    editor = Browser(client)
    editor.must_sign_in("ed@example.org")
    create_place(editor, org)
    qpv = only(session, Place).qpv_code
    make_coordinator(session, "coord@example.org", [qpv], moderation=True)
    assert editor.post(f"{base(org)}/services/nouveau", SERVICE).status_code == 303
    service = only(session, Service)
    assert service.status == "pending"
    assert client.get(f"/fr/services/{service.id}").status_code == 404

    coordinator = Browser(TestClient(client.app))
    coordinator.must_sign_in("coord@example.org")
    queue = coordinator.get("/fr/espace/revue")
    assert "Nouvelle fiche à publier" in queue.text
    change = only(session, PendingChange)
    refused = coordinator.post(f"/fr/espace/revue/{change.id}", {"decision": "reject"})
    assert refused.status_code == 409  # a refusal needs a message
    approve = coordinator.post(
        f"/fr/espace/revue/{change.id}", approval(coordinator, change.id)
    )
    assert approve.status_code == 303
    assert client.get(f"/fr/services/{service.id}").status_code == 200

    url = f"{base(org)}/services/{service.id}"
    version = str(only(session, Service).version)
    held = editor.post(url, {**SERVICE, "name": "Nouveau nom", "version": version})
    assert held.status_code == 303 and "en-attente" in held.headers["location"]
    assert "Épicerie solidaire" in client.get(f"/fr/services/{service.id}").text
    queue = coordinator.get("/fr/espace/revue")
    assert "Nouveau nom" in queue.text  # the diff
    pending = session.exec(
        select(PendingChange).where(PendingChange.status == "pending")
    ).one()
    approved = coordinator.post(
        f"/fr/espace/revue/{pending.id}", approval(coordinator, pending.id)
    )
    assert approved.status_code == 303
    assert "Nouveau nom" in client.get(f"/fr/services/{service.id}").text


def test_nobody_edits_another_organisation(
    client: TestClient, session: Session, org: Organization
) -> None:
    other = make_organization(session, "autre")
    session.commit()
    make_user(session, "ed@example.org", org, Role.editor)
    make_user(session, "reader@example.org", org, Role.reader)
    make_user(session, "outsider@example.org", other, Role.owner)
    editor = Browser(client)
    editor.must_sign_in("ed@example.org")
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only(session, Service)
    url = f"{base(org)}/services/{service.id}"
    expected = {
        "reader@example.org": (200, 403),
        "outsider@example.org": (403, 403),
    }
    for email, (read, write) in expected.items():
        browser = Browser(TestClient(client.app))
        browser.must_sign_in(email)
        assert browser.get(url).status_code == read, email
        assert (
            browser.post(url, {**SERVICE, "name": "x", "version": "1"}).status_code
            == write
        )
        assert browser.post(f"{url}/supprimer", {"version": "1"}).status_code == write
        assert (
            browser.post(f"{base(org)}/services/nouveau", SERVICE).status_code == write
        )
        # Their own organisation's URL with our row: not found there.
        assert browser.get(
            f"/fr/espace/structures/{other.id}/services/{service.id}"
        ).status_code in (403, 404)
    assert only(session, Service).name == "Épicerie solidaire"


def test_a_whole_place_can_be_closed(
    editor: Browser, session: Session, org: Organization
) -> None:
    create_place(editor, org)
    place = only(session, Place)
    board = editor.get(base(org))
    new = f"{base(org)}/fermetures/nouveau?lieu={place.id}"
    assert new in board.text
    form = editor.get(new)
    assert re.search(rf'<option value="{place.id}"\s+selected>', form.text)
    saved = editor.post(
        f"{base(org)}/fermetures/nouveau",
        {"place_id": str(place.id), "start": "2030-08-01", "end": "2030-08-15"},
    )
    assert saved.status_code == 303, saved.text
    assert "Fermé du 1 août 2030 au 15 août 2030" in editor.get(base(org)).text


def test_a_stale_organisation_form_never_overwrites(
    editor: Browser, session: Session, org: Organization
) -> None:
    url = f"{base(org)}/modifier"
    assert "Asso du Sanitas" in editor.get(url).text
    version = str(org.version)
    first = editor.post(url, {"name": "Asso Sanitas", "version": version})
    assert first.status_code == 303
    invalid = editor.post(url, {"name": "Asso", "siret": "12", "version": version})
    assert invalid.status_code == 400
    assert f'name="version" value="{version}"' in invalid.text  # the one read
    stale = editor.post(url, {"name": "Autre nom", "version": version})
    assert stale.status_code == 409 and 'value="Autre nom"' in stale.text
    session.expire_all()
    assert session.get(Organization, org.id).name == "Asso Sanitas"
