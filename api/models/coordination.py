"""What the coordinators' space stores: zero-result queries a coordinator hid,
who taught search which word, and when an organisation was last reminded."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from api.models.common import json_list, timestamp, utcnow


class HiddenQuery(SQLModel, table=True):
    """A zero-result query kept out of the signals page (spam, insults, a
    name typed by mistake); hidden for every coordinator, and restorable."""

    __tablename__ = "hidden_query"

    id: int | None = Field(default=None, primary_key=True)
    query: str = Field(unique=True, max_length=200)  # normalised, as counted
    hidden_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    hidden_at: datetime = timestamp(default_factory=utcnow)


class TaughtSynonym(SQLModel, table=True):
    """The theme codes a coordinator added to a synonym: they may take back
    what they taught (the superadmin any word)."""

    __tablename__ = "taught_synonym"

    id: int | None = Field(default=None, primary_key=True)
    synonym_id: int = Field(foreign_key="synonym.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    categories: list[str] = json_list()
    created_at: datetime = timestamp(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """A "please check your listings" mail a coordinator sent to an organisation."""

    __tablename__ = "reminder_sent"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    sent_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    sent_at: datetime = timestamp(default_factory=utcnow)
    recipients: int = 0
