"""Freshness: listings by age since their last check, and reminders."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import ReminderSent, Role, utcnow
from tests.coordination.helpers import NANTES, TOURS, build_cities, coordinator
from tests.espace.helpers import make_user
from tests.espace.test_accounts import outbox  # noqa: F401


def _row(html: str, name: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    header = soup.find("th", string=name)
    assert header is not None, f"no row for {name}"
    return [td.get_text(strip=True) for td in header.parent.find_all("td")]


def test_listings_count_as_checked_when_created_and_age_by_bucket(
    client: TestClient, session: Session
) -> None:
    cities = build_cities(session)
    cities.fortnightly.last_confirmed_at = utcnow() - timedelta(days=400)
    session.add(cities.fortnightly)
    session.commit()
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/fraicheur").text
    # [checkbox, < 3, 3–6, 6–12, > 12, last reminder, action]
    row = _row(html, "Épicerie du Sanitas")
    assert row[1:5] == ["1", "0", "0", "1"]
    assert "Centre de santé Malakoff" not in html
    assert "Consultation Malakoff" not in html


def test_a_reminder_is_confirmed_then_sent_and_noted(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    cities = build_cities(session)
    cities.fortnightly.last_confirmed_at = utcnow() - timedelta(days=200)
    session.add(cities.fortnightly)
    session.commit()
    make_user(session, "owner@tours.test", cities.tours_org, Role.owner)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/fraicheur")
    org_id = str(cities.tours_org.id)
    confirm = tours.post("/fr/coordination/fraicheur/relance", {"only": org_id})
    assert confirm.status_code == 200
    assert "Bilan de santé" in confirm.text and "Épicerie solidaire" not in confirm.text
    assert not list(outbox.glob("*.eml"))  # nothing sent before confirming
    sent = tours.post(
        "/fr/coordination/fraicheur/relance",
        {"organization": org_id, "confirm": "1"},
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/fr/coordination/fraicheur?envoye=1"
    (mail,) = outbox.glob("*.eml")
    message = message_from_bytes(mail.read_bytes(), policy=default)
    assert message["To"] == "owner@tours.test"
    assert "Bilan de santé" in message.get_content()
    (noted,) = session.exec(select(ReminderSent)).all()
    assert noted.organization_id == cities.tours_org.id and noted.recipients == 1
    page = tours.get(sent.headers["location"]).text
    assert "Relance envoyée : 1 message." in page


def test_a_coordinator_cannot_remind_another_territory(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    cities = build_cities(session)
    cities.nantes_care.last_confirmed_at = utcnow() - timedelta(days=200)
    session.add(cities.nantes_care)
    session.commit()
    make_user(session, "owner@nantes.test", cities.nantes_org, Role.owner)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/fraicheur")
    response = tours.post(
        "/fr/coordination/fraicheur/relance",
        {"organization": str(cities.nantes_org.id), "confirm": "1"},
    )
    assert response.status_code == 200  # the "nothing to remind" page
    assert "Malakoff" not in response.text
    assert not list(outbox.glob("*.eml"))
    assert session.exec(select(ReminderSent)).all() == []
    nantes = coordinator(client, session, "nantes@example.org", [NANTES])
    assert "Centre de santé Malakoff" in nantes.get("/fr/coordination/fraicheur").text


def test_a_reminder_needs_the_form_token(client: TestClient, session: Session) -> None:
    cities = build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    response = tours.client.post(
        "/fr/coordination/fraicheur/relance",
        data={"only": str(cities.tours_org.id), "csrf": "forged"},
    )
    assert response.status_code == 403
