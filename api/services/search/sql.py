"""The SQL of search, for both back-ends: nothing else in the app writes it."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Float,
    Select,
    and_,
    bindparam,
    case,
    cast,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    table,
    type_coerce,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from api.models import (
    Organization,
    SearchDocument,
    SearchEntry,
    SearchFacet,
    SearchPoint,
    SearchSlot,
    Service,
    ServiceStatus,
    Visibility,
)
from api.services.places.geo import EARTH_RADIUS_M, BoundingBox, bounding_box
from api.services.search.filters import SearchFilters, Sort
from api.services.search.prefixes import Expand
from api.services.search.tags import (
    WORDS_FIRST_BEYOND_M,
    cover,
    fts5_in_cells,
    fts5_tags,
    theme_tag,
)
from api.services.search.text import (
    fts5_query,
    fts5_title_query,
    title_tsquery,
    tsquery,
)
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


def professional_audience_for_request(on: bool) -> None:
    """Set for the rest of this request (each request runs in its own context)."""
    _professionals.set(on)


def professionals() -> bool:
    return _professionals.get()


def _visible() -> tuple[Visibility, ...]:
    if _professionals.get():
        return (Visibility.public, Visibility.professionals)
    return (Visibility.public,)


def one_of(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN values``, or ``=`` for one value: an IN list is a
    parameter SQLAlchemy expands into the SQL at every execution (~0.1 ms
    each), and most filters hold one value."""
    if len(values) == 1:
        return column == values[0]  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]


def visible() -> tuple[str, ...]:
    """The visibilities this reader may see, as ``search_entry`` stores them."""
    return tuple(str(v) for v in _visible())


def listed() -> ColumnElement[bool]:
    """What this reader may see: published, not deleted, and public (or reserved
    to professionals, for a signed-in member)."""
    return and_(
        col(Service.status) == ServiceStatus.published,
        col(Service.deleted_at).is_(None),
        col(Service.visibility).in_(_visible()),
        # A deleted organisation hides everything under it.
        exists().where(
            col(Organization.id) == col(Service.organization_id),
            col(Organization.deleted_at).is_(None),
        ),
    )


def is_listed(service: Service, organization: Organization | None) -> bool:
    """The same rule as ``listed``, for a row already loaded with its owner."""
    return (
        service.status == ServiceStatus.published
        and service.deleted_at is None
        and service.visibility in _visible()
        and organization is not None
        and organization.deleted_at is None
    )


def text_matches(dialect: str, words: list[str]) -> Select[tuple[uuid.UUID, float]]:
    """(service_id, relevance) of the documents that contain every word;
    higher relevance is better on both back-ends."""
    if dialect == "sqlite":
        # bm25 is lower-is-better; weights: title, summary, body, stems (the
        # stems repeat every field: a word found as typed ranks first).
        rank = -func.bm25(literal_column("search_fts"), 10.0, 4.0, 1.0, 1.0)
        return (
            select(SearchDocument.service_id, rank.label("rank"))
            .join(_fts, _fts.c.rowid == col(SearchDocument.rowid))
            .where(
                literal_column("search_fts").op("MATCH")(
                    bindparam("fts", fts5_query(words))
                )
            )
        )
    query = _tsquery(words)
    tsv = literal_column("search_document.tsv")
    return select(
        SearchDocument.service_id, func.ts_rank_cd(tsv, query).cast(Float).label("rank")
    ).where(tsv.op("@@")(query))


# A title match ranks above every other text match (bm25 scores are far
# below this): the first tier, ranked alone when it fills the page.
TITLE_BONUS = 1_000_000.0
_BM25 = (10.0, 4.0, 1.0, 1.0)  # title, summary, body, stems


def title_tier(dialect: str, words: list[str], expand: Expand | None = None) -> CTE:
    """(entry_id, relevance) of the documents holding every word in their
    title, ranked among themselves: a few thousand rows where the whole match
    list of a broad word has tens of thousands to score."""
    if dialect == "sqlite":
        rank = TITLE_BONUS - func.bm25(literal_column("search_fts"), *_BM25)
        query = select(_fts.c.rowid.label("entry_id"), rank.label("rank")).where(
            literal_column("search_fts").op("MATCH")(
                bindparam("fts_title", fts5_title_query(words, expand))
            )
        )
    else:
        query = select(
            col(SearchDocument.rowid).label("entry_id"),
            _title_rank(words).label("rank"),
        ).where(_in_title(words))
    return query.cte("title_matches").prefix_with("MATERIALIZED")


