"""Who sees and acts on a referral: the two organisations only (readers see,
the receiving editors answer); a third organisation, a coordinator of the
territory, a removed member and a signed-out browser see nothing (404, or
the sign-in page)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Membership, Referral, ReferralStatus, Role
from tests.espace.helpers import Browser, make_coordinator
from tests.factories import load_real_qpvs, make_place
from tests.referrals.helpers import (
    FIRST_NAME,
    Parties,
    answer,
    browser_for,
    parties,
    send,
)


def sent(client: TestClient, session: Session) -> tuple[Parties, str]:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    return p, send(sender, p)


def can_see(browser: Browser, referral_id: str) -> bool:
    response = browser.get(f"/fr/espace/orientations/{referral_id}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert FIRST_NAME not in response.text
    return response.status_code == 200


def test_both_organisations_see_it_and_only_the_receivers_editors_answer(
    client: TestClient, session: Session
) -> None:
    p, referral_id = sent(client, session)
    sender_reader = browser_for(
        client, session, "r@sanitas.example", p.sender, Role.reader
    )
    receiver_reader = browser_for(
        client, session, "r@bastie.example", p.receiver, Role.reader
    )
    receiver_owner = browser_for(
        client, session, "o@bastie.example", p.receiver, Role.owner
    )
    for browser in (sender_reader, receiver_reader, receiver_owner):
        page = browser.get(f"/fr/espace/orientations/{referral_id}")
        assert page.status_code == 200 and FIRST_NAME in page.text
    answer_form = f'action="/fr/espace/orientations/{referral_id}/reponse"'
    erase_form = f'action="/fr/espace/orientations/{referral_id}/effacer"'
    sender_page = sender_reader.get(f"/fr/espace/orientations/{referral_id}").text
    assert answer_form not in sender_page and erase_form in sender_page
    reader_page = receiver_reader.get(f"/fr/espace/orientations/{referral_id}").text
    assert answer_form not in reader_page and erase_form not in reader_page
    refused = receiver_reader.post(
        f"/fr/espace/orientations/{referral_id}/effacer", {"version": "1"}
    )
    assert refused.status_code == 403
    for browser in (sender_reader, receiver_reader):
        refused = answer(browser, referral_id, "accept", version="1")
        assert refused.status_code == 403
    sender_editor = Browser(TestClient(client.app))
    sender_editor.must_sign_in("alice@sanitas.example")
    assert answer(sender_editor, referral_id, "accept", version="1").status_code == 403
    assert session.exec(select(Referral.status)).one() == ReferralStatus.sent
    assert answer(receiver_owner, referral_id, "accept").status_code == 303


def test_a_third_organisation_and_a_coordinator_see_nothing(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    p, referral_id = sent(client, session)
    place = make_place(session, p.receiver, "maison", lat=47.38165, lon=0.69977)
    session.commit()
    assert place.qpv_code
    make_coordinator(session, "coord@example.org", [place.qpv_code])
    coordinator = Browser(TestClient(client.app))
    assert coordinator.sign_in("coord@example.org").status_code == 303
    stranger = browser_for(client, session, "eve@autre.example", p.third, Role.owner)
    for browser in (stranger, coordinator):
        assert not can_see(browser, referral_id)
        refused = answer(browser, referral_id, "accept", version="1")
        assert refused.status_code == 404
        for view in ("recues", "envoyees"):
            listed = browser.get(f"/fr/espace/orientations?vue={view}").text
            assert referral_id not in listed and "Écrivain public" not in listed
    assert session.exec(select(Referral.status)).one() == ReferralStatus.sent
    missing = stranger.get(
        "/fr/espace/orientations/00000000-0000-0000-0000-000000000000"
    )
    assert missing.status_code == 404
    assert stranger.get("/fr/espace/orientations/pas-un-id").status_code in (404, 422)


def test_a_removed_member_and_a_signed_out_browser_lose_access(
    client: TestClient, session: Session
) -> None:
    p, referral_id = sent(client, session)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    assert can_see(receiver, referral_id)
    membership = session.exec(
        select(Membership).where(Membership.organization_id == p.receiver.id)
    ).one()
    session.delete(membership)
    session.commit()
    assert not can_see(receiver, referral_id)

    sender = Browser(TestClient(client.app))
    assert sender.sign_in("alice@sanitas.example").status_code == 303
    assert can_see(sender, referral_id)
    sender.get("/fr/espace/orientations")
    assert sender.post("/fr/espace/deconnexion").status_code == 303
    gone = sender.client.get(
        f"/fr/espace/orientations/{referral_id}", follow_redirects=False
    )
    assert gone.status_code == 303 and FIRST_NAME not in gone.text

    anonymous = TestClient(client.app)
    for path in (
        f"/fr/espace/orientations/{referral_id}",
        "/fr/espace/orientations",
        f"/fr/espace/orientations/nouvelle?service={p.service.id}",
    ):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/fr/espace/connexion")
    posted = anonymous.post(
        f"/fr/espace/orientations/{referral_id}/reponse",
        data={"action": "accept", "version": "1"},
        follow_redirects=False,
    )
    assert posted.status_code in (303, 403)
    assert session.exec(select(Referral.status)).one() == ReferralStatus.sent


def test_a_member_cannot_send_in_the_name_of_another_organisation(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    sender.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}")
    from tests.referrals.helpers import referral_form

    forged = sender.post(
        "/fr/espace/orientations/nouvelle",
        referral_form(p, organization_id=str(p.third.id)),
    )
    assert forged.status_code == 403
    assert session.exec(select(Referral)).all() == []
    no_token = sender.client.post(
        "/fr/espace/orientations/nouvelle",
        data=referral_form(p),
        follow_redirects=False,
    )
    assert no_token.status_code == 403
    assert session.exec(select(Referral)).all() == []


def test_the_service_page_offers_to_refer_only_to_signed_in_professionals(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    path = f"/fr/services/{p.service.id}"
    link = f"/fr/espace/orientations/nouvelle?service={p.service.id}"
    public = TestClient(client.app).get(path)
    assert public.status_code == 200 and link not in public.text
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    page = sender.get(path)
    assert link in page.text
    assert "no-store" in page.headers["cache-control"]
    dashboard = sender.get(f"/fr/espace/structures/{p.sender.id}").text
    assert "/fr/espace/orientations?vue=recues" in dashboard
