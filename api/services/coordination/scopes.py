"""Coordinators' territories: which organisations a territory covers (one rule,
in SQL), and whether moderation applies to an organisation."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.models import (
    CoordinatorScope,
    OrganizationRequest,
    Place,
    Qpv,
    RequestKind,
    RequestStatus,
)


def _in_territories(scopes: tuple[CoordinatorScope, ...]) -> Any:
    """SQL condition: a place lies in one of these territories."""
    communes = {c for s in scopes for c in s.communes}
    qpvs = {q for s in scopes for q in s.qpv_codes}
    return or_(
        col(Place.insee_code).in_(communes),
        col(Place.qpv_code).in_(qpvs),
        col(Place.near_qpv_code).in_(qpvs),
    )


def is_moderated(session: Session, organization_id: uuid.UUID) -> bool:
    """Whether a territory with moderation on covers one of its live places."""
    moderated = tuple(
        session.exec(
            select(CoordinatorScope).where(col(CoordinatorScope.moderation))
        ).all()
    )
    if not moderated:
        return False
    covered = select(Place.id).where(
        Place.organization_id == organization_id,
        col(Place.deleted_at).is_(None),
        _in_territories(moderated),
    )
    return session.exec(covered.limit(1)).first() is not None


def coordinated_ids(
    session: Session, territories: tuple[CoordinatorScope, ...]
) -> set[uuid.UUID]:
    """The organisations with a live place in these territories, and those
    created or accepted there through onboarding (a new organisation has no
    place yet: its commune keeps it in the territory)."""
    if not territories:
        return set()
    query = select(Place.organization_id).where(
        col(Place.deleted_at).is_(None), _in_territories(territories)
    )
    return set(session.exec(query.distinct()).all()) | _onboarded(session, territories)


def territory_communes(
    session: Session, territories: tuple[CoordinatorScope, ...]
) -> set[str]:
    """INSEE codes of these territories' communes and of their QPVs' communes."""
    communes = {c for s in territories for c in s.communes}
    qpvs = {q for s in territories for q in s.qpv_codes}
    if qpvs:
        rows = session.exec(select(Qpv.communes).where(col(Qpv.code).in_(qpvs)))
        communes |= {code for listed in rows.all() for code in listed}
    return communes


def _onboarded(
    session: Session, territories: tuple[CoordinatorScope, ...]
) -> set[uuid.UUID]:
    communes = territory_communes(session, territories)
    found = session.exec(
        select(OrganizationRequest.organization_id).where(
            col(OrganizationRequest.status) == RequestStatus.approved,
            col(OrganizationRequest.kind) != RequestKind.claim,
            col(OrganizationRequest.insee_code).in_(communes),
            col(OrganizationRequest.organization_id).is_not(None),
        )
    ).all()
    return {organization_id for organization_id in found if organization_id}
