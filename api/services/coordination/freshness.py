"""Freshness: how long since each organisation's listings were last checked,
and reminders a coordinator sends.

A listing's last check is its ``last_confirmed_at`` (a partner saved it or
said "still valid"), or its creation when it was never confirmed: a listing
counts as checked when created. Ages are in months of 30.44 days. Only live
listings (published or waiting for review) of live organisations count.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import Organization, ReminderSent, Service, ServiceStatus
from api.services.partner import reminders
from api.settings import Settings

MONTH_DAYS = 30.44
# (upper bound in months, key): < 3, 3–6, 6–12, > 12.
BUCKETS = ((3, "fresh"), (6, "aging"), (12, "old"), (math.inf, "stale"))
REMIND_AFTER_MONTHS = 3  # a reminder lists the listings not checked for this long
PAGE_SIZE = 25


@dataclass
class OrgFreshness:
    organization: Organization
    counts: dict[str, int] = field(default_factory=dict)
    services: list[tuple[Service, datetime]] = field(default_factory=list)
    last_reminder: datetime | None = None

    @property
    def to_remind(self) -> int:
        return (
            self.counts.get("aging", 0)
            + self.counts.get("old", 0)
            + (self.counts.get("stale", 0))
        )


def bucket(checked: datetime, now: datetime) -> str:
    months = (now - checked) / timedelta(days=MONTH_DAYS)
    return next(key for bound, key in BUCKETS if months < bound)


def _live_services(
    session: Session, scope: frozenset[uuid.UUID] | None
) -> list[tuple[Service, Organization]]:
    query = (
        select(Service, Organization)
        .join(Organization, col(Organization.id) == col(Service.organization_id))
        .where(
            col(Service.deleted_at).is_(None),
            col(Organization.deleted_at).is_(None),
            col(Service.status).in_([ServiceStatus.published, ServiceStatus.pending]),
        )
        .order_by(col(Organization.name), col(Service.name))
    )
    if scope is not None:
        query = query.where(col(Organization.id).in_(scope))
    return [(s, o) for s, o in session.exec(query).all()]


def last_reminders(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    rows = session.exec(
        select(ReminderSent.organization_id, func.max(ReminderSent.sent_at))
        .where(col(ReminderSent.organization_id).in_(ids))
        .group_by(col(ReminderSent.organization_id))
    ).all()
    return {org_id: sent for org_id, sent in rows}


def freshness(
    session: Session, scope: frozenset[uuid.UUID] | None, now: datetime
) -> list[OrgFreshness]:
    """Per organisation with live listings, stalest first."""
    found: dict[uuid.UUID, OrgFreshness] = {}
    for service, organization in _live_services(session, scope):
        item = found.setdefault(organization.id, OrgFreshness(organization))
        checked = service.last_confirmed_at or service.created_at
        key = bucket(checked, now)
        item.counts[key] = item.counts.get(key, 0) + 1
        item.services.append((service, checked))
    sent = last_reminders(session, list(found))
    for org_id, item in found.items():
        item.last_reminder = sent.get(org_id)
    return sorted(
        found.values(),
        key=lambda i: (
            -i.counts.get("stale", 0),
            -i.counts.get("old", 0),
            -i.counts.get("aging", 0),
            i.organization.name.casefold(),
        ),
    )


def totals(items: list[OrgFreshness]) -> dict[str, int]:
    summed: dict[str, int] = defaultdict(int)
    for item in items:
        for key, count in item.counts.items():
            summed[key] += count
    return dict(summed)


def due_items(
    session: Session, items: list[OrgFreshness], now: datetime
) -> list[reminders.Due]:
    """What a reminder to each of these organisations would say, and to whom:
    their listings not checked for three months; none without recipients."""
    limit = now - timedelta(days=REMIND_AFTER_MONTHS * MONTH_DAYS)
    due = []
    for item in items:
        services = [s for s, checked in item.services if checked < limit]
        emails = reminders.recipients(session, item.organization)
        if services and emails:
            due.append(reminders.Due(item.organization, services, emails))
    return due


def send(
    session: Session,
    due: list[reminders.Due],
    settings: Settings,
    sender: uuid.UUID,
    locale: str = "fr",
) -> int:
    """Send the reminders, note them, and return how many mails left."""
    sent = 0
    for item in due:
        count = reminders.send_due([item], settings, locale)
        session.add(
            ReminderSent(
                organization_id=item.organization.id, sent_by=sender, recipients=count
            )
        )
        sent += count
    session.commit()
    return sent
