"""Validation shared by the outreach write models: the input policy on text,
known codes only, dates within reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from api.i18n import _
from api.models import Organization, Permanence, Place, Qpv, Service, ServiceStatus
from api.services.accounts.access import Principal
from api.services.outreach import scope
from api.services.outreach.vocabulary import LANGUAGES, REASONS, RIGHTS, THEMES
from api.validation import clean_text
from api.vocabulary import require_known

EARLIEST = date(2020, 1, 1)

Row = TypeVar("Row", bound=SQLModel)
Data = TypeVar("Data", bound=BaseModel)


class Refused(Exception):
    """A value the database says no to (unknown QPV, organisation not one's
    own…): the form shows ``message`` next to ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def known(values: list[str], vocabulary: Any) -> list[str]:
    return require_known(
        [clean_text(v) for v in values],
        frozenset(str(k) for k in vocabulary),
        _("Valeur inconnue : %(codes)s."),
    )


def recent_day(value: date) -> date:
    if value < EARLIEST or value > date.today() + timedelta(days=1):
        raise ValueError(_("Choisissez une date entre 2020 et aujourd'hui."))
    return value


def check_qpv(session: Session, code: str, allowed: set[str] | None) -> None:
    if session.get(Qpv, code) is None or (allowed is not None and code not in allowed):
        raise Refused("qpv_code", _("Choisissez un quartier de la liste."))


def check_partners(session: Session, ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    found = session.exec(
        select(Organization.id).where(
            col(Organization.id).in_(ids), col(Organization.deleted_at).is_(None)
        )
    ).all()
    if len(set(found)) != len(set(ids)):
        raise Refused("partners", _("Choisissez des structures de la liste."))


def check_services(session: Session, ids: list[uuid.UUID]) -> None:
    """Services proposed to the people met: published listings only."""
    if not ids:
        return
    found = session.exec(
        select(Service.id).where(
            col(Service.id).in_(ids),
            col(Service.deleted_at).is_(None),
            col(Service.status) == ServiceStatus.published,
        )
    ).all()
    if len(set(found)) != len(set(ids)):
        raise Refused("oriented_services", _("Choisissez des services de la liste."))


def service_choices(
    session: Session, qpv_code: str | None, chosen: list[str]
) -> list[tuple[str, str]]:
    """What an action's form offers: the published services held in or near
    its QPV, and those already chosen (even if they have moved since)."""
    held_here = (
        select(Permanence.service_id)
        .join(Place, col(Place.id) == Permanence.place_id)
        .where(
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            or_(Place.qpv_code == qpv_code, Place.near_qpv_code == qpv_code),
        )
    )
    ids = []
    for value in chosen:  # as typed when the form comes back with errors
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    rows = session.exec(
        select(Service.id, Service.name)
        .where(
            col(Service.deleted_at).is_(None),
            col(Service.status) == ServiceStatus.published,
            or_(col(Service.id).in_(held_here), col(Service.id).in_(ids)),
        )
        .order_by(col(Service.name), col(Service.id))
    ).all()
    return [(str(i), name) for i, name in rows]


def check_organization(principal: Principal, organization_id: uuid.UUID | None) -> None:
    """One of the user's organisations; none at all only for a coordinator."""
    if organization_id is None:
        if principal.is_coordinator:
            return
    elif principal.is_superadmin or organization_id in (
        scope.writable_organizations(principal)
    ):
        return
    raise Refused("organization_id", _("Choisissez votre structure."))


def check_target(
    session: Session,
    principal: Principal,
    organization_id: uuid.UUID | None,
    qpv_code: str,
) -> None:
    """Who logs, and where: for an organisation any QPV, for a coordinator
    alone a QPV of their territory."""
    check_organization(principal, organization_id)
    allowed = None if organization_id else scope.territory_qpvs(session, principal)
    check_qpv(session, qpv_code, allowed)


def _by_ref(session: Session, model: Any, ref: str) -> Any:
    return session.exec(select(model).where(model.client_ref == ref))


def sent_before(
    session: Session, principal: Principal, model: type[Row], data: Data
) -> tuple[Row | None, Data]:
    """The row this user already sent with this form's ``client_ref`` (a
    replay), if any; someone else's key is dropped, not shared."""
    ref = getattr(data, "client_ref", None)
    if not ref:
        return None, data
    existing = _by_ref(session, model, ref).first()
    if existing is not None and existing.created_by == principal.user_id:
        return existing, data
    if existing is not None:
        data = data.model_copy(update={"client_ref": None})
    return None, data


def commit_once(
    session: Session, row: Row, ref: str | None, write: Callable[[], object]
) -> Row:
    """Write and commit ``row``; the same entry sent twice at once (a replay
    racing a slow answer) keeps the first one."""
    try:
        write()
        session.commit()
    except IntegrityError:
        session.rollback()
        if not ref:
            raise
        return _by_ref(session, type(row), ref).one()
    return row


def page_bounds(total: int, page: int, size: int) -> tuple[int, int]:
    """(page, pages): the page asked for, kept within the pages there are."""
    pages = max(1, -(-total // size))
    return min(max(page, 1), pages), pages


# The fields the outreach forms share, with the input policy on text; lists
# of codes are cleaned and an unknown code refused.
QpvCode = Annotated[str, Field(max_length=16), AfterValidator(clean_text)]
ClientRef = Annotated[
    str | None, Field(default=None, pattern=r"^[A-Za-z0-9-]{8,64}$", max_length=64)
]
Themes = Annotated[list[str], AfterValidator(partial(known, vocabulary=THEMES))]
Languages = Annotated[list[str], AfterValidator(partial(known, vocabulary=LANGUAGES))]
Rights = Annotated[list[str], AfterValidator(partial(known, vocabulary=RIGHTS))]
Reasons = Annotated[list[str], AfterValidator(partial(known, vocabulary=REASONS))]
