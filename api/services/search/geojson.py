"""Search results as GeoJSON points, for the map: every match, one point a place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from api.models import Permanence, Place
from api.services.geo import haversine_m
from api.services.search.engine import plan
from api.services.search.filters import SearchFilters
from api.services.search.listing import open_services

# Enough for the whole territory; the map clusters them.
MAX_FEATURES = 50_000


def services_geojson(
    session: Session, filters: SearchFilters, now: datetime
) -> dict[str, Any]:
    ready = plan(session, filters, now)
    matches = ready.query.subquery("matches")
    rows = session.exec(
        select(matches.c.id, matches.c.name, Place.id, Place.name, Place.lat, Place.lon)
        .join(Permanence, col(Permanence.service_id) == matches.c.id)
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .where(
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            col(Place.confidential).is_(False),
            col(Place.lat).is_not(None),
            col(Place.lon).is_not(None),
        )
        .distinct()
        .limit(MAX_FEATURES)
    ).all()
    if filters.lat is not None and filters.lon is not None:
        lat, lon, radius = filters.lat, filters.lon, filters.radius_m
        rows = [r for r in rows if haversine_m(lat, lon, r[4], r[5]) <= radius]
    if ready.moment is not None:
        open_ids = open_services(session, ready.query, ready.moment)
        rows = [r for r in rows if r[0] in open_ids]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": str(service_id),
                    "name": name,
                    "place_id": str(place_id),
                    "place": place_name,
                },
            }
            for service_id, name, place_id, place_name, lat, lon in rows
        ],
    }
