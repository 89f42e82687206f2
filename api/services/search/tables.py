"""The narrow search tables (``api.models.search_scale``), kept with the index.

``index.reindex`` calls ``forget`` then ``store`` for each batch of services in
the same transaction as their documents and facets; ``bump`` marks every commit
that can change a result, so result caches keyed by the version never serve
what was true before it.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, event, insert, update
from sqlmodel import Session, col, select

from api.models import (
    Closure,
    Fees,
    Organization,
    Permanence,
    Place,
    Qpv,
    SearchDocument,
    SearchEntry,
    SearchFacet,
    SearchHours,
    SearchPoint,
    SearchSlot,
    SearchVersion,
    Service,
    Synonym,
    Translation,
)
from api.services.listings import bulk
from api.services.search.tags import has_point

_CHANGED = "reperes_search_changed"
# Whatever a search reads, directly or through the index.
_WATCHED = (
    Service,
    Permanence,
    Place,
    Organization,
    Translation,
    Closure,
    Synonym,
    Qpv,
)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def sort_key(name: str) -> str:
    """The name as French dictionaries order it: case, accents and ligatures
    folded ("Écrivain public" sorts before "Sorties" on both back-ends)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())[:300]


def forget(session: Session, service_ids: list[uuid.UUID]) -> None:
    bump(session)  # also for bulk rebuilds (CLI, bench), which flush no objects
    entries = select(SearchEntry.id).where(col(SearchEntry.service_id).in_(service_ids))
    session.execute(delete(SearchFacet).where(col(SearchFacet.entry_id).in_(entries)))
    session.execute(delete(SearchPoint).where(col(SearchPoint.entry_id).in_(entries)))
    session.execute(delete(SearchSlot).where(col(SearchSlot.entry_id).in_(entries)))
    session.execute(
        delete(SearchEntry).where(col(SearchEntry.service_id).in_(service_ids))
    )


def store(
    session: Session,
    services: Sequence[Service],
    places: dict[uuid.UUID, list[tuple[Permanence, Place | None]]],
    facets: dict[uuid.UUID, set[tuple[str, str]]],
) -> None:
    """Entries, facets, points and slots of these (live, published) services, whose
    documents are already written: an entry's id is its document's rowid, the
    full-text index's own key, so text matches join the entries on an integer
    primary key (no UUID, no ``search_document`` row read)."""
    if not services:
        return
    entry_of = dict(
        session.exec(
            select(SearchDocument.service_id, SearchDocument.rowid).where(
                col(SearchDocument.service_id).in_([s.id for s in services])
            )
        ).all()
    )
    # Driver-level executemany (``bulk.insert_rows``): an import indexes
    # 100,000 services here, and the ORM's per-row parameters cost more
    # than SQLite's own work.
    bulk.insert_rows(
        session,
        SearchEntry.__table__,  # type: ignore[attr-defined]
        [
            {
                "id": entry_of[s.id],
                "service_id": s.id,
                "organization_id": s.organization_id,
                "visibility": str(s.visibility),
                "free": s.fees == Fees.free,
                "appointment_required": s.appointment_required,
                "referral_required": s.referral_required,
                "sort_key": sort_key(s.name),
                "updated_at": s.updated_at,
            }
            for s in services
        ],
    )
    points: dict[tuple[int, uuid.UUID], dict[str, Any]] = {}
    slots: list[dict[str, Any]] = []
    rules = _hours_ids(session, [p for rows in places.values() for p, _ in rows])
    for service in services:
        entry = entry_of[service.id]
        for permanence, place in places.get(service.id, []):
            slots.append(
                {
                    "entry_id": entry,
                    "hours_id": rules[_rule(permanence)],
                    "place_id": place.id if place else None,
                    "valid_from": permanence.valid_from,
                    "valid_until": permanence.valid_until,
                }
            )
            if not has_point(place):
                continue
            points[(entry, place.id)] = {
                "entry_id": entry,
                "place_id": place.id,
                "lat": place.lat,
                "lon": place.lon,
            }
    rows = [
        {"entry_id": entry_of[id_], "facet": facet, "value": value}
        for id_, pairs in facets.items()
        for facet, value in pairs
    ]
    bulk.insert_rows(session, SearchFacet.__table__, rows)  # type: ignore[attr-defined]
    # One statement: the R*Tree behind search_point flushes once per statement.
    bulk.insert_rows(
        session,
        SearchPoint.__table__,  # type: ignore[attr-defined]
        list(points.values()),
        one_statement=True,
    )
    bulk.insert_rows(session, SearchSlot.__table__, slots)  # type: ignore[attr-defined]


def _rule(permanence: Permanence) -> tuple[str, date | None]:
    # getattr: the anchor is the schedules' column, absent from older schemas.
    return permanence.opening_hours, getattr(permanence, "biweekly_anchor", None)


def _hours_ids(
    session: Session, permanences: list[Permanence]
) -> dict[tuple[str, date | None], int]:
    """Ids of these permanences' rules, adding the new ones (rules are few and
    shared: the bench's 200,000 permanences use about 30)."""
    wanted = {_rule(p) for p in permanences}
    if not wanted:
        return {}
    texts = sorted({raw for raw, _ in wanted})
    known = {
        (raw, anchor): id_
        for id_, raw, anchor in session.exec(
            select(SearchHours.id, SearchHours.opening_hours, SearchHours.anchor).where(
                col(SearchHours.opening_hours).in_(texts)
            )
        ).all()
    }
    missing = wanted - set(known)
    if missing:
        session.execute(
            insert(SearchHours),
            [{"opening_hours": raw, "anchor": anchor} for raw, anchor in missing],
        )
        return _hours_ids(session, permanences)
    return known


def bump(session: Session) -> None:
    """One more write: every cached search result made before it is dropped."""
    changed = session.execute(
        update(SearchVersion)
        .where(col(SearchVersion.id) == 1)
        .values(version=col(SearchVersion.version) + 1)
    )
    if changed.rowcount == 0:  # type: ignore[attr-defined]
        session.execute(insert(SearchVersion).values(id=1, version=1))


def version(session: Session) -> int:
    return (
        session.exec(
            select(SearchVersion.version).where(col(SearchVersion.id) == 1)
        ).first()
        or 0
    )


@bulk.on_insert
def _note_inserted(session: Session, model: type[Any], _rows: Any) -> None:
    if issubclass(model, _WATCHED):
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, _WATCHED) for obj in touched):
        session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session)


@event.listens_for(Session, "after_rollback")
def _forget_note(session: Session) -> None:
    session.info.pop(_CHANGED, None)