def plan_with_values(session: Session) -> None:
    """PostgreSQL: plan this transaction's statements with their values
    (``_to_tsquery`` says why a prepared statement may not): with the
    reader's visibility as a parameter, the title tier of « accompagnement »
    hashed the whole ``search_entry`` (92,000 rows) for its 5,446 titles
    instead of one merge along its key (page 50 at 100k: 51 → 36 ms of
    server CPU). For searches with words, whose plans depend on them; a
    search's planning costs a millisecond or two."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(sql_text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _to_tsquery(name: str, query: str) -> ColumnElement[Any]:
    """PostgreSQL: ``to_tsquery`` of a query written into the statement, not
    sent as a parameter. psycopg prepares a statement once a connection has
    run it five times, and PostgreSQL may then keep one plan for any value:
    a parameter's ``to_tsquery`` (unaccent, French stemming) was worked out
    again for every row tested and ranked, and the rows it matches were a
    guess (the count of « accompagnement » at 100k: 1.3 → 13 ms of server
    CPU). Written out, it is worked out once while planning, with the GIN
    statistics, whoever runs the statement (search, map, exports).
    SQLAlchemy quotes the literal (``literal_execute``)."""
    config = literal_column("'reperes_fr'::regconfig")
    return func.to_tsquery(config, bindparam(name, query, literal_execute=True))


def _tsquery(words: list[str]) -> ColumnElement[Any]:
    return _to_tsquery("tsq", tsquery(words))


def _title_query(words: list[str]) -> ColumnElement[Any]:
    return _to_tsquery("tsq_title", title_tsquery(words))


def _in_title(words: list[str]) -> ColumnElement[bool]:
    """PostgreSQL: every word in the title, on the title's own tsvector and
    GIN index (migration 0016) — ``tsv @@ 'word:*A'`` would read every
    document holding the word anywhere, since GIN cannot filter on a weight."""
    return literal_column("search_document.title_tsv").op("@@")(_title_query(words))


def _title_rank(words: list[str]) -> ColumnElement[float]:
    """PostgreSQL: a title match's relevance, from its title alone. Every
    match of the tier holds every word in its title, so what ranks them is how
    often and how close together the words stand there (one occurrence each:
    a tie, then name order); the description no longer counts. The title's
    few lexemes are cheaper to score than the whole ``tsv``."""
    title_tsv = literal_column("search_document.title_tsv")
    return TITLE_BONUS + func.ts_rank_cd(title_tsv, _title_query(words)).cast(Float)


def text_entries(
    dialect: str, words: list[str], ranked: bool, expand: Expand | None = None
) -> Select[tuple[int, float]]:
    """(entry_id, relevance) of the listed documents that contain every word:
    the full-text index's own integer key is the entry's id (``tables.store``),
    so no ``search_document`` row and no UUID is read.

    ``ranked`` False: relevance 1 for every match. Ranking costs more than
    matching (bm25 reads every match's positions and length: 100 ms for the
    58,000 documents holding « aide »), so it runs only when it decides the
    order. On SQLite, title matches (``title_tier``) rank first, by their own
    score, so a broad search can rank that tier alone (``engine._find``)."""
    if dialect == "sqlite":
        rank: ColumnElement[float] = literal(1.0)
        query = select(_fts.c.rowid.label("entry_id"))
        if ranked:
            tier = title_tier(dialect, words, expand)
            query = query.outerjoin(tier, tier.c.entry_id == _fts.c.rowid)
            bm25 = -func.bm25(literal_column("search_fts"), *_BM25)
            rank = case((tier.c.rank.is_not(None), tier.c.rank), else_=bm25)
        return query.add_columns(rank.label("rank")).where(
            literal_column("search_fts").op("MATCH")(
                bindparam("fts", fts5_query(words, expand))
            )
        )
    tsv = literal_column("search_document.tsv")
    relevance: ColumnElement[float] = literal(1.0)
    if ranked:  # title matches first, ranked as ``title_tier`` ranks them
        relevance = case(
            (_in_title(words), _title_rank(words)),
            else_=func.ts_rank_cd(tsv, _tsquery(words)).cast(Float),
        )
    return select(
        col(SearchDocument.rowid).label("entry_id"), relevance.label("rank")
    ).where(tsv.op("@@")(_tsquery(words)))


@dataclass(frozen=True)
class Matched:
    """What the words found: ``text`` (entry_id, rank) materialised once, and
    ``themes``, the entries of the themes everyday words mean (rank 0: after
    every text match)."""

    text: CTE | None
    themes: Select[Any] | None
    # PostgreSQL: the words as a condition on one document, for a few
    # candidates (near me) checked row by row instead of every match listed.
    # FTS5 cannot: a prefix query rebuilds its whole word list per row.
    per_row: ColumnElement[bool] | None = None
    words: tuple[str, ...] = ()
    expand: Expand | None = None  # SQLite: prefixes as the index's words
    theme_tags: tuple[str, ...] = ()  # SQLite: the themes' words (``tags``)


def near_text(
    nearby: CTE, words: list[str], expand: Expand | None, cells: list[str] | None
) -> CTE:
    """SQLite, near me within a short radius: the entries nearby holding the
    words. One FTS5 query asks for the words and the grid cells around the
    circle (``tags``), so the index intersects its own lists and only
    documents held nearby come out, each probing the entries nearby (an
    index built on those). CROSS JOIN keeps that order: the other way round
    FTS5 re-runs the query for each row. Without cells (a circle too large
    for them), every match of the words streams through the same probe."""
    near = nearby.name
    statement = sql_text(
        f"SELECT {near}.entry_id AS entry_id FROM search_fts CROSS JOIN {near} "
        f"ON {near}.entry_id = search_fts.rowid WHERE search_fts MATCH :fts"
    )
    query = fts5_query(words, expand)
    if cells:
        query = fts5_in_cells(query, cells)
    return (
        statement.bindparams(bindparam("fts", query))
        .columns(column("entry_id"))
        .cte("near_text")
        .prefix_with("MATERIALIZED")
    )


def near_words(
    filters: SearchFilters,
    matched: Matched,
    box: BoundingBox,
    cells: list[str],
    streamed: bool = False,
) -> CTE:
    """SQLite, near me with words over a wider radius: (entry_id, rank,
    distance) of the entries whose words match (rank 1) or whose themes the
    words mean (rank 0) and that have a public place within the radius. FTS5
    finds them with the grid cells around the circle (``tags``), so only
    those documents' points are read and measured, not every point in the
    circle; the box spares the haversine of points in the cells' corners.

    ``streamed``: for a count that stops at its cap — each candidate once
    (theme matches without the text matches), checked for a point within the
    radius as it comes, no distance."""
    assert filters.lat is not None and filters.lon is not None
    around = fts5_tags(cells)
    text = fts5_query(list(matched.words), matched.expand) if matched.words else None
    found = []
    if text:
        found.append((f"({text}) AND {around}", 1.0))
    if matched.theme_tags:
        themes = f"{fts5_tags(matched.theme_tags)} AND {around}"
        if streamed and text:
            themes = f"({themes}) NOT ({text})"
        found.append((themes, 0.0))
    P = SearchPoint  # noqa: N806 - a table alias
    distance = distance_m(filters.lat, filters.lon)
    in_box = (
        col(P.lat).between(box.min_lat, box.max_lat),
        col(P.lon).between(box.min_lon, box.max_lon),
    )
    parts = []
    for n, (query, rank) in enumerate(found):
        part = select(_fts.c.rowid.label("entry_id"), literal(rank).label("rank"))
        part = part.where(
            literal_column("search_fts").op("MATCH")(bindparam(f"near_{n}", query))
        )
        if streamed:
            within = select(P.id).where(
                col(P.entry_id) == _fts.c.rowid, *in_box, distance <= filters.radius_m
            )
            part = part.add_columns(cast(null(), Float).label("distance"))
            part = part.where(within.exists())
        parts.append(part)
    candidates = (parts[0] if len(parts) == 1 else union_all(*parts)).cte("candidates")
    if streamed:
        return candidates
    nearest = func.min(distance)
    return (
        select(
            candidates.c.entry_id,
            func.max(candidates.c.rank).label("rank"),
            nearest.label("distance"),
        )
        .join(P, col(P.entry_id) == candidates.c.entry_id)
        .where(*in_box)
        .group_by(candidates.c.entry_id)
        .having(nearest <= filters.radius_m)
        .cte("near")
        .prefix_with("MATERIALIZED")
    )


def has_theme(themes: Select[Any]) -> ColumnElement[bool]:
    """The candidate entry is among ``themes``: checked on the entry's own
    facet index, for the few candidates near me (no list of every one)."""
    return themes.where(col(SearchFacet.entry_id) == col(SearchEntry.id)).exists()


def _per_row(dialect: str, words: list[str]) -> ColumnElement[bool] | None:
    if dialect == "sqlite" or not words:
        return None
    return literal_column("search_document.tsv").op("@@")(_tsquery(words))


def theme_facets(codes: Iterable[str]) -> dict[str, list[str]]:
    """The facet values everyday words mean, by facet. Translated public
    labels ("молодь") mean a public: its codes never clash with theme codes.
    Only non-empty lists: an empty IN would turn an OR of them into a scan of
    the whole facet table."""
    wanted = {
        "category": sorted(c for c in codes if c not in PUBLICS),
        "public": sorted(c for c in codes if c in PUBLICS),
    }
    return {facet: values for facet, values in wanted.items() if values}


def matches(
    dialect: str,
    words: list[str],
    synonym_categories: set[str],
    ranked: bool,
    scope: str = "all",
    expand: Expand | None = None,
) -> Matched | None:
    """``scope``: "all" every match, listed once (materialised); "title" the
    title tier alone, ranked (SQLite); "stream" every match unranked and
    streamed, for a count that stops at its cap without listing them all."""
    text = None
    if words and scope == "title":
        text = title_tier(dialect, words, expand)
    elif words:
        text = text_entries(dialect, words, ranked, expand).cte("text_matches")
        if scope == "all":
            text = text.prefix_with("MATERIALIZED")
    per_row = _per_row(dialect, words)
    if not synonym_categories:
        if text is None:
            return None
        return Matched(text, None, per_row, tuple(words), expand)
    wanted = theme_facets(synonym_categories)
    F = SearchFacet  # noqa: N806 - a table alias
    themes = select(F.entry_id).where(
        or_(
            *[
                and_(col(F.facet) == facet, one_of(col(F.value), values))
                for facet, values in wanted.items()
            ]
        )
    )
    tags = tuple(theme_tag(f, code) for f, codes in wanted.items() for code in codes)
    return Matched(text, themes, per_row, tuple(words), expand, tags)


# Near-me rings: a place a few minutes' walk away comes before a better match
# across town (300 m, 1 km, 3 km, 10 km, 30 km, then the rest).
RINGS_M = (300.0, 1_000.0, 3_000.0, 10_000.0, 30_000.0)
_rtree = table(
    "search_point_rtree",
    column("id"),
    column("min_lat"),
    column("max_lat"),
    column("min_lon"),
    column("max_lon"),
)


# ``geo.haversine_m`` term for term, as one SQL fragment: built from
# SQLAlchemy operators it took ~0.3 ms of Python per search for its twenty
# nodes. Named parameters: one centre per statement.
_HAVERSINE = (
    f"2 * {EARTH_RADIUS_M} * asin(sqrt("
    "sin((search_point.lat - :near_lat) * :near_half)"
    " * sin((search_point.lat - :near_lat) * :near_half)"
    " + :near_cos * cos(search_point.lat * :near_rad)"
    " * sin((search_point.lon - :near_lon) * :near_half)"
    " * sin((search_point.lon - :near_lon) * :near_half)))"
)


def _haversine_params(lat: float, lon: float) -> dict[str, float]:
    to_rad = math.pi / 180.0
    return {
        "near_lat": lat,
        "near_lon": lon,
        "near_half": to_rad / 2,
        "near_rad": to_rad,
        "near_cos": math.cos(lat * to_rad),
    }


def distance_m(lat: float, lon: float) -> ColumnElement[float]:
    """Haversine in metres from (lat, lon) to each ``search_point``: the
    list, the box, the circle and the map use this one distance."""
    fragment = sql_text(_HAVERSINE).bindparams(**_haversine_params(lat, lon))
    return type_coerce(fragment, Float)


def near(
    dialect: str, filters: SearchFilters, box: BoundingBox, streamed: bool = False
) -> CTE:
    """(entry_id, distance) of services with a public place within the radius,
    at the distance of the nearest one: the spatial index picks the box, the
    haversine then cuts the circle.

    ``streamed`` (SQLite): for a count that stops at its cap — each point
    within the radius as the index yields it, no distance (``hits`` keeps
    each service once): in a town centre the cap is reached long before the
    8,000 services within 2 km are all grouped and measured."""
    assert filters.lat is not None and filters.lon is not None
    P = SearchPoint  # noqa: N806 - a table alias
    measured = distance_m(filters.lat, filters.lon)
    if streamed and dialect == "sqlite":
        each = select(P.entry_id, cast(null(), Float).label("distance"))
        within = _in_box(each, dialect, box).where(measured <= filters.radius_m)
        return within.cte("near")
    nearest = func.min(measured)
    query = _in_box(select(P.entry_id, nearest.label("distance")), dialect, box)
    return (
        query.group_by(col(P.entry_id))
        .having(nearest <= filters.radius_m)
        .cte("near")
        .prefix_with("MATERIALIZED")
    )


def _in_box(query: Select[Any], dialect: str, box: BoundingBox) -> Select[Any]:
    """``query`` over the search points within ``box``, read from the spatial
    index."""
    P = SearchPoint  # noqa: N806 - a table alias
    if dialect == "sqlite":
        return (
            query.select_from(_rtree)
            .join(SearchPoint, col(P.id) == _rtree.c.id)
            .where(
                _rtree.c.max_lat >= box.min_lat,
                _rtree.c.min_lat <= box.max_lat,
                _rtree.c.max_lon >= box.min_lon,
                _rtree.c.min_lon <= box.max_lon,
            )
        )
    corner = func.point
    return query.where(
        func.point(P.lon, P.lat).op("<@")(
            func.box(corner(box.min_lon, box.min_lat), corner(box.max_lon, box.max_lat))
        )
    )


@dataclass(frozen=True)
class OpenFilter:
    """What "open at a moment" comes to: the rules open then (each evaluated
    once, in Python), the day, and what closures shut that day."""

    hours_ids: list[int]
    day: date
    closed_services: list[uuid.UUID]
    closed_places: list[uuid.UUID]


def open_entries(moment: OpenFilter) -> ColumnElement[bool]:
    """The entry has a slot open at that moment. Correlated on the slot's
    entry index: checked for the candidates only, never a scan of every slot."""
    if not moment.hours_ids:
        return false()
    S = SearchSlot  # noqa: N806 - a table alias
    slots = select(S.id).where(
        col(S.entry_id) == col(SearchEntry.id),
        col(S.hours_id).in_(moment.hours_ids),
        or_(col(S.valid_from).is_(None), col(S.valid_from) <= moment.day),
        or_(col(S.valid_until).is_(None), col(S.valid_until) >= moment.day),
    )
    if moment.closed_places:
        slots = slots.where(
            or_(col(S.place_id).is_(None), col(S.place_id).not_in(moment.closed_places))
        )
    condition = slots.exists()
    if moment.closed_services:
        condition = and_(
            condition, col(SearchEntry.service_id).not_in(moment.closed_services)
        )
    return condition


def entry_has_facet(
    facet: str, values: Iterable[str], drives: bool
) -> ColumnElement[bool]:
    """``drives``: the search starts from this facet's entries (an IN list
    read from the facet index); otherwise each candidate is checked on the
    entry's own facet index (entry, facet, value), never a whole list."""
    F = SearchFacet  # noqa: N806 - a table alias
    value = one_of(col(F.value), _named(f"facet_{facet}", values))
    if drives:
        return col(SearchEntry.id).in_(
            select(F.entry_id).where(col(F.facet) == facet, value)
        )
    return (
        select(F.entry_id)
        .where(col(F.entry_id) == col(SearchEntry.id), col(F.facet) == facet, value)
        .exists()
    )


