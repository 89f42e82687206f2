"""Writing listing content in other languages: one Translation row per field and
language, versioned and revisioned like every listing row (``revisions.save``).

Reading (with the fallback to French) is ``api.services.content.translations``. A change
to a French text marks its translations ``to_review`` whoever made the change:
the hook below runs inside ``save``, in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from api.i18n import LOCALES, _
from api.models import (
    Entity,
    Organization,
    Place,
    Service,
    Translation,
    TranslationStatus,
    utcnow,
)
from api.services.content.translations import FRENCH_LOCALES, TRANSLATABLE
from api.services.listings.history import FIELD_LABELS
from api.services.listings.revisions import Actor, on_change, save

# French and easy-to-read French are the source, not targets.
CONTENT_LANGUAGES: tuple[str, ...] = tuple(
    code for code in LOCALES if code not in FRENCH_LOCALES
)
MODELS: dict[str, type[Entity]] = {
    "service": Service,
    "place": Place,
    "organization": Organization,
}
# Translatable French fields per entity type. Place has no access-notes column:
# only its name is translated until one exists.
FIELDS: dict[str, tuple[str, ...]] = {
    "service": TRANSLATABLE,
    "place": ("name",),
    "organization": ("name", "description"),
}
# The same limits as the French fields (api.models.partner: Text, LongText).
MAX_LENGTH = {"name": 200, "falc_summary": 1000, "description": 10_000}


class TranslationError(ValueError):
    """A refused translation; ``loc`` names what is wrong (field, language, text)."""

    def __init__(self, loc: str, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


class Side(NamedTuple):
    field: str
    label: str
    french: str | None
    translation: Translation | None  # the live row, if any


def entity_type_of(entity: Entity) -> str:
    return str(type(entity).__tablename__)


def check(entity_type: str, field: str, language: str, text: str = "") -> None:
    """Raise TranslationError unless this field, language and text may be stored."""
    if field not in FIELDS.get(entity_type, ()):
        raise TranslationError(
            "field", _("champ non traduisible : %(field)s") % {"field": field}
        )
    if language not in CONTENT_LANGUAGES:
        raise TranslationError(
            "language", _("langue non proposée : %(code)s") % {"code": language}
        )
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        raise TranslationError("text", _("Au plus %(n)s caractères.") % {"n": limit})


def rows_of(
    session: Session, entity_type: str, entity_id: uuid.UUID, language: str | None
) -> list[Translation]:
    """Every translation row of an entity (deleted ones too), in one language or all."""
    query = select(Translation).where(
        Translation.entity_type == entity_type, Translation.entity_id == entity_id
    )
    if language is not None:
        query = query.where(Translation.language == language)
    return list(
        session.exec(
            query.order_by(col(Translation.language), col(Translation.field))
        ).all()
    )


def find(
    session: Session, entity: Entity, field: str, language: str
) -> Translation | None:
    """The row for this field and language, deleted or not (the key is unique)."""
    return session.exec(
        select(Translation).where(
            Translation.entity_type == entity_type_of(entity),
            Translation.entity_id == entity.id,
            Translation.field == field,
            Translation.language == language,
        )
    ).first()


def upsert_translation(
    session: Session,
    entity: Entity,
    field: str,
    language: str,
    text: str | None,
    status: TranslationStatus | str,
    author: str | None,
    actor: Actor,
) -> Translation | None:
    """Write one translation through ``save`` (no commit). Empty text deletes it
    (soft); a deleted row comes back when written again. Returns the row, or None
    when there was nothing to delete."""
    entity_type = entity_type_of(entity)
    text = (text or "").strip()
    check(entity_type, field, language, text)
    row = find(session, entity, field, language)
    if not text:
        if row is None or row.deleted_at is not None:
            return row
        row.deleted_at = utcnow()
        save(session, row, actor)
        return row
    status = TranslationStatus(status)
    if row is None:
        row = Translation(
            entity_type=entity_type,
            entity_id=entity.id,
            field=field,
            language=language,
            text=text,
            status=status,
            author=author,
        )
    else:
        row.text, row.status, row.deleted_at = text, status, None
        if author is not None:
            row.author = author
    save(session, row, actor)
    return row


def side_by_side(session: Session, entity: Entity, language: str) -> list[Side]:
    """Each translatable field: its label, the French text, the live translation."""
    entity_type = entity_type_of(entity)
    check(entity_type, FIELDS[entity_type][0], language)
    live = {
        row.field: row
        for row in rows_of(session, entity_type, entity.id, language)
        if row.deleted_at is None
    }
    return [
        Side(field, _(FIELD_LABELS[field]), getattr(entity, field), live.get(field))
        for field in FIELDS[entity_type]
    ]


def counts(session: Session, entity: Entity) -> dict[str, dict[str, int]]:
    """Per content language: live translations and how many are reviewed."""
    result = {code: {"done": 0, "reviewed": 0} for code in CONTENT_LANGUAGES}
    for row in rows_of(session, entity_type_of(entity), entity.id, None):
        if row.deleted_at is None and row.language in result:
            result[row.language]["done"] += 1
            if row.status == TranslationStatus.reviewed:
                result[row.language]["reviewed"] += 1
    return result


@on_change
def _french_changed(
    session: Session, obj: Entity, diff: dict[str, list[Any]], actor: Actor
) -> None:
    """A French text changed: its reviewed or machine translations are to review.
    A French text cleared: its translations go too (soft), since a translation
    of nothing would be shown alone."""
    changed = [f for f in FIELDS.get(entity_type_of(obj), ()) if f in diff]
    if not changed:
        return
    cleared = [f for f in changed if not (diff[f][1] or "").strip()]
    if cleared:
        with session.no_autoflush:
            gone = session.exec(
                select(Translation).where(
                    Translation.entity_type == entity_type_of(obj),
                    Translation.entity_id == obj.id,
                    col(Translation.field).in_(cleared),
                    col(Translation.deleted_at).is_(None),
                )
            ).all()
        for row in gone:
            row.deleted_at = utcnow()
            save(session, row, actor)
        changed = [f for f in changed if f not in cleared]
        if not changed:
            return
    query = select(Translation).where(
        Translation.entity_type == entity_type_of(obj),
        Translation.entity_id == obj.id,
        col(Translation.field).in_(changed),
        col(Translation.deleted_at).is_(None),
        col(Translation.status).in_(
            [TranslationStatus.reviewed, TranslationStatus.machine]
        ),
    )
    with session.no_autoflush:  # a read: it must not flush others' pending edits
        rows = session.exec(query).all()
    for row in rows:
        row.status = TranslationStatus.to_review
        save(session, row, actor)
