"""The rows the indicators count, read once per period (one query per table,
scoped like every outreach page), and the sums made of them.

Referrals between partners (« orienter ») add one count: those sent in the
period by the organisations this user sees (their own, and the territory's
for a coordinator). A referral has no QPV, so a QPV's indicators leave it out
(``referrals`` is None)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.models import OutreachAction, Registration, RightsCheck
from api.services.accounts.access import Principal
from api.services.outreach import registrations, scope
from api.services.outreach.periods import Period
from api.services.referrals import listing as referral_listing


@dataclass
class Data:
    actions: list[OutreachAction]
    checks: list[RightsCheck]
    registrations: list[Registration]
    referrals: int | None = None  # None: not counted (one QPV)


PARIS = ZoneInfo("Europe/Paris")


def _moment(day: date) -> datetime:
    """Midnight in France: a period's days are French days."""
    return datetime.combine(day, time.min, tzinfo=PARIS)


def referrals_sent(session: Session, principal: Principal, period: Period) -> int:
    """Referrals sent in the period by the organisations this user sees."""
    organizations = (
        None
        if principal.is_superadmin
        else list(set(principal.roles) | set(principal.coordinated))
    )
    if organizations == []:
        return 0
    return referral_listing.people_oriented(
        session, organizations, _moment(period.start), _moment(period.end)
    )


def load(
    session: Session, principal: Principal, period: Period, qpv: str | None
) -> Data:
    actions = select(OutreachAction).where(
        scope.visible(session, principal, OutreachAction),
        col(OutreachAction.deleted_at).is_(None),
        OutreachAction.day >= period.start,
        OutreachAction.day < period.end,
    )
    checks = select(RightsCheck).where(
        scope.visible(session, principal, RightsCheck),
        RightsCheck.day >= period.start,
        RightsCheck.day < period.end,
    )
    reported = select(Registration).where(
        registrations.visible(session, principal),
        col(Registration.deleted_at).is_(None),
        Registration.month >= period.start,
        Registration.month < period.end,
    )
    if qpv:
        actions = actions.where(OutreachAction.qpv_code == qpv)
        checks = checks.where(RightsCheck.qpv_code == qpv)
        reported = reported.where(Registration.qpv_code == qpv)
    return Data(
        list(session.exec(actions).all()),
        list(session.exec(checks).all()),
        list(session.exec(reported).all()),
        None if qpv else referrals_sent(session, principal, period),
    )


def people_counts(data: Data) -> dict[str, int]:
    counts = {
        "met": sum(a.people_met for a in data.actions),
        "oriented": sum(a.people_oriented for a in data.actions),
        "new": sum(a.people_new for a in data.actions),
        "registrations": sum(r.new_registrations for r in data.registrations),
        "visits": sum(r.first_visits for r in data.registrations),
    }
    if data.referrals is not None:
        counts["referrals"] = data.referrals
    return counts


def impact_counts(data: Data) -> dict[str, int]:
    measured = [
        c
        for c in data.checks
        if c.confidence_before is not None and c.confidence_after is not None
    ]
    return {
        "checks": len(data.checks),
        "mobilised": sum(len(c.mobilised) for c in data.checks),
        "not_mobilised": sum(len(c.not_mobilised) for c in data.checks),
        "measured": len(measured),
        "regained": sum(
            1
            for c in measured
            if c.confidence_after > c.confidence_before  # type: ignore[operator]
        ),
    }
