"""What the public API and pages show: read models, never table rows.

Internal columns (source ids, demo flags, exact position of confidential places)
stay out by construction.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Coded(Read):
    code: str
    label: str


class OrganizationRef(Read):
    id: uuid.UUID
    name: str


class PlaceRef(Read):
    id: uuid.UUID
    name: str
    address: str | None = Field(None, description="Hidden for confidential places.")
    postal_code: str | None
    commune: str
    insee_code: str | None
    lat: float | None = Field(None, description="Hidden for confidential places.")
    lon: float | None = Field(None, description="Hidden for confidential places.")
    qpv_code: str | None
    near_qpv_code: str | None
    wheelchair: str
    confidential: bool


class SessionSlot(BaseModel):
    start: datetime
    end: datetime
    place_id: uuid.UUID | None
    place_name: str | None


class PermanencePublic(BaseModel):
    id: uuid.UUID
    mode: str
    opening_hours: str = Field(description="OSM opening_hours syntax.")
    schedule: str = Field(description="The same, in words, in the request language.")
    place: PlaceRef | None
    valid_from: date | None
    valid_until: date | None
    note: str | None


class ClosurePublic(Read):
    start: date
    end: date
    reason: str | None


class TranslatedText(BaseModel):
    text: str
    language: str
    machine: bool = Field(description="True when an unreviewed automatic translation.")


class ServiceHit(BaseModel):
    """One search result."""

    id: uuid.UUID
    name: str
    organization: OrganizationRef
    falc_summary: str | None
    categories: list[Coded]
    publics: list[Coded]
    fees: str
    appointment_required: bool
    referral_required: bool
    languages: list[str]
    phone: str | None = Field(description="The service's, else its organisation's.")
    wheelchair: bool = Field(description="Held in at least one accessible place.")
    distance_m: int | None = Field(None, description="To the nearest place.")
    walking_minutes: int | None = None
    open_now: bool = Field(description="Open at the evaluated moment (now or open_at).")
    next_session: SessionSlot | None
    schedule: list[str] = Field(description="Each permanence's hours, in words.")
    places: list[PlaceRef]
    last_confirmed_at: datetime | None
    updated_at: datetime
    translated: list[str] = Field(
        default_factory=list,
        description="Fields shown in an automatic translation, not yet reviewed.",
    )


class SearchPage(BaseModel):
    items: list[ServiceHit]
    total: int
    page: int
    size: int
    pages: int


class OrganizationPublic(Read):
    id: uuid.UUID
    name: str
    typology: str | None
    description: str | None
    phone: str | None
    email: str | None
    website: str | None


class ServiceDetail(ServiceHit):
    """A whole listing: everything a person needs to go there or call."""

    description: str | None
    type: Coded | None
    fees_detail: str | None
    email: str | None
    organization_detail: OrganizationPublic
    permanences: list[PermanencePublic]
    closures: list[ClosurePublic] = Field(description="Current and coming closures.")
    languages_available: list[str] = Field(
        description="Languages this listing's texts are translated into."
    )


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
    pages: int


class ServiceRef(BaseModel):
    id: uuid.UUID
    name: str
    categories: list[str]


class PlaceDetail(PlaceRef):
    organization: OrganizationRef
    opening_hours: str | None
    services: list[ServiceRef] = Field(description="Published services held here.")


class OrganizationDetail(OrganizationPublic):
    places: list[PlaceRef]
    services: list[ServiceRef]


class QpvPublic(BaseModel):
    code: str
    name: str
    communes: list[str]
    commune_names: list[str]
    services: int = Field(description="Published services held in or near it.")


class QpvDetail(QpvPublic):
    bbox: list[float] = Field(description="[min_lon, min_lat, max_lon, max_lat]")
    geometry: dict[str, Any] = Field(description="GeoJSON MultiPolygon, WGS84.")
    by_category: dict[str, int] = Field(
        description="Published services in or near the QPV, per category code."
    )


class Category(BaseModel):
    code: str
    label: str
    themes: list[Coded]
