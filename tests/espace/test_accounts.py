"""Signing in and out, CSRF, password reset and invitations through the outbox."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Membership, Role, User
from api.settings import get_settings
from tests.espace.helpers import PASSWORD, Browser, make_user
from tests.factories import make_organization


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "outbox"
    monkeypatch.setenv("REPERES_OUTBOX_DIR", str(folder))
    monkeypatch.setenv("REPERES_SMTP_HOST", "")
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def last_mail(outbox: Path) -> tuple[str, str, str]:
    path = sorted(outbox.glob("*.eml"))[-1]
    message = message_from_bytes(path.read_bytes(), policy=default)
    return message["To"], str(message["Subject"]), message.get_content()


def link_in(body: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/\S+)", body)
    assert match, body
    return match.group(1)


def test_residents_get_no_cookie(client: TestClient) -> None:
    for path in ("/fr/", "/fr/services", "/fr/a-propos"):
        assert "set-cookie" not in client.get(path).headers


def test_sign_in_out(client: TestClient, session: Session) -> None:
    org = make_organization(session, "asso")
    make_user(session, "alice@example.org", org)
    browser = Browser(client)
    assert client.get("/fr/espace/", follow_redirects=False).headers["location"] == (
        "/fr/espace/connexion?suite=/fr/espace/"
    )
    wrong = browser.sign_in("alice@example.org", "nope nope nope")
    assert wrong.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect" in wrong.text
    assert 'value="alice@example.org"' in wrong.text  # kept on error
    response = browser.sign_in("ALICE@example.org ")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    board = browser.get("/fr/espace/", follow_redirects=True)
    assert board.status_code == 200 and "Org asso" in board.text
    assert "no-store" in board.headers["cache-control"]
    browser.post("/fr/espace/deconnexion")
    assert client.get("/fr/espace/", follow_redirects=False).status_code == 303


def test_forms_need_the_session_token(client: TestClient, session: Session) -> None:
    make_user(session, "alice@example.org")
    response = client.post(
        "/fr/espace/connexion",
        data={"email": "alice@example.org", "password": PASSWORD, "csrf": "forged"},
    )
    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.text


def test_sign_in_is_rate_limited(client: TestClient, session: Session) -> None:
    make_user(session, "slow@example.org")
    browser = Browser(client)
    statuses = [
        browser.sign_in("slow@example.org", "wrong password").status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]  # more in tests/espace/test_throttling.py
    last = browser.sign_in("slow@example.org")
    assert last.status_code == 429 and int(last.headers["retry-after"]) > 0


def test_password_reset_by_mail(
    client: TestClient, session: Session, outbox: Path
) -> None:
    make_user(session, "alice@example.org")
    browser = Browser(client)
    browser.get("/fr/espace/mot-de-passe")
    sent = browser.post("/fr/espace/mot-de-passe", {"email": "alice@example.org"})
    assert sent.status_code == 200
    unknown = browser.post("/fr/espace/mot-de-passe", {"email": "nobody@example.org"})
    assert unknown.text.count("Si un compte existe") == 1  # same answer, no mail
    assert len(list(outbox.glob("*.eml"))) == 1
    to, subject, body = last_mail(outbox)
    assert to == "alice@example.org"
    link = link_in(body)
    page = browser.get(link)
    assert page.status_code == 200
    short = browser.post(link, {"password": "short", "password2": "short"})
    assert short.status_code == 400 and "au moins 10 caractères" in short.text
    done = browser.post(
        link, {"password": "a new long password", "password2": "a new long password"}
    )
    assert done.status_code == 303
    again = browser.get(link)
    assert again.status_code == 400 and "déjà servi" in again.text
    assert Browser(client).sign_in("alice@example.org").status_code == 400
    assert (
        Browser(client).sign_in("alice@example.org", "a new long password").status_code
        == 303
    )


def test_invitation_creates_the_account(
    client: TestClient, session: Session, outbox: Path
) -> None:
    org = make_organization(session, "asso", name="Asso des Fontaines")
    make_user(session, "owner@example.org", org, Role.owner)
    owner = Browser(client)
    owner.must_sign_in("owner@example.org")
    bad = owner.post(
        f"/fr/espace/structures/{org.id}/membres", {"email": "nope", "role": "editor"}
    )
    assert bad.status_code == 400 and "Adresse e-mail invalide" in bad.text
    sent = owner.post(
        f"/fr/espace/structures/{org.id}/membres",
        {"email": "New@Example.org", "role": "editor"},
    )
    assert sent.status_code == 303
    to, subject, body = last_mail(outbox)
    assert to == "new@example.org" and "Asso des Fontaines" in subject
    link = link_in(body)
    guest = Browser(TestClient(client.app))
    page = guest.get(link)
    assert "Asso des Fontaines" in page.text
    accepted = guest.post(
        link,
        {"name": "Nour", "password": "a long password", "password2": "a long password"},
    )
    assert accepted.status_code == 303
    user = session.exec(select(User).where(User.email == "new@example.org")).one()
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id)
    ).one()
    assert membership.role == Role.editor
    assert guest.get(f"/fr/espace/structures/{org.id}").status_code == 200
    tampered = guest.get(link[:-3] + "xyz")
    assert tampered.status_code == 400


def test_members_and_tokens(client: TestClient, session: Session) -> None:
    org = make_organization(session, "asso")
    make_user(session, "owner@example.org", org, Role.owner)
    editor = make_user(session, "ed@example.org", org, Role.editor)
    owner = Browser(client)
    owner.must_sign_in("owner@example.org")
    base = f"/fr/espace/structures/{org.id}"
    assert (
        owner.post(f"{base}/membres/{editor.id}", {"role": "reader"}).status_code == 303
    )
    session.expire_all()
    assert (
        session.exec(select(Membership).where(Membership.user_id == editor.id))
        .one()
        .role
        == Role.reader
    )
    me = session.exec(select(User).where(User.email == "owner@example.org")).one()
    last = owner.post(f"{base}/membres/{me.id}", {"role": "editor"})
    assert last.status_code == 409  # the only owner stays
    empty = owner.post(f"{base}/jetons", {"token-name": ""})
    assert empty.status_code == 400 and "Donnez un nom" in empty.text
    created = owner.post(
        f"{base}/jetons", {"token-name": "sync", "token-scopes": ["read", "write"]}
    )
    secret = re.search(r'value="(rp_[0-9a-f]{8}_[^"]+)"', created.text).group(1)
    assert (
        client.get(
            "/api/v1/partner/places", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    board = owner.get(base)
    assert secret not in board.text
    token_id = re.search(rf"{base}/jetons/([0-9a-f-]+)/revoquer", board.text).group(1)
    assert owner.post(f"{base}/jetons/{token_id}/revoquer").status_code == 303
    assert (
        client.get(
            "/api/v1/partner/places", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 401
    )
