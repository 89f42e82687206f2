"""Priority neighbourhoods (QPV): reference geography, loaded from open data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from api.models.common import JSONType, json_list, timestamp, utcnow


class Qpv(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=16)  # e.g. QN03709M
    name: str = Field(max_length=200)
    department: str = Field(index=True, max_length=3)
    communes: list[str] = json_list()  # INSEE codes
    commune_names: list[str] = json_list()
    geometry: dict[str, Any] = Field(sa_type=JSONType)  # GeoJSON MultiPolygon, WGS84
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    updated_at: datetime = timestamp(default_factory=utcnow)
