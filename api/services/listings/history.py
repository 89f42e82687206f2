"""The history of a listing in words, and going back to an earlier version.

Every write goes through ``revisions.save``, which keeps a full snapshot and a
``{field: [old, new]}`` diff per version. ``history`` turns those into entries
a partner can read (who, when, which field, before → after in plain words, a
word-level diff for long texts); ``restore`` writes an earlier snapshot back as
a *new* version, so the history itself is never rewritten.

Decisions:

- ``restore`` brings back what a partner edits, not how the row is filed or
  attached: never the id, bookkeeping, slug, import keys (source, source_id),
  the demo flag, the owning organisation or parent service (moving a listing
  to another owner is not an undo), nor the QPV fields, which are recomputed
  from the coordinates on flush (``api.services.places.qpv``).
- Restoring any version leaves the listing live: restoring a version of a
  deleted row also undeletes it, in the same new version. Choosing an earlier
  version is asking for that content back on the directory; deleting again is
  one more action.
- Neither function commits, and neither checks If-Match: like ``save``, they
  write in the caller's transaction, and optimistic locking stays with the
  caller (``partner.expected_version``).
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, col, select

from api.i18n import N_, _, babel_locale, get_locale, use_locale
from api.models import (
    Closure,
    Entity,
    Fees,
    Organization,
    Permanence,
    PermanenceMode,
    Place,
    Qpv,
    Revision,
    Service,
    ServiceStatus,
    Visibility,
    Wheelchair,
)
from api.services.listings.cascades import require_live_place
from api.services.listings.revisions import BOOKKEEPING, Actor, save
from api.services.schedules.schedule_text import in_words
from api.vocabulary import CATEGORIES, PUBLICS, SERVICE_TYPES, THEMES, label

PARIS = ZoneInfo("Europe/Paris")
EMPTY = "—"

# Human names of the fields, French source; translated when a history is built.
FIELD_LABELS: dict[str, str] = {
    "id": N_("Identifiant"),
    "deleted_at": N_("Supprimée le"),
    "source": N_("Source"),
    "source_id": N_("Identifiant dans la source"),
    "is_demo": N_("Fiche de démonstration"),
    "organization_id": N_("Structure"),
    "slug": N_("Adresse de la fiche"),
    "name": N_("Nom"),
    "typology": N_("Type de structure"),
    "siret": N_("SIRET"),
    "description": N_("Description"),
    "phone": N_("Téléphone"),
    "email": N_("Courriel"),
    "website": N_("Site web"),
    "address": N_("Adresse"),
    "postal_code": N_("Code postal"),
    "commune": N_("Commune"),
    "insee_code": N_("Code INSEE"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "qpv_code": N_("Quartier (calculé)"),
    "near_qpv_code": N_("Quartier proche (calculé)"),
    "wheelchair": N_("Accès en fauteuil"),
    "confidential": N_("Adresse confidentielle"),
    "opening_hours": N_("Horaires"),
    "falc_summary": N_("Résumé FALC"),
    "categories": N_("Catégories"),
    "type": N_("Type de service"),
    "publics": N_("Publics"),
    "fees": N_("Tarif"),
    "fees_detail": N_("Détail du tarif"),
    "appointment_required": N_("Sur rendez-vous"),
    "referral_required": N_("Orientation par un professionnel"),
    "languages": N_("Langues parlées"),
    "status": N_("Statut"),
    "visibility": N_("Visibilité"),
    "last_confirmed_at": N_("Confirmée le"),
    "service_id": N_("Service"),
    "place_id": N_("Lieu"),
    "mode": N_("Mode d'accueil"),
    "valid_from": N_("Valable à partir du"),
    "valid_until": N_("Valable jusqu'au"),
    "note": N_("Remarque"),
    "start": N_("Début"),
    "end": N_("Fin"),
    "reason": N_("Motif"),
}

CHOICES: dict[type[Enum], dict[str, str]] = {
    Fees: {"free": N_("Gratuit"), "paid": N_("Payant"), "membership": N_("Adhésion")},
    ServiceStatus: {
        "draft": N_("Brouillon"),
        "pending": N_("En attente de validation"),
        "published": N_("Publié"),
        "archived": N_("Archivé"),
    },
    Visibility: {
        "public": N_("Tout le monde"),
        "professionals": N_("Professionnels seulement"),
    },
    Wheelchair: {
        "yes": N_("Accessible en fauteuil"),
        "limited": N_("Accès limité en fauteuil"),
        "no": N_("Pas accessible en fauteuil"),
        "unknown": N_("Accessibilité non renseignée"),
    },
    PermanenceMode: {
        "in_person": N_("Sur place"),
        "phone": N_("Par téléphone"),
        "remote": N_("À distance"),
        "itinerant": N_("Itinérant"),
    },
}

# Texts long enough for a word-level diff to help.
LONG_TEXT = frozenset({"description", "falc_summary", "note", "fees_detail", "reason"})
# Left out of a creation entry, which lists the initial values briefly.
TECHNICAL = frozenset({"id", "slug", "source", "source_id", "is_demo", "deleted_at"})
# Never written back by restore (see the module docstring).
NOT_RESTORED = BOOKKEEPING | {
    "id",
    "slug",
    "source",
    "source_id",
    "is_demo",
    "deleted_at",  # handled on its own: a restore always undeletes
    "organization_id",
    "qpv_code",
    "near_qpv_code",
}
ATTACHMENTS: dict[type[Entity], frozenset[str]] = {
    Permanence: frozenset({"service_id"}),
    Closure: frozenset({"service_id", "place_id"}),
}
REFERENCES: dict[str, type[Organization | Service | Place]] = {
    "organization_id": Organization,
    "service_id": Service,
    "place_id": Place,
}

Kind = Literal["created", "updated", "deleted", "undeleted"]


class Segment(NamedTuple):
    """A piece of a word diff: render "delete" as <del>, "insert" as <ins>."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str  # translated human name of the field
    before: str  # readable value, EMPTY ("—") for none
    after: str
    # Long texts only, when there was a text before: word-level inline diff.
    words: list[Segment] | None = None


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    when: datetime  # aware, UTC
    actor_type: str  # user | token | system
    actor_label: str
    kind: Kind
    changes: list[FieldChange] = field(default_factory=list)


