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
    postal_code: str | None = Field(description="Hidden for confidential places.")
    commune: str
    insee_code: str | None = Field(description="Hidden for confidential places.")
    lat: float | None = Field(None, description="Hidden for confidential places.")
    lon: float | None = Field(None, description="Hidden for confidential places.")
    qpv_code: str | None = Field(description="Hidden for confidential places.")
    near_qpv_code: str | None = Field(description="Hidden for confidential places.")
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
    biweekly_anchor: date | None = Field(
        None, description="Keeps every-other-week rules in step across years."
    )


class ClosurePublic(Read):
    start: date
    end: date
    reason: str | None


class TranslatedText(BaseModel):
    text: str
    language: str
    machine: bool = Field(description="True when an unreviewed automatic translation.")


EXAMPLE_HIT = {
    "id": "0b8f2f0e-1a51-4c55-9a52-0d6f5a3c2e11",
    "name": "Épicerie solidaire",
    "organization": {
        "id": "5e0c8d9a-2c1b-4f7e-8d35-2b9e4a6f7c10",
        "name": "Épicerie du Sanitas",
    },
    "falc_summary": "Des produits pas chers pour les familles.",
    "categories": [
        {"code": "equipement-et-alimentation--alimentation", "label": "Alimentation"}
    ],
    "publics": [{"code": "familles", "label": "Familles"}],
    "fees": "free",
    "appointment_required": False,
    "referral_required": True,
    "languages": ["fr", "ar"],
    "phone": "02 47 00 11 22",
    "wheelchair": True,
    "distance_m": 220,
    "walking_minutes": 4,
    "open_now": False,
    "next_session": {
        "start": "2026-12-09T14:00:00+01:00",
        "end": "2026-12-09T17:00:00+01:00",
        "place_id": "9d3c1f7a-7e2b-4b8e-9f0a-3c2d1e4f5a6b",
        "place_name": "Local Saint-Paul",
    },
    "schedule": ["2e et 4e mercredis du mois, 14 h – 17 h ; fermé les jours fériés"],
    "places": [],
    "last_confirmed_at": "2026-10-02T00:00:00Z",
    "stale": False,
    "updated_at": "2026-11-20T10:12:00Z",
    "translated": [],
    "town": "Tours",
    "address": "12 rue Saint-Paul, 37000 Tours",
    "today": [],
    "closure": None,
    "language_names": [
        {"code": "fr", "label": "français"},
        {"code": "ar", "label": "arabe"},
    ],
    "other_places": 0,
}


class ServiceHit(BaseModel):
    """One search result."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_HIT]})

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
    stale: bool = Field(
        description="Not confirmed for longer than REPERES_STALE_AFTER_DAYS."
    )
    updated_at: datetime
    translated: list[str] = Field(
        default_factory=list,
        description="Fields shown in an automatic translation, not yet reviewed.",
    )
    in_french: list[str] = Field(
        default_factory=list,
        description="Fields shown in French because they have no translation in "
        '`lang` yet (marked `lang="fr"` on the pages).',
    )
    town: str | None = Field(
        None,
        description="Commune of the place of the next session (else the first "
        "place); none for services by phone or at a distance only.",
    )
    address: str | None = Field(
        None,
        description="Street, postal code and commune of that place; hidden for "
        "confidential places.",
    )
    other_places: int = Field(0, description="How many other places hold it.")
    today: list[SessionSlot] = Field(
        default_factory=list,
        description="Sessions left on the day of the evaluated moment (under way "
        "or to come, Paris time), closures removed.",
    )
    closure: ClosurePublic | None = Field(
        None,
        description="A closure running on the evaluated day: of the service, or of "
        "every place holding it.",
    )
    language_names: list[Coded] = Field(
        default_factory=list,
        description="`languages`, each named in the request language.",
    )


class SearchPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [EXAMPLE_HIT], "total": 1, "page": 1, "size": 20, "pages": 1}
            ]
        }
    )

    items: list[ServiceHit]
    total: int = Field(
        description="How many services match; counting stops at 1,000 (then "
        "`total_capped` is true and pages say « more than 1000 »)."
    )
    total_capped: bool = Field(
        False, description="`total` is a floor: more services match than it says."
    )
    page: int
    size: int
    pages: int
    unreadable: bool = Field(
        False,
        description="`q` held no word search can use (only punctuation, symbols "
        "or short function words) and means no theme: nothing is returned rather "
        "than everything.",
    )
    corrected_query: str | None = Field(
        None,
        description="When `q` found nothing and a spelling correction drawn from "
        "the index's own words did, the corrected words: the items are its results.",
    )


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


class Translated(BaseModel):
    translated: list[str] = Field(
        default_factory=list,
        description="Fields shown in an automatic translation, not yet reviewed.",
    )
    in_french: list[str] = Field(
        default_factory=list,
        description="Fields shown in French: no translation in `lang` yet.",
    )


class PlaceDetail(PlaceRef, Translated):
    organization: OrganizationRef
    opening_hours: str | None
    services: list[ServiceRef] = Field(description="Published services held here.")


class OrganizationDetail(OrganizationPublic, Translated):
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
