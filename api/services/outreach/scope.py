"""Who sees and writes which outreach data: one rule, used by every page and
export.

- The superadmin sees everything.
- A coordinator sees what happened in the QPVs of their territory (its QPVs,
  and every QPV of its communes), whoever logged it.
- A member of an organisation (any role) sees their organisation's entries;
  readers cannot write.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import false, or_
from sqlmodel import Session, col, select

from api.models import Place, Qpv, Role
from api.services.accounts.access import RANK, Principal
from api.services.coordination.territory import qpvs_of


def territory_qpvs(session: Session, principal: Principal) -> set[str] | None:
    """The QPV codes of the coordinator's territories (None: all, superadmin)."""
    if principal.is_superadmin:
        return None
    return {qpv.code for qpv in qpvs_of(session, principal)}


def writable_organizations(principal: Principal) -> set[uuid.UUID]:
    """Organisations for which this user logs entries (editor or owner)."""
    return {
        org for org, role in principal.roles.items() if RANK[role] >= RANK[Role.editor]
    }


def visible(session: Session, principal: Principal, model: Any) -> Any:
    """SQL condition: rows of ``model`` (with qpv_code and organization_id)
    this user may read."""
    if principal.is_superadmin:
        return col(model.id).is_not(None)
    conditions = []
    if principal.roles:
        conditions.append(col(model.organization_id).in_(set(principal.roles)))
    if principal.territories:
        codes = territory_qpvs(session, principal) or set()
        conditions.append(col(model.qpv_code).in_(codes))
    return or_(*conditions) if conditions else false()


def can_read(session: Session, principal: Principal, row: Any) -> bool:
    if principal.is_superadmin or row.organization_id in principal.roles:
        return True
    codes = territory_qpvs(session, principal) if principal.territories else set()
    return bool(codes) and row.qpv_code in (codes or set())


def can_write(session: Session, principal: Principal, row: Any) -> bool:
    if principal.is_superadmin:
        return True
    if row.organization_id in writable_organizations(principal):
        return True
    codes = territory_qpvs(session, principal) if principal.territories else set()
    return bool(codes) and row.qpv_code in (codes or set())


def qpv_choices(session: Session, principal: Principal) -> list[Qpv]:
    """The QPVs offered in the forms: the coordinator's territory, and those
    of the departments where the user's organisations have places (every QPV
    when that says nothing)."""
    if principal.is_superadmin:
        return list(session.exec(select(Qpv).order_by(col(Qpv.name))).all())
    codes = territory_qpvs(session, principal) or set()
    departments = _departments(session, writable_organizations(principal))
    query = select(Qpv).order_by(col(Qpv.name))
    if departments:
        query = query.where(
            or_(col(Qpv.department).in_(departments), col(Qpv.code).in_(codes))
        )
    elif codes or not writable_organizations(principal):
        query = query.where(col(Qpv.code).in_(codes))
    return list(session.exec(query).all())


def _departments(session: Session, organizations: set[uuid.UUID]) -> set[str]:
    if not organizations:
        return set()
    insee = session.exec(
        select(Place.insee_code).where(
            col(Place.organization_id).in_(organizations),
            col(Place.deleted_at).is_(None),
            col(Place.insee_code).is_not(None),
        )
    ).all()
    return {code[:2] for code in insee if code}


def may_log(principal: Principal) -> bool:
    """Whether this user may log outreach entries at all."""
    return principal.is_coordinator or bool(writable_organizations(principal))
