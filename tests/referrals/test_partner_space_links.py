"""The partner space leads to referrals and « aller vers »: links in its
navigation for every signed-in member, and the dashboard counts the referrals
waiting for an answer (for the organisation's members only)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Role
from tests.espace.test_accounts import outbox  # noqa: F401
from tests.referrals.helpers import (
    answer,
    browser_for,
    coordinator_browser,
    parties,
    send,
)


def _nav(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    nav = soup.select_one("nav.espace-nav")
    assert nav is not None
    return [a["href"] for a in nav.select("a")]


def _waiting(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one(
        "section[aria-labelledby=referrals-title] .referrals-waiting"
    )
    return found.get_text(" ", strip=True) if found else ""


def test_members_reach_referrals_and_outreach_from_the_nav(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    for lang in ("fr", "ar"):
        reader = browser_for(
            client, session, f"reader-{lang}@sanitas.example", p.sender, Role.reader
        )
        links = _nav(reader.get(f"/{lang}/espace/").text)
        assert f"/{lang}/espace/orientations" in links
        assert f"/{lang}/aller-vers/" in links
        for href in (f"/{lang}/espace/orientations", f"/{lang}/aller-vers/"):
            assert reader.get(href).status_code == 200
    signed_out = client.get("/fr/espace/connexion")
    assert "/fr/aller-vers/" not in signed_out.text


def test_the_dashboard_counts_referrals_waiting_for_an_answer(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    dashboard = f"/fr/espace/structures/{p.receiver.id}"
    assert "Aucune orientation reçue" in _waiting(receiver.get(dashboard).text)
    first = send(sender, p)
    send(sender, p, first_name="<script>alert(1)</script>", need="مساعدة")
    assert _waiting(receiver.get(dashboard).text) == (
        "2 orientations reçues attendent une réponse."
    )
    assert answer(receiver, first, "accept").status_code == 303
    assert _waiting(receiver.get(dashboard).text) == (
        "1 orientation reçue attend une réponse."
    )
    # The sender's dashboard counts what it received, not what it sent.
    sender_page = sender.get(f"/fr/espace/structures/{p.sender.id}").text
    assert "Aucune orientation reçue" in _waiting(sender_page)
    ar = receiver.get(f"/ar/espace/structures/{p.receiver.id}").text
    assert "1" in _waiting(ar)


def test_a_coordinator_without_membership_sees_no_referral_count(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    send(sender, p)
    coordinator = coordinator_browser(client, session)
    page = coordinator.get(f"/fr/espace/structures/{p.receiver.id}")
    # Not in the territory (or in it): either way no count is shown.
    assert _waiting(page.text) == ""
