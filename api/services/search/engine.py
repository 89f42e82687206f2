"""``search``: filters in, one page of results out — the same on both back-ends."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, CursorResult, Executable, Select, bindparam
from sqlmodel import Session, col, select

from api.i18n import _, get_locale
from api.models import Qpv
from api.models.public import SearchPage, ServiceHit
from api.services.content.translations import load_texts
from api.services.places.geo import bounding_box
from api.services.search import cache, card, prefixes, spelling, sql
from api.services.search.filters import SearchFilters, Sort
from api.services.search.listing import open_services
from api.services.search.tags import inside
from api.services.search.text import fts5_query, synonym_categories, terms


class UnknownFilterValue(ValueError):
    """A filter value that is well-formed but names nothing (an unknown QPV)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


# Counting stops here: a broader search says "1 000+" (``total_capped``).
COUNT_CAP = 1000


# Built once: a statement built per request cost three times its query.
_KNOWN_QPV = select(Qpv.code).where(
    col(Qpv.code).in_(bindparam("codes", expanding=True))
)


def check_references(session: Session, filters: SearchFilters) -> None:
    if filters.qpv:
        known = set(_run_core(session, _KNOWN_QPV, {"codes": filters.qpv}).scalars())
        unknown = [code for code in filters.qpv if code not in known]
        if unknown:
            message = _("code QPV inconnu : %(codes)s") % {"codes": ", ".join(unknown)}
            raise UnknownFilterValue("qpv", message)


@dataclass
class Plan:
    """A search made ready: every match as narrow rows, opening hours included."""

    hits: Select[Any] | CompoundSelect[Any]
    near_me: bool
    moment: datetime | None  # filter on "open at this moment"


@dataclass(frozen=True)
class Reading:
    """The search read once — its index words, the themes its everyday words
    mean, SQLite's prefixes written out, the rules open at its moment — for
    the several statements one search may plan (rings, title tier, counts)."""

    words: list[str]
    themes: set[str]
    expand: prefixes.Expand | None
    opened: sql.OpenFilter | None


def read(session: Session, filters: SearchFilters, now: datetime) -> Reading:
    check_references(session, filters)
    words = terms(filters.q or "")
    themes = synonym_categories(session, filters.q) if filters.q else set()
    sqlite = session.get_bind().dialect.name == "sqlite"
    # SQLite: each prefix written out as the index's words (``prefixes``).
    expand = prefixes.expander(session) if sqlite and words else None
    moment = filters.open_at or (now if filters.open_now else None)
    opened = open_services(session, moment) if moment else None
    return Reading(words, themes, expand, opened)


def plan(
    session: Session,
    filters: SearchFilters,
    now: datetime,
    themes: bool = True,
    scope: str = "all",
    reading: Reading | None = None,
) -> Plan:
    """``themes`` False: the words' text matches only, without the services
    of the themes everyday words mean; ``scope``: which text matches
    (``sql.matches``); ``reading``: the query as ``read`` already (else read
    here)."""
    reading = reading or read(session, filters, now)
    words, expand = reading.words, reading.expand
    synonyms = reading.themes if themes or not words else set()
    box = None
    if filters.lat is not None and filters.lon is not None:
        box = bounding_box(filters.lat, filters.lon, filters.radius_m)
    dialect = session.get_bind().dialect.name
    # bm25 only when relevance decides the order: near me, the ring does.
    ranked = filters.sort == Sort.relevance and box is None
    streamed = scope == "stream"
    matched = sql.matches(
        dialect, words, synonyms, ranked and not streamed, scope, expand
    )
    moment = filters.open_at or (now if filters.open_now else None)
    sizes = facet_sizes(session, filters) if matched is None and box is None else {}
    hits = sql.hits(dialect, filters, matched, box, reading.opened, sizes, streamed)
    return Plan(hits, box is not None, moment)


