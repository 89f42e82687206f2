"""« Cette structure est la vôtre ? »: a claim goes to the organisation's
owners when it has some (they answer from their dashboard), else to the
coordinators of its territory."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Decider, OrganizationRequest, RequestKind, Role
from tests.espace.helpers import Browser, make_user, sanitas_organization
from tests.espace.test_accounts import last_mail, outbox  # noqa: F401
from tests.factories import make_organization, make_place
from tests.onboarding.helpers import send_request, signed_in_coordinator


def claim(session: Session) -> OrganizationRequest:
    session.expire_all()
    return session.exec(select(OrganizationRequest)).one()


def test_the_public_page_links_to_a_prefilled_claim(
    client: TestClient, session: Session
) -> None:
    organization = make_organization(session, "asso", name="Asso du Sanitas")
    session.commit()
    page = BeautifulSoup(
        client.get(f"/fr/structures/{organization.id}").text, "html.parser"
    )
    link = page.select_one(f'a[href="/fr/referencer?structure={organization.id}"]')
    assert link is not None and "la vôtre" in link.text
    form = BeautifulSoup(client.get(link["href"]).text, "html.parser")
    assert form.select_one("#f-name")["value"] == "Asso du Sanitas"
    assert form.select_one('input[name="structure"]')["value"] == str(organization.id)


def test_a_claim_goes_to_the_owners_who_accept_it(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    organization = make_organization(session, "asso", name="Asso du Sanitas")
    other = make_organization(session, "autre", name="Autre asso")
    session.commit()
    make_user(session, "owner@example.org", organization, Role.owner)
    make_user(session, "other@example.org", other, Role.owner)
    make_user(session, "editor@example.org", organization, Role.editor)
    sent = send_request(client, structure=str(organization.id), name="Asso du Sanitas")
    assert sent.status_code == 303
    request = claim(session)
    assert request.kind == RequestKind.claim and request.decider == Decider.owners

    editor = Browser(TestClient(client.app))
    editor.must_sign_in("editor@example.org")
    board = editor.get(f"/fr/espace/structures/{organization.id}").text
    assert "awa@example.org" not in board  # owners only
    action = f"/fr/espace/structures/{organization.id}/demandes/{request.id}"
    assert editor.post(action, {"decision": "accept"}).status_code == 403
    stranger = Browser(TestClient(client.app))
    stranger.must_sign_in("other@example.org")
    assert stranger.post(action, {"decision": "accept"}).status_code == 403
    sideways = f"/fr/espace/structures/{other.id}/demandes/{request.id}"
    assert stranger.post(sideways, {"decision": "accept"}).status_code == 404
    assert claim(session).status == "pending"

    owner = Browser(TestClient(client.app))
    owner.must_sign_in("owner@example.org")
    board = owner.get(f"/fr/espace/structures/{organization.id}").text
    assert "awa@example.org" in board and action in board
    accepted = owner.post(action, {"decision": "accept"})
    assert accepted.status_code == 303
    assert claim(session).status == "approved"
    to, subject, _body = last_mail(outbox)
    assert to == "awa@example.org" and "Asso du Sanitas" in subject
    assert "Demande acceptée" in owner.get(accepted.headers["location"]).text


def test_an_owner_declines_with_a_message(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    organization = make_organization(session, "asso", name="Asso du Sanitas")
    session.commit()
    make_user(session, "owner@example.org", organization, Role.owner)
    send_request(client, "uk", structure=str(organization.id))
    request = claim(session)
    owner = Browser(TestClient(client.app))
    owner.must_sign_in("owner@example.org")
    action = f"/fr/espace/structures/{organization.id}/demandes/{request.id}"
    owner.get(f"/fr/espace/structures/{organization.id}")
    declined = owner.post(action, {"decision": "decline", "message": "Inconnue ici."})
    assert declined.status_code == 303
    to, subject, body = last_mail(outbox)
    assert to == "awa@example.org" and "Inconnue ici." in body
    assert "Repères:" in subject and "не прийнято" in subject  # in Ukrainian
    assert owner.post(action, {"decision": "accept"}).status_code == 409


def test_a_claim_on_an_organisation_without_owners_goes_to_its_coordinator(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    organization = sanitas_organization(session)
    make_place(
        session, organization, "lieu", lat=47.3795, lon=0.6813, insee_code="37261"
    )
    session.commit()
    send_request(client, structure=str(organization.id), commune="Nantes")
    request = claim(session)
    assert request.decider == Decider.coordination
    # Its place is in Tours: the Tours coordinator decides, whatever commune
    # the person typed; the Nantes one decides it too (the commune typed).
    tours = signed_in_coordinator(client, session, "coord@tours.fr", ["37261"])
    page = tours.get("/fr/coordination/structures").text
    assert "Demande de gestion" in page
    approved = tours.post(
        f"/fr/coordination/structures/demandes/{request.id}", {"decision": "approve"}
    )
    assert approved.status_code == 303
    to, _subject, _body = last_mail(outbox)
    assert to == "awa@example.org"
    # No new organisation: the claimed one is the one the person joins.
    session.expire_all()
    assert claim(session).organization_id == organization.id


def test_the_owners_are_told_a_claim_waits(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    organization = make_organization(session, "asso", name="Asso du Sanitas")
    session.commit()
    make_user(session, "owner@example.org", organization, Role.owner)
    make_user(session, "editor@example.org", organization, Role.editor)
    send_request(client, structure=str(organization.id))
    to, subject, body = last_mail(outbox)
    assert to == "owner@example.org" and "gérer" in subject
    assert f"/fr/espace/structures/{organization.id}" in body
    assert len(list(outbox.glob("*.eml"))) == 1