def revisions_of(
    session: Session, model: type[Entity], entity_id: uuid.UUID
) -> list[Revision]:
    """The revisions of one listing, oldest first."""
    return list(
        session.exec(
            select(Revision)
            .where(
                Revision.entity_type == model.__tablename__,
                Revision.entity_id == entity_id,
            )
            .order_by(col(Revision.version), col(Revision.created_at))
        ).all()
    )


def history(
    session: Session, model: type[Entity], entity_id: uuid.UUID, locale: str
) -> list[HistoryEntry]:
    """Every version of a listing in words, newest first."""
    with use_locale(locale):
        values = _Values(session, model)
        entries = []
        previous: dict[str, Any] | None = None
        for revision in revisions_of(session, model, entity_id):
            if revision.version == 1 or previous is None:
                kind: Kind = "created" if revision.version == 1 else "updated"
                pairs = _initial(revision) if kind == "created" else _diff(revision)
            else:
                pairs = _changed(previous, revision)
                kind = _kind(pairs)
            entries.append(
                HistoryEntry(
                    version=revision.version,
                    when=revision.created_at,
                    actor_type=revision.actor_type,
                    actor_label=revision.actor_label,
                    kind=kind,
                    changes=[
                        values.change(name, old, new, diff=kind != "created")
                        for name, (old, new) in _in_field_order(model, pairs)
                    ],
                )
            )
            previous = revision.snapshot
    return entries[::-1]


def compare(
    session: Session,
    model: type[Entity],
    before: dict[str, Any],
    after: dict[str, Any],
    locale: str,
) -> list[FieldChange]:
    """The fields ``after`` changes in ``before`` (JSON values), in words: what
    a coordinator reads before approving a change."""
    pairs = {
        name: (before.get(name), value)
        for name, value in after.items()
        if name not in BOOKKEEPING and before.get(name) != value
    }
    with use_locale(locale):
        values = _Values(session, model)
        return [
            values.change(name, old, new, diff=True)
            for name, (old, new) in _in_field_order(model, pairs)
        ]


def _diff(revision: Revision) -> dict[str, tuple[Any, Any]]:
    return {
        name: (old, new)
        for name, (old, new) in revision.diff.items()
        if name not in BOOKKEEPING
    }


