"""The structures' monthly report: new registrations and first visits (centres
sociaux, France services), per month and optionally per QPV of residence.
One row per (organisation, month, QPV): reporting again corrects it, with its
history kept by ``revisions.save``."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import and_, false, or_
from sqlmodel import Session, col, func, select

from api.i18n import _
from api.models import Registration
from api.services.accounts.access import Principal
from api.services.listings.revisions import save
from api.services.outreach import scope
from api.services.outreach.forms import (
    EARLIEST,
    QpvCode,
    check_organization,
    check_qpv,
    page_bounds,
)
from api.validation import clean_text

MAX_COUNT = 1_000_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> date:
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Choisissez un mois (AAAA-MM)."))
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if month < EARLIEST or month > date.today():
        raise ValueError(_("Choisissez un mois entre 2020 et ce mois-ci."))
    return month


class RegistrationIn(BaseModel):
    organization_id: uuid.UUID
    month: str = Field(max_length=7)
    qpv_code: QpvCode = ""
    new_registrations: int = Field(default=0, ge=0, le=MAX_COUNT)
    first_visits: int = Field(default=0, ge=0, le=MAX_COUNT)

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        parse_month(clean_text(value))
        return value


def report(session: Session, principal: Principal, data: RegistrationIn) -> bool:
    """Create or correct the month's row; whether anything changed."""
    check_organization(principal, data.organization_id)
    if data.qpv_code:
        check_qpv(session, data.qpv_code, None)
    month = parse_month(data.month)
    row = session.exec(
        select(Registration).where(
            Registration.organization_id == data.organization_id,
            Registration.month == month,
            Registration.qpv_code == data.qpv_code,
        )
    ).first()
    if row is None:
        row = Registration(
            organization_id=data.organization_id,
            month=month,
            qpv_code=data.qpv_code,
            created_by=principal.user_id,
        )
    row.new_registrations = data.new_registrations
    row.first_visits = data.first_visits
    row.deleted_at = None
    changed = save(session, row, principal.actor)
    session.commit()
    return changed


def visible(session: Session, principal: Principal) -> Any:
    """SQL condition: registrations this user may read. A coordinator sees
    those of their QPVs, and those given without a QPV by an organisation
    with a place in their territory."""
    if principal.is_superadmin:
        return col(Registration.id).is_not(None)
    conditions = []
    if principal.roles:
        conditions.append(col(Registration.organization_id).in_(set(principal.roles)))
    if principal.territories:
        codes = scope.territory_qpvs(session, principal) or set()
        conditions.append(col(Registration.qpv_code).in_(codes))
        conditions.append(
            and_(
                Registration.qpv_code == "",
                col(Registration.organization_id).in_(set(principal.coordinated)),
            )
        )
    return or_(*conditions) if conditions else false()


@dataclass(frozen=True)
class RegistrationPage:
    items: list[Registration]
    page: int
    pages: int


def listed(session: Session, principal: Principal, page: int = 1) -> RegistrationPage:
    """One page (24 rows: two years of one structure) of the visible reports."""
    size = 24
    condition = (visible(session, principal), col(Registration.deleted_at).is_(None))
    total = session.exec(
        select(func.count()).select_from(Registration).where(*condition)
    ).one()
    page, pages = page_bounds(total, page, size)
    rows = session.exec(
        select(Registration)
        .where(*condition)
        .order_by(col(Registration.month).desc(), col(Registration.qpv_code))
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return RegistrationPage(list(rows), page, pages)
