"""The anonymous rights check: codes and a confidence scale, never a name, a
contact or free text about the person. Recorded once, never edited: it only
feeds the indicators' aggregates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from sqlmodel import Session, col, func, select

from api.i18n import _
from api.models import RightsCheck
from api.services.accounts.access import Principal
from api.services.outreach import scope
from api.services.outreach.forms import (
    ClientRef,
    QpvCode,
    Reasons,
    Rights,
    Themes,
    check_target,
    commit_once,
    recent_day,
    sent_before,
)

Scale = Annotated[int | None, Field(default=None, ge=1, le=4)]


class RightsCheckIn(BaseModel):
    # Anything else sent (a name, a phone number…) is refused, not ignored.
    model_config = ConfigDict(extra="forbid")

    day: Annotated[date, AfterValidator(recent_day)]
    qpv_code: QpvCode
    organization_id: uuid.UUID | None = None
    discussed: Rights = Field(default_factory=list)
    mobilised: Rights = Field(default_factory=list)
    not_mobilised: Rights = Field(default_factory=list)
    reasons: Reasons = Field(default_factory=list)
    confidence_before: Scale = None
    confidence_after: Scale = None
    proposed: Themes = Field(default_factory=list)
    client_ref: ClientRef = None

    @field_validator("not_mobilised")
    @classmethod
    def _not_both(cls, value: list[str], info: ValidationInfo) -> list[str]:
        mobilised = set(info.data.get("mobilised") or ())
        if mobilised & set(value):
            raise ValueError(
                _("Un droit ne peut pas être à la fois mobilisé et non mobilisé.")
            )
        return value


def record(session: Session, principal: Principal, data: RightsCheckIn) -> RightsCheck:
    existing, data = sent_before(session, principal, RightsCheck, data)
    if existing is not None:
        return existing
    check_target(session, principal, data.organization_id, data.qpv_code)
    values = data.model_dump()
    # Asked about means discussed: the aggregates count each right once.
    values["discussed"] = sorted(
        set(data.discussed) | set(data.mobilised) | set(data.not_mobilised)
    )
    check = RightsCheck(**values, created_by=principal.user_id)
    return commit_once(session, check, data.client_ref, lambda: session.add(check))


def count_visible(session: Session, principal: Principal) -> int:
    query = select(func.count()).where(scope.visible(session, principal, RightsCheck))
    return int(session.exec(query.select_from(RightsCheck)).one())


def recent(
    session: Session, principal: Principal, limit: int = 10
) -> list[RightsCheck]:
    query = (
        select(RightsCheck)
        .where(scope.visible(session, principal, RightsCheck))
        .order_by(col(RightsCheck.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())
