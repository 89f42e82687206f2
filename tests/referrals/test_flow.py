"""Sending a referral, answering it, and the mails on each step (never with
the person's data in them)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Referral, ReferralEvent, ReferralStatus, Role
from tests.espace.test_accounts import outbox  # noqa: F401
from tests.referrals.helpers import (
    CONTACT,
    FIRST_NAME,
    NEED,
    answer,
    browser_for,
    mails,
    parties,
    send,
)


def test_a_referral_is_sent_accepted_and_closed_with_a_mail_each_time(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    referral_id = send(sender, p)

    page = sender.get(f"/fr/espace/orientations/{referral_id}?fait=envoyee")
    assert "Orientation envoyée" in page.text
    assert FIRST_NAME in page.text and NEED in page.text
    assert 'href="tel:+33612345678"' in page.text
    [(to, subject, body)] = mails(outbox)
    assert to == "bob@bastie.example" and "Écrivain public" in subject

    received = receiver.get("/fr/espace/orientations?vue=recues").text
    assert "Écrivain public" in received and "Asso du Sanitas" in received
    assert FIRST_NAME not in received  # lists show no personal field
    assert answer(receiver, referral_id, "accept").status_code == 303
    assert answer(receiver, referral_id, "close").status_code == 303

    row = session.exec(select(Referral)).one()
    assert row.status == ReferralStatus.closed and row.consent
    steps = session.exec(select(ReferralEvent.status)).all()
    assert sorted(steps) == sorted(["sent", "accepted", "closed"])
    status_mails = mails(outbox)[1:]
    assert [m[0] for m in status_mails] == ["alice@sanitas.example"] * 2
    assert "a accepté" in status_mails[0][2] and "a clôturé" in status_mails[1][2]
    for _to, subject, body in mails(outbox):
        for secret in (FIRST_NAME, CONTACT, NEED, "0612345678"):
            assert secret not in subject and secret not in body
        assert f"/fr/espace/orientations/{referral_id}" in body
    history = sender.get(f"/fr/espace/orientations/{referral_id}").text
    assert "Clôturée" in history and "Acceptée" in history


def test_declining_needs_a_reason_shown_to_the_sender_but_not_mailed(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    referral_id = send(sender, p)

    empty = answer(receiver, referral_id, "decline", reason="  ")
    assert empty.status_code == 400
    assert "Indiquez la raison du refus" in unescape(empty.text)
    assert session.exec(select(Referral.status)).one() == ReferralStatus.sent

    reason = "Complet jusqu’en mars pour Zoubida"
    assert answer(receiver, referral_id, "decline", reason=reason).status_code == 303
    assert reason in sender.get(f"/fr/espace/orientations/{referral_id}").text
    to, _subject, body = mails(outbox)[-1]
    assert to == "alice@sanitas.example" and "a refusé" in body
    assert "Complet" not in body and FIRST_NAME not in body


def test_without_consent_no_first_name_or_contact_is_taken(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    sender.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}")
    from tests.referrals.helpers import referral_form

    refused = sender.post(
        "/fr/espace/orientations/nouvelle", referral_form(p, consent=None)
    )
    assert refused.status_code == 400
    assert "Sans l'accord de la personne" in unescape(refused.text)
    assert f'value="{FIRST_NAME}"' in refused.text  # values kept
    assert session.exec(select(Referral)).all() == []

    referral_id = send(sender, p, consent=None, first_name="", contact="")
    row = session.exec(select(Referral)).one()
    assert str(row.id) == referral_id
    assert not row.consent and row.first_name_secret is row.contact_secret is None
    assert "Non donné" in sender.get(f"/fr/espace/orientations/{referral_id}").text


def test_a_stale_answer_is_refused_and_a_decided_one_cannot_be_repeated(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    referral_id = send(sender, p)
    seen = "1"
    assert answer(receiver, referral_id, "accept", version=seen).status_code == 303
    stale = answer(receiver, referral_id, "close", version=seen)
    assert stale.status_code == 409 and "pendant que vous la" in stale.text
    again = answer(receiver, referral_id, "accept")
    assert again.status_code == 409
    assert session.exec(select(Referral.status)).one() == ReferralStatus.accepted


def test_a_member_with_several_organisations_chooses_the_sending_one(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    from api.models import Membership

    user_id = session.exec(select(Membership.user_id)).first()
    session.add(
        Membership(user_id=user_id, organization_id=p.third.id, role=Role.reader)
    )
    session.commit()
    form = sender.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}").text
    assert 'name="organization_id"' in form and "Autre asso" in form
    send(sender, p, organization_id=str(p.third.id))
    assert session.exec(select(Referral.sender_organization_id)).one() == p.third.id


def test_only_published_services_can_receive_referrals(
    client: TestClient, session: Session
) -> None:
    from tests.factories import make_service

    p = parties(session)
    draft = make_service(session, p.receiver, "brouillon", status="draft")
    session.commit()
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    assert (
        sender.get(f"/fr/espace/orientations/nouvelle?service={draft.id}").status_code
        == 404
    )
    assert (
        sender.get("/fr/espace/orientations/nouvelle?service=nope").status_code == 404
    )
