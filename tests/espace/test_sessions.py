"""Sessions end when they should: sign-out, "sign out everywhere", a new
password, removal from the organisation, the absolute lifetime and idle time —
on every copy of the cookie. Visibility of professionals-only listings follows
the database, not the cookie. No cookie before signing in."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Role, SignInSession, User, Visibility, utcnow
from api.settings import get_settings
from tests.espace.helpers import PASSWORD, Browser, make_user
from tests.espace.test_accounts import last_mail, link_in, outbox  # noqa: F401
from tests.factories import make_organization, make_service

COOKIE = "reperes_espace"


def copy_of(client: TestClient) -> TestClient:
    """Another client holding a copy of this one's session cookie (a thief's)."""
    cookie = client.cookies.get(COOKIE)
    assert cookie, "not signed in"
    return TestClient(client.app, cookies={COOKIE: cookie})


def is_signed_in(client: TestClient) -> bool:
    response = client.get("/fr/espace/", follow_redirects=False)
    assert response.status_code in (200, 303, 307), response.status_code
    location = response.headers.get("location", "")
    return response.status_code == 200 or "/connexion" not in location


def signed_in(client: TestClient, email: str) -> Browser:
    browser = Browser(TestClient(client.app))
    assert browser.sign_in(email).status_code == 303
    return browser


def test_signing_out_ends_every_copy_of_the_cookie(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso")
    make_user(session, "alice@example.org", org)
    alice = signed_in(client, "alice@example.org")
    stolen = copy_of(alice.client)
    assert is_signed_in(stolen)
    assert alice.post("/fr/espace/deconnexion").status_code == 303
    assert not is_signed_in(stolen)
    assert session.exec(select(SignInSession)).all() == []


def test_professionals_visibility_is_read_from_the_database(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso")
    hidden = make_service(
        session, org, "reserve", name="Réservé", visibility=Visibility.professionals
    )
    session.commit()
    make_user(session, "owner@example.org", org, Role.owner)
    member = make_user(session, "pro@example.org", org, Role.reader)
    pro = signed_in(client, "pro@example.org")
    stolen = copy_of(pro.client)
    url = f"/api/v1/services/{hidden.id}"
    assert stolen.get(url).status_code == 200
    assert stolen.get(url).headers["cache-control"] == "private, no-store"

    owner = signed_in(client, "owner@example.org")
    removed = owner.post(
        f"/fr/espace/structures/{org.id}/membres/{member.id}", {"role": "remove"}
    )
    assert removed.status_code == 303
    assert pro.client.get(url).status_code == 404
    assert stolen.get(url).status_code == 404
    assert not is_signed_in(pro.client)
    assert "private" not in (
        stolen.get("/api/v1/services").headers.get("cache-control") or ""
    )


def test_a_new_password_ends_the_other_sessions(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    make_user(session, "alice@example.org", make_organization(session, "asso"))
    laptop = signed_in(client, "alice@example.org")
    stolen = copy_of(laptop.client)
    phone = Browser(TestClient(client.app))
    phone.get("/fr/espace/mot-de-passe")
    assert (
        phone.post("/fr/espace/mot-de-passe", {"email": "alice@example.org"})
    ).status_code == 200
    link = link_in(last_mail(outbox)[2])
    phone.get(link)
    new = "another long password"
    done = phone.post(link, {"password": new, "password2": new})
    assert done.status_code == 303
    assert is_signed_in(phone.client)  # the reset signs this browser in
    assert not is_signed_in(laptop.client)
    assert not is_signed_in(stolen)


def test_sign_out_everywhere(client: TestClient, session: Session) -> None:
    make_user(session, "alice@example.org", make_organization(session, "asso"))
    laptop = signed_in(client, "alice@example.org")
    phone = signed_in(client, "alice@example.org")
    board = laptop.get("/fr/espace/", follow_redirects=True)
    assert "Se déconnecter de tous les appareils" in board.text
    done = laptop.post("/fr/espace/deconnexion-partout")
    assert done.status_code == 303
    assert done.headers["location"] == "/fr/espace/connexion?fait=partout"
    assert not is_signed_in(phone.client)
    assert not is_signed_in(laptop.client)
    again = laptop.get(done.headers["location"])
    assert "déconnecté de tous vos appareils" in again.text
    assert signed_in(client, "alice@example.org")  # signing in again works


def test_sessions_have_an_absolute_lifetime_and_an_idle_timeout(
    client: TestClient, session: Session
) -> None:
    make_user(session, "alice@example.org", make_organization(session, "asso"))
    settings = get_settings()
    browser = signed_in(client, "alice@example.org")
    row = session.exec(select(SignInSession)).one()
    assert row.expires_at - row.created_at == timedelta(hours=settings.session_hours)
    # Busy all along, yet past the absolute end: over.
    row.created_at = utcnow() - timedelta(hours=settings.session_hours, minutes=1)
    row.expires_at = utcnow() - timedelta(minutes=1)
    row.last_seen_at = utcnow()
    session.add(row)
    session.commit()
    assert not is_signed_in(browser.client)

    idle = signed_in(client, "alice@example.org")
    row = session.exec(select(SignInSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
    session.add(row)
    session.commit()
    assert not is_signed_in(idle.client)


def test_a_deactivated_account_is_signed_out(
    client: TestClient, session: Session
) -> None:
    make_user(session, "alice@example.org", make_organization(session, "asso"))
    browser = signed_in(client, "alice@example.org")
    user = session.exec(select(User)).one()
    user.is_active = False
    session.add(user)
    session.commit()
    assert not is_signed_in(browser.client)


def test_no_cookie_before_signing_in(client: TestClient, session: Session) -> None:
    make_user(session, "alice@example.org", make_organization(session, "asso"))
    fresh = TestClient(client.app)
    for path in (
        "/fr/espace/connexion",
        "/fr/espace/mot-de-passe",
        "/fr/espace/mot-de-passe/not-a-token",
        "/fr/espace/invitation/not-a-token",
        "/ar/espace/connexion",
    ):
        response = fresh.get(path)
        assert response.status_code in (200, 400), path
        assert "set-cookie" not in response.headers, path
        assert response.status_code == 400 or 'name="csrf"' in response.text
    assert not fresh.cookies
    # The form still works without any cookie; signing in sets the first one.
    page = fresh.get("/fr/espace/connexion")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    response = fresh.post(
        "/fr/espace/connexion",
        data={"csrf": token, "email": "alice@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert COOKIE in response.headers["set-cookie"]


def test_a_form_token_without_session_is_bound_to_its_form(
    client: TestClient, session: Session
) -> None:
    make_user(session, "alice@example.org")
    fresh = TestClient(client.app)
    reset_page = fresh.get("/fr/espace/mot-de-passe")
    token = re.search(r'name="csrf" value="([^"]+)"', reset_page.text).group(1)
    signin = {"csrf": token, "email": "alice@example.org", "password": PASSWORD}
    other_form = fresh.post("/fr/espace/connexion", data=signin)
    assert other_form.status_code == 403 and "Ce formulaire a expiré" in other_form.text
    good = re.search(
        r'name="csrf" value="([^"]+)"', fresh.get("/fr/espace/connexion").text
    ).group(1)
    cross_site = fresh.post(
        "/fr/espace/connexion",
        data={**signin, "csrf": good},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert cross_site.status_code == 403
    assert "set-cookie" not in cross_site.headers
