"""A small, hand-made territory that the search tests know by heart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from api.models import (
    Closure,
    Fees,
    Permanence,
    PermanenceMode,
    Service,
    ServiceStatus,
    Wheelchair,
    utcnow,
)
from api.services.listings.revisions import SYSTEM, save
from api.services.listings.upsert import ImportReport
from data.loaders.paths import SYNONYMS
from data.loaders.synonyms import load_synonyms
from tests.factories import load_real_qpvs, make_organization, make_place, make_service

SANITAS = (47.38165, 0.69977)  # Tours
MALAKOFF = (47.21535, -1.52306)  # Nantes
GROCERY = "equipement-et-alimentation--alimentation"
CARE = "sante--acces-aux-soins"
FRENCH = "lecture-ecriture-calcul--maitriser-le-francais"
CV = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"


@dataclass
class Territory:
    grocery: Service
    health: Service
    cv_workshop: Service
    draft: Service
    deleted: Service


def _permanence(
    session: Session, service: Service, hours: str, **values: object
) -> None:
    save(
        session,
        Permanence(service_id=service.id, opening_hours=hours, **values),
        SYSTEM,
    )


@pytest.fixture
def territory(session: Session) -> Territory:
    return build_territory(session)


def build_territory(session: Session) -> Territory:
    load_real_qpvs(session)
    load_synonyms(session, SYNONYMS, ImportReport())
    asso = make_organization(
        session, "epicerie-sanitas", name="Épicerie du Sanitas", phone="02 47 00 11 22"
    )
    centre = make_organization(session, "centre-sante-malakoff", name="Centre de santé")
    sanitas = make_place(
        session,
        asso,
        "local-sanitas",
        name="Local Saint-Paul",
        lat=SANITAS[0],
        lon=SANITAS[1],
        insee_code="37261",
        wheelchair=Wheelchair.yes,
    )
    malakoff = make_place(
        session,
        centre,
        "centre-malakoff",
        name="Centre Malakoff",
        commune="Nantes",
        lat=MALAKOFF[0],
        lon=MALAKOFF[1],
        insee_code="44109",
    )
    grocery = make_service(
        session,
        asso,
        "epicerie",
        name="Épicerie solidaire",
        falc_summary="Des produits pas chers pour les familles.",
        description="Produits alimentaires et d'hygiène à petit prix.",
        categories=[GROCERY],
        publics=["familles"],
        languages=["fr", "ar"],
    )
    _permanence(session, grocery, "We[2,4] 14:00-17:00; PH off", place_id=sanitas.id)
    health = make_service(
        session,
        centre,
        "consultation",
        name="Consultation santé sans mutuelle",
        description="Médecins généralistes, consultations pour les personnes "
        "sans droits.",
        categories=[CARE],
        publics=["tous-publics"],
        languages=["fr", "en", "ps"],
        fees=Fees.paid,
        appointment_required=True,
        referral_required=True,
    )
    _permanence(session, health, "Mo-Fr 09:00-12:00; PH off", place_id=malakoff.id)
    save(
        session,
        Closure(
            service_id=health.id,
            start=date(2026, 12, 14),
            end=date(2026, 12, 18),
            reason="Formation de l'équipe",
        ),
        SYSTEM,
    )
    cv_workshop = make_service(
        session,
        asso,
        "atelier-cv",
        name="Atelier CV par téléphone",
        description="Un conseiller vous aide à écrire votre CV.",
        categories=[CV],
        publics=["jeunes", "demandeurs-emploi"],
        languages=["fr"],
    )
    _permanence(session, cv_workshop, "Tu 10:00-12:00", mode=PermanenceMode.phone)
    draft = make_service(
        session,
        asso,
        "brouillon",
        name="Cours de français du soir",
        categories=[FRENCH],
        status=ServiceStatus.draft,
    )
    _permanence(session, draft, "Mo 18:00-20:00", place_id=sanitas.id)
    deleted = make_service(
        session,
        asso,
        "supprime",
        name="Cours de français du matin",
        categories=[FRENCH],
        deleted_at=utcnow(),
    )
    _permanence(session, deleted, "Mo 09:00-11:00", place_id=sanitas.id)
    session.commit()
    return Territory(grocery, health, cv_workshop, draft, deleted)
