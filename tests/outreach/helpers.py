"""Two territories for the outreach tests: a Tours structure and coordinator,
a Nantes structure and coordinator, signed in through the real forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Organization, Role
from tests.espace.helpers import Browser, make_coordinator, make_user
from tests.factories import load_real_qpvs, make_organization

SANITAS = "QN03709M"  # Tours
EUROPE = "QN03708M"  # Tours
MALAKOFF = "QN04413M"  # Nantes


@dataclass
class World:
    tours: Organization
    nantes: Organization


def make_world(session: Session) -> World:
    load_real_qpvs(session)
    tours = make_organization(
        session, "centre-social-tours", name="Centre social Tours"
    )
    nantes = make_organization(session, "asso-nantes", name="Asso Malakoff")
    session.commit()
    return World(tours, nantes)


def browser_for(client: TestClient, email: str) -> Browser:
    browser = Browser(client)
    assert browser.sign_in(email).status_code == 303
    return browser


def member(
    client: TestClient,
    session: Session,
    email: str,
    organization: Organization,
    role: Role = Role.editor,
) -> Browser:
    make_user(session, email, organization, role)
    return browser_for(client, email)


def coordinator(
    client: TestClient, session: Session, email: str, qpv_codes: list[str]
) -> Browser:
    make_coordinator(session, email, qpv_codes)
    return browser_for(client, email)


def action_form(organization: Organization | None, **values: Any) -> dict[str, Any]:
    """A valid action, as the form posts it."""
    form: dict[str, Any] = {
        "day": "2026-11-12",
        "type": "stand",
        "qpv_code": SANITAS,
        "organization_id": str(organization.id) if organization else "",
        "people_met": "12",
        "people_oriented": "5",
        "people_new": "2",
        "oriented_to": ["sante", "numerique"],
        "languages": ["ar", "fr"],
        "note": "Marché du Sanitas",
    }
    form.update(values)
    return form
