"""Invented « aller vers » rows for the demo, so the outreach pages and the
coordination indicators have something to show after ``make run``.

The demo centres sociaux of Tours and Nantes whose place lies in a QPV each get,
for the current month and the two before it: two outreach actions, three
anonymous rights checks and one monthly registration report. Figures come from
a checksum of the organisation and the month, so the same day gives the same
rows; each row has a fixed key (``client_ref``, or the registration's
organisation × month × QPV) and is only added when missing: running the loader
twice changes nothing. A later month adds that month's rows.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from api.models import (
    Organization,
    OutreachAction,
    OutreachType,
    Place,
    Registration,
    RightsCheck,
)
from api.services.listings.revisions import Actor, save
from api.services.listings.upsert import ImportReport
from api.services.outreach.periods import month_of
from api.services.outreach.vocabulary import CATEGORIES, REASONS, RIGHTS

COMMUNES = ("37261", "44109")  # Tours, Nantes
MONTHS = 3
TYPES = tuple(OutreachType)
RIGHT_CODES = tuple(RIGHTS)
REASON_CODES = tuple(REASONS)
CATEGORY_CODES = tuple(CATEGORIES)


@dataclass(frozen=True)
class Site:
    organization_id: uuid.UUID
    slug: str
    qpv_code: str


def _number(*parts: object) -> int:
    """A stable pseudo-random number from these parts."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def _pick(options: tuple[str, ...], seed: int, count: int) -> list[str]:
    return sorted({options[(seed >> (3 * i)) % len(options)] for i in range(count)})


def sites(session: Session) -> list[Site]:
    """Demo centres sociaux of Tours and Nantes with a live place in a QPV."""
    rows = session.exec(
        select(Organization.id, Organization.slug, Place.qpv_code)
        .join(Place, col(Place.organization_id) == Organization.id)
        .where(
            col(Organization.is_demo),
            col(Organization.slug).startswith("centre-social-"),
            col(Organization.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            col(Place.qpv_code).is_not(None),
            col(Place.insee_code).in_(COMMUNES),
        )
        .order_by(col(Organization.slug), col(Place.qpv_code))
    ).all()
    seen: dict[str, Site] = {}
    for organization_id, slug, qpv_code in rows:
        seen.setdefault(slug, Site(organization_id, slug, str(qpv_code)))
    return list(seen.values())


def _ref(site: Site, month: date, row: str) -> str:
    """The row's fixed key (a slug may be longer than the column)."""
    return f"demo-{_number(site.slug):08x}-{month:%Y%m}-{row}"


def _day(month: date, seed: int, today: date) -> date:
    return min(month.replace(day=1 + seed % 28), today)


def _action(site: Site, month: date, index: int, today: date) -> OutreachAction:
    seed = _number(site.slug, month, "action", index)
    met = 6 + seed % 25
    oriented = 2 + (seed >> 5) % (met - 1)
    return OutreachAction(
        client_ref=_ref(site, month, f"a{index}"),
        day=_day(month, seed, today),
        type=TYPES[(seed >> 9) % len(TYPES)],
        qpv_code=site.qpv_code,
        organization_id=site.organization_id,
        people_met=met,
        people_oriented=oriented,
        people_new=(seed >> 13) % (oriented + 1),
        oriented_to=_pick(CATEGORY_CODES, seed >> 2, 2),
        languages=["fr", *_pick(("ar", "ps", "fa", "uk", "tr"), seed >> 4, 1)],
        note="Action inventée pour la démonstration.",
    )


def _check(site: Site, month: date, index: int, today: date) -> RightsCheck:
    seed = _number(site.slug, month, "check", index)
    before = 1 + seed % 3
    return RightsCheck(
        client_ref=_ref(site, month, f"c{index}"),
        day=_day(month, seed, today),
        qpv_code=site.qpv_code,
        organization_id=site.organization_id,
        discussed=_pick(RIGHT_CODES, seed, 3),
        mobilised=_pick(RIGHT_CODES, seed >> 1, 1),
        not_mobilised=_pick(RIGHT_CODES, seed >> 7, 1),
        reasons=_pick(REASON_CODES, seed >> 11, 1),
        confidence_before=before,
        confidence_after=min(4, before + (seed >> 15) % 2),
        proposed=_pick(CATEGORY_CODES, seed >> 6, 1),
    )


def _registration(site: Site, month: date) -> Registration:
    seed = _number(site.slug, month, "registration")
    return Registration(
        organization_id=site.organization_id,
        month=month,
        qpv_code=site.qpv_code,
        new_registrations=3 + seed % 15,
        first_visits=4 + (seed >> 4) % 20,
    )


def _months(today: date) -> list[date]:
    period = month_of(today)
    starts = [period.start]
    for _i in range(MONTHS - 1):
        period = period.previous()
        starts.append(period.start)
    return starts


def load_outreach_demo(
    session: Session, actor: Actor, report: ImportReport, today: date | None = None
) -> None:
    """Add the missing demo outreach rows (idempotent)."""
    today = today or date.today()
    refs = set(
        session.exec(
            select(OutreachAction.client_ref).where(
                col(OutreachAction.client_ref).startswith("demo-")
            )
        ).all()
    ) | set(
        session.exec(
            select(RightsCheck.client_ref).where(
                col(RightsCheck.client_ref).startswith("demo-")
            )
        ).all()
    )
    for site in sites(session):
        for month in _months(today):
            _load_month(session, site, month, today, refs, actor, report)


def _load_month(
    session: Session,
    site: Site,
    month: date,
    today: date,
    refs: set[str | None],
    actor: Actor,
    report: ImportReport,
) -> None:
    for index in range(2):
        action = _action(site, month, index, today)
        if action.client_ref in refs:
            report.count("outreachaction", "unchanged")
        else:
            save(session, action, actor)
            report.count("outreachaction", "created")
    for index in range(3):
        check = _check(site, month, index, today)
        if check.client_ref in refs:
            report.count("rightscheck", "unchanged")
        else:
            session.add(check)
            report.count("rightscheck", "created")
    reported = session.exec(
        select(Registration.id).where(
            Registration.organization_id == site.organization_id,
            Registration.month == month,
            Registration.qpv_code == site.qpv_code,
        )
    ).first()
    if reported is not None:
        report.count("registration", "unchanged")
    else:
        save(session, _registration(site, month), actor)
        report.count("registration", "created")
