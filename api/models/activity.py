"""What happened: listing revisions, anonymous search counts, outreach actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import Entity, JSONType, choice, timestamp, utcnow


class Revision(SQLModel, table=True):
    """A full snapshot of a listing after a write, with the diff from the one before."""

    __table_args__ = (
        Index("ix_revision_entity", "entity_type", "entity_id", "version"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_type: str = Field(max_length=32)
    entity_id: uuid.UUID
    version: int
    actor_type: str = Field(max_length=8)  # user | token | system
    actor_id: uuid.UUID | None = None
    actor_label: str = Field(max_length=254)
    created_at: datetime = timestamp(default_factory=utcnow)
    snapshot: dict[str, Any] = Field(sa_type=JSONType)
    diff: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)


class SearchStat(SQLModel, table=True):
    """Anonymous, day-level search counters. No IP, no user agent, no time of day.

    The query text is kept only for searches that found nothing (unmet needs).
    """

    __table_args__ = (
        UniqueConstraint(
            "day",
            "commune",
            "qpv_code",
            "categories",
            "language",
            "result_bucket",
            "query",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    commune: str = Field(default="", max_length=5)
    qpv_code: str = Field(default="", max_length=16)
    categories: str = Field(default="", max_length=500)  # sorted, comma-separated
    language: str = Field(default="", max_length=16)
    result_bucket: str = Field(max_length=8)  # "0", "1-5", "6-20", "21+"
    query: str = Field(default="", max_length=200)
    count: int = 1


class OutreachType(StrEnum):
    stand = "stand"  # stand mobile
    door_to_door = "door_to_door"
    off_site = "off_site"  # permanence hors les murs
    workshop = "workshop"
    other = "other"


class OutreachAction(Entity, table=True):
    """An "aller vers" action logged by a coordinator or a partner."""

    day: date = Field(index=True)
    type: OutreachType = choice(OutreachType)
    qpv_code: str | None = Field(default=None, index=True, max_length=16)
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id"
    )
    people_met: int = Field(default=0, ge=0)
    people_oriented: int = Field(default=0, ge=0)
    people_new: int = Field(default=0, ge=0)  # of those oriented, new to the structure
    note: str | None = Field(default=None, sa_type=Text)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
