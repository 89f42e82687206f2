"""Search results for the map: one feature per place with how many services
match there, grouped on the server for broad views.

Every matching place is in the answer, always: with ``zoom`` the places that
would overlap on screen (same cell of a grid of ``CELL_PX`` pixels at that
zoom) come as one cluster feature with their counts; alone in its cell a place
comes as itself. Without ``zoom`` (API clients) every place comes as itself.
``bbox`` only limits the answer to what the map shows; it never cuts silently.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, type_coerce
from sqlmodel import Session, col, func, select

from api.models import Organization, Place, SearchEntry, SearchPoint, Service
from api.services.search import sql
from api.services.search.engine import plan
from api.services.search.filters import SearchFilters
from api.services.search.listing import Listing, load_listings

CELL_PX = 64
# Names listed in a place's popup; the count says how many there are in all.
NAMES_PER_PLACE = 5
# What a lone service's marker also says (issue 15: useful properties), with
# its next session at that place (``next_session``, as the cards give it).
DETAILS = ("organization", "categories", "phone", "town")
# Place name, services [[id, name]…], the first service's DETAILS.
Named = tuple[str, list[list[str]], dict[str, Any]]
# A view with more single places than this gets no names (the popups would
# weigh more than the map): the popup then links to the list instead.
NAMED_PLACES = 2_000


@dataclass(frozen=True)
class Bbox:
    west: float
    south: float
    east: float
    north: float


@dataclass
class Spot:
    place_id: uuid.UUID | str  # as the driver gives it until needed
    lat: float
    lon: float
    count: int


def services_geojson(
    session: Session,
    filters: SearchFilters,
    now: datetime,
    zoom: int | None = None,
    bbox: Bbox | None = None,
) -> dict[str, Any]:
    spots = matching_places(session, filters, now, bbox)
    groups = _cells(spots, zoom) if zoom is not None else [[s] for s in spots]
    singles = [group[0] for group in groups if len(group) == 1]
    for spot in singles:
        spot.place_id = uuid.UUID(str(spot.place_id))
    names = (
        _names(session, filters, now, singles) if len(singles) <= NAMED_PLACES else {}
    )
    _add_next_sessions(session, singles, names, now)
    return {
        "type": "FeatureCollection",
        "features": [
            _place(group[0], names) if len(group) == 1 else _cluster(group)
            for group in groups
        ],
    }


def _add_next_sessions(
    session: Session, spots: list[Spot], names: dict[uuid.UUID, Named], now: datetime
) -> None:
    """A lone service's marker also says when it is next held there: the
    cards' computation (``Listing.next_session``, closures and validity
    included) over the permanences at that place."""
    lone = {
        spot.place_id: uuid.UUID(names[spot.place_id][1][0][0])
        for spot in spots
        if spot.count == 1 and spot.place_id in names and names[spot.place_id][1]
    }
    listings = load_listings(session, list(set(lone.values())))
    for place_id, service_id in lone.items():
        listing = listings.get(service_id)
        if listing is None:
            continue
        here = Listing(
            listing.service,
            listing.organization,
            [
                (p, place)
                for p, place in listing.permanences
                if place and place.id == place_id
            ],
            listing.closures,
        )
        slot = here.next_session(now)
        names[place_id][2]["next_session"] = (
            slot.model_dump(mode="json") if slot else None
        )


def matching_places(
    session: Session, filters: SearchFilters, now: datetime, bbox: Bbox | None
) -> list[Spot]:
    """Every public place of a match (within the radius when there is one),
    with how many matches it holds: all of them, in a stable order."""
    if bbox is None and _whole_directory(filters):
        return _every_place(session)
    found = plan(session, filters, now).hits.subquery("found")
    P = SearchPoint  # noqa: N806 - a table alias
    query = (
        select(P.place_id, P.lat, P.lon, func.count(func.distinct(P.entry_id)))
        .join(found, found.c.id == col(P.entry_id))
        .group_by(col(P.place_id), col(P.lat), col(P.lon))
        .order_by(col(P.place_id))
    )
    if filters.lat is not None and filters.lon is not None:
        distance = sql.distance_m(filters.lat, filters.lon)
        query = query.where(distance <= filters.radius_m)
    if bbox is not None:
        query = query.where(
            col(P.lat).between(bbox.south, bbox.north),
            col(P.lon).between(bbox.west, bbox.east),
        )
    return [Spot(*row) for row in session.execute(query).all()]


def _whole_directory(filters: SearchFilters) -> bool:
    """Nothing asked (the results map as it first opens): every entry the
    reader may see matches."""
    asked = filters.model_dump(exclude={"sort", "page", "size"}, exclude_defaults=True)
    return not asked


def _every_place(session: Session) -> list[Spot]:
    """Every place's points counted from the covering index alone (20,000
    places, 173,000 points: 25 ms, where joining each point to its entry
    costs ten times more), less the few entries this reader may not see."""
    P, E = SearchPoint, SearchEntry  # noqa: N806 - table aliases
    # Ids as the driver gives them: only lone places (``services_geojson``)
    # need a UUID, not the 20,000 places clusters add up.
    place_id = type_coerce(P.place_id, String)
    spots = [
        Spot(*row)
        for row in session.execute(
            select(place_id, P.lat, P.lon, func.count())
            .group_by(col(P.place_id), col(P.lat), col(P.lon))
            .order_by(col(P.place_id))
        ).all()
    ]
    hidden = dict(
        session.execute(
            select(place_id, func.count())
            .select_from(E)  # the few hidden entries drive
            .join(P, col(P.entry_id) == col(E.id))
            .where(col(E.visibility).not_in(sql.visible()))
            .group_by(col(P.place_id))
        ).all()
    )
    for spot in spots:
        spot.count -= hidden.get(spot.place_id, 0)
    return [spot for spot in spots if spot.count > 0]


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (256-pixel tiles), as Leaflet."""
    scale = 256 * 2**zoom
    sin_lat = min(max(math.sin(math.radians(lat)), -0.9999), 0.9999)
    x = (lon + 180.0) / 360.0 * scale
    y = (0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)) * scale
    return x, y


