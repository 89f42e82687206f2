"""The directory itself: organisations, places, services, permanences, closures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field

from api.models.common import Entity, Sourced, choice, json_list, timestamp


class Wheelchair(StrEnum):
    yes = "yes"
    limited = "limited"
    no = "no"
    unknown = "unknown"


class Fees(StrEnum):
    free = "free"
    paid = "paid"
    membership = "membership"


class ServiceStatus(StrEnum):
    draft = "draft"
    pending = "pending"
    published = "published"
    archived = "archived"


class Visibility(StrEnum):
    public = "public"
    professionals = "professionals"


class PermanenceMode(StrEnum):
    in_person = "in_person"
    phone = "phone"
    remote = "remote"
    itinerant = "itinerant"


class Organization(Sourced, Entity, table=True):
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    slug: str = Field(unique=True, max_length=100)
    name: str = Field(max_length=200)
    typology: str | None = Field(default=None, max_length=64)
    siret: str | None = Field(default=None, max_length=14)
    description: str | None = Field(default=None, sa_type=Text)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=500)


class Place(Sourced, Entity, table=True):
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_place_lat_lon", "lat", "lon"),
    )

    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    slug: str = Field(unique=True, max_length=100)
    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=5)
    commune: str = Field(index=True, max_length=100)
    insee_code: str | None = Field(default=None, index=True, max_length=5)
    lat: float | None = None
    lon: float | None = None
    # Computed from lat/lon at write time (services.places.qpv), never typed by hand.
    qpv_code: str | None = Field(default=None, index=True, max_length=16)
    near_qpv_code: str | None = Field(default=None, index=True, max_length=16)
    wheelchair: Wheelchair = choice(Wheelchair, default=Wheelchair.unknown)
    # A confidential place (e.g. a shelter) never shows its address or pin publicly.
    confidential: bool = False
    opening_hours: str | None = Field(default=None, max_length=1000)


class Service(Sourced, Entity, table=True):
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    slug: str = Field(unique=True, max_length=120)
    name: str = Field(max_length=200)
    falc_summary: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    categories: list[str] = json_list()  # data·inclusion thématiques
    type: str | None = Field(default=None, max_length=32)  # data·inclusion types
    publics: list[str] = json_list()
    fees: Fees = choice(Fees, default=Fees.free)
    fees_detail: str | None = Field(default=None, max_length=500)
    appointment_required: bool = False
    referral_required: bool = False
    languages: list[str] = json_list()  # ISO 639 codes spoken at the service
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    status: ServiceStatus = choice(
        ServiceStatus, default=ServiceStatus.draft, index=True
    )
    visibility: Visibility = choice(Visibility, default=Visibility.public)
    last_confirmed_at: datetime | None = timestamp(default=None, nullable=True)
    # data·inclusion's justificatifs / conditions_acces, zone_eligibilite (INSEE
    # commune, department or region codes), mobilisation_precisions and
    # lien_mobilisation: what an import brings that the forms did not ask.
    required_documents: str | None = Field(default=None, sa_type=Text)
    eligibility_area: list[str] = json_list()
    referral_how: str | None = Field(default=None, sa_type=Text)
    referral_link: str | None = Field(default=None, max_length=500)


class Permanence(Entity, table=True):
    """A service held at a place (or by phone) on an OSM opening_hours schedule."""

    service_id: uuid.UUID = Field(foreign_key="service.id", index=True)
    place_id: uuid.UUID | None = Field(default=None, foreign_key="place.id", index=True)
    mode: PermanenceMode = choice(PermanenceMode, default=PermanenceMode.in_person)
    opening_hours: str = Field(max_length=1000)
    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = Field(default=None, max_length=500)
    # Every-other-week rules (week 01-53/2, 02-52/2) hold as written in this
    # date's ISO year and keep their two-week rhythm across years from it.
    biweekly_anchor: date | None = None


class Closure(Entity, table=True):
    """An exceptional closure of a service or a whole place; days are inclusive."""

    service_id: uuid.UUID | None = Field(
        default=None, foreign_key="service.id", index=True
    )
    place_id: uuid.UUID | None = Field(default=None, foreign_key="place.id", index=True)
    start: date
    end: date
    reason: str | None = Field(default=None, max_length=300)
