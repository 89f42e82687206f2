"""Lists of referrals (received or sent) and the counts indicators read.

Lists show no personal field: the person's data is opened on a referral's own
page only. Counts (``people_oriented``) read no personal field either and
still count purged referrals.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.models import Organization, Referral, ReferralStatus, Service

PAGE_SIZE = 30
Direction = Literal["received", "sent"]


@dataclass(frozen=True)
class Row:
    referral: Referral
    service_name: str
    other_name: str  # the other organisation


@dataclass(frozen=True)
class ReferralPage:
    rows: list[Row]
    page: int
    pages: int
    total: int


def _scope(direction: Direction) -> tuple[object, object]:
    if direction == "received":
        return Referral.receiver_organization_id, Referral.sender_organization_id
    return Referral.sender_organization_id, Referral.receiver_organization_id


def list_for(
    session: Session,
    organization_ids: list[uuid.UUID],
    direction: Direction,
    page: int = 1,
    status: ReferralStatus | None = None,
) -> ReferralPage:
    """The referrals these organisations received (or sent), newest first."""
    own, other = _scope(direction)
    other_org = aliased(Organization)
    where = [col(own).in_(organization_ids)]  # type: ignore[arg-type]
    if status is not None:
        where.append(Referral.status == status)
    total = session.exec(select(func.count()).select_from(Referral).where(*where)).one()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    found = session.exec(
        select(Referral, Service.name, other_org.name)
        .join(Service, col(Service.id) == Referral.service_id)
        .join(other_org, other_org.id == other)
        .where(*where)
        .order_by(col(Referral.created_at).desc(), col(Referral.id))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return ReferralPage([Row(r, s, o) for r, s, o in found], page, pages, total)


def waiting_count(session: Session, organization_ids: list[uuid.UUID]) -> int:
    """Referrals received and not yet answered."""
    return session.exec(
        select(func.count())
        .select_from(Referral)
        .where(
            col(Referral.receiver_organization_id).in_(organization_ids),
            Referral.status == ReferralStatus.sent,
        )
    ).one()


def people_oriented(
    session: Session,
    organization_ids: list[uuid.UUID] | None,
    start: datetime,
    end: datetime,
) -> int:
    """How many referrals were sent in [start, end) (by these organisations,
    or by anyone when None): the "people oriented" indicator. Purged
    referrals count; no personal field is read."""
    query = (
        select(func.count())
        .select_from(Referral)
        .where(Referral.created_at >= start, Referral.created_at < end)
    )
    if organization_ids is not None:
        query = query.where(col(Referral.sender_organization_id).in_(organization_ids))
    return session.exec(query).one()
