"""Which QPV a point lies in, or lies near: shapely STRtree over the real contours.

Distances are computed in a local equirectangular projection centred on the
territory's own latitude (the contours' mean, 47.4° for Tours and Nantes):
metres per degree of longitude shrink with the cosine of the latitude, so a
projection centred elsewhere would stretch every east-west distance. Within a
degree of latitude of the centre it is exact to about 0.1 %, finer than the
contours themselves (~10 m over 300 m).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import event, inspect
from sqlmodel import Session, select

from api.models import Place, Qpv
from api.services.places.geo import EARTH_RADIUS_M

NEAR_METRES = 300.0
# Metres per degree on the sphere of api.services.places.geo, the app's one distance.
_M_PER_DEG = math.radians(EARTH_RADIUS_M)


def scale_at(lat: float) -> Any:
    """Metres per degree (longitude, latitude) of a local projection at ``lat``."""
    return np.array([_M_PER_DEG * math.cos(math.radians(lat)), _M_PER_DEG])


def project(geometry: BaseGeometry, scale: Any) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy * scale)


@dataclass(frozen=True)
class QpvMatch:
    qpv_code: str | None
    near_qpv_code: str | None


class QpvIndex:
    def __init__(self, contours: dict[str, dict[str, Any]]) -> None:
        self.codes = list(contours)
        raw = [shape(contours[code]) for code in self.codes]
        # Centred on the territory, not on France: see the module docstring.
        middle = [g.centroid.y for g in raw]
        self.scale = scale_at(sum(middle) / len(middle) if middle else 46.5)
        self.shapes = [project(g, self.scale) for g in raw]
        self.tree = shapely.STRtree(self.shapes)

    def locate(self, lon: float, lat: float) -> QpvMatch:
        point = project(Point(lon, lat), self.scale)
        # "intersects": a point on the contour itself is in the QPV ("within"
        # would leave it out, then call it merely near).
        inside = self.tree.query(point, predicate="intersects")
        if len(inside):
            return QpvMatch(self.codes[int(inside[0])], None)
        nearest = self.tree.query_nearest(point, max_distance=NEAR_METRES)
        if len(nearest):
            return QpvMatch(None, self.codes[int(nearest[0])])
        return QpvMatch(None, None)


_built: dict[tuple[str, tuple[tuple[str, str], ...]], QpvIndex] = {}


def qpv_index(session: Session) -> QpvIndex:
    """The index for the QPVs in this database, rebuilt when they change."""
    rows = session.exec(select(Qpv.code, Qpv.updated_at).order_by(Qpv.code)).all()
    key = (str(session.get_bind().url), tuple((c, u.isoformat()) for c, u in rows))
    if key not in _built:
        contours = dict(session.exec(select(Qpv.code, Qpv.geometry)).all())
        _built.clear()  # one territory per process: keep memory flat
        _built[key] = QpvIndex(contours)
    return _built[key]


def assign_qpv(session: Session, place: Place) -> None:
    if place.lat is None or place.lon is None:
        place.qpv_code = place.near_qpv_code = None
        return
    match = qpv_index(session).locate(place.lon, place.lat)
    place.qpv_code, place.near_qpv_code = match.qpv_code, match.near_qpv_code


def reassign_all(session: Session) -> int:
    """Recompute the QPV of every place with coordinates, after the contours
    changed (the write hook below only runs when a place moves); returns how
    many places changed. Written as computed data, without a new version: the
    place's own content did not change, and its ETag must stay valid."""
    index = qpv_index(session)
    changed = 0
    places = session.exec(
        select(Place).where(Place.lat.is_not(None), Place.lon.is_not(None))  # type: ignore[union-attr]
    ).all()
    for place in places:
        match = index.locate(place.lon, place.lat)  # type: ignore[arg-type]
        if (place.qpv_code, place.near_qpv_code) != (
            match.qpv_code,
            match.near_qpv_code,
        ):
            place.qpv_code, place.near_qpv_code = match.qpv_code, match.near_qpv_code
            changed += 1
    return changed


@event.listens_for(Session, "before_flush")
def _assign_on_write(session: Session, _context: Any, _instances: Any) -> None:
    """Every write path gets the QPV right, whoever wrote the coordinates."""
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Place):
            continue
        state = inspect(obj)
        moved = state.attrs.lat.history.has_changes() or (
            state.attrs.lon.history.has_changes()
        )
        if state.transient or state.pending or moved:
            with session.no_autoflush:
                assign_qpv(session, obj)
