"""The search territory plus what exports must handle: a confidential place,
a listing reserved to professionals, an anchored every-other-week permanence
and hours RRULE cannot say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from api.models import Permanence, Service, Visibility
from api.services.listings.revisions import SYSTEM, save
from tests.factories import make_organization, make_place, make_service
from tests.territory import Territory, build_territory

SECRET_ADDRESS = "12 rue du Refuge"
SECRET_POSITION = (47.39001, 0.68902)
ANCHOR = date(2026, 12, 1)  # a Tuesday, ISO week 49 (odd) of a 53-week year


@dataclass
class ExportTerritory:
    base: Territory
    shelter: Service
    pro_only: Service
    biweekly: Service
    seasonal: Service
    biweekly_permanence: Permanence


@pytest.fixture
def export_territory(session: Session) -> ExportTerritory:
    base = build_territory(session)
    refuge = make_organization(
        session,
        "refuge",
        name="Refuge des femmes",
        description="Hébergement d'urgence pour femmes.",
        website="https://refuge.example.org",
        email="contact@refuge.example.org",
        siret="12345678901234",
    )
    hidden = make_place(
        session,
        refuge,
        "refuge-lieu",
        name="Maison du refuge",
        address=SECRET_ADDRESS,
        postal_code="37000",
        insee_code="37261",
        lat=SECRET_POSITION[0],
        lon=SECRET_POSITION[1],
        confidential=True,
    )
    open_place = make_place(
        session,
        refuge,
        "refuge-accueil",
        name="Accueil de jour",
        address="3 place de la Liberté",
        postal_code="37000",
        insee_code="37261",
        lat=47.3925,
        lon=0.6884,
    )
    shelter = make_service(
        session,
        refuge,
        "hebergement",
        name="Hébergement d'urgence",
        description="Un lit pour la nuit, pour les femmes et leurs enfants.",
        categories=[
            "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
        ],
        publics=["femmes"],
        phone="02 47 99 99 99",
    )
    save(
        session,
        Permanence(
            service_id=shelter.id, place_id=hidden.id, opening_hours="Mo-Su 18:00-23:00"
        ),
        SYSTEM,
    )
    pro_only = make_service(
        session,
        refuge,
        "reserve-pros",
        name="Ligne réservée aux professionnels",
        description="Orientation vers les places libres.",
        visibility=Visibility.professionals,
    )
    save(
        session,
        Permanence(
            service_id=pro_only.id,
            place_id=open_place.id,
            opening_hours="Mo 09:00-12:00",
        ),
        SYSTEM,
    )
    biweekly = make_service(
        session,
        refuge,
        "permanence-juridique",
        name="Permanence juridique",
        description="Une juriste répond à vos questions, une semaine sur deux.",
        categories=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
        publics=["tous-publics"],
        languages=["fr", "uk"],
    )
    biweekly_permanence = Permanence(
        service_id=biweekly.id,
        place_id=open_place.id,
        opening_hours="week 01-53/2 Tu 09:00-12:00; PH off",
        biweekly_anchor=ANCHOR,
    )
    save(session, biweekly_permanence, SYSTEM)
    seasonal = make_service(
        session,
        refuge,
        "jardin",
        name="Jardin partagé",
        description="Un jardin à cultiver ensemble, au printemps.",
        categories=["remobilisation--lien-social"],
    )
    save(
        session,
        Permanence(
            service_id=seasonal.id,
            place_id=open_place.id,
            opening_hours="Apr-Jun Sa 10:00-12:00",
        ),
        SYSTEM,
    )
    session.commit()
    return ExportTerritory(
        base, shelter, pro_only, biweekly, seasonal, biweekly_permanence
    )
