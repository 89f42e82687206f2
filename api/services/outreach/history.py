"""An outreach action's versions in words (from ``revisions.save``'s snapshots)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from pydantic_core import to_jsonable_python
from sqlmodel import Session

from api.i18n import N_, babel_locale, gettext, use_locale
from api.models import Organization, OutreachAction, Qpv, Service
from api.services.listings.history import EMPTY, revisions_of
from api.services.outreach.vocabulary import THEMES, TYPES, language_name

LABELS: dict[str, str] = {
    "day": N_("Date"),
    "type": N_("Type d'action"),
    "qpv_code": N_("Quartier"),
    "organization_id": N_("Structure"),
    "partners": N_("Structures associées"),
    "people_met": N_("Personnes rencontrées"),
    "people_oriented": N_("Personnes orientées"),
    "people_new": N_("dont nouvelles pour la structure"),
    "oriented_to": N_("Orientées vers"),
    "oriented_services": N_("Services proposés"),
    "languages": N_("Langues utilisées"),
    "note": N_("Remarque"),
    "deleted_at": N_("Supprimée le"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    version: int
    when: datetime
    actor_label: str
    kind: str  # created | updated | deleted | restored
    changes: list[Change]


class _Text:
    def __init__(self, session: Session, locale: str) -> None:
        self.session = session
        self.locale = locale

    def __call__(self, name: str, value: Any) -> str:
        if value in (None, "", []):
            return EMPTY
        if name == "type":
            return gettext(TYPES.get(value, value))
        if name == "day":
            day = date.fromisoformat(value)
            return format_date(day, format="long", locale=babel_locale(self.locale))
        if name == "qpv_code":
            qpv = self.session.get(Qpv, value)
            return qpv.name if qpv else str(value)
        if name == "organization_id":
            return self._organization(value)
        if name == "partners":
            return ", ".join(self._organization(v) for v in value)
        if name == "oriented_services":
            return ", ".join(self._service(v) for v in value)
        if name == "oriented_to":
            return ", ".join(gettext(THEMES.get(v, v)) for v in value)
        if name == "languages":
            return ", ".join(language_name(v, self.locale) for v in value)
        return str(value)

    def _service(self, value: str) -> str:
        service = self.session.get(Service, uuid.UUID(str(value)))
        return service.name if service else str(value)

    def _organization(self, value: str) -> str:
        organization = self.session.get(Organization, uuid.UUID(str(value)))
        return organization.name if organization else str(value)


def _kind(version: int, diff: dict[str, list[Any]]) -> str:
    if version == 1:
        return "created"
    if "deleted_at" in diff:
        return "deleted" if diff["deleted_at"][1] else "restored"
    return "updated"


def action_history(
    session: Session, action: OutreachAction, locale: str
) -> list[Entry]:
    """Newest first; the creation lists the values given."""
    entries = []
    with use_locale(locale):
        text = _Text(session, locale)
        for revision in revisions_of(session, OutreachAction, action.id):
            kind = _kind(revision.version, revision.diff)
            changes = [
                Change(gettext(label), text(name, pair[0]), text(name, pair[1]))
                for name, label in LABELS.items()
                if (pair := revision.diff.get(name)) is not None
                and name != "deleted_at"
                and (kind != "created" or pair[1] not in (None, "", [], 0))
            ]
            entries.append(
                Entry(
                    revision.version,
                    revision.created_at,
                    revision.actor_label,
                    kind,
                    changes,
                )
            )
    return entries[::-1]


def described(
    session: Session, action: OutreachAction, locale: str
) -> list[tuple[str, str]]:
    """The action's current values in words (the read-only view)."""
    stored = to_jsonable_python(action.model_dump(warnings=False))
    with use_locale(locale):
        text = _Text(session, locale)
        return [
            (gettext(label), text(name, stored.get(name)))
            for name, label in LABELS.items()
            if name != "deleted_at"
        ]
