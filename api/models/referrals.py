"""Referrals between partners ("orienter"): a professional of one organisation
sends a person to another organisation's service.

The person's data (first name, how to reach them, the need in words, a
decline reason) is held only as ciphertext (``*_secret`` columns, Fernet
tokens written by ``api.services.referrals.crypto``) and is erased by the
purge after the retention period; what stays (theme, languages, urgency,
status, dates, organisations) is what the "people oriented" counts need.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from api.models.common import choice, json_list, timestamp, utcnow


class ReferralStatus(StrEnum):
    sent = "sent"
    accepted = "accepted"
    declined = "declined"
    closed = "closed"


class Urgency(StrEnum):
    normal = "normal"
    soon = "soon"  # within the week
    urgent = "urgent"


def secret() -> Any:
    """A ciphertext column (None: never given, or purged)."""
    return Field(default=None, sa_type=Text, nullable=True)


class Referral(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True)
    sender_organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True)
    receiver_organization_id: uuid.UUID = Field(
        foreign_key="organization.id", index=True
    )
    # The professional who sent it (mailed on every status change); null
    # once their account is gone. The label keeps the history readable.
    sender_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    sender_label: str = Field(max_length=254)
    theme: str = Field(max_length=64)  # a category code
    urgency: Urgency = choice(Urgency)
    languages: list[str] = json_list()
    status: ReferralStatus = choice(ReferralStatus, index=True)
    # The person agreed that their first name and contact be passed on.
    consent: bool = False
    need_secret: str | None = secret()
    first_name_secret: str | None = secret()
    contact_secret: str | None = secret()
    created_at: datetime = timestamp(default_factory=utcnow, index=True)
    updated_at: datetime = timestamp(default_factory=utcnow)
    purged_at: datetime | None = timestamp(default=None, nullable=True)
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's API
        """Two people deciding at once: the second UPDATE matches no row."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class ReferralEvent(SQLModel, table=True):
    """One step of a referral's history: sent, accepted, declined, closed."""

    __tablename__ = "referralevent"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    at: datetime = timestamp(default_factory=utcnow)
    status: ReferralStatus = choice(ReferralStatus)
    organization_id: uuid.UUID = Field(foreign_key="organization.id")
    actor_label: str = Field(max_length=254)
    # A decline reason may speak of the person: encrypted, purged.
    reason_secret: str | None = secret()
