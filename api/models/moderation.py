"""Changes waiting for a coordinator's approval (moderation on a territory)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from api.models.common import JSONType, choice, timestamp, utcnow


class ReviewStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ChangeAction(StrEnum):
    publish = "publish"  # a new listing, held as "pending" until approved
    update = "update"
    delete = "delete"


class PendingChange(SQLModel, table=True):
    """A partner's change to a published listing; the public keeps seeing the
    approved version until a coordinator approves it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    entity_type: str = Field(max_length=32)
    entity_id: uuid.UUID = Field(index=True)
    action: ChangeAction = choice(ChangeAction)
    base_version: int
    values: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    actor_type: str = Field(max_length=8)
    actor_id: uuid.UUID | None = None
    actor_label: str = Field(max_length=254)
    created_at: datetime = timestamp(default_factory=utcnow)
    status: ReviewStatus = choice(
        ReviewStatus, default=ReviewStatus.pending, index=True
    )
    reviewer_label: str | None = Field(default=None, max_length=254)
    reviewed_at: datetime | None = timestamp(default=None, nullable=True)
    message: str | None = Field(default=None, sa_type=Text)
