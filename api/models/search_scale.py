"""Narrow, integer-keyed search tables: what a search filters, sorts and pages on.

Rebuilt with the rest of the search index (``api.services.search.index``), never
edited by hand. A search walks these small rows and joins the wide ``service``
rows only for the page it shows.

- ``SearchEntry``: one row per listed service, with the flags filters test and
  the keys pages sort on (``sort_key`` is the name folded for French order).
- ``SearchFacet``: the facets of each entry (theme, public, QPV, commune…).
- ``SearchPoint``: one row per (service, public place with coordinates). SQLite
  indexes it with the R*Tree ``search_point_rtree`` kept in step by triggers,
  PostgreSQL with a GiST index on ``point(lon, lat)`` (both made by migration
  0005, outside these models).
- ``SearchHours`` / ``SearchSlot``: the distinct opening-hours rules and which
  service uses which, where and when: "open now" evaluates each rule once.
- ``SearchVersion``: one counter, bumped by every write that can change a
  result; cached results are keyed by it, so every worker sees a write at once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from api.models.common import timestamp


class SearchEntry(SQLModel, table=True):
    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_sort_key", "sort_key", "id"),
        Index("ix_search_entry_updated", "updated_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", unique=True)
    organization_id: uuid.UUID = Field(index=True)
    visibility: str = Field(max_length=16)
    free: bool
    appointment_required: bool
    referral_required: bool
    sort_key: str = Field(max_length=300)
    updated_at: datetime = timestamp()


class SearchFacet(SQLModel, table=True):
    """``service_facet`` keyed by entry: filters and everyday-word themes cut
    the entries on this integer key, never on the service's UUID."""

    __tablename__ = "search_facet"
    __table_args__ = (Index("ix_search_facet_entry", "entry_id", "facet", "value"),)

    facet: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=120)
    entry_id: int = Field(foreign_key="search_entry.id", primary_key=True)


class SearchPoint(SQLModel, table=True):
    __tablename__ = "search_point"
    # Covering: the whole directory's map counts a place's points from the
    # index alone (migration 0015).
    __table_args__ = (
        Index("ix_search_point_place_cover", "place_id", "lat", "lon", "entry_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="search_entry.id", index=True)
    place_id: uuid.UUID
    lat: float
    lon: float


class SearchHours(SQLModel, table=True):
    __tablename__ = "search_hours"
    __table_args__ = (Index("ix_search_hours_rule", "opening_hours", "anchor"),)

    id: int | None = Field(default=None, primary_key=True)
    opening_hours: str = Field(max_length=1000)
    anchor: date | None = (
        None  # every-other-week rhythm, see api.services.schedules.hours
    )


class SearchSlot(SQLModel, table=True):
    __tablename__ = "search_slot"
    __table_args__ = (Index("ix_search_slot_hours", "hours_id", "entry_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="search_entry.id", index=True)
    hours_id: int = Field(foreign_key="search_hours.id")
    place_id: uuid.UUID | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class SearchVersion(SQLModel, table=True):
    __tablename__ = "search_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