def _cells(spots: list[Spot], zoom: int) -> list[list[Spot]]:
    cells: dict[tuple[int, int], list[Spot]] = defaultdict(list)
    for spot in spots:
        x, y = _pixel(spot.lat, spot.lon, zoom)
        cells[(int(x // CELL_PX), int(y // CELL_PX))].append(spot)
    return list(cells.values())


def _names(
    session: Session, filters: SearchFilters, now: datetime, spots: list[Spot]
) -> dict[uuid.UUID, Named]:
    """Place name, the first services (id, name, by name) of each place, and
    the first one's organisation, categories, phone and town."""
    if not spots:
        return {}
    found = plan(session, filters, now).hits.subquery("found")
    P = SearchPoint  # noqa: N806 - a table alias
    wanted = [s.place_id for s in spots]
    names: dict[uuid.UUID, Named] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                P.place_id,
                Place.name,
                Service.id,
                Service.name,
                Organization.name,
                Service.categories,
                func.coalesce(Service.phone, Organization.phone),
                Place.commune,
            )
            .join(found, found.c.id == col(P.entry_id))
            .join(Service, col(Service.id) == found.c.service_id)
            .join(Organization, col(Organization.id) == col(Service.organization_id))
            .join(Place, col(Place.id) == col(P.place_id))
            .where(col(P.place_id).in_(wanted[start : start + 500]))
            .order_by(col(P.place_id), found.c.sort_key, found.c.id)
        ).all()
        for place_id, place_name, service_id, service_name, *extra in rows:
            entry = names.setdefault(place_id, (place_name, [], {}))
            if len(entry[1]) < NAMES_PER_PLACE:
                entry[1].append([str(service_id), service_name])
            if not entry[2]:  # the first service's, shown when it is alone
                entry[2].update(zip(DETAILS, extra, strict=True))
    return names


def _point(lat: float, lon: float) -> dict[str, Any]:
    # 5 decimals: about a metre, and a much smaller payload than 15 digits.
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def _place(spot: Spot, names: dict[uuid.UUID, Named]) -> dict[str, Any]:
    place_name, services, details = names.get(spot.place_id, ("", [], {}))
    properties: dict[str, Any] = {"place_id": str(spot.place_id), "count": spot.count}
    if services:
        properties["place"] = place_name
        properties["services"] = services
        # The marker's title: the service when it is alone, else the place.
        properties["name"] = services[0][1] if spot.count == 1 else place_name
        if spot.count == 1:
            properties["id"] = services[0][0]
            properties.update(details)
    return {
        "type": "Feature",
        "geometry": _point(spot.lat, spot.lon),
        "properties": properties,
    }


def _cluster(group: list[Spot]) -> dict[str, Any]:
    count = sum(s.count for s in group)
    lat = sum(s.lat * s.count for s in group) / count
    lon = sum(s.lon * s.count for s in group) / count
    return {
        "type": "Feature",
        "geometry": _point(lat, lon),
        "properties": {"cluster": True, "count": count, "places": len(group)},
    }