def _named(name: str, values: Iterable[Any]) -> list[BindParameter[Any]]:
    """Values as parameters named after their filter, so that a statement
    built once for a search's shape runs with another search's values
    (``browse_page``)."""
    return [bindparam(f"{name}_{i}", value) for i, value in enumerate(values)]


def _browse_values(filters: SearchFilters) -> dict[str, Any]:
    """The parameters ``_named`` gave a browse statement, from these filters."""
    named = {
        parameter.key: parameter.value
        for facet, values in facets(filters).items()
        for parameter in _named(f"facet_{facet}", values)
    }
    if filters.organization:
        named["organization"] = filters.organization
    return named


def facets(filters: SearchFilters) -> dict[str, list[str]]:
    """The facet filters asked for, by facet."""
    asked = {
        "qpv": filters.qpv,
        "commune": filters.commune,
        "language": filters.language,
        "public": filters.public_facets,
        "category": filters.category,
        "wheelchair": ["yes"] if filters.wheelchair else [],
    }
    return {facet: values for facet, values in asked.items() if values}


def services_with(facet: str, values: list[str]) -> Select[tuple[uuid.UUID]]:
    """The indexed services holding one of these facet values (exports and
    calendar feeds filter on themes with it)."""
    return (
        select(SearchEntry.service_id)
        .join(SearchFacet, col(SearchFacet.entry_id) == col(SearchEntry.id))
        .where(col(SearchFacet.facet) == facet, one_of(col(SearchFacet.value), values))
    )


