"""The audit log: security events of an organisation, append-only, shown to
its owners and coordinators, translated and paginated, with no IP address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from api.models import AuditEvent, AuditKind, Role
from api.services.accounts import audit
from tests.espace.helpers import Browser, approval, make_coordinator, make_user
from tests.espace.test_accounts import last_mail, link_in, outbox  # noqa: F401
from tests.factories import load_real_qpvs, make_organization, make_place

CLIENT_IP = "203.0.113.99"


def kinds(session: Session) -> list[str]:
    session.expire_all()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.at)).all()  # type: ignore[arg-type]
    return [row.kind for row in rows]


def test_security_events_are_recorded_without_ip_addresses(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    org = make_organization(session, "asso")
    make_user(session, "owner@example.org", org, Role.owner)
    editor = make_user(session, "ed@example.org", org, Role.editor)
    owner = Browser(TestClient(client.app, client=(CLIENT_IP, 40000)))
    assert owner.sign_in("owner@example.org", "wrong password!").status_code == 400
    assert owner.sign_in("owner@example.org").status_code == 303
    base = f"/fr/espace/structures/{org.id}"
    owner.post(f"{base}/membres", {"email": "new@example.org", "role": "reader"})
    link = link_in(last_mail(outbox)[2])
    guest = Browser(TestClient(client.app))
    guest.get(link)
    pw = "a long password"
    assert guest.post(link, {"password": pw, "password2": pw}).status_code == 303
    assert (
        owner.post(f"{base}/membres/{editor.id}", {"role": "reader"}).status_code == 303
    )
    assert (
        owner.post(f"{base}/membres/{editor.id}", {"role": "remove"}).status_code == 303
    )
    created = owner.post(
        f"{base}/jetons", {"token-name": "sync", "token-scopes": ["read"]}
    )
    assert created.status_code == 200
    board = owner.get(base)
    token_id = re.search(rf"{base}/jetons/([0-9a-f-]+)/revoquer", board.text).group(1)
    assert owner.post(f"{base}/jetons/{token_id}/revoquer").status_code == 303
    owner.post(f"{base}/membres", {"email": "late@example.org", "role": "editor"})
    invitation_id = re.search(
        rf"{base}/invitations/([0-9a-f-]+)/annuler", owner.get(base).text
    ).group(1)
    assert owner.post(f"{base}/invitations/{invitation_id}/annuler").status_code == 303
    guest.get("/fr/espace/", follow_redirects=True)
    assert guest.post("/fr/espace/deconnexion-partout").status_code == 303

    assert kinds(session) == [
        AuditKind.sign_in_failed,
        AuditKind.sign_in,
        AuditKind.invitation_sent,
        AuditKind.invitation_accepted,
        AuditKind.role_changed,
        AuditKind.member_removed,
        AuditKind.token_created,
        AuditKind.token_revoked,
        AuditKind.invitation_sent,
        AuditKind.invitation_revoked,
        AuditKind.signed_out_everywhere,
    ]
    # Nothing of the client's address anywhere in the log.
    dump = repr(session.execute(text("SELECT * FROM auditevent")).all())
    assert CLIENT_IP not in dump and "testclient" not in dump

    journal = owner.get(f"{base}/journal")
    assert journal.status_code == 200
    assert (
        "Échec de connexion" in journal.text
        and "Jeton d&#39;API révoqué" in journal.text
    )
    english = owner.get(f"/en/espace/structures/{org.id}/journal")
    assert "Échec de connexion" not in english.text
    assert "Failed sign-in" in english.text


def test_the_log_is_for_owners_and_coordinators(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    org = make_organization(session, "asso")
    place = make_place(session, org, "maison", lat=47.38165, lon=0.69977)
    session.commit()
    assert place.qpv_code
    make_user(session, "owner@example.org", org, Role.owner)
    make_user(session, "ed@example.org", org, Role.editor)
    make_coordinator(session, "coord@example.org", [place.qpv_code])
    make_coordinator(session, "far@example.org", ["QN00000X"])
    url = f"/fr/espace/structures/{org.id}/journal"
    for email, status in (
        ("owner@example.org", 200),
        ("coord@example.org", 200),
        ("ed@example.org", 403),
        ("far@example.org", 403),
    ):
        browser = Browser(TestClient(client.app))
        assert browser.sign_in(email).status_code == 303
        assert browser.get(url).status_code == status, email
    anonymous = TestClient(client.app).get(url, follow_redirects=False)
    assert anonymous.status_code == 303


def test_the_log_is_paginated_and_translated(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso")
    make_user(session, "owner@example.org", org, Role.owner)
    for i in range(audit.PER_PAGE + 5):
        audit.record(session, [org.id], AuditKind.token_created, subject=f"t{i:03}")
    session.commit()
    owner = Browser(client)
    owner.must_sign_in("owner@example.org")
    url = f"/fr/espace/structures/{org.id}/journal"
    first = owner.get(url)
    assert "Page 1 sur 2" in first.text and 'rel="next"' in first.text
    second = owner.get(f"{url}?page=2")
    assert "Page 2 sur 2" in second.text
    # Newest first: page 1 and page 2 share no line.
    lines = lambda html: set(re.findall(r"t\d{3}", html))  # noqa: E731
    assert lines(first.text) & lines(second.text) == set()
    assert len(lines(first.text) | lines(second.text)) == audit.PER_PAGE + 5
    arabic = owner.get(f"/ar/espace/structures/{org.id}/journal")
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.text
    assert "Jeton d&#39;API créé" not in arabic.text
    assert owner.get(f"{url}?page=0").status_code == 422


def test_the_database_refuses_to_rewrite_the_log(
    session: Session,
) -> None:
    org = make_organization(session, "asso")
    audit.record(session, [org.id], AuditKind.sign_in, subject="x")
    session.commit()
    for statement in ("UPDATE auditevent SET subject = 'y'", "DELETE FROM auditevent"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert [e.subject for e in session.exec(select(AuditEvent)).all()] == ["x"]


def test_moderation_decisions_are_recorded(
    client: TestClient, session: Session
) -> None:
    from api.models import PendingChange, Place, Service
    from tests.espace.test_listings import SERVICE, base, create_place

    load_real_qpvs(session)
    org = make_organization(session, "asso")
    session.commit()
    make_user(session, "ed@example.org", org, Role.editor)
    editor = Browser(client)
    editor.must_sign_in("ed@example.org")
    create_place(editor, org)
    qpv = session.exec(select(Place)).one().qpv_code
    make_coordinator(session, "coord@example.org", [qpv], moderation=True)
    assert editor.post(f"{base(org)}/services/nouveau", SERVICE).status_code == 303
    coordinator = Browser(TestClient(client.app))
    coordinator.must_sign_in("coord@example.org")
    change = session.exec(select(PendingChange)).one()
    approved = coordinator.post(
        f"/fr/espace/revue/{change.id}", approval(coordinator, change.id)
    )
    assert approved.status_code == 303
    version = str(session.exec(select(Service)).one().version)
    held = editor.post(
        f"{base(org)}/services/{session.exec(select(Service)).one().id}",
        {**SERVICE, "name": "Autre nom", "version": version},
    )
    assert held.status_code == 303
    pending = session.exec(
        select(PendingChange).where(PendingChange.status == "pending")
    ).one()
    rejected = coordinator.post(
        f"/fr/espace/revue/{pending.id}", {"decision": "reject", "message": "Non"}
    )
    assert rejected.status_code == 303
    decisions = [k for k in kinds(session) if k.startswith("change_")]
    assert decisions == [AuditKind.change_approved, AuditKind.change_rejected]
    rows = session.exec(
        select(AuditEvent).where(AuditEvent.kind == AuditKind.change_approved)
    ).all()
    assert [(r.actor_label, r.subject) for r in rows] == [
        ("coord@example.org", "Épicerie solidaire")
    ]