# Sizes only choose which facet drives a search (``sql._branch``), never what
# it finds: each is counted once per process and kept a few minutes (a
# theme's 20,000 entries take 0.5–0.9 ms to count at 100,000 services).
SIZES_SECONDS = 300.0
_sizes: dict[tuple[str, str, tuple[str, ...]], tuple[float, int]] = {}


def facet_sizes(session: Session, filters: SearchFilters) -> dict[str, int]:
    """How many services each facet asked holds (0 each when one alone is
    asked: it drives)."""
    asked = sql.facets(filters)
    if len(asked) < 2:
        return dict.fromkeys(asked, 0)
    database, now = str(session.get_bind().url), time.monotonic()
    if len(_sizes) > 4096:  # any values may be asked: the memory stays bounded
        _sizes.clear()
    sizes = {}
    for facet, values in asked.items():
        key = (database, facet, tuple(values))
        known = _sizes.get(key)
        if known is None or now - known[0] > SIZES_SECONDS:
            size = _run_core(session, sql.facet_size(facet, values)).scalar_one()
            known = _sizes[key] = (now, int(size))
        sizes[facet] = known[1]
    return sizes


@dataclass
class Found:
    """One page of ids (in order) with their distances, and how many in all."""

    ids: list[uuid.UUID]
    distances: list[float | None]
    total: int
    capped: bool

    @classmethod
    def counted(
        cls, ids: list[uuid.UUID], distances: list[float | None], total: int
    ) -> Found:
        """With a count taken up to the cap + 1: "1 000+" past the cap."""
        return cls(ids, distances, min(total, COUNT_CAP), total > COUNT_CAP)


def find(session: Session, filters: SearchFilters, now: datetime) -> Found:
    """The page's ids and how many match, in as few statements as the search
    allows; cached until the next write anywhere (``cache``)."""
    moment = filters.open_at or (now if filters.open_now else None)
    professionals = sql.professionals()
    return cache.remember(
        session,
        lambda: cache.key(session, filters, moment, professionals),
        lambda: _find(session, filters, now),
    )


def _find(session: Session, filters: SearchFilters, now: datetime) -> Found:
    offset = (filters.page - 1) * filters.size
    reading = read(session, filters, now)
    words = reading.words
    if words:  # how many documents hold them decides the plan
        sql.plan_with_values(session)
    fits = offset + filters.size <= COUNT_CAP
    if filters.near and filters.sort in (Sort.relevance, Sort.distance):
        nearest = _nearest_rings(session, filters, now, reading) if fits else None
        if nearest is not None:
            return nearest
    elif filters.sort == Sort.relevance and words and fits:
        tiered = _title_tier_first(session, filters, now, reading)
        if tiered is not None:
            return tiered
        # Theme matches rank after every text match: when the text matches
        # alone fill the page and pass the cap, they change nothing shown.
        text_only = _run(session, filters, now, reading, themes=False)
        if text_only.capped:
            return text_only
    return _run(session, filters, now, reading)


def _nearest_rings(
    session: Session, filters: SearchFilters, now: datetime, reading: Reading
) -> Found | None:
    """Near me, a page read from the nearest rings. Both orders put every
    service within a ring boundary before any beyond it, so a page that lies
    within 300 m (or 1 km) is the page of the whole radius: a few hundred
    places read instead of every match within 3 km (« aide » in the centre
    of Tours: 64 services within 300 m, 1,574 within 1 km; open now within
    2 km of the centre of Nantes: 8,000 places). The count is then taken
    apart (``_count_near``). None when the page reaches past the rings: the
    whole radius is searched."""
    for ring_m in sql.RINGS_M[:2]:
        if ring_m >= filters.radius_m:
            return None
        ring = filters.model_copy(update={"radius_km": ring_m / 1000})
        inner = _ring_page(session, ring, now, reading)
        if inner.capped:  # past the cap within the ring: so is the radius
            return inner
        if len(inner.ids) == filters.size:
            total = _count_near(session, filters, now, reading)
            return Found.counted(inner.ids, inner.distances, total)
    return None


