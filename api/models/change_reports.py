"""« Signaler un changement »: what a resident or a social worker tells us
about a public listing (hours changed, moved, closed…), with no account.

A report holds no personal data: no name, no contact, no address of the
sender, not even the IP (rate limits count it in memory only). It reaches the
organisation that owns the listing (its dashboard) and the coordinators of
its territory; editors and coordinators move its status along.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from api.models.common import choice, timestamp, utcnow


class ReportTopic(StrEnum):
    hours = "hours"
    address = "address"
    phone = "phone"
    closed = "closed"
    other = "other"


class ReportStatus(StrEnum):
    new = "new"
    in_progress = "in_progress"
    done = "done"
    dismissed = "dismissed"


class ReportedKind(StrEnum):
    service = "service"
    place = "place"
    organization = "organization"


class ChangeReport(SQLModel, table=True):
    __tablename__ = "changereport"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # The organisation that owns the listing: who sees the report.
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    entity_type: ReportedKind = choice(ReportedKind)
    entity_id: uuid.UUID = Field(index=True)
    # The listing's name when reported (public data), shown if it changes later.
    listing_name: str = Field(max_length=300)
    topic: ReportTopic = choice(ReportTopic)
    message: str = Field(sa_type=Text)
    # The page's language: tells the reader which language the text may be in.
    lang: str = Field(max_length=16)
    status: ReportStatus = choice(ReportStatus, default=ReportStatus.new, index=True)
    created_at: datetime = timestamp(default_factory=utcnow, index=True)
    updated_at: datetime = timestamp(default_factory=utcnow)
    # Last status change: who (a member's or coordinator's label) and when.
    handled_by: str | None = Field(default=None, max_length=254)
    version: int = Field(default=1)
