"""Keep the derived search index (documents + facets) in step with the directory.

Any flush that touches a service, its permanences, places, organisation or
translations marks the service; at commit its document and facets are rebuilt
in the same transaction, so the index is never ahead of or behind the data.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, event, insert
from sqlmodel import Session, col, select

from api.models import (
    Organization,
    Permanence,
    PermanenceMode,
    Place,
    SearchDocument,
    Service,
    ServiceStatus,
    Translation,
    Wheelchair,
)
from api.services.listings import bulk
from api.services.search import tables
from api.services.search.tags import document_tags
from api.services.search.text import index_stems
from api.vocabulary import CATEGORIES, THEMES, category_of

PENDING = "reperes_reindex"
_BATCH = 500


def theme_labels(codes: list[str]) -> list[str]:
    """French labels of the themes and their categories (always the source text)."""
    labels: list[str] = []
    for code in codes:
        if code in THEMES:
            labels.append(THEMES[code])
        if category_of(code) in CATEGORIES:
            labels.append(CATEGORIES[category_of(code)])
    return sorted(set(labels))


def build_document(
    service: Service,
    organization: Organization,
    translations: list[str],
    places: list[tuple[Permanence, Place | None]],
    facets: set[tuple[str, str]],
) -> dict[str, Any]:
    """The text a service is found by. ``translations`` are its translated
    name, FALC summary and description in every language; theme and public
    labels in other languages are matched at query time (search/labels.py)."""
    title = f"{service.name} {organization.name}"
    summary = " ".join([service.falc_summary or "", *theme_labels(service.categories)])
    body = " ".join([service.description or "", *translations])
    return {
        "service_id": service.id,
        "title": title,
        "summary": summary,
        "body": body,
        "stems": index_stems(title, summary, body),
        "tags": document_tags(places, facets),
    }


def build_facets(
    service: Service, places: list[tuple[Permanence, Place | None]]
) -> set[tuple[str, str]]:
    facets = {("category", code) for code in service.categories}
    facets |= {("category", category_of(code)) for code in service.categories}
    facets |= {("public", code) for code in service.publics}
    facets |= {("language", code) for code in service.languages}
    for permanence, place in places:
        facets.add(("mode", str(permanence.mode)))
        if place is None:
            continue
        # A confidential place is in no neighbourhood publicly (its commune,
        # which the public sees anyway, still counts).
        for code in (place.qpv_code, place.near_qpv_code):
            if code and not place.confidential:
                facets.add(("qpv", code))
        if place.insee_code:
            facets.add(("commune", place.insee_code))
        if (
            place.wheelchair == Wheelchair.yes
            and permanence.mode != PermanenceMode.phone
        ):
            facets.add(("wheelchair", "yes"))
    return facets


def reindex(session: Session, service_ids: Iterable[uuid.UUID]) -> None:
    ids = list(set(service_ids))
    for start in range(0, len(ids), _BATCH):
        _reindex_batch(session, ids[start : start + _BATCH])


def _reindex_batch(session: Session, ids: list[uuid.UUID]) -> None:
    session.execute(
        delete(SearchDocument).where(col(SearchDocument.service_id).in_(ids))
    )
    tables.forget(session, ids)
    rows = session.exec(
        select(Service, Organization)
        .join(Organization, col(Organization.id) == col(Service.organization_id))
        .where(col(Service.id).in_(ids))
        .where(col(Service.deleted_at).is_(None))
        .where(col(Service.status) == ServiceStatus.published)
        # A deleted organisation takes everything under it off the directory.
        .where(col(Organization.deleted_at).is_(None))
    ).all()
    if not rows:
        return
    live = [service.id for service, _ in rows]
    places: dict[uuid.UUID, list[tuple[Permanence, Place | None]]] = defaultdict(list)
    for permanence, place in session.exec(
        select(Permanence, Place)
        .outerjoin(
            Place,
            (col(Place.id) == col(Permanence.place_id))
            & col(Place.deleted_at).is_(None),
        )
        .where(col(Permanence.service_id).in_(live))
        .where(col(Permanence.deleted_at).is_(None))
    ).all():
        places[permanence.service_id].append((permanence, place))
    texts: dict[uuid.UUID, list[str]] = defaultdict(list)
    for entity_id, text in session.exec(
        select(Translation.entity_id, Translation.text)
        .where(Translation.entity_type == "service")
        .where(col(Translation.entity_id).in_(live))
        .where(col(Translation.deleted_at).is_(None))
    ).all():
        texts[entity_id].append(text)
    by_service = {s.id: build_facets(s, places[s.id]) for s, _ in rows}
    documents = [
        build_document(s, o, texts[s.id], places[s.id], by_service[s.id])
        for s, o in rows
    ]
    session.execute(insert(SearchDocument), documents)
    tables.store(session, [service for service, _ in rows], places, by_service)


def reindex_all(session: Session) -> int:
    ids = list(session.exec(select(Service.id)).all())
    reindex(session, ids)
    return len(ids)


def _services_touched(session: Session, objects: Iterable[Any]) -> set[uuid.UUID]:
    ids: set[uuid.UUID] = set()
    place_ids: set[uuid.UUID] = set()
    org_ids: set[uuid.UUID] = set()
    for obj in objects:
        if isinstance(obj, Service):
            ids.add(obj.id)
        elif isinstance(obj, Permanence):
            ids.add(obj.service_id)
        elif isinstance(obj, Place):
            place_ids.add(obj.id)
        elif isinstance(obj, Organization):
            org_ids.add(obj.id)
        elif isinstance(obj, Translation) and obj.entity_type == "service":
            ids.add(obj.entity_id)
    with session.no_autoflush:
        if place_ids:
            ids |= set(
                session.exec(
                    select(Permanence.service_id).where(
                        col(Permanence.place_id).in_(place_ids)
                    )
                ).all()
            )
        if org_ids:
            ids |= set(
                session.exec(
                    select(Service.id).where(col(Service.organization_id).in_(org_ids))
                ).all()
            )
    return ids


@bulk.on_insert
def _mark_inserted(
    session: Session, model: type[Any], rows: Iterable[dict[str, Any]]
) -> None:
    if model is Translation:
        session.info.setdefault(PENDING, set()).update(
            row["entity_id"] for row in rows if row["entity_type"] == "service"
        )


@event.listens_for(Session, "after_flush")
def _mark(session: Session, _context: Any) -> None:
    touched = [*session.new, *session.dirty, *session.deleted]
    if touched:
        session.info.setdefault(PENDING, set()).update(
            _services_touched(session, touched)
        )


@event.listens_for(Session, "before_commit")
def _rebuild(session: Session) -> None:
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        reindex(session, pending)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
