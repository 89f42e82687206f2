"""Who may write: users, roles, coordinator scopes, API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.common import Entity, choice, json_list, timestamp, utcnow


class Role(StrEnum):
    owner = "owner"
    editor = "editor"
    reader = "reader"


class User(Entity, table=True):
    email: str = Field(unique=True, max_length=254)  # stored lower-cased
    name: str | None = Field(default=None, max_length=200)
    password_hash: str | None = Field(default=None, max_length=200)
    is_active: bool = True
    is_superadmin: bool = False
    last_login_at: datetime | None = timestamp(default=None, nullable=True)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    role: Role = choice(Role)
    created_at: datetime = timestamp(default_factory=utcnow)


class CoordinatorScope(SQLModel, table=True):
    """A coordinator's territory: they act on every organisation with a place in it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=200)
    communes: list[str] = json_list()  # INSEE codes
    qpv_codes: list[str] = json_list()
    moderation: bool = False  # partner changes wait for approval when on
    created_at: datetime = timestamp(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=100)
    # The first characters of the secret, shown in lists to tell tokens apart.
    prefix: str = Field(unique=True, max_length=16)
    # SHA-256 of the whole token: tokens are long random secrets, so a slow
    # hash adds nothing and would cost every API call.
    token_hash: str = Field(max_length=64)
    scopes: list[str] = json_list()
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp(default_factory=utcnow)
    last_used_at: datetime | None = timestamp(default=None, nullable=True)
    revoked_at: datetime | None = timestamp(default=None, nullable=True)
