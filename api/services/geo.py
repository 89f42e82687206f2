"""Distances on the ground: a bounding box for SQL, exact haversine after."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
# 4.5 km/h: a slow walking pace, closer to what an older resident walks.
WALKING_M_PER_MIN = 75.0


@dataclass(frozen=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_m: float) -> BoundingBox:
    """The lat/lon box that contains every point within ``radius_m`` of (lat, lon)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    # Clamp near the poles, where a degree of longitude shrinks to nothing.
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
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
