"""Validation shared by the outreach write models: the input policy on text,
known codes only, dates within reason."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import Organization, Qpv
from api.validation import clean_text
from api.vocabulary import require_known

EARLIEST = date(2020, 1, 1)


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
