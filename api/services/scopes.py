"""Coordinators' territories: which organisations a territory covers, and
whether moderation applies to an organisation."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.models import CoordinatorScope, Place


def _in_territories(scopes: tuple[CoordinatorScope, ...]) -> Any:
    """SQL condition: a place lies in one of these territories."""
    communes = {c for s in scopes for c in s.communes}
    qpvs = {q for s in scopes for q in s.qpv_codes}
    return or_(
        col(Place.insee_code).in_(communes),
        col(Place.qpv_code).in_(qpvs),
        col(Place.near_qpv_code).in_(qpvs),
    )


def covering_scopes(
    session: Session, organization_id: uuid.UUID
) -> list[CoordinatorScope]:
    """The coordinators' territories an organisation has a live place in."""
    places = session.exec(
        select(Place).where(
            Place.organization_id == organization_id,
            col(Place.deleted_at).is_(None),
        )
    ).all()
    found = []
    for scope in session.exec(select(CoordinatorScope)).all():
        if any(
            p.insee_code in scope.communes
            or p.qpv_code in scope.qpv_codes
            or p.near_qpv_code in scope.qpv_codes
            for p in places
        ):
            found.append(scope)
    return found


def is_moderated(session: Session, organization_id: uuid.UUID) -> bool:
    return any(s.moderation for s in covering_scopes(session, organization_id))


def coordinated_ids(
    session: Session, territories: tuple[CoordinatorScope, ...]
) -> set[uuid.UUID]:
    """The organisations with a live place in these territories."""
    if not territories:
        return set()
    query = select(Place.organization_id).where(
        col(Place.deleted_at).is_(None), _in_territories(territories)
    )
    return set(session.exec(query.distinct()).all())
