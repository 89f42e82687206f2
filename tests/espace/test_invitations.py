"""Invitations are stored: single use, revocable from the members list, for
the invited address only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Invitation, Membership, Organization, Role, User, utcnow
from tests.espace.helpers import Browser, make_user
from tests.espace.test_accounts import last_mail, link_in, outbox  # noqa: F401
from tests.factories import make_organization

NEW = {"name": "Nour", "password": "a long password", "password2": "a long password"}


def setup_owner(client: TestClient, session: Session) -> tuple[Organization, Browser]:
    org = make_organization(session, "asso", name="Asso des Fontaines")
    make_user(session, "owner@example.org", org, Role.owner)
    owner = Browser(client)
    assert owner.sign_in("owner@example.org").status_code == 303
    return org, owner


def invite(owner: Browser, org: Organization, box: Path, email: str) -> str:
    sent = owner.post(
        f"/fr/espace/structures/{org.id}/membres", {"email": email, "role": "editor"}
    )
    assert sent.status_code == 303, sent.text
    to, _subject, body = last_mail(box)
    assert to == email
    return link_in(body)


def memberships(session: Session, email: str) -> list[Membership]:
    session.expire_all()
    return list(
        session.exec(select(Membership).join(User).where(User.email == email)).all()
    )


def test_a_removed_member_cannot_rejoin_with_the_old_link(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    link = invite(owner, org, outbox, "new@example.org")
    assert "new@example.org" in owner.get(f"/fr/espace/structures/{org.id}").text
    guest = Browser(TestClient(client.app))
    guest.get(link)
    assert guest.post(link, NEW).status_code == 303
    (membership,) = memberships(session, "new@example.org")
    removed = owner.post(
        f"/fr/espace/structures/{org.id}/membres/{membership.user_id}",
        {"role": "remove"},
    )
    assert removed.status_code == 303
    again = Browser(TestClient(client.app))
    page = again.get(link)
    assert page.status_code == 400 and "Cette invitation a déjà servi" in page.text
    replay = again.post(link, NEW)
    assert replay.status_code in (400, 403)
    assert memberships(session, "new@example.org") == []


def test_an_invitation_is_revoked_from_the_members_list(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    link = invite(owner, org, outbox, "new@example.org")
    board = owner.get(f"/fr/espace/structures/{org.id}")
    assert "Invitations en attente" in board.text
    invitation = session.exec(select(Invitation)).one()
    action = f"/fr/espace/structures/{org.id}/invitations/{invitation.id}/annuler"
    assert action in board.text
    assert owner.post(action).status_code == 303
    assert (
        "Invitations en attente"
        not in owner.get(f"/fr/espace/structures/{org.id}").text
    )
    guest = Browser(TestClient(client.app))
    page = guest.get(link)
    assert page.status_code == 400 and "Cette invitation a été annulée" in page.text
    assert guest.post(link, NEW).status_code in (400, 403)
    assert memberships(session, "new@example.org") == []


def test_only_owners_revoke_invitations(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    invite(owner, org, outbox, "new@example.org")
    make_user(session, "ed@example.org", org, Role.editor)
    editor = Browser(TestClient(client.app))
    editor.must_sign_in("ed@example.org")
    invitation = session.exec(select(Invitation)).one()
    action = f"/fr/espace/structures/{org.id}/invitations/{invitation.id}/annuler"
    assert editor.post(action).status_code == 403
    session.expire_all()
    assert session.get(Invitation, invitation.id).revoked_at is None


def test_an_invitation_is_for_the_invited_address_only(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    make_user(session, "bob@example.org")
    make_user(session, "eve@example.org")
    link = invite(owner, org, outbox, "bob@example.org")

    anonymous = Browser(TestClient(client.app))
    page = anonymous.get(link)
    assert "connectez-vous, puis acceptez" in page.text
    assert anonymous.post(link).status_code in (400, 403)
    eve = Browser(TestClient(client.app))
    eve.must_sign_in("eve@example.org")
    eve.get(link)
    refused = eve.post(link)
    assert refused.status_code == 400 and "bob@example.org" in refused.text
    assert memberships(session, "bob@example.org") == []
    assert memberships(session, "eve@example.org") == []

    bob = Browser(TestClient(client.app))
    signin = bob.get(link)
    sign_in_url = f"/fr/espace/connexion?suite={link}"
    assert sign_in_url in signin.text
    bob.get(sign_in_url)
    moved = bob.post(
        "/fr/espace/connexion",
        {
            "email": "bob@example.org",
            "password": "correct horse battery",
            "suite": link,
        },
    )
    assert moved.status_code == 303 and moved.headers["location"] == link
    bob.get(link)
    accepted = bob.post(link)
    assert accepted.status_code == 303
    assert [m.role for m in memberships(session, "bob@example.org")] == [Role.editor]


def test_a_new_invitation_replaces_the_pending_one_and_links_expire(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    first = invite(owner, org, outbox, "new@example.org")
    second = invite(owner, org, outbox, "new@example.org")
    guest = Browser(TestClient(client.app))
    assert guest.get(first).status_code == 400
    invitation = session.exec(
        select(Invitation).where(Invitation.revoked_at.is_(None))  # type: ignore[union-attr]
    ).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.add(invitation)
    session.commit()
    expired = guest.get(second)
    assert expired.status_code == 400 and "expiré" in expired.text
    assert guest.post(second, NEW).status_code in (400, 403)
    assert memberships(session, "new@example.org") == []


def test_the_link_holds_a_secret_that_is_not_stored(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org, owner = setup_owner(client, session)
    link = invite(owner, org, outbox, "new@example.org")
    secret = link.rsplit("/", 1)[1]
    row = session.exec(select(Invitation)).one()
    assert len(secret) >= 40 and secret not in row.token_hash
    assert Browser(TestClient(client.app)).get(link[:-3] + "xyz").status_code == 400
