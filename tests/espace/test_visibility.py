"""Listings reserved to professionals: hidden from the public, shown to signed-in
members of any organisation, and such pages are never cached publicly."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Role, Visibility
from tests.espace.helpers import Browser, make_user
from tests.factories import make_organization, make_service

FOOD = "equipement-et-alimentation--alimentation"


def test_professionals_only_listings(client: TestClient, session: Session) -> None:
    org = make_organization(session, "asso")
    other = make_organization(session, "autre")
    hidden = make_service(
        session,
        org,
        "orientation-pro",
        name="Orientation réservée",
        categories=[FOOD],
        visibility=Visibility.professionals,
    )
    session.commit()
    make_user(session, "pro@example.org", other, Role.reader)
    make_user(session, "nobody@example.org")  # an account without organisation

    assert client.get(f"/fr/services/{hidden.id}").status_code == 404
    public = client.get("/fr/services?q=orientation")
    assert public.status_code == 200 and "Orientation réservée" not in public.text
    assert client.get(f"/api/v1/services/{hidden.id}").status_code == 404

    lonely = Browser(TestClient(client.app))
    assert lonely.sign_in("nobody@example.org").status_code == 303
    assert lonely.get(f"/fr/services/{hidden.id}").status_code == 404

    member = Browser(TestClient(client.app))
    assert member.sign_in("pro@example.org").status_code == 303
    page = member.get(f"/fr/services/{hidden.id}")
    assert page.status_code == 200 and "Orientation réservée" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    assert "Orientation réservée" in member.get("/fr/services?q=orientation").text
    assert member.post("/fr/espace/deconnexion").status_code == 303
    assert member.get(f"/fr/services/{hidden.id}").status_code == 404
