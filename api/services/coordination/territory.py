"""A coordinator's territory as the coordination pages read it: its QPVs, its
organisations, and which search statistics belong to it.

One rule everywhere: the superadmin sees every territory; a coordinator sees
the QPVs listed in their scopes and those of the communes listed there, the
organisations with a live place in them (``Principal.coordinated``), and the
searches that asked for one of those communes or QPVs.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import false, or_, true
from sqlmodel import Session, col, select

from api.models import Qpv, SearchStat
from api.services.accounts.access import Principal


def communes_of(principal: Principal) -> set[str]:
    return {c for scope in principal.territories for c in scope.communes}


def qpvs_of(session: Session, principal: Principal) -> list[Qpv]:
    """The territory's QPVs, by name."""
    rows = session.exec(select(Qpv).order_by(col(Qpv.name), col(Qpv.code))).all()
    if principal.is_superadmin:
        return list(rows)
    codes = {q for scope in principal.territories for q in scope.qpv_codes}
    communes = communes_of(principal)
    return [q for q in rows if q.code in codes or communes & set(q.communes)]


def organization_scope(principal: Principal) -> frozenset[uuid.UUID] | None:
    """The organisations the pages cover; None means every one (superadmin)."""
    return None if principal.is_superadmin else principal.coordinated


def stat_condition(session: Session, principal: Principal) -> Any:
    """SQL condition: a search statistic of this territory."""
    if principal.is_superadmin:
        return true()
    qpvs = [q.code for q in qpvs_of(session, principal)]
    communes = communes_of(principal)
    if not qpvs and not communes:
        return false()
    return or_(
        col(SearchStat.commune).in_(communes), col(SearchStat.qpv_code).in_(qpvs)
    )