def facet_size(facet: str, values: list[str]) -> Select[tuple[int]]:
    """How many services have this facet (a range of the facet index)."""
    return select(func.count()).where(
        col(SearchFacet.facet) == facet, one_of(col(SearchFacet.value), values)
    )


def hits(
    dialect: str,
    filters: SearchFilters,
    matched: Matched | None,
    box: BoundingBox | None,
    moment: OpenFilter | None,
    sizes: dict[str, int],
    streamed: bool = False,
) -> Select[Any] | CompoundSelect[Any]:
    """(id, service_id, rank, distance, sort_key, updated_at) of every listed
    entry that passes the filters, opening hours included: narrow
    integer-keyed rows only, the wide ones are read for the page alone.
    ``streamed``: for a count only (``near_words``), where it applies.

    Text matches and theme matches are two branches of a UNION ALL, each
    joined to the entries on their integer key: nothing is materialised but
    the full-text matches and the places nearby."""
    cells = cover(box) if dialect == "sqlite" and box is not None else None
    # A count streams the words' candidates at any radius: it stops at its cap.
    wide = streamed or filters.radius_m > WORDS_FIRST_BEYOND_M
    if cells is not None and matched is not None and wide:
        assert box is not None  # cells come from it
        found = near_words(filters, matched, box, cells, streamed)
        return _branch(filters, None, None, found, moment, sizes)
    nearby = near(dialect, filters, box, streamed) if box is not None else None
    if matched is None:
        every = _branch(filters, None, None, nearby, moment, sizes)
        # Streamed near me on SQLite, a service holds several points: each once.
        points = streamed and nearby is not None and dialect == "sqlite"
        return every.distinct() if points else every
    if nearby is not None:
        text, themes = matched.text, matched.themes
        if dialect == "sqlite" and text is not None:
            text = near_text(nearby, list(matched.words), matched.expand, cells)
        return _branch(filters, text, themes, nearby, moment, sizes, matched.per_row)
    branches = []
    if matched.text is not None:
        branches.append(_branch(filters, matched.text, None, nearby, moment, sizes))
    if matched.themes is not None:
        themes = matched.themes
        if matched.text is not None:  # each entry once: theme matches not found
            themes = themes.where(
                col(SearchFacet.entry_id).not_in(select(matched.text.c.entry_id))
            )
        branches.append(_branch(filters, None, themes, nearby, moment, sizes))
    return branches[0] if len(branches) == 1 else union_all(*branches)


