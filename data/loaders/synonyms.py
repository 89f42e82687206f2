"""Load the everyday-words synonym table used by search (one map per language)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from api.models import Synonym
from api.services.listings.upsert import ImportReport
from api.services.search.text import normalised_query


def load_synonyms(session: Session, path: Path, report: ImportReport) -> None:
    """Add missing terms and update changed ones, per language; terms added by
    coordinators in the database are kept."""
    wanted: dict[str, dict[str, list[str]]] = json.loads(path.read_text("utf-8"))[
        "synonyms"
    ]
    existing = {(s.language, s.term): s for s in session.exec(select(Synonym)).all()}
    for language, terms in wanted.items():
        for raw_term, categories in terms.items():
            term = normalised_query(raw_term)
            row = existing.get((language, term))
            if row is None:
                row = Synonym(language=language, term=term, categories=categories)
                session.add(row)
                existing[(language, term)] = row
                report.count("synonym", "created")
            elif row.categories != categories:
                row.categories = categories
                report.count("synonym", "updated")
            else:
                report.count("synonym", "unchanged")
    session.flush()
