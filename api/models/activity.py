"""What happened: listing revisions and anonymous search counts (outreach
actions live in api.models.outreach)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import JSONType, timestamp, utcnow


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