def _branch(
    filters: SearchFilters,
    text: CTE | None,
    themes: Select[Any] | None,
    nearby: CTE | None,
    moment: OpenFilter | None,
    sizes: dict[str, int],
    per_row: ColumnElement[bool] | None = None,
) -> Select[Any]:
    E = SearchEntry  # noqa: N806 - a table alias
    rank: ColumnElement[float] = literal(0.0)
    distance: ColumnElement[float] = cast(null(), Float)
    conditions: list[ColumnElement[bool]] = [one_of(col(E.visibility), _visible())]
    if nearby is not None:
        # The places nearby drive (thousands of entries at most): each is
        # looked up in the matches, never the other way round. Near me, the
        # ring orders and matches are not ranked (``text_entries``).
        distance = nearby.c.distance
        query = select(E.id).select_from(nearby).join(E, col(E.id) == nearby.c.entry_id)
        if "rank" in nearby.c:  # ``near_words``: matched and ranked already
            rank = nearby.c.rank
        elif text is not None and per_row is not None:
            document = and_(col(SearchDocument.rowid) == col(E.id), per_row)
            rank = literal(1.0)
            if themes is None:
                query = query.join(SearchDocument, document)
            else:  # a text match ranks 1, a theme match 0
                query = query.outerjoin(SearchDocument, document)
                found = col(SearchDocument.rowid).is_not(None)
                rank = case((found, 1.0), else_=0.0)
                conditions.append(or_(found, has_theme(themes)))
                themes = None
        elif text is not None and themes is not None:
            # One pass: a text match ranks 1, a theme match 0.
            query = query.outerjoin(text, text.c.entry_id == col(E.id))
            found = text.c.entry_id.is_not(None)
            rank = case((found, 1.0), else_=0.0)
            conditions.append(or_(found, has_theme(themes)))
            themes = None
        elif text is not None:
            rank = literal(1.0)
            conditions.append(col(E.id).in_(select(text.c.entry_id)))
    elif text is not None:
        rank = text.c.rank
        query = select(E.id).select_from(text).join(E, col(E.id) == text.c.entry_id)
    else:
        query = select(E.id).select_from(E)
    if themes is not None:
        near_me = nearby is not None
        conditions.append(has_theme(themes) if near_me else col(E.id).in_(themes))
    # Without words or a position, the smallest facet drives (a QPV's 1,000
    # services, not a theme's 20,000: the planner's statistics cannot tell).
    driven = text is not None or themes is not None or nearby is not None
    for facet, values in sorted(
        facets(filters).items(), key=lambda f: sizes.get(f[0], 0)
    ):
        conditions.append(entry_has_facet(facet, values, drives=not driven))
        driven = True
    if filters.free:
        conditions.append(col(E.free).is_(True))
    if filters.no_appointment:
        conditions.append(col(E.appointment_required).is_(False))
    if filters.no_referral:
        conditions.append(col(E.referral_required).is_(False))
    if filters.organization:
        organization = bindparam("organization", filters.organization)
        conditions.append(col(E.organization_id) == organization)
    if moment is not None:
        conditions.append(open_entries(moment))
    return query.add_columns(
        col(E.service_id).label("service_id"),
        rank.label("rank"),
        distance.label("distance"),
        col(E.sort_key).label("sort_key"),
        col(E.updated_at).label("updated_at"),
    ).where(*conditions)


