"""« Aller vers »: outreach actions, anonymous rights checks and the structures'
monthly registrations — the fiche projet 4.1.3's indicators are computed from
these three tables only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import Entity, choice, json_list, timestamp, utcnow


class OutreachType(StrEnum):
    # Codes stay within 12 characters: the column's length is that of the
    # longest one, and a longer one would need a type migration.
    stand = "stand"  # stand mobile
    door_to_door = "door_to_door"  # porte-à-porte
    building = "building"  # pied d'immeuble
    off_site = "off_site"  # permanence hors les murs
    maraude = "maraude"
    workshop = "workshop"  # atelier collectif
    event = "event"  # événement
    visit = "visit"  # visite de courtoisie
    other = "other"


class OutreachAction(Entity, table=True):
    """An "aller vers" action logged by a partner or a coordinator.

    Only counts and the organisations' own note: never a resident's name."""

    day: date = Field(index=True)
    type: OutreachType = choice(OutreachType)
    qpv_code: str | None = Field(default=None, index=True, max_length=16)
    # The organisation that logged it (none for a coordinator acting alone).
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id"
    )
    partners: list[str] = json_list()  # other organisations involved (ids)
    people_met: int = Field(default=0, ge=0)
    people_oriented: int = Field(default=0, ge=0)
    people_new: int = Field(default=0, ge=0)  # of those oriented, new to the structure
    oriented_to: list[str] = json_list()  # categories (data·inclusion) oriented to
    oriented_services: list[str] = json_list()  # services (ids) proposed to them
    languages: list[str] = json_list()  # ISO 639 codes used
    note: str | None = Field(default=None, sa_type=Text)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    # Made by the form when it opens: a form sent twice (offline replay, back
    # button) is recorded once.
    client_ref: str | None = Field(default=None, unique=True, max_length=64)


class RightsCheck(SQLModel, table=True):
    """One anonymous rights check: codes and a scale, nothing about the person
    (no name, no contact, no free text). It only feeds aggregates."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    day: date = Field(index=True)
    qpv_code: str = Field(index=True, max_length=16)
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id"
    )
    discussed: list[str] = json_list()  # right codes
    mobilised: list[str] = json_list()
    not_mobilised: list[str] = json_list()
    reasons: list[str] = json_list()  # why not mobilised (reason codes)
    confidence_before: int | None = Field(default=None, ge=1, le=4)
    confidence_after: int | None = Field(default=None, ge=1, le=4)
    proposed: list[str] = json_list()  # categories of services proposed
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp(default_factory=utcnow)
    client_ref: str | None = Field(default=None, unique=True, max_length=64)


class Registration(Entity, table=True):
    """A structure's new registrations and first visits in one month (and,
    when it knows, among residents of one QPV: "" for all)."""

    __table_args__ = (UniqueConstraint("organization_id", "month", "qpv_code"),)

    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    month: date  # the first day of the month
    qpv_code: str = Field(default="", max_length=16)
    new_registrations: int = Field(default=0, ge=0)
    first_visits: int = Field(default=0, ge=0)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
