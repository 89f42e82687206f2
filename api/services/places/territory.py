"""QPVs and what the directory offers in or near each."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import Permanence, Place, Qpv, Service
from api.models.public import QpvPublic
from api.services.search.sql import listed


def qpv_summaries(session: Session) -> list[QpvPublic]:
    """Every QPV with the number of published services held in or near it."""
    # A place is either in a QPV or near one, never both.
    area = func.coalesce(Place.qpv_code, Place.near_qpv_code)
    rows = session.exec(
        select(area, func.count(func.distinct(Service.id)))
        .join(Permanence, col(Permanence.place_id) == col(Place.id))
        .join(Service, col(Service.id) == col(Permanence.service_id))
        .where(listed())
        .where(col(Permanence.deleted_at).is_(None), col(Place.deleted_at).is_(None))
        .where(area.is_not(None), col(Place.confidential).is_(False))
        .group_by(area)
    ).all()
    counts = dict(rows)
    qpvs = session.exec(select(Qpv).order_by(Qpv.department, Qpv.name)).all()
    return [
        QpvPublic(
            code=q.code,
            name=q.name,
            communes=q.communes,
            commune_names=q.commune_names,
            services=counts.get(q.code, 0),
        )
        for q in qpvs
    ]
