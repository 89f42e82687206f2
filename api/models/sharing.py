"""Places shared between organisations, and organisations' deletion requests.

A place belongs to its organisation. Another organisation (a France services
hosting partners, say) may attach permanences to it only once the place's
owner has granted it (``PlaceGrant``); revoking the grant stops new
attachments. Deleting an organisation is asked by one of its owners and
confirmed by a coordinator (``DeletionRequest``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import timestamp, utcnow


class PlaceGrant(SQLModel, table=True):
    """The place's owner lets ``organization_id`` hold permanences there."""

    __table_args__ = (UniqueConstraint("place_id", "organization_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    place_id: uuid.UUID = Field(foreign_key="place.id", index=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    granted_by: str = Field(max_length=254)
    created_at: datetime = timestamp(default_factory=utcnow)


class DeletionRequest(SQLModel, table=True):
    """An owner asked for their organisation to be deleted; a coordinator
    confirms (the organisation is then soft-deleted) or dismisses it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    requested_by: str = Field(max_length=254)
    requested_at: datetime = timestamp(default_factory=utcnow)
    decided_by: str | None = Field(default=None, max_length=254)
    decided_at: datetime | None = timestamp(default=None, nullable=True)
    confirmed: bool | None = None
