"""Coverage: how many services of each theme residents of each QPV can reach.

A service counts for a QPV and a category when it is published for everyone
(public, not deleted, its organisation live), has one of the category's
themes, and one of its permanences at a live place in or near the QPV
(``Place.qpv_code`` / ``near_qpv_code``) is held at least weekly: according
to its opening hours, validity dates and every-other-week rhythm, it has a
session in each of the next four weeks (from today, Europe/Paris; exceptional
closures do not count against it). Services by phone only, or held every other
week or once a month, do not make a neighbourhood covered.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.models import Permanence, Place, Qpv, Service
from api.services.exports.queries import exported
from api.services.schedules.hours import PARIS, Schedule
from api.vocabulary import CATEGORIES, category_of

WEEKS = 4


@dataclass
class Coverage:
    qpvs: list[Qpv]
    categories: list[str]  # category codes, in vocabulary order
    services: dict[tuple[str, str], set[uuid.UUID]] = field(default_factory=dict)

    def count(self, qpv_code: str, category: str) -> int:
        return len(self.services.get((qpv_code, category), ()))

    def per_qpv(self, category: str) -> dict[str, int]:
        return {q.code: self.count(q.code, category) for q in self.qpvs}

    def gaps(self, qpv_code: str) -> list[str]:
        return [c for c in self.categories if self.count(qpv_code, c) == 0]


def week_start(now: datetime) -> datetime:
    """Midnight today in Paris: the four weeks are counted from there."""
    return datetime.combine(now.astimezone(PARIS).date(), time(), tzinfo=PARIS)


def held_weekly(permanence: Permanence, start: datetime) -> bool:
    """A session in each of the four weeks from ``start``."""
    schedule = Schedule.of(permanence)
    try:
        return all(
            schedule.sessions(
                start + timedelta(days=7 * week), start + timedelta(days=7 * week + 7)
            )
            for week in range(WEEKS)
        )
    except ValueError:  # hours nobody can read open no neighbourhood
        return False


def coverage(session: Session, qpvs: list[Qpv], now: datetime) -> Coverage:
    """The QPV × category matrix for these QPVs."""
    result = Coverage(qpvs, list(CATEGORIES))
    codes = {q.code for q in qpvs}
    if not codes:
        return result
    rows = session.exec(
        select(Permanence, Place.qpv_code, Place.near_qpv_code, Service.categories)
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .join(Service, col(Service.id) == col(Permanence.service_id))
        .where(
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            or_(col(Place.qpv_code).in_(codes), col(Place.near_qpv_code).in_(codes)),
            exported(),
        )
    ).all()
    start = week_start(now)
    found: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    for permanence, qpv_code, near_code, themes in rows:
        if not held_weekly(permanence, start):
            continue
        categories = {category_of(t) for t in themes} & set(CATEGORIES)
        for code in {qpv_code, near_code} & codes:
            for category in categories:
                found[(code, category)].add(permanence.service_id)
    result.services = dict(found)
    return result
