"""The rows the indicators count, read once per period (one query per table,
scoped like every outreach page), and the sums made of them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.models import OutreachAction, Registration, RightsCheck
from api.services.accounts.access import Principal
from api.services.outreach import registrations, scope
from api.services.outreach.periods import Period


@dataclass
class Data:
    actions: list[OutreachAction]
    checks: list[RightsCheck]
    registrations: list[Registration]


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
    )


def people_counts(data: Data) -> dict[str, int]:
    return {
        "met": sum(a.people_met for a in data.actions),
        "oriented": sum(a.people_oriented for a in data.actions),
        "new": sum(a.people_new for a in data.actions),
        "registrations": sum(r.new_registrations for r in data.registrations),
        "visits": sum(r.first_visits for r in data.registrations),
    }


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
