"""``search``: filters in, one page of results out — the same on both back-ends."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal_column
from sqlmodel import Session, col, func, select

from api.i18n import _, get_locale
from api.models import Qpv, Service
from api.models.public import Coded, OrganizationRef, SearchPage, ServiceHit
from api.services.geo import BoundingBox, bounding_box, haversine_m, walking_minutes
from api.services.search import card, spelling, sql
from api.services.search.filters import SearchFilters, Sort
from api.services.search.listing import (
    Listing,
    is_stale,
    load_listings,
    open_services,
)
from api.services.search.text import synonym_categories, terms
from api.services.translations import Texts, load_texts
from api.vocabulary import PUBLICS, THEMES, label


class UnknownFilterValue(ValueError):
    """A filter value that is well-formed but names nothing (an unknown QPV)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass
class Candidate:
    id: uuid.UUID
    relevance: float
    name: str
    updated_at: Any
    distance2: float | None = None  # squared, approximate: for ordering only


def check_references(session: Session, filters: SearchFilters) -> None:
    if filters.qpv:
        known = set(
            session.exec(select(Qpv.code).where(col(Qpv.code).in_(filters.qpv)))
        )
        unknown = [code for code in filters.qpv if code not in known]
        if unknown:
            message = _("code QPV inconnu : %(codes)s") % {"codes": ", ".join(unknown)}
            raise UnknownFilterValue("qpv", message)


def _order(candidates: list[Candidate], sort: Sort) -> list[Candidate]:
    far = math.inf
    keys = {
        Sort.relevance: lambda c: (
            -c.relevance,
            far if c.distance2 is None else c.distance2,
            c.name.casefold(),
        ),
        Sort.distance: lambda c: (c.distance2, -c.relevance),
        Sort.name: lambda c: (c.name.casefold(), str(c.id)),
    }
    if sort == Sort.updated:
        return sorted(candidates, key=lambda c: c.updated_at, reverse=True)
    return sorted(candidates, key=keys[sort])


@dataclass
class Plan:
    """A search made ready: the SQL part, and what Python must check after."""

    query: Select[Any]
    box: BoundingBox | None
    moment: datetime | None  # filter on "open at this moment"


def plan(session: Session, filters: SearchFilters, now: datetime) -> Plan:
    check_references(session, filters)
    words = terms(filters.q or "")
    synonyms = synonym_categories(session, filters.q) if filters.q else set()
    box = None
    if filters.lat is not None and filters.lon is not None:
        box = bounding_box(filters.lat, filters.lon, filters.radius_m)
    dialect = session.get_bind().dialect.name
    query = sql.candidates(dialect, filters, words, synonyms, box)
    return Plan(query, box, filters.open_at or (now if filters.open_now else None))


def search(session: Session, filters: SearchFilters, now: datetime) -> SearchPage:
    """Run a search; ``now`` is an aware datetime (injected, so tests pick the day)."""
    # Unreadable queries and the misspelling second pass (search/spelling.py).
    return spelling.tolerant_search(
        session, filters, lambda f: _exact_search(session, f, now)
    )


def _exact_search(
    session: Session, filters: SearchFilters, now: datetime
) -> SearchPage:
    ready = plan(session, filters, now)
    if ready.moment is None:
        # Everything is decided in SQL: let the database count and page.
        query = ready.query
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        ordered = query.order_by(*_sql_order(filters.sort))
        offset = (filters.page - 1) * filters.size
        rows = session.exec(ordered.limit(filters.size).offset(offset))
        page = [Candidate(*row) for row in rows.all()]
        return _page(session, filters, page, total, now)

    # Opening hours are evaluated in Python, on what SQL already narrowed down.
    found = [Candidate(*row) for row in session.exec(ready.query).all()]
    found = open_at(session, found, ready.moment, ready.query)
    ordered = _order(found, filters.sort)
    start = (filters.page - 1) * filters.size
    return _page(
        session, filters, ordered[start : start + filters.size], len(found), now
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


def open_at(
    session: Session, found: list[Candidate], moment: datetime, among: Select[Any]
) -> list[Candidate]:
    """The candidates open at ``moment``; ``among`` selects their ids in SQL, so
    no giant IN list is sent."""
    open_ids = open_services(session, among, moment)
    return [c for c in found if c.id in open_ids]


def _sql_order(sort: Sort) -> list[Any]:
    return {
        # Relevance, then distance when there is one (NULLs when there is none).
        Sort.relevance: [
            literal_column("relevance").desc(),
            literal_column("distance2"),
            func.lower(Service.name),
            Service.id,
        ],
        Sort.name: [func.lower(Service.name), Service.id],
        Sort.updated: [col(Service.updated_at).desc(), Service.id],
        Sort.distance: [literal_column("distance2"), Service.id],
    }[sort]


def exact_distance(filters: SearchFilters, listing: Listing) -> float | None:
    """Haversine to the nearest public place, for what the page shows."""
    if filters.lat is None or filters.lon is None:
        return None
    lat, lon = filters.lat, filters.lon
    distances = [
        haversine_m(lat, lon, p.lat, p.lon)
        for p in listing.places()
        if p.lat is not None and p.lon is not None
    ]
    return min(distances, default=None)


def _page(
    session: Session,
    filters: SearchFilters,
    page: list[Candidate],
    total: int,
    now: datetime,
) -> SearchPage:
    ids = [c.id for c in page]
    listings = load_listings(session, ids)
    texts = load_texts(session, "service", ids, get_locale())
    moment = filters.open_at or now
    items = [
        hit(
            listings[c.id], texts[c.id], exact_distance(filters, listings[c.id]), moment
        )
        for c in page
    ]
    return SearchPage(
        items=items,
        total=total,
        page=filters.page,
        size=filters.size,
        pages=max(1, math.ceil(total / filters.size)),
    )


def hit(
    listing: Listing, texts: Texts, distance: float | None, moment: datetime
) -> ServiceHit:
    service = listing.service
    places = listing.places()
    far = distance is None or distance == math.inf
    next_session = listing.next_session(moment)
    place, other_places = card.main_place(listing, next_session)
    return ServiceHit(
        id=service.id,
        name=texts.get("name", service.name) or service.name,
        organization=OrganizationRef.model_validate(listing.organization),
        falc_summary=texts.get("falc_summary", service.falc_summary),
        categories=[Coded(code=c, label=label(THEMES, c)) for c in service.categories],
        publics=[Coded(code=c, label=label(PUBLICS, c)) for c in service.publics],
        fees=service.fees,
        appointment_required=service.appointment_required,
        referral_required=service.referral_required,
        languages=service.languages,
        phone=service.phone or listing.organization.phone,
        wheelchair=any(p.wheelchair == "yes" for p in places),
        distance_m=None if far else round(distance),  # type: ignore[arg-type]
        walking_minutes=None if far else walking_minutes(distance),  # type: ignore[arg-type]
        open_now=listing.is_open(moment),
        next_session=next_session,
        schedule=[p.schedule for p in listing.permanences_public(get_locale())],
        places=places,
        last_confirmed_at=service.last_confirmed_at,
        stale=is_stale(service),
        updated_at=service.updated_at,
        translated=texts.machine_fields,
        in_french=texts.in_french(
            {"name": service.name, "falc_summary": service.falc_summary}
        ),
        town=place.commune if place else None,
        address=card.address_line(place),
        other_places=other_places,
        today=card.today_sessions(listing, moment),
        closure=card.running_closure(listing, moment),
        language_names=card.language_names(service.languages, get_locale()),
    )
