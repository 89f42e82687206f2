"""Read side of places, organisations and QPVs for the public API and pages."""

from __future__ import annotations

import math
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Select, func
from sqlmodel import Session, col, select

from api.i18n import get_locale
from api.models import Organization, Permanence, Place, Qpv, Service
from api.models.public import (
    Category,
    Coded,
    OrganizationDetail,
    OrganizationRef,
    Page,
    PlaceDetail,
    QpvDetail,
    QpvPublic,
    ServiceRef,
)
from api.services.content.translations import load_texts
from api.services.places.territory import qpv_summaries
from api.services.search.listing import place_ref
from api.services.search.sql import listed
from api.vocabulary import CATEGORIES, THEMES, category_of, label


def paginate(
    session: Session, query: Select[Any], page: int, size: int
) -> tuple[list[Any], int, int]:
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.limit(size).offset((page - 1) * size)).all()
    return list(rows), total, max(1, math.ceil(total / size))


def _live(model: Any) -> Any:
    return col(model.deleted_at).is_(None)


def services_at(
    session: Session, place_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ServiceRef]]:
    rows = session.exec(
        select(Permanence.place_id, Service.id, Service.name, Service.categories)
        .join(Service, col(Service.id) == col(Permanence.service_id))
        .where(col(Permanence.place_id).in_(place_ids), _live(Permanence), listed())
        .distinct()
        .order_by(Service.name)
    ).all()
    found: dict[uuid.UUID, list[ServiceRef]] = {pid: [] for pid in place_ids}
    for place_id, service_id, name, categories in rows:
        found[place_id].append(
            ServiceRef(id=service_id, name=name, categories=categories)
        )
    return found


def list_places(
    session: Session, commune: str | None, qpv: str | None, page: int, size: int
) -> Page[PlaceDetail]:
    query = (
        select(Place, Organization)
        .join(Organization, col(Organization.id) == col(Place.organization_id))
        .where(_live(Place), _live(Organization))
        .order_by(Place.commune, Place.name, Place.id)
    )
    if commune:
        query = query.where(col(Place.insee_code) == commune)
    if qpv:  # a confidential place is in no neighbourhood publicly
        query = query.where(
            (col(Place.qpv_code) == qpv) | (col(Place.near_qpv_code) == qpv),
            col(Place.confidential).is_(False),
        )
    rows, total, pages = paginate(session, query, page, size)
    services = services_at(session, [place.id for place, _ in rows])
    items = [_place_detail(place, org, services[place.id]) for place, org in rows]
    return Page[PlaceDetail](
        items=items, total=total, page=page, size=size, pages=pages
    )


def _place_detail(
    place: Place, org: Organization, services: list[ServiceRef]
) -> PlaceDetail:
    return PlaceDetail(
        **place_ref(place).model_dump(),
        organization=OrganizationRef.model_validate(org),
        opening_hours=place.opening_hours,
        services=services,
    )


def place_detail(session: Session, place_id: uuid.UUID) -> PlaceDetail | None:
    row = session.exec(
        select(Place, Organization)
        .join(Organization, col(Organization.id) == col(Place.organization_id))
        .where(col(Place.id) == place_id, _live(Place), _live(Organization))
    ).first()
    if row is None:
        return None
    place, org = row
    detail = _place_detail(place, org, services_at(session, [place.id])[place.id])
    texts = load_texts(session, "place", [place.id], get_locale())[place.id]
    detail.name = texts.get("name", place.name) or place.name
    detail.translated = texts.machine_fields
    detail.in_french = texts.in_french({"name": place.name})
    return detail


def list_organizations(
    session: Session, q: str | None, page: int, size: int
) -> Page[OrganizationRef]:
    query = select(Organization).where(_live(Organization)).order_by(Organization.name)
    if q:
        pattern = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(col(Organization.name).ilike(f"%{pattern}%", escape="\\"))
    rows, total, pages = paginate(session, query, page, size)
    items = [OrganizationRef.model_validate(o) for o in rows]
    return Page[OrganizationRef](
        items=items, total=total, page=page, size=size, pages=pages
    )


def organization_detail(
    session: Session, org_id: uuid.UUID
) -> OrganizationDetail | None:
    org = session.get(Organization, org_id)
    if org is None or org.deleted_at is not None:
        return None
    places = session.exec(
        select(Place)
        .where(Place.organization_id == org_id, _live(Place))
        .order_by(Place.name)
    ).all()
    services = session.exec(
        select(Service)
        .where(Service.organization_id == org_id, listed())
        .order_by(Service.name)
    ).all()
    texts = load_texts(session, "organization", [org.id], get_locale())[org.id]
    return OrganizationDetail(
        id=org.id,
        name=texts.get("name", org.name) or org.name,
        typology=org.typology,
        description=texts.get("description", org.description),
        translated=texts.machine_fields,
        in_french=texts.in_french({"name": org.name, "description": org.description}),
        phone=org.phone,
        email=org.email,
        website=org.website,
        places=[place_ref(p) for p in places],
        services=[
            ServiceRef(id=s.id, name=s.name, categories=s.categories) for s in services
        ],
    )


def list_qpvs(session: Session) -> list[QpvPublic]:
    return qpv_summaries(session)


def qpv_detail(session: Session, code: str) -> QpvDetail | None:
    qpv = session.get(Qpv, code.upper())
    if qpv is None:
        return None
    rows = session.exec(
        select(Service.id, Service.categories)
        .join(Permanence, col(Permanence.service_id) == col(Service.id))
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .where(listed(), _live(Permanence), _live(Place))
        .where(
            (col(Place.qpv_code) == qpv.code) | (col(Place.near_qpv_code) == qpv.code),
            col(Place.confidential).is_(False),
        )
        .distinct()
    ).all()
    by_category: Counter[str] = Counter()
    for _, categories in rows:
        by_category.update({category_of(c) for c in categories})
    return QpvDetail(
        code=qpv.code,
        name=qpv.name,
        communes=qpv.communes,
        commune_names=qpv.commune_names,
        services=len(rows),
        bbox=[qpv.min_lon, qpv.min_lat, qpv.max_lon, qpv.max_lat],
        geometry=qpv.geometry,
        by_category=dict(sorted(by_category.items())),
    )


def categories_tree() -> list[Category]:
    return [
        Category(
            code=code,
            label=label(CATEGORIES, code),
            themes=[
                Coded(code=theme, label=label(THEMES, theme))
                for theme in THEMES
                if category_of(theme) == code
            ],
        )
        for code in CATEGORIES
    ]
