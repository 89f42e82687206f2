"""The SQL of search, for both back-ends: nothing else in the app writes it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    table,
    union_all,
)
from sqlmodel import col, select

from api.models import (
    Fees,
    Permanence,
    Place,
    SearchDocument,
    Service,
    ServiceFacet,
    ServiceStatus,
    Visibility,
)
from api.services.geo import BoundingBox
from api.services.search.filters import SearchFilters
from api.services.search.text import fts5_query, tsquery

_fts = table("search_fts", column("rowid"))


def listed() -> ColumnElement[bool]:
    """What the public may see: published, not deleted, public visibility."""
    return and_(
        col(Service.status) == ServiceStatus.published,
        col(Service.deleted_at).is_(None),
        col(Service.visibility) == Visibility.public,
    )


def is_listed(service: Service) -> bool:
    """The same rule as ``listed``, for a row already loaded."""
    return (
        service.status == ServiceStatus.published
        and service.deleted_at is None
        and service.visibility == Visibility.public
    )


def text_matches(dialect: str, words: list[str]) -> Select[tuple[uuid.UUID, float]]:
    """(service_id, relevance) of the documents that contain every word;
    higher relevance is better on both back-ends."""
    if dialect == "sqlite":
        # bm25 is lower-is-better; weights: title, summary, body.
        rank = -func.bm25(literal_column("search_fts"), 10.0, 4.0, 1.0)
        return (
            select(SearchDocument.service_id, rank.label("rank"))
            .join(_fts, _fts.c.rowid == col(SearchDocument.rowid))
            .where(
                literal_column("search_fts").op("MATCH")(
                    bindparam("fts", fts5_query(words))
                )
            )
        )
    config = literal_column("'reperes_fr'::regconfig")
    query = func.to_tsquery(config, bindparam("tsq", tsquery(words)))
    tsv = literal_column("search_document.tsv")
    return select(
        SearchDocument.service_id, func.ts_rank_cd(tsv, query).cast(Float).label("rank")
    ).where(tsv.op("@@")(query))


def matches(
    dialect: str, words: list[str], synonym_categories: set[str]
) -> Subquery | None:
    """(service_id, rank) of services found by the words, or by the themes that
    everyday words of the query mean (rank 0: after every text match)."""
    text = text_matches(dialect, words) if words else None
    if not synonym_categories:
        return None if text is None else text.subquery("matches")
    by_theme = (
        select(ServiceFacet.service_id, literal(0.0).label("rank"))
        .where(
            col(ServiceFacet.facet) == "category",
            col(ServiceFacet.value).in_(sorted(synonym_categories)),
        )
        .distinct()
    )
    if text is None:
        return by_theme.subquery("matches")
    # No GROUP BY over bm25 (SQLite refuses it): theme matches exclude text ones.
    text_ids = select(text.subquery().c.service_id)
    by_theme = by_theme.where(col(ServiceFacet.service_id).not_in(text_ids))
    return union_all(text, by_theme).subquery("matches")


def has_facet(facet: str, values: Iterable[str]) -> ColumnElement[bool]:
    return exists().where(
        col(ServiceFacet.service_id) == col(Service.id),
        col(ServiceFacet.facet) == facet,
        col(ServiceFacet.value).in_(list(values)),
    )


def points_in_box(box: BoundingBox) -> Select[tuple[uuid.UUID, float, float]]:
    """(service_id, lat, lon) of every live, non-confidential place in the box.

    Confidential places never take part: a distance would give their position away.
    """
    return (
        select(Permanence.service_id, Place.lat, Place.lon)
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .where(
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            col(Place.confidential).is_(False),
            col(Place.lat).between(box.min_lat, box.max_lat),
            col(Place.lon).between(box.min_lon, box.max_lon),
        )
    )


def candidates(
    dialect: str,
    filters: SearchFilters,
    words: list[str],
    synonym_categories: set[str],
    box: BoundingBox | None,
) -> Select[tuple[uuid.UUID, float, str, object]]:
    """(id, relevance, name, updated_at) of every listed service that passes the
    filters SQL can decide; distance and opening hours are checked after."""
    conditions: list[ColumnElement[bool]] = [listed()]
    query = select(
        Service.id, literal(0.0).label("relevance"), Service.name, Service.updated_at
    )
    matched = matches(dialect, words, synonym_categories)
    if matched is not None:
        # An inner join driven by the (small) set of matches: a LEFT JOIN on a
        # subquery makes SQLite scan it once per service when parameters are bound.
        query = select(
            Service.id,
            matched.c.rank.label("relevance"),
            Service.name,
            Service.updated_at,
        ).join(matched, matched.c.service_id == col(Service.id))
    for facet, values in (
        ("category", filters.category),
        ("public", filters.public),
        ("language", filters.language),
        ("qpv", filters.qpv),
        ("commune", filters.commune),
    ):
        if values:
            conditions.append(has_facet(facet, values))
    if filters.wheelchair:
        conditions.append(has_facet("wheelchair", ["yes"]))
    if filters.free:
        conditions.append(col(Service.fees) == Fees.free)
    if filters.no_appointment:
        conditions.append(col(Service.appointment_required).is_(False))
    if filters.no_referral:
        conditions.append(col(Service.referral_required).is_(False))
    if filters.organization:
        conditions.append(col(Service.organization_id) == filters.organization)
    if box is not None:
        near = points_in_box(box).subquery("near")
        conditions.append(col(Service.id).in_(select(near.c.service_id)))
    return query.where(*conditions)
