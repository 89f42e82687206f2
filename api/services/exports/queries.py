"""The SQL of the exports: what may leave, read in batches."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func
from sqlmodel import Session, col, select

from api.models import (
    Organization,
    Permanence,
    Place,
    Service,
    ServiceStatus,
    Visibility,
)
from api.services.search.sql import services_with, text_matches

# Rows read per query when streaming: memory stays flat whatever the size.
BATCH = 500


def exported() -> ColumnElement[bool]:
    """Services anyone may see, whoever asks (no professional audience)."""
    return and_(
        col(Service.status) == ServiceStatus.published,
        col(Service.deleted_at).is_(None),
        col(Service.visibility) == Visibility.public,
        exists().where(
            col(Organization.id) == col(Service.organization_id),
            col(Organization.deleted_at).is_(None),
        ),
    )


def has_exported_service() -> ColumnElement[bool]:
    """Organisations with at least one exported service."""
    return exists().where(
        col(Service.organization_id) == col(Organization.id), exported()
    )


def live_organizations() -> Select[Any]:
    return select(Organization).where(
        col(Organization.deleted_at).is_(None), has_exported_service()
    )


def in_batches(session: Session, query: Select[Any], key: Any) -> Iterator[list[Any]]:
    """``query``'s rows, BATCH at a time, by keyset on ``key`` (unique): no
    cursor stays open between batches, and no offset scan gets slower."""
    last: Any = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = list(session.exec(page.order_by(key).limit(BATCH)).all())
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.key)


def service_batches(session: Session) -> Iterator[list[Service]]:
    return in_batches(session, select(Service).where(exported()), col(Service.id))


def organization_batches(session: Session) -> Iterator[list[Organization]]:
    return in_batches(session, live_organizations(), col(Organization.id))


def organizations(
    session: Session, ids: set[uuid.UUID]
) -> dict[uuid.UUID, Organization]:
    if not ids:
        return {}
    rows = session.exec(select(Organization).where(col(Organization.id).in_(ids)))
    return {org.id: org for org in rows}


def permanences(
    session: Session, service_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[Permanence, Place | None]]]:
    """Live permanences of these services with their place (None by phone or
    online); a permanence at a deleted place is gone with it."""
    found: dict[uuid.UUID, list[tuple[Permanence, Place | None]]] = {
        sid: [] for sid in service_ids
    }
    if not service_ids:
        return found
    rows = session.exec(
        select(Permanence, Place)
        .outerjoin(Place, col(Place.id) == col(Permanence.place_id))
        .where(
            col(Permanence.service_id).in_(service_ids),
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
        )
        .order_by(Permanence.created_at, Permanence.id)
    ).all()
    for permanence, place in rows:
        found[permanence.service_id].append((permanence, place))
    return found


def first_places(
    session: Session, org_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Place | None]:
    """Each organisation's first live place by name: its address for a
    structure."""
    found: dict[uuid.UUID, Place | None] = {oid: None for oid in org_ids}
    if not org_ids:
        return found
    rows = session.exec(
        select(Place)
        .where(col(Place.organization_id).in_(org_ids), col(Place.deleted_at).is_(None))
        .order_by(Place.name, Place.id)
    ).all()
    for place in rows:
        if found[place.organization_id] is None:
            found[place.organization_id] = place
    return found


def org_places(session: Session, org_id: uuid.UUID) -> list[Place]:
    return list(
        session.exec(
            select(Place)
            .where(Place.organization_id == org_id, col(Place.deleted_at).is_(None))
            .order_by(Place.name, Place.id)
        ).all()
    )


def org_services(session: Session, org_id: uuid.UUID) -> list[Service]:
    return list(
        session.exec(
            select(Service)
            .where(Service.organization_id == org_id, exported())
            .order_by(Service.name, Service.id)
        ).all()
    )


def service(session: Session, service_id: uuid.UUID) -> Service | None:
    return session.exec(
        select(Service).where(col(Service.id) == service_id, exported())
    ).first()


def organization(session: Session, org_id: uuid.UUID) -> Organization | None:
    return session.exec(
        live_organizations().where(col(Organization.id) == org_id)
    ).first()


def services_query(
    dialect: str,
    words: list[str] | None,
    term_codes: list[str] | None,
    organization_id: uuid.UUID | None,
    modified_after: datetime | None,
) -> Select[Any]:
    """Exported services matching the HSDS filters, in a stable order.
    ``words`` [] (an unreadable search) matches nothing."""
    query = select(Service).where(exported())
    if words is not None:
        if not words:
            return query.where(col(Service.id).is_(None))
        matching = text_matches(dialect, words).subquery()
        query = query.where(col(Service.id).in_(select(matching.c.service_id)))
    if term_codes is not None:
        query = query.where(col(Service.id).in_(services_with("category", term_codes)))
    if organization_id is not None:
        query = query.where(col(Service.organization_id) == organization_id)
    if modified_after is not None:
        query = query.where(col(Service.updated_at) >= modified_after)
    return query.order_by(Service.name, Service.id)


def locations_query() -> Select[Any]:
    """Live places holding at least one exported service."""
    held = exists().where(
        col(Permanence.place_id) == col(Place.id),
        col(Permanence.deleted_at).is_(None),
        col(Permanence.service_id).in_(select(Service.id).where(exported())),
    )
    return (
        select(Place)
        .where(col(Place.deleted_at).is_(None), held)
        .order_by(Place.commune, Place.name, Place.id)
    )


def page(
    session: Session, query: Select[Any], number: int, size: int
) -> tuple[list[Any], int]:
    """One page of ``query`` and the total number of rows."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.limit(size).offset((number - 1) * size)).all()
    return list(rows), int(total)
