"""Subscribable calendars: every session of the services held in or near a
QPV (optionally of one theme or category), six months ahead, from the same
schedules as the pages."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.models import Permanence, Place, Qpv
from api.services.exports.queries import exported
from api.services.schedules.calendar import calendar, permanence_events
from api.services.search.listing import load_listings, place_ref
from api.services.search.sql import services_with

MAX_SERVICES = 500  # a feed stays a calendar, not a dump of the directory


def qpv_service_ids(session: Session, code: str, theme: str | None) -> list[uuid.UUID]:
    """Services anyone may see, held at a live place in or near the QPV."""
    from api.models import Service

    query = (
        select(Permanence.service_id)
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .join(Service, col(Service.id) == col(Permanence.service_id))
        .where(
            or_(col(Place.qpv_code) == code, col(Place.near_qpv_code) == code),
            col(Place.deleted_at).is_(None),
            col(Permanence.deleted_at).is_(None),
            exported(),
        )
    )
    if theme:
        query = query.where(
            col(Permanence.service_id).in_(services_with("category", [theme]))
        )
    ids = session.exec(query.distinct().order_by(Permanence.service_id)).all()
    return list(ids)[:MAX_SERVICES]


def qpv_calendar(
    session: Session, code: str, theme: str | None, base_url: str, lang: str,
    now: datetime,
) -> str | None:  # fmt: skip
    """The feed, or None for an unknown QPV."""
    qpv = session.get(Qpv, code)
    if qpv is None:
        return None
    events: list[str] = []
    listings = load_listings(session, qpv_service_ids(session, code, theme))
    for service_id, listing in sorted(listings.items(), key=lambda i: str(i[0])):
        url = f"{base_url.rstrip('/')}/{lang}/services/{service_id}"
        for permanence, place in listing.permanences:
            if place is None or code not in (place.qpv_code, place.near_qpv_code):
                continue
            public = place_ref(place)  # a confidential place gives no address
            location = ", ".join(
                x for x in (public.name, public.address, public.commune) if x
            )
            events += permanence_events(
                str(permanence.id),
                f"{listing.service.name} – {listing.organization.name}",
                location,
                url,
                listing.schedule_of(permanence),
                listing.periods_for(permanence.place_id),
                now,
            )
    return calendar(events, f"Repères – {qpv.name}")
