"""Coordinators create organisations in their territory and delete or restore
them from the web; never outside their territory."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Invitation, Organization
from tests.espace.helpers import sanitas_organization
from tests.espace.test_accounts import last_mail, outbox  # noqa: F401
from tests.factories import make_organization, make_place, make_service
from tests.onboarding.helpers import signed_in_coordinator

PAGE = "/fr/coordination/structures"


def test_a_coordinator_creates_an_organisation_and_invites_its_owner(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    tours = signed_in_coordinator(client, session, "coord@tours.fr", ["37261"])
    tours.get(PAGE)
    created = tours.post(
        PAGE + "/nouvelle",
        {"name": "Centre social Léo", "commune": "37000", "siret": "",
         "owner_email": "leo@example.org"},
    )  # fmt: skip
    assert created.status_code == 303
    organization = session.exec(select(Organization)).one()
    assert organization.slug == "centre-social-leo"
    invitation = session.exec(select(Invitation)).one()
    assert invitation.email == "leo@example.org" and invitation.role == "owner"
    assert last_mail(outbox)[0] == "leo@example.org"
    page = tours.get(created.headers["location"]).text
    assert "Structure créée" in page and "centre-social-leo" in page  # no place yet
    # Its commune keeps it in the territory: the coordinator can add its places.
    board = tours.get(f"/fr/espace/structures/{organization.id}")
    assert board.status_code == 200
    nantes = signed_in_coordinator(client, session, "coord@nantes.fr", ["44109"])
    assert nantes.get(f"/fr/espace/structures/{organization.id}").status_code == 403
    assert "centre-social-leo" not in nantes.get(PAGE).text


def test_creating_outside_the_territory_or_with_bad_values_is_refused_inline(
    client: TestClient, session: Session
) -> None:
    tours = signed_in_coordinator(client, session, "coord@tours.fr", ["37261"])
    tours.get(PAGE)
    refused = tours.post(
        PAGE + "/nouvelle",
        {"name": "Asso <b>", "commune": "Nantes", "siret": "", "owner_email": ""},
    )  # fmt: skip
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "html.parser")
    assert "pas sur votre territoire" in soup.select_one("#err-commune").text
    refused = tours.post(
        PAGE + "/nouvelle",
        {"name": "", "commune": "Tours", "siret": "123", "owner_email": "nope"},
    )
    soup = BeautifulSoup(refused.text, "html.parser")
    for name in ("name", "siret", "owner_email"):
        assert soup.select_one(f"#err-{name}") is not None, name
    assert soup.select_one("#f-siret")["value"] == "123"
    assert session.exec(select(Organization)).all() == []


def test_a_coordinator_deletes_and_restores_an_organisation_of_their_territory(
    client: TestClient, session: Session
) -> None:
    organization = sanitas_organization(session)
    make_place(session, organization, "lieu", insee_code="37261")
    service = make_service(session, organization, "aide", name="Aide aux devoirs")
    session.commit()
    public = f"/fr/services/{service.id}"
    assert client.get(public).status_code == 200
    tours = signed_in_coordinator(client, session, "coord@tours.fr", ["37261"])
    tours.get(PAGE)
    deleted = tours.post(f"{PAGE}/{organization.id}/supprimer")
    assert deleted.status_code == 303
    assert client.get(public).status_code == 404
    page = tours.get(PAGE).text
    assert f"{PAGE}/{organization.id}/restaurer" in page
    restored = tours.post(f"{PAGE}/{organization.id}/restaurer")
    assert restored.status_code == 303
    assert "Structure restaurée" in tours.get(restored.headers["location"]).text
    assert client.get(public).status_code == 200


def test_another_territorys_organisation_cannot_be_deleted_nor_restored(
    client: TestClient, session: Session
) -> None:
    nantes = make_organization(session, "nantes", name="Asso de Nantes")
    make_place(session, nantes, "lieu-nantes", commune="Nantes", insee_code="44109")
    session.commit()
    tours = signed_in_coordinator(client, session, "coord@tours.fr", ["37261"])
    assert "Asso de Nantes" not in tours.get(PAGE).text
    for action in ("supprimer", "restaurer"):
        assert tours.post(f"{PAGE}/{nantes.id}/{action}").status_code == 403
    session.expire_all()
    assert session.get(Organization, nantes.id).deleted_at is None
    missing = "00000000-0000-0000-0000-000000000000"
    assert tours.post(f"{PAGE}/{missing}/supprimer").status_code == 404
