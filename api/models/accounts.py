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
    # A temporary password (printed by the CLI): changed at the first sign-in.
    must_change_password: bool = False


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


class SignInSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds the secret, this row decides.

    Deleting the row ends the session at once (sign-out, password change,
    removal from an organisation, "sign out everywhere").
    """

    __tablename__ = "signinsession"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    # SHA-256 of the cookie's secret: a copy of this table opens no session.
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = timestamp(default_factory=utcnow)
    last_seen_at: datetime = timestamp(default_factory=utcnow)
    # Absolute end, whatever the activity.
    expires_at: datetime = timestamp()


class Invitation(SQLModel, table=True):
    """An invitation to join an organisation: single use, revocable, for one
    address. The link carries a secret whose SHA-256 is kept here."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    email: str = Field(max_length=254)  # lower-cased
    role: Role = choice(Role)
    token_hash: str = Field(unique=True, max_length=64)
    invited_by: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp(default_factory=utcnow)
    expires_at: datetime = timestamp()
    accepted_at: datetime | None = timestamp(default=None, nullable=True)
    revoked_at: datetime | None = timestamp(default=None, nullable=True)


class AuditKind(StrEnum):
    sign_in = "sign_in"
    sign_in_failed = "sign_in_failed"
    password_reset = "password_reset"
    signed_out_everywhere = "signed_out_everywhere"
    invitation_sent = "invitation_sent"
    invitation_accepted = "invitation_accepted"
    invitation_revoked = "invitation_revoked"
    role_changed = "role_changed"
    member_removed = "member_removed"
    token_created = "token_created"
    token_revoked = "token_revoked"
    change_approved = "change_approved"
    change_rejected = "change_rejected"


class AuditEvent(SQLModel, table=True):
    """A security event of an organisation. Append-only (the database refuses
    UPDATE and DELETE); never an IP address."""

    __tablename__ = "auditevent"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    at: datetime = timestamp(default_factory=utcnow, index=True)
    kind: AuditKind = choice(AuditKind)
    # Who acted (null: nobody signed in, e.g. a failed sign-in), by label too,
    # so the line still reads right once the account is gone.
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    actor_label: str = Field(default="", max_length=254)
    # What it was done to: an address, a token's name, a listing's name.
    subject: str = Field(default="", max_length=254)
    detail: str = Field(default="", max_length=64)  # a role, a scope list
