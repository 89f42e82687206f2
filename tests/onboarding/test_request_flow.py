"""From the public request to the first sign-in: a structure asks, the
coordinator of its commune approves, the contact accepts the mailed
invitation and lands on the new organisation's dashboard."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    Membership,
    Organization,
    OrganizationRequest,
    RequestStatus,
    Role,
    User,
)
from tests.espace.helpers import Browser
from tests.espace.test_accounts import last_mail, link_in, outbox  # noqa: F401
from tests.onboarding.helpers import VALID, send_request, signed_in_coordinator

TOURS, NANTES = "37261", "44109"


def test_the_form_is_public_sets_no_cookie_and_links_from_every_page(
    client: TestClient,
) -> None:
    page = client.get("/ar/referencer")
    assert page.status_code == 200
    assert "set-cookie" not in page.headers
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.html is not None and soup.html["dir"] == "rtl"
    for name in ("name", "siret", "commune", "contact_name", "contact_email"):
        field = soup.select_one(f"#f-{name}")
        assert field is not None and field.has_attr("required"), name
        assert soup.select_one(f'label[for="f-{name}"]') is not None
    assert soup.select_one("datalist#communes-list option[value=Tours]")
    home = BeautifulSoup(client.get("/fr/").text, "html.parser")
    assert home.select_one('footer a[href="/fr/referencer"]') is not None
    sign_in = client.get("/fr/espace/connexion").text
    assert 'href="/fr/referencer"' in sign_in


def test_a_request_is_approved_and_its_contact_signs_in_as_owner(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    sent = send_request(client)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/fr/referencer/envoye"
    assert "set-cookie" not in sent.headers
    request = session.exec(select(OrganizationRequest)).one()
    assert request.insee_code == TOURS and request.siret == "55210055400013"
    assert request.status == RequestStatus.pending

    tours = signed_in_coordinator(client, session, "coord@tours.fr", [TOURS])
    queue = tours.get("/fr/coordination/structures")
    assert queue.status_code == 200 and VALID["name"] in queue.text
    decided = tours.post(
        f"/fr/coordination/structures/demandes/{request.id}",
        {"decision": "approve", "message": ""},
    )
    assert decided.status_code == 303
    session.expire_all()
    organization = session.exec(select(Organization)).one()
    assert organization.slug == "association-les-fontaines"
    assert organization.siret == "55210055400013"
    assert session.get(OrganizationRequest, request.id).status == "approved"

    to, subject, body = last_mail(outbox)
    assert to == "awa@example.org" and VALID["name"] in subject
    contact = Browser(TestClient(client.app))
    link = link_in(body)
    contact.get(link)
    password = "a long password of mine"
    accepted = contact.post(
        link, {"name": "Awa", "password": password, "password2": password}
    )
    assert accepted.status_code == 303
    board = contact.get(accepted.headers["location"])
    assert board.status_code == 200
    assert "association-les-fontaines" in board.text  # the slug is shown
    user = session.exec(select(User).where(User.email == "awa@example.org")).one()
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id)
    ).one()
    assert membership.role == Role.owner
    assert not user.must_change_password  # they chose their password


def test_a_refusal_is_mailed_with_the_coordinators_message(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    send_request(client, "en")
    request = session.exec(select(OrganizationRequest)).one()
    tours = signed_in_coordinator(client, session, "coord@tours.fr", [TOURS])
    refused = tours.post(
        f"/fr/coordination/structures/demandes/{request.id}",
        {"decision": "reject", "message": "Pas dans un quartier prioritaire."},
    )
    assert refused.status_code == 303
    to, subject, body = last_mail(outbox)
    assert to == "awa@example.org"
    assert "Pas dans un quartier prioritaire." in body
    assert "not accepted" in subject  # in the language of the request
    assert session.exec(select(Organization)).all() == []
    again = tours.post(
        f"/fr/coordination/structures/demandes/{request.id}",
        {"decision": "approve"},
    )
    assert again.status_code == 409  # decided once
    assert session.exec(select(Organization)).all() == []


def test_asking_twice_keeps_one_request(client: TestClient, session: Session) -> None:
    assert send_request(client).status_code == 303
    assert send_request(client).status_code == 303
    assert len(session.exec(select(OrganizationRequest)).all()) == 1


def test_hostile_text_is_kept_as_text_or_refused_by_field(
    client: TestClient, session: Session
) -> None:
    name = "جمعية <script>alert(1)</script>"
    assert send_request(client, name=name).status_code == 303
    tours = signed_in_coordinator(client, session, "coord@tours.fr", [TOURS])
    queue = tours.get("/fr/coordination/structures").text
    assert "<script>alert(1)" not in queue and "&lt;script&gt;" in queue
    refused = send_request(client, name="Asso\x00", contact_name="Awa\x07")
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.select_one("#err-name") is not None
    assert soup.select_one("#err-contact_name") is not None
    assert soup.select_one("#f-contact_email")["value"] == VALID["contact_email"]
    assert len(session.exec(select(OrganizationRequest)).all()) == 1