def _initial(revision: Revision) -> dict[str, tuple[Any, Any]]:
    return {
        name: (None, value)
        for name, value in revision.snapshot.items()
        if name not in BOOKKEEPING and name not in TECHNICAL and not _empty(value)
    }


def _changed(
    previous: dict[str, Any], revision: Revision
) -> dict[str, tuple[Any, Any]]:
    """What differs between two consecutive snapshots.

    Snapshots, not the stored diff: they are taken after the flush, so they
    also hold the QPV fields recomputed then, and their values are always the
    real ones (a diff's "old" value is None when the attribute had expired
    before it was set, and such a diff may even list a field that kept its
    value)."""
    names = sorted(previous.keys() | revision.snapshot.keys())
    return {
        name: (previous.get(name), revision.snapshot.get(name))
        for name in names
        if name not in BOOKKEEPING and previous.get(name) != revision.snapshot.get(name)
    }


def _kind(pairs: dict[str, tuple[Any, Any]]) -> Kind:
    if "deleted_at" in pairs:
        old, new = pairs["deleted_at"]
        if old is None and new is not None:
            return "deleted"
        if old is not None and new is None:
            return "undeleted"
    return "updated"


def _in_field_order(
    model: type[Entity], pairs: dict[str, tuple[Any, Any]]
) -> list[tuple[str, tuple[Any, Any]]]:
    order = {name: index for index, name in enumerate(model.model_fields)}
    # The soft delete first: it is what such an entry is about.
    order["deleted_at"] = -1
    return sorted(
        pairs.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
    )


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class _Values:
    """Readable values of one model's fields, in the current locale."""

    def __init__(self, session: Session, model: type[Entity]) -> None:
        self.session = session
        self.model = model
        self.locale = get_locale()
        self.names: dict[tuple[str, Any], str] = {}

    def change(self, name: str, old: Any, new: Any, diff: bool) -> FieldChange:
        words = None
        if diff and name in LONG_TEXT and isinstance(old, str) and old:
            words = word_diff(old, new if isinstance(new, str) else "")
        return FieldChange(
            field=name,
            label=_(FIELD_LABELS[name]) if name in FIELD_LABELS else name,
            before=self.text(name, old),
            after=self.text(name, new),
            words=words,
        )

    def text(self, name: str, value: Any) -> str:
        if _empty(value):
            return EMPTY
        python = from_json(self.model, name, value)
        if name == "categories":
            return self._codes(
                python,
                lambda code: (
                    label(THEMES, code) if code in THEMES else label(CATEGORIES, code)
                ),
            )
        if name == "publics":
            return self._codes(python, lambda code: label(PUBLICS, code))
        if name == "languages":
            return self._codes(python, self._language)
        if name == "type":
            return label(SERVICE_TYPES, str(python))
        if name == "opening_hours":
            return self._hours(str(python))
        if name in REFERENCES:
            return self._reference(name, python)
        if name in ("qpv_code", "near_qpv_code"):
            return self._qpv(str(python))
        return self._plain(python)

    def _plain(self, value: Any) -> str:
        if isinstance(value, bool):
            return _("Oui") if value else _("Non")
        if isinstance(value, Enum):
            choices = CHOICES.get(type(value), {})
            return (
                _(choices[value.value]) if value.value in choices else str(value.value)
            )
        locale = babel_locale(self.locale)
        if isinstance(value, datetime):
            return format_datetime(
                value, "d MMMM y, HH:mm", tzinfo=PARIS, locale=locale
            )
        if isinstance(value, date):
            return format_date(value, format="long", locale=locale)
        if isinstance(value, list | tuple):
            return self._codes(value, str)
        return str(value)

    @staticmethod
    def _codes(values: Iterable[Any], name: Any) -> str:
        return ", ".join(name(str(value)) for value in values) or EMPTY

    def _language(self, code: str) -> str:
        try:
            names = Locale.parse(babel_locale(self.locale)).languages
        except (ValueError, UnknownLocaleError):
            return code
        return str(names.get(code, code))

    def _hours(self, raw: str) -> str:
        words = in_words(raw, self.locale)
        if words is None:
            return raw  # not put into words: the string itself says more
        return f"{words} ({raw})"

    def _reference(self, name: str, row_id: Any) -> str:
        key = (name, row_id)
        if key not in self.names:
            row = self.session.get(REFERENCES[name], row_id)
            self.names[key] = row.name if row is not None else str(row_id)
        return self.names[key]

    def _qpv(self, code: str) -> str:
        key = ("qpv", code)
        if key not in self.names:
            qpv = self.session.get(Qpv, code)
            self.names[key] = f"{qpv.name} ({code})" if qpv is not None else code
        return self.names[key]


