"""Listing content in other languages, one row per field and language."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field

from api.models.common import Entity, choice


class TranslationStatus(StrEnum):
    machine = "machine"
    to_review = "to_review"
    reviewed = "reviewed"


class Translation(Entity, table=True):
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id", "field", "language"),
    )

    entity_type: str = Field(max_length=32)  # "service", "place", "organization"
    entity_id: uuid.UUID = Field(index=True)
    field: str = Field(max_length=32)
    language: str = Field(max_length=16)
    text: str = Field(sa_type=Text)
    status: TranslationStatus = choice(
        TranslationStatus, default=TranslationStatus.machine
    )
    author: str | None = Field(default=None, max_length=200)
