"""Drive the partner space like a browser: sign in, read the form token, post."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from api.models import CoordinatorScope, Membership, Organization, Role, User
from api.services.accounts.auth import hash_password
from tests.factories import load_real_qpvs, make_organization

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def make_user(
    session: Session,
    email: str,
    organization: Organization | None = None,
    role: Role = Role.editor,
    **values: Any,
) -> User:
    user = User(email=email, password_hash=hash_password(PASSWORD), **values)
    session.add(user)
    session.flush()
    if organization is not None:
        session.add(
            Membership(user_id=user.id, organization_id=organization.id, role=role)
        )
    session.commit()
    return user


def make_coordinator(
    session: Session, email: str, qpv_codes: list[str], moderation: bool = False
) -> User:
    user = make_user(session, email)
    session.add(
        CoordinatorScope(
            user_id=user.id,
            name="Tours nord",
            qpv_codes=qpv_codes,
            moderation=moderation,
        )
    )
    session.commit()
    return user


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no form token on the page"
    return match.group(1)


class Browser:
    """A TestClient with the session cookie and the current form token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> Response:
        response = self.client.get(path, **kwargs)
        if 'name="csrf"' in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def post(
        self, path: str, data: dict[str, Any] | None = None, **kw: Any
    ) -> Response:
        if not self.csrf:
            self.get("/fr/espace/connexion")
        return self.client.post(
            path, data={"csrf": self.csrf, **(data or {})}, follow_redirects=False, **kw
        )

    def sign_in(self, email: str, password: str = PASSWORD) -> Response:
        self.get("/fr/espace/connexion")
        response = self.post(
            "/fr/espace/connexion", {"email": email, "password": password}
        )
        if response.status_code == 303:
            self.get("/fr/espace/connexion")  # the new session's token
        return response

    def must_sign_in(self, email: str, password: str = PASSWORD) -> Browser:
        """Sign in and check it worked: the session opens the partner space.
        (A sign-in that silently failed would let a "nothing changed" or "403"
        assertion pass for the wrong reason.)"""
        response = self.sign_in(email, password)
        assert response.status_code == 303, f"{email}: {response.status_code}"
        space = self.client.get("/fr/espace/")
        assert space.status_code == 200, f"{email} is not signed in"
        assert "/connexion" not in str(space.url), f"{email} is not signed in"
        return self


def sanitas_organization(session: Session) -> Organization:
    """An organisation, with the real QPVs loaded (places in the Sanitas)."""
    load_real_qpvs(session)
    organization = make_organization(session, "asso", name="Asso du Sanitas")
    session.commit()
    return organization


def signed_in(
    client: TestClient,
    session: Session,
    email: str,
    organization: Organization | None = None,
    role: Role = Role.editor,
    **values: Any,
) -> Browser:
    """A new user (a member of ``organization``), signed in."""
    make_user(session, email, organization, role, **values)
    return Browser(client).must_sign_in(email)


def approval(coordinator: Browser, change_id: Any) -> dict[str, str]:
    """The approve form of one request, as the review page shows it (with the
    tag of the version the coordinator saw)."""
    html = coordinator.get("/fr/espace/revue").text
    form = html.split(f'action="/fr/espace/revue/{change_id}"', 1)[1]
    seen = re.search(r'name="seen" value="([^"]*)"', form)
    assert seen is not None, "the review form carries what was seen"
    return {"decision": "approve", "seen": seen.group(1)}
