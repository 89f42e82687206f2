"""Two cities for the coordinators' space: a Tours coordinator must never see
Nantes, and the other way round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import (
    CoordinatorScope,
    Organization,
    Permanence,
    SearchStat,
    Service,
)
from api.services.listings.revisions import SYSTEM, save
from tests.espace.helpers import Browser, make_user
from tests.factories import load_real_qpvs, make_organization, make_place, make_service
from tests.territory import CARE, GROCERY, MALAKOFF, SANITAS

TOURS = "37261"
NANTES = "44109"
SANITAS_QPV = "QN03709M"
MALAKOFF_QPV = "QN04413M"


@dataclass
class Cities:
    tours_org: Organization
    nantes_org: Organization
    weekly: Service  # Tours, food, Monday to Friday at the Sanitas
    fortnightly: Service  # Tours, health, every other week: not weekly
    nantes_care: Service  # Nantes, health, weekly at Malakoff


def _held(session: Session, service: Service, hours: str, place_id: object) -> None:
    save(
        session,
        Permanence(service_id=service.id, opening_hours=hours, place_id=place_id),
        SYSTEM,
    )


def build_cities(session: Session) -> Cities:
    load_real_qpvs(session)
    tours_org = make_organization(
        session, "epicerie-sanitas", name="Épicerie du Sanitas", email="a@tours.test"
    )
    nantes_org = make_organization(
        session, "centre-malakoff", name="Centre de santé Malakoff"
    )
    sanitas = make_place(
        session,
        tours_org,
        "local-sanitas",
        lat=SANITAS[0],
        lon=SANITAS[1],
        insee_code=TOURS,
    )
    malakoff = make_place(
        session,
        nantes_org,
        "centre-malakoff",
        commune="Nantes",
        lat=MALAKOFF[0],
        lon=MALAKOFF[1],
        insee_code=NANTES,
    )
    weekly = make_service(
        session,
        tours_org,
        "epicerie",
        name="Épicerie solidaire",
        categories=[GROCERY],
        phone="02 47 00 11 22",
    )
    _held(session, weekly, "Mo-Fr 09:00-12:00", sanitas.id)
    fortnightly = make_service(
        session,
        tours_org,
        "bilan-sante",
        name="Bilan de santé",
        categories=[CARE],
    )
    _held(session, fortnightly, "week 01-53/2 Mo 10:00-12:00", sanitas.id)
    nantes_care = make_service(
        session,
        nantes_org,
        "consultation",
        name="Consultation Malakoff",
        categories=[CARE],
        falc_summary="Un médecin vous soigne.",
    )
    _held(session, nantes_care, "Mo-Fr 09:00-12:00", malakoff.id)
    session.commit()
    return Cities(tours_org, nantes_org, weekly, fortnightly, nantes_care)


def coordinator(
    client: TestClient, session: Session, email: str, communes: list[str]
) -> Browser:
    """A coordinator of these communes, signed in."""
    user = make_user(session, email)
    session.add(CoordinatorScope(user_id=user.id, name="Territoire", communes=communes))
    session.commit()
    # A client of its own: two coordinators never share a cookie jar.
    browser = Browser(TestClient(client.app))
    assert browser.sign_in(email).status_code == 303
    return browser


def count_searches(session: Session, count: int, days_ago: int = 3, **key: str) -> None:
    """``count`` searches with this key, a few days ago."""
    session.add(
        SearchStat(
            day=date.today() - timedelta(days=days_ago),
            result_bucket=key.pop("result_bucket", "6-20"),
            count=count,
            **key,
        )
    )
    session.commit()