def _ring_page(
    session: Session, ring: SearchFilters, now: datetime, reading: Reading
) -> Found:
    """The page and count within a ring. On SQLite, searched by words alone,
    its statement is written out (``sql.near_ring_page``)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not (sqlite and reading.words) or _narrowed(ring):
        return _run(session, ring, now, reading)
    words = fts5_query(reading.words, reading.expand)
    themes = sql.theme_facets(reading.themes)
    session.flush()  # as the ORM would before reading
    rows = sql.near_ring_page(session, ring, words, themes, COUNT_CAP)
    if not rows:  # past the last page: the whole search says how many
        return _run(session, ring, now, reading)
    ids = [uuid.UUID(row.service_id) for row in rows]
    return Found.counted(ids, [row.distance for row in rows], int(rows[0].total))


def _count_near(
    session: Session, filters: SearchFilters, now: datetime, reading: Reading
) -> int:
    """How many services near me match (up to the cap + 1), streamed and
    stopped at the cap. First a lower bound that, in a town centre, passes
    the cap alone: on SQLite, searched by words alone, the text matches held
    in grid cells wholly within the radius, whose places need no distance
    measured; on PostgreSQL, the matches within 1 km (the places of 3 km
    around the centre of Tours are 17,000 to list, those of 1 km 2,000)."""
    assert filters.lat is not None and filters.lon is not None
    total = 0
    if session.get_bind().dialect.name == "sqlite":
        cells = inside(filters.lat, filters.lon, filters.radius_m)
        if cells and reading.words and not _narrowed(filters):
            words = fts5_query(reading.words, reading.expand)
            total = sql.words_in_cells(session, words, cells, COUNT_CAP + 1)
    elif filters.radius_m > sql.RINGS_M[1] and (
        reading.words or not _narrowed(filters)
    ):
        ring = filters.model_copy(update={"radius_km": sql.RINGS_M[1] / 1000})
        total = _streamed_count(session, ring, now, reading)
    if total > COUNT_CAP:
        return total
    return _streamed_count(session, filters, now, reading)


def _streamed_count(
    session: Session,
    filters: SearchFilters,
    now: datetime,
    reading: Reading,
    themes: bool = True,
) -> int:
    """How many match, up to the cap + 1, streamed and stopped there."""
    every = plan(session, filters, now, themes, "stream", reading).hits
    return int(_run_core(session, sql.count(every, COUNT_CAP)).scalar_one())


def _run_core(
    session: Session, statement: Executable, params: dict[str, Any] | None = None
) -> CursorResult[Any]:
    """A search statement on the session's connection: it reads narrow rows,
    never ORM objects, and the ORM's own pass over each statement cost ~0.3
    ms. Pending writes are flushed first, as the ORM would (a no-op when
    there are none)."""
    session.flush()
    return session.connection().execute(statement, params)


def _narrowed(filters: SearchFilters) -> bool:
    """Asked for more than words and a place: facets, flags, an organisation
    or opening hours."""
    flags = filters.free or filters.no_appointment or filters.no_referral
    moment = filters.open_now or filters.open_at
    return bool(sql.facets(filters) or flags or filters.organization or moment)


def _title_tier_first(
    session: Session, filters: SearchFilters, now: datetime, reading: Reading
) -> Found | None:
    """A broad search ranked by relevance: title matches rank before every
    other match (``sql.text_entries``), so when they alone fill the page and
    every match passes the count cap, the page is theirs — ranking a few
    thousand titles, not bm25 / ts_rank_cd over 58,000 documents; the count
    stops at its cap without ranking. None when they do not: the whole search
    then runs."""
    offset = (filters.page - 1) * filters.size
    tier = plan(session, filters, now, False, "title", reading).hits
    statement = sql.page_only(tier, filters.sort, filters.size, offset)
    rows = _run_core(session, statement).all()
    if len(rows) < filters.size:
        return None
    total = _streamed_count(session, filters, now, reading, themes=False)
    if total <= COUNT_CAP:
        return None  # a thousand matches or fewer: ranking them all is cheap
    ids, distances = [r.service_id for r in rows], [r.distance for r in rows]
    return Found(ids, distances, COUNT_CAP, True)


def _run(
    session: Session,
    filters: SearchFilters,
    now: datetime,
    reading: Reading,
    themes: bool = True,
    scope: str = "all",
) -> Found:
    if not (filters.q or filters.near or filters.open_now or filters.open_at):
        return _browse(session, filters)
    ready = plan(session, filters, now, themes, scope, reading)
    offset = (filters.page - 1) * filters.size
    statement = sql.page(
        ready.hits,
        filters.sort,
        ready.near_me,
        filters.size,
        offset,
        COUNT_CAP,
        materialise=ready.near_me or not reading.words,
    )
    return _counted_page(session, statement, {}, lambda: ready.hits)


def _browse(session: Session, filters: SearchFilters) -> Found:
    """Facets and flags alone: a statement built once per shape
    (``sql.browse_page``). Nothing asked at all (the whole directory, as the
    map page opens): every rank is 0, so relevance is name order, read from
    its index and streamed — not 100,000 entries written out and sorted."""
    everything = not sql.facets(filters)
    sort = filters.sort
    if everything and sort == Sort.relevance:
        sort = Sort.name
    sizes = facet_sizes(session, filters)
    statement, values = sql.browse_page(
        filters, sizes, sort, COUNT_CAP, materialise=not everything
    )
    dialect = session.get_bind().dialect.name
    return _counted_page(
        session,
        statement,
        values,
        lambda: sql.hits(dialect, filters, None, None, None, sizes),
    )


def _counted_page(
    session: Session,
    statement: Executable,
    values: dict[str, Any],
    every: Callable[[], Select[Any] | CompoundSelect[Any]],
) -> Found:
    """A page with its count (``sql.page``); past the last page, the count of
    ``every`` match alone."""
    rows = _run_core(session, statement, values).all()
    if rows:
        total = int(rows[0].total)
    else:
        total = int(_run_core(session, sql.count(every(), COUNT_CAP)).scalar_one())
    ids = [row.service_id for row in rows]
    return Found.counted(ids, [row.distance for row in rows], total)


def search(session: Session, filters: SearchFilters, now: datetime) -> SearchPage:
    """Run a search; ``now`` is an aware datetime (injected, so tests pick the day)."""
    # Unreadable queries and the misspelling second pass (search/spelling.py).
    return spelling.tolerant_search(
        session, filters, lambda f: _page(session, f, find(session, f, now), now)
    )


def all_matches(
    session: Session, filters: SearchFilters, now: datetime, limit: int = 500
) -> list[ServiceHit]:
    """Every match (up to ``limit``) for printed guides, in the filters' order."""
    hits: list[ServiceHit] = []
    page = 1
    while len(hits) < limit:
        batch = search(
            session, filters.model_copy(update={"page": page, "size": 100}), now
        )
        hits += batch.items
        if page >= batch.pages:
            break
        page += 1
    return hits[:limit]


def _page(
    session: Session, filters: SearchFilters, found: Found, now: datetime
) -> SearchPage:
    listings = card.listings(session, found.ids)
    texts = load_texts(session, "service", found.ids, get_locale())
    moment = filters.open_at or now
    answers = card.Answers(moment)  # the cards share their rules' answers
    items = [
        card.hit(listings[id_], texts[id_], distance, moment, answers)
        for id_, distance in zip(found.ids, found.distances, strict=True)
        if id_ in listings
    ]
    return SearchPage(
        items=items,
        total=found.total,
        total_capped=found.capped,
        page=filters.page,
        size=filters.size,
        pages=max(1, math.ceil(found.total / filters.size)),
    )
