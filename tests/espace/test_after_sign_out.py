"""What survives signing out: nothing. A copy of the cookie and of a form
token taken before `POST /fr/espace/deconnexion` can neither read the space
nor write (a listing, a token, a member, a review), and no row changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.models import ApiToken, Invitation, Revision, Role
from tests.espace.helpers import Browser, signed_in
from tests.espace.test_authorization import FOOD
from tests.factories import make_organization


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_stolen_cookie_and_form_token_do_nothing_after_sign_out(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso")
    session.commit()
    owner = signed_in(client, session, "owner@example.org", org, Role.owner)
    board = f"/fr/espace/structures/{org.id}"
    assert owner.get(board).status_code == 200
    thief = Browser(TestClient(client.app, cookies=dict(client.cookies)))
    thief.csrf = owner.csrf
    assert thief.get(board).status_code == 200  # the copy works while signed in
    thief.csrf = owner.csrf

    assert owner.post("/fr/espace/deconnexion").status_code == 303
    before = [count(session, m) for m in (Revision, ApiToken, Invitation)]
    writes = [
        (f"{board}/services/nouveau", {"name": "Volé", "categories": [FOOD]}),
        (f"{board}/lieux/nouveau", {"name": "Volé", "commune": "Tours"}),
        (f"{board}/jetons", {"token-name": "volé", "token-scopes": ["write"]}),
        (f"{board}/membres", {"email": "thief@example.org", "role": "owner"}),
        (f"{board}/modifier", {"name": "Volée", "version": "1"}),
        (f"{board}/confirmer", {}),
    ]
    for path, form in writes:
        response = thief.client.post(
            path, data={"csrf": thief.csrf, **form}, follow_redirects=False
        )
        assert response.status_code in (303, 403), (path, response.status_code)
        if response.status_code == 303:
            assert "/espace/connexion" in response.headers["location"], path
    assert [count(session, m) for m in (Revision, ApiToken, Invitation)] == before
    page = thief.client.get(board, follow_redirects=False)
    assert page.status_code == 303 and "/connexion" in page.headers["location"]
