"""Load QPV contours (ANCT, QPV 2024) from a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from sqlmodel import Session

from api.models import Qpv, utcnow
from api.services.listings.upsert import ImportReport
from api.services.places.qpv import reassign_all


def qpv_values(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    min_lon, min_lat, max_lon, max_lat = shape(feature["geometry"]).bounds
    return {
        "name": props["lib_qp"],
        "department": props["insee_dep"],
        "communes": props["insee_com"].split(","),
        "commune_names": props["lib_com"].split(","),
        "geometry": feature["geometry"],
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
    }


def load_qpvs(session: Session, path: Path, report: ImportReport) -> None:
    """Upsert every QPV of the file by code; unchanged contours are left alone."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature in features:
        code = feature["properties"]["code_qp"]
        values = qpv_values(feature)
        row = session.get(Qpv, code)
        if row is None:
            session.add(Qpv(code=code, **values))
            report.count("qpv", "created")
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            report.count("qpv", "updated")
        else:
            report.count("qpv", "unchanged")
    session.flush()
    # Places written before these contours (or under older ones) were placed
    # against what was loaded then: place them again.
    moved = reassign_all(session)
    if moved:
        report.counts[("place", "qpv recomputed")] += moved
    session.flush()
