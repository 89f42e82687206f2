"""The QPV a position lies in, or the nearest one: for the form's "use my
position" button. Nothing about the position is stored or logged."""

from __future__ import annotations

from shapely.geometry import Point
from sqlmodel import Session

from api.models import Qpv
from api.services.places.qpv import project, qpv_index


def nearest_qpv(
    session: Session, lat: float, lon: float, allowed: set[str] | None
) -> tuple[Qpv, bool] | None:
    """(QPV, inside it) among ``allowed`` (None: any), or None without QPVs."""
    index = qpv_index(session)
    point = project(Point(lon, lat), index.scale)
    best: tuple[float, str] | None = None
    for code, shape in zip(index.codes, index.shapes, strict=True):
        if allowed is not None and code not in allowed:
            continue
        distance = float(shape.distance(point))
        if best is None or distance < best[0]:
            best = (distance, code)
    if best is None:
        return None
    qpv = session.get(Qpv, best[1])
    return (qpv, best[0] == 0.0) if qpv else None