def ring(distance: Any) -> ColumnElement[int]:
    return case(
        *[(distance <= limit, index) for index, limit in enumerate(RINGS_M)],
        else_=len(RINGS_M),
    )


def order(found: Any, sort: Sort, near_me: bool) -> list[Any]:
    """ORDER BY of ``hits`` for a sort; every order ends on the unique entry id,
    so a page never shifts between two requests."""
    c = found.c
    last = [c.sort_key, c.id]
    if sort == Sort.name:
        return last
    if sort == Sort.updated:
        return [c.updated_at.desc(), c.id]
    if sort == Sort.distance:
        return [c.distance, c.id]
    if near_me:
        # Distance decides first: within a ring, text matches (rank 1, not
        # ranked further) come before theme matches (rank 0), nearest first.
        return [ring(c.distance), c.rank.desc(), c.distance, *last]
    return [c.rank.desc(), *last]


def page(
    found: Select[Any] | CompoundSelect[Any],
    sort: Sort,
    near_me: bool,
    size: int,
    offset: int,
    cap: int,
    materialise: bool,
) -> Select[Any]:
    """One page of ``found`` with how many there are (at most ``cap`` + 1), in
    one statement. The full-text matches and the places nearby are
    materialised once (CTEs); the count stops at ``cap`` + 1 rows and the page
    goes through a top-N sort."""
    # Near me the candidates are the places nearby, and filters alone cut
    # them on indexes: written out once, then counted and sorted. Words can
    # match anything (58,000 documents hold « aide »): streamed, twice, the
    # count stopping at the cap.
    every = found.cte("hits").prefix_with("MATERIALIZED") if materialise else None
    source = select(every) if every is not None else found
    counted = source.limit(cap + 1).subquery("counted")
    total = select(func.count()).select_from(counted).scalar_subquery()
    every = every if every is not None else found.subquery("hits")
    return (
        select(every.c.service_id, every.c.distance, total.label("total"))
        .order_by(*order(every, sort, near_me))
        .limit(size)
        .offset(offset)
    )


