"""Outreach actions: the write model, and create / update / delete / restore
through ``revisions.save`` (every version kept), scoped by ``scope``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator
from sqlmodel import Session, col, func, select

from api.i18n import _
from api.models import OutreachAction, OutreachType, utcnow
from api.services.accounts.access import Principal
from api.services.listings.revisions import save
from api.services.outreach import scope
from api.services.outreach.forms import (
    ClientRef,
    Languages,
    QpvCode,
    Themes,
    check_partners,
    check_services,
    check_target,
    commit_once,
    page_bounds,
    recent_day,
    sent_before,
)
from api.validation import clean_text

PAGE_SIZE = 25
MAX_PEOPLE = 100_000


class ActionIn(BaseModel):
    day: Annotated[date, AfterValidator(recent_day)]
    type: OutreachType
    qpv_code: QpvCode
    organization_id: uuid.UUID | None = None
    partners: list[uuid.UUID] = Field(default_factory=list, max_length=30)
    people_met: int = Field(ge=0, le=MAX_PEOPLE)
    people_oriented: int = Field(default=0, ge=0, le=MAX_PEOPLE)
    people_new: int = Field(default=0, ge=0, le=MAX_PEOPLE)
    oriented_to: Themes = Field(default_factory=list)
    oriented_services: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    languages: Languages = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=2000)
    client_ref: ClientRef = None

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return clean_text(value, multiline=True) if value else None

    @field_validator("people_oriented")
    @classmethod
    def _oriented(cls, value: int, info: ValidationInfo) -> int:
        met = info.data.get("people_met")
        if met is not None and value > met:
            raise ValueError(_("Pas plus que le nombre de personnes rencontrées."))
        return value

    @field_validator("people_new")
    @classmethod
    def _new(cls, value: int, info: ValidationInfo) -> int:
        oriented = info.data.get("people_oriented")
        if oriented is not None and value > oriented:
            raise ValueError(_("Pas plus que le nombre de personnes orientées."))
        return value


EDITABLE = tuple(name for name in ActionIn.model_fields if name != "client_ref")


class NotFound(Exception):
    """No such action, or not one this user may read (the same answer)."""


class Forbidden(Exception):
    """Readable but not writable by this user."""


def _check_target(session: Session, principal: Principal, data: ActionIn) -> None:
    """The organisation must be one the user writes for; a coordinator alone
    logs in their territory."""
    check_target(session, principal, data.organization_id, data.qpv_code)
    check_partners(session, data.partners)
    check_services(session, data.oriented_services)


def _values(data: ActionIn) -> dict[str, Any]:
    values = data.model_dump(include=set(EDITABLE))
    values["partners"] = sorted({str(p) for p in data.partners})
    values["oriented_services"] = sorted({str(s) for s in data.oriented_services})
    return values


def create(session: Session, principal: Principal, data: ActionIn) -> OutreachAction:
    """A new action; the same form sent again (same client_ref) is the same one."""
    existing, data = sent_before(session, principal, OutreachAction, data)
    if existing is not None:
        return existing
    _check_target(session, principal, data)
    action = OutreachAction(
        **_values(data), client_ref=data.client_ref, created_by=principal.user_id
    )
    return commit_once(
        session, action, data.client_ref, lambda: save(session, action, principal.actor)
    )


def readable(
    session: Session, principal: Principal, action_id: uuid.UUID
) -> OutreachAction:
    action = session.get(OutreachAction, action_id)
    if action is None or not scope.can_read(session, principal, action):
        raise NotFound
    return action


def writable(
    session: Session, principal: Principal, action_id: uuid.UUID
) -> OutreachAction:
    action = readable(session, principal, action_id)
    if not scope.can_write(session, principal, action):
        raise Forbidden
    return action


def update(
    session: Session, principal: Principal, action: OutreachAction, data: ActionIn
) -> bool:
    _check_target(session, principal, data)
    for name, value in _values(data).items():
        setattr(action, name, value)
    changed = save(session, action, principal.actor)
    session.commit()
    return changed


def set_deleted(
    session: Session, principal: Principal, action: OutreachAction, deleted: bool
) -> None:
    """Soft delete (kept, restorable, left out of lists and indicators)."""
    action.deleted_at = utcnow() if deleted else None
    save(session, action, principal.actor)
    session.commit()


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    type: str | None = None
    qpv_code: str | None = None
    organization_id: uuid.UUID | None = None
    deleted: bool = False
    page: int = 1


@dataclass(frozen=True)
class ActionPage:
    items: list[OutreachAction]
    total: int
    page: int
    pages: int


def list_actions(
    session: Session, principal: Principal, filters: Filters
) -> ActionPage:
    """The actions this user may read, newest first, one page."""
    query = select(OutreachAction).where(
        scope.visible(session, principal, OutreachAction),
        col(OutreachAction.deleted_at).is_not(None)
        if filters.deleted
        else col(OutreachAction.deleted_at).is_(None),
    )
    if filters.start:
        query = query.where(OutreachAction.day >= filters.start)
    if filters.end:
        query = query.where(OutreachAction.day <= filters.end)
    if filters.type:
        query = query.where(OutreachAction.type == filters.type)
    if filters.qpv_code:
        query = query.where(OutreachAction.qpv_code == filters.qpv_code)
    if filters.organization_id:
        query = query.where(OutreachAction.organization_id == filters.organization_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page, pages = page_bounds(total, filters.page, PAGE_SIZE)
    ordered = query.order_by(
        col(OutreachAction.day).desc(), col(OutreachAction.created_at).desc()
    )
    items = session.exec(ordered.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return ActionPage(list(items.all()), total, page, pages)
