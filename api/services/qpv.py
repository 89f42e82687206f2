"""Which QPV a point lies in, or lies near: shapely STRtree over the real contours.

Distances are computed in a local equirectangular projection centred on France
(metres), accurate to well under a metre over a few hundred metres, which is
finer than the contours themselves (~10 m).
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

NEAR_METRES = 300.0
_LAT0 = math.radians(46.5)
_M_PER_DEG_LAT = 111_132.0
_M_PER_DEG_LON = 111_320.0 * math.cos(_LAT0)
_SCALE = np.array([_M_PER_DEG_LON, _M_PER_DEG_LAT])


def project(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy * _SCALE)


@dataclass(frozen=True)
class QpvMatch:
    qpv_code: str | None
    near_qpv_code: str | None


class QpvIndex:
    def __init__(self, contours: dict[str, dict[str, Any]]) -> None:
        self.codes = list(contours)
        self.shapes = [project(shape(contours[code])) for code in self.codes]
        self.tree = shapely.STRtree(self.shapes)

    def locate(self, lon: float, lat: float) -> QpvMatch:
        point = project(Point(lon, lat))
        inside = self.tree.query(point, predicate="within")
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