# Browse statements by shape (``browse_page``); any facets may be combined,
# so the memory stays bounded.
_BROWSE_SHAPES = 512
_browsing: dict[tuple[Any, ...], Select[Any]] = {}


def browse_page(
    filters: SearchFilters,
    sizes: dict[str, int],
    sort: Sort,
    cap: int,
    materialise: bool,
) -> tuple[Select[Any], dict[str, Any]]:
    """``page`` of a search without words, position or moment (a theme, a
    QPV, a commune: what residents' buttons ask), and its parameters. Its
    statement depends only on the search's shape — which facets and how many
    values each, in the order ``sizes`` gives them, which flags, the reader's
    visibility, the page — so it is built once per shape and reused with
    each search's values: building it and working out its cache key cost
    about as much as SQLite's answer."""
    asked = facets(filters)
    shape = (
        tuple(
            (f, len(v))
            for f, v in sorted(asked.items(), key=lambda f: sizes.get(f[0], 0))
        ),
        (filters.free, filters.no_appointment, filters.no_referral),
        filters.organization is not None,
        _visible(),
        (sort, filters.size, filters.page, cap, materialise),
    )
    statement = _browsing.get(shape)
    if statement is None:
        if len(_browsing) >= _BROWSE_SHAPES:
            _browsing.clear()
        every = _branch(filters, None, None, None, None, sizes)
        offset = (filters.page - 1) * filters.size
        statement = page(every, sort, False, filters.size, offset, cap, materialise)
        _browsing[shape] = statement
    return statement, _browse_values(filters)


def page_only(
    found: Select[Any] | CompoundSelect[Any], sort: Sort, size: int, offset: int
) -> Select[Any]:
    """One page of ``found`` (not near me), without a count: a full page says
    there are at least ``offset + size``."""
    every = found.subquery("hits")
    return (
        select(every.c.service_id, every.c.distance)
        .order_by(*order(every, sort, False))
        .limit(size)
        .offset(offset)
    )


