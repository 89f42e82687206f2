"""Index thousands of services just inserted (imports) in one pass per batch.

``index.reindex`` serves every write: it deletes what the index held, loads
each service as an ORM object and rebuilds its rows. A bulk import's new
services have nothing to delete, and building an ORM object per row cost more
than the index itself (20,000 services: 60 % of the import). Here the rows are
read as plain result rows (attribute access, like the objects) and handed to
the same builders (``index.build_facets``, ``tables.store``, and
``index.build_document``'s text with each word folded once per import), so
what is indexed does not differ from ``reindex``: a test compares every
index row of both (tests/api/test_imports_bulk.py).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api.models import (
    Organization,
    Permanence,
    Place,
    SearchDocument,
    Service,
    ServiceStatus,
    Translation,
)
from api.services.listings.bulk import insert_rows
from api.services.search import tables
from api.services.search.index import build_facets, theme_labels
from api.services.search.stemming import stems
from api.services.search.tags import document_tags
from api.services.search.text import words

_BATCH = 1000
_SERVICE = Service.__table__  # type: ignore[attr-defined]
_PLACE = Place.__table__  # type: ignore[attr-defined]
_PERMANENCE = Permanence.__table__  # type: ignore[attr-defined]


def index_new(session: Session, service_ids: Collection[uuid.UUID]) -> None:
    """Index services that have no index rows yet (just inserted): the
    published ones of live organisations, as ``index.reindex`` would."""
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return
    tables.bump(session)
    for start in range(0, len(ids), _BATCH):
        _index_batch(session, ids[start : start + _BATCH])


def _index_batch(session: Session, ids: list[uuid.UUID]) -> None:
    services = session.execute(
        select(_SERVICE, Organization.name.label("organization_name"))  # type: ignore[attr-defined]
        .join(Organization, col(Organization.id) == _SERVICE.c.organization_id)
        .where(_SERVICE.c.id.in_(ids))
        .where(_SERVICE.c.deleted_at.is_(None))
        .where(_SERVICE.c.status == ServiceStatus.published)
        .where(col(Organization.deleted_at).is_(None))
    ).all()
    live = [row.id for row in services]
    _write(session, services, _places(session, live), _translations(session, live))


def index_written(
    session: Session,
    services: Sequence[Any],
    places: dict[uuid.UUID, list[tuple[Any, Any]]],
) -> None:
    """Index services just inserted from the rows the import wrote, without
    reading them back (a third of the index's time): ``services`` have
    ``organization_name`` besides their columns and are the published ones
    of live organisations; ``places`` pairs each one's permanences with
    their live place or None, as ``index.reindex`` pairs them."""
    if not services:
        return
    tables.bump(session)
    _write(session, services, places, _translations(session, [s.id for s in services]))


def _write(
    session: Session,
    services: Sequence[Any],
    places: dict[uuid.UUID, list[Any]],
    texts: dict[Any, list[str]],
) -> None:
    if not services:
        return
    facets = {row.id: build_facets(row, places[row.id]) for row in services}
    documents = [
        _document(row, texts[row.id], document_tags(places[row.id], facets[row.id]))
        for row in services
    ]
    insert_rows(session, SearchDocument.__table__, documents, one_statement=True)  # type: ignore[attr-defined]
    tables.store(session, services, places, facets)


def _places(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """(permanence, place or None) of each service, as ``index.reindex``
    pairs them: live permanences, a deleted place counting as none."""
    permanences = session.execute(
        select(_PERMANENCE)
        .where(_PERMANENCE.c.service_id.in_(ids))
        .where(_PERMANENCE.c.deleted_at.is_(None))
    ).all()
    wanted = {p.place_id for p in permanences if p.place_id is not None}
    found: dict[uuid.UUID, Any] = {}
    chunk = list(wanted)
    for start in range(0, len(chunk), _BATCH):
        for place in session.execute(
            select(_PLACE)
            .where(_PLACE.c.id.in_(chunk[start : start + _BATCH]))
            .where(_PLACE.c.deleted_at.is_(None))
        ).all():
            found[place.id] = place
    pairs: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for permanence in permanences:
        pairs[permanence.service_id].append(
            (permanence, found.get(permanence.place_id))
        )
    return pairs


def _translations(session: Session, ids: list[uuid.UUID]) -> dict[Any, list[str]]:
    texts: dict[Any, list[str]] = defaultdict(list)
    for entity_id, text in session.execute(
        select(Translation.entity_id, Translation.text)  # type: ignore[call-overload]
        .where(Translation.entity_type == "service")
        .where(col(Translation.entity_id).in_(ids))
        .where(col(Translation.deleted_at).is_(None))
    ).all():
        texts[entity_id].append(text)
    return texts


def _document(row: Any, translations: Sequence[str], tags: str) -> dict[str, Any]:
    """``index.build_document`` of a result row, with the words of each
    whitespace-separated piece folded once per import instead of once per
    service (names, labels and descriptions repeat a lot)."""
    title = f"{row.name} {row.organization_name}"
    summary = " ".join([row.falc_summary or "", *theme_labels(row.categories)])
    body = " ".join([row.description or "", *translations])
    return {
        "service_id": row.id,
        "title": title,
        "summary": summary,
        "body": body,
        "stems": fast_index_stems(title, summary, body),
        "tags": tags,
    }


@lru_cache(maxsize=200_000)
def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(words(piece))


def fast_index_stems(*texts: str) -> str:
    """``text.index_stems``, the same string: folding never joins or splits
    across whitespace (a space is no letter and starts afresh), so each
    piece's words can be cached."""
    return " ".join(
        stems([w for t in texts for p in t.split() for w in _piece_words(p)])
    )
