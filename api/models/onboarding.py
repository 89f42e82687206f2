"""Organisations asking to join the directory, or claiming a listing that is
already in it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from api.models.common import choice, timestamp, utcnow


class RequestKind(StrEnum):
    join = "join"  # « Référencer ma structure »: a new organisation
    claim = "claim"  # « Cette structure est la vôtre ? »: an existing one
    created = "created"  # made by a coordinator (records its territory)


class RequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Decider(StrEnum):
    coordination = "coordination"
    owners = "owners"  # a claim on an organisation that has owners


class OrganizationRequest(SQLModel, table=True):
    """A structure's request, decided by the coordinators of its commune (or,
    for a claim, by the organisation's current owners when it has some).

    The contact's name, address and phone serve only to answer the request
    and to invite them; nothing here is ever published."""

    __tablename__ = "organizationrequest"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: RequestKind = choice(RequestKind)
    decider: Decider = choice(Decider, default=Decider.coordination)
    # The claimed organisation, or the one created on approval.
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id", index=True
    )
    name: str = Field(max_length=200)
    siret: str | None = Field(default=None, max_length=14)
    insee_code: str = Field(index=True, max_length=5)
    description: str | None = Field(default=None, sa_type=Text)
    contact_name: str = Field(max_length=200)
    contact_email: str = Field(max_length=254)
    contact_phone: str | None = Field(default=None, max_length=32)
    # The language the request was written in: the answer is mailed in it.
    lang: str = Field(default="fr", max_length=8)
    status: RequestStatus = choice(
        RequestStatus, default=RequestStatus.pending, index=True
    )
    created_at: datetime = timestamp(default_factory=utcnow)
    decided_at: datetime | None = timestamp(default=None, nullable=True)
    decided_by: str | None = Field(default=None, max_length=254)
    message: str | None = Field(default=None, sa_type=Text)