def words_in_cells(session: Session, words: str, cells: Iterable[str], cap: int) -> int:
    """SQLite: how many documents a reader may see hold ``words`` (an FTS5
    query) and a place in one of ``cells``, counted up to ``cap``. Written
    out, not built: it is a lower bound for a count that stops at its cap,
    and SQLAlchemy spent more (building, cache key, parameters: ~2.5 ms) than
    SQLite does (~1.3 ms for 1,000 documents)."""
    visible_ = visible()
    statement = (
        "SELECT count(*) FROM (SELECT 1 FROM search_fts "
        "JOIN search_entry ON search_entry.id = search_fts.rowid "
        "WHERE search_fts MATCH ? AND search_entry.visibility IN "
        f"({', '.join('?' * len(visible_))}) LIMIT ?)"
    )
    query = fts5_in_cells(words, cells)
    result = session.connection().exec_driver_sql(statement, (query, *visible_, cap))
    return int(result.scalar_one())


def near_ring_page(
    session: Session,
    filters: SearchFilters,
    words: str,
    themes: dict[str, list[str]],
    cap: int,
) -> list[Any]:
    """SQLite, near me with words alone, within a ring of 1 km at most: one
    page of (service_id, distance, total) — what ``hits`` and ``page`` build
    for that search (``near``, ``near_text``, ``_branch``; a text match ranks
    1, a theme match 0; ``order``), written out. The page of a broad word
    near a town centre comes from its first ring (``engine._nearest_rings``)
    in ~2 ms of SQLite, and building the same statement with SQLAlchemy
    (expressions, cache key, parameters) cost ~3 ms more."""
    assert filters.lat is not None and filters.lon is not None
    box = bounding_box(filters.lat, filters.lon, filters.radius_m)
    cells = cover(box)
    assert cells is not None  # a ring of 1 km at most
    params: dict[str, Any] = {
        **_haversine_params(filters.lat, filters.lon),
        "min_lat": box.min_lat,
        "max_lat": box.max_lat,
        "min_lon": box.min_lon,
        "max_lon": box.max_lon,
        "radius": filters.radius_m,
        "fts": fts5_in_cells(words, cells),
        "counted": cap + 1,
        "size": filters.size,
        "offset": (filters.page - 1) * filters.size,
    }

    def listed(name: str, values: Sequence[str]) -> str:
        names = [f"{name}_{n}" for n, _ in enumerate(values)]
        params.update(zip(names, values, strict=True))
        return ", ".join(f":{n}" for n in names)

    theme = " OR ".join(
        f"(f.facet = :facet_{facet} AND f.value IN ({listed(facet, values)}))"
        for facet, values in themes.items()
    )
    params.update({f"facet_{facet}": facet for facet in themes})
    by_theme = ""
    if theme:
        facet_of_entry = "SELECT 1 FROM search_facet f WHERE f.entry_id = e.id"
        by_theme = f" OR EXISTS ({facet_of_entry} AND ({theme}))"
    if filters.sort == Sort.distance:
        order = "distance, id"
    else:
        rings = " ".join(
            f"WHEN distance <= {limit!r} THEN {n}" for n, limit in enumerate(RINGS_M)
        )
        ring_of = f"CASE {rings} ELSE {len(RINGS_M)} END"
        order = f"{ring_of}, rank DESC, distance, sort_key, id"
    statement = f"""
        WITH near AS MATERIALIZED (
            SELECT search_point.entry_id AS entry_id, min({_HAVERSINE}) AS distance
            FROM search_point_rtree r JOIN search_point ON search_point.id = r.id
            WHERE r.max_lat >= :min_lat AND r.min_lat <= :max_lat
              AND r.max_lon >= :min_lon AND r.min_lon <= :max_lon
            GROUP BY search_point.entry_id HAVING min({_HAVERSINE}) <= :radius),
        near_text AS MATERIALIZED (
            SELECT near.entry_id FROM search_fts CROSS JOIN near
            ON near.entry_id = search_fts.rowid WHERE search_fts MATCH :fts),
        hits AS MATERIALIZED (
            SELECT e.id AS id, e.service_id AS service_id, near.distance AS distance,
                   CASE WHEN t.entry_id IS NOT NULL THEN 1.0 ELSE 0.0 END AS rank,
                   e.sort_key AS sort_key
            FROM near JOIN search_entry e ON e.id = near.entry_id
            LEFT JOIN near_text t ON t.entry_id = e.id
            WHERE e.visibility IN ({listed("visible", visible())})
              AND (t.entry_id IS NOT NULL{by_theme}))
        SELECT service_id, distance,
               (SELECT count(*) FROM (SELECT 1 FROM hits LIMIT :counted)) AS total
        FROM hits ORDER BY {order} LIMIT :size OFFSET :offset"""
    return list(session.connection().exec_driver_sql(statement, params).all())


def count(found: Select[Any] | CompoundSelect[Any], cap: int) -> Select[Any]:
    """How many ``found`` has (at most ``cap`` + 1), for a page past the end."""
    counted = found.limit(cap + 1).subquery()
    return select(func.count()).select_from(counted)
