"""Distances on the ground, one definition for the whole app: the haversine on
a sphere of the mean Earth radius. The search's SQL circle (``sql.distance_m``),
its bounding box, the pages and the map all use it, so a place is in or out of
a radius the same way everywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
# 4.5 km/h: a slow walking pace, closer to what an older resident walks.
WALKING_M_PER_MIN = 75.0
_MARGIN = 1.000001  # floating-point rounding must never cut a point of the edge


@dataclass(frozen=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_m: float) -> BoundingBox:
    """The lat/lon box that contains every point within ``radius_m`` of (lat, lon)
    by ``haversine_m``: exact extents of the circle (its widest longitude is
    asin(sin(d)/cos(lat)), not d/cos(lat)), with a hair of margin for rounding."""
    angle = radius_m / EARTH_RADIUS_M
    dlat = math.degrees(angle) * _MARGIN
    cos_lat = math.cos(math.radians(lat))
    # Near a pole (or for a circle reaching past it) every longitude is in.
    if angle >= math.pi / 2 or math.sin(angle) >= cos_lat:
        return BoundingBox(lat - dlat, lat + dlat, -180.0, 180.0)
    dlon = math.degrees(math.asin(math.sin(angle) / cos_lat)) * _MARGIN
    return BoundingBox(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def walking_minutes(distance_m: float) -> int:
    """Straight-line distance turned into minutes on foot, rounded up (streets
    are longer than the crow flies, so never promise less)."""
    return max(1, math.ceil(distance_m * 1.25 / WALKING_M_PER_MIN))
