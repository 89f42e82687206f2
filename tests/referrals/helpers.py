"""Three organisations and their people, for referral tests: Asso du Sanitas
sends, the Centre social Maryse Bastié receives (it owns the service), a third
organisation and a coordinator are not parties."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Organization, Role, Service
from tests.espace.helpers import Browser, make_coordinator, make_user
from tests.factories import make_organization, make_service

FIRST_NAME = "Zoubida"
CONTACT = "06 12 34 56 78"
NEED = "Aide pour remplir un dossier de logement social"


@dataclass
class Parties:
    sender: Organization
    receiver: Organization
    third: Organization
    service: Service


def parties(session: Session) -> Parties:
    sender = make_organization(session, "asso-sanitas", name="Asso du Sanitas")
    receiver = make_organization(session, "cs-bastie", name="Centre social Bastié")
    third = make_organization(session, "autre-asso", name="Autre asso")
    service = make_service(
        session,
        receiver,
        "ecrivain-public",
        name="Écrivain public",
        categories=[
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
        ],
    )
    session.commit()
    return Parties(sender, receiver, third, service)


def browser_for(
    client: TestClient,
    session: Session,
    email: str,
    organization: Organization | None,
    role: Role = Role.editor,
) -> Browser:
    """A signed-in member, on a client of their own (each keeps its cookie)."""
    make_user(session, email, organization, role)
    browser = Browser(TestClient(client.app))
    assert browser.sign_in(email).status_code == 303
    return browser


def coordinator_browser(client: TestClient, session: Session) -> Browser:
    make_coordinator(session, "coord@example.org", ["QN03701M"])
    browser = Browser(TestClient(client.app))
    assert browser.sign_in("coord@example.org").status_code == 303
    return browser


def referral_form(p: Parties, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organization_id": str(p.sender.id),
        "service_id": str(p.service.id),
        "theme": "difficultes-administratives-ou-juridiques",
        "need": NEED,
        "languages": ["ar", "fr"],
        "urgency": "soon",
        "consent": "on",
        "first_name": FIRST_NAME,
        "contact": CONTACT,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def send(browser: Browser, p: Parties, **changes: Any) -> str:
    """Send a referral through the form; its id."""
    browser.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}")
    response = browser.post(
        "/fr/espace/orientations/nouvelle", referral_form(p, **changes)
    )
    assert response.status_code == 303, response.text
    match = re.search(r"/orientations/([0-9a-f-]{36})", response.headers["location"])
    assert match
    return match.group(1)


def version_of(browser: Browser, referral_id: str) -> str:
    html = browser.get(f"/fr/espace/orientations/{referral_id}").text
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "no answer form on the page"
    return match.group(1)


def answer(browser: Browser, referral_id: str, action: str, **extra: str) -> Any:
    version = extra.pop("version", None) or version_of(browser, referral_id)
    return browser.post(
        f"/fr/espace/orientations/{referral_id}/reponse",
        {"action": action, "version": version, **extra},
    )


def mails(outbox: Path) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=default)
        found.append((message["To"], str(message["Subject"]), message.get_content()))
    return found