_WORD = re.compile(r"\s*\S+\s*")


def word_diff(before: str, after: str) -> list[Segment]:
    """``before`` → ``after`` as equal/delete/insert runs of whole words.

    Words are compared without their spacing; each segment keeps the spaces
    that follow its words, so joining the equal and inserted segments gives
    ``after`` back (and the equal and deleted ones, ``before``, spacing aside).
    """
    old, new = _WORD.findall(before), _WORD.findall(after)
    matcher = difflib.SequenceMatcher(
        None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False
    )
    segments: list[Segment] = []

    def add(op: Literal["equal", "insert", "delete"], words: list[str]) -> None:
        if not words:
            return
        text = "".join(words)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", new[j1:j2])
        else:
            add("delete", old[i1:i2])
            add("insert", new[j1:j2])
    return _spaced(segments)


def _spaced(segments: list[Segment]) -> list[Segment]:
    """A word at the very end (or start) of one text has no space after it
    where the other text goes on: « formation. » then deleted « Viens… » would
    read « formation.Viens ». Such a junction always involves a deleted run
    (equal and inserted runs come from the same text, spaced as typed), so the
    space goes into that run: ``after`` is still the equal and inserted text."""
    out = list(segments)
    for i in range(len(out) - 1):
        left, right = out[i], out[i + 1]
        if left.text[-1:].isspace() or right.text[:1].isspace():
            continue
        if left.op == "delete":
            out[i] = Segment("delete", left.text + " ")
        elif right.op == "delete":
            out[i + 1] = Segment("delete", " " + right.text)
    return out


@lru_cache(maxsize=256)
def _adapter(model: type[Entity], name: str) -> TypeAdapter[Any] | None:
    info = model.model_fields.get(name)
    return TypeAdapter(info.annotation) if info is not None else None


def from_json(model: type[Entity], name: str, value: Any) -> Any:
    """A snapshot value (JSON) back in the field's type: UUID, datetime, enum, …
    A field the model no longer has, or a value it no longer accepts, stays
    as it was stored."""
    adapter = _adapter(model, name)
    if adapter is None:
        return value
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return value


def restorable(model: type[Entity]) -> list[str]:
    """The columns ``restore`` writes back (see the module docstring)."""
    kept = NOT_RESTORED | ATTACHMENTS.get(model, frozenset())
    columns = [attr.key for attr in sa_inspect(model).column_attrs]
    return [name for name in columns if name not in kept]


def restore(session: Session, row: Entity, version: int, actor: Actor) -> bool:
    """Write the values of an earlier ``version`` back as a new version.

    Also undeletes the row. Returns whether anything changed (restoring the
    current version of a live row writes nothing); ValueError for a version
    this row never had. The caller commits.
    """
    for name, value in values_at(session, row, version).items():
        setattr(row, name, value)
    # As a write of place_id would: never back to a place that is gone.
    require_live_place(session, getattr(row, "place_id", None))
    row.deleted_at = None  # restoring any version brings the listing back
    return save(session, row, actor)


def values_at(session: Session, row: Entity, version: int) -> dict[str, Any]:
    """What ``restore`` would write back from ``version`` (ValueError when this
    row never had it): moderation queues these instead of writing them."""
    model = type(row)
    revision = session.exec(
        select(Revision).where(
            Revision.entity_type == model.__tablename__,
            Revision.entity_id == row.id,
            Revision.version == version,
        )
    ).first()
    if revision is None:
        raise ValueError(_("version inconnue : %(version)s") % {"version": version})
    return {
        name: _restored(model, name, revision.snapshot[name])
        for name in restorable(model)
        if name in revision.snapshot
    }


def _restored(model: type[Entity], name: str, value: Any) -> Any:
    adapter = _adapter(model, name)
    if adapter is None:
        return value
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        raise ValueError(
            _("valeur ancienne illisible pour %(field)s") % {"field": name}
        ) from error
