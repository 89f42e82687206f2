"""Listing content in the reader's language, falling back to French."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.i18n import DEFAULT_LOCALE
from api.models import Translation, TranslationStatus

TRANSLATABLE = ("name", "falc_summary", "description")
# Interface locales whose listings are the French text itself.
FRENCH_LOCALES = frozenset({DEFAULT_LOCALE, "falc"})


@dataclass
class Texts:
    """Translated fields of one listing; ``machine_fields`` were not reviewed and
    must carry a visible "automatic translation" label."""

    values: dict[str, str] = field(default_factory=dict)
    machine_fields: list[str] = field(default_factory=list)

    language: str = DEFAULT_LOCALE

    def get(self, name: str, french: str | None) -> str | None:
        return self.values.get(name, french)

    def in_french(self, fields: dict[str, str | None]) -> list[str]:
        """The fields that fall back to French text in another language."""
        if self.language in FRENCH_LOCALES:
            return []
        return [
            name for name, text in fields.items() if text and name not in self.values
        ]


def load_texts(
    session: Session, entity_type: str, ids: list[uuid.UUID], language: str
) -> dict[uuid.UUID, Texts]:
    texts: dict[uuid.UUID, Texts] = defaultdict(lambda: Texts(language=language))
    if language in FRENCH_LOCALES or not ids:
        return texts
    rows = session.exec(
        select(Translation).where(
            Translation.entity_type == entity_type,
            col(Translation.entity_id).in_(ids),
            Translation.language == language,
            col(Translation.deleted_at).is_(None),
        )
    ).all()
    for row in rows:
        entry = texts[row.entity_id]
        entry.values[row.field] = row.text
        if row.status != TranslationStatus.reviewed:
            entry.machine_fields.append(row.field)
    return texts
