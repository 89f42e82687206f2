"""The SQL of search, for both back-ends: nothing else in the app writes it."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    null,
    or_,
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
from api.vocabulary import PUBLICS

_fts = table("search_fts", column("rowid"))


# Whether this request comes from a signed-in professional (a member of any
# organisation): they also see listings reserved to professionals.
_professionals: ContextVar[bool] = ContextVar("professionals", default=False)


@contextmanager
def professional_audience(on: bool) -> Iterator[None]:
    token = _professionals.set(on)
    try:
        yield
    finally:
        _professionals.reset(token)


def _visible() -> tuple[Visibility, ...]:
    if _professionals.get():
        return (Visibility.public, Visibility.professionals)
    return (Visibility.public,)


def listed() -> ColumnElement[bool]:
    """What this reader may see: published, not deleted, and public (or reserved
    to professionals, for a signed-in member)."""
    return and_(
        col(Service.status) == ServiceStatus.published,
        col(Service.deleted_at).is_(None),
        col(Service.visibility).in_(_visible()),
    )


def is_listed(service: Service) -> bool:
    """The same rule as ``listed``, for a row already loaded."""
    return (
        service.status == ServiceStatus.published
        and service.deleted_at is None
        and service.visibility in _visible()
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
    # Translated public labels ("молодь") mean a public: its codes never
    # clash with theme codes.
    publics = sorted(c for c in synonym_categories if c in PUBLICS)
    themes = sorted(c for c in synonym_categories if c not in PUBLICS)
    by_theme = (
        select(ServiceFacet.service_id, literal(0.0).label("rank"))
        .where(
            or_(
                and_(
                    col(ServiceFacet.facet) == "category",
                    col(ServiceFacet.value).in_(themes),
                ),
                and_(
                    col(ServiceFacet.facet) == "public",
                    col(ServiceFacet.value).in_(publics),
                ),
            )
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
    # IN (subquery) rather than a correlated EXISTS: both back-ends then read
    # the (facet, value, service_id) index first instead of scanning services.
    return col(Service.id).in_(
        select(ServiceFacet.service_id).where(
            col(ServiceFacet.facet) == facet,
            col(ServiceFacet.value).in_(list(values)),
        )
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


def nearest_distance2(filters: SearchFilters) -> ColumnElement[float]:
    """Squared distance in metres from the person to the service's nearest public
    place, by the equirectangular approximation (off by well under 0.5 % within
    100 km; pages show the exact haversine). Correlated and driven by the
    service's own permanences (a handful, by index): filtering it by the box too
    made PostgreSQL scan every place of the box for every service."""
    assert filters.lat is not None and filters.lon is not None
    kx = math.cos(math.radians(filters.lat)) * 111_320.0
    dx = (col(Place.lon) - filters.lon) * kx
    dy = (col(Place.lat) - filters.lat) * 110_574.0
    return (
        select(func.min(dx * dx + dy * dy))
        .select_from(Permanence)
        .join(Place, col(Place.id) == col(Permanence.place_id))
        .where(
            col(Permanence.service_id) == col(Service.id),
            col(Permanence.deleted_at).is_(None),
            col(Place.deleted_at).is_(None),
            col(Place.confidential).is_(False),
            col(Place.lat).is_not(None),
        )
        .scalar_subquery()
    )


def candidates(
    dialect: str,
    filters: SearchFilters,
    words: list[str],
    synonym_categories: set[str],
    box: BoundingBox | None,
) -> Select[Any]:
    """(id, relevance, name, updated_at, distance2) of every listed service that
    passes the filters; only opening hours are left to check after, in Python."""
    conditions: list[ColumnElement[bool]] = [listed()]
    relevance: ColumnElement[float] = literal(0.0)
    distance2: ColumnElement[float] = cast(null(), Float)
    matched = matches(dialect, words, synonym_categories)
    if matched is not None:
        relevance = matched.c.rank
    if box is not None:
        distance2 = nearest_distance2(filters)
        # The box first (an indexed set of ids), then the exact-enough circle.
        in_box = points_in_box(box).with_only_columns(Permanence.service_id)
        conditions += [col(Service.id).in_(in_box), distance2 <= filters.radius_m**2]
    query = select(
        Service.id,
        relevance.label("relevance"),
        Service.name,
        Service.updated_at,
        distance2.label("distance2"),
    )
    # An inner join driven by the (small) set of matches: a LEFT JOIN on a
    # subquery makes SQLite scan it once per service.
    if matched is not None:
        query = query.join(matched, matched.c.service_id == col(Service.id))
    for facet, values in (
        ("category", filters.category),
        ("public", filters.public_facets),
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
    return query.where(*conditions)
